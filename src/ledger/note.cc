#include "ledger/note.h"

#include <sodium.h>

#include <charconv>
#include <cstdio>
#include <cstring>
#include <optional>
#include <utility>
#include <vector>

#include "ledger/utf8.h"

namespace quanze::ledger {
namespace {

constexpr std::uint8_t kAlgEd25519 = 0x01;
constexpr std::string_view kSigPrefix = "\xE2\x80\x94 ";  // U+2014 EM DASH, SPACE
constexpr std::string_view kPrivatePrefix = "PRIVATE+KEY+";
constexpr int kMaxSignatures = 100;

Status EnsureSodium() {
  static const int rc = sodium_init();  // thread-safe, once; 1 = already done
  if (rc < 0) {
    return MakeError(ErrorCode::kInternal, "libsodium 初始化失败",
                     "libsodium failed to initialise");
  }
  return Ok();
}

Error BadKey(std::string zh, std::string en) {
  return MakeError(ErrorCode::kBadRequest, "密钥格式无效：" + zh, "invalid key: " + en);
}

Error BadNote(std::string zh, std::string en) {
  return MakeError(ErrorCode::kValidation, "签名文本格式无效：" + zh,
                   "malformed signed note: " + en);
}

// Unicode White_Space as Go's unicode.IsSpace sees it.
bool IsSpace(char32_t c) {
  return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
         c == 0x3000;
}

// Key names: non-empty UTF-8 without whitespace and without '+'.
bool IsValidName(std::string_view name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size();) {
    utf8::Decoded d = utf8::DecodeAt(name, i);
    if (d.length == 0 || IsSpace(d.code_point) || d.code_point == '+') return false;
    i += d.length;
  }
  return true;
}

// Note text: valid UTF-8 with no ASCII control character other than LF.
bool IsValidText(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    utf8::Decoded d = utf8::DecodeAt(text, i);
    if (d.length == 0 || (d.code_point < 0x20 && d.code_point != '\n')) return false;
    i += d.length;
  }
  return true;
}

// Splits s at the first `sep`: {before, after}; after is empty if absent.
std::pair<std::string_view, std::string_view> Chop(std::string_view s, char sep) {
  std::size_t i = s.find(sep);
  if (i == std::string_view::npos) return {s, {}};
  return {s.substr(0, i), s.substr(i + 1)};
}

std::string KeyIdHex(std::uint32_t id) {
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08x", id);
  return buf;
}

// Parses exactly 8 hex digits.
std::optional<std::uint32_t> ParseKeyId(std::string_view hex) {
  if (hex.size() != 8) return std::nullopt;
  Result<std::string> bytes = HexDecode(hex);
  if (!bytes.ok()) return std::nullopt;
  std::uint32_t id = 0;
  for (char c : *bytes) id = (id << 8) | static_cast<std::uint8_t>(c);
  return id;
}

// The 33-byte "0x01 || key" payload of a key line, base64-decoded.
Result<std::array<std::uint8_t, 32>> ParseKeyPayload(std::string_view b64) {
  Result<std::string> raw = Base64Decode(b64);
  if (!raw.ok()) return BadKey("密钥数据不是有效的 base64", "key data is not valid base64");
  if (raw->empty() || static_cast<std::uint8_t>((*raw)[0]) != kAlgEd25519) {
    return BadKey("不支持的签名算法（仅支持 Ed25519 = 0x01）",
                  "unsupported algorithm (only Ed25519 = 0x01)");
  }
  std::array<std::uint8_t, 32> key{};
  if (raw->size() != 1 + key.size()) {
    return BadKey("Ed25519 密钥长度应为 32 字节", "an Ed25519 key must be 32 bytes");
  }
  std::memcpy(key.data(), raw->data() + 1, key.size());
  return key;
}

}  // namespace

