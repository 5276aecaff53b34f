// Integration-test harness: drives the real `quanze` binary as a child process and
// speaks HTTP/1.1 to it over loopback. No quanze code is linked in; tests go through the
// command-line and wire contracts exactly as an operator, a script or a browser would.
//
// Failures of the harness itself (a program that cannot start, a timeout, malformed HTTP)
// throw HarnessError; gtest reports an exception thrown in a test body as a failure that
// carries the message. Expected outcomes (exit codes, HTTP statuses) are values to assert.
//
// Process-wide effect: the first RunCommand / ServerProcess / HttpClient use sets SIGPIPE
// to SIG_IGN in the test process (a child that stops reading must not kill the test).
// Children always start with default signal dispositions and an empty signal mask.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace quanze::testing {

// Thrown when the harness cannot do what it was asked (not for a non-zero exit code or a
// 4xx/5xx status: those are results).
class HarnessError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Path of the quanze binary under test: $QUANZE_BIN when set and non-empty, else the
// compile definition QUANZE_BIN_DEFAULT. Throws HarnessError when neither names an
// executable file.
std::string QuanzeBinary();

// A fresh directory (mkdtemp under $TMPDIR, else /tmp) removed with its contents by the
// destructor. Set QUANZE_TEST_KEEP_TMP=1 to keep it for a post-mortem (its path is
// printed to stderr). Not copyable or movable.
class TempDir {
 public:
  TempDir();  // throws HarnessError when the directory cannot be created
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // path() + "/" + name; creates nothing.
  std::string File(std::string_view name) const;

 private:
  std::string path_;
};

struct CommandResult {
  int exit_code = -1;  // exit status, or 128 + signal number when killed by a signal
  std::string out;
  std::string err;
};

// Runs argv (argv[0] looked up in this process's PATH when it has no '/'; no shell) with stdin_data
// on its stdin, then EOF; captures stdout and stderr concurrently (no pipe deadlock). extra_env
// holds "NAME=VALUE" entries added to (or replacing in) this process's environment. Throws
// HarnessError when the program cannot be started, or when it runs past `timeout` (the child is
// then SIGKILLed and reaped first). Thread-safe.
CommandResult RunCommand(const std::vector<std::string>& argv, const std::string& stdin_data = "",
                         const std::vector<std::string>& extra_env = {},
                         std::chrono::milliseconds timeout = std::chrono::seconds(120));

// A long-running child such as `quanze serve --listen 127.0.0.1:0`, whose FIRST stdout
// line must be `listening on http://HOST:PORT`. A background thread drains stdout and
// stderr into buffers for the child's whole life, so the child never blocks on a full
// pipe. Signals reach the child only, not processes it started. The destructor SIGKILLs
// the child if it still runs, and, when the current gtest
// test has failed, prints the tail of its stderr. Methods are for one thread, except
// stdout_text / stderr_text / WaitFor*, which any thread may call.
class ServerProcess {
  struct Key {
    explicit Key() = default;
  };

 public:
  // Spawns argv (stdin is /dev/null) and waits up to startup_timeout for the first
  // stdout line. Throws HarnessError, with the child's stderr in the message, when the
  // child cannot start, exits or closes stdout first, stays silent too long, or prints a
  // first line that is not a listening line; the child is killed in every such case.
  static std::unique_ptr<ServerProcess> Start(
      const std::vector<std::string>& argv, const std::vector<std::string>& extra_env = {},
      std::chrono::milliseconds startup_timeout = std::chrono::seconds(30));

  explicit ServerProcess(Key);  // use Start()
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  int pid() const { return pid_; }
  const std::string& host() const { return host_; }  // as printed, IPv6 without brackets
  int port() const { return port_; }
  std::string base_url() const;  // "http://HOST:PORT", IPv6 in brackets

  // Sends sig to the child; does nothing once the child has been reaped.
  void Signal(int sig);
  // Waits for the child to exit and returns its exit status (128 + signal number when a
  // signal killed it); then waits up to 2 s more for the output pipes to reach EOF so the
  // buffers are complete. Throws HarnessError if the child still runs after `timeout`
  // (it is left running; the destructor will kill it). Returns the same value again
  // when called after the child was reaped.
  int Wait(std::chrono::milliseconds timeout = std::chrono::seconds(30));
  // SIGKILL, then Wait(): returns 137 unless the child had already exited.
  int Kill();
  // True while the child has not exited (reaps it when it has).
  bool Running();

