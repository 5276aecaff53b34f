#include "http/static_files.h"

#include <sys/stat.h>

#include <fstream>
#include <sstream>

namespace quanze::http {
namespace {

bool IsFile(const std::string& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::optional<std::string> ReadAll(const std::string& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string MimeType(const std::string& path) {
  auto ends = [&](std::string_view ext) {
    return path.size() >= ext.size() && path.compare(path.size() - ext.size(), ext.size(), ext) == 0;
  };
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".js") || ends(".mjs")) return "text/javascript; charset=utf-8";
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".json")) return "application/json; charset=utf-8";
  if (ends(".svg")) return "image/svg+xml";
  if (ends(".png")) return "image/png";
  if (ends(".ico")) return "image/x-icon";
  if (ends(".woff2")) return "font/woff2";
  if (ends(".txt")) return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

}  // namespace

Reply StaticFiles::Serve(const std::string& path, const std::string& accept_encoding) const {
  // Refuse any path that could climb out of the root.
  bool unsafe = path.find("..") != std::string::npos || path.find('\0') != std::string::npos ||
                path.find('\\') != std::string::npos;
  std::string rel = unsafe || path == "/" ? "/index.html" : path;
  std::string file = root_ + rel;
  bool fallback = false;
  if (!IsFile(file)) {
    // Deep links of the single-page app; missing assets are real 404s.
    if (rel.rfind("/assets/", 0) == 0) {
      return Reply::Problem(MakeError(ErrorCode::kNotFound, "没有这个文件：" + rel, "no such file: " + rel));
    }
    file = root_ + "/index.html";
    rel = "/index.html";
    fallback = true;
  }
  Reply reply;
  reply.content_type = MimeType(file);
  bool gzip_ok = accept_encoding.find("gzip") != std::string::npos;
  std::optional<std::string> body;
  if (gzip_ok && IsFile(file + ".gz")) {
    body = ReadAll(file + ".gz");
    if (body) reply.headers.emplace_back("Content-Encoding", "gzip");
  }
  if (!body) body = ReadAll(file);
  if (!body) {
    return Reply::Problem(MakeError(ErrorCode::kNotFound, "网页文件不存在（请先构建 web/）",
                                    "web front end not built (build web/ first)"));
  }
  reply.body = std::move(*body);
  reply.headers.emplace_back("Vary", "Accept-Encoding");
  if (!fallback && rel.rfind("/assets/", 0) == 0) {
    reply.headers.emplace_back("Cache-Control", "public, max-age=31536000, immutable");
  } else {
    reply.headers.emplace_back("Cache-Control", "no-cache");
  }
  return reply;
}

}  // namespace quanze::http
