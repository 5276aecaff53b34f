// CatalogueCache: rendered public catalogue documents by key ("town|version|
// format"), least recently used first out once the total size passes a bound.
// Published versions are immutable, so an entry never goes stale; entries are
// shared with the replies still being sent (hence shared_ptr). Thread-safe.
#pragma once

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "app/catalogue.h"

namespace quanze::app {

class CatalogueCache {
 public:
  explicit CatalogueCache(std::size_t max_bytes = std::size_t{128} << 20);

  // The entry, marked most recently used; null when absent.
  std::shared_ptr<const Rendered> Get(const std::string& key);
  // Stores (or replaces) an entry, then evicts the least recently used ones
  // while the total exceeds the bound (an entry larger than the bound is not kept).
  void Put(const std::string& key, std::shared_ptr<const Rendered> value);

  std::size_t bytes() const;
  std::size_t entries() const;

 private:
  struct Slot {
    std::shared_ptr<const Rendered> value;
    std::list<std::string>::iterator lru;
    std::size_t size = 0;
  };
  void EvictLocked();

  const std::size_t max_bytes_;
  mutable std::mutex mu_;
  std::list<std::string> lru_;  // front = most recently used
  std::unordered_map<std::string, Slot> slots_;
  std::size_t bytes_ = 0;
};

// gzip (RFC 1952) of `data`, deflate level 6. Empty on failure.
std::string Gzip(std::string_view data);

// A rendered document whose strong entity tag is
// "<first 24 hex of tag_base>-<tag_suffix>"; with `compress` and a body over
// 1 KiB, also its gzip and the tag "<...>-<tag_suffix>-gz".
std::shared_ptr<Rendered> MakeRenderedDocument(std::string body, std::string content_type,
                                               const std::string& tag_base,
                                               const std::string& tag_suffix, bool compress);

}  // namespace quanze::app
