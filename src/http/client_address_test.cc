#include "http/client_address.h"

#include <gtest/gtest.h>

namespace quanze::http {
namespace {

TrustedProxies Proxies(const std::string& list) {
  auto p = TrustedProxies::Parse(list);
  EXPECT_TRUE(p.ok()) << list;
  return p.ok() ? *p : TrustedProxies{};
}

TEST(ClientAddress, WithoutTrustedProxiesTheTcpPeerIsTheClient) {
  TrustedProxies none;
  EXPECT_EQ(none.ClientOf("203.0.113.9", "198.51.100.1"), "203.0.113.9")
      << "a header from anyone is ignored";
  EXPECT_EQ(none.ClientOf("::ffff:203.0.113.9", ""), "203.0.113.9") << "mapped IPv4 is IPv4";
  EXPECT_EQ(none.ClientOf("2001:DB8::1", ""), "2001:db8::1");
}

TEST(ClientAddress, AHeaderFromAnUntrustedPeerIsIgnored) {
  TrustedProxies p = Proxies("127.0.0.1");
  EXPECT_EQ(p.ClientOf("203.0.113.9", "10.0.0.1"), "203.0.113.9");
}

TEST(ClientAddress, ATrustedProxyNamesTheClientAndSpoofedHopsOnTheLeftAreIgnored) {
  TrustedProxies p = Proxies("127.0.0.1, 10.0.0.0/8");
  EXPECT_EQ(p.ClientOf("127.0.0.1", "198.51.100.7"), "198.51.100.7");
  // The client sent "1.2.3.4" itself; nginx appended the real address, then an inner proxy.
  EXPECT_EQ(p.ClientOf("127.0.0.1", "1.2.3.4, 198.51.100.7, 10.1.2.3"), "198.51.100.7");
  EXPECT_EQ(p.ClientOf("127.0.0.1", "garbage, 198.51.100.7"), "198.51.100.7");
  EXPECT_EQ(p.ClientOf("127.0.0.1", "not-an-ip"), "127.0.0.1") << "junk: the proxy itself";
  EXPECT_EQ(p.ClientOf("127.0.0.1", ""), "127.0.0.1");
  EXPECT_EQ(p.ClientOf("127.0.0.1", ",10.0.0.2"), "10.0.0.2") << "only proxies: the farthest";
}

TEST(ClientAddress, CidrPrefixesMatchBitByBit) {
  TrustedProxies p = Proxies("192.168.4.0/22 2001:db8:abcd::/48");
  auto in = [&](const char* ip) { return p.Contains(*ParseIp(ip)); };
  EXPECT_TRUE(in("192.168.4.1"));
  EXPECT_TRUE(in("192.168.7.255"));
  EXPECT_FALSE(in("192.168.8.0"));
  EXPECT_FALSE(in("192.168.3.255"));
  EXPECT_TRUE(in("2001:db8:abcd:12::1"));
  EXPECT_FALSE(in("2001:db8:abce::1"));
  EXPECT_FALSE(in("::ffff:192.168.8.1"));
}

TEST(ClientAddress, MalformedTrustedProxiesAreRefusedNamingTheEntry) {
  for (const char* bad : {"10.0.0.0/33", "example.org", "10.0.0.0/", "::1/129", "1.2.3.4/x"}) {
    auto p = TrustedProxies::Parse(bad);
    ASSERT_FALSE(p.ok()) << bad;
    EXPECT_NE(p.error().message_en.find("server.trusted_proxies"), std::string::npos);
  }
  EXPECT_TRUE(TrustedProxies::Parse("").ok());
  EXPECT_TRUE(TrustedProxies::Parse(" , ").ok());
}

}  // namespace
}  // namespace quanze::http
