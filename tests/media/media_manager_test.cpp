// MediaManager between the B2BUA and the fast path: the release decision, anchoring with the
// realm's pool and port, a call's end, idle flows turned into call endings.
#include "media/media_manager.hpp"

#include <gtest/gtest.h>

#include "config/config_file.hpp"
#include "fake_media_plane.hpp"

namespace palisade::media {
namespace {

const char* kConfig = R"(
network-interface = ( { name = "a0"; ip-address = "10.1.0.1"; }, { name = "c0"; ip-address = "10.2.0.1"; },
                      { name = "p0"; ip-address = "10.3.0.1"; } );
realm-config = ( { identifier = "access"; network-interfaces = ["a0"]; }, { identifier = "core"; network-interfaces = ["c0"]; },
                 { identifier = "peer"; network-interfaces = ["p0"]; } );
steering-pool = ( { ip-address = "10.1.0.1"; start-port = 20000; end-port = 20099; realm-id = "access"; },
                  { ip-address = "10.2.0.1"; start-port = 30000; end-port = 30099; realm-id = "core"; },
                  { ip-address = "10.3.0.1"; start-port = 40000; end-port = 40099; realm-id = "peer"; } );
media-manager = { initial-guard-timer = 5; };
)";

const std::string kSdp = "v=0\r\no=x 1 1 IN IP4 10.1.0.50\r\ns=-\r\nc=IN IP4 10.1.0.50\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";

struct Manager : ::testing::Test {
  config::Config cfg = *config::load_config_text(kConfig, "m.cfg").config;
  test::FakeMediaPlane plane;
  MediaManager m{cfg, plane,
                 [](const std::string& realm) -> std::optional<std::uint16_t> {
                   if (realm == "access") return 0;
                   if (realm == "core") return 2;
                   if (realm == "peer") return 4;
                   return std::nullopt;
                 },
                 [](std::uint16_t, const std::string&) { return std::nullopt; }};
  CallParties parties() const {
    CallParties p;
    p.realm[0] = "access", p.realm[1] = "core";
    p.signalling_ip[0] = "10.1.0.50", p.signalling_ip[1] = "10.2.0.10";
    return p;
  }
};

TEST_F(Manager, AnchorsBetweenRealmsWithEachRealmsPoolAndPort) {
  const auto out = m.sdp(7, parties(), true, kSdp);
  ASSERT_TRUE(out);
  EXPECT_NE(out->find("c=IN IP4 10.2.0.1\r\n"), std::string::npos);
  EXPECT_NE(out->find("m=audio 30000 "), std::string::npos);
  EXPECT_EQ(m.anchored_calls(), 1u);
  EXPECT_EQ(m.ports_in_use(), 2u);
  const auto* f = plane.find(0, "10.1.0.1", 20000);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->out_port, 2);
  EXPECT_EQ(f->initial_guard_s, 5u);
  m.ended(7);
  EXPECT_EQ(m.ports_in_use(), 0u);
  EXPECT_EQ(plane.flows(), 0u);
}

TEST_F(Manager, ReleasedMediaCrossesUnchanged) {
  CallParties p = parties();
  p.realm[1] = "access";  // mm-in-realm is disabled by default
  const auto out = m.sdp(8, p, true, kSdp);
  ASSERT_TRUE(out);
  EXPECT_EQ(*out, kSdp);
  EXPECT_EQ(m.counters().released, 1u);
  EXPECT_EQ(plane.flows(), 0u);
}

TEST_F(Manager, AnAnsweredCallsMediaDoesNotMoveToARealmWithoutMedia) {
  ASSERT_TRUE(m.sdp(9, parties(), true, kSdp));
  ASSERT_TRUE(m.sdp(9, parties(), false, kSdp));
  CallParties moved = parties();
  moved.realm[1] = "elsewhere";
  EXPECT_FALSE(m.sdp(9, moved, true, kSdp));
  EXPECT_EQ(m.ports_in_use(), 2u);  // the call keeps what it had
}

const std::string kPeerSdp = "v=0\r\no=y 5 5 IN IP4 10.3.0.60\r\ns=-\r\nc=IN IP4 10.3.0.60\r\nt=0 0\r\nm=audio 6000 RTP/AVP 0\r\n";

