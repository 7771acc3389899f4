// The B2BUA with a real TransactionLayer, a manual clock and a recording sender: calls are
// driven with SIP bytes from both sides, and every byte sent to one side is checked for what
// must not leak from the other.
#include "call_fixture.hpp"

namespace palisade::b2bua {
namespace {

using namespace testing_support;

const char* kConfig = R"(
network-interface = ( { name = "a0"; ip-address = "10.1.0.1"; }, { name = "c0"; ip-address = "10.2.0.1"; } );
realm-config = ( { identifier = "access"; network-interfaces = ["a0"]; }, { identifier = "core"; network-interfaces = ["c0"]; } );
sip-interface = ( { realm-id = "access"; sip-ports = ( { address = "10.1.0.1"; } ); },
                  { realm-id = "core"; sip-ports = ( { address = "10.2.0.1"; } ); } );
session-agent = ( { hostname = "ss1"; ip-address = "10.2.0.10"; realm-id = "core"; ping-method = "OPTIONS"; ping-interval = 30;
                    trans-timeouts = 1; },
                  { hostname = "ss2"; ip-address = "10.2.0.11"; realm-id = "core"; } );
local-policy = ( { to-address = ["1"]; source-realm = ["access"];
                   policy-attributes = ( { next-hop = "ss1"; realm = "core"; cost = 1; }, { next-hop = "ss2"; realm = "core"; cost = 2; } ); },
                 { to-address = ["*"]; source-realm = ["core"];
                   policy-attributes = ( { next-hop = "10.1.0.50"; realm = "access"; } ); } );
)";

struct B2buaCall : CallFixture {
  B2buaCall() : CallFixture(kConfig) {}
};

TEST_F(B2buaCall, BasicCallHidesEachSideFromTheOther) {
  from(alice, kInvite);
  ASSERT_EQ(to(alice).size(), 1u);
  EXPECT_EQ(first_line(to(alice)[0]), "SIP/2.0 100 Trying");
  ASSERT_EQ(to(ss1).size(), 1u);
  const sip::Message inv = parsed(to(ss1)[0]);
  EXPECT_EQ(first_line(to(ss1)[0]), "INVITE sip:15551234@10.2.0.10:5060 SIP/2.0");
  EXPECT_EQ(inv.top_via()->host, "10.2.0.1");
  EXPECT_EQ(inv.via_count(), 1u);
  EXPECT_EQ(inv.from()->uri.user, "alice");
  EXPECT_EQ(inv.from()->uri.host, "10.2.0.1");
  EXPECT_EQ(sip::unquote(inv.from()->display_name), "Alice");
  EXPECT_EQ(inv.to()->uri.user, "15551234");
  EXPECT_EQ(inv.max_forwards(), 69u);
  EXPECT_EQ(inv.body(), "v=0\r\n");
  ASSERT_NE(inv.find("Subject"), nullptr);  // a session header crosses
  EXPECT_EQ(inv.find("Subject")->value, "hello");
  EXPECT_EQ(inv.find("User-Agent"), nullptr);       // a product name does not
  EXPECT_EQ(inv.find("X-Internal"), nullptr);       // nor anything unlisted
  EXPECT_TRUE(inv.record_routes().empty());

  const std::size_t mark = sender.sent.size();
  from(ss1, response(180, "Ringing", inv, "ss1tag", "Contact: <sip:uas@10.2.0.10:5060>\nRecord-Route: <sip:core-proxy.example;lr>\nServer: CoreSwitch 9\n"));
  from(ss1, response(200, "OK", inv, "ss1tag", "Contact: <sip:uas@10.2.0.10:5060>\nRecord-Route: <sip:core-proxy.example;lr>\n"));
  auto back = to(alice, mark);
  ASSERT_EQ(back.size(), 2u);
  const sip::Message ringing = parsed(back[0]), ok = parsed(back[1]);
  EXPECT_EQ(ringing.status_code(), 180);
  EXPECT_EQ(ok.status_code(), 200);
  EXPECT_EQ(ok.call_id(), "alice-secret-callid@10.1.0.50");  // the caller's own dialog
  EXPECT_EQ(ok.top_via()->branch(), "z9hG4bKphone1");
  EXPECT_EQ(ok.from()->tag(), "alicetag");
  EXPECT_EQ(ok.to()->tag(), ringing.to()->tag());  // one tag for the caller's dialog
  EXPECT_EQ(ok.contacts().contacts.at(0).uri.host, "10.1.0.1");
  EXPECT_EQ(ringing.find("Server"), nullptr);
  EXPECT_EQ(b2bua.active_calls(), 1u);

  // The caller's ACK reaches the callee as the B leg's own ACK.
  std::string ack = crlf("ACK sip:alice@10.1.0.1:5060 SIP/2.0\nVia: SIP/2.0/UDP 10.1.0.50:5062;branch=z9hG4bKphone2\n"
                         "From: \"Alice\" <sip:alice@phone.access.example>;tag=alicetag\nTo: <sip:15551234@10.1.0.1>;tag=" +
                         std::string(*ok.to()->tag()) + "\nCall-ID: alice-secret-callid@10.1.0.50\nCSeq: 101 ACK\nMax-Forwards: 70\nContent-Length: 0\n\n");
  from(alice, ack);
  auto core = to(ss1);
  ASSERT_EQ(core.size(), 2u);
  const sip::Message b_ack = parsed(core[1]);
  EXPECT_EQ(first_line(core[1]), "ACK sip:uas@10.2.0.10:5060 SIP/2.0");  // the callee's Contact
  EXPECT_EQ(b_ack.cseq()->number, 1u);
  EXPECT_EQ(b_ack.to()->tag(), "ss1tag");
  EXPECT_EQ(b_ack.routes().size(), 1u);  // the B leg's own route set

  // The caller hangs up: 200 at once, BYE on the B leg, and the call is gone once it is answered.
  std::string bye = ack;
  bye.replace(0, 3, "BYE");
  bye.replace(bye.find("z9hG4bKphone2"), 13, "z9hG4bKphone3");
  bye.replace(bye.find("101 ACK"), 7, "102 BYE");
  const std::size_t before_bye = sender.sent.size();
  from(alice, bye);
  EXPECT_EQ(first_line(to(alice, before_bye).at(0)), "SIP/2.0 200 OK");
  const auto b_bye_wire = to(ss1, before_bye).at(0);
  const sip::Message b_bye = parsed(b_bye_wire);
  EXPECT_EQ(b_bye.method_id(), sip::Method::Bye);
  EXPECT_EQ(b_bye.cseq()->number, 2u);
  from(ss1, response(200, "OK", b_bye, ""));
  EXPECT_EQ(b2bua.active_calls(), 0u);

  expect_no_leak(to(ss1), {"10.1.0.50", "10.1.0.1", "phone.access.example", "edge.access.example", "alice-secret-callid",
                           "alicetag", "z9hG4bKphone", "PhoneOS"});
  expect_no_leak(to(alice), {"10.2.0.10", "10.2.0.1", "core-proxy.example", "ss1tag", "CoreSwitch"});
  for (const auto& m : to(ss1)) EXPECT_EQ(m.find(std::string(*b_ack.call_id())), m.find("Call-ID: id") + 9) << m;
}

// A caller's request from FROM in its dialog (the SBC's tag `tag`), CSeq `cseq`.
std::string caller_request(const std::string& method, int cseq, const std::string& tag) {
  return crlf(method + " sip:alice@10.1.0.1:5060 SIP/2.0\nVia: SIP/2.0/UDP 10.1.0.50:5062;branch=z9hG4bKnat" +
              std::to_string(cseq) + ";rport\nFrom: \"Alice\" <sip:alice@phone.access.example>;tag=alicetag\n"
              "To: <sip:15551234@10.1.0.1>;tag=" + tag + "\nCall-ID: alice-secret-callid@10.1.0.50\nCSeq: " +
              std::to_string(cseq) + " " + method + "\nMax-Forwards: 70\nContent-Length: 0\n\n");
}

// Behind a NAT, the phone's Via names 10.1.0.50:5062 while its packets come from the NAT's
// mapping; when the mapping moves (the NAT forgot the idle binding), what the SBC sends in the
// dialog must follow, or the callee's BYE would never reach the phone.
TEST_F(B2buaCall, ACallerBehindANatIsReachedWhereItsMappingIsNow) {
  const Peer nat{"203.0.113.7", 40000, Transport::Udp, 0}, moved{"203.0.113.7", 40002, Transport::Udp, 0};
  from(nat, kInvite);
  EXPECT_EQ(b2bua.counters().callers_behind_nat, 1u);
  const sip::Message inv = parsed(to(ss1).at(0));
  from(ss1, response(200, "OK", inv, "ss1tag", "Contact: <sip:uas@10.2.0.10:5060>\n"));
  const sip::Message ok = parsed(to(nat).back());
  ASSERT_EQ(ok.status_code(), 200);
  const std::string tag(*ok.to()->tag());
  from(nat, caller_request("ACK", 101, tag));
  std::size_t mark = sender.sent.size();
  from(moved, caller_request("INFO", 102, tag));
  const sip::Message info = parsed(to(ss1, mark).at(0));
  from(ss1, response(200, "OK", info, "ss1tag"));
  EXPECT_EQ(first_line(to(moved, mark).at(0)), "SIP/2.0 200 OK");  // answered where it came from
  EXPECT_EQ(b2bua.counters().nat_mappings_moved, 1u);
  mark = sender.sent.size();
  from(ss1, crlf("BYE sip:10.2.0.1:5060 SIP/2.0\nVia: SIP/2.0/UDP 10.2.0.10:5060;branch=z9hG4bKssbye\nFrom: " +
                 std::string(inv.find(sip::HeaderId::To)->value) + ";tag=ss1tag\nTo: " +
                 std::string(inv.find(sip::HeaderId::From)->value) + "\nCall-ID: " + std::string(*inv.call_id()) +
                 "\nCSeq: 9 BYE\nMax-Forwards: 70\nContent-Length: 0\n\n"));
  const auto bye = to(moved, mark);
  ASSERT_EQ(bye.size(), 1u);  // to the mapping the phone has now, not the one it had
  EXPECT_EQ(first_line(bye[0]), "BYE sip:alice@10.1.0.50:5062 SIP/2.0");  // its own Contact, as it knows itself
  EXPECT_TRUE(to(nat, mark).empty());
}

TEST_F(B2buaCall, APartyNotBehindANatKeepsItsAddressWhateverARequestComesFrom) {
  from(alice, kInvite);
  EXPECT_EQ(b2bua.counters().callers_behind_nat, 0u);
  const sip::Message inv = parsed(to(ss1).at(0));
  from(ss1, response(200, "OK", inv, "ss1tag", "Contact: <sip:uas@10.2.0.10:5060>\n"));
  const std::string tag(*parsed(to(alice).back()).to()->tag());
  from(alice, caller_request("ACK", 101, tag));
  const Peer elsewhere{"10.1.0.66", 5060, Transport::Udp, 0};
  from(elsewhere, caller_request("INFO", 102, tag));
  from(ss1, response(200, "OK", parsed(to(ss1).back()), "ss1tag"));
  const std::size_t mark = sender.sent.size();
  from(ss1, crlf("BYE sip:10.2.0.1:5060 SIP/2.0\nVia: SIP/2.0/UDP 10.2.0.10:5060;branch=z9hG4bKssbye\nFrom: " +
                 std::string(inv.find(sip::HeaderId::To)->value) + ";tag=ss1tag\nTo: " +
                 std::string(inv.find(sip::HeaderId::From)->value) + "\nCall-ID: " + std::string(*inv.call_id()) +
                 "\nCSeq: 9 BYE\nMax-Forwards: 70\nContent-Length: 0\n\n"));
  EXPECT_EQ(to(alice, mark).size(), 1u);
  EXPECT_TRUE(to(elsewhere, mark).empty());
  EXPECT_EQ(b2bua.counters().nat_mappings_moved, 0u);
}

TEST_F(B2buaCall, RealmRelayHeadersLetNamedHeadersCrossIntoThatRealmOnly) {
  cfg.realms[1].relay_headers = {"User-Agent", "x-internal"};  // core asks for these
  from(alice, kInvite);
  const sip::Message inv = parsed(to(ss1)[0]);
  ASSERT_NE(inv.find("User-Agent"), nullptr);
  EXPECT_EQ(inv.find("User-Agent")->value, "PhoneOS 1.2");
  ASSERT_NE(inv.find("X-Internal"), nullptr);  // matched without regard to case
  EXPECT_EQ(inv.find("Subject")->value, "hello");  // the fixed list still applies
  EXPECT_EQ(inv.via_count(), 1u);                  // and Via never crosses
  from(ss1, response(200, "OK", inv, "t1", "Contact: <sip:uas@10.2.0.10>\nServer: CoreSwitch 9\n"));
  EXPECT_EQ(to(alice).back().find("CoreSwitch"), std::string::npos);  // access did not ask for Server
}

TEST_F(B2buaCall, FailuresAreRelayedAndAcknowledged) {
  from(alice, kInvite);
  const sip::Message inv = parsed(to(ss1)[0]);
  const std::size_t mark = sender.sent.size();
  from(ss1, response(486, "Busy Here", inv, "ss1tag"));
  EXPECT_EQ(first_line(to(alice, mark).at(0)), "SIP/2.0 486 Busy Here");
  EXPECT_EQ(first_line(to(ss1, mark).at(0)), "ACK sip:15551234@10.2.0.10:5060 SIP/2.0");
  EXPECT_EQ(b2bua.active_calls(), 0u);
  EXPECT_EQ(b2bua.counters().calls_failed, 1u);
}

TEST_F(B2buaCall, CancelBeforeAnswer) {
  from(alice, kInvite);
  const sip::Message inv = parsed(to(ss1)[0]);
  from(ss1, response(180, "Ringing", inv, "ss1tag"));
  std::string cancel = kInvite;
  cancel.replace(0, 6, "CANCEL");
  cancel.replace(cancel.find("101 INVITE"), 10, "101 CANCEL");
  const std::size_t mark = sender.sent.size();
  from(alice, cancel);
  auto back = to(alice, mark);
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(first_line(back[0]), "SIP/2.0 200 OK");
  EXPECT_EQ(parsed(back[0]).cseq()->method, "CANCEL");
  EXPECT_EQ(first_line(back[1]), "SIP/2.0 487 Request Terminated");
  auto core = to(ss1, mark);
  ASSERT_EQ(core.size(), 1u);
  const sip::Message b_cancel = parsed(core[0]);
  EXPECT_EQ(b_cancel.method_id(), sip::Method::Cancel);
  EXPECT_EQ(b_cancel.top_via()->branch(), inv.top_via()->branch());  // same branch as its INVITE (§9.1)
  EXPECT_EQ(b_cancel.cseq()->number, 1u);
  from(ss1, response(200, "OK", b_cancel, "ss1tag"));
  from(ss1, response(487, "Request Terminated", inv, "ss1tag"));
  EXPECT_EQ(first_line(to(ss1).back()), "ACK sip:15551234@10.2.0.10:5060 SIP/2.0");
  EXPECT_EQ(b2bua.active_calls(), 0u);
}

TEST_F(B2buaCall, TimeoutFailsOverToTheNextAgentAndMarksTheFirstDown) {
  std::vector<std::string> changes;
  b2bua.on_agent_state = [&](const std::string& a, bool up, std::string_view why) {
    changes.push_back(a + (up ? " up: " : " down: ") + std::string(why));
  };
  from(alice, kInvite);
  timers.advance(32000);  // ss1 never answers: Timer B
  auto second = to(ss2);
  ASSERT_EQ(second.size(), 1u);
  const sip::Message inv2 = parsed(second[0]);
  EXPECT_EQ(first_line(second[0]), "INVITE sip:15551234@10.2.0.11:5060 SIP/2.0");
  EXPECT_FALSE(b2bua.agents().at("ss1").in_service);  // it pings, so it can come back
  EXPECT_EQ(changes, std::vector<std::string>{"ss1 down: 1 INVITE unanswered"});
  EXPECT_EQ(b2bua.agents().at("ss2").active_sessions, 1u);
  EXPECT_EQ(b2bua.agents().at("ss1").active_sessions, 0u);
  from(ss2, response(200, "OK", inv2, "ss2tag", "Contact: <sip:uas@10.2.0.11>\n"));
  EXPECT_EQ(first_line(to(alice).back()), "SIP/2.0 200 OK");
  // The next call goes straight to ss2.
  std::string next = kInvite;
  next.replace(next.find("alice-secret-callid"), 19, "second-call-xxxxxxx");
  next.replace(next.find("z9hG4bKphone1"), 13, "z9hG4bKphone9");
  from(alice, next);
  EXPECT_EQ(to(ss2).size(), 2u);
}

// trans-timeouts (default 5): on a lossy path an agent may leave an INVITE unanswered now and
// then; only five in a row take it out of service, and any answer starts the count again.
TEST_F(B2buaCall, OnlyTransTimeoutsInARowTakeAnAgentOutOfService) {
  cfg.session_agents[0].trans_timeouts = 5;
  int n = 0;
  auto call = [&] {
    std::string inv = kInvite;
    inv.replace(inv.find("alice-secret-callid"), 19, "lossy-call-" + std::to_string(10 + n));
    inv.replace(inv.find("z9hG4bKphone1"), 13, "z9hG4bKphone" + std::to_string(100 + n++));
    from(alice, inv);
  };
  for (int i = 0; i < 4; ++i) {
    call();
    timers.advance(32000);  // ss1 never answers: Timer B; ss2 takes the call
  }
  EXPECT_TRUE(b2bua.agents().at("ss1").in_service);
  const std::size_t mark = sender.sent.size();
  call();  // the next call still goes to ss1 first, which answers this time
  const auto to_ss1 = to(ss1, mark);
  ASSERT_EQ(to_ss1.size(), 1u);
  from(ss1, response(180, "Ringing", parsed(to_ss1[0]), "r"));
  EXPECT_EQ(b2bua.agents().at("ss1").invite_timeouts, 0u);
  for (int i = 0; i < 4; ++i) {
    call();
    timers.advance(32000);
  }
  EXPECT_TRUE(b2bua.agents().at("ss1").in_service);  // 4 in a row since the answer
  call();
  timers.advance(32000);
  EXPECT_FALSE(b2bua.agents().at("ss1").in_service);
}

TEST_F(B2buaCall, PingsTakeAnAgentOutOfServiceAndBack) {
  std::vector<std::string> changes;
  b2bua.on_agent_state = [&](const std::string& a, bool up, std::string_view why) {
    changes.push_back(a + (up ? " up: " : " down: ") + std::string(why));
  };
  b2bua.start_pings();  // ss1 pings every 30 s; ss2 does not ping
  ASSERT_EQ(to(ss1).size(), 1u);
  EXPECT_EQ(first_line(to(ss1)[0]), "OPTIONS sip:10.2.0.10:5060 SIP/2.0");
  EXPECT_TRUE(to(ss2).empty());
  timers.advance(32000);  // no answer within Timer F
  EXPECT_EQ(changes, std::vector<std::string>{"ss1 down: no answer to OPTIONS"});
  EXPECT_FALSE(b2bua.agents().at("ss1").in_service);
  // The next ping (at 30 s) is answered.
  const sip::Message ping = parsed(to(ss1).back());
  EXPECT_EQ(ping.method_id(), sip::Method::Options);
  from(ss1, response(200, "OK", ping, "p"));
  EXPECT_EQ(changes.back(), "ss1 up: answered OPTIONS");
  EXPECT_TRUE(b2bua.agents().at("ss1").in_service);
}

TEST_F(B2buaCall, ReleaseAllEndsAnsweredAndRingingCalls) {
  from(alice, kInvite);  // call 1: answered
  const sip::Message inv1 = parsed(to(ss1)[0]);
  from(ss1, response(200, "OK", inv1, "t1", "Contact: <sip:uas@10.2.0.10>\n"));
  std::string second = kInvite;  // call 2: ringing
  second.replace(second.find("alice-secret-callid"), 19, "second-call-xxxxxxx");
  second.replace(second.find("z9hG4bKphone1"), 13, "z9hG4bKphone8");
  from(alice, second);
  const sip::Message inv2 = parsed(to(ss1).back());
  from(ss1, response(180, "Ringing", inv2, "t2"));
  const std::size_t mark = sender.sent.size();
  b2bua.release_all();
  std::vector<std::string> to_a, to_b;
  for (const auto& m : to(alice, mark)) to_a.push_back(first_line(m));
  for (const auto& m : to(ss1, mark)) to_b.push_back(first_line(m));
  std::sort(to_a.begin(), to_a.end());  // calls are released in no particular order
  std::sort(to_b.begin(), to_b.end());
  EXPECT_EQ(to_a, (std::vector<std::string>{"BYE sip:alice@10.1.0.50:5062 SIP/2.0", "SIP/2.0 503 Service Unavailable"}));
  EXPECT_EQ(to_b, (std::vector<std::string>{"BYE sip:uas@10.2.0.10 SIP/2.0", "CANCEL sip:15551234@10.2.0.10:5060 SIP/2.0"}));
  EXPECT_EQ(b2bua.active_calls(), 2u);  // until the far ends answer
  from(ss1, response(487, "Request Terminated", inv2, "t2"));
  EXPECT_EQ(b2bua.active_calls(), 1u);
}

TEST_F(B2buaCall, NoRouteAndUnknownDialogs) {
  std::string other = kInvite;
  other.replace(other.find("INVITE sip:15551234"), 19, "INVITE sip:25551234");
  from(alice, other);
  EXPECT_EQ(first_line(to(alice).back()), "SIP/2.0 404 No Route");
  EXPECT_EQ(b2bua.active_calls(), 0u);

  std::string stray = crlf("BYE sip:x@10.1.0.1 SIP/2.0\nVia: SIP/2.0/UDP 10.1.0.50:5062;branch=z9hG4bKs1\n"
                           "From: <sip:a@h.example>;tag=1\nTo: <sip:b@h.example>;tag=nobody\nCall-ID: nothing\n"
                           "CSeq: 1 BYE\nContent-Length: 0\n\n");
  from(alice, stray);
  EXPECT_EQ(first_line(to(alice).back()), "SIP/2.0 481 Call/Transaction Does Not Exist");
}

TEST_F(B2buaCall, OptionsToTheSbcAndInvalidRequests) {
  from(alice, crlf("OPTIONS sip:10.1.0.1 SIP/2.0\nVia: SIP/2.0/UDP 10.1.0.50:5062;branch=z9hG4bKo1\n"
                   "From: <sip:a@h.example>;tag=1\nTo: <sip:10.1.0.1>\nCall-ID: o1\nCSeq: 1 OPTIONS\nMax-Forwards: 70\nContent-Length: 0\n\n"));
  const sip::Message ok = parsed(to(alice).back());
  EXPECT_EQ(ok.status_code(), 200);
  EXPECT_EQ(ok.tokens(sip::HeaderId::Allow).size(), 11u);
  std::string req = kInvite;
  req.replace(req.find("Max-Forwards: 70"), 16, "Require: timer\r\nMax-Forwards: 70");
  from(alice, req);
  EXPECT_EQ(first_line(to(alice).back()), "SIP/2.0 420 Bad Extension");
  EXPECT_EQ(header(parsed(to(alice).back()), sip::HeaderId::Unsupported), "timer");
}

TEST_F(B2buaCall, RetransmittedAnswerIsAcknowledgedAgain) {
  from(alice, kInvite);
  const sip::Message inv = parsed(to(ss1)[0]);
  const std::string ok = response(200, "OK", inv, "ss1tag", "Contact: <sip:uas@10.2.0.10:5060>\n");
  from(ss1, ok);
  const sip::Message a_ok = parsed(to(alice).back());
  from(alice, crlf("ACK sip:10.1.0.1:5060 SIP/2.0\nVia: SIP/2.0/UDP 10.1.0.50:5062;branch=z9hG4bKack1\n"
                   "From: \"Alice\" <sip:alice@phone.access.example>;tag=alicetag\n"
                   "To: " + std::string(a_ok.find(sip::HeaderId::To)->value) + "\n"
                   "Call-ID: alice-secret-callid@10.1.0.50\nCSeq: 101 ACK\nMax-Forwards: 70\nContent-Length: 0\n\n"));
  ASSERT_EQ(first_line(to(ss1).back()), "ACK sip:uas@10.2.0.10:5060 SIP/2.0");
  // The ACK was lost on the way: the callee sends its 200 again and gets the same ACK.
  const std::size_t mark = sender.sent.size();
  from(ss1, ok);
  auto again = to(ss1, mark);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0], to(ss1, 0)[to(ss1, 0).size() - 2]);
  EXPECT_TRUE(to(alice, mark).empty());
}

