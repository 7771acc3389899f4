// Transfers the SBC performs while it anchors the call's media (the B2BUA with a real
// MediaManager over the fake MediaPlane). Blind: the target is offered the SBC's port that faced
// the transferor (or new ports in the target's realm), its answer re-points the flows, and the
// transferee keeps its SBC port and is re-INVITEd only when the direction it was told changes.
// Attended: the two calls' media are joined where each party already sends. After either, two
// parties the media-release rules let go are re-INVITEd to direct media.
#include "../media/fake_media_plane.hpp"
#include "call_fixture.hpp"
#include "media/media_manager.hpp"
#include "transfer_fixture.hpp"

namespace palisade::b2bua {
namespace {

using namespace testing_support;

const char* kConfig = R"(
network-interface = ( { name = "a0"; ip-address = "10.1.0.1"; }, { name = "c0"; ip-address = "10.2.0.1"; } );
realm-config = ( { identifier = "access"; network-interfaces = ["a0"]; mm-in-realm = "enabled"; },
                 { identifier = "core"; network-interfaces = ["c0"]; } );
sip-interface = ( { realm-id = "access"; sip-ports = ( { address = "10.1.0.1"; } ); },
                  { realm-id = "core"; sip-ports = ( { address = "10.2.0.1"; } ); } );
steering-pool = ( { ip-address = "10.1.0.1"; start-port = 20000; end-port = 20099; realm-id = "access"; },
                  { ip-address = "10.2.0.1"; start-port = 30000; end-port = 30099; realm-id = "core"; } );
session-agent = ( { hostname = "ss1"; ip-address = "10.2.0.10"; realm-id = "core"; refer-call-transfer = "enabled"; },
                  { hostname = "ss2"; ip-address = "10.2.0.11"; realm-id = "core"; } );
local-policy = ( { to-address = ["1"]; source-realm = ["access"]; policy-attributes = ( { next-hop = "ss1"; realm = "core"; } ); },
                 { to-address = ["2"]; source-realm = ["access"]; policy-attributes = ( { next-hop = "ss2"; realm = "core"; } ); },
                 { to-address = ["3"]; source-realm = ["access"]; policy-attributes = ( { next-hop = "10.1.0.70"; realm = "access"; } ); } );
)";

std::string sdp(const std::string& addr, int port, const std::string& dir = "sendrecv") {
  return "v=0\r\no=x 1 1 IN IP4 " + addr + "\r\ns=-\r\nc=IN IP4 " + addr + "\r\nt=0 0\r\nm=audio " + std::to_string(port) +
         " RTP/AVP 0\r\na=" + dir + "\r\n";
}

struct AnchoredTransfer : CallFixture {
  AnchoredTransfer() : CallFixture(kConfig) { b2bua.set_media(&media); }
  media::test::FakeMediaPlane plane;
  media::MediaManager media{cfg, plane,
                            [](const std::string& realm) -> std::optional<std::uint16_t> { return realm == "access" ? 0 : 2; },
                            [](std::uint16_t, const std::string&) { return std::nullopt; }};
  sip::Message b_inv;
  std::string a_to;