std::uint32_t NoteKeyId(std::string_view name, std::span<const std::uint8_t, 32> public_key) {
  std::string input(name);
  input.push_back('\n');
  input.push_back(static_cast<char>(kAlgEd25519));
  input.append(reinterpret_cast<const char*>(public_key.data()), public_key.size());
  Hasher hasher;
  Hash digest = hasher.Sha256(input);
  return (std::uint32_t{digest[0]} << 24) | (std::uint32_t{digest[1]} << 16) |
         (std::uint32_t{digest[2]} << 8) | std::uint32_t{digest[3]};
}

std::string FormatCheckpoint(const Checkpoint& checkpoint) {
  std::string out = checkpoint.origin;
  out.push_back('\n');
  out += std::to_string(checkpoint.size);
  out.push_back('\n');
  out += Base64Encode(std::span<const std::uint8_t>(checkpoint.root));
  out.push_back('\n');
  return out;
}

Result<Checkpoint> ParseCheckpoint(std::string_view body) {
  auto bad = [](std::string zh, std::string en) {
    return MakeError(ErrorCode::kBadRequest, "检查点格式无效：" + zh,
                     "malformed checkpoint: " + en);
  };
  if (body.empty() || body.back() != '\n') return bad("必须以换行结束", "must end with a newline");
  if (!IsValidText(body)) {
    return bad("含有无效的 UTF-8 或控制字符", "invalid UTF-8 or a control character");
  }
  std::vector<std::string_view> lines;
  for (std::string_view rest = body; !rest.empty();) {
    std::size_t nl = rest.find('\n');
    lines.push_back(rest.substr(0, nl));
    rest.remove_prefix(nl + 1);
  }
  if (lines.size() < 3) return bad("少于三行", "fewer than three lines");
  Checkpoint cp;
  if (lines[0].empty()) return bad("来源（origin）为空", "empty origin line");
  cp.origin = std::string(lines[0]);
  std::string_view size = lines[1];
  bool digits_only = !size.empty();
  for (char c : size) digits_only = digits_only && c >= '0' && c <= '9';
  if (!digits_only || (size.size() > 1 && size[0] == '0')) {
    return bad("树大小必须是无前导零的十进制数", "tree size must be decimal without leading zeros");
  }
  auto [end, ec] = std::from_chars(size.data(), size.data() + size.size(), cp.size);
  if (ec != std::errc() || end != size.data() + size.size()) {
    return bad("树大小超出范围", "tree size out of range");
  }
  Result<Hash> root = HashFromBase64(lines[2]);
  if (!root.ok()) return bad("根哈希不是 32 字节的 base64", "root hash is not base64 of 32 bytes");
  cp.root = *root;
  for (std::size_t i = 3; i < lines.size(); ++i) {
    if (lines[i].empty()) return bad("扩展行为空", "empty extension line");
  }
  return cp;
}

// NoteSigner ---------------------------------------------------------------

Result<NoteSigner> NoteSigner::Generate(std::string name) {
  QZ_TRY(EnsureSodium());
  if (!IsValidName(name)) {
    return BadKey("密钥名称必须非空，且不含空白和“+”",
                  "key name must be non-empty, without spaces or '+'");
  }
  NoteSigner s;
  s.name_ = std::move(name);
  std::array<std::uint8_t, 32> seed{};
  randombytes_buf(seed.data(), seed.size());
  crypto_sign_seed_keypair(s.public_key_.data(), s.secret_key_.data(), seed.data());
  sodium_memzero(seed.data(), seed.size());
  s.key_id_ = NoteKeyId(s.name_, s.public_key_);
  return s;
}

