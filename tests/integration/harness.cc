#include "harness.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <functional>
#include <iostream>

extern char** environ;

namespace quanze::testing {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

void IgnoreSigpipeOnce() {
  static std::once_flag once;
  std::call_once(once, [] { ::signal(SIGPIPE, SIG_IGN); });
}

std::string ErrnoText(std::string_view what, int err = errno) {
  return std::string(what) + ": " + std::strerror(err);
}

int RemainingMs(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count();
  return static_cast<int>(std::clamp<long long>(left, 0, 1'000'000'000));
}

std::string Tail(const std::string& s, size_t n = 4000) {
  return s.size() <= n ? s : "..." + s.substr(s.size() - n);
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

std::string JoinArgv(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& a : argv) out += (out.empty() ? "" : " ") + a;
  return out;
}

// Owns a file descriptor.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  Fd& operator=(Fd&& o) noexcept {
    if (this != &o) {
      reset();
      fd_ = std::exchange(o.fd_, -1);
    }
    return *this;
  }
  ~Fd() { reset(); }
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

// {read end, write end}, both close-on-exec.
std::pair<Fd, Fd> MakePipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw HarnessError(ErrnoText("pipe2"));
  return {Fd(fds[0]), Fd(fds[1])};
}

std::vector<std::string> BuildEnv(const std::vector<std::string>& extra_env) {
  std::vector<std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) env.emplace_back(*e);
  for (const auto& kv : extra_env) {
    const std::string key = kv.substr(0, kv.find('=')) + "=";
    std::erase_if(env, [&](const std::string& e) { return e.starts_with(key); });
    env.push_back(kv);
  }
  return env;
}

// Starts argv with stdin from stdin_fd (-1: /dev/null) and stdout/stderr to out_fd/err_fd.
// No other descriptor is inherited; all signals start at their default disposition.
pid_t Spawn(const std::vector<std::string>& argv, const std::vector<std::string>& extra_env,
            int stdin_fd, int out_fd, int err_fd) {
  IgnoreSigpipeOnce();
  if (argv.empty()) throw HarnessError("cannot start a command with an empty argv");
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  posix_spawn_file_actions_init(&actions);
  posix_spawnattr_init(&attr);
  if (stdin_fd >= 0) {
    posix_spawn_file_actions_adddup2(&actions, stdin_fd, 0);
  } else {
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  }
  posix_spawn_file_actions_adddup2(&actions, out_fd, 1);
  posix_spawn_file_actions_adddup2(&actions, err_fd, 2);
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);
  sigset_t all;
  sigset_t none;
  sigfillset(&all);
  sigdelset(&all, SIGKILL);
  sigdelset(&all, SIGSTOP);
  sigemptyset(&none);
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

  std::vector<std::string> env = BuildEnv(extra_env);
  std::vector<char*> args;
  std::vector<char*> envp;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
  args.push_back(nullptr);
  envp.push_back(nullptr);
  pid_t pid = -1;
  const int rc = posix_spawnp(&pid, argv[0].c_str(), &actions, &attr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) throw HarnessError(ErrnoText("cannot start " + argv[0], rc));
  return pid;
}

int ExitCodeOf(int wait_status) {
  if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
  return -1;
}

// The exit code if pid has exited (and reaps it), else nullopt.
std::optional<int> TryReap(pid_t pid) {
  int status = 0;
  pid_t r = ::waitpid(pid, &status, WNOHANG);
  if (r == pid) return ExitCodeOf(status);
  if (r < 0 && errno != EINTR) throw HarnessError(ErrnoText("waitpid"));
  return std::nullopt;
}

int KillAndReap(pid_t pid) {
  ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return ExitCodeOf(status);
}

// Appends what is readable on fd to buf; false (and fd closed) at EOF or error.
bool ReadInto(Fd& fd, std::string& buf) {
  char chunk[65536];
  ssize_t n = ::read(fd.get(), chunk, sizeof chunk);
  if (n > 0) {
    buf.append(chunk, static_cast<size_t>(n));
    return true;
  }
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return true;
  fd.reset();
  return false;
}

