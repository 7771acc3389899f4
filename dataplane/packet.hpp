// Frame classification and header rewrite on raw bytes: the per-packet work of the relay that
// needs no DPDK. Everything here is inline, branch-light and allocation-free; the worker calls it
// on mbuf data, the unit tests on crafted byte arrays.
#pragma once

#include <cstdint>
#include <cstring>

namespace palisade::dataplane {

inline constexpr std::uint16_t kEtherIpv4 = 0x0800;
inline constexpr std::uint16_t kEtherIpv6 = 0x86DD;
inline constexpr std::uint8_t kProtoUdp = 17;
inline constexpr std::uint32_t kEtherLen = 14;
inline constexpr std::uint32_t kIpv4Len = 20;
inline constexpr std::uint32_t kIpv6Len = 40;
inline constexpr std::uint32_t kUdpLen = 8;

inline std::uint16_t load16(const std::uint8_t* p) { return static_cast<std::uint16_t>(p[0] << 8 | p[1]); }
inline void store16(std::uint8_t* p, std::uint16_t v) {
  p[0] = static_cast<std::uint8_t>(v >> 8);
  p[1] = static_cast<std::uint8_t>(v);
}

// What the relay does with a frame before any flow lookup.
enum class FrameClass : std::uint8_t {
  Udp,        // a well-formed IPv4/IPv6 UDP datagram: may be media of a flow
  Punt,       // anything else the kernel should see (ARP, ICMP, TCP, IP options, fragments, ...)
  Malformed,  // lengths that contradict the frame: dropped and counted
};

struct ParsedFrame {
  std::uint32_t l3 = 0;  // offset of the IP header
  std::uint32_t l4 = 0;  // offset of the UDP header
  std::uint8_t family = 0;  // 4 or 6
};

// RFC 791 / RFC 8200 / RFC 768 checks that make the rewrite safe: every offset the relay touches
// lies inside the frame. IP options, fragments and IPv6 extension headers are punted rather than
// relayed: media never carries them, and the kernel knows what to do with the rest.
[[gnu::always_inline]] inline FrameClass classify(const std::uint8_t* f, std::uint32_t len, ParsedFrame& out) {
  if (len < kEtherLen) return FrameClass::Malformed;
  const std::uint16_t type = load16(f + 12);
  if (type == kEtherIpv4) {
    if (len < kEtherLen + kIpv4Len) return FrameClass::Malformed;
    const std::uint8_t* ip = f + kEtherLen;
    if ((ip[0] >> 4) != 4) return FrameClass::Malformed;
    const std::uint32_t ihl = (ip[0] & 0x0f) * 4u;
    const std::uint32_t total = load16(ip + 2);
    if (ihl < kIpv4Len || total < ihl || total > len - kEtherLen) return FrameClass::Malformed;
    if (ihl != kIpv4Len) return FrameClass::Punt;                  // options
    if (load16(ip + 6) & 0x3fff) return FrameClass::Punt;           // MF or an offset: a fragment
    if (ip[9] != kProtoUdp) return FrameClass::Punt;
    if (total < kIpv4Len + kUdpLen) return FrameClass::Malformed;
    const std::uint32_t udp_len = load16(ip + kIpv4Len + 4);
    if (udp_len < kUdpLen || udp_len > total - kIpv4Len) return FrameClass::Malformed;
    out = {kEtherLen, kEtherLen + kIpv4Len, 4};
    return FrameClass::Udp;
  }
  if (type == kEtherIpv6) {
    if (len < kEtherLen + kIpv6Len) return FrameClass::Malformed;
    const std::uint8_t* ip = f + kEtherLen;
    if ((ip[0] >> 4) != 6) return FrameClass::Malformed;
    const std::uint32_t payload = load16(ip + 4);
    if (payload > len - kEtherLen - kIpv6Len) return FrameClass::Malformed;
    if (ip[6] != kProtoUdp) return FrameClass::Punt;  // ICMPv6 (neighbour discovery), extension headers
    if (payload < kUdpLen) return FrameClass::Malformed;
    const std::uint32_t udp_len = load16(ip + kIpv6Len + 4);
    if (udp_len < kUdpLen || udp_len > payload) return FrameClass::Malformed;
    out = {kEtherLen, kEtherLen + kIpv6Len, 6};
    return FrameClass::Udp;
  }
  return FrameClass::Punt;  // ARP, VLAN tags, LLDP, ...
}

// ---- checksums ----------------------------------------------------------------------------

// RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'), over 16-bit words, for a field replaced in place.
// `acc` gathers ~m + m' for every replaced word; fold() applies it once per checksum.
struct ChecksumDelta {
  std::uint32_t acc = 0;
  void replace(const std::uint8_t* old_bytes, const std::uint8_t* new_bytes, std::uint32_t n) {
    for (std::uint32_t i = 0; i < n; i += 2) {
      acc += static_cast<std::uint16_t>(~load16(old_bytes + i));
      acc += load16(new_bytes + i);
    }
  }
  void replace16(std::uint16_t old_word, std::uint16_t new_word) {
    acc += static_cast<std::uint16_t>(~old_word);
    acc += new_word;
  }
  std::uint16_t apply(std::uint16_t checksum) const {
    std::uint32_t sum = static_cast<std::uint16_t>(~checksum) + acc;
    sum = (sum & 0xffff) + (sum >> 16);
    sum = (sum & 0xffff) + (sum >> 16);
    return static_cast<std::uint16_t>(~sum);
  }
};

// The Internet checksum of a byte range (RFC 1071), used by tests and by code that builds
// packets; the relay itself only updates checksums incrementally.
inline std::uint32_t sum16(const std::uint8_t* p, std::uint32_t n, std::uint32_t sum = 0) {
  for (std::uint32_t i = 0; i + 1 < n; i += 2) sum += load16(p + i);
  if (n & 1) sum += static_cast<std::uint32_t>(p[n - 1]) << 8;
  return sum;
}
inline std::uint16_t fold(std::uint32_t sum) {
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum);
}