  static std::string answer(const sip::Message& req, const std::string& tag, const std::string& contact, const std::string& body) {
    std::string r = response(200, "OK", req, tag, "Contact: " + contact + "\nContent-Type: application/sdp\n");
    r.replace(r.find("Content-Length: 0"), 17, "Content-Length: " + std::to_string(body.size()));
    return r + body;
  }
  void establish(const std::string& ss1_direction) {
    const std::string body = sdp("10.1.0.50", 4000);
    from(alice, crlf("INVITE sip:15551234@10.1.0.1 SIP/2.0\nVia: SIP/2.0/UDP 10.1.0.50:5062;branch=z9hG4bKinv1\n"
                     "From: <sip:alice@10.1.0.50>;tag=alicetag\nTo: <sip:15551234@10.1.0.1>\nCall-ID: alice-callid\n"
                     "CSeq: 1 INVITE\nContact: <sip:alice@10.1.0.50:5062>\nMax-Forwards: 70\nContent-Type: application/sdp\n"
                     "Content-Length: " + std::to_string(body.size()) + "\n\n") + body);
    b_inv = parsed(to(ss1).at(0));
    from(ss1, answer(b_inv, "ss1tag", "<sip:pbx@10.2.0.10:5060>", sdp("10.2.0.10", 5000, ss1_direction)));
    const sip::Message ok = parsed(to(alice).back());
    a_to = std::string(ok.find(sip::HeaderId::To)->value);
    from(alice, crlf("ACK sip:10.1.0.1:5060 SIP/2.0\nVia: SIP/2.0/UDP 10.1.0.50:5062;branch=z9hG4bKack1\n"
                     "From: <sip:alice@10.1.0.50>;tag=alicetag\nTo: " + a_to + "\nCall-ID: alice-callid\nCSeq: 1 ACK\n"
                     "Max-Forwards: 70\nContent-Length: 0\n\n"));
  }
  void refer_to_target(const std::string& user = "2000") {
    from(ss1, crlf("REFER sip:10.2.0.1:5060 SIP/2.0\nVia: SIP/2.0/UDP 10.2.0.10:5060;branch=z9hG4bKref1\nFrom: " +
                   std::string(b_inv.find(sip::HeaderId::To)->value) + ";tag=ss1tag\nTo: " +
                   std::string(b_inv.find(sip::HeaderId::From)->value) + "\nCall-ID: " + std::string(*b_inv.call_id()) +
                   "\nCSeq: 2 REFER\nContact: <sip:pbx@10.2.0.10:5060>\nRefer-To: <sip:" + user + "@pbx.core.example>\n"
                   "Max-Forwards: 70\nContent-Length: 0\n\n"));
    from(ss1, response(200, "OK", parsed(to(ss1).back()), ""));  // the 100 Trying NOTIFY
  }
};

TEST_F(AnchoredTransfer, TheTargetTakesOverTheTransferorsPortAndTheTransfereeIsLeftAlone) {
  establish("sendrecv");
  EXPECT_NE(b_inv.body().find("c=IN IP4 10.2.0.1\r\nt=0 0\r\nm=audio 30000 "), std::string_view::npos) << b_inv.body();
  const sip::Message a_ok = parsed(to(alice).at(to(alice).size() - 1));
  EXPECT_NE(a_ok.body().find("m=audio 20000 "), std::string_view::npos) << a_ok.body();

  refer_to_target();
  const sip::Message t_inv = parsed(to(ss2).at(0));
  EXPECT_NE(t_inv.body().find("c=IN IP4 10.2.0.1\r\n"), std::string_view::npos) << t_inv.body();
  EXPECT_NE(t_inv.body().find("m=audio 30000 "), std::string_view::npos);  // where ss1 sent its media
  EXPECT_EQ(t_inv.body().find("10.1.0.50"), std::string_view::npos);
  const std::size_t mark = sender.sent.size();
  from(ss2, answer(t_inv, "ss2tag", "<sip:target@10.2.0.11:5060>", sdp("10.2.0.11", 6000)));
  EXPECT_TRUE(to(alice, mark).empty());  // alice still sends to 10.1.0.1:20000: nothing to tell her
  const auto* up = plane.find(0, "10.1.0.1", 20000);
  ASSERT_NE(up, nullptr);
  EXPECT_EQ(dataplane::to_string(up->destination.ip), "10.2.0.11");  // her media now reaches the target
  EXPECT_EQ(up->destination.port, 6000);
  EXPECT_EQ(dataplane::to_string(plane.find(2, "10.2.0.1", 30000)->allowed_source), "10.2.0.11");
  EXPECT_EQ(b2bua.counters().transfers_succeeded, 1u);
  EXPECT_EQ(media.ports_in_use(), 2u);
}

TEST_F(AnchoredTransfer, ATransfereeTheTransferorHeldIsResumedByReinvite) {
  establish("sendonly");  // ss1 put alice on hold before referring her
  refer_to_target();
  const sip::Message t_inv = parsed(to(ss2).at(0));
  EXPECT_NE(t_inv.body().find("a=sendrecv"), std::string_view::npos);  // offered live media
  const std::size_t mark = sender.sent.size();
  from(ss2, answer(t_inv, "ss2tag", "<sip:target@10.2.0.11:5060>", sdp("10.2.0.11", 6000)));
  const auto out = to(alice, mark);
  ASSERT_EQ(out.size(), 1u);
  const sip::Message re = parsed(out[0]);
  EXPECT_EQ(re.method_id(), sip::Method::Invite);
  EXPECT_NE(re.body().find("c=IN IP4 10.1.0.1\r\n"), std::string_view::npos) << re.body();
  EXPECT_NE(re.body().find("m=audio 20000 "), std::string_view::npos);  // the same SBC port
  EXPECT_NE(re.body().find("a=sendrecv"), std::string_view::npos);
  EXPECT_EQ(re.body().find("10.2.0.11"), std::string_view::npos);
}

TEST_F(AnchoredTransfer, WhatTheTransfereeIsNotToldMovesNoVersionOfItsSession) {
  // The target answers with another codec and the transferee, still sending to the same port,
  // is told nothing. The target's later re-INVITE is the next thing she hears of the session:
  // one version on from the last she got (RFC 3264 §8), not two.
  establish("sendrecv");
  const sip::Message a_ok = parsed(to(alice).back());
  refer_to_target();
  const sip::Message t_inv = parsed(to(ss2).at(0));
  std::string pcma = sdp("10.2.0.11", 6000);
  pcma.replace(pcma.find("RTP/AVP 0"), 9, "RTP/AVP 8");
  std::size_t mark = sender.sent.size();
  from(ss2, answer(t_inv, "ss2tag", "<sip:target@10.2.0.11:5060>", pcma));
  EXPECT_TRUE(to(alice, mark).empty());
  std::string held = sdp("10.2.0.11", 6000, "sendonly");
  held.replace(held.find("RTP/AVP 0"), 9, "RTP/AVP 8");
  mark = sender.sent.size();
  from(ss2, crlf("INVITE sip:10.2.0.1:5060 SIP/2.0\nVia: SIP/2.0/UDP 10.2.0.11:5060;branch=z9hG4bKtgtre\nFrom: " +
                 std::string(t_inv.find(sip::HeaderId::To)->value) + ";tag=ss2tag\nTo: " +
                 std::string(t_inv.find(sip::HeaderId::From)->value) + "\nCall-ID: " + std::string(*t_inv.call_id()) +
                 "\nCSeq: 2 INVITE\nContact: <sip:target@10.2.0.11:5060>\nMax-Forwards: 70\nContent-Type: application/sdp\n"
                 "Content-Length: " + std::to_string(held.size()) + "\n\n") + held);
  const auto out = to(alice, mark);
  ASSERT_EQ(out.size(), 1u);
  const sip::Message re = parsed(out[0]);
  const std::string_view body = a_ok.body();
  const std::string origin(body.substr(body.find("o="), body.find(" 1 IN") - body.find("o=")));
  EXPECT_NE(re.body().find(origin + " 2 IN IP4 10.1.0.1\r\n"), std::string_view::npos) << re.body();
  EXPECT_NE(re.body().find("RTP/AVP 8"), std::string_view::npos);
}

TEST_F(AnchoredTransfer, ATargetInAnotherRealmGetsTheSbcsPortsThereWhileTheTransfereeKeepsHers) {
  establish("sendrecv");
  refer_to_target("3000");  // local policy: 3... is reached in the access realm (mm-in-realm: anchored)
  const Peer far{"10.1.0.70", 5060, Transport::Udp, 0};
  const auto out = to(far);
  ASSERT_EQ(out.size(), 1u);
  const sip::Message t_inv = parsed(out[0]);
  EXPECT_NE(t_inv.body().find("c=IN IP4 10.1.0.1\r\n"), std::string_view::npos) << t_inv.body();
  EXPECT_NE(t_inv.body().find("m=audio 20002 "), std::string_view::npos);  // a new pair, in the target's realm
  EXPECT_EQ(t_inv.body().find("10.1.0.50"), std::string_view::npos);
  const std::size_t mark = sender.sent.size();
  from(far, answer(t_inv, "fartag", "<sip:target@10.1.0.70:5060>", sdp("10.1.0.70", 6000)));
  EXPECT_TRUE(to(alice, mark).empty());  // her port is unchanged
  const auto* up = plane.find(0, "10.1.0.1", 20000);
  ASSERT_NE(up, nullptr);
  EXPECT_EQ(up->out_port, 0);
  EXPECT_EQ(dataplane::to_string(up->destination.ip), "10.1.0.70");
  EXPECT_EQ(up->source.port, 20002);
  EXPECT_EQ(plane.find(2, "10.2.0.1", 30000), nullptr);  // the transferor's side is gone
  EXPECT_EQ(b2bua.counters().transfers_succeeded, 1u);
  EXPECT_EQ(media.counters().rehomed, 1u);
  EXPECT_EQ(media.ports_in_use(), 2u);
}

// Attended, anchored: alice (access) called the PBX; the PBX consulted carol (access) and refers
// alice to her with Replaces. The SBC's ports alice and carol send to stay theirs.
const std::string kAttendedConfig = std::string(testing_support::kTransferConfig) + R"(
steering-pool = ( { ip-address = "10.1.0.1"; start-port = 20000; end-port = 20099; realm-id = "access"; },
                  { ip-address = "10.2.0.1"; start-port = 30000; end-port = 30099; realm-id = "core"; } );
)";
std::string anchored_in_realm(std::string cfg) {
  const std::string plain = "network-interfaces = [\"a0\"]; }";
  cfg.replace(cfg.find(plain), plain.size(), "network-interfaces = [\"a0\"]; mm-in-realm = \"enabled\"; }");
  return cfg;
}
const std::string kJoinedConfig = anchored_in_realm(kAttendedConfig);