TEST_F(B2buaCall, ReInviteFromTheCalleeReachesTheCallerInItsOwnDialog) {
  from(alice, kInvite);
  const sip::Message inv = parsed(to(ss1)[0]);
  from(ss1, response(200, "OK", inv, "ss1tag", "Contact: <sip:uas@10.2.0.10:5060>\n"));
  const sip::Message ok = parsed(to(alice).back());
  const std::string a_tag(*ok.to()->tag());
  // Callee puts the caller on hold.
  std::string reinvite = crlf("INVITE sip:10.2.0.1:5060 SIP/2.0\nVia: SIP/2.0/UDP 10.2.0.10:5060;branch=z9hG4bKre1\n"
                              "From: " + std::string(inv.find(sip::HeaderId::To)->value) + ";tag=ss1tag\n"
                              "To: " + std::string(inv.find(sip::HeaderId::From)->value) + "\n"
                              "Call-ID: " + std::string(*inv.call_id()) + "\nCSeq: 7 INVITE\nContact: <sip:uas@10.2.0.10:5060>\n"
                              "Max-Forwards: 70\nContent-Type: application/sdp\nContent-Length: 17\n\nv=0\na=sendonly\n");
  const std::size_t mark = sender.sent.size();
  from(ss1, reinvite);
  auto to_a = to(alice, mark);
  ASSERT_EQ(to_a.size(), 1u) << (to_a.empty() ? "" : to_a[0]);
  const sip::Message a_re = parsed(to_a[0]);
  EXPECT_EQ(first_line(to_a[0]), "INVITE sip:alice@10.1.0.50:5062 SIP/2.0");  // the caller's Contact
  EXPECT_EQ(a_re.call_id(), "alice-secret-callid@10.1.0.50");
  EXPECT_EQ(a_re.from()->tag(), a_tag);
  EXPECT_EQ(a_re.to()->tag(), "alicetag");
  EXPECT_EQ(a_re.routes().size(), 1u);  // the caller's Record-Route
  EXPECT_EQ(a_re.body(), "v=0\r\na=sendonly\r\n");
  from(alice, response(200, "OK", a_re, "", "Contact: <sip:alice@10.1.0.50:5062>\n"));
  const auto to_core = to(ss1, mark);
  ASSERT_FALSE(to_core.empty());
  EXPECT_EQ(parsed(to_core.back()).status_code(), 200);
  EXPECT_EQ(parsed(to_core.back()).cseq()->number, 7u);
  expect_no_leak(to(ss1), {"10.1.0.50", "alicetag", "alice-secret-callid"});
}