bool ParseListeningLine(std::string_view line, std::string& host, int& port) {
  constexpr std::string_view kPrefix = "listening on http://";
  line = Trim(line);
  if (!line.starts_with(kPrefix)) return false;
  std::string_view rest = line.substr(kPrefix.size());
  rest = rest.substr(0, rest.find('/'));
  size_t colon;
  if (rest.starts_with('[')) {
    const size_t close = rest.find(']');
    if (close == std::string_view::npos || close + 1 >= rest.size() || rest[close + 1] != ':') {
      return false;
    }
    host = std::string(rest.substr(1, close - 1));
    colon = close + 1;
  } else {
    colon = rest.rfind(':');
    if (colon == std::string_view::npos || colon == 0) return false;
    host = std::string(rest.substr(0, colon));
  }
  std::string_view digits = rest.substr(colon + 1);
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
  return ec == std::errc() && end == digits.data() + digits.size() && port > 0 && port < 65536;
}

}  // namespace

// ---------------------------------------------------------------------------------------
// QuanzeBinary, TempDir, RunCommand

std::string QuanzeBinary() {
  std::string path;
  if (const char* env = std::getenv("QUANZE_BIN"); env != nullptr && *env != '\0') {
    path = env;
  } else {
#ifdef QUANZE_BIN_DEFAULT
    path = QUANZE_BIN_DEFAULT;
#else
    throw HarnessError(
        "QUANZE_BIN is not set and the harness was built without QUANZE_BIN_DEFAULT");
#endif
  }
  if (::access(path.c_str(), X_OK) != 0) {
    throw HarnessError(ErrnoText("quanze binary " + path +
                                 " is not executable (build it, or "
                                 "set QUANZE_BIN)"));
  }
  return path;
}

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string tmpl =
      std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/quanze-test-XXXXXX";
  if (::mkdtemp(tmpl.data()) == nullptr) throw HarnessError(ErrnoText("mkdtemp " + tmpl));
  path_ = tmpl;
}