template <const std::string* Config>
struct AnchoredAttendedT : testing_support::Attended {
  AnchoredAttendedT() : Attended(Config->c_str()) { b2bua.set_media(&media); }
  media::test::FakeMediaPlane plane;
  media::MediaManager media{cfg, plane,
                            [](const std::string& realm) -> std::optional<std::uint16_t> { return realm == "access" ? 0 : 2; },
                            [](std::uint16_t, const std::string&) { return std::nullopt; }};
  std::string port_told(const std::string& body) const {
    const auto m = body.find("m=audio ");
    return body.substr(m + 8, body.find(' ', m + 8) - m - 8);
  }
  std::string origin_of(std::string_view body) const {
    const auto o = body.find("o=");
    return std::string(body.substr(o, body.find("\r\n", o) - o));
  }
  // The PBX refers alice to replace its call with carol, and both answer the join's
  // re-INVITEs; returns where what the SBC sent after that begins.
  std::size_t join(sip::Message& re_a) {
    std::size_t mark = sender.sent.size();
    from(ss1, refer_with_replaces());
    re_a = parsed(to(alice, mark).at(0));
    const sip::Message re_c = parsed(to(carol, mark).at(0));
    mark = sender.sent.size();
    from(alice, answer(200, "OK", re_a, "", "<sip:alice@10.1.0.50:5062>", alice_sdp));
    from(carol, answer(200, "OK", re_c, "", "<sip:carol@10.1.0.60:5060>", carol_sdp));
    return mark;
  }
};
using AnchoredAttended = AnchoredAttendedT<&kJoinedConfig>;
using AnchoredAttendedReleased = AnchoredAttendedT<&kAttendedConfig>;

