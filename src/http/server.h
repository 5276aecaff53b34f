// Server: the HTTP/1.1 adapter on RESTinio (asio), with keep-alive, a worker
// pool sized to the cores, request size limits, timeouts for slow clients,
// a JSON-lines request log, the static web front end, and a graceful stop on
// SIGTERM/SIGINT (stop accepting, finish in-flight requests, then return).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "app/app.h"
#include "http/router.h"

namespace quanze::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 8080;
  int workers = 0;  // 0 = hardware concurrency
};

// Parses "HOST:PORT" ("[::1]:0" for IPv6). kBadRequest when malformed.
Result<ServerOptions> ParseListen(const std::string& listen);

// Builds the route table of the whole API.
Router BuildRouter(app::App& app);

// Runs the server until SIGTERM or SIGINT. `on_listening(host, port)` is
// called once the socket is bound (port 0 → the chosen port).
Status RunServer(app::App& app, const ServerOptions& options,
                 const std::function<void(const std::string&, unsigned short)>& on_listening);

}  // namespace quanze::http
