#include "ledger/hash.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cassert>
#include <cstdlib>
#include <cstring>

namespace quanze::ledger {
namespace {

// The SHA-256 implementation, fetched once per process. Deliberately never
// freed: it must outlive every Hasher, including thread-local ones destroyed
// after static destructors have run. OpenSSL's own exit handler releases it.
const EVP_MD* Sha256Md() {
  static const EVP_MD* md = [] {
    EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA2-256", nullptr);
    if (fetched == nullptr) std::abort();  // OpenSSL without SHA-256: unusable build
    return fetched;
  }();
  return md;
}

// Abort on an EVP failure: with a valid context and digest these calls only
// fail on memory exhaustion, which we do not try to survive.
void Check(int ok) {
  if (ok != 1) std::abort();
}

constexpr char kBase64Alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::span<const std::uint8_t> AsBytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

Error Base64Error(std::string_view why_zh, std::string_view why_en) {
  return MakeError(ErrorCode::kBadRequest, "base64 编码无效：" + std::string(why_zh),
                   "invalid base64: " + std::string(why_en));
}

}  // namespace

void Hasher::CtxFree::operator()(evp_md_ctx_st* ctx) const { EVP_MD_CTX_free(ctx); }

Hasher::Hasher() : ctx_(EVP_MD_CTX_new()) {
  if (!ctx_) std::abort();
  Sha256Md();
}

Hasher::~Hasher() = default;

Hash Hasher::Sha256(std::string_view data) {
  assert(ctx_ && "use of a moved-from Hasher");
  Hash out;
  Check(EVP_DigestInit_ex2(ctx_.get(), Sha256Md(), nullptr));
  Check(EVP_DigestUpdate(ctx_.get(), data.data(), data.size()));
  Check(EVP_DigestFinal_ex(ctx_.get(), out.data(), nullptr));
  return out;
}

Hash Hasher::Leaf(std::string_view entry) {
  assert(ctx_ && "use of a moved-from Hasher");
  static constexpr std::uint8_t kLeafPrefix = 0x00;
  Hash out;
  Check(EVP_DigestInit_ex2(ctx_.get(), Sha256Md(), nullptr));
  Check(EVP_DigestUpdate(ctx_.get(), &kLeafPrefix, 1));
  Check(EVP_DigestUpdate(ctx_.get(), entry.data(), entry.size()));
  Check(EVP_DigestFinal_ex(ctx_.get(), out.data(), nullptr));
  return out;
}

Hash Hasher::Node(const Hash& left, const Hash& right) {
  assert(ctx_ && "use of a moved-from Hasher");
  std::uint8_t buf[1 + 2 * sizeof(Hash)];
  buf[0] = 0x01;
  std::memcpy(buf + 1, left.data(), left.size());
  std::memcpy(buf + 1 + left.size(), right.data(), right.size());
  Hash out;
  Check(EVP_DigestInit_ex2(ctx_.get(), Sha256Md(), nullptr));
  Check(EVP_DigestUpdate(ctx_.get(), buf, sizeof buf));
  Check(EVP_DigestFinal_ex(ctx_.get(), out.data(), nullptr));
  return out;
}

Hasher& ThreadLocalHasher() {
  thread_local Hasher hasher;
  return hasher;
}

Hash EmptyTreeHash() {
  static const Hash empty = Hasher().Sha256("");
  return empty;
}

std::string Base64Encode(std::span<const std::uint8_t> bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    std::uint32_t v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out.push_back(kBase64Alphabet[(v >> 18) & 63]);
    out.push_back(kBase64Alphabet[(v >> 12) & 63]);
    out.push_back(kBase64Alphabet[(v >> 6) & 63]);
    out.push_back(kBase64Alphabet[v & 63]);
  }
  std::size_t rest = bytes.size() - i;
  if (rest == 1) {
    std::uint32_t v = bytes[i] << 16;
    out.push_back(kBase64Alphabet[(v >> 18) & 63]);
    out.push_back(kBase64Alphabet[(v >> 12) & 63]);
    out.append("==");
  } else if (rest == 2) {
    std::uint32_t v = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out.push_back(kBase64Alphabet[(v >> 18) & 63]);
    out.push_back(kBase64Alphabet[(v >> 12) & 63]);
    out.push_back(kBase64Alphabet[(v >> 6) & 63]);
    out.push_back('=');
  }
  return out;
}