TEST_F(AnchoredAttended, ReplacesJoinsTheTwoCallsMediaWhereEachPartyAlreadySends) {
  establish();
  consult();
  const sip::Message a_ok = parsed(to(alice).back());
  const std::string alice_port = port_told(std::string(a_ok.body())), carol_port = port_told(std::string(inv2.body()));
  ASSERT_NE(alice_port, carol_port);
  EXPECT_EQ(media.anchored_calls(), 2u);
  std::size_t mark = sender.sent.size();
  from(ss1, refer_with_replaces());
  EXPECT_EQ(first_line(to(ss1, mark).at(0)), "SIP/2.0 202 Accepted");  // performed, not proxied
  auto to_a = to(alice, mark), to_c = to(carol, mark);
  ASSERT_EQ(to_a.size(), 1u);
  ASSERT_EQ(to_c.size(), 1u);
  const sip::Message re_a = parsed(to_a[0]), re_c = parsed(to_c[0]);
  // Each is told of the other as the SBC anchors it: the same SBC port, the same o= session.
  EXPECT_EQ(port_told(std::string(re_a.body())), alice_port) << re_a.body();
  EXPECT_EQ(port_told(std::string(re_c.body())), carol_port) << re_c.body();
  const std::string o_a = origin_of(a_ok.body()), o_c = origin_of(inv2.body());
  EXPECT_EQ(origin_of(re_a.body()).substr(0, o_a.find(" 1 IN")), o_a.substr(0, o_a.find(" 1 IN")));
  EXPECT_EQ(origin_of(re_c.body()).substr(0, o_c.find(" 1 IN")), o_c.substr(0, o_c.find(" 1 IN")));
  EXPECT_EQ(re_a.body().find("10.1.0.60"), std::string_view::npos);  // nothing of carol's addressing
  EXPECT_EQ(re_c.body().find("10.1.0.50"), std::string_view::npos);
  // Alice's media reaches carol and carol's alice, each from the port the other knows.
  const auto* up = plane.find(0, "10.1.0.1", static_cast<std::uint16_t>(std::stoi(alice_port)));
  const auto* down = plane.find(0, "10.1.0.1", static_cast<std::uint16_t>(std::stoi(carol_port)));
  ASSERT_NE(up, nullptr);
  ASSERT_NE(down, nullptr);
  EXPECT_EQ(dataplane::to_string(up->destination.ip), "10.1.0.60");
  EXPECT_EQ(up->destination.port, 7000);
  EXPECT_EQ(std::to_string(up->source.port), carol_port);
  EXPECT_EQ(dataplane::to_string(down->destination.ip), "10.1.0.50");
  EXPECT_EQ(down->destination.port, 4000);
  EXPECT_EQ(std::to_string(down->source.port), alice_port);
  EXPECT_EQ(dataplane::to_string(down->allowed_source), "10.1.0.60");

  mark = sender.sent.size();
  from(alice, answer(200, "OK", re_a, "", "<sip:alice@10.1.0.50:5062>", alice_sdp));
  from(carol, answer(200, "OK", re_c, "", "<sip:carol@10.1.0.60:5060>", carol_sdp));
  EXPECT_EQ(b2bua.counters().transfers_succeeded, 1u);
  std::vector<sip::Message> pbx = parsed_all(to(ss1, mark));
  ASSERT_EQ(pbx.size(), 2u);
  const auto* notify = pbx[0].method() == "NOTIFY" ? &pbx[0] : &pbx[1];
  const auto* bye2 = pbx[0].method() == "BYE" ? &pbx[0] : &pbx[1];
  from(ss1, response(200, "OK", *bye2, ""));
  mark = sender.sent.size();
  from(ss1, response(200, "OK", *notify, ""));
  from(ss1, response(200, "OK", parsed(to(ss1, mark).at(0)), ""));  // the transferor's BYE
  EXPECT_EQ(b2bua.active_calls(), 1u);
  EXPECT_EQ(media.anchored_calls(), 1u);
  EXPECT_EQ(media.ports_in_use(), 2u);  // the PBX's two pairs went with its calls
  EXPECT_EQ(plane.flows_in_use(), 4u);
  EXPECT_TRUE(to(alice, mark).empty());  // in one realm with mm-in-realm: anchored, no more re-INVITEs
}