// ---- 100rel and PRACK (RFC 3262) -----------------------------------------------------------

std::string with_header(std::string msg, const std::string& header) {
  msg.insert(msg.find("Max-Forwards: 70"), header + "\r\n");
  return msg;
}

// The caller's PRACK in its own dialog, for the reliable provisional `rsp` it received.
std::string prack_from_alice(const sip::Message& rsp, const std::string& rack, int cseq = 102) {
  return crlf("PRACK sip:10.1.0.1:5060 SIP/2.0\nVia: SIP/2.0/UDP 10.1.0.50:5062;branch=z9hG4bKpr" + std::to_string(cseq) +
              "\nFrom: \"Alice\" <sip:alice@phone.access.example>;tag=alicetag\n"
              "To: " + std::string(rsp.find(sip::HeaderId::To)->value) + "\n"
              "Call-ID: alice-secret-callid@10.1.0.50\nCSeq: " + std::to_string(cseq) + " PRACK\n"
              "RAck: " + rack + "\nMax-Forwards: 70\nContent-Type: application/sdp\nContent-Length: 5\n\nv=0\n");
}

TEST_F(B2buaCall, ReliableProvisionalsAreNumberedPerLegAndPracksRelayed) {
  from(alice, with_header(kInvite, "Supported: 100rel"));
  const sip::Message inv = parsed(to(ss1)[0]);
  EXPECT_EQ(inv.tokens(sip::HeaderId::Supported), (std::vector<std::string_view>{"100rel"}));
  EXPECT_EQ(inv.find(sip::HeaderId::Require), nullptr);

  const std::string ringing = response(183, "Session Progress", inv, "ss1tag",
                                       "Require: 100rel\nRSeq: 5000\nContact: <sip:uas@10.2.0.10:5070>\n"
                                       "Record-Route: <sip:core-proxy.example;lr>\n");
  std::size_t mark = sender.sent.size();
  from(ss1, ringing);
  auto to_a = to(alice, mark);
  ASSERT_EQ(to_a.size(), 1u);
  const sip::Message rel = parsed(to_a[0]);
  EXPECT_EQ(rel.status_code(), 183);
  EXPECT_EQ(rel.tokens(sip::HeaderId::Require), (std::vector<std::string_view>{"100rel"}));
  EXPECT_EQ(rel.rseq(), 1u);  // the caller's leg has its own numbering, not the callee's 5000
  EXPECT_NE(rel.find(sip::HeaderId::Contact), nullptr);

  // The callee's retransmission is absorbed; the SBC retransmits towards the caller itself.
  mark = sender.sent.size();
  from(ss1, ringing);
  EXPECT_TRUE(to(alice, mark).empty());
  timers.advance(500);
  ASSERT_EQ(to(alice, mark).size(), 1u);
  EXPECT_EQ(parsed(to(alice, mark)[0]).rseq(), 1u);

  // A PRACK naming another response matches nothing (§3).
  mark = sender.sent.size();
  from(alice, prack_from_alice(rel, "2 101 INVITE", 102));
  ASSERT_EQ(to(alice, mark).size(), 1u);
  EXPECT_EQ(first_line(to(alice, mark)[0]), "SIP/2.0 481 No Matching Reliable Provisional Response");
  EXPECT_TRUE(to(ss1, mark).empty());

  // The right one reaches the callee in its early dialog, under the callee's numbering.
  mark = sender.sent.size();
  from(alice, prack_from_alice(rel, "1 101 INVITE", 103));
  auto to_b = to(ss1, mark);
  ASSERT_EQ(to_b.size(), 1u);
  const sip::Message pr = parsed(to_b[0]);
  EXPECT_EQ(first_line(to_b[0]), "PRACK sip:uas@10.2.0.10:5070 SIP/2.0");  // the 183's Contact
  EXPECT_EQ(header(pr, sip::HeaderId::RAck), "5000 1 INVITE");
  EXPECT_EQ(pr.cseq()->number, 2u);
  EXPECT_EQ(pr.call_id(), inv.call_id());
  EXPECT_EQ(pr.to()->tag(), "ss1tag");
  ASSERT_EQ(pr.routes().size(), 1u);  // the early dialog's route set
  EXPECT_EQ(pr.body(), "v=0\r\n");
  from(ss1, response(200, "OK", pr, ""));
  ASSERT_EQ(to(alice, mark).size(), 1u);
  const sip::Message prack_ok = parsed(to(alice, mark)[0]);
  EXPECT_EQ(prack_ok.status_code(), 200);
  EXPECT_EQ(prack_ok.cseq()->number, 103u);
  EXPECT_EQ(prack_ok.cseq()->method, "PRACK");

  // Acknowledged: no more retransmissions, and a second PRACK for it matches nothing.
  mark = sender.sent.size();
  timers.advance(4000);
  EXPECT_TRUE(to(alice, mark).empty());
  from(alice, prack_from_alice(rel, "1 101 INVITE", 104));
  EXPECT_EQ(first_line(to(alice, mark).back()), "SIP/2.0 481 No Matching Reliable Provisional Response");

  // The next reliable provisional is the next number on each leg.
  mark = sender.sent.size();
  from(ss1, response(180, "Ringing", inv, "ss1tag", "Require: 100rel\nRSeq: 5001\nContact: <sip:uas@10.2.0.10:5070>\n"));
  ASSERT_EQ(to(alice, mark).size(), 1u);
  EXPECT_EQ(parsed(to(alice, mark)[0]).rseq(), 2u);

  from(ss1, response(200, "OK", inv, "ss1tag", "Contact: <sip:uas@10.2.0.10:5070>\n"));
  EXPECT_EQ(parsed(to(alice).back()).status_code(), 200);
  expect_no_leak(to(alice), {"10.2.0.10", "ss1tag", "core-proxy", std::string(*inv.call_id()), "5000"});
  expect_no_leak(to(ss1), {"10.1.0.50", "alicetag", "alice-secret-callid", "edge.access"});
}