TempDir::~TempDir() {
  if (const char* keep = std::getenv("QUANZE_TEST_KEEP_TMP"); keep != nullptr && *keep == '1') {
    std::cerr << "[harness] kept temp dir " << path_ << "\n";
    return;
  }
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string TempDir::File(std::string_view name) const { return path_ + "/" + std::string(name); }

CommandResult RunCommand(const std::vector<std::string>& argv, const std::string& stdin_data,
                         const std::vector<std::string>& extra_env, milliseconds timeout) {
  auto [in_r, in_w] = MakePipe();
  auto [out_r, out_w] = MakePipe();
  auto [err_r, err_w] = MakePipe();
  const pid_t pid = Spawn(argv, extra_env, in_r.get(), out_w.get(), err_w.get());
  in_r.reset();
  out_w.reset();
  err_w.reset();
  ::fcntl(in_w.get(), F_SETFL, ::fcntl(in_w.get(), F_GETFL) | O_NONBLOCK);
  if (stdin_data.empty()) in_w.reset();

  CommandResult result;
  size_t written = 0;
  const Clock::time_point deadline = Clock::now() + timeout;
  std::optional<int> exit_code;
  Clock::time_point grace_end;  // after the child exits: wait this long for pipe EOF
  while (out_r.get() >= 0 || err_r.get() >= 0) {
    if (!exit_code && (exit_code = TryReap(pid))) {
      grace_end = Clock::now() + std::chrono::seconds(1);
      in_w.reset();
    }
    if (exit_code && Clock::now() >= grace_end) break;  // a grandchild holds the pipes
    if (!exit_code && Clock::now() >= deadline) {
      KillAndReap(pid);
      throw HarnessError("command timed out after " + std::to_string(timeout.count()) +
                         " ms and was killed: " + JoinArgv(argv) + "\nstdout: " + Tail(result.out) +
                         "\nstderr: " + Tail(result.err));
    }
    pollfd fds[3] = {{in_w.get(), POLLOUT, 0}, {out_r.get(), POLLIN, 0}, {err_r.get(), POLLIN, 0}};
    const int wait_ms = exit_code ? RemainingMs(grace_end) : std::min(RemainingMs(deadline), 50);
    if (::poll(fds, 3, wait_ms) < 0 && errno != EINTR) throw HarnessError(ErrnoText("poll"));
    if (fds[0].revents != 0 && in_w.get() >= 0) {
      ssize_t n = ::write(in_w.get(), stdin_data.data() + written, stdin_data.size() - written);
      if (n > 0) written += static_cast<size_t>(n);
      if ((n < 0 && errno != EAGAIN && errno != EINTR) || written == stdin_data.size()) {
        in_w.reset();  // done, or the child closed its stdin (EPIPE)
      }
    }
    if (fds[1].revents != 0) ReadInto(out_r, result.out);
    if (fds[2].revents != 0) ReadInto(err_r, result.err);
  }
  in_w.reset();
  while (!exit_code) {
    if ((exit_code = TryReap(pid))) break;
    if (Clock::now() >= deadline) {
      KillAndReap(pid);
      throw HarnessError("command closed its output but did not exit within " +
                         std::to_string(timeout.count()) + " ms: " + JoinArgv(argv));
    }
    std::this_thread::sleep_for(milliseconds(5));
  }
  result.exit_code = *exit_code;
  return result;
}

// ---------------------------------------------------------------------------------------
// ServerProcess

ServerProcess::ServerProcess(Key) {}

std::unique_ptr<ServerProcess> ServerProcess::Start(const std::vector<std::string>& argv,
                                                    const std::vector<std::string>& extra_env,
                                                    milliseconds startup_timeout) {
  auto [out_r, out_w] = MakePipe();
  auto [err_r, err_w] = MakePipe();
  auto server = std::make_unique<ServerProcess>(Key{});
  server->pid_ = Spawn(argv, extra_env, -1, out_w.get(), err_w.get());
  out_w.reset();
  err_w.reset();
  server->out_fd_ = out_r.release();
  server->err_fd_ = err_r.release();
  server->wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (server->wake_fd_ < 0) throw HarnessError(ErrnoText("eventfd"));
  ServerProcess* raw = server.get();
  server->drain_ = std::thread([raw] { raw->DrainLoop(); });

  std::string first_line;
  bool got_line = false;
  bool out_closed = false;
  {
    std::unique_lock lock(server->mu_);
    server->cv_.wait_for(lock, startup_timeout, [&] {
      return server->out_.find('\n') != std::string::npos || server->out_eof_;
    });
    got_line = server->out_.find('\n') != std::string::npos;
    out_closed = server->out_eof_;
    if (got_line) first_line = server->out_.substr(0, server->out_.find('\n'));
  }
  if (got_line && ParseListeningLine(first_line, server->host_, server->port_)) return server;

  std::string why;
  if (got_line) {
    why =
        "printed a first line that is not `listening on http://HOST:PORT`: \"" + first_line + "\"";
  } else if (out_closed) {
    why = "closed stdout before printing a line";
  } else {
    why = "printed no line within " + std::to_string(startup_timeout.count()) + " ms";
  }
  const int code = server->Kill();
  throw HarnessError("server " + why + " (exit status " + std::to_string(code) +
                     "): " + JoinArgv(argv) + "\nstderr: " + Tail(server->stderr_text()));
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0 && !exit_code_) exit_code_ = KillAndReap(pid_);
  StopDrainThread();
  if (::testing::Test::HasFailure()) {
    std::cerr << "---- server pid " << pid_ << " stderr (tail) ----\n"
              << Tail(stderr_text()) << "\n---- end of server stderr ----\n";
  }
  for (int fd : {out_fd_, err_fd_, wake_fd_}) {
    if (fd >= 0) ::close(fd);
  }
}

