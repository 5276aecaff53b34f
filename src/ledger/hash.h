// Hashing and byte encodings of the verifiable log (全程留痕).
//
// Hash layouts (RFC 6962 / RFC 9162 §2.1.1, docs/ledger-format.md §3):
//   leaf hash = SHA-256(0x00 || entry bytes)
//   node hash = SHA-256(0x01 || left hash (32 bytes) || right hash (32 bytes))
//   empty tree = SHA-256("")
// Encodings: base64 is RFC 4648 §4 (standard alphabet, '=' padding); hex is
// lowercase.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "common/result.h"

struct evp_md_ctx_st;  // OpenSSL's EVP_MD_CTX, kept out of this header

namespace quanze::ledger {

// A SHA-256 digest: a leaf hash, a node hash or a tree root.
using Hash = std::array<std::uint8_t, 32>;

// Hasher: SHA-256 through OpenSSL EVP with the digest fetched once per
// process and one reused EVP_MD_CTX per Hasher (3x faster than one-shot
// EVP_Digest; uses SHA-NI where the CPU has it).
// Not thread-safe: give each thread its own (see ThreadLocalHasher()).
// Movable, not copyable. A moved-from Hasher may only be destroyed or
// assigned to.
class Hasher {
 public:
  Hasher();
  ~Hasher();
  Hasher(const Hasher&) = delete;
  Hasher& operator=(const Hasher&) = delete;
  Hasher(Hasher&&) noexcept = default;
  Hasher& operator=(Hasher&&) noexcept = default;

  // SHA-256(data).
  Hash Sha256(std::string_view data);
  // RFC 9162 leaf hash: SHA-256(0x00 || entry).
  Hash Leaf(std::string_view entry);
  // RFC 9162 interior node hash: SHA-256(0x01 || left || right).
  Hash Node(const Hash& left, const Hash& right);

 private:
  struct CtxFree {
    void operator()(evp_md_ctx_st* ctx) const;
  };
  std::unique_ptr<evp_md_ctx_st, CtxFree> ctx_;
};

// The calling thread's own Hasher, created on first use and destroyed at
// thread exit. Used by the functions of tree.h that take no Hasher.
Hasher& ThreadLocalHasher();

// SHA-256 of the empty string: the root of the tree of size 0.
Hash EmptyTreeHash();

// RFC 4648 §4 base64, standard alphabet, with '=' padding.
std::string Base64Encode(std::span<const std::uint8_t> bytes);
std::string Base64Encode(std::string_view bytes);

// Strict inverse of Base64Encode: only the standard alphabet, length a
// multiple of 4, padding only at the end, unused bits zero, no whitespace.
// So every byte string has exactly one accepted encoding.
// Error kBadRequest otherwise.
Result<std::string> Base64Decode(std::string_view text);

// Lowercase hex.
std::string HexEncode(std::span<const std::uint8_t> bytes);
std::string HexEncode(std::string_view bytes);
// Inverse of HexEncode; accepts upper- and lowercase digits.
// Error kBadRequest on odd length or a non-hex character.
Result<std::string> HexDecode(std::string_view text);

// A hash from its base64 form (exactly 32 bytes). Error kBadRequest otherwise.
Result<Hash> HashFromBase64(std::string_view text);
// A hash from its hex form (exactly 64 hex digits). Error kBadRequest otherwise.
Result<Hash> HashFromHex(std::string_view text);

// HMAC-SHA-256 (RFC 2104 / RFC 4231). Used for keyed commitments of personal
// data: "hmac-sha256:" + Base64Encode(HmacSha256(key, clear value)).
// Thread-safe.
Hash HmacSha256(std::string_view key, std::string_view message);

// Constant-time equality of two hashes.
bool HashEqual(const Hash& a, const Hash& b);

}  // namespace quanze::ledger
