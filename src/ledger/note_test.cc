#include "ledger/note.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace quanze::ledger {
namespace {

// Computed independently with Python `cryptography` (Ed25519 seed = bytes
// 0x00..0x1f, name "quanze.demo/ledger"):
//   kid = sha256(name + b"\n" + b"\x01" + pub)[:4]
const char kSeedKey[] =
    "PRIVATE+KEY+quanze.demo/ledger+d6286d78+AQABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4f";
const char kSeedVerifierKey[] =
    "quanze.demo/ledger+d6286d78+AQOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4";
const char kCheckpointBody[] =
    "quanze.demo/ledger\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n";
const char kCheckpointSignatureLine[] =
    "\xE2\x80\x94 quanze.demo/ledger "
    "1ihteB8m+9upxh6Jw5eVnKvW8RLxRNyfEMJfQtlmtxwJae1iRfcrpH5e68PL1BkXa8EeLXxAk7f2eWVIScP6PkvLWwc="
    "\n";

// golang.org/x/mod/sumdb/note package documentation example.
const char kGoSignerKey[] =
    "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
const char kGoVerifierKey[] = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const char kGoText[] =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n";
const char kGoNote[] =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
    "\n"
    "\xE2\x80\x94 PeterNeumann "
    "x08go/ZJkuBS9UG/"
    "SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

TEST(Checkpoint, FormatsThreeLinesWithBase64Root) {
  Hash root =
      HashFromHex("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328").value();
  EXPECT_EQ(FormatCheckpoint({"quanze.demo/ledger", 8, root}), kCheckpointBody);
}

TEST(Checkpoint, ParsesWhatItFormatsAndIgnoresExtensionLines) {
  Hash root = Hasher().Sha256("root");
  Checkpoint cp{std::string(kDefaultOrigin), 1234567, root};
  Result<Checkpoint> back = ParseCheckpoint(FormatCheckpoint(cp));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->origin, cp.origin);
  EXPECT_EQ(back->size, cp.size);
  EXPECT_EQ(back->root, cp.root);
  Result<Checkpoint> extended = ParseCheckpoint(FormatCheckpoint(cp) + "ext one\nx 2\n");
  ASSERT_TRUE(extended.ok());
  EXPECT_EQ(extended->size, cp.size);
  EXPECT_EQ(ParseCheckpoint("o\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n")->size, 0);
}

TEST(Checkpoint, RejectsMalformedBodies) {
  const std::string root = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
  const std::vector<std::string> bads = {
      std::string(""),
      "o\n5\n" + root,                            // no final newline
      "o\n5\n",                                   // two lines
      "\n5\n" + root + "\n",                      // empty origin
      "o\n05\n" + root + "\n",                    // leading zero
      "o\n-5\n" + root + "\n",                    // sign
      "o\n+5\n" + root + "\n",                    // sign
      "o\n 5\n" + root + "\n",                    // space
      "o\n99999999999999999999\n" + root + "\n",  // > int64
      "o\n5\n" + root.substr(4) + "\n",           // short root
      "o\n5\nnot base64\n",                       // bad root
      "o\n5\n" + root + "\n\n",                   // empty extension line
      "o\r\n5\n" + root + "\n",                   // control character
      "o\xff\n5\n" + root + "\n",                 // invalid UTF-8
  };
  for (const std::string& bad : bads) {
    Result<Checkpoint> r = ParseCheckpoint(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kBadRequest);
    EXPECT_FALSE(r.error().message_zh.empty());
  }
}

TEST(Note, VerifierKeyAndKeyIdMatchAnIndependentComputation) {
  Result<NoteSigner> signer = NoteSigner::FromPrivateKey(kSeedKey);
  ASSERT_TRUE(signer.ok()) << signer.error().Describe();
  EXPECT_EQ(signer->VerifierKey(), kSeedVerifierKey);
  EXPECT_EQ(signer->KeyId(), 0xd6286d78u);
  EXPECT_EQ(signer->name(), "quanze.demo/ledger");
  EXPECT_EQ(signer->PrivateKey(), kSeedKey);
}