TEST_F(Manager, ATransferTargetInAnotherRealmTakesItsSideOfTheCallThere) {
  ASSERT_TRUE(m.sdp(12, parties(), true, kSdp));
  ASSERT_TRUE(m.sdp(12, parties(), false, kSdp));
  CallParties moved = parties();
  moved.realm[1] = "peer";
  moved.signalling_ip[1] = "10.3.0.60";
  const auto offer = m.sdp(12, moved, true, kSdp);  // the transferee's media, to the target
  ASSERT_TRUE(offer);
  EXPECT_NE(offer->find("c=IN IP4 10.3.0.1\r\n"), std::string::npos);
  EXPECT_NE(offer->find("m=audio 40000 "), std::string::npos);
  const auto answer = m.sdp(12, moved, false, kPeerSdp);
  ASSERT_TRUE(answer);
  EXPECT_NE(answer->find("m=audio 20000 "), std::string::npos);  // the transferee's port is unchanged
  const auto* x = plane.find(0, "10.1.0.1", 20000);
  ASSERT_NE(x, nullptr);
  EXPECT_EQ(x->out_port, 4);
  EXPECT_EQ(x->destination.port, 6000);
  EXPECT_EQ(m.counters().rehomed, 1u);
  EXPECT_EQ(m.ports_in_use(), 2u);  // the core pair went back
  m.ended(12);
  EXPECT_EQ(m.ports_in_use() + plane.flows(), 0u);
}

TEST_F(Manager, TwoPartiesOfOneRealmLeftByATransferGoDirectUnderTheOriginsTheyKnow) {
  ASSERT_TRUE(m.sdp(13, parties(), true, kSdp));
  const auto to_a = m.sdp(13, parties(), false, kSdp);
  ASSERT_TRUE(to_a);
  CallParties both = parties();
  both.realm[1] = "access";  // the target is in the caller's realm; mm-in-realm is off
  both.signalling_ip[1] = "10.1.0.70";
  const std::string target = "v=0\r\no=t 9 9 IN IP4 10.1.0.70\r\ns=-\r\nc=IN IP4 10.1.0.70\r\nt=0 0\r\nm=audio 7000 RTP/AVP 0\r\n";
  const auto d = m.direct(13, both, kSdp, target);
  ASSERT_TRUE(d);
  // The caller hears of the target's own address, in the session it knows, one version on.
  const std::string caller_origin = to_a->substr(to_a->find("o="), to_a->find("\r\n", to_a->find("o=")) - to_a->find("o="));
  EXPECT_NE(d->to[0].find(caller_origin.substr(0, caller_origin.rfind(" 1 IN")) + " 2 IN IP4 10.1.0.1\r\n"), std::string::npos)
      << d->to[0];
  EXPECT_NE(d->to[0].find("c=IN IP4 10.1.0.70\r\nt=0 0\r\nm=audio 7000 "), std::string::npos);
  EXPECT_NE(d->to[1].find("m=audio 4000 "), std::string::npos);
  EXPECT_EQ(d->to[1].find("10.1.0.1\r\nc="), std::string::npos);
  EXPECT_EQ(m.anchored_calls(), 1u);  // the SBC carries the media until both have taken it
  m.release(13, true);
  EXPECT_EQ(m.anchored_calls(), 0u);
  EXPECT_EQ(m.ports_in_use() + plane.flows(), 0u);
  EXPECT_EQ(m.counters().released_after_transfer, 1u);
  // Later SDP crosses as it is, still under the SBC's o= of the leg.
  const auto later = m.sdp(13, both, false, target);
  ASSERT_TRUE(later);
  EXPECT_NE(later->find("c=IN IP4 10.1.0.70\r\n"), std::string::npos);
  EXPECT_EQ(later->find("o=t "), std::string::npos);
}

TEST_F(Manager, APartyThatRefusesDirectMediaKeepsItThroughTheSbc) {
  ASSERT_TRUE(m.sdp(14, parties(), true, kSdp));
  ASSERT_TRUE(m.sdp(14, parties(), false, kSdp));
  EXPECT_FALSE(m.direct(14, parties(), kSdp, kSdp));  // access and core: anchored
  CallParties both = parties();
  both.realm[1] = "access";
  ASSERT_TRUE(m.direct(14, both, kSdp, kSdp));
  m.release(14, false);
  EXPECT_EQ(m.anchored_calls(), 1u);
  EXPECT_EQ(m.ports_in_use(), 2u);
}

