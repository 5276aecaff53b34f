// Fuzz target: signed notes and checkpoints (src/ledger/note.h): what a
// remote auditor parses from a server it does not trust.
//
// Input: any bytes, used as a checkpoint body, a signed note, a note body to
// sign, and a verifier or private key line.
// Properties: no crash; refusals are error values with UTF-8 messages; a
// parsed checkpoint formats back to the first three lines of the input and
// parses again to itself; a verified note is the returned body plus signature
// lines; a body the signer accepts verifies after signing and no longer
// verifies when one byte of it changes.
#include <cstdint>

#include "fuzz/fuzz_support.h"
#include "ledger/note.h"

using namespace quanze;
using ledger::NoteSigner;
using ledger::NoteVerifier;

namespace {

// A fixed key (src/ledger/note_test.cc), so that corpus notes stay valid.
constexpr std::string_view kKey =
    "PRIVATE+KEY+quanze.demo/ledger+d6286d78+AQABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4f";

void CheckCheckpoint(std::string_view text) {
  auto cp = ledger::ParseCheckpoint(text);
  if (!cp.ok()) {
    fuzz::CheckErrorValue(cp.error());
    return;
  }
  std::string formatted = ledger::FormatCheckpoint(*cp);
  FUZZ_CHECK(text.substr(0, formatted.size()) == formatted, formatted);
  auto again = ledger::ParseCheckpoint(formatted);
  FUZZ_CHECK(again.ok() && again->origin == cp->origin && again->size == cp->size &&
                 again->root == cp->root,
             formatted);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const NoteSigner signer = NoteSigner::FromPrivateKey(kKey).value();
  static const NoteVerifier verifier = NoteVerifier::FromVerifierKey(signer.VerifierKey()).value();
  std::string_view text = fuzz::AsText(data, size);

  CheckCheckpoint(text);

  auto body = verifier.Verify(text);
  if (body.ok()) {
    FUZZ_CHECK(text.substr(0, body->size()) == *body, "verified body is not the note's start");
    FUZZ_CHECK(text.size() > body->size() + 1 && text[body->size()] == '\n', "no signature block");
  } else {
    fuzz::CheckErrorValue(body.error());
    FUZZ_CHECK(body.error().code == ErrorCode::kValidation, body.error().Describe());
  }

  auto note = signer.SignChecked(text);
  if (note.ok()) {
    FUZZ_CHECK(*note == signer.Sign(text), "Sign and SignChecked differ");
    auto verified = verifier.Verify(*note);
    FUZZ_CHECK(verified.ok() && *verified == text, "a signed note does not verify");
    std::string tampered = *note;
    tampered[0] = static_cast<char>(tampered[0] ^ 0x01);
    FUZZ_CHECK(!verifier.Verify(tampered).ok(), "a tampered note verifies");
  } else {
    fuzz::CheckErrorValue(note.error());
    FUZZ_CHECK(signer.Sign(text).empty(), "Sign signed what SignChecked refuses");
  }

  auto vkey = NoteVerifier::FromVerifierKey(text);
  if (!vkey.ok()) fuzz::CheckErrorValue(vkey.error());
  auto skey = NoteSigner::FromPrivateKey(text);
  if (skey.ok()) {
    auto back = NoteSigner::FromPrivateKey(skey->PrivateKey());
    FUZZ_CHECK(back.ok() && back->VerifierKey() == skey->VerifierKey(), "private key round trip");
  } else {
    fuzz::CheckErrorValue(skey.error());
  }
  return 0;
}