void ServerProcess::DrainLoop() {
  Fd out(out_fd_);
  Fd err(err_fd_);
  out_fd_ = err_fd_ = -1;  // owned by this thread from now on
  std::string chunk;
  while (out.get() >= 0 || err.get() >= 0) {
    pollfd fds[3] = {{out.get(), POLLIN, 0}, {err.get(), POLLIN, 0}, {wake_fd_, POLLIN, 0}};
    if (::poll(fds, 3, -1) < 0 && errno != EINTR) break;
    if (fds[2].revents != 0) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].revents == 0) continue;
      Fd& fd = i == 0 ? out : err;
      chunk.clear();
      const bool open = ReadInto(fd, chunk);
      std::lock_guard lock(mu_);
      (i == 0 ? out_ : err_) += chunk;
      if (!open) (i == 0 ? out_eof_ : err_eof_) = true;
      cv_.notify_all();
    }
  }
  std::lock_guard lock(mu_);
  out_eof_ = err_eof_ = true;
  cv_.notify_all();
}

void ServerProcess::StopDrainThread() {
  if (!drain_.joinable()) return;
  const uint64_t one = 1;
  [[maybe_unused]] ssize_t n = ::write(wake_fd_, &one, sizeof one);
  drain_.join();
}

std::string ServerProcess::base_url() const {
  const bool v6 = host_.find(':') != std::string::npos;
  return "http://" + (v6 ? "[" + host_ + "]" : host_) + ":" + std::to_string(port_);
}

void ServerProcess::Signal(int sig) {
  if (exit_code_ || pid_ <= 0) return;  // a reaped pid may belong to someone else now
  if (::kill(pid_, sig) != 0 && errno != ESRCH) throw HarnessError(ErrnoText("kill"));
}

int ServerProcess::Wait(milliseconds timeout) {
  const Clock::time_point deadline = Clock::now() + timeout;
  while (!exit_code_) {
    if ((exit_code_ = TryReap(pid_))) break;
    if (Clock::now() >= deadline) {
      throw HarnessError("server pid " + std::to_string(pid_) + " still running after " +
                         std::to_string(timeout.count()) + " ms\nstderr: " + Tail(stderr_text()));
    }
    std::this_thread::sleep_for(milliseconds(10));
  }
  WaitDrained(std::chrono::seconds(2));
  return *exit_code_;
}

int ServerProcess::Kill() {
  if (!exit_code_) exit_code_ = KillAndReap(pid_);
  return Wait();
}

bool ServerProcess::Running() {
  if (!exit_code_) exit_code_ = TryReap(pid_);
  return !exit_code_;
}

void ServerProcess::WaitDrained(milliseconds grace) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, grace, [&] { return out_eof_ && err_eof_; });
}

std::string ServerProcess::stdout_text() const {
  std::lock_guard lock(mu_);
  return out_;
}

std::string ServerProcess::stderr_text() const {
  std::lock_guard lock(mu_);
  return err_;
}

bool ServerProcess::WaitForText(const std::string& stream, const bool& eof, std::string_view needle,
                                milliseconds timeout) const {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, timeout, [&] { return stream.find(needle) != std::string::npos || eof; });
  return stream.find(needle) != std::string::npos;
}

bool ServerProcess::WaitForStdout(std::string_view needle, milliseconds timeout) const {
  return WaitForText(out_, out_eof_, needle, timeout);
}

bool ServerProcess::WaitForStderr(std::string_view needle, milliseconds timeout) const {
  return WaitForText(err_, err_eof_, needle, timeout);
}

// ---------------------------------------------------------------------------------------
// HTTP

