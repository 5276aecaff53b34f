// Tests of the integration harness itself, against /bin/sh children and an in-test HTTP
// server built on raw sockets; no quanze code is involved.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "harness.h"

namespace quanze::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

std::vector<std::string> Sh(const std::string& script) { return {"/bin/sh", "-c", script}; }

// ---------------------------------------------------------------------------------------
// A tiny HTTP/1.1 server on 127.0.0.1:0, one thread per connection. Routes:
//   /len      Content-Length JSON {"ok":true,"n":<requests so far on this connection>}
//             with two Set-Cookie headers and a mixed-case header
//   /chunked  "Hello, world" in two chunks (with an extension and a trailer), sent in
//             two writes
//   /echo     JSON {method, path, body, headers} of the request as received
//   /close    a reply with Connection: close, then closes
//   /drop     a Content-Length reply without Connection: close, then closes (as a
//             keep-alive timeout would)
//   /swallow-next  a normal reply; the NEXT request on the connection is read and the
//             connection closed without a reply (the keep-alive race, deterministic)
//   /swallow-me  read, then the connection is closed without a reply
//   /eof      a body without length, delimited by closing the connection
//   /204      204 No Content
//   anything that is not an HTTP/1.x request line: 400 and close
class FakeHttpServer {
 public:
  FakeHttpServer() {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
        ::listen(listen_fd_, 16) != 0 ||
        ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      throw HarnessError("fake server cannot listen");
    }
    port_ = ntohs(addr.sin_port);
    acceptor_ = std::thread([this] { AcceptLoop(); });
  }

  ~FakeHttpServer() {
    stopping_ = true;
    ::shutdown(listen_fd_, SHUT_RDWR);
    acceptor_.join();
    {
      std::lock_guard lock(mu_);
      for (int fd : open_fds_) ::shutdown(fd, SHUT_RDWR);
    }
    for (auto& t : workers_) t.join();
    ::close(listen_fd_);
  }

  int port() const { return port_; }
  int connections() const { return connections_; }

 private:
  void AcceptLoop() {
    while (!stopping_) {
      int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) continue;
      ++connections_;
      std::lock_guard lock(mu_);
      open_fds_.push_back(fd);
      workers_.emplace_back([this, fd] { Serve(fd); });
    }
  }

  static bool Send(int fd, std::string_view data) {
    return ::send(fd, data.data(), data.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(data.size());
  }

  void Serve(int fd) {
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    std::string buf;
    int served = 0;
    bool swallow = false;
    char chunk[4096];
    for (bool open = true; open;) {
      size_t end;
      while ((end = buf.find("\r\n\r\n")) == std::string::npos) {
        ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
        if (n <= 0) {
          open = false;
          break;
        }
        buf.append(chunk, static_cast<size_t>(n));
      }
      if (!open || swallow || buf.starts_with("GET /swallow-me ")) break;
      swallow = buf.starts_with("GET /swallow-next ");
      open = Respond(fd, buf, end, ++served);
    }
    std::lock_guard lock(mu_);
    std::erase(open_fds_, fd);
    ::close(fd);
  }

  // Answers the request at the front of buf (head ends at head_end); consumes it.
  // Returns whether the connection stays open.
  static bool Respond(int fd, std::string& buf, size_t head_end, int served) {
    std::istringstream head(buf.substr(0, head_end));
    std::string method, path, version, line;
    head >> method >> path >> version;
    std::getline(head, line);
    if (!version.starts_with("HTTP/1.")) {
      Send(fd, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
      return false;
    }
    nlohmann::json headers = nlohmann::json::object();
    while (std::getline(head, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      const size_t colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string name = line.substr(0, colon);
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      headers[name] = line.substr(line.find_first_not_of(' ', colon + 1));
    }
    const size_t length = headers.contains("content-length")
                              ? std::stoul(headers["content-length"].get<std::string>())
                              : 0;
    while (buf.size() < head_end + 4 + length) {
      char chunk[4096];
      ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
      if (n <= 0) return false;
      buf.append(chunk, static_cast<size_t>(n));
    }
    const std::string body = buf.substr(head_end + 4, length);
    buf.erase(0, head_end + 4 + length);

    auto with_length = [](std::string_view extra, std::string_view body_text) {
      return "HTTP/1.1 200 OK\r\n" + std::string(extra) +
             "Content-Length: " + std::to_string(body_text.size()) + "\r\n\r\n" +
             std::string(body_text);
    };
    if (path == "/len") {
      const std::string json = nlohmann::json{{"ok", true}, {"n", served}}.dump();
      std::string reply = with_length(
          "Content-Type: application/json\r\nX-Mixed-Case: Yes\r\n"
          "Set-Cookie: a=1; Path=/\r\nSet-Cookie: session=abc; HttpOnly\r\n",
          json);
      if (method == "HEAD") reply.resize(reply.size() - json.size());
      return Send(fd, reply);
    }
    if (path == "/chunked") {
      Send(fd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nHel");
      std::this_thread::sleep_for(milliseconds(20));
      return Send(fd, "lo\r\n7\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n");
    }
    if (path == "/echo") {
      const nlohmann::json echo = {
          {"method", method}, {"path", path}, {"body", body}, {"headers", headers}};
      return Send(fd, with_length("", echo.dump()));
    }
    if (path == "/close") {
      Send(fd, with_length("Connection: close\r\n", "bye"));
      return false;
    }
    if (path == "/swallow-next") return Send(fd, with_length("", "next one is lost"));
    if (path == "/drop") {
      Send(fd, with_length("", "dropped"));
      return false;
    }
    if (path == "/eof") {
      Send(fd, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil-eof");
      return false;
    }
    if (path == "/204") return Send(fd, "HTTP/1.1 204 No Content\r\n\r\n");
    return Send(fd, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
  }

  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  std::thread acceptor_;
  std::mutex mu_;
  std::vector<int> open_fds_;
  std::vector<std::thread> workers_;
};

// A port with nothing listening on it (bound, then released).
int UnusedPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), len);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

// ---------------------------------------------------------------------------------------

TEST(TempDir, CreatesADirectoryAndRemovesItWithItsContents) {
  std::string path;
  {
    TempDir dir;
    path = dir.path();
    ASSERT_TRUE(std::filesystem::is_directory(path));
    std::filesystem::create_directory(dir.File("sub"));
    std::ofstream(dir.File("sub/f.txt")) << "x";
  }
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(RunCommand, FeedsStdinCapturesStdoutAndReturnsTheExitCode) {
  CommandResult r = RunCommand(Sh("echo hi; cat; exit 3"), "from stdin\n");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.out, "hi\nfrom stdin\n");
  EXPECT_EQ(r.err, "");
}

TEST(RunCommand, CapturesStderrAndPassesExtraEnvironment) {
  CommandResult r = RunCommand(Sh("echo \"$QZ_A-$HOME\" >&2"), "", {"QZ_A=x", "HOME=/nowhere"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.err, "x-/nowhere\n");
}

TEST(RunCommand, StreamsMegabytesBothWaysWithoutDeadlock) {
  const std::string input(3'000'000, 'i');
  CommandResult r = RunCommand(Sh("head -c 2000000 /dev/zero >&2; cat"), input, {}, seconds(30));
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, input);
  EXPECT_EQ(r.err.size(), 2'000'000u);
}

TEST(RunCommand, ChildThatIgnoresStdinDoesNotKillTheTestWithSigpipe) {
  CommandResult r = RunCommand(Sh("exit 0"), std::string(1'000'000, 'x'));
  EXPECT_EQ(r.exit_code, 0);
}

TEST(RunCommand, ReturnsSoonAfterExitEvenIfAGrandchildKeepsTheOutputOpen) {
  const auto start = std::chrono::steady_clock::now();
  CommandResult r = RunCommand(Sh("sleep 3 & echo parent done"));
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "parent done\n");
  EXPECT_LT(std::chrono::steady_clock::now() - start, seconds(5));
}

TEST(RunCommand, ReportsDeathBySignalAs128PlusTheSignal) {
  EXPECT_EQ(RunCommand(Sh("kill -TERM $$")).exit_code, 128 + SIGTERM);
}

TEST(RunCommand, KillsTheChildAndThrowsOnTimeout) {
  const auto start = std::chrono::steady_clock::now();
  EXPECT_THROW(RunCommand({"sleep", "30"}, "", {}, milliseconds(300)), HarnessError);
  EXPECT_LT(std::chrono::steady_clock::now() - start, seconds(5));
}

TEST(RunCommand, ThrowsWhenTheProgramDoesNotExist) {
  EXPECT_THROW(RunCommand({"/nonexistent/quanze-nope"}), HarnessError);
}

TEST(QuanzeBinary, PrefersTheEnvironmentVariable) {
  const char* old = std::getenv("QUANZE_BIN");
  const std::string saved = old != nullptr ? old : "";
  ::setenv("QUANZE_BIN", "/bin/sh", 1);
  EXPECT_EQ(QuanzeBinary(), "/bin/sh");
  ::setenv("QUANZE_BIN", "/nonexistent/quanze", 1);
  EXPECT_THROW(QuanzeBinary(), HarnessError);
  if (old != nullptr) {
    ::setenv("QUANZE_BIN", saved.c_str(), 1);
  } else {
    ::unsetenv("QUANZE_BIN");
  }
}

// A fake server: announces itself, then idles; on SIGTERM says bye and exits 0.
const char kPoliteServer[] =
    "trap 'echo bye; exit 0' TERM; echo 'listening on http://127.0.0.1:1234'; "
    "echo started >&2; while :; do sleep 0.05; done";

TEST(ServerProcess, ParsesHostAndPortFromTheFirstLine) {
  auto server = ServerProcess::Start(Sh(kPoliteServer));
  EXPECT_EQ(server->host(), "127.0.0.1");
  EXPECT_EQ(server->port(), 1234);
  EXPECT_EQ(server->base_url(), "http://127.0.0.1:1234");
  EXPECT_TRUE(server->WaitForStderr("started"));
  EXPECT_TRUE(server->Running());
}

TEST(ServerProcess, ParsesABracketedIpv6Host) {
  auto server = ServerProcess::Start(Sh("echo 'listening on http://[::1]:8080/'; exec sleep 30"));
  EXPECT_EQ(server->host(), "::1");
  EXPECT_EQ(server->port(), 8080);
  EXPECT_EQ(server->base_url(), "http://[::1]:8080");
}

TEST(ServerProcess, SigtermHandledByTheChildYieldsItsExitCode) {
  auto server = ServerProcess::Start(Sh(kPoliteServer));
  server->Signal(SIGTERM);
  EXPECT_EQ(server->Wait(seconds(10)), 0);
  EXPECT_EQ(server->stdout_text(), "listening on http://127.0.0.1:1234\nbye\n");
  EXPECT_FALSE(server->Running());
  server->Signal(SIGTERM);  // no-op once reaped
}

TEST(ServerProcess, DeathBySignalIsReportedAs128PlusTheSignal) {
  auto termed = ServerProcess::Start(Sh("echo 'listening on http://127.0.0.1:1'; exec sleep 30"));
  termed->Signal(SIGTERM);
  EXPECT_EQ(termed->Wait(seconds(10)), 128 + SIGTERM);
  auto killed = ServerProcess::Start(Sh("echo 'listening on http://127.0.0.1:1'; exec sleep 30"));
  EXPECT_EQ(killed->Kill(), 128 + SIGKILL);
}

TEST(ServerProcess, WaitThrowsWhenTheChildOutlivesTheTimeout) {
  auto server = ServerProcess::Start(Sh("echo 'listening on http://127.0.0.1:1'; exec sleep 30"));
  EXPECT_THROW(server->Wait(milliseconds(100)), HarnessError);
  EXPECT_TRUE(server->Running());
}

TEST(ServerProcess, StartThrowsWithTheStderrOfAChildThatExitsEarly) {
  try {
    ServerProcess::Start(Sh("echo 'bad flag --nope' >&2; exit 2"));
    FAIL() << "Start did not throw";
  } catch (const HarnessError& e) {
    EXPECT_NE(std::string(e.what()).find("bad flag --nope"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("exit status 2"), std::string::npos) << e.what();
  }
}

TEST(ServerProcess, StartThrowsWhenTheFirstLineIsNotAListeningLine) {
  try {
    ServerProcess::Start(Sh("echo 'hello'; exec sleep 30"));
    FAIL() << "Start did not throw";
  } catch (const HarnessError& e) {
    EXPECT_NE(std::string(e.what()).find("\"hello\""), std::string::npos) << e.what();
  }
  EXPECT_THROW(
      ServerProcess::Start(Sh("echo 'listening on http://127.0.0.1:99999'; exec sleep 30")),
      HarnessError);
}

TEST(ServerProcess, StartThrowsWhenNoLineArrivesInTime) {
  const auto start = std::chrono::steady_clock::now();
  EXPECT_THROW(ServerProcess::Start({"sleep", "30"}, {}, milliseconds(200)), HarnessError);
  EXPECT_LT(std::chrono::steady_clock::now() - start, seconds(5));
}

TEST(ServerProcess, KeepsDrainingSoAChattyChildNeverBlocks) {
  auto server = ServerProcess::Start(
      Sh("echo 'listening on http://127.0.0.1:1'; head -c 3000000 /dev/zero >&2; "
         "head -c 3000000 /dev/zero; echo; echo done; exec sleep 30"));
  ASSERT_TRUE(server->WaitForStdout("done\n", seconds(20)));
  EXPECT_EQ(server->stderr_text().size(), 3'000'000u);
}

TEST(ServerProcess, DestructorKillsAChildThatStillRuns) {
  int pid;
  {
    auto server = ServerProcess::Start(Sh("echo 'listening on http://127.0.0.1:1'; exec sleep 30"));
    pid = server->pid();
    ASSERT_EQ(::kill(pid, 0), 0);
  }
  EXPECT_EQ(::kill(pid, 0), -1);
  EXPECT_EQ(errno, ESRCH);
}

TEST(HttpClient, ReusesOneConnectionForContentLengthAndChunkedReplies) {
  FakeHttpServer server;
  HttpClient client(server.port());
  HttpResponse a = client.Get("/len");
  HttpResponse b = client.Get("/chunked");
  HttpResponse c = client.Get("/len");
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.Json(), (nlohmann::json{{"ok", true}, {"n", 1}}));
  EXPECT_EQ(b.body, "Hello, world");
  EXPECT_EQ(c.Json()["n"], 3);
  EXPECT_EQ(client.connections_opened(), 1);
  EXPECT_EQ(server.connections(), 1);
}

TEST(HttpClient, LowerCasesHeaderNamesAndCollectsEverySetCookie) {
  FakeHttpServer server;
  HttpClient client(server.port());
  HttpResponse r = client.Get("/len");
  EXPECT_EQ(r.headers.at("x-mixed-case"), "Yes");
  EXPECT_EQ(r.Header("X-MIXED-CASE"), "Yes");
  EXPECT_EQ(r.Header("x-absent"), "");
  EXPECT_EQ(r.set_cookies, (std::vector<std::string>{"a=1; Path=/", "session=abc; HttpOnly"}));
  EXPECT_EQ(r.Cookie("session"), "abc");
  EXPECT_EQ(r.Cookie("nope"), "");
}

TEST(HttpClient, SendsHostLengthTypeDefaultAndCustomHeaders) {
  FakeHttpServer server;
  HttpClient client(server.port());
  client.SetDefaultHeader("Authorization", "Bearer t0k");
  nlohmann::json echo = client.Post("/echo", R"({"a":1})", {{"X-Trace", "7"}}).Json();
  EXPECT_EQ(echo["method"], "POST");
  EXPECT_EQ(echo["body"], R"({"a":1})");
  EXPECT_EQ(echo["headers"]["host"], "127.0.0.1:" + std::to_string(server.port()));
  EXPECT_EQ(echo["headers"]["content-length"], "7");
  EXPECT_EQ(echo["headers"]["content-type"], "application/json");
  EXPECT_EQ(echo["headers"]["authorization"], "Bearer t0k");
  EXPECT_EQ(echo["headers"]["x-trace"], "7");
  echo = client.Delete("/echo", {{"Authorization", "Bearer other"}}).Json();
  EXPECT_EQ(echo["method"], "DELETE");
  EXPECT_EQ(echo["headers"]["authorization"], "Bearer other");
  EXPECT_FALSE(echo["headers"].contains("content-length"));
}

TEST(HttpClient, ReconnectsAfterTheServerSaysConnectionClose) {
  FakeHttpServer server;
  HttpClient client(server.port());
  EXPECT_EQ(client.Get("/close").body, "bye");
  EXPECT_EQ(client.Get("/len").status, 200);
  EXPECT_EQ(client.connections_opened(), 2);
}

TEST(HttpClient, RetriesOnceWhenTheServerDroppedAnIdleConnection) {
  FakeHttpServer server;
  HttpClient client(server.port());
  EXPECT_EQ(client.Get("/drop").body, "dropped");
  std::this_thread::sleep_for(milliseconds(50));  // the FIN arrives while idle
  EXPECT_EQ(client.Get("/len").Json()["n"], 1);
  EXPECT_EQ(client.connections_opened(), 2);
}

TEST(HttpClient, ResendsARequestThatAReusedConnectionLostWithoutAReply) {
  FakeHttpServer server;
  HttpClient client(server.port());
  EXPECT_EQ(client.Get("/swallow-next").status, 200);
  EXPECT_EQ(client.Get("/len").Json()["n"], 1);  // answered on a second connection
  EXPECT_EQ(client.connections_opened(), 2);
  EXPECT_EQ(server.connections(), 2);
}

TEST(HttpClient, ThrowsWithoutResendingWhenAFreshConnectionGetsNoReply) {
  FakeHttpServer server;
  HttpClient client(server.port());
  EXPECT_THROW(client.Get("/swallow-me"), HarnessError);
  EXPECT_EQ(server.connections(), 1);
}

TEST(HttpClient, ReadsABodyDelimitedByTheConnectionClosing) {
  FakeHttpServer server;
  HttpClient client(server.port());
  EXPECT_EQ(client.Get("/eof").body, "until-eof");
  EXPECT_EQ(client.Get("/len").status, 200);
}

TEST(HttpClient, HeadAnd204RepliesHaveNoBody) {
  FakeHttpServer server;
  HttpClient client(server.port());
  client.set_timeout(seconds(5));
  HttpResponse head = client.Request("HEAD", "/len");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.body, "");
  EXPECT_EQ(client.Get("/204").status, 204);
  EXPECT_EQ(client.Get("/len").Json()["n"], 3);
  EXPECT_EQ(client.connections_opened(), 1);
}

TEST(HttpClient, OnceSendsConnectionClose) {
  FakeHttpServer server;
  HttpResponse r = HttpClient::Once(server.port(), "PUT", "/echo", "{}");
  EXPECT_EQ(r.Json()["headers"]["connection"], "close");
  EXPECT_EQ(r.Json()["method"], "PUT");
}

TEST(HttpClient, ThrowsWhenNothingListens) {
  HttpClient client(UnusedPort());
  EXPECT_THROW(client.Get("/"), HarnessError);
}

TEST(HttpClient, JsonThrowsWhenTheBodyIsNotJson) {
  FakeHttpServer server;
  EXPECT_THROW(HttpClient(server.port()).Get("/chunked").Json(), HarnessError);
}

TEST(RawExchange, ReturnsTheServersReplyToAMalformedRequest) {
  FakeHttpServer server;
  const std::string raw = RawExchange(server.port(), "NONSENSE\r\n\r\n");
  ASSERT_TRUE(raw.starts_with("HTTP/1.1 400")) << raw;
  HttpResponse r = ParseResponse(raw);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.Header("connection"), "close");
}

TEST(ParseResponse, ThrowsOnATruncatedReply) {
  EXPECT_THROW(ParseResponse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"), HarnessError);
  EXPECT_THROW(ParseResponse("garbage"), HarnessError);
}

}  // namespace
}  // namespace quanze::testing