TEST(Note, SignatureMatchesAnIndependentEd25519Implementation) {
  NoteSigner signer = NoteSigner::FromPrivateKey(kSeedKey).value();
  EXPECT_EQ(signer.Sign(kCheckpointBody),
            std::string(kCheckpointBody) + "\n" + kCheckpointSignatureLine);
}

TEST(Note, ReproducesTheGoSumdbNoteExample) {
  NoteSigner signer = NoteSigner::FromPrivateKey(kGoSignerKey).value();
  EXPECT_EQ(signer.VerifierKey(), kGoVerifierKey);
  EXPECT_EQ(signer.Sign(kGoText), kGoNote);
  NoteVerifier verifier = NoteVerifier::FromVerifierKey(kGoVerifierKey).value();
  Result<std::string> body = verifier.Verify(kGoNote);
  ASSERT_TRUE(body.ok()) << body.error().Describe();
  EXPECT_EQ(*body, kGoText);
}

TEST(Note, SignAndVerifyRoundTripWithAGeneratedKey) {
  NoteSigner signer = NoteSigner::Generate("quanze.demo/ledger").value();
  NoteVerifier verifier = NoteVerifier::FromVerifierKey(signer.VerifierKey()).value();
  std::string note = signer.Sign(kCheckpointBody);
  Result<std::string> body = verifier.Verify(note);
  ASSERT_TRUE(body.ok()) << body.error().Describe();
  EXPECT_EQ(*body, kCheckpointBody);
  EXPECT_EQ(verifier.KeyId(), signer.KeyId());
}

TEST(Note, PrivateKeyRoundTripGivesTheSameKey) {
  NoteSigner signer = NoteSigner::Generate("town-42").value();
  std::string skey = signer.PrivateKey();
  EXPECT_EQ(skey.rfind("PRIVATE+KEY+town-42+", 0), 0u);
  NoteSigner again = NoteSigner::FromPrivateKey(skey + "\n").value();  // as read from a file
  EXPECT_EQ(again.VerifierKey(), signer.VerifierKey());
  EXPECT_EQ(again.Sign("x\n"), signer.Sign("x\n"));  // Ed25519 is deterministic
}

TEST(Note, ATamperedBodyFails) {
  NoteSigner signer = NoteSigner::FromPrivateKey(kSeedKey).value();
  NoteVerifier verifier = NoteVerifier::FromVerifierKey(kSeedVerifierKey).value();
  std::string note = signer.Sign(kCheckpointBody);
  std::string tampered = note;
  tampered[note.find("\n8\n") + 1] = '9';
  Result<std::string> r = verifier.Verify(tampered);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kValidation);
  // Every single changed signature byte fails too.
  std::size_t sig_start = note.rfind(' ') + 1;
  for (std::size_t i = sig_start; i + 1 < note.size(); i += 7) {
    std::string bad = note;
    bad[i] = bad[i] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(verifier.Verify(bad).ok()) << i;
  }
}

TEST(Note, AWrongKeyOrWrongNameFails) {
  NoteSigner signer = NoteSigner::FromPrivateKey(kSeedKey).value();
  std::string note = signer.Sign(kCheckpointBody);
  NoteSigner other = NoteSigner::Generate("quanze.demo/ledger").value();
  Result<std::string> wrong_key =
      NoteVerifier::FromVerifierKey(other.VerifierKey()).value().Verify(note);
  ASSERT_FALSE(wrong_key.ok());
  EXPECT_EQ(wrong_key.error().code, ErrorCode::kValidation);
  // Same key id and key but another name on the signature line.
  std::string renamed = note;
  renamed.replace(renamed.find("\xE2\x80\x94 quanze.demo/ledger") + 4, 18, "quanze.demo/other!");
  Result<std::string> wrong_name =
      NoteVerifier::FromVerifierKey(kSeedVerifierKey).value().Verify(renamed);
  ASSERT_FALSE(wrong_name.ok());
  EXPECT_EQ(wrong_name.error().code, ErrorCode::kValidation);
}

TEST(Note, SignaturesOfOtherKeysAreIgnored) {
  NoteSigner signer = NoteSigner::FromPrivateKey(kSeedKey).value();
  NoteSigner witness = NoteSigner::Generate("witness.example").value();
  std::string note = signer.Sign(kCheckpointBody);
  std::string cosigned = witness.Sign(kCheckpointBody);
  note += cosigned.substr(cosigned.rfind("\n\n") + 2);
  NoteVerifier verifier = NoteVerifier::FromVerifierKey(kSeedVerifierKey).value();
  EXPECT_EQ(*verifier.Verify(note), kCheckpointBody);
}