Result<NoteSigner> NoteSigner::FromPrivateKey(std::string_view skey) {
  QZ_TRY(EnsureSodium());
  // Tolerate the single trailing newline a key file usually ends with.
  if (!skey.empty() && skey.back() == '\n') skey.remove_suffix(1);
  if (skey.substr(0, kPrivatePrefix.size()) != kPrivatePrefix) {
    return BadKey("私钥必须以 PRIVATE+KEY+ 开头", "a private key must start with PRIVATE+KEY+");
  }
  auto [name, rest] = Chop(skey.substr(kPrivatePrefix.size()), '+');
  auto [id_hex, key64] = Chop(rest, '+');
  if (!IsValidName(name)) {
    return BadKey("密钥名称必须非空，且不含空白和“+”",
                  "key name must be non-empty, without spaces or '+'");
  }
  std::optional<std::uint32_t> id = ParseKeyId(id_hex);
  if (!id) return BadKey("密钥编号必须是 8 位十六进制数", "key id must be 8 hex digits");
  QZ_ASSIGN_OR_RETURN(auto seed, ParseKeyPayload(key64));
  NoteSigner s;
  s.name_ = std::string(name);
  crypto_sign_seed_keypair(s.public_key_.data(), s.secret_key_.data(), seed.data());
  sodium_memzero(seed.data(), seed.size());
  s.key_id_ = NoteKeyId(s.name_, s.public_key_);
  if (s.key_id_ != *id) {
    return BadKey("密钥编号与名称和密钥不符", "key id does not match the name and key");
  }
  return s;
}

NoteSigner::NoteSigner(NoteSigner&& other) noexcept
    : name_(std::move(other.name_)),
      public_key_(other.public_key_),
      secret_key_(other.secret_key_),
      key_id_(other.key_id_) {
  other.Wipe();
}

NoteSigner& NoteSigner::operator=(NoteSigner&& other) noexcept {
  if (this != &other) {
    name_ = std::move(other.name_);
    public_key_ = other.public_key_;
    secret_key_ = other.secret_key_;
    key_id_ = other.key_id_;
    other.Wipe();
  }
  return *this;
}

NoteSigner::~NoteSigner() { Wipe(); }

void NoteSigner::Wipe() { sodium_memzero(secret_key_.data(), secret_key_.size()); }

std::string NoteSigner::PrivateKey() const {
  std::string payload(1, static_cast<char>(kAlgEd25519));
  payload.append(reinterpret_cast<const char*>(secret_key_.data()), 32);  // the seed half
  std::string out =
      std::string(kPrivatePrefix) + name_ + "+" + KeyIdHex(key_id_) + "+" + Base64Encode(payload);
  sodium_memzero(payload.data(), payload.size());
  return out;
}

std::string NoteSigner::VerifierKey() const {
  std::string payload(1, static_cast<char>(kAlgEd25519));
  payload.append(reinterpret_cast<const char*>(public_key_.data()), public_key_.size());
  return name_ + "+" + KeyIdHex(key_id_) + "+" + Base64Encode(payload);
}

std::string NoteSigner::Sign(std::string_view body) const {
  Result<std::string> note = SignChecked(body);
  return note.ok() ? std::move(note).value() : std::string();
}

Result<std::string> NoteSigner::SignChecked(std::string_view body) const {
  if (body.empty() || body.back() != '\n' || !IsValidText(body)) {
    return MakeError(ErrorCode::kBadRequest,
                     "待签名文本必须是以换行结束、不含其他控制字符的 UTF-8 文本",
                     "a note body must be UTF-8 text ending in a newline, with no other control "
                     "characters");
  }
  std::array<std::uint8_t, 4 + crypto_sign_BYTES> sig{};
  sig[0] = static_cast<std::uint8_t>(key_id_ >> 24);
  sig[1] = static_cast<std::uint8_t>(key_id_ >> 16);
  sig[2] = static_cast<std::uint8_t>(key_id_ >> 8);
  sig[3] = static_cast<std::uint8_t>(key_id_);
  crypto_sign_detached(sig.data() + 4, nullptr, reinterpret_cast<const unsigned char*>(body.data()),
                       body.size(), secret_key_.data());
  std::string out(body);
  out.push_back('\n');
  out += kSigPrefix;
  out += name_;
  out.push_back(' ');
  out += Base64Encode(std::span<const std::uint8_t>(sig));
  out.push_back('\n');
  return out;
}