  std::string stdout_text() const;  // everything read so far, first line included
  std::string stderr_text() const;
  // Waits until the stream contains needle; false on timeout or when the stream ended
  // without it.
  bool WaitForStdout(std::string_view needle,
                     std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;
  bool WaitForStderr(std::string_view needle,
                     std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;

 private:
  void DrainLoop();
  bool WaitForText(const std::string& stream, const bool& eof, std::string_view needle,
                   std::chrono::milliseconds timeout) const;
  void WaitDrained(std::chrono::milliseconds grace);
  void StopDrainThread();

  int pid_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  int wake_fd_ = -1;  // eventfd: written to stop the drain thread
  std::optional<int> exit_code_;
  std::string host_;
  int port_ = 0;
  std::thread drain_;

  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  std::string out_;       // guarded by mu_
  std::string err_;       // guarded by mu_
  bool out_eof_ = false;  // guarded by mu_
  bool err_eof_ = false;  // guarded by mu_
};

// Request headers in order; names are sent as given, duplicates allowed.
using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpResponse {
  int status = 0;
  // Lower-cased names; a repeated header's values are joined with ", " (Set-Cookie
  // excepted: see set_cookies).
  std::map<std::string, std::string> headers;
  std::string body;                      // de-chunked
  std::vector<std::string> set_cookies;  // every Set-Cookie value, in order

  // The body parsed as JSON; throws HarnessError (status and body in the message) when it
  // is not JSON.
  nlohmann::json Json() const;
  // Value of the header (name matched case-insensitively); "" when absent.
  std::string Header(std::string_view name) const;
  // Value of the first Set-Cookie named `name` (attributes stripped); "" when absent.
  std::string Cookie(std::string_view name) const;
};

// Parses one complete HTTP/1.x response held in raw (e.g. from RawExchange); `method` is
// the request's, since a reply to HEAD has no body. Throws HarnessError when raw is not a
// complete response.
HttpResponse ParseResponse(std::string_view raw, std::string_view method = "GET");

// A blocking HTTP/1.1 client over one persistent keep-alive connection (TCP_NODELAY),
// opened lazily and reopened when the server closed it. Bodies are read by
// Content-Length, chunked encoding, or to EOF. A request that got no byte of reply on a
// reused connection (the server closed it while idle) is sent once more on a new one.
// Every I/O step is bounded by timeout() (default 30 s). Throws HarnessError on connect
// failure, timeout or malformed reply, after closing the connection. One thread at a time.
class HttpClient {
 public:
  explicit HttpClient(int port, std::string host = "127.0.0.1");
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Adds Host; Content-Length when a body is given or the method is POST/PUT/PATCH;
  // Content-Type: application/json when a body is given; each only if not in headers.
  HttpResponse Request(std::string_view method, std::string_view path, std::string_view body = {},
                       const Headers& headers = {});
  HttpResponse Get(std::string_view path, const Headers& headers = {});
  HttpResponse Post(std::string_view path, std::string_view body, const Headers& headers = {});
  HttpResponse PostJson(std::string_view path, const nlohmann::json& body,
                        const Headers& headers = {});
  HttpResponse Put(std::string_view path, std::string_view body, const Headers& headers = {});
  HttpResponse Patch(std::string_view path, std::string_view body, const Headers& headers = {});
  HttpResponse Delete(std::string_view path, const Headers& headers = {});

  // One request on a fresh connection with `Connection: close`, then closed.
  static HttpResponse Once(int port, std::string_view method, std::string_view path,
                           std::string_view body = {}, const Headers& headers = {});

  // A header sent with every request unless the request names it too, e.g.
  // SetDefaultHeader("Authorization", "Bearer " + token). An empty value removes it.
  void SetDefaultHeader(std::string name, std::string value);
  void set_timeout(std::chrono::milliseconds timeout) { timeout_ = timeout; }
  std::chrono::milliseconds timeout() const { return timeout_; }
  // Closes the connection now; the next request opens a new one.
  void Close();
  // How many TCP connections this client has opened (keep-alive checks).
  int connections_opened() const { return connections_opened_; }

 private:
  void Open(std::chrono::steady_clock::time_point deadline);

  std::string host_;
  int port_;
  std::chrono::milliseconds timeout_ = std::chrono::seconds(30);
  int fd_ = -1;
  std::string pending_;  // bytes received but not yet consumed
  int connections_opened_ = 0;
  Headers defaults_;
};

// Connects to 127.0.0.1:port, writes bytes as they are (no framing added), and returns
// everything the server sends until it closes the connection or `timeout` passes (no
// error then: the test inspects what came back). For malformed or hand-built requests.
// Throws HarnessError only when the connection cannot be made.
std::string RawExchange(int port, std::string_view bytes,
                        std::chrono::milliseconds timeout = std::chrono::seconds(5));

}  // namespace quanze::testing
