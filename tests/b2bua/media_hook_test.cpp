// The B2BUA with a media hook: every SDP that crosses goes through it, in either direction and
// in every message that carries one; a hook that cannot anchor makes the call fail with 503; the
// call's end is told; end_call() hangs up both legs with a Reason.
#include "call_fixture.hpp"

namespace palisade::b2bua {
namespace {

using namespace testing_support;

const char* kConfig = R"(
network-interface = ( { name = "a0"; ip-address = "10.1.0.1"; }, { name = "c0"; ip-address = "10.2.0.1"; } );
realm-config = ( { identifier = "access"; network-interfaces = ["a0"]; }, { identifier = "core"; network-interfaces = ["c0"]; } );
sip-interface = ( { realm-id = "access"; sip-ports = ( { address = "10.1.0.1"; } ); },
                  { realm-id = "core"; sip-ports = ( { address = "10.2.0.1"; } ); } );
session-agent = ( { hostname = "ss1"; ip-address = "10.2.0.10"; realm-id = "core"; } );
local-policy = ( { to-address = ["*"]; source-realm = ["access"]; policy-attributes = ( { next-hop = "ss1"; realm = "core"; } ); } );
)";

struct RecordingHook : media::MediaHook {
  struct Seen {
    std::uint64_t call;
    media::CallParties parties;
    bool from_a;
    std::string body;
  };
  std::vector<Seen> seen;
  std::vector<std::uint64_t> ended_calls;
  bool refuse = false;
  std::optional<std::string> sdp(std::uint64_t call, const media::CallParties& p, bool from_a, std::string_view body) override {
    seen.push_back({call, p, from_a, std::string(body)});
    if (refuse) return std::nullopt;
    return std::string("v=0\r\ns=anchored-") + (from_a ? "for-b" : "for-a") + "\r\n";
  }
  void ended(std::uint64_t call) override { ended_calls.push_back(call); }
};

struct MediaHookCall : CallFixture {
  MediaHookCall() : CallFixture(kConfig) { b2bua.set_media(&hook); }
  RecordingHook hook;

  // 200 OK with an SDP answer to `req`.
  static std::string answer(const sip::Message& req, const std::string& tag) {
    std::string r = response(200, "OK", req, tag, "Contact: <sip:uas@10.2.0.10:5060>\nContent-Type: application/sdp\n");
    r.replace(r.find("Content-Length: 0"), 17, "Content-Length: 10");
    return r + "v=0\r\ns=b\r\n";
  }
  sip::Message answered_call() {
    from(alice, kInvite);
    const sip::Message inv = parsed(to(ss1).at(0));
    from(ss1, answer(inv, "ss1tag"));
    return inv;
  }
};

TEST_F(MediaHookCall, OfferAndAnswerCrossThroughTheHook) {
  const sip::Message inv = answered_call();
  EXPECT_EQ(inv.body(), "v=0\r\ns=anchored-for-b\r\n");
  ASSERT_EQ(hook.seen.size(), 2u);
  EXPECT_TRUE(hook.seen[0].from_a);
  EXPECT_EQ(hook.seen[0].body, "v=0\r\n");
  EXPECT_EQ(hook.seen[0].parties.realm[0], "access");
  EXPECT_EQ(hook.seen[0].parties.realm[1], "core");
  EXPECT_EQ(hook.seen[0].parties.signalling_ip[0], "10.1.0.50");
  EXPECT_EQ(hook.seen[0].parties.signalling_ip[1], "10.2.0.10");
  EXPECT_FALSE(hook.seen[1].from_a);
  EXPECT_EQ(hook.seen[1].body, "v=0\r\ns=b\r\n");
  const auto back = to(alice);
  ASSERT_EQ(first_line(back.back()), "SIP/2.0 200 OK");
  EXPECT_EQ(parsed(back.back()).body(), "v=0\r\ns=anchored-for-a\r\n");
}

TEST_F(MediaHookCall, AReinviteFromTheCalleeCrossesToo) {
  const sip::Message inv = answered_call();
  const sip::Message ok = parsed(to(alice).back());
  const std::string reinvite = crlf(
      "INVITE sip:alice@10.2.0.1:5060 SIP/2.0\nVia: SIP/2.0/UDP 10.2.0.10:5060;branch=z9hG4bKre1\n"
      "From: <sip:15551234@10.2.0.10>;tag=ss1tag\nTo: " + std::string(inv.find(sip::HeaderId::From)->value) + "\n"
      "Call-ID: " + std::string(*inv.call_id()) + "\nCSeq: 7 INVITE\nContact: <sip:uas@10.2.0.10:5060>\nMax-Forwards: 70\n"
      "Content-Type: application/sdp\nContent-Length: 17\n\nv=0\ns=sendonly\n");
  (void)ok;
  const std::size_t mark = sender.sent.size();
  from(ss1, reinvite);
  const auto out = to(alice, mark);
  ASSERT_FALSE(out.empty());
  const sip::Message re = parsed(out.back());
  EXPECT_EQ(re.method_id(), sip::Method::Invite);
  EXPECT_EQ(re.body(), "v=0\r\ns=anchored-for-a\r\n");
  EXPECT_EQ(hook.seen.back().body, "v=0\r\ns=sendonly\r\n");
}

TEST_F(MediaHookCall, NoMediaResourcesFailTheCallWith503AndTheHookHearsItsEnd) {
  hook.refuse = true;
  from(alice, kInvite);
  EXPECT_TRUE(to(ss1).empty());  // nothing reached the callee
  const auto back = to(alice);
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(first_line(back[1]), "SIP/2.0 503 Service Unavailable (no media resources)");
  EXPECT_EQ(b2bua.active_calls(), 0u);
  EXPECT_EQ(hook.ended_calls.size(), 1u);
}

TEST_F(MediaHookCall, EndCallHangsUpBothLegsWithAReason) {
  const sip::Message inv = answered_call();
  const std::size_t mark = sender.sent.size();
  ASSERT_TRUE(b2bua.end_call(hook.seen[0].call, "SIP;cause=408;text=\"media stopped\""));
  const auto to_core = to(ss1, mark), to_access = to(alice, mark);
  ASSERT_EQ(to_core.size(), 1u);
  ASSERT_EQ(to_access.size(), 1u);
  for (const auto* wire : {&to_core[0], &to_access[0]}) {
    const sip::Message bye = parsed(*wire);
    EXPECT_EQ(bye.method_id(), sip::Method::Bye);
    ASSERT_NE(bye.find("Reason"), nullptr);
    EXPECT_EQ(bye.find("Reason")->value, "SIP;cause=408;text=\"media stopped\"");
  }
  from(ss1, response(200, "OK", parsed(to_core[0]), ""));
  from(alice, response(200, "OK", parsed(to_access[0]), ""));
  EXPECT_EQ(b2bua.active_calls(), 0u);
  EXPECT_EQ(hook.ended_calls.size(), 1u);
  EXPECT_FALSE(b2bua.end_call(hook.seen[0].call, "again"));  // gone
  (void)inv;
}

TEST_F(MediaHookCall, BodiesThatAreNotSdpPassBy) {
  from(alice, [] {
    std::string i = kInvite;
    i.replace(i.find("application/sdp"), 15, "application/dtmf-relay");
    return i;
  }());
  EXPECT_TRUE(hook.seen.empty());
  EXPECT_EQ(parsed(to(ss1).at(0)).body(), "v=0\r\n");
}

}  // namespace
}  // namespace palisade::b2bua