TEST_F(Manager, AttendedTransferJoinsTwoAnchoredCalls) {
  // Call 15: caller (access) and the transferor (core); call 16: the transferor and the target (peer).
  ASSERT_TRUE(m.sdp(15, parties(), true, kSdp));
  ASSERT_TRUE(m.sdp(15, parties(), false, kSdp));
  CallParties consult;
  consult.realm[0] = "core", consult.realm[1] = "peer";
  consult.signalling_ip[0] = "10.2.0.10", consult.signalling_ip[1] = "10.3.0.60";
  ASSERT_TRUE(m.sdp(16, consult, true, kSdp));
  ASSERT_TRUE(m.sdp(16, consult, false, kPeerSdp));
  ASSERT_TRUE(m.can_join(15, 16));
  CallParties joined = parties();
  joined.realm[1] = "peer", joined.signalling_ip[1] = "10.3.0.60";
  ASSERT_TRUE(m.join(15, false, 16, false, joined));  // each call's B party
  const auto* x = plane.find(0, "10.1.0.1", 20000);
  ASSERT_NE(x, nullptr);
  EXPECT_EQ(x->out_port, 4);
  EXPECT_EQ(x->destination.port, 6000);
  // Both are re-INVITEd: each SDP passes the joined session with the parties as they now are.
  ASSERT_TRUE(m.sdp(15, joined, true, kSdp));
  ASSERT_TRUE(m.sdp(15, joined, false, kPeerSdp));
  m.ended(16);  // the transferor's consultation call ends with its two halves
  EXPECT_EQ(m.ports_in_use(), 2u);
  m.ended(15);
  EXPECT_EQ(m.ports_in_use() + plane.flows(), 0u);
  EXPECT_FALSE(m.can_join(15, 16));
}

TEST_F(Manager, AFailoverBeforeTheAnswerStartsAnew) {
  ASSERT_TRUE(m.sdp(10, parties(), true, kSdp));
  CallParties other = parties();
  other.signalling_ip[1] = "10.2.0.11";
  ASSERT_TRUE(m.sdp(10, other, true, kSdp));
  EXPECT_EQ(m.ports_in_use(), 2u);
}

TEST_F(Manager, TheFlowTimeLimitEndsTheCallAtOnce) {
  ASSERT_TRUE(m.sdp(13, parties(), true, kSdp));
  std::vector<std::uint64_t> ended;
  m.on_media_timeout = [&](std::uint64_t call, const std::string&) { ended.push_back(call); };
  dataplane::FlowEvent e;
  e.type = dataplane::FlowEvent::Type::Idle;
  e.idle = static_cast<std::uint8_t>(dataplane::Idle::TimeLimit);
  e.slot = plane.slot_of(plane.find(0, "10.1.0.1", 20000));
  m.on_events({e});
  EXPECT_EQ(ended, (std::vector<std::uint64_t>{13}));
}

TEST_F(Manager, PeerIpLatchingFollowsANewSignallingAddress) {
  config::Config c = cfg;
  c.realms[1].restricted_latching = config::RestrictedLatching::PeerIp;
  MediaManager mm{c, plane, [](const std::string& realm) -> std::optional<std::uint16_t> { return realm == "access" ? 0 : 2; },
                  [](std::uint16_t, const std::string&) { return std::nullopt; }};
  const std::string core_sdp = "v=0\r\no=x 1 1 IN IP4 10.2.0.50\r\ns=-\r\nc=IN IP4 10.2.0.50\r\nt=0 0\r\nm=audio 5000 RTP/AVP 0\r\n";
  ASSERT_TRUE(mm.sdp(14, parties(), true, kSdp));
  ASSERT_TRUE(mm.sdp(14, parties(), false, core_sdp));
  EXPECT_EQ(dataplane::to_string(plane.find(2, "10.2.0.1", 30000)->allowed_source), "10.2.0.10");
  CallParties moved = parties();
  moved.signalling_ip[1] = "10.2.0.11";  // a transfer target in the transferor's place
  ASSERT_TRUE(mm.sdp(14, moved, false, core_sdp));
  EXPECT_EQ(dataplane::to_string(plane.find(2, "10.2.0.1", 30000)->allowed_source), "10.2.0.11");
}

