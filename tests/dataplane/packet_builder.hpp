// Crafted frames for the data-plane tests: Ethernet + IPv4/IPv6 + UDP with correct checksums,
// computed in full (never incrementally), so they check the relay's incremental updates.
#pragma once

#include <arpa/inet.h>

#include <cstdint>
#include <string>
#include <vector>

#include "packet.hpp"

namespace palisade::dataplane::test {

struct Udp {
  std::string src = "10.0.0.9", dst = "10.0.0.1";
  std::uint16_t sport = 5004, dport = 20000;
  std::size_t payload = 172;
  std::uint8_t ttl = 64;
  bool checksum = true;
  std::uint8_t src_mac[6] = {2, 0, 0, 0, 0, 9};
  std::uint8_t dst_mac[6] = {2, 0xaa, 0, 0, 0, 1};
};

inline std::vector<std::uint8_t> frame(const Udp& u) {
  const bool v6 = u.src.find(':') != std::string::npos;
  const std::uint32_t alen = v6 ? 16 : 4;
  std::uint8_t s[16]{}, d[16]{};
  inet_pton(v6 ? AF_INET6 : AF_INET, u.src.c_str(), s);
  inet_pton(v6 ? AF_INET6 : AF_INET, u.dst.c_str(), d);
  const std::uint32_t udp_len = kUdpLen + static_cast<std::uint32_t>(u.payload);
  const std::uint32_t l3 = kEtherLen, l4 = l3 + (v6 ? kIpv6Len : kIpv4Len);
  std::vector<std::uint8_t> f(l4 + udp_len);
  std::copy(u.dst_mac, u.dst_mac + 6, f.begin());
  std::copy(u.src_mac, u.src_mac + 6, f.begin() + 6);
  store16(&f[12], v6 ? kEtherIpv6 : kEtherIpv4);
  std::uint8_t* ip = &f[l3];
  if (v6) {
    ip[0] = 0x60;
    store16(ip + 4, static_cast<std::uint16_t>(udp_len));
    ip[6] = kProtoUdp;
    ip[7] = u.ttl;
    std::copy(s, s + 16, ip + 8);
    std::copy(d, d + 16, ip + 24);
  } else {
    ip[0] = 0x45;
    store16(ip + 2, static_cast<std::uint16_t>(kIpv4Len + udp_len));
    store16(ip + 4, 0x4242);
    ip[8] = u.ttl;
    ip[9] = kProtoUdp;
    std::copy(s, s + 4, ip + 12);
    std::copy(d, d + 4, ip + 16);
    store16(ip + 10, fold(sum16(ip, kIpv4Len)));
  }
  std::uint8_t* udp = &f[l4];
  store16(udp, u.sport);
  store16(udp + 2, u.dport);
  store16(udp + 4, static_cast<std::uint16_t>(udp_len));
  for (std::size_t i = 0; i < u.payload; ++i) udp[8 + i] = static_cast<std::uint8_t>(i * 7 + 3);
  if (u.checksum || v6) {
    std::uint32_t pseudo = sum16(s, alen) + sum16(d, alen) + kProtoUdp + udp_len;
    const std::uint16_t c = fold(sum16(udp, udp_len, pseudo));
    store16(udp + 6, c == 0 ? 0xffff : c);
  }
  return f;
}

// True when the frame's IPv4 header checksum and UDP checksum verify from scratch.
inline bool checksums_ok(const std::vector<std::uint8_t>& f) {
  const bool v6 = load16(&f[12]) == kEtherIpv6;
  const std::uint8_t* ip = &f[kEtherLen];
  if (!v6 && fold(sum16(ip, kIpv4Len)) != 0) return false;
  const std::uint8_t* udp = ip + (v6 ? kIpv6Len : kIpv4Len);
  if (!v6 && load16(udp + 6) == 0) return true;
  const std::uint32_t alen = v6 ? 16 : 4, udp_len = load16(udp + 4);
  const std::uint8_t* s = ip + (v6 ? 8 : 12);
  std::uint32_t pseudo = sum16(s, alen) + sum16(s + alen, alen) + kProtoUdp + udp_len;
  return fold(sum16(udp, udp_len, pseudo)) == 0;
}

}  // namespace palisade::dataplane::test
