#include "ledger/hash.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace quanze::ledger {
namespace {

std::string Hex(const Hash& h) { return HexEncode(std::span<const std::uint8_t>(h)); }

std::string Bytes(const Hash& h) { return std::string(h.begin(), h.end()); }

TEST(Hash, Sha256MatchesFips180Vector) {
  Hasher h;
  EXPECT_EQ(Hex(h.Sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Hash, EmptyTreeHashIsSha256OfTheEmptyString) {
  EXPECT_EQ(Hex(EmptyTreeHash()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Hash, LeafHashPrefixesAZeroByte) {
  Hasher h;
  // RFC 6962 reference: the tree of the single empty entry.
  EXPECT_EQ(Hex(h.Leaf("")), "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
  EXPECT_EQ(h.Leaf("entry"), h.Sha256(std::string(1, '\0') + "entry"));
}

TEST(Hash, NodeHashPrefixesAOneByteAndConcatenates) {
  Hasher h;
  Hash a = h.Leaf("a");
  Hash b = h.Leaf("b");
  EXPECT_EQ(h.Node(a, b), h.Sha256("\x01" + Bytes(a) + Bytes(b)));
  EXPECT_NE(h.Node(a, b), h.Node(b, a));
}

TEST(Hash, HasherGivesTheSameAnswerWhenReusedAndAfterMove) {
  Hasher h;
  Hash first = h.Sha256("quanze");
  for (int i = 0; i < 3; ++i) EXPECT_EQ(h.Sha256("quanze"), first);
  Hasher moved = std::move(h);
  EXPECT_EQ(moved.Sha256("quanze"), first);
  Hasher assigned;
  assigned = std::move(moved);
  EXPECT_EQ(assigned.Sha256("quanze"), first);
}

TEST(Hash, ThreadLocalHashersWorkConcurrently) {
  Hash want = Hasher().Sha256("same input");
  std::vector<int> ok(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      int good = 0;
      for (int i = 0; i < 1000; ++i) good += ThreadLocalHasher().Sha256("same input") == want;
      ok[t] = good;
    });
  }
  for (auto& th : threads) th.join();
  for (int good : ok) EXPECT_EQ(good, 1000);
}

TEST(Base64, EncodesRfc4648Vectors) {
  EXPECT_EQ(Base64Encode(std::string_view("")), "");
  EXPECT_EQ(Base64Encode(std::string_view("f")), "Zg==");
  EXPECT_EQ(Base64Encode(std::string_view("fo")), "Zm8=");
  EXPECT_EQ(Base64Encode(std::string_view("foo")), "Zm9v");
  EXPECT_EQ(Base64Encode(std::string_view("foob")), "Zm9vYg==");
  EXPECT_EQ(Base64Encode(std::string_view("fooba")), "Zm9vYmE=");
  EXPECT_EQ(Base64Encode(std::string_view("foobar")), "Zm9vYmFy");
  EXPECT_EQ(Base64Encode(std::string_view("\xfb\xff", 2)), "+/8=");
}

TEST(Base64, DecodesWhatItEncodes) {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  for (std::size_t len = 0; len <= all.size(); len += 37) {
    std::string bytes = all.substr(0, len);
    Result<std::string> back = Base64Decode(Base64Encode(bytes));
    ASSERT_TRUE(back.ok()) << len;
    EXPECT_EQ(*back, bytes);
  }
}

TEST(Base64, RejectsEverythingButTheCanonicalPaddedStandardForm) {
  for (std::string_view bad :
       {"Zg", "Zg=", "Zm9", "Z===", "====", "Zg==Zg==", "Zh==", "Zm9=", "Zm9v\n", " Zm9v", "Zm9v ",
        "Zm-v", "Zm_v", "Zm9v====", "Zm\x01v", "=Zm9"}) {
    Result<std::string> r = Base64Decode(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kBadRequest);
    EXPECT_FALSE(r.error().message_zh.empty());
    EXPECT_FALSE(r.error().message_en.empty());
  }
}

TEST(Hex, RoundTripsAndRejectsOddLengthOrNonHexDigits) {
  EXPECT_EQ(HexEncode(std::string_view("\x00\x7f\xff", 3)), "007fff");
  EXPECT_EQ(*HexDecode("007FfF"), std::string("\x00\x7f\xff", 3));
  EXPECT_FALSE(HexDecode("abc").ok());
  EXPECT_FALSE(HexDecode("zz").ok());
}

TEST(Hash, HashFromBase64AcceptsExactly32Bytes) {
  Hash h = Hasher().Sha256("x");
  EXPECT_EQ(*HashFromBase64(Base64Encode(std::span<const std::uint8_t>(h))), h);
  Result<Hash> short_hash = HashFromBase64(Base64Encode(std::string(31, 'a')));
  ASSERT_FALSE(short_hash.ok());
  EXPECT_EQ(short_hash.error().code, ErrorCode::kBadRequest);
  EXPECT_FALSE(HashFromBase64(Base64Encode(std::string(33, 'a'))).ok());
  EXPECT_FALSE(HashFromBase64("not base64").ok());
  EXPECT_EQ(*HashFromHex(Hex(h)), h);
  EXPECT_FALSE(HashFromHex("00").ok());
}

TEST(Hmac, MatchesRfc4231Vectors) {
  // Test case 1.
  EXPECT_EQ(Hex(HmacSha256(std::string(20, '\x0b'), "Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  // Test case 2.
  EXPECT_EQ(Hex(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // Test case 6: a key longer than the block size.
  EXPECT_EQ(Hex(HmacSha256(std::string(131, '\xaa'),
                           "Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(Hmac, AcceptsAnEmptyKey) {
  // Python: hmac.new(b"", b"", hashlib.sha256).hexdigest()
  EXPECT_EQ(Hex(HmacSha256("", "")),
            "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST(Hash, HashEqualComparesEveryByte) {
  Hash a = Hasher().Sha256("a");
  Hash b = a;
  EXPECT_TRUE(HashEqual(a, b));
  b[31] ^= 1;
  EXPECT_FALSE(HashEqual(a, b));
}

}  // namespace
}  // namespace quanze::ledger
