#include "http/client_address.h"

#include <arpa/inet.h>

#include <cstring>

namespace quanze::http {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool IsMappedV4(const std::array<unsigned char, 16>& ip) {
  static constexpr unsigned char kPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  return std::memcmp(ip.data(), kPrefix, 12) == 0;
}

}  // namespace

std::optional<std::array<unsigned char, 16>> ParseIp(std::string_view text) {
  text = Trim(text);
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
    text = text.substr(1, text.size() - 2);
  }
  if (text.empty() || text.size() > 45) return std::nullopt;
  std::string s(text);
  std::array<unsigned char, 16> out{};
  unsigned char v4[4];
  if (inet_pton(AF_INET, s.c_str(), v4) == 1) {
    out[10] = 0xff;
    out[11] = 0xff;
    std::memcpy(out.data() + 12, v4, 4);
    return out;
  }
  if (inet_pton(AF_INET6, s.c_str(), out.data()) == 1) return out;
  return std::nullopt;
}

std::string FormatIp(const std::array<unsigned char, 16>& ip) {
  char buf[INET6_ADDRSTRLEN] = {};
  if (IsMappedV4(ip)) {
    inet_ntop(AF_INET, ip.data() + 12, buf, sizeof buf);
  } else {
    inet_ntop(AF_INET6, ip.data(), buf, sizeof buf);
  }
  return buf;
}

Result<TrustedProxies> TrustedProxies::Parse(const std::string& list) {
  TrustedProxies out;
  std::size_t pos = 0;
  while (pos <= list.size()) {
    std::size_t end = list.find_first_of(", ", pos);
    if (end == std::string::npos) end = list.size();
    std::string_view item = Trim(std::string_view(list).substr(pos, end - pos));
    pos = end + 1;
    if (item.empty()) continue;
    auto bad = [&] {
      return MakeError(ErrorCode::kBadRequest,
                       "server.trusted_proxies 中的“" + std::string(item) + "”不是 IP 地址或网段",
                       "server.trusted_proxies: '" + std::string(item) +
                           "' is not an IP address or CIDR network");
    };
    std::size_t slash = item.find('/');
    auto ip = ParseIp(item.substr(0, slash));
    if (!ip) return bad();
    Cidr c;
    c.bytes = *ip;
    bool v4 = IsMappedV4(*ip);
    c.prefix_bits = 128;
    if (slash != std::string_view::npos) {
      std::string_view bits = item.substr(slash + 1);
      int n = 0;
      if (bits.empty() || bits.size() > 3) return bad();
      for (char ch : bits) {
        if (ch < '0' || ch > '9') return bad();
        n = n * 10 + (ch - '0');
      }
      if (n > (v4 ? 32 : 128)) return bad();
      c.prefix_bits = v4 ? 96 + n : n;
    }
    out.networks_.push_back(c);
  }
  return out;
}

bool TrustedProxies::Contains(const std::array<unsigned char, 16>& ip) const {
  for (const Cidr& c : networks_) {
    int full = c.prefix_bits / 8, rest = c.prefix_bits % 8;
    if (std::memcmp(ip.data(), c.bytes.data(), full) != 0) continue;
    if (rest != 0) {
      unsigned char mask = static_cast<unsigned char>(0xff << (8 - rest));
      if ((ip[full] & mask) != (c.bytes[full] & mask)) continue;
    }
    return true;
  }
  return false;
}

std::string TrustedProxies::ClientOf(std::string_view peer, std::string_view forwarded_for) const {
  auto peer_ip = ParseIp(peer);
  if (!peer_ip) return std::string(peer);
  if (forwarded_for.empty() || !Contains(*peer_ip)) return FormatIp(*peer_ip);
  // Right to left: each hop appended the address it received from.
  std::string client = FormatIp(*peer_ip);
  std::size_t end = forwarded_for.size();
  while (end > 0) {
    std::size_t comma = forwarded_for.rfind(',', end - 1);
    std::size_t start = comma == std::string_view::npos ? 0 : comma + 1;
    auto ip = ParseIp(forwarded_for.substr(start, end - start));
    if (!ip) return client;  // garbage: stop at the last trustworthy hop
    client = FormatIp(*ip);
    if (!Contains(*ip) || comma == std::string_view::npos) return client;
    end = comma;
  }
  return client;
}

}  // namespace quanze::http
