// TransactionLayer with real SIP bytes, a manual clock and a sender that records what it sent.
#include <gtest/gtest.h>

#include <map>

#include "../sip/test_util.hpp"
#include "fakes.hpp"
#include "transaction/transaction_layer.hpp"

namespace palisade::transaction {
namespace {

using sip::Message;
using test::crlf;
using test::keep;

struct RecordingTu : TransactionUser {
  std::vector<std::string> events;
  TransactionLayer* layer = nullptr;
  std::function<void(TxId, const Message&)> answer;
  void on_request(TxId id, const Message& m, const Peer&) override {
    events.push_back("request " + std::string(m.method()));
    if (answer) answer(id, m);
  }
  void on_ack(const Message&, const Peer&) override { events.push_back("ack"); }
  void on_response(TxId, const Message& m) override { events.push_back("response " + std::to_string(m.status_code())); }
  void on_client_failure(TxId, Failure f) override { events.push_back(f == Failure::Timeout ? "client timeout" : "client transport"); }
  void on_server_failure(TxId, Failure f) override { events.push_back(f == Failure::Timeout ? "server timeout" : "server transport"); }
  void on_stray_response(const Message& m, const Peer&) override { events.push_back("stray " + std::to_string(m.status_code())); }
};

struct LayerTest : ::testing::Test {
  ManualTimers timers;
  RecordingSender sender;
  RecordingTu tu;
  TransactionLayer layer{TimerConfig{}, timers, sender, tu};
  Peer alice{"192.0.2.10", 5070, Transport::Udp};
  Peer bob{"198.51.100.20", 5060, Transport::Udp};