// NoteVerifier -------------------------------------------------------------

Result<NoteVerifier> NoteVerifier::FromVerifierKey(std::string_view vkey) {
  QZ_TRY(EnsureSodium());
  if (!vkey.empty() && vkey.back() == '\n') vkey.remove_suffix(1);
  auto [name, rest] = Chop(vkey, '+');
  auto [id_hex, key64] = Chop(rest, '+');
  if (!IsValidName(name)) {
    return BadKey("密钥名称必须非空，且不含空白和“+”",
                  "key name must be non-empty, without spaces or '+'");
  }
  std::optional<std::uint32_t> id = ParseKeyId(id_hex);
  if (!id) return BadKey("密钥编号必须是 8 位十六进制数", "key id must be 8 hex digits");
  QZ_ASSIGN_OR_RETURN(auto public_key, ParseKeyPayload(key64));
  NoteVerifier v;
  v.name_ = std::string(name);
  v.public_key_ = public_key;
  v.key_id_ = NoteKeyId(v.name_, v.public_key_);
  if (v.key_id_ != *id) {
    return BadKey("密钥编号与名称和公钥不符", "key id does not match the name and public key");
  }
  return v;
}

Result<std::string> NoteVerifier::Verify(std::string_view note) const {
  if (!IsValidText(note)) {
    return BadNote("含有无效的 UTF-8 或控制字符", "invalid UTF-8 or a control character");
  }
  std::size_t split = note.rfind("\n\n");
  if (split == std::string_view::npos) {
    return BadNote("缺少正文与签名之间的空行", "no blank line between text and signatures");
  }
  std::string_view body = note.substr(0, split + 1);
  std::string_view sigs = note.substr(split + 2);
  if (sigs.empty() || sigs.back() != '\n') {
    return BadNote("签名行必须以换行结束", "signature lines must end with a newline");
  }
  bool verified = false;
  int count = 0;
  while (!sigs.empty()) {
    std::size_t nl = sigs.find('\n');
    std::string_view line = sigs.substr(0, nl);
    sigs.remove_prefix(nl + 1);
    if (++count > kMaxSignatures) return BadNote("签名行过多", "too many signature lines");
    if (line.substr(0, kSigPrefix.size()) != kSigPrefix) {
      return BadNote("签名行必须以“— ”（U+2014 破折号加空格）开头",
                     "a signature line must start with an em dash (U+2014) and a space");
    }
    auto [name, b64] = Chop(line.substr(kSigPrefix.size()), ' ');
    Result<std::string> raw = Base64Decode(b64);
    if (!IsValidName(name) || b64.empty() || !raw.ok() || raw->size() < 5) {
      return BadNote("签名行的名称或签名无效", "bad name or signature in a signature line");
    }
    std::uint32_t id = 0;
    for (int i = 0; i < 4; ++i) id = (id << 8) | static_cast<std::uint8_t>((*raw)[i]);
    if (name != name_ || id != key_id_) continue;  // another key's signature
    if (raw->size() != 4 + crypto_sign_BYTES ||
        crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(raw->data() + 4),
                                    reinterpret_cast<const unsigned char*>(body.data()),
                                    body.size(), public_key_.data()) != 0) {
      return MakeError(ErrorCode::kValidation, "签名验证失败：文本被改动或签名无效",
                       "signature does not verify: the text was altered or the signature is bad",
                       {{"key", name_}});
    }
    verified = true;
  }
  if (!verified) {
    return MakeError(ErrorCode::kValidation, "没有该密钥的签名（未知密钥）",
                     "no signature by this key (unknown key)", {{"key", name_}});
  }
  return std::string(body);
}

}  // namespace quanze::ledger
