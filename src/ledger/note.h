// Signed checkpoints: C2SP tlog-checkpoint bodies in C2SP signed notes with
// Ed25519 (libsodium). Byte layouts (docs/ledger-format.md §6-§8):
//
//   checkpoint body   <origin> LF <decimal size> LF <base64 root> LF [<extension line> LF]*
//   signed note       <body> LF <signature line>+
//   signature line    U+2014 (E2 80 94) SP <name> SP base64(key id (4, big-endian) || sig (64)) LF
//   key id            first 4 bytes of SHA-256(<name> || LF || 0x01 || pubkey (32))
//   verifier key      <name>+<key id, 8 lowercase hex>+base64(0x01 || pubkey)
//   private key       PRIVATE+KEY+<name>+<key id, 8 lowercase hex>+base64(0x01 || seed (32))
//
// The signature covers the body bytes exactly (Ed25519, RFC 8032, pure).
// A key name is non-empty UTF-8 with no whitespace and no '+'.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "common/result.h"
#include "ledger/hash.h"

namespace quanze::ledger {

// Default origin line of this log's checkpoints (configurable by the app).
inline constexpr std::string_view kDefaultOrigin = "quanze.demo/ledger";

// Checkpoint (检查点): the log's size and root at one moment, named by origin.
struct Checkpoint {
  std::string origin;
  std::int64_t size = 0;
  Hash root{};
};

// "<origin>\n<size>\n<base64 root>\n". Precondition: origin is non-empty and
// has no LF, size >= 0 (ParseCheckpoint rejects what breaks them).
std::string FormatCheckpoint(const Checkpoint& checkpoint);

// Strict inverse of FormatCheckpoint: non-empty origin; size decimal with no
// sign, no leading zero (except "0") and within int64; root the canonical
// base64 of 32 bytes; every line ends in LF. Extension lines after the third
// are allowed (C2SP) if non-empty, and ignored. Error kBadRequest otherwise.
Result<Checkpoint> ParseCheckpoint(std::string_view body);

// Signs notes with one Ed25519 key. Thread-safe (const methods only after
// construction). Movable; the secret key is wiped on destruction.
class NoteSigner {
 public:
  // A fresh random key named `name`. Error kBadRequest for an invalid name,
  // kInternal if libsodium cannot initialise.
  static Result<NoteSigner> Generate(std::string name);
  // The key of a "PRIVATE+KEY+..." line (see above). Error kBadRequest for a
  // malformed line, an unknown algorithm or a key id that does not match.
  static Result<NoteSigner> FromPrivateKey(std::string_view skey);

  NoteSigner(NoteSigner&& other) noexcept;
  NoteSigner& operator=(NoteSigner&& other) noexcept;
  NoteSigner(const NoteSigner&) = delete;
  NoteSigner& operator=(const NoteSigner&) = delete;
  ~NoteSigner();

  // "PRIVATE+KEY+<name>+<key id>+<base64(0x01||seed)>", to be kept in a file
  // of mode 0600. FromPrivateKey(PrivateKey()) gives the same key.
  std::string PrivateKey() const;
  // "<name>+<key id>+<base64(0x01||pubkey)>", for publication.
  std::string VerifierKey() const;
  // The 32-bit key id (see above).
  std::uint32_t KeyId() const { return key_id_; }

  // The signed note: body + "\n" + "— <name> <base64(key id || sig)>\n".
  // Precondition: body is valid note text (see SignChecked); FormatCheckpoint
  // output always is. Returns "" if it is not, so a bad body never yields a
  // note that looks signed.
  std::string Sign(std::string_view body) const;
  // As Sign, but says why a body cannot be signed: error kBadRequest unless
  // the body is non-empty valid UTF-8 ending in LF, with no ASCII control
  // character other than LF.
  Result<std::string> SignChecked(std::string_view body) const;

  const std::string& name() const { return name_; }

 private:
  NoteSigner() = default;
  void Wipe();

  std::string name_;
  std::array<std::uint8_t, 32> public_key_{};
  std::array<std::uint8_t, 64> secret_key_{};  // libsodium layout: seed || public key
  std::uint32_t key_id_ = 0;
};

// Verifies notes against one Ed25519 verifier key. Thread-safe, copyable.
class NoteVerifier {
 public:
  // Parses "<name>+<key id>+<base64(0x01||pubkey)>". Error kBadRequest for a
  // malformed key, an unknown algorithm, or a key id that does not match the
  // name and key; kInternal if libsodium cannot initialise.
  static Result<NoteVerifier> FromVerifierKey(std::string_view vkey);

  // The body of `note` if it carries a signature line with this verifier's
  // name and key id whose signature verifies; signature lines of other keys
  // are ignored. Errors (all kValidation): malformed note, no signature by
  // this key, or a signature by this key that does not verify.
  Result<std::string> Verify(std::string_view note) const;

  const std::string& name() const { return name_; }
  std::uint32_t KeyId() const { return key_id_; }

 private:
  NoteVerifier() = default;

  std::string name_;
  std::array<std::uint8_t, 32> public_key_{};
  std::uint32_t key_id_ = 0;
};

// The C2SP key id of an Ed25519 public key under `name`.
std::uint32_t NoteKeyId(std::string_view name, std::span<const std::uint8_t, 32> public_key);

}  // namespace quanze::ledger
