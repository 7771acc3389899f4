// A call's media programmed through the fake plane: ports from the pools, flows both ways with
// each naming its reverse, SDPs rewritten, NAT detection for latching, re-INVITEs, rejection,
// exhaustion, and nothing left behind.
#include "media/media_session.hpp"

#include <gtest/gtest.h>

#include "fake_media_plane.hpp"

namespace palisade::media {
namespace {

using test::FakeMediaPlane;

constexpr std::uint16_t kAccessPort = 0, kCorePort = 2;

sdp::SessionDescription sdp_of(const std::string& ip, std::uint16_t port, const std::string& extra = "",
                               const std::string& more_media = "") {
  std::string t = "v=0\r\no=x 1 1 IN IP4 " + ip + "\r\ns=-\r\nc=IN IP4 " + ip + "\r\nt=0 0\r\nm=audio " +
                  std::to_string(port) + " RTP/AVP 0\r\n" + extra + more_media;
  auto r = sdp::parse(t);
  EXPECT_TRUE(r) << (r ? "" : r.error().reason);
  return *r;
}

struct Call {
  FakeMediaPlane plane;
  SteeringPool access{"access", "10.10.1.1", 20000, 20009};
  SteeringPool core{"core", "10.10.2.1", 30000, 30009};
  std::unique_ptr<MediaSession> m;
  explicit Call(const std::string& caller_signalling = "10.10.1.10",
                config::RestrictedLatching caller_rule = config::RestrictedLatching::Auto) {
    m = std::make_unique<MediaSession>(
        plane, PartySide{&access, kAccessPort, caller_signalling, caller_rule}, PartySide{&core, kCorePort, "10.10.2.10"},
        FlowTimers{30, 60, 7200},
        [](std::uint16_t port, const std::string& ip) -> std::optional<std::array<std::uint8_t, 6>> {
          if (ip == "10.10.2.20") return std::nullopt;  // a neighbour the kernel does not know
          return std::array<std::uint8_t, 6>{2, 0, 0, 0, static_cast<std::uint8_t>(port), 9};
        },
        "4242");
  }
};

TEST(MediaSession, OfferAndAnswerAnchorBothWays) {
  Call c;
  const auto to_core = c.m->on_sdp(Party::A, sdp_of("10.10.1.10", 4000));
  ASSERT_TRUE(to_core);
  EXPECT_NE(to_core->find("c=IN IP4 10.10.2.1\r\n"), std::string::npos);
  EXPECT_NE(to_core->find("m=audio 30000 RTP/AVP 0\r\n"), std::string::npos);
  EXPECT_EQ(to_core->find("10.10.1."), std::string::npos);
  const auto to_access = c.m->on_sdp(Party::B, sdp_of("10.10.2.10", 5000));
  ASSERT_TRUE(to_access);
  EXPECT_NE(to_access->find("m=audio 20000 RTP/AVP 0\r\n"), std::string::npos);
  EXPECT_EQ(to_access->find("10.10.2."), std::string::npos);
  EXPECT_EQ(c.plane.flows_in_use(), 4u);  // RTP and RTCP, each way

  const auto* up = c.plane.find(kAccessPort, "10.10.1.1", 20000);  // the caller's RTP
  ASSERT_NE(up, nullptr);
  EXPECT_EQ(up->out_port, kCorePort);
  EXPECT_EQ(dataplane::to_string(up->source.ip), "10.10.2.1");
  EXPECT_EQ(up->source.port, 30000);
  EXPECT_EQ(dataplane::to_string(up->destination.ip), "10.10.2.10");
  EXPECT_EQ(up->destination.port, 5000);
  EXPECT_EQ(up->next_hop_mac[4], kCorePort);
  EXPECT_EQ(up->latch, dataplane::LatchMode::Restricted);
  EXPECT_EQ(dataplane::to_string(up->allowed_source), "10.10.1.10");
  EXPECT_EQ(up->initial_guard_s, 30u);
  const auto* down = c.plane.find(kCorePort, "10.10.2.1", 30000);
  ASSERT_NE(down, nullptr);
  EXPECT_EQ(down->destination.port, 4000);
  EXPECT_EQ(up->reverse, c.plane.slot_of(down));  // each names the other
  EXPECT_EQ(down->reverse, c.plane.slot_of(up));
  const auto* rtcp = c.plane.find(kAccessPort, "10.10.1.1", 20001);
  ASSERT_NE(rtcp, nullptr);
  EXPECT_EQ(rtcp->destination.port, 5001);
  EXPECT_EQ(rtcp->source.port, 30001);
  EXPECT_EQ(rtcp->initial_guard_s, 0u);  // no RTCP is no reason to end a call
}

TEST(MediaSession, BeforeTheAnswerTheCalleesDirectionWaitsForItsAddress) {
  Call c;
  ASSERT_TRUE(c.m->on_sdp(Party::A, sdp_of("10.10.1.10", 4000)));
  const auto* up = c.plane.find(kAccessPort, "10.10.1.1", 20000);
  ASSERT_NE(up, nullptr);
  EXPECT_EQ(up->destination.port, 0);  // not known: unresolved until the answer or latching
  const auto* down = c.plane.find(kCorePort, "10.10.2.1", 30000);
  ASSERT_NE(down, nullptr);
  EXPECT_EQ(down->destination.port, 4000);  // early media can reach the caller
}

TEST(MediaSession, ACallerBehindANatIsLatchedFromItsSignallingAddress) {
  Call c("203.0.113.5");  // its SIP comes from the NAT's public address
  ASSERT_TRUE(c.m->on_sdp(Party::A, sdp_of("192.168.0.20", 4000)));
  const auto* up = c.plane.find(kAccessPort, "10.10.1.1", 20000);
  ASSERT_NE(up, nullptr);
  EXPECT_EQ(dataplane::to_string(up->allowed_source), "203.0.113.5");
}

TEST(MediaSession, TheRealmsLatchingRuleDecidesWhomToLatchFrom) {
  using R = config::RestrictedLatching;
  // A NAT whose public side is itself a private network (a carrier-grade NAT, the lab): auto
  // cannot tell; peer-ip says so.
  for (const auto& [rule, want] : {std::pair{R::Auto, "192.168.0.20"}, std::pair{R::Sdp, "192.168.0.20"},
                                   std::pair{R::PeerIp, "10.10.1.20"}}) {
    Call c("10.10.1.20", rule);
    ASSERT_TRUE(c.m->on_sdp(Party::A, sdp_of("192.168.0.20", 4000)));
    const auto* up = c.plane.find(kAccessPort, "10.10.1.1", 20000);
    ASSERT_NE(up, nullptr);
    EXPECT_EQ(dataplane::to_string(up->allowed_source), want);
    EXPECT_EQ(up->latch, dataplane::LatchMode::Restricted);
  }
  Call open("10.10.1.20", R::None);
  ASSERT_TRUE(open.m->on_sdp(Party::A, sdp_of("192.168.0.20", 4000)));
  EXPECT_EQ(open.plane.find(kAccessPort, "10.10.1.1", 20000)->latch, dataplane::LatchMode::Unrestricted);
}

TEST(MediaSession, AReinviteModifiesTheFlowsItHas) {
  Call c;
  ASSERT_TRUE(c.m->on_sdp(Party::A, sdp_of("10.10.1.10", 4000)));
  ASSERT_TRUE(c.m->on_sdp(Party::B, sdp_of("10.10.2.10", 5000)));
  const int installs = c.plane.installs;
  const auto again = c.m->on_sdp(Party::B, sdp_of("10.10.2.11", 5500, "a=sendonly\r\n"));  // moved and on hold
  ASSERT_TRUE(again);
  EXPECT_EQ(c.plane.installs, installs);  // same streams, same slots
  EXPECT_EQ(c.plane.find(kAccessPort, "10.10.1.1", 20000)->destination.port, 5500);
  EXPECT_NE(again->find("a=sendonly\r\n"), std::string::npos);
  EXPECT_NE(again->find("o=palisade 4242 2 IN IP4 10.10.1.1\r\n"), std::string::npos);  // the caller's leg, version 2
  EXPECT_EQ(c.access.in_use(), 1u);
}

TEST(MediaSession, RtcpMuxNeedsNoRtcpFlows) {
  Call c;
  ASSERT_TRUE(c.m->on_sdp(Party::A, sdp_of("10.10.1.10", 4000, "a=rtcp-mux\r\n")));
  EXPECT_EQ(c.plane.flows_in_use(), 2u);
}

TEST(MediaSession, RejectedStreamsTakeNoPortsAndLeaveOnRejection) {
  Call c;
  ASSERT_TRUE(c.m->on_sdp(Party::A, sdp_of("10.10.1.10", 4000, "", "m=video 4002 RTP/AVP 99\r\n")));
  EXPECT_EQ(c.access.in_use(), 2u);
  const auto answer = c.m->on_sdp(Party::B, sdp_of("10.10.2.10", 5000, "", "m=video 0 RTP/AVP 99\r\n"));
  ASSERT_TRUE(answer);
  EXPECT_NE(answer->find("m=video 0 RTP/AVP 99\r\n"), std::string::npos);
  EXPECT_EQ(c.access.in_use(), 1u);  // the refused video gave its ports back
  EXPECT_EQ(c.plane.flows_in_use(), 4u);
}

TEST(MediaSession, AnExhaustedPoolRefusesAndKeepsWhatWasThere) {
  Call c;
  SteeringPool tiny("core", "10.10.2.1", 30000, 30001);  // one pair
  MediaSession m(c.plane, PartySide{&c.access, kAccessPort, ""}, PartySide{&tiny, kCorePort, ""}, {},
                 [](std::uint16_t, const std::string&) { return std::nullopt; }, "1");
  EXPECT_FALSE(m.on_sdp(Party::A, sdp_of("10.10.1.10", 4000, "", "m=video 4002 RTP/AVP 99\r\n")));
  EXPECT_EQ(c.access.in_use(), 0u);
  EXPECT_EQ(tiny.in_use(), 0u);
  EXPECT_EQ(c.plane.flows_in_use(), 0u);
  EXPECT_TRUE(m.on_sdp(Party::A, sdp_of("10.10.1.10", 4000)));
}

TEST(MediaSession, AFullFlowTableRefuses) {
  FakeMediaPlane small(2);
  SteeringPool a("access", "10.10.1.1", 20000, 20009), b("core", "10.10.2.1", 30000, 30009);
  MediaSession m(small, PartySide{&a, 0, ""}, PartySide{&b, 2, ""}, {},
                 [](std::uint16_t, const std::string&) { return std::nullopt; }, "1");
  EXPECT_FALSE(m.on_sdp(Party::A, sdp_of("10.10.1.10", 4000)));  // RTP fits, RTCP does not
}

TEST(MediaSession, EndingTheCallLeavesNoPortOrFlow) {
  Call c;
  ASSERT_TRUE(c.m->on_sdp(Party::A, sdp_of("10.10.1.10", 4000)));
  ASSERT_TRUE(c.m->on_sdp(Party::B, sdp_of("10.10.2.10", 5000)));
  c.m.reset();
  EXPECT_EQ(c.plane.flows(), 0u);
  EXPECT_EQ(c.access.in_use(), 0u);
  EXPECT_EQ(c.core.in_use(), 0u);
}

// Attended transfer: call 1 is caller X (access) <-> transferor R (core); call 2 is R (core)
// <-> target Y (access, a second pool on another port). The join puts Y where R was in call 1.
TEST(MediaSession, AnExchangeJoinsTheTransfereeAndTheTargetWhereTheyAlreadySend) {
  Call one;  // X on access 20000, R on core 30000
  SteeringPool far("access", "10.10.3.1", 40000, 40009);
  constexpr std::uint16_t kFarPort = 4;
  auto two = std::make_unique<MediaSession>(one.plane, PartySide{&one.core, kCorePort, "10.10.2.10"},
                                            PartySide{&far, kFarPort, "10.10.3.10"}, FlowTimers{},
                                            [](std::uint16_t, const std::string&) { return std::nullopt; }, "77");
  ASSERT_TRUE(one.m->on_sdp(Party::A, sdp_of("10.10.1.10", 4000)));
  ASSERT_TRUE(one.m->on_sdp(Party::B, sdp_of("10.10.2.10", 5000)));
  ASSERT_TRUE(two->on_sdp(Party::A, sdp_of("10.10.2.10", 5002)));  // R on core 30002
  ASSERT_TRUE(two->on_sdp(Party::B, sdp_of("10.10.3.10", 6000)));  // Y on 40000
  const std::size_t flows = one.plane.flows_in_use();
  const std::int32_t x_slot = one.plane.slot_of(one.plane.find(kAccessPort, "10.10.1.1", 20000));
  const std::int32_t y_slot = one.plane.slot_of(one.plane.find(kFarPort, "10.10.3.1", 40000));
  ASSERT_TRUE(one.m->can_exchange(*two));
  ASSERT_TRUE(one.m->exchange(Party::B, *two, Party::B));

  // X's media, on the port X knows, goes to Y from the port Y knows; and back.
  const auto* x = one.plane.find(kAccessPort, "10.10.1.1", 20000);
  ASSERT_NE(x, nullptr);
  EXPECT_EQ(one.plane.slot_of(x), x_slot);  // the same flow, re-pointed: latching stays
  EXPECT_EQ(x->out_port, kFarPort);
  EXPECT_EQ(dataplane::to_string(x->source.ip), "10.10.3.1");
  EXPECT_EQ(x->source.port, 40000);
  EXPECT_EQ(dataplane::to_string(x->destination.ip), "10.10.3.10");
  EXPECT_EQ(x->destination.port, 6000);
  const auto* y = one.plane.find(kFarPort, "10.10.3.1", 40000);
  ASSERT_NE(y, nullptr);
  EXPECT_EQ(one.plane.slot_of(y), y_slot);
  EXPECT_EQ(y->out_port, kAccessPort);
  EXPECT_EQ(y->source.port, 20000);
  EXPECT_EQ(y->destination.port, 4000);
  EXPECT_EQ(x->reverse, y_slot);
  EXPECT_EQ(y->reverse, x_slot);
  // The transferor's two halves are left to each other in call 2, which ends with it.
  const auto* r = one.plane.find(kCorePort, "10.10.2.1", 30002);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->source.port, 30000);
  EXPECT_EQ(one.plane.flows_in_use(), flows);  // nothing installed, nothing lost
  // The target is told of the transferee under the o= it knows from call 2, one version on.
  const auto to_y = one.m->on_sdp(Party::A, sdp_of("10.10.1.10", 4000, "a=ptime:20\r\n"));
  ASSERT_TRUE(to_y);
  EXPECT_NE(to_y->find("o=palisade 771 2 IN IP4 10.10.3.1\r\n"), std::string::npos) << *to_y;
  EXPECT_NE(to_y->find("m=audio 40000 "), std::string::npos);
  two.reset();
  EXPECT_EQ(one.core.in_use(), 0u);  // both of the transferor's pairs went with call 2
  EXPECT_EQ(one.plane.flows_in_use(), 4u);  // X's and Y's RTP and RTCP
  one.m.reset();
  EXPECT_EQ(one.access.in_use() + far.in_use() + one.plane.flows_in_use(), 0u);
}

TEST(MediaSession, UnlikeStreamsDoNotExchange) {
  Call one;
  MediaSession two(one.plane, PartySide{&one.core, kCorePort, ""}, PartySide{&one.access, kAccessPort, ""}, {},
                   [](std::uint16_t, const std::string&) { return std::nullopt; }, "77");
  ASSERT_TRUE(one.m->on_sdp(Party::A, sdp_of("10.10.1.10", 4000)));
  ASSERT_TRUE(two.on_sdp(Party::A, sdp_of("10.10.2.10", 5002, "", "m=video 5004 RTP/AVP 99\r\n")));
  EXPECT_FALSE(one.m->can_exchange(two));
  EXPECT_FALSE(one.m->exchange(Party::B, two, Party::B));
}

TEST(MediaSession, ATargetInAnotherRealmGetsPortsThereAndTheTransfereeKeepsItsOwn) {
  Call c;
  ASSERT_TRUE(c.m->on_sdp(Party::A, sdp_of("10.10.1.10", 4000)));
  ASSERT_TRUE(c.m->on_sdp(Party::B, sdp_of("10.10.2.10", 5000)));
  SteeringPool far("far", "10.10.3.1", 40000, 40009);
  ASSERT_TRUE(c.m->rehome(Party::B, PartySide{&far, 4, "10.10.3.10"}));
  EXPECT_EQ(c.core.in_use(), 0u);
  EXPECT_EQ(far.in_use(), 1u);
  EXPECT_EQ(c.plane.find(kCorePort, "10.10.2.1", 30000), nullptr);  // the transferor's flows went
  const auto to_target = c.m->on_sdp(Party::A, sdp_of("10.10.1.10", 4000));  // the INVITE to the target
  ASSERT_TRUE(to_target);
  EXPECT_NE(to_target->find("c=IN IP4 10.10.3.1\r\n"), std::string::npos);
  EXPECT_NE(to_target->find("m=audio 40000 "), std::string::npos);
  const auto* x = c.plane.find(kAccessPort, "10.10.1.1", 20000);
  ASSERT_NE(x, nullptr);
  EXPECT_EQ(x->out_port, 4);
  EXPECT_EQ(x->destination.port, 0);  // nothing to send to until the target answers
  ASSERT_TRUE(c.m->on_sdp(Party::B, sdp_of("10.10.3.10", 6000)));
  EXPECT_EQ(c.plane.find(kAccessPort, "10.10.1.1", 20000)->destination.port, 6000);
  const auto* y = c.plane.find(4, "10.10.3.1", 40000);
  ASSERT_NE(y, nullptr);
  EXPECT_EQ(y->destination.port, 4000);
  EXPECT_EQ(y->reverse, c.plane.slot_of(c.plane.find(kAccessPort, "10.10.1.1", 20000)));
  EXPECT_EQ(c.plane.flows_in_use(), 4u);

  SteeringPool none("none", "10.10.4.1", 50000, 50000);  // no pair at all
  EXPECT_FALSE(c.m->rehome(Party::B, PartySide{&none, 6, ""}));
  EXPECT_EQ(far.in_use(), 1u);  // nothing changed
  c.m.reset();
  EXPECT_EQ(far.in_use() + c.access.in_use() + c.plane.flows_in_use(), 0u);
}

TEST(MediaSession, ManyCallsLeaveNothingBehind) {
  FakeMediaPlane plane(100000);
  SteeringPool a("access", "10.10.1.1", 20000, 29999), b("core", "10.10.2.1", 30000, 39999);
  for (int i = 0; i < 10000; ++i) {
    MediaSession m(plane, PartySide{&a, 0, ""}, PartySide{&b, 2, ""}, {},
                   [](std::uint16_t, const std::string&) { return std::nullopt; }, std::to_string(i));
    ASSERT_TRUE(m.on_sdp(Party::A, sdp_of("10.10.1.10", 4000)));
    ASSERT_TRUE(m.on_sdp(Party::B, sdp_of("10.10.2.10", 5000)));
  }
  EXPECT_EQ(plane.flows(), 0u);
  EXPECT_EQ(a.in_use(), 0u);
  EXPECT_EQ(b.in_use(), 0u);
}

}  // namespace
}  // namespace palisade::media
