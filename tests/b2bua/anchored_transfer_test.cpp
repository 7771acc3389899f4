// A blind transfer the SBC performs while it anchors the call's media (the B2BUA with a real
// MediaManager over the fake MediaPlane): the target is offered the SBC's port that faced the
// transferor, its answer re-points the flows, and the transferee keeps its SBC port and is
// re-INVITEd only when the direction it was told changes.
#include "../media/fake_media_plane.hpp"
#include "call_fixture.hpp"
#include "media/media_manager.hpp"

namespace palisade::b2bua {
namespace {

using namespace testing_support;

const char* kConfig = R"(
network-interface = ( { name = "a0"; ip-address = "10.1.0.1"; }, { name = "c0"; ip-address = "10.2.0.1"; } );
realm-config = ( { identifier = "access"; network-interfaces = ["a0"]; }, { identifier = "core"; network-interfaces = ["c0"]; } );
sip-interface = ( { realm-id = "access"; sip-ports = ( { address = "10.1.0.1"; } ); },
                  { realm-id = "core"; sip-ports = ( { address = "10.2.0.1"; } ); } );
steering-pool = ( { ip-address = "10.1.0.1"; start-port = 20000; end-port = 20099; realm-id = "access"; },
                  { ip-address = "10.2.0.1"; start-port = 30000; end-port = 30099; realm-id = "core"; } );
session-agent = ( { hostname = "ss1"; ip-address = "10.2.0.10"; realm-id = "core"; refer-call-transfer = "enabled"; },
                  { hostname = "ss2"; ip-address = "10.2.0.11"; realm-id = "core"; } );
local-policy = ( { to-address = ["1"]; source-realm = ["access"]; policy-attributes = ( { next-hop = "ss1"; realm = "core"; } ); },
                 { to-address = ["2"]; source-realm = ["access"]; policy-attributes = ( { next-hop = "ss2"; realm = "core"; } ); } );
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
  void refer_to_target() {
    from(ss1, crlf("REFER sip:10.2.0.1:5060 SIP/2.0\nVia: SIP/2.0/UDP 10.2.0.10:5060;branch=z9hG4bKref1\nFrom: " +
                   std::string(b_inv.find(sip::HeaderId::To)->value) + ";tag=ss1tag\nTo: " +
                   std::string(b_inv.find(sip::HeaderId::From)->value) + "\nCall-ID: " + std::string(*b_inv.call_id()) +
                   "\nCSeq: 2 REFER\nContact: <sip:pbx@10.2.0.10:5060>\nRefer-To: <sip:2000@pbx.core.example>\n"
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

}  // namespace
}  // namespace palisade::b2bua
