#include "http/server.h"

#include <signal.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <random>
#include <restinio/all.hpp>
#include <thread>

#include "http/abuse_guard.h"
#include "http/client_address.h"
#include "http/static_files.h"

namespace quanze::http {
namespace {

struct Traits : public restinio::default_traits_t {
  using request_handler_t = restinio::default_request_handler_t;
};
using HttpServer = restinio::http_server_t<Traits>;

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string CookieValue(const std::string& cookie_header, std::string_view name) {
  std::size_t pos = 0;
  while (pos < cookie_header.size()) {
    std::size_t end = cookie_header.find(';', pos);
    if (end == std::string::npos) end = cookie_header.size();
    std::string_view part(cookie_header.data() + pos, end - pos);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    if (part.size() > name.size() && part.substr(0, name.size()) == name && part[name.size()] == '=') {
      return std::string(part.substr(name.size() + 1));
    }
    pos = end + 1;
  }
  return {};
}

// Keeps only characters that need no JSON escaping (routes and methods are ours).
std::string JsonSafe(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c != '"' && c != '\\' && static_cast<unsigned char>(c) >= 0x20) out += c;
  }
  return out;
}

bool ConstantTimeEqual(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

// A random id for an unexpected error: in the 500 answer and the request log.
std::string NewIncidentId() {
  std::random_device rd;
  std::uint64_t v = (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
  return fmt::format("{:016x}", v);
}

const char* Reason(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 503: return "Service Unavailable";
    default: return status >= 500 ? "Internal Server Error" : "OK";
  }
}

// Turns a RESTinio request into a Request, runs auth and the route, and
// writes the Reply (possibly later, from the writer thread).
class Dispatcher {
 public:
  Dispatcher(app::App& app, Router& router, std::shared_ptr<spdlog::logger> log,
             TrustedProxies proxies)
      : app_(app),
        router_(router),
        log_(std::move(log)),
        static_(app.config().web_root),
        proxies_(std::move(proxies)),
        guard_(app.config()) {}

  std::atomic<int> inflight{0};
  // Set on SIGTERM: requests still arriving on open keep-alive connections are
  // refused (503) and every response closes its connection, so the requests in
  // flight can finish without new ones keeping the server busy.
  std::atomic<bool> stopping{false};

  restinio::request_handling_status_t Handle(restinio::request_handle_t req) {
    inflight.fetch_add(1);
    auto started = std::chrono::steady_clock::now();
    auto r = std::make_shared<Request>();
    auto once = std::make_shared<std::atomic<bool>>(false);
    r->method = std::string(req->header().method().c_str());
    r->client = req->remote_endpoint().address().to_string();
    Respond respond = [this, req, r, started, once](Reply reply) {
      if (once->exchange(true)) return;
      Send(req, *r, std::move(reply), started);
      inflight.fetch_sub(1);
    };
    if (stopping.load()) {
      r->route = "(stopping)";
      respond(Reply::Problem(MakeError(ErrorCode::kUnavailable, "服务正在停止，请稍后重试",
                                       "the server is shutting down; try again shortly")));
      return restinio::request_accepted();
    }
    try {
      Route(req, r, respond);
    } catch (const std::exception& e) {
      // Type confusion in a handler's reading of the body is the client's; anything else is ours.
      if (auto client = ClientJsonError(e)) {
        respond(Reply::Problem(*client));
      } else {
        Reply reply = Reply::Problem(
            MakeError(ErrorCode::kInternal, "服务器内部错误", "internal server error"));
        reply.internal = std::string("handler exception: ") + e.what();
        respond(std::move(reply));
      }
    } catch (...) {
      Reply reply = Reply::Problem(
          MakeError(ErrorCode::kInternal, "服务器内部错误", "internal server error"));
      reply.internal = "handler exception of unknown type";
      respond(std::move(reply));
    }
    return restinio::request_accepted();
  }

 private:
  void Route(const restinio::request_handle_t& req, const std::shared_ptr<Request>& r,
             const Respond& respond) {
    auto decoded = PercentDecode(req->header().path(), false);
    if (!decoded || decoded->empty() || (*decoded)[0] != '/') {
      return respond(Reply::Problem(MakeError(ErrorCode::kBadRequest, "请求路径编码错误", "malformed request path")));
    }
    r->path = *decoded;
    auto query = ParseQuery(req->header().query());
    if (!query.ok()) return respond(Reply::Problem(query.error()));
    r->query = std::move(query).value();
    req->header().for_each_field([&](const restinio::http_header_field_t& f) {
      r->headers[Lower(f.name())] = f.value();
    });
    r->body = req->body();

    Router::Match m = router_.Find(r->method, r->path);
    if (!m.route) {
      if (!m.allowed.empty()) {
        std::string allow;
        for (const auto& a : m.allowed) allow += (allow.empty() ? "" : ", ") + a;
        Reply reply = Reply::Problem(MakeError(ErrorCode::kMethodNotAllowed,
                                               "该地址不支持 " + r->method + " 方法",
                                               "method " + r->method + " is not allowed here"));
        reply.headers.emplace_back("Allow", allow);
        r->route = "(method not allowed)";
        return respond(std::move(reply));
      }
      bool api = r->path.rfind("/api/", 0) == 0 || r->path == "/healthz";
      if (!api && (r->method == "GET" || r->method == "HEAD") && static_.enabled()) {
        r->route = "(static)";
        return respond(static_.Serve(r->path, r->Header("accept-encoding")));
      }
      r->route = "(none)";
      return respond(Reply::Problem(MakeError(ErrorCode::kNotFound, "没有这个地址：" + r->path,
                                              "no such resource: " + r->path)));
    }
    r->route = m.route->pattern;
    r->params = std::move(m.params);

    // Abuse limits per client address (sign-in, public writes), before any work.
    r->client = proxies_.ClientOf(r->client, r->Header("x-forwarded-for"));
    double now = std::chrono::duration<double>(app_.clock().Now().time_since_epoch()).count();
    if (auto refused = guard_.Admit(*m.route, r->client, now)) return respond(std::move(*refused));
    const http::Route* route = m.route;
    Respond counted = [this, route, r, respond](Reply reply) {
      double at = std::chrono::duration<double>(app_.clock().Now().time_since_epoch()).count();
      guard_.Answered(*route, r->client, reply.status, at);
      respond(std::move(reply));
    };

    // One body limit per route (RESTinio itself only stops bodies far beyond it).
    std::int64_t limit = BodyLimitBytes(m.route->body, app_.config().max_body_bytes);
    if (static_cast<std::int64_t>(r->body.size()) > limit) {
      return respond(Reply::Problem(MakeError(
          ErrorCode::kPayloadTooLarge,
          "请求体过大（此地址最多 " + std::to_string(limit) + " 字节）",
          "the request body is too large (at most " + std::to_string(limit) + " bytes here)",
          {{"max_bytes", limit}})));
    }

    // Credentials: a bearer token, else the session cookie.
    std::string auth = r->Header("authorization");
    bool via_cookie = false;
    if (auth.rfind("Bearer ", 0) == 0) {
      auto s = app_.accounts().AuthenticateBearer(auth.substr(7));
      if (!s.ok()) return respond(Unauthorized(s.error()));
      r->session = std::move(s).value();
    } else if (std::string cookie = CookieValue(r->Header("cookie"), "qz_session"); !cookie.empty()) {
      auto s = app_.accounts().AuthenticateSession(cookie);
      if (s.ok()) {
        r->session = std::move(s).value();
        via_cookie = true;
      } else if (m.route->access == Access::kUser) {
        return respond(Unauthorized(s.error()));
      }
    }
    if (m.route->access == Access::kUser) {
      if (!r->session) {
        return respond(Unauthorized(MakeError(ErrorCode::kUnauthenticated, "请先登录", "please sign in")));
      }
      bool safe = r->method == "GET" || r->method == "HEAD" || r->method == "OPTIONS";
      if (via_cookie && !safe &&
          !ConstantTimeEqual(r->Header("x-csrf-token"), r->session->csrf_token)) {
        return respond(Reply::Problem(MakeError(
            ErrorCode::kPreconditionFailed, "缺少或错误的 CSRF 令牌（X-CSRF-Token 请求头）",
            "missing or wrong CSRF token (X-CSRF-Token header)")));
      }
    }
    m.route->handler(*r, counted);
  }

  static Reply Unauthorized(const Error& e) {
    Reply reply = Reply::Problem(e);
    reply.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"quanze\"");
    return reply;
  }

  void Send(const restinio::request_handle_t& req, const Request& r, Reply reply,
            std::chrono::steady_clock::time_point started) {
    std::string incident_log;
    if (IsIncident(reply)) {
      std::string incident = NewIncidentId();
      incident_log =
          fmt::format(",\"incident\":\"{}\",\"error\":{}", incident,
                      nlohmann::json(LogSafeInternal(reply.internal))
                          .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
      reply = WithoutInternalText(std::move(reply), incident);
    }
    restinio::http_status_line_t status_line{
        restinio::http_status_code_t{static_cast<std::uint16_t>(reply.status)},
        Reason(reply.status)};
    auto add_headers = [&](auto& resp) {
      resp.append_header(restinio::http_field::content_type, reply.content_type);
      resp.append_header("X-Content-Type-Options", "nosniff");
      bool has_cache = false;
      for (auto& [name, value] : reply.headers) {
        has_cache = has_cache || Lower(name) == "cache-control";
        resp.append_header(name, value);
      }
      if (!has_cache) resp.append_header("Cache-Control", "no-store");
      if (stopping.load()) resp.connection_close();
    };
    if (r.method == "HEAD") {
      // The GET answer's headers and length, no body: RESTinio's default
      // builder would add its own Content-Length of 0.
      auto resp = req->create_response<restinio::user_controlled_output_t>(status_line);
      add_headers(resp);
      resp.set_content_length(reply.shared_body ? reply.shared_body->size() : reply.body.size());
      resp.done();
    } else {
      auto resp = req->create_response(status_line);
      add_headers(resp);
      if (reply.shared_body) {
        resp.set_body(restinio::writable_item_t{std::move(reply.shared_body)});
      } else {
        resp.set_body(std::move(reply.body));
      }
      resp.done();
    }
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    // One JSON line. Method and route come from our own route table (or a
    // fixed placeholder), so they need no escaping; nothing user-supplied is
    // logged. A 500 adds its incident id and the internal message (escaped).
    std::string user = r.session ? fmt::format(",\"user_id\":{}", r.session->user.id) : "";
    log_->info(
        "{{\"ts\":\"{}\",\"method\":\"{}\",\"route\":\"{}\",\"status\":{},\"latency_ms\":{:.3f}{}{}"
        "}}",
        FormatRfc3339(app_.clock().Now()), JsonSafe(r.method),
        r.route.empty() ? "(unparsed)" : JsonSafe(r.route), reply.status, ms, user, incident_log);
  }

  app::App& app_;
  Router& router_;
  std::shared_ptr<spdlog::logger> log_;
  StaticFiles static_;
  TrustedProxies proxies_;
  AbuseGuard guard_;
};

}  // namespace