TEST(Note, MalformedNotesFail) {
  NoteSigner signer = NoteSigner::FromPrivateKey(kSeedKey).value();
  NoteVerifier verifier = NoteVerifier::FromVerifierKey(kSeedVerifierKey).value();
  std::string note = signer.Sign(kCheckpointBody);
  std::string dash = "\xE2\x80\x94 ";
  std::size_t at = note.find(dash);
  std::string hyphen = note;
  hyphen.replace(at, dash.size(), "- ");  // ASCII hyphen instead of the em dash
  std::string en_dash = note;
  en_dash.replace(at, dash.size(), "\xE2\x80\x93 ");
  std::string no_space = note;
  no_space.replace(at, dash.size(), "\xE2\x80\x94");
  std::string no_blank_line = note;
  no_blank_line.erase(at - 1, 1);
  std::string no_final_newline = note.substr(0, note.size() - 1);
  std::string control = note;
  control.insert(2, "\t");
  for (const std::string& bad : {hyphen, en_dash, no_space, no_blank_line, no_final_newline,
                                 control, std::string(kCheckpointBody), std::string("")}) {
    Result<std::string> r = verifier.Verify(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kValidation);
    EXPECT_FALSE(r.error().message_zh.empty());
    EXPECT_FALSE(r.error().message_en.empty());
  }
}

TEST(Note, SignRefusesBodiesThatAreNotNoteText) {
  NoteSigner signer = NoteSigner::FromPrivateKey(kSeedKey).value();
  for (std::string_view bad : {"no newline", "", "tab\there\n", "bad \xff utf8\n"}) {
    EXPECT_EQ(signer.Sign(bad), "") << bad;
    Result<std::string> r = signer.SignChecked(bad);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kBadRequest);
  }
}

TEST(Note, MalformedKeysAreRejected) {
  for (std::string_view bad : {
           "",
           "quanze.demo/ledger+d6286d78",                                               // no key
           "quanze.demo/ledger+d6286d7+AQOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4",   // 7 digits
           "quanze.demo/ledger+d6286d79+AQOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4",  // wrong id
           "other+d6286d78+AQOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4",  // wrong name
           "quanze.demo/ledger+d6286d78+AgOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4",  // alg 2
           "quanze.demo/ledger+d6286d78+AQOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVQ==",  // short
           "quanze demo+d6286d78+AQOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4",  // space in name
       }) {
    Result<NoteVerifier> v = NoteVerifier::FromVerifierKey(bad);
    ASSERT_FALSE(v.ok()) << bad;
    EXPECT_EQ(v.error().code, ErrorCode::kBadRequest);
  }
  std::string skey = kSeedKey;
  EXPECT_FALSE(NoteSigner::FromPrivateKey(skey.substr(8)).ok());  // no PRIVATE+
  EXPECT_FALSE(NoteSigner::FromPrivateKey(kSeedVerifierKey).ok());
  std::string wrong_id = skey;
  wrong_id[wrong_id.find("d6286d78")] = 'e';
  EXPECT_EQ(NoteSigner::FromPrivateKey(wrong_id).error().code, ErrorCode::kBadRequest);
  EXPECT_FALSE(NoteSigner::Generate("has+plus").ok());
  EXPECT_FALSE(NoteSigner::Generate("has space").ok());
  EXPECT_FALSE(NoteSigner::Generate("").ok());
}

TEST(Note, KeyIdIsTheFirstFourBytesOfTheNamedKeyHashBigEndian) {
  NoteSigner signer = NoteSigner::FromPrivateKey(kSeedKey).value();
  Result<std::string> pub =
      HexDecode("03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8");
  std::array<std::uint8_t, 32> key{};
  std::copy(pub->begin(), pub->end(), key.begin());
  EXPECT_EQ(NoteKeyId("quanze.demo/ledger", key), 0xd6286d78u);
  EXPECT_NE(NoteKeyId("quanze.demo/ledgeR", key), 0xd6286d78u);
}

}  // namespace
}  // namespace quanze::ledger