std::string Base64Encode(std::string_view bytes) { return Base64Encode(AsBytes(bytes)); }

Result<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) {
    return Base64Error("长度不是 4 的倍数", "length is not a multiple of 4");
  }
  std::size_t pad = 0;
  if (!text.empty() && text.back() == '=') pad = (text[text.size() - 2] == '=') ? 2 : 1;
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    bool last = i + 4 == text.size();
    std::size_t data_chars = last ? 4 - pad : 4;
    std::uint32_t v = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      int d = 0;
      if (j < data_chars) {
        d = Base64Value(text[i + j]);
        if (d < 0) return Base64Error("含有非法字符", "character outside the standard alphabet");
      } else if (text[i + j] != '=') {
        return Base64Error("填充位置错误", "misplaced padding");
      }
      v = (v << 6) | static_cast<std::uint32_t>(d);
    }
    out.push_back(static_cast<char>(v >> 16));
    if (data_chars >= 3) out.push_back(static_cast<char>((v >> 8) & 0xff));
    if (data_chars == 4) out.push_back(static_cast<char>(v & 0xff));
    // Bits that the padding says are unused must be zero (canonical form).
    if ((data_chars == 2 && (v & 0xffff) != 0) || (data_chars == 3 && (v & 0xff) != 0)) {
      return Base64Error("填充前的剩余位不为零", "non-zero bits before padding");
    }
  }
  return out;
}

std::string HexEncode(std::span<const std::uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (std::uint8_t b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 15]);
  }
  return out;
}

std::string HexEncode(std::string_view bytes) { return HexEncode(AsBytes(bytes)); }

Result<std::string> HexDecode(std::string_view text) {
  if (text.size() % 2 != 0) {
    return MakeError(ErrorCode::kBadRequest, "十六进制字符串长度为奇数",
                     "hex string has an odd length");
  }
  std::string out;
  out.reserve(text.size() / 2);
  for (std::size_t i = 0; i < text.size(); i += 2) {
    int hi = HexValue(text[i]);
    int lo = HexValue(text[i + 1]);
    if (hi < 0 || lo < 0) {
      return MakeError(ErrorCode::kBadRequest, "十六进制字符串含有非法字符",
                       "hex string contains a non-hex character");
    }
    out.push_back(static_cast<char>((hi << 4) | lo));
  }
  return out;
}

namespace {
Result<Hash> HashFromBytes(const std::string& bytes) {
  Hash h;
  if (bytes.size() != h.size()) {
    return MakeError(ErrorCode::kBadRequest,
                     "哈希值长度应为 32 字节，实际为 " + std::to_string(bytes.size()) + " 字节",
                     "a hash must be 32 bytes, got " + std::to_string(bytes.size()));
  }
  std::memcpy(h.data(), bytes.data(), h.size());
  return h;
}
}  // namespace

Result<Hash> HashFromBase64(std::string_view text) {
  QZ_ASSIGN_OR_RETURN(std::string bytes, Base64Decode(text));
  return HashFromBytes(bytes);
}

Result<Hash> HashFromHex(std::string_view text) {
  QZ_ASSIGN_OR_RETURN(std::string bytes, HexDecode(text));
  return HashFromBytes(bytes);
}

Hash HmacSha256(std::string_view key, std::string_view message) {
  Hash out;
  unsigned int len = 0;
  // A zero-length key is legal for HMAC; OpenSSL wants a non-null pointer.
  static constexpr std::uint8_t kNoKey = 0;
  const void* key_ptr = key.empty() ? static_cast<const void*>(&kNoKey) : key.data();
  if (HMAC(EVP_sha256(), key_ptr, static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(message.data()), message.size(), out.data(),
           &len) == nullptr ||
      len != out.size()) {
    std::abort();  // only on memory exhaustion
  }
  return out;
}

bool HashEqual(const Hash& a, const Hash& b) {
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace quanze::ledger
