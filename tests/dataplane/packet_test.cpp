// Classification, rewrite and checksums on crafted frames: no DPDK needed.
#include "packet.hpp"

#include <gtest/gtest.h>

#include <random>

#include "packet_builder.hpp"

namespace palisade::dataplane {
namespace {

using test::frame;
using test::Udp;

FrameClass classify(const std::vector<std::uint8_t>& f) {
  ParsedFrame pf;
  return dataplane::classify(f.data(), static_cast<std::uint32_t>(f.size()), pf);
}

Rewrite rewrite_to(const char* src, std::uint16_t sport, const char* dst, std::uint16_t dport) {
  Rewrite rw{};
  const bool v6 = std::string(src).find(':') != std::string::npos;
  inet_pton(v6 ? AF_INET6 : AF_INET, src, rw.src_ip);
  inet_pton(v6 ? AF_INET6 : AF_INET, dst, rw.dst_ip);
  store16(rw.src_port, sport);
  store16(rw.dst_port, dport);
  for (int i = 0; i < 6; ++i) {
    rw.src_mac[i] = static_cast<std::uint8_t>(0x10 + i);
    rw.dst_mac[i] = static_cast<std::uint8_t>(0x20 + i);
  }
  return rw;
}

TEST(Classify, UdpOverIpv4AndIpv6IsMedia) {
  EXPECT_EQ(classify(frame({})), FrameClass::Udp);
  Udp v6;
  v6.src = "fd00::9";
  v6.dst = "fd00::1";
  ParsedFrame pf;
  auto f = frame(v6);
  ASSERT_EQ(dataplane::classify(f.data(), static_cast<std::uint32_t>(f.size()), pf), FrameClass::Udp);
  EXPECT_EQ(pf.family, 6);
  EXPECT_EQ(pf.l4, kEtherLen + kIpv6Len);
}

TEST(Classify, WhatIsNotPlainUdpGoesToTheKernel) {
  auto f = frame({});
  f[12] = 0x08, f[13] = 0x06;  // ARP
  EXPECT_EQ(classify(f), FrameClass::Punt);
  f = frame({});
  f[kEtherLen + 9] = 1;  // ICMP
  EXPECT_EQ(classify(f), FrameClass::Punt);
  f = frame({});
  store16(&f[kEtherLen + 6], 0x2000);  // more fragments
  EXPECT_EQ(classify(f), FrameClass::Punt);
  f = frame({});
  store16(&f[kEtherLen + 6], 0x0001);  // a later fragment
  EXPECT_EQ(classify(f), FrameClass::Punt);
  f = frame({});
  f[kEtherLen] = 0x46;  // IHL 6: options
  EXPECT_EQ(classify(f), FrameClass::Punt);
  Udp v6;
  v6.src = "fd00::9";
  v6.dst = "fd00::1";
  f = frame(v6);
  f[kEtherLen + 6] = 58;  // ICMPv6: neighbour discovery belongs to the kernel
  EXPECT_EQ(classify(f), FrameClass::Punt);
}

TEST(Classify, LengthsThatLieAreMalformed) {
  auto f = frame({});
  EXPECT_EQ(classify(std::vector<std::uint8_t>(f.begin(), f.begin() + 13)), FrameClass::Malformed);
  EXPECT_EQ(classify(std::vector<std::uint8_t>(f.begin(), f.begin() + 30)), FrameClass::Malformed);
  auto g = f;
  store16(&g[kEtherLen + 2], 1500);  // IP total length beyond the frame
  EXPECT_EQ(classify(g), FrameClass::Malformed);
  g = f;
  store16(&g[kEtherLen + kIpv4Len + 4], 4);  // UDP length under its header
  EXPECT_EQ(classify(g), FrameClass::Malformed);
  g = f;
  store16(&g[kEtherLen + kIpv4Len + 4], 2000);  // UDP length beyond IP
  EXPECT_EQ(classify(g), FrameClass::Malformed);
  g = f;
  g[kEtherLen] = 0x44;  // IHL 4
  EXPECT_EQ(classify(g), FrameClass::Malformed);
  g = f;
  g[kEtherLen] = 0x65;  // version 6 in an IPv4 ethertype
  EXPECT_EQ(classify(g), FrameClass::Malformed);
  // Ethernet padding after the datagram is fine: the IP length governs.
  g = f;
  g.resize(g.size() + 6, 0);
  EXPECT_EQ(classify(g), FrameClass::Udp);
}

TEST(Rewrite, Ipv4ChecksumsMatchAFullRecomputation) {
  auto f = frame({});
  ParsedFrame pf;
  ASSERT_EQ(dataplane::classify(f.data(), static_cast<std::uint32_t>(f.size()), pf), FrameClass::Udp);
  ASSERT_TRUE(rewrite(f.data(), pf, rewrite_to("10.1.0.1", 30000, "10.1.0.9", 4000)));
  Udp want;
  want.src = "10.1.0.1", want.dst = "10.1.0.9", want.sport = 30000, want.dport = 4000, want.ttl = 63;
  for (int i = 0; i < 6; ++i) want.src_mac[i] = static_cast<std::uint8_t>(0x10 + i), want.dst_mac[i] = static_cast<std::uint8_t>(0x20 + i);
  EXPECT_EQ(f, frame(want));
  EXPECT_TRUE(test::checksums_ok(f));
}

TEST(Rewrite, RandomAddressesKeepBothChecksumsValid) {
  std::mt19937 rng(4475);
  for (int i = 0; i < 2000; ++i) {
    Udp u;
    auto ip = [&] {
      return std::to_string(rng() % 256) + "." + std::to_string(rng() % 256) + "." + std::to_string(rng() % 256) + "." +
             std::to_string(rng() % 256);
    };
    u.src = ip(), u.dst = ip();
    u.sport = static_cast<std::uint16_t>(rng()), u.dport = static_cast<std::uint16_t>(rng());
    u.payload = rng() % 300;
    u.ttl = static_cast<std::uint8_t>(2 + rng() % 250);
    auto f = frame(u);
    ParsedFrame pf;
    ASSERT_EQ(dataplane::classify(f.data(), static_cast<std::uint32_t>(f.size()), pf), FrameClass::Udp);
    const std::string s = ip(), d = ip();
    ASSERT_TRUE(rewrite(f.data(), pf, rewrite_to(s.c_str(), static_cast<std::uint16_t>(rng()), d.c_str(), static_cast<std::uint16_t>(rng()))));
    ASSERT_TRUE(test::checksums_ok(f)) << "case " << i;
    EXPECT_EQ(f[kEtherLen + 8], u.ttl - 1);
  }
}

TEST(Rewrite, Ipv6ChecksumAndHopLimit) {
  Udp u;
  u.src = "fd00::9", u.dst = "fd00::1";
  auto f = frame(u);
  ParsedFrame pf;
  ASSERT_EQ(dataplane::classify(f.data(), static_cast<std::uint32_t>(f.size()), pf), FrameClass::Udp);
  ASSERT_TRUE(rewrite(f.data(), pf, rewrite_to("2001:db8::1", 30002, "2001:db8:1::9", 4002)));
  EXPECT_TRUE(test::checksums_ok(f));
  EXPECT_EQ(f[kEtherLen + 7], 63);
}

TEST(Rewrite, ZeroUdpChecksumStaysZeroOverIpv4) {
  Udp u;
  u.checksum = false;
  auto f = frame(u);
  ParsedFrame pf;
  ASSERT_EQ(dataplane::classify(f.data(), static_cast<std::uint32_t>(f.size()), pf), FrameClass::Udp);
  ASSERT_TRUE(rewrite(f.data(), pf, rewrite_to("10.1.0.1", 30000, "10.1.0.9", 4000)));
  EXPECT_EQ(load16(&f[pf.l4 + 6]), 0);
  EXPECT_TRUE(test::checksums_ok(f));
}

TEST(Rewrite, ExpiringTtlLeavesTheFrameAlone) {
  Udp u;
  u.ttl = 1;
  auto f = frame(u);
  const auto before = f;
  ParsedFrame pf;
  ASSERT_EQ(dataplane::classify(f.data(), static_cast<std::uint32_t>(f.size()), pf), FrameClass::Udp);
  EXPECT_FALSE(rewrite(f.data(), pf, rewrite_to("10.1.0.1", 30000, "10.1.0.9", 4000)));
  EXPECT_EQ(f, before);
}

TEST(Checksum, IncrementalUpdateOfAllOnesChecksum) {
  // A checksum field of 0xffff (a sum of zero) must update like any other (RFC 1624 §3).
  std::uint8_t data[4] = {0, 0, 0, 0};
  ASSERT_EQ(fold(sum16(data, 4)), 0xffff);
  std::uint8_t changed[4] = {0x12, 0x34, 0xab, 0xcd};
  ChecksumDelta d;
  d.replace(data, changed, 4);
  EXPECT_EQ(d.apply(0xffff), fold(sum16(changed, 4)));
}

}  // namespace
}  // namespace palisade::dataplane