TEST_F(B2buaCall, CallerRequiringReliabilityMakesTheCalleeRequireIt) {
  from(alice, with_header(kInvite, "Require: 100rel"));
  const sip::Message inv = parsed(to(ss1)[0]);
  EXPECT_EQ(inv.tokens(sip::HeaderId::Require), (std::vector<std::string_view>{"100rel"}));
  // The callee cannot: its 420 reaches the caller, with what it could not do.
  from(ss1, response(420, "Bad Extension", inv, "ss1tag", "Unsupported: 100rel\n"));
  const sip::Message rej = parsed(to(alice).back());
  EXPECT_EQ(rej.status_code(), 420);
  EXPECT_EQ(header(rej, sip::HeaderId::Unsupported), "100rel");
}

TEST_F(B2buaCall, SbcAcknowledgesForACallerWithout100rel) {
  from(alice, kInvite);
  const sip::Message inv = parsed(to(ss1)[0]);
  EXPECT_EQ(inv.find(sip::HeaderId::Supported), nullptr);  // not offered for the caller
  // A callee that sends reliably anyway is acknowledged by the SBC; the caller hears a plain 180.
  std::size_t mark = sender.sent.size();
  from(ss1, response(180, "Ringing", inv, "ss1tag", "Require: 100rel\nRSeq: 77\nContact: <sip:uas@10.2.0.10:5060>\n"));
  auto to_b = to(ss1, mark);
  ASSERT_EQ(to_b.size(), 1u);
  EXPECT_EQ(first_line(to_b[0]), "PRACK sip:uas@10.2.0.10:5060 SIP/2.0");
  EXPECT_EQ(header(parsed(to_b[0]), sip::HeaderId::RAck), "77 1 INVITE");
  ASSERT_EQ(to(alice, mark).size(), 1u);
  const sip::Message ringing = parsed(to(alice, mark)[0]);
  EXPECT_EQ(ringing.status_code(), 180);
  EXPECT_EQ(ringing.find(sip::HeaderId::Require), nullptr);
  EXPECT_EQ(ringing.find(sip::HeaderId::RSeq), nullptr);
  from(ss1, response(200, "OK", parsed(to_b[0]), ""));
  // Its retransmission is not acknowledged twice.
  mark = sender.sent.size();
  from(ss1, response(180, "Ringing", inv, "ss1tag", "Require: 100rel\nRSeq: 77\nContact: <sip:uas@10.2.0.10:5060>\n"));
  EXPECT_TRUE(to(ss1, mark).empty());
  EXPECT_TRUE(to(alice, mark).empty());
}

