// StaticFiles: serves the built web front end (web/dist) with an index.html
// fallback for deep links, long cache lifetimes for hashed assets, and
// precompressed .gz files when the client accepts gzip.
#pragma once

#include <string>

#include "http/router.h"

namespace quanze::http {

class StaticFiles {
 public:
  explicit StaticFiles(std::string root) : root_(std::move(root)) {}
  bool enabled() const { return !root_.empty(); }
  // `path` is decoded and starts with '/'. Never escapes the root.
  Reply Serve(const std::string& path, const std::string& accept_encoding) const;

 private:
  std::string root_;
};

}  // namespace quanze::http