// ---- the rewrite ------------------------------------------------------------------------------

// The new addressing of a relayed datagram: what the SBC sends it from and to, in network order.
struct Rewrite {
  std::uint8_t src_mac[6];
  std::uint8_t dst_mac[6];
  std::uint8_t src_ip[16];
  std::uint8_t dst_ip[16];
  std::uint8_t src_port[2];
  std::uint8_t dst_port[2];
};

// Rewrites L2-L4 addressing in place and decrements TTL / hop limit, with the IPv4 header and
// UDP checksums updated incrementally. Returns false (frame untouched) when TTL would expire.
// A UDP checksum of zero over IPv4 means "none" (RFC 768) and stays zero.
[[gnu::always_inline]] inline bool rewrite(std::uint8_t* f, const ParsedFrame& pf, const Rewrite& rw) {
  std::uint8_t* ip = f + pf.l3;
  std::uint8_t* udp = f + pf.l4;
  const std::uint32_t alen = pf.family == 4 ? 4 : 16;
  std::uint8_t* ip_src = ip + (pf.family == 4 ? 12 : 8);
  std::uint8_t* ip_dst = ip_src + alen;
  std::uint8_t& ttl = pf.family == 4 ? ip[8] : ip[7];
  if (ttl <= 1) return false;

  ChecksumDelta pseudo;  // what UDP's pseudo-header and ports change by
  pseudo.replace(ip_src, rw.src_ip, alen);
  pseudo.replace(ip_dst, rw.dst_ip, alen);
  pseudo.replace(udp, rw.src_port, 2);
  pseudo.replace(udp + 2, rw.dst_port, 2);

  if (pf.family == 4) {
    ChecksumDelta hdr;
    hdr.replace(ip_src, rw.src_ip, 4);
    hdr.replace(ip_dst, rw.dst_ip, 4);
    hdr.replace16(load16(ip + 8), static_cast<std::uint16_t>(load16(ip + 8) - 0x0100));  // TTL
    store16(ip + 10, hdr.apply(load16(ip + 10)));
  }
  --ttl;
  const std::uint16_t uc = load16(udp + 6);
  if (uc != 0 || pf.family == 6) {
    std::uint16_t n = pseudo.apply(uc);
    store16(udp + 6, n == 0 ? 0xffff : n);  // a computed zero is sent as all ones (RFC 768)
  }
  std::memcpy(ip_src, rw.src_ip, alen);
  std::memcpy(ip_dst, rw.dst_ip, alen);
  std::memcpy(udp, rw.src_port, 2);
  std::memcpy(udp + 2, rw.dst_port, 2);
  std::memcpy(f, rw.dst_mac, 6);
  std::memcpy(f + 6, rw.src_mac, 6);
  return true;
}

}  // namespace palisade::dataplane