TEST_F(B2buaCall, ReliableProvisionalNeverAcknowledgedEndsTheCall) {
  from(alice, with_header(kInvite, "Supported: 100rel"));
  const sip::Message inv = parsed(to(ss1)[0]);
  from(ss1, response(183, "Session Progress", inv, "ss1tag", "Require: 100rel\nRSeq: 1\nContact: <sip:uas@10.2.0.10:5060>\n"));
  const std::size_t mark = sender.sent.size();
  timers.advance(64 * 500 - 1);
  auto to_a = to(alice, mark);
  EXPECT_EQ(to_a.size(), 6u);  // at T1, 3T1, 7T1, 15T1, 31T1, 63T1
  for (const auto& m : to_a) EXPECT_EQ(parsed(m).status_code(), 183);
  EXPECT_TRUE(to(ss1, mark).empty());
  timers.advance(1);  // 64*T1 without a PRACK: the caller gets 500, the callee a CANCEL
  to_a = to(alice, mark);
  ASSERT_EQ(to_a.size(), 7u);
  EXPECT_EQ(first_line(to_a.back()), "SIP/2.0 500 Reliable Provisional Response Not Acknowledged");
  ASSERT_FALSE(to(ss1, mark).empty());
  EXPECT_EQ(first_line(to(ss1, mark)[0]), "CANCEL sip:15551234@10.2.0.10:5060 SIP/2.0");
  EXPECT_EQ(b2bua.counters().calls_failed, 1u);
}