  void receive(const std::string& text, const Peer& from) {
    auto m = sip::parse_message(keep(text));
    ASSERT_TRUE(m.ok()) << sip::describe(m.error());
    layer.receive(*m, from);
  }
};

const std::string kInvite = crlf(
    "INVITE sip:bob@198.51.100.20 SIP/2.0\n"
    "Via: SIP/2.0/UDP 192.0.2.10:5070;branch=z9hG4bKinv1;rport\n"
    "From: <sip:alice@192.0.2.10>;tag=a1\nTo: <sip:bob@198.51.100.20>\n"
    "Call-ID: call-1\nCSeq: 7 INVITE\nMax-Forwards: 70\nContent-Length: 0\n\n");

std::string with(std::string text, const std::string& from, const std::string& to) {
  text.replace(text.find(from), from.size(), to);
  return text;
}

TEST_F(LayerTest, ServerInviteTryingRetransmissionsFailureAndAck) {
  std::optional<TxId> id;
  tu.answer = [&](TxId t, const Message&) { id = t; };
  receive(kInvite, alice);
  ASSERT_TRUE(id);
  EXPECT_EQ(sender.lines(), std::vector<std::string>{"SIP/2.0 100 Trying"});
  EXPECT_EQ(sender.sent[0].first, alice);  // back to the source address and port
  // RFC 3581: the caller asked for rport; it came from 192.0.2.10:5070
  EXPECT_NE(sender.sent[0].second.find("Via: SIP/2.0/UDP 192.0.2.10:5070;branch=z9hG4bKinv1;rport=5070;received=192.0.2.10\r\n"),
            std::string::npos) << sender.sent[0].second;
  receive(kInvite, alice);                 // retransmission: 100 again, TU not told again
  EXPECT_EQ(tu.events, std::vector<std::string>{"request INVITE"});
  EXPECT_EQ(sender.sent.size(), 2u);

  auto req = sip::parse_message(keep(kInvite));
  ASSERT_TRUE(layer.respond(*id, sip::make_response(*req, 486, {}, "b9")));
  timers.advance(1600);  // G: 500, 1500
  EXPECT_EQ(sender.lines(), (std::vector<std::string>{"SIP/2.0 100 Trying", "SIP/2.0 100 Trying",
                                                      "SIP/2.0 486 Busy Here", "SIP/2.0 486 Busy Here",
                                                      "SIP/2.0 486 Busy Here"}));
  std::string ack = with(with(kInvite, "INVITE sip", "ACK sip"), "7 INVITE", "7 ACK");
  ack = with(ack, "To: <sip:bob@198.51.100.20>", "To: <sip:bob@198.51.100.20>;tag=b9");
  receive(ack, alice);
  EXPECT_EQ(tu.events, std::vector<std::string>{"request INVITE"});  // the ACK of a failure stays here
  timers.advance(5000);  // Timer I
  EXPECT_EQ(layer.server_count(), 0u);
  EXPECT_EQ(sender.sent.size(), 5u);
  EXPECT_EQ(timers.pending(), 0u);
}

TEST_F(LayerTest, AckOfA2xxGoesToTheTu) {
  std::string ack = with(with(with(kInvite, "INVITE sip", "ACK sip"), "7 INVITE", "7 ACK"), "z9hG4bKinv1", "z9hG4bKack2");
  receive(ack, alice);
  EXPECT_EQ(tu.events, std::vector<std::string>{"ack"});
  EXPECT_EQ(layer.server_count(), 0u);
}

TEST_F(LayerTest, NoAckTimesOut) {
  std::optional<TxId> id;
  tu.answer = [&](TxId t, const Message&) { id = t; };
  receive(kInvite, alice);
  auto req = sip::parse_message(keep(kInvite));
  layer.respond(*id, sip::make_response(*req, 503, {}, "b9"));
  timers.advance(40000);
  EXPECT_EQ(tu.events.back(), "server timeout");
  EXPECT_EQ(layer.server_count(), 0u);
}

TEST_F(LayerTest, CancelHasItsOwnTransactionAndFindsTheInvite) {
  std::vector<TxId> ids;
  tu.answer = [&](TxId t, const Message&) { ids.push_back(t); };
  receive(kInvite, alice);
  const std::string cancel = with(with(kInvite, "INVITE sip", "CANCEL sip"), "7 INVITE", "7 CANCEL");
  receive(cancel, alice);
  ASSERT_EQ(ids.size(), 2u);
  EXPECT_NE(ids[0], ids[1]);
  auto c = sip::parse_message(keep(cancel));
  EXPECT_EQ(layer.invite_for_cancel(*c), ids[0]);
  EXPECT_EQ(layer.server_count(), 2u);
}

TEST_F(LayerTest, Rfc2543RetransmissionIsRecognised) {
  const std::string old = with(kInvite, ";branch=z9hG4bKinv1;rport", "");
  receive(old, alice);
  receive(old, alice);
  EXPECT_EQ(tu.events, std::vector<std::string>{"request INVITE"});
  EXPECT_EQ(layer.server_count(), 1u);
}

sip::OutgoingMessage outgoing(const std::string& method, const std::string& branch) {
  auto r = sip::OutgoingMessage::request(method, "sip:bob@198.51.100.20");
  r.add(sip::HeaderId::Via, "SIP/2.0/UDP 203.0.113.1:5060;branch=" + branch);
  r.add(sip::HeaderId::Route, "<sip:198.51.100.20;lr>");
  r.add(sip::HeaderId::From, "<sip:sbc@203.0.113.1>;tag=s1");
  r.add(sip::HeaderId::To, "<sip:bob@198.51.100.20>");
  r.add(sip::HeaderId::CallId, "out-1");
  r.add(sip::HeaderId::CSeq, "1 " + method);
  return r;
}

std::string response_to(const std::string& method, const std::string& branch, int code, const std::string& reason) {
  return crlf("SIP/2.0 " + std::to_string(code) + " " + reason + "\nVia: SIP/2.0/UDP 203.0.113.1:5060;branch=" + branch +
              "\nFrom: <sip:sbc@203.0.113.1>;tag=s1\nTo: <sip:bob@198.51.100.20>;tag=b1\nCall-ID: out-1\nCSeq: 1 " +
              method + "\nContent-Length: 0\n\n");
}

TEST_F(LayerTest, ClientNonInviteRetransmitsUntilAnswered) {
  layer.send_request(outgoing("OPTIONS", "z9hG4bKo1"), bob);
  timers.advance(1600);  // E: 500, 1500
  EXPECT_EQ(sender.sent.size(), 3u);
  receive(response_to("OPTIONS", "z9hG4bKo1", 200, "OK"), bob);
  receive(response_to("OPTIONS", "z9hG4bKo1", 200, "OK"), bob);  // absorbed
  timers.advance(10000);
  EXPECT_EQ(sender.sent.size(), 3u);
  EXPECT_EQ(tu.events, std::vector<std::string>{"response 200"});
  EXPECT_EQ(layer.client_count(), 0u);
  EXPECT_EQ(timers.pending(), 0u);
}

TEST_F(LayerTest, ClientInviteFailureIsAcknowledged) {
  layer.send_request(outgoing("INVITE", "z9hG4bKi9"), bob);
  receive(response_to("INVITE", "z9hG4bKi9", 180, "Ringing"), bob);
  receive(response_to("INVITE", "z9hG4bKi9", 486, "Busy Here"), bob);
  receive(response_to("INVITE", "z9hG4bKi9", 486, "Busy Here"), bob);
  EXPECT_EQ(tu.events, (std::vector<std::string>{"response 180", "response 486"}));
  ASSERT_EQ(sender.lines(), (std::vector<std::string>{"INVITE sip:bob@198.51.100.20 SIP/2.0",
                                                      "ACK sip:bob@198.51.100.20 SIP/2.0",
                                                      "ACK sip:bob@198.51.100.20 SIP/2.0"}));
  auto ack = sip::parse_message(keep(sender.sent[1].second));
  ASSERT_TRUE(ack.ok());
  EXPECT_EQ(ack->top_via()->branch(), "z9hG4bKi9");  // same transaction (§17.1.1.3)
  EXPECT_EQ(ack->to()->tag(), "b1");
  EXPECT_EQ(ack->cseq()->number, 1u);
  EXPECT_EQ(ack->cseq()->method, "ACK");
  EXPECT_EQ(ack->routes().size(), 1u);
  EXPECT_EQ(ack->call_id(), "out-1");
}

TEST_F(LayerTest, ClientTimeoutAndTransportError) {
  layer.send_request(outgoing("INVITE", "z9hG4bKt1"), bob);
  timers.advance(32000);
  EXPECT_EQ(tu.events, std::vector<std::string>{"client timeout"});
  EXPECT_EQ(sender.sent.size(), 7u);  // the INVITE and six retransmissions
  EXPECT_EQ(layer.client_count(), 0u);

  sender.fail = true;
  layer.send_request(outgoing("BYE", "z9hG4bKt2"), bob);
  EXPECT_EQ(tu.events.back(), "client transport");
  EXPECT_EQ(layer.client_count(), 0u);
  EXPECT_EQ(timers.pending(), 0u);
}

TEST_F(LayerTest, StrayResponses) {
  receive(response_to("INVITE", "z9hG4bKnobody", 200, "OK"), bob);
  EXPECT_EQ(tu.events, std::vector<std::string>{"stray 200"});
}

TEST_F(LayerTest, ServerNonInviteAnsweredOverTcpEndsAtOnce) {
  Peer tcp{"192.0.2.10", 40000, Transport::Tcp};
  tu.answer = [&](TxId t, const Message& m) { layer.respond(t, sip::make_response(m, 200, {}, "x")); };
  receive(with(with(kInvite, "INVITE sip", "OPTIONS sip"), "7 INVITE", "7 OPTIONS"), tcp);
  EXPECT_EQ(sender.lines(), std::vector<std::string>{"SIP/2.0 200 OK"});
  EXPECT_EQ(layer.server_count(), 0u);  // Timer J is zero on TCP
}

}  // namespace
}  // namespace palisade::transaction
