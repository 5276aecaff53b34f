// Password hashing (argon2id). Each hash or verification costs ~0.1–1 s, so
// the hashes are made once for the whole suite and checked sparingly.
#include "app/accounts.h"

#include <gtest/gtest.h>

#include <string>

namespace quanze::app {
namespace {

class PasswordHash : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto a = Accounts::HashPassword(kPassword);
    auto b = Accounts::HashPassword(kPassword);
    ASSERT_TRUE(a.ok() && b.ok());
    first_ = new std::string(*a);
    second_ = new std::string(*b);
  }
  static void TearDownTestSuite() {
    delete first_;
    delete second_;
  }

  static constexpr const char* kPassword = "correct horse battery 2026";
  static std::string* first_;
  static std::string* second_;
};
std::string* PasswordHash::first_ = nullptr;
std::string* PasswordHash::second_ = nullptr;

TEST_F(PasswordHash, IsArgon2idAndNeverTheClearPassword) {
  EXPECT_EQ(first_->rfind("$argon2id$", 0), 0u) << *first_;
  EXPECT_EQ(first_->find(kPassword), std::string::npos);
}

TEST_F(PasswordHash, VerifiesTheRightPassword) {
  EXPECT_TRUE(Accounts::VerifyPassword(*second_, kPassword));
}

TEST_F(PasswordHash, RejectsAWrongPassword) {
  EXPECT_FALSE(Accounts::VerifyPassword(*first_, std::string(kPassword) + " "));
}

TEST_F(PasswordHash, IsSaltedSoTheSamePasswordHashesDifferently) {
  EXPECT_NE(*first_, *second_);
}

TEST_F(PasswordHash, AnEmptyOrMangledHashVerifiesNothing) {
  EXPECT_FALSE(Accounts::VerifyPassword("", kPassword));
  EXPECT_FALSE(Accounts::VerifyPassword("not a hash", kPassword));
  std::string tampered = *first_;
  tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
  EXPECT_FALSE(Accounts::VerifyPassword(tampered, kPassword));
  EXPECT_FALSE(Accounts::VerifyPassword(std::string(1000, '$'), kPassword));
}

TEST(TokenHash, IsAStableHexDigestThatHidesTheToken) {
  std::string h = Accounts::TokenHash("qzt_secret");
  EXPECT_EQ(h, Accounts::TokenHash("qzt_secret"));
  EXPECT_NE(h, Accounts::TokenHash("qzt_secreT"));
  EXPECT_EQ(h.size(), 64u);
  EXPECT_EQ(h.find("secret"), std::string::npos);
}

}  // namespace
}  // namespace quanze::app