// ---- REFER proxied with Replaces (attended transfer through the SBC) -----------------------

TEST_F(B2buaCall, AttendedTransferProxiedWithItsReplacesTranslatedAcrossTheSbc) {
  // Call 1: alice -> ss1 (a PBX that leaves REFER to the endpoints: proxy mode).
  from(alice, kInvite);
  const sip::Message inv1 = parsed(to(ss1)[0]);
  from(ss1, response(200, "OK", inv1, "ss1tag", "Contact: <sip:pbx@10.2.0.10:5060>\n"));
  // Call 2: the PBX consults carol on the access side (10.1.0.50:5060), who answers.
  const Peer carol{"10.1.0.50", 5060, Transport::Udp, 0};
  from(ss1, crlf("INVITE sip:carol@10.2.0.1 SIP/2.0\nVia: SIP/2.0/UDP 10.2.0.10:5060;branch=z9hG4bKpbx2\n"
                 "From: <sip:pbx@10.2.0.10>;tag=pbx2\nTo: <sip:carol@10.2.0.1>\nCall-ID: pbx-call2\nCSeq: 1 INVITE\n"
                 "Contact: <sip:pbx@10.2.0.10:5060>\nMax-Forwards: 70\nContent-Length: 0\n\n"));
  const sip::Message inv2 = parsed(to(carol).at(0));
  from(carol, response(200, "OK", inv2, "caroltag", "Contact: <sip:carol@10.1.0.50:5060>\n"));
  const sip::Message ok2 = parsed(to(ss1).back());
  ASSERT_EQ(ok2.status_code(), 200);
  const std::string sbc_tag2(*ok2.to()->tag());  // the SBC's tag in the PBX's consultation dialog

  // The PBX refers alice to carol, replacing its consultation dialog as it knows it.
  std::size_t mark = sender.sent.size();
  from(ss1, crlf("REFER sip:10.2.0.1:5060 SIP/2.0\nVia: SIP/2.0/UDP 10.2.0.10:5060;branch=z9hG4bKref1\n"
                 "From: " + std::string(inv1.find(sip::HeaderId::To)->value) + ";tag=ss1tag\n"
                 "To: " + std::string(inv1.find(sip::HeaderId::From)->value) + "\nCall-ID: " + std::string(*inv1.call_id()) +
                 "\nCSeq: 2 REFER\nContact: <sip:pbx@10.2.0.10:5060>\nMax-Forwards: 70\n"
                 "Refer-To: <sip:carol@pbx.core.example?Replaces=pbx-call2%3Bto-tag%3D" + sbc_tag2 + "%3Bfrom-tag%3Dpbx2>\n"
                 "Content-Length: 0\n\n"));
  auto to_a = to(alice, mark);
  ASSERT_EQ(to_a.size(), 1u);
  const sip::Message refer = parsed(to_a[0]);
  EXPECT_EQ(refer.method(), "REFER");
  const std::string l2y_callid(*inv2.call_id()), l2y_tag(*inv2.from()->tag());
  // The Replaces now names the SBC's dialog with carol, as alice can reach it: through the SBC.
  EXPECT_EQ(header(refer, sip::HeaderId::ReferTo),
            "<sip:carol@10.1.0.1:5060?Replaces=" + l2y_callid + "%3Bto-tag%3D" + l2y_tag + "%3Bfrom-tag%3Dcaroltag>");
  expect_no_leak({to_a[0]}, {"pbx-call2", "pbx2", sbc_tag2, "10.2.0."});

  // alice's INVITE with that Replaces goes to carol, naming the dialog as carol knows it.
  mark = sender.sent.size();
  from(alice, crlf("INVITE sip:carol@10.1.0.1:5060 SIP/2.0\nVia: SIP/2.0/UDP 10.1.0.50:5062;branch=z9hG4bKrep1\n"
                   "From: <sip:alice@10.1.0.50>;tag=alice3\nTo: <sip:carol@10.1.0.1>\nCall-ID: alice-call3\nCSeq: 1 INVITE\n"
                   "Contact: <sip:alice@10.1.0.50:5062>\nReplaces: " + l2y_callid + ";to-tag=" + l2y_tag +
                   ";from-tag=caroltag\nMax-Forwards: 70\nContent-Length: 0\n\n"));
  auto to_carol = to(carol, mark);
  ASSERT_EQ(to_carol.size(), 1u);
  const sip::Message inv3 = parsed(to_carol[0]);
  EXPECT_EQ(first_line(to_carol[0]), "INVITE sip:carol@10.1.0.50:5060 SIP/2.0");
  EXPECT_EQ(header(inv3, sip::HeaderId::Replaces), l2y_callid + ";to-tag=caroltag;from-tag=" + l2y_tag);
  EXPECT_NE(inv3.call_id(), "alice-call3");
  EXPECT_TRUE(to(ss1, mark).empty());  // the core is not involved in joining them
}

