#include "app/catalogue_cache.h"

#include <zlib.h>

namespace quanze::app {
namespace {

std::size_t SizeOf(const Rendered& r) {
  std::size_t spans = 0;
  for (const auto& [code, span] : r.item_spans) spans += code.size() + 64;
  return r.body.size() + r.gzip.size() + r.etag.size() + r.filename.size() + spans + 256;
}

std::string Tag(const std::string& base, const std::string& suffix) {
  return "\"" + base.substr(0, 24) + "-" + suffix + "\"";
}

}  // namespace

CatalogueCache::CatalogueCache(std::size_t max_bytes) : max_bytes_(max_bytes) {}

std::shared_ptr<const Rendered> CatalogueCache::Get(const std::string& key) {
  std::lock_guard lock(mu_);
  auto it = slots_.find(key);
  if (it == slots_.end()) return nullptr;
  lru_.splice(lru_.begin(), lru_, it->second.lru);
  return it->second.value;
}

void CatalogueCache::Put(const std::string& key, std::shared_ptr<const Rendered> value) {
  if (!value) return;
  std::size_t size = SizeOf(*value);
  std::lock_guard lock(mu_);
  if (auto it = slots_.find(key); it != slots_.end()) {
    bytes_ -= it->second.size;
    lru_.erase(it->second.lru);
    slots_.erase(it);
  }
  if (size > max_bytes_) return;
  lru_.push_front(key);
  slots_[key] = Slot{std::move(value), lru_.begin(), size};
  bytes_ += size;
  EvictLocked();
}

void CatalogueCache::EvictLocked() {
  while (bytes_ > max_bytes_ && !lru_.empty()) {
    auto it = slots_.find(lru_.back());
    bytes_ -= it->second.size;
    slots_.erase(it);
    lru_.pop_back();
  }
}

std::size_t CatalogueCache::bytes() const {
  std::lock_guard lock(mu_);
  return bytes_;
}

std::size_t CatalogueCache::entries() const {
  std::lock_guard lock(mu_);
  return slots_.size();
}

std::string Gzip(std::string_view data) {
  z_stream zs{};
  // windowBits 15 + 16: a gzip header and trailer instead of zlib's.
  if (deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return {};
  std::string out;
  out.resize(deflateBound(&zs, static_cast<uLong>(data.size())) + 32);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&zs, Z_FINISH);
  std::size_t written = zs.total_out;
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) return {};
  out.resize(written);
  return out;
}

std::shared_ptr<Rendered> MakeRenderedDocument(std::string body, std::string content_type,
                                               const std::string& tag_base,
                                               const std::string& tag_suffix, bool compress) {
  auto r = std::make_shared<Rendered>();
  r->body = std::move(body);
  r->content_type = std::move(content_type);
  r->etag = Tag(tag_base, tag_suffix);
  if (compress && r->body.size() > 1024) {
    r->gzip = Gzip(r->body);
    r->etag_gzip = Tag(tag_base, tag_suffix + "-gz");
  }
  return r;
}

}  // namespace quanze::app