namespace {

// Thrown when the connection ended before the first byte of a reply: on a reused
// keep-alive connection this means the server closed it while idle, and a retry is safe.
class NoReply : public HarnessError {
 public:
  using HarnessError::HarnessError;
};

Fd Connect(const std::string& host, int port, Clock::time_point deadline) {
  IgnoreSigpipeOnce();
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* res = nullptr;
  const std::string where = host + ":" + std::to_string(port);
  if (int rc = ::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &res); rc != 0) {
    throw HarnessError("cannot resolve " + where + ": " + ::gai_strerror(rc));
  }
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> guard(res, &::freeaddrinfo);
  Fd fd(::socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (fd.get() < 0) throw HarnessError(ErrnoText("socket"));
  const int one = 1;
  ::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (::connect(fd.get(), res->ai_addr, res->ai_addrlen) != 0) {
    if (errno != EINPROGRESS) throw HarnessError(ErrnoText("connect to " + where));
    pollfd p{fd.get(), POLLOUT, 0};
    if (::poll(&p, 1, RemainingMs(deadline)) != 1) {
      throw HarnessError("connect to " + where + ": timed out");
    }
    int err = 0;
    socklen_t len = sizeof err;
    ::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0) throw HarnessError(ErrnoText("connect to " + where, err));
  }
  return fd;
}

void SendAll(int fd, std::string_view data, Clock::time_point deadline) {
  while (!data.empty()) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n >= 0) {
      data.remove_prefix(static_cast<size_t>(n));
      continue;
    }
    if (errno == EPIPE || errno == ECONNRESET) throw NoReply(ErrnoText("send"));
    if (errno != EAGAIN && errno != EINTR) throw HarnessError(ErrnoText("send"));
    pollfd p{fd, POLLOUT, 0};
    if (::poll(&p, 1, RemainingMs(deadline)) == 0) throw HarnessError("send: timed out");
  }
}

// Appends received bytes to buf; false at EOF (a reset counts as EOF). Throws on timeout.
bool RecvSome(int fd, std::string& buf, Clock::time_point deadline) {
  char chunk[65536];
  for (;;) {
    ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n > 0) {
      buf.append(chunk, static_cast<size_t>(n));
      return true;
    }
    if (n == 0 || errno == ECONNRESET) return false;
    if (errno != EAGAIN && errno != EINTR) throw HarnessError(ErrnoText("recv"));
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, RemainingMs(deadline)) == 0) throw HarnessError("no reply: timed out");
  }
}

// Reads one response from buf_, calling more_ (which appends to buf_ and returns false at
// EOF) when it needs bytes. Consumed bytes are erased from buf_; any excess stays.
class ResponseReader {
 public:
  ResponseReader(std::string& buf, std::function<bool(std::string&)> more)
      : buf_(buf), more_(std::move(more)) {}

  // The response, and whether the connection cannot carry another request.
  std::pair<HttpResponse, bool> Read(std::string_view method) {
    HttpResponse r;
    int minor = 1;
    do {  // skip interim 1xx replies
      r = HttpResponse{};
      const std::string status_line = Line();
      if (status_line.size() < 12 || !status_line.starts_with("HTTP/1.") || status_line[8] != ' ' ||
          std::from_chars(status_line.data() + 9, status_line.data() + 12, r.status).ec !=
              std::errc()) {
        throw HarnessError("bad status line: \"" + status_line + "\"");
      }
      minor = status_line[7] - '0';
      ReadHeaders(r);
    } while (r.status >= 100 && r.status < 200 && r.status != 101);

    const std::string connection = Lower(r.Header("connection"));
    bool close = connection.find("close") != std::string::npos ||
                 (minor == 0 && connection.find("keep-alive") == std::string::npos);
    const bool no_body = method == "HEAD" || r.status == 204 || r.status == 304;
    if (no_body) {
    } else if (Lower(r.Header("transfer-encoding")).find("chunked") != std::string::npos) {
      ReadChunked(r);
    } else if (const std::string len = r.Header("content-length"); !len.empty()) {
      size_t n = 0;
      if (std::from_chars(len.data(), len.data() + len.size(), n).ec != std::errc()) {
        throw HarnessError("bad Content-Length: " + len);
      }
      r.body = Take(n);
    } else {
      while (more_(buf_)) {
      }
      r.body = buf_.substr(pos_);
      pos_ = buf_.size();
      close = true;
    }
    buf_.erase(0, pos_);
    return {std::move(r), close};
  }