TEST_F(Manager, EachCallsOriginIsItsOwnAndTellsNothing) {
  auto origin = [](const std::string& sdp) { return sdp.substr(sdp.find("o="), sdp.find("\r\n", sdp.find("o=")) - sdp.find("o=")); };
  const auto one = m.sdp(1, parties(), true, kSdp), two = m.sdp(2, parties(), true, kSdp);
  ASSERT_TRUE(one && two);
  EXPECT_NE(origin(*one), origin(*two));
  // 63 random bits, not the call's number: shorter than 10 digits once in a billion
  const std::string id = origin(*one).substr(11, origin(*one).find(' ', 11) - 11);
  EXPECT_GE(id.size(), 10u) << origin(*one);
}

TEST_F(Manager, GarbageSdpIsRefused) {
  EXPECT_FALSE(m.sdp(11, parties(), true, "not sdp"));
  EXPECT_EQ(m.counters().refused, 1u);
}

TEST_F(Manager, AnIdleFlowEndsItsCall) {
  ASSERT_TRUE(m.sdp(12, parties(), true, kSdp));
  std::vector<std::pair<std::uint64_t, std::string>> ended;
  m.on_media_timeout = [&](std::uint64_t call, const std::string& why) { ended.emplace_back(call, why); };
  dataplane::FlowEvent e;
  e.type = dataplane::FlowEvent::Type::Idle;
  e.idle = static_cast<std::uint8_t>(dataplane::Idle::InitialGuard);
  e.slot = plane.slot_of(plane.find(0, "10.1.0.1", 20000));
  dataplane::FlowEvent stranger = e;
  stranger.slot = 999;
  m.on_events({stranger, e});
  EXPECT_TRUE(ended.empty());  // the other direction may still carry media (a party on hold)
  dataplane::FlowEvent back = e;
  back.slot = plane.slot_of(plane.find(2, "10.2.0.1", 30000));
  m.on_events({back, back});
  ASSERT_EQ(ended.size(), 1u);  // both quiet: ended, once
  EXPECT_EQ(ended[0].first, 12u);
  EXPECT_EQ(ended[0].second, "SIP;cause=408;text=\"no media since set-up\"");
}

// A party whose media flowed and stopped while both SDPs say it sends is gone (a dead callee):
// the call ends though the other party still talks. On hold, the same silence ends nothing.
struct Stopped : Manager {
  const std::string core_sdp = "v=0\r\no=x 1 1 IN IP4 10.2.0.50\r\ns=-\r\nc=IN IP4 10.2.0.50\r\nt=0 0\r\nm=audio 5000 RTP/AVP 0\r\n";
  std::vector<std::pair<std::uint64_t, std::string>> ended;
  dataplane::FlowEvent callee_stopped() {
    dataplane::FlowEvent e;
    e.type = dataplane::FlowEvent::Type::Idle;
    e.idle = static_cast<std::uint8_t>(dataplane::Idle::SubsequentGuard);
    e.slot = plane.slot_of(plane.find(2, "10.2.0.1", 30000));  // B -> A
    return e;
  }
  void call(std::uint64_t id, const std::string& offer, const std::string& answer) {
    m.on_media_timeout = [this](std::uint64_t c, const std::string& why) { ended.emplace_back(c, why); };
    ASSERT_TRUE(m.sdp(id, parties(), true, offer));
    ASSERT_TRUE(m.sdp(id, parties(), false, answer));
  }
};

TEST_F(Stopped, ACalleeWhoseMediaStoppedWhileItShouldSendEndsTheCall) {
  call(20, kSdp, core_sdp);
  m.on_events({callee_stopped()});
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_EQ(ended[0].first, 20u);
  EXPECT_EQ(ended[0].second, "SIP;cause=408;text=\"media stopped\"");
}

TEST_F(Stopped, ACalleeOnHoldMaySayNothing) {
  call(21, kSdp + "a=sendonly\r\n", core_sdp + "a=recvonly\r\n");  // the caller holds the callee
  m.on_events({callee_stopped()});
  EXPECT_TRUE(ended.empty());
}

TEST_F(Stopped, ACalleeHeldByAddressMaySayNothing) {
  call(22, kSdp, "v=0\r\no=x 1 2 IN IP4 10.2.0.50\r\ns=-\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\nm=audio 5000 RTP/AVP 0\r\n");
  m.on_events({callee_stopped()});
  EXPECT_TRUE(ended.empty());
}

}  // namespace
}  // namespace palisade::media
