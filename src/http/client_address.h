// The client address of a request, for rate limits and the sign-in throttle.
// It is the TCP peer, unless the peer is a trusted proxy
// (`server.trusted_proxies`): then the X-Forwarded-For header is read from
// the right, skipping trusted proxies, and the first other address is the
// client. A header from anyone else is ignored, so a client cannot choose its
// own address. Pure; thread-safe once built.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace quanze::http {

// An IPv4 or IPv6 network ("10.0.0.0/8", "::1/128", "127.0.0.1" = /32).
struct Cidr {
  std::array<unsigned char, 16> bytes{};  // IPv4 as ::ffff:a.b.c.d
  int prefix_bits = 128;                  // in the 128-bit form
};

// The 16-byte form of an address (IPv4 mapped into ::ffff:0:0/96); nullopt
// when `text` is not an IP address.
std::optional<std::array<unsigned char, 16>> ParseIp(std::string_view text);
// The address in canonical text (IPv4 dotted, IPv6 per RFC 5952; a mapped
// IPv4 as IPv4), so one client has one key.
std::string FormatIp(const std::array<unsigned char, 16>& ip);

class TrustedProxies {
 public:
  TrustedProxies() = default;
  // Parses a list separated by commas and/or spaces. kBadRequest naming the
  // bad entry.
  static Result<TrustedProxies> Parse(const std::string& list);

  bool Contains(const std::array<unsigned char, 16>& ip) const;
  bool empty() const { return networks_.empty(); }

  // The client address (canonical text) of a request from TCP peer `peer`
  // carrying `forwarded_for` (the X-Forwarded-For header, "" when absent).
  std::string ClientOf(std::string_view peer, std::string_view forwarded_for) const;

 private:
  std::vector<Cidr> networks_;
};

}  // namespace quanze::http