 private:
  void Need(size_t n) {
    while (buf_.size() - pos_ < n) {
      if (!more_(buf_)) {
        if (pos_ == 0 && buf_.empty()) throw NoReply("connection closed before any reply");
        throw HarnessError("connection closed in the middle of a reply");
      }
    }
  }

  std::string Line() {
    size_t eol;
    while ((eol = buf_.find("\r\n", pos_)) == std::string::npos) {
      if (buf_.size() - pos_ > (1 << 20)) throw HarnessError("reply line over 1 MiB");
      Need(buf_.size() - pos_ + 1);
    }
    std::string line = buf_.substr(pos_, eol - pos_);
    pos_ = eol + 2;
    return line;
  }

  std::string Take(size_t n) {
    Need(n);
    std::string out = buf_.substr(pos_, n);
    pos_ += n;
    return out;
  }

  void ReadHeaders(HttpResponse& r) {
    for (std::string line = Line(); !line.empty(); line = Line()) {
      const size_t colon = line.find(':');
      if (colon == std::string::npos || colon == 0) throw HarnessError("bad header: " + line);
      const std::string name = Lower(Trim(std::string_view(line).substr(0, colon)));
      const std::string value(Trim(std::string_view(line).substr(colon + 1)));
      if (name == "set-cookie") r.set_cookies.push_back(value);
      auto [it, inserted] = r.headers.emplace(name, value);
      if (!inserted) it->second += ", " + value;
    }
  }

  void ReadChunked(HttpResponse& r) {
    for (;;) {
      const std::string line = Line();
      const std::string_view size_text = Trim(std::string_view(line).substr(0, line.find(';')));
      size_t n = 0;
      auto [end, ec] =
          std::from_chars(size_text.data(), size_text.data() + size_text.size(), n, 16);
      if (ec != std::errc() || end != size_text.data() + size_text.size()) {
        throw HarnessError("bad chunk size line: \"" + line + "\"");
      }
      if (n == 0) break;
      r.body += Take(n);
      if (!Line().empty()) throw HarnessError("chunk not followed by CRLF");
    }
    HttpResponse trailers;
    ReadHeaders(trailers);
  }

  std::string& buf_;
  std::function<bool(std::string&)> more_;
  size_t pos_ = 0;
};

// An idle keep-alive connection that is readable has been closed (or was sent an
// unsolicited reply such as 408): either way it cannot carry a request.
bool IdleConnectionIsStale(int fd) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, 0) != 0;
}

bool HasHeader(const Headers& headers, std::string_view name) {
  return std::any_of(headers.begin(), headers.end(),
                     [&](const auto& h) { return Lower(h.first) == Lower(name); });
}

}  // namespace

nlohmann::json HttpResponse::Json() const {
  try {
    return nlohmann::json::parse(body);
  } catch (const nlohmann::json::exception& e) {
    throw HarnessError("reply body is not JSON (status " + std::to_string(status) + ", " +
                       e.what() + "): " + Tail(body, 500));
  }
}

std::string HttpResponse::Header(std::string_view name) const {
  auto it = headers.find(Lower(name));
  return it == headers.end() ? "" : it->second;
}

std::string HttpResponse::Cookie(std::string_view name) const {
  for (const std::string& c : set_cookies) {
    std::string_view pair = std::string_view(c).substr(0, c.find(';'));
    const size_t eq = pair.find('=');
    if (eq != std::string_view::npos && Trim(pair.substr(0, eq)) == name) {
      return std::string(Trim(pair.substr(eq + 1)));
    }
  }
  return "";
}

HttpResponse ParseResponse(std::string_view raw, std::string_view method) {
  std::string buf(raw);
  return ResponseReader(buf, [](std::string&) { return false; }).Read(method).first;
}

HttpClient::HttpClient(int port, std::string host) : host_(std::move(host)), port_(port) {}

HttpClient::~HttpClient() { Close(); }

void HttpClient::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  pending_.clear();
}

void HttpClient::Open(Clock::time_point deadline) {
  Close();
  fd_ = Connect(host_, port_, deadline).release();
  ++connections_opened_;
}