TEST_F(B2buaCall, ReplacesOfADialogBeyondTheSbcTravelsUnchanged) {
  std::string inv = kInvite;
  inv.insert(inv.find("Max-Forwards"), "Replaces: far-call@pbx;to-tag=x1;from-tag=y2\r\n");
  from(alice, inv);
  const sip::Message b = parsed(to(ss1).at(0));
  EXPECT_EQ(header(b, sip::HeaderId::Replaces), "far-call@pbx;to-tag=x1;from-tag=y2");
  EXPECT_EQ(first_line(to(ss1)[0]), "INVITE sip:15551234@10.2.0.10:5060 SIP/2.0");  // routed as usual
}

}  // namespace
}  // namespace palisade::b2bua

namespace palisade::b2bua {
namespace {

using namespace testing_support;

// Overload: an agent past its burst rate is skipped; with no next hop left the caller is told
// to come back later (503 + Retry-After), and nothing reaches the agent.
struct RateLimitedAgent : CallFixture {
  RateLimitedAgent() : CallFixture(R"(
network-interface = ( { name = "a0"; ip-address = "10.1.0.1"; }, { name = "c0"; ip-address = "10.2.0.1"; } );
realm-config = ( { identifier = "access"; network-interfaces = ["a0"]; }, { identifier = "core"; network-interfaces = ["c0"]; } );
sip-interface = ( { realm-id = "access"; sip-ports = ( { address = "10.1.0.1"; } ); },
                  { realm-id = "core"; sip-ports = ( { address = "10.2.0.1"; } ); } );
session-agent = ( { hostname = "ss1"; ip-address = "10.2.0.10"; realm-id = "core"; max-burst-rate = 2; } );
local-policy = ( { to-address = ["*"]; source-realm = ["access"]; policy-attributes = ( { next-hop = "ss1"; realm = "core"; } ); } );
)") {
    b2bua.clock = [this] { return now_ms; };
  }
  std::uint64_t now_ms = 5000;  // the B2BUA's clock, moved by hand: no timer fires
  std::string invite(int n) {
    std::string s = kInvite;
    s.replace(s.find("alice-secret-callid"), 19, "call-" + std::to_string(n));
    s.replace(s.find("z9hG4bKphone1"), 13, "z9hG4bKphone" + std::to_string(n + 10));
    return s;
  }
};

TEST_F(RateLimitedAgent, PastItsBurstTheCallerGets503WithRetryAfter) {
  from(alice, invite(1));
  from(alice, invite(2));
  EXPECT_EQ(to(ss1).size(), 2u);
  const std::size_t mark = sender.sent.size();
  from(alice, invite(3));  // a third call within the same second
  EXPECT_EQ(to(ss1, mark).size(), 0u);
  const auto back = to(alice, mark);
  ASSERT_FALSE(back.empty());
  const sip::Message rsp = parsed(back.back());
  EXPECT_EQ(rsp.status_code(), 503);
  EXPECT_EQ(header(rsp, sip::HeaderId::RetryAfter), "30");
  now_ms += 1000;  // the next second
  from(alice, invite(4));
  EXPECT_EQ(to(ss1, mark).size(), 1u);
}

// The agent unlimited, and realm `realm` (0 access, 1 core) held to one session-constraints limit.
struct ConstrainedFixture : RateLimitedAgent {
  ConstrainedFixture(std::size_t realm, std::uint32_t config::SessionConstraints::*limit, std::uint32_t value) {
    cfg.session_constraints.push_back({});
    cfg.session_constraints.back().name = "limits";
    cfg.session_constraints.back().*limit = value;
    cfg.realms[realm].constraint_name = "limits";
    cfg.session_agents[0].max_burst_rate = 0;
  }
};

// Realm constraints: the access realm takes two calls at a time. The third caller is told to
// come back later and nothing reaches the core; once a call ends, there is room again.
struct ConstrainedRealm : ConstrainedFixture {
  ConstrainedRealm() : ConstrainedFixture(0, &config::SessionConstraints::max_inbound_sessions, 2) {}
};

TEST_F(ConstrainedRealm, PastMaxInboundSessionsTheCallerGets503AndNothingReachesTheCore) {
  from(alice, invite(1));
  from(alice, invite(2));
  ASSERT_EQ(to(ss1).size(), 2u);
  const std::size_t mark = sender.sent.size();
  now_ms += 5000;  // not a rate: the calls in progress fill the realm
  from(alice, invite(3));
  EXPECT_EQ(to(ss1, mark).size(), 0u);
  auto back = to(alice, mark);
  ASSERT_FALSE(back.empty());
  sip::Message rsp = parsed(back.back());
  EXPECT_EQ(rsp.status_code(), 503);
  EXPECT_EQ(header(rsp, sip::HeaderId::RetryAfter), "30");
  EXPECT_EQ(b2bua.realm_loads().at("access").in.active, 2u);
  EXPECT_EQ(b2bua.realm_loads().at("access").in.refused, 1u);
  EXPECT_EQ(b2bua.realm_loads().at("core").out.active, 2u);

  // The core turns call 1 down: the call ends and its place in the realm is free.
  from(ss1, response(486, "Busy Here", parsed(to(ss1)[0]), "ss1tag"));
  EXPECT_EQ(b2bua.realm_loads().at("access").in.active, 1u);
  EXPECT_EQ(b2bua.realm_loads().at("core").out.active, 1u);
  const std::size_t mark2 = sender.sent.size();
  from(alice, invite(4));
  EXPECT_EQ(to(ss1, mark2).size(), 1u);
}

// Outbound: the core realm takes one call at a time; the next one finds no next hop.
struct ConstrainedCore : ConstrainedFixture {
  ConstrainedCore() : ConstrainedFixture(1, &config::SessionConstraints::max_outbound_sessions, 1) {}
};

TEST_F(ConstrainedCore, PastMaxOutboundSessionsTheNextHopIsSkipped) {
  from(alice, invite(1));
  ASSERT_EQ(to(ss1).size(), 1u);
  const std::size_t mark = sender.sent.size();
  from(alice, invite(2));
  EXPECT_EQ(to(ss1, mark).size(), 0u);
  auto back = to(alice, mark);
  ASSERT_FALSE(back.empty());
  EXPECT_EQ(parsed(back.back()).status_code(), 503);
  EXPECT_EQ(b2bua.realm_loads().at("core").out.active, 1u);
  EXPECT_EQ(b2bua.realm_loads().at("access").in.active, 1u);  // the refused call left nothing counted
}

}  // namespace
}  // namespace palisade::b2bua
