// Latching, learning and guards on one flow entry: the decisions of relay.hpp, without ports.
#include "relay.hpp"

#include <gtest/gtest.h>

#include "packet_builder.hpp"

namespace palisade::dataplane {
namespace {

using test::frame;
using test::Udp;

const std::uint8_t kPortMac[6] = {2, 0xbb, 0, 0, 0, 2};
constexpr std::uint64_t kHz = 1000;  // one tick a millisecond keeps the guard arithmetic readable

FlowSpec access_to_core(LatchMode latch) {
  FlowSpec s;
  s.in_port = 0;
  s.local = {parse_ip("10.0.0.1"), 20000};
  s.out_port = 1;
  s.source = {parse_ip("10.1.0.1"), 30000};
  s.destination = {parse_ip("10.1.0.9"), 4000};
  s.next_hop_mac = {2, 0, 0, 0, 1, 9};
  s.latch = latch;
  s.allowed_source = parse_ip("10.0.0.9");
  return s;
}

FlowSpec core_to_access() {
  FlowSpec s;
  s.in_port = 1;
  s.local = {parse_ip("10.1.0.1"), 30000};
  s.out_port = 0;
  s.source = {parse_ip("10.0.0.1"), 20000};
  s.destination = {parse_ip("10.0.0.9"), 5000};  // SDP's port; the NAT will say otherwise
  s.latch = LatchMode::Off;
  return s;
}

struct Pair {
  FlowEntry fwd, rev;
  explicit Pair(LatchMode latch, bool relatch = false) {
    FlowSpec s = access_to_core(latch);
    s.relatch = relatch;
    load_entry(fwd, s, kPortMac, 0, kHz, false);
    load_entry(rev, core_to_access(), kPortMac, 0, kHz, false);
  }
  RelayResult send(FlowEntry& e, const Udp& u, std::uint64_t now = 1, FlowEntry* other = nullptr) {
    auto f = frame(u);
    last = f;
    ParsedFrame pf;
    EXPECT_EQ(classify(f.data(), static_cast<std::uint32_t>(f.size()), pf), FrameClass::Udp);
    const RelayResult r = relay(e, other ? other : (&e == &fwd ? &rev : nullptr), f.data(), pf, static_cast<std::uint32_t>(f.size()), now);
    last = f;
    return r;
  }
  std::vector<std::uint8_t> last;
};

Udp from(const char* ip, std::uint16_t port) {
  Udp u;
  u.src = ip;
  u.sport = port;
  return u;
}

TEST(Latching, RestrictedLearnsTheNattedPortFromTheSignalledIp) {
  Pair p(LatchMode::Restricted);
  EXPECT_FALSE(p.rev.resolved);  // nobody told it a MAC: it waits for the far end to speak
  const RelayResult r = p.send(p.fwd, from("10.0.0.9", 61000));
  EXPECT_TRUE(r.forward);
  EXPECT_TRUE(r.latched_now);
  EXPECT_TRUE(p.fwd.latched);
  // The reverse direction now goes where the endpoint really is, via the MAC it came from.
  EXPECT_TRUE(p.rev.resolved);
  EXPECT_EQ(load16(p.rev.rw.dst_port), 61000);
  EXPECT_EQ(p.rev.rw.dst_mac[5], 9);
  EXPECT_EQ(std::vector<std::uint8_t>(p.rev.rw.dst_ip, p.rev.rw.dst_ip + 4), (std::vector<std::uint8_t>{10, 0, 0, 9}));
  EXPECT_EQ(p.fwd.packets.get(), 1u);
}

TEST(Latching, RestrictedRefusesOtherAddressesBeforeAndAfter) {
  Pair p(LatchMode::Restricted);
  EXPECT_EQ(p.send(p.fwd, from("10.0.0.66", 5004)).reason, DropReason::WrongSource);
  EXPECT_FALSE(p.fwd.latched);
  EXPECT_TRUE(p.send(p.fwd, from("10.0.0.9", 5004)).forward);
  EXPECT_EQ(p.send(p.fwd, from("10.0.0.9", 5006)).reason, DropReason::WrongSource);  // same IP, new port
  EXPECT_EQ(p.send(p.fwd, from("10.0.0.66", 5004)).reason, DropReason::WrongSource);
  EXPECT_EQ(p.fwd.wrong_source.get(), 3u);
  EXPECT_EQ(p.fwd.packets.get(), 1u);
  EXPECT_EQ(load16(p.rev.rw.dst_port), 5004);  // the impostor moved nothing
}

TEST(Latching, RelatchFollowsAHandoverWithinTheRule) {
  Pair p(LatchMode::Restricted, true);
  ASSERT_TRUE(p.send(p.fwd, from("10.0.0.9", 5004)).forward);
  const RelayResult r = p.send(p.fwd, from("10.0.0.9", 7008));
  EXPECT_TRUE(r.forward);
  EXPECT_TRUE(r.latched_now);
  EXPECT_EQ(load16(p.rev.rw.dst_port), 7008);
  EXPECT_EQ(p.send(p.fwd, from("10.0.0.66", 7008)).reason, DropReason::WrongSource);  // still restricted
}

TEST(Latching, UnrestrictedTakesTheFirstSourceThenHoldsIt) {
  Pair p(LatchMode::Unrestricted);
  ASSERT_TRUE(p.send(p.fwd, from("198.51.100.7", 40000)).forward);
  EXPECT_EQ(p.send(p.fwd, from("10.0.0.9", 5004)).reason, DropReason::WrongSource);
  EXPECT_EQ(load16(p.rev.rw.dst_port), 40000);
}

TEST(Latching, OffRelaysFromAnyoneAndLearnsNothing) {
  Pair p(LatchMode::Off);
  EXPECT_TRUE(p.send(p.fwd, from("10.0.0.66", 1)).forward);
  EXPECT_TRUE(p.send(p.fwd, from("10.0.0.67", 2)).forward);
  EXPECT_FALSE(p.rev.resolved);
  EXPECT_FALSE(p.fwd.latched);
}

TEST(Relay, UnresolvedDestinationDropsUntilLatchingResolvesIt) {
  Pair p(LatchMode::Restricted);
  Udp core;
  core.src = "10.1.0.9", core.dst = "10.1.0.1", core.sport = 4000, core.dport = 30000;
  EXPECT_EQ(p.send(p.rev, core).reason, DropReason::Unresolved);
  ASSERT_TRUE(p.send(p.fwd, from("10.0.0.9", 61000)).forward);
  const RelayResult r = p.send(p.rev, core);
  ASSERT_TRUE(r.forward);
  EXPECT_TRUE(test::checksums_ok(p.last));
  EXPECT_EQ(load16(&p.last[kEtherLen + kIpv4Len + 2]), 61000);  // to the NAT's port
  EXPECT_EQ(load16(&p.last[kEtherLen + kIpv4Len]), 20000);       // from the SBC's access port
}

TEST(Relay, ModifyKeepsCountersAndTheLatchWhenTheRuleStands) {
  Pair p(LatchMode::Restricted);
  ASSERT_TRUE(p.send(p.fwd, from("10.0.0.9", 61000)).forward);
  FlowSpec s = access_to_core(LatchMode::Restricted);
  s.destination = {parse_ip("10.1.0.77"), 4400};  // a transfer: the core party changed
  load_entry(p.fwd, s, kPortMac, 5, kHz, true);
  EXPECT_TRUE(p.fwd.latched);
  EXPECT_EQ(p.fwd.packets.get(), 1u);
  ASSERT_TRUE(p.send(p.fwd, from("10.0.0.9", 61000)).forward);
  EXPECT_EQ(load16(&p.last[kEtherLen + kIpv4Len + 2]), 4400);
  s.allowed_source = parse_ip("10.0.0.10");  // a new rule: learn again
  load_entry(p.fwd, s, kPortMac, 6, kHz, true);
  EXPECT_FALSE(p.fwd.latched);
}

TEST(Guards, InitialGuardFiresOnlyWithoutMedia) {
  FlowEntry e;
  FlowSpec s = access_to_core(LatchMode::Off);
  s.initial_guard_s = 2;
  load_entry(e, s, kPortMac, 1000, kHz, false);
  EXPECT_EQ(idle_due(e, 2999), 0);
  EXPECT_EQ(idle_due(e, 3001), static_cast<std::uint8_t>(Idle::InitialGuard));
  e.last_seen = 2500;
  EXPECT_EQ(idle_due(e, 3001), 0);
}

TEST(Guards, SubsequentGuardAndTimeLimitAreReportedOnce) {
  FlowEntry e;
  FlowSpec s = access_to_core(LatchMode::Off);
  s.subsequent_guard_s = 1;
  s.time_limit_s = 10;
  load_entry(e, s, kPortMac, 0, kHz, false);
  e.last_seen = 500;
  EXPECT_EQ(idle_due(e, 1400), 0);
  EXPECT_EQ(idle_due(e, 1501), static_cast<std::uint8_t>(Idle::SubsequentGuard));
  e.reported |= static_cast<std::uint8_t>(Idle::SubsequentGuard);
  EXPECT_EQ(idle_due(e, 5000), 0);
  e.last_seen = 10000;
  EXPECT_EQ(idle_due(e, 10001), static_cast<std::uint8_t>(Idle::TimeLimit));
}

}  // namespace
}  // namespace palisade::dataplane