void HttpClient::SetDefaultHeader(std::string name, std::string value) {
  std::erase_if(defaults_, [&](const auto& h) { return Lower(h.first) == Lower(name); });
  if (!value.empty()) defaults_.emplace_back(std::move(name), std::move(value));
}

HttpResponse HttpClient::Request(std::string_view method, std::string_view path,
                                 std::string_view body, const Headers& headers) {
  std::string req = std::string(method) + " " + std::string(path) + " HTTP/1.1\r\n";
  auto add = [&req](std::string_view name, std::string_view value) {
    req.append(name).append(": ").append(value).append("\r\n");
  };
  if (!HasHeader(headers, "host")) add("Host", host_ + ":" + std::to_string(port_));
  for (const auto& [name, value] : defaults_) {
    if (!HasHeader(headers, name)) add(name, value);
  }
  for (const auto& [name, value] : headers) add(name, value);
  if (!body.empty() && !HasHeader(headers, "content-type")) add("Content-Type", "application/json");
  const bool sends_length =
      !body.empty() || method == "POST" || method == "PUT" || method == "PATCH";
  if (sends_length && !HasHeader(headers, "content-length") &&
      !HasHeader(headers, "transfer-encoding")) {
    add("Content-Length", std::to_string(body.size()));
  }
  req.append("\r\n").append(body);

  const Clock::time_point deadline = Clock::now() + timeout_;
  for (int attempt = 0;; ++attempt) {
    if (fd_ >= 0 && (!pending_.empty() || IdleConnectionIsStale(fd_))) Close();
    const bool reused = fd_ >= 0;
    try {
      if (fd_ < 0) Open(deadline);
      SendAll(fd_, req, deadline);
      ResponseReader reader(pending_,
                            [&](std::string& buf) { return RecvSome(fd_, buf, deadline); });
      auto [response, must_close] = reader.Read(method);
      if (must_close) Close();
      return std::move(response);
    } catch (const NoReply& e) {
      Close();
      if (!reused || attempt > 0) {
        throw HarnessError(std::string(method) + " " + std::string(path) + ": " + e.what());
      }
    } catch (const HarnessError& e) {
      Close();
      throw HarnessError(std::string(method) + " " + std::string(path) + ": " + e.what());
    }
  }
}

HttpResponse HttpClient::Get(std::string_view path, const Headers& headers) {
  return Request("GET", path, {}, headers);
}

HttpResponse HttpClient::Post(std::string_view path, std::string_view body,
                              const Headers& headers) {
  return Request("POST", path, body, headers);
}

HttpResponse HttpClient::PostJson(std::string_view path, const nlohmann::json& body,
                                  const Headers& headers) {
  return Request("POST", path, body.dump(), headers);
}

HttpResponse HttpClient::Put(std::string_view path, std::string_view body, const Headers& headers) {
  return Request("PUT", path, body, headers);
}

HttpResponse HttpClient::Patch(std::string_view path, std::string_view body,
                               const Headers& headers) {
  return Request("PATCH", path, body, headers);
}

HttpResponse HttpClient::Delete(std::string_view path, const Headers& headers) {
  return Request("DELETE", path, {}, headers);
}

HttpResponse HttpClient::Once(int port, std::string_view method, std::string_view path,
                              std::string_view body, const Headers& headers) {
  HttpClient client(port);
  Headers with_close = headers;
  with_close.emplace_back("Connection", "close");
  return client.Request(method, path, body, with_close);
}

std::string RawExchange(int port, std::string_view bytes, milliseconds timeout) {
  const Clock::time_point deadline = Clock::now() + timeout;
  Fd fd = Connect("127.0.0.1", port, deadline);
  std::string received;
  try {
    SendAll(fd.get(), bytes, deadline);
  } catch (const HarnessError&) {
    // The server closed before taking every byte; it may still have replied.
  }
  try {
    while (RecvSome(fd.get(), received, deadline)) {
    }
  } catch (const HarnessError&) {
    // The time is up: return what arrived.
  }
  return received;
}

}  // namespace quanze::testing