Result<ServerOptions> ParseListen(const std::string& listen) {
  ServerOptions o;
  std::size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 >= listen.size()) {
    return MakeError(ErrorCode::kBadRequest, "监听地址应为 HOST:PORT，例如 127.0.0.1:8080",
                     "listen address must be HOST:PORT, e.g. 127.0.0.1:8080");
  }
  o.host = listen.substr(0, colon);
  if (o.host.size() > 2 && o.host.front() == '[' && o.host.back() == ']') {
    o.host = o.host.substr(1, o.host.size() - 2);
  }
  std::string port = listen.substr(colon + 1);
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
      std::stoi(port) > 65535) {
    return MakeError(ErrorCode::kBadRequest, "端口须为 0–65535 的整数", "port must be an integer 0–65535");
  }
  o.port = static_cast<unsigned short>(std::stoi(port));
  return o;
}

Status RunServer(app::App& app, const ServerOptions& options,
                 const std::function<void(const std::string&, unsigned short)>& on_listening) {
  auto log = spdlog::get("request");
  if (!log) {
    log = spdlog::stderr_logger_mt("request");
    log->set_pattern("%v");
  }
  QZ_ASSIGN_OR_RETURN(TrustedProxies proxies, TrustedProxies::Parse(app.config().trusted_proxies));
  Router router = BuildRouter(app);
  Dispatcher dispatcher(app, router, log, std::move(proxies));
  const app::Config& cfg = app.config();
  std::atomic<unsigned short> bound_port{0};
  int workers = options.workers > 0 ? options.workers
                                    : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));

  std::unique_ptr<HttpServer> server;
  try {
    server = std::make_unique<HttpServer>(
        restinio::own_io_context(),
        restinio::server_settings_t<Traits>{}
            .address(options.host)
            .port(options.port)
            .request_handler([&dispatcher](restinio::request_handle_t req) {
              return dispatcher.Handle(std::move(req));
            })
            .read_next_http_message_timelimit(std::chrono::seconds(cfg.read_timeout_seconds))
            .write_http_response_timelimit(std::chrono::seconds(cfg.write_timeout_seconds))
            .handle_request_timeout(std::chrono::seconds(cfg.handle_timeout_seconds))
            .max_pipelined_requests(8)
            .incoming_http_msg_limits(restinio::incoming_http_msg_limits_t{}
                                          .max_url_size(8192)
                                          .max_field_name_size(256)
                                          .max_field_value_size(16384)
                                          .max_field_count(100)
                                          // Routes refuse bodies over their own limit with a
                                          // 413; RESTinio drops the connection only beyond
                                          // this hard cap, 1 MiB over the largest route limit.
                                          .max_body_size(static_cast<std::uint64_t>(
                                              cfg.max_body_bytes + kJsonBodyLimitBytes)))
            .socket_options_setter(
                [](auto& opts) { opts.set_option(restinio::asio_ns::ip::tcp::no_delay{true}); })
            .acceptor_post_bind_hook([&bound_port](restinio::asio_ns::ip::tcp::acceptor& a) {
              bound_port = a.local_endpoint().port();
            }));
  } catch (const std::exception& e) {
    return MakeError(ErrorCode::kInternal, std::string("HTTP 服务创建失败：") + e.what(),
                     std::string("cannot create the HTTP server: ") + e.what());
  }

  restinio::on_pool_runner_t<HttpServer> runner{static_cast<std::size_t>(workers), *server};
  std::promise<std::exception_ptr> started;
  auto started_future = started.get_future();
  runner.start([&started]() noexcept { started.set_value(nullptr); },
               [&started](std::exception_ptr e) noexcept { started.set_value(e); });
  if (auto e = started_future.get()) {
    std::string what = "unknown";
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      what = ex.what();
    } catch (...) {
    }
    runner.stop();
    runner.wait();
    return MakeError(ErrorCode::kUnavailable, "无法监听 " + options.host + ":" + std::to_string(options.port) + "：" + what,
                     "cannot listen on " + options.host + ":" + std::to_string(options.port) + ": " + what);
  }
  on_listening(options.host, bound_port.load());

  // The deadline sweep (法定职责必须为): overdue steps, late disclosures and
  // unresolved bad ratings open accountability records. Runs on the writer.
  std::mutex sweep_mu;
  std::condition_variable sweep_cv;
  bool sweep_stop = false;
  std::thread sweeper;
  if (cfg.sweep_interval_seconds > 0) {
    sweeper = std::thread([&] {
      std::unique_lock lock(sweep_mu);
      while (!sweep_cv.wait_for(lock, std::chrono::seconds(cfg.sweep_interval_seconds),
                                [&] { return sweep_stop; })) {
        lock.unlock();
        auto r = app.writer().Run(app.cases().SweepWork());
        if (!r.ok()) log->warn(R"({{"event":"sweep_failed","reason":"{}"}})", r.error().message_en);
        lock.lock();
      }
    });
  }

  // Wait for SIGTERM/SIGINT (blocked in every thread by the caller).
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  int sig = 0;
  sigwait(&set, &sig);

  {
    std::lock_guard lock(sweep_mu);
    sweep_stop = true;
  }
  sweep_cv.notify_all();
  if (sweeper.joinable()) sweeper.join();

  // Stop accepting, let in-flight requests finish (bounded), then stop.
  dispatcher.stopping = true;
  std::promise<void> closed;
  server->close_async([&closed] { closed.set_value(); }, [&closed](std::exception_ptr) { closed.set_value(); });
  closed.get_future().wait_for(std::chrono::seconds(5));
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(cfg.handle_timeout_seconds);
  while (dispatcher.inflight.load() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  // Give the last responses a moment to leave the socket buffers.
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  runner.stop();
  runner.wait();
  log->flush();
  return Ok();
}

}  // namespace quanze::http