TEST_F(AnchoredAttendedReleased, PartiesOfOneRealmLeftByATransferGoDirect) {
  establish();
  consult();
  const sip::Message a_ok = parsed(to(alice).back());
  sip::Message re_a;
  const std::size_t mark = join(re_a);
  // Both in the access realm, mm-in-realm disabled: each is re-INVITEd once more, with the
  // other's own address, in the session it knows.
  const auto again_a = to(alice, mark), again_c = to(carol, mark);
  ASSERT_EQ(again_a.size(), 2u);  // the ACK, then the re-INVITE
  ASSERT_EQ(again_c.size(), 2u);
  const sip::Message d_a = parsed(again_a[1]), d_c = parsed(again_c[1]);
  ASSERT_EQ(d_a.method(), "INVITE");
  EXPECT_NE(d_a.body().find("c=IN IP4 10.1.0.60\r\n"), std::string_view::npos) << d_a.body();
  EXPECT_NE(d_a.body().find("m=audio 7000 "), std::string_view::npos);
  const std::string o_a = origin_of(a_ok.body());
  // (The join's re-INVITE told her what she already had: the same version; this one is new.)
  EXPECT_EQ(origin_of(d_a.body()), o_a.substr(0, o_a.find(" 1 IN")) + " 2 IN IP4 10.1.0.1");
  EXPECT_NE(d_c.body().find("c=IN IP4 10.1.0.50\r\n"), std::string_view::npos) << d_c.body();
  EXPECT_NE(d_c.body().find("m=audio 4000 "), std::string_view::npos);
  EXPECT_EQ(media.anchored_calls(), 2u);  // carried until both have taken it
  from(alice, answer(200, "OK", d_a, "", "<sip:alice@10.1.0.50:5062>", alice_sdp));
  EXPECT_EQ(media.anchored_calls(), 2u);
  from(carol, answer(200, "OK", d_c, "", "<sip:carol@10.1.0.60:5060>", carol_sdp));
  EXPECT_EQ(media.counters().released_after_transfer, 1u);
  EXPECT_EQ(media.anchored_calls(), 1u);  // the PBX's consultation call, until it ends
  EXPECT_EQ(media.session(1), nullptr);
}

TEST_F(AnchoredAttendedReleased, APartyThatRefusesDirectMediaKeepsItThroughTheSbc) {
  establish();
  consult();
  sip::Message re_a;
  const std::size_t mark = join(re_a);
  const sip::Message d_a = parsed(to(alice, mark).at(1)), d_c = parsed(to(carol, mark).at(1));
  from(alice, response(488, "Not Acceptable Here", d_a, ""));
  from(carol, answer(200, "OK", d_c, "", "<sip:carol@10.1.0.60:5060>", carol_sdp));
  EXPECT_EQ(media.counters().released_after_transfer, 0u);
  const auto* up = plane.find(0, "10.1.0.1", static_cast<std::uint16_t>(std::stoi(port_told(std::string(re_a.body())))));
  ASSERT_NE(up, nullptr);  // alice still sends to the SBC, which still relays her to carol
  EXPECT_EQ(dataplane::to_string(up->destination.ip), "10.1.0.60");
}

}  // namespace
}  // namespace palisade::b2bua
