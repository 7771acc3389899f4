// REFER terminated in the SBC (docs/transfer.md): the PBX on the core side (ss1) transfers the
// caller (alice) to a target (ss2). Every test drives real SIP text through the transaction
// layer and checks what each party was sent.
#include "transfer_fixture.hpp"

namespace palisade::b2bua {
namespace {

using namespace testing_support;

TEST_F(Transfer, BlindTransferPerformedByTheSbc) {
  establish();
  std::size_t mark = sender.sent.size();
  from(ss1, from_ss1("REFER", 2, "Refer-To: <sip:2000@pbx.core.example>\n"));
  auto to_ss1 = to(ss1, mark);
  ASSERT_EQ(to_ss1.size(), 2u);
  EXPECT_EQ(first_line(to_ss1[0]), "SIP/2.0 202 Accepted");
  const sip::Message trying = parsed(to_ss1[1]);
  EXPECT_EQ(first_line(to_ss1[1]), "NOTIFY sip:pbx@10.2.0.10:5060 SIP/2.0");
  EXPECT_EQ(header(trying, sip::HeaderId::Event), "refer;id=2");
  EXPECT_EQ(header(trying, sip::HeaderId::SubscriptionState), "active;expires=60");
  EXPECT_EQ(header(trying, sip::HeaderId::ContentType), "message/sipfrag;version=2.0");
  EXPECT_EQ(trying.body(), "SIP/2.0 100 Trying\r\n");
  EXPECT_TRUE(to(alice, mark).empty());  // the transferee sees no REFER
  from(ss1, response(200, "OK", trying, ""));

  // The target is called with the transferee's identity and media.
  auto to_ss2 = to(ss2, mark);
  ASSERT_EQ(to_ss2.size(), 1u);
  const sip::Message t_inv = parsed(to_ss2[0]);
  EXPECT_EQ(first_line(to_ss2[0]), "INVITE sip:2000@10.2.0.11:5060 SIP/2.0");
  EXPECT_EQ(t_inv.from()->uri.user, "alice");
  EXPECT_EQ(header(t_inv, sip::HeaderId::ReferredBy), "<sip:15551234@10.2.0.1>");
  EXPECT_EQ(t_inv.body(), alice_sdp);
  EXPECT_NE(t_inv.call_id(), b_inv.call_id());

  from(ss2, response(180, "Ringing", t_inv, "ss2tag"));
  EXPECT_EQ(to(ss1, mark).size(), 2u);  // refer-notify-provisional "initial": no NOTIFY for the 180
  mark = sender.sent.size();
  from(ss2, answer(200, "OK", t_inv, "ss2tag", "<sip:target@10.2.0.11:5060>", ss2_sdp));
  ASSERT_EQ(to(ss2, mark).size(), 1u);
  EXPECT_EQ(first_line(to(ss2, mark)[0]), "ACK sip:target@10.2.0.11:5060 SIP/2.0");

  // The transferee gets the target's media as the next version of the session it knows.
  auto to_a = to(alice, mark);
  ASSERT_EQ(to_a.size(), 1u);
  const sip::Message re = parsed(to_a[0]);
  EXPECT_EQ(first_line(to_a[0]), "INVITE sip:alice@10.1.0.50:5062 SIP/2.0");
  EXPECT_EQ(re.call_id(), "alice-callid");
  EXPECT_NE(re.body().find("o=pbx 21 6 IN IP4 10.2.0.10"), std::string_view::npos) << re.body();
  EXPECT_NE(re.body().find("m=audio 6000 RTP/AVP 0"), std::string_view::npos) << re.body();
  EXPECT_TRUE(to(ss1, mark).empty());  // no BYE before the final NOTIFY

  mark = sender.sent.size();
  from(alice, answer(200, "OK", re, "", "<sip:alice@10.1.0.50:5062>", alice_sdp));
  ASSERT_EQ(to(alice, mark).size(), 1u);
  EXPECT_EQ(first_line(to(alice, mark)[0]), "ACK sip:alice@10.1.0.50:5062 SIP/2.0");
  to_ss1 = to(ss1, mark);
  ASSERT_EQ(to_ss1.size(), 1u);
  const sip::Message done = parsed(to_ss1[0]);
  EXPECT_EQ(done.method(), "NOTIFY");
  EXPECT_EQ(header(done, sip::HeaderId::SubscriptionState), "terminated;reason=noresource");
  EXPECT_EQ(done.body(), "SIP/2.0 200 OK\r\n");

  // The transferor is released once it has answered the final NOTIFY.
  mark = sender.sent.size();
  from(ss1, response(200, "OK", done, ""));
  to_ss1 = to(ss1, mark);
  ASSERT_EQ(to_ss1.size(), 1u);
  EXPECT_EQ(parsed(to_ss1[0]).method(), "BYE");
  from(ss1, response(200, "OK", parsed(to_ss1[0]), ""));

  // alice now talks to the target: her BYE reaches ss2, not ss1.
  mark = sender.sent.size();
  from(alice, from_alice("BYE", 2));
  EXPECT_EQ(first_line(to(alice, mark).at(0)), "SIP/2.0 200 OK");
  ASSERT_EQ(to(ss2, mark).size(), 1u);
  EXPECT_EQ(parsed(to(ss2, mark)[0]).method(), "BYE");
  EXPECT_EQ(parsed(to(ss2, mark)[0]).call_id(), t_inv.call_id());
  EXPECT_TRUE(to(ss1, mark).empty());
  from(ss2, response(200, "OK", parsed(to(ss2, mark)[0]), ""));
  EXPECT_EQ(b2bua.active_calls(), 0u);
  EXPECT_EQ(b2bua.counters().transfers_started, 1u);
  EXPECT_EQ(b2bua.counters().transfers_succeeded, 1u);

  // Topology hiding holds across the transfer (SDP bodies still cross until media anchoring).
  for (const auto& w : to(alice)) {
    const std::string h = headers_of(w);
    for (const char* secret : {"10.2.0.1", "ss1tag", "ss2tag", "pbx.core", "2000@"})
      EXPECT_EQ(h.find(secret), std::string::npos) << secret << " in\n" << h;
  }
  for (const auto& w : to(ss2)) EXPECT_EQ(headers_of(w).find("10.1.0."), std::string::npos) << w;
}

TEST_F(Transfer, TargetThatFailsLeavesTheCallUp) {
  establish();
  from(ss1, from_ss1("REFER", 2, "Refer-To: <sip:2000@pbx.core.example>\n"));
  const sip::Message t_inv = parsed(to(ss2).at(0));
  std::size_t mark = sender.sent.size();
  from(ss2, response(486, "Busy Here", t_inv, "ss2tag"));
  auto to_ss1 = to(ss1, mark);
  ASSERT_EQ(to_ss1.size(), 1u);
  const sip::Message failed = parsed(to_ss1[0]);
  EXPECT_EQ(failed.method(), "NOTIFY");
  EXPECT_EQ(failed.body(), "SIP/2.0 486 Busy Here\r\n");
  EXPECT_EQ(header(failed, sip::HeaderId::SubscriptionState), "terminated;reason=noresource");
  from(ss1, response(200, "OK", failed, ""));
  EXPECT_TRUE(to(alice, mark).empty());
  EXPECT_EQ(b2bua.counters().transfers_failed, 1u);
  // The transferor takes the call back: alice's BYE still reaches ss1.
  mark = sender.sent.size();
  from(alice, from_alice("BYE", 2));
  ASSERT_EQ(to(ss1, mark).size(), 1u);
  EXPECT_EQ(parsed(to(ss1, mark)[0]).call_id(), b_inv.call_id());
}

TEST_F(Transfer, TargetThatNeverAnswersIsReportedAsTimeout) {
  establish();
  from(ss1, from_ss1("REFER", 2, "Refer-To: <sip:2000@pbx.core.example>\n"));
  const std::size_t mark = sender.sent.size();
  timers.advance(32000);  // Timer B
  auto notifies = to(ss1, mark);
  ASSERT_FALSE(notifies.empty());
  EXPECT_EQ(parsed(notifies.back()).body(), "SIP/2.0 408 Request Timeout\r\n");
  EXPECT_EQ(b2bua.active_calls(), 1u);
}

TEST_F(Transfer, ReferSubFalseMeansNoNotify) {
  establish();
  std::size_t mark = sender.sent.size();
  from(ss1, from_ss1("REFER", 2, "Refer-To: <sip:2000@pbx.core.example>\nRefer-Sub: false\n"));
  auto to_ss1 = to(ss1, mark);
  ASSERT_EQ(to_ss1.size(), 1u);
  EXPECT_EQ(header(parsed(to_ss1[0]), sip::HeaderId::ReferSub), "false");
  const sip::Message t_inv = parsed(to(ss2).at(0));
  from(ss2, answer(200, "OK", t_inv, "ss2tag", "<sip:target@10.2.0.11:5060>", ss2_sdp));
  const sip::Message re = parsed(to(alice).back());
  mark = sender.sent.size();
  from(alice, answer(200, "OK", re, "", "<sip:alice@10.1.0.50:5062>", alice_sdp));
  to_ss1 = to(ss1, mark);
  ASSERT_EQ(to_ss1.size(), 1u);
  EXPECT_EQ(parsed(to_ss1[0]).method(), "BYE");  // straight to the release
}

TEST_F(Transfer, TransferorHangingUpAfterTheAcceptDoesNotTakeTheTransfereeDown) {
  cfg.realms[1].refer_notify_provisional = config::ReferNotifyProvisional::All;  // core: every NOTIFY
  establish();
  from(ss1, from_ss1("REFER", 2, "Refer-To: <sip:2000@pbx.core.example>\n"));
  std::size_t mark = sender.sent.size();
  from(ss1, from_ss1("BYE", 3, ""));
  EXPECT_EQ(first_line(to(ss1, mark).at(0)), "SIP/2.0 200 OK");
  EXPECT_TRUE(to(alice, mark).empty());  // no BYE to alice
  const sip::Message t_inv = parsed(to(ss2).at(0));
  mark = sender.sent.size();
  from(ss2, response(180, "Ringing", t_inv, "ss2tag"));
  EXPECT_TRUE(to(ss1, mark).empty());  // no NOTIFY into a dialog that has ended
  from(ss2, answer(200, "OK", t_inv, "ss2tag", "<sip:target@10.2.0.11:5060>", ss2_sdp));
  const sip::Message re = parsed(to(alice).back());
  EXPECT_EQ(re.method(), "INVITE");
  mark = sender.sent.size();
  from(alice, answer(200, "OK", re, "", "<sip:alice@10.1.0.50:5062>", alice_sdp));
  EXPECT_TRUE(to(ss1, mark).empty());  // nothing more for the transferor
  EXPECT_EQ(b2bua.counters().transfers_succeeded, 1u);
  mark = sender.sent.size();
  from(alice, from_alice("BYE", 2));
  EXPECT_EQ(to(ss2, mark).size(), 1u);
}

TEST_F(Transfer, ReinviteGlareIsRetriedNotFatal) {
  establish();
  from(ss1, from_ss1("REFER", 2, "Refer-To: <sip:2000@pbx.core.example>\n"));
  const sip::Message t_inv = parsed(to(ss2).at(0));
  from(ss2, answer(200, "OK", t_inv, "ss2tag", "<sip:target@10.2.0.11:5060>", ss2_sdp));
  const sip::Message re = parsed(to(alice).back());
  std::size_t mark = sender.sent.size();
  from(alice, response(491, "Request Pending", re, ""));
  EXPECT_EQ(first_line(to(alice, mark).at(0)), "ACK sip:alice@10.1.0.50:5062 SIP/2.0");  // hop-by-hop ACK
  EXPECT_EQ(to(alice, mark).size(), 1u);
  timers.advance(2000);  // alice chose the Call-ID: the SBC waits 0-2 s (RFC 3261 §14.1)
  auto again = to(alice, mark);
  ASSERT_GE(again.size(), 2u);  // the new INVITE (and its retransmissions, unanswered so far)
  const sip::Message re2 = parsed(again[1]);
  EXPECT_EQ(re2.method(), "INVITE");
  EXPECT_GT(re2.cseq()->number, re.cseq()->number);
  from(alice, answer(200, "OK", re2, "", "<sip:alice@10.1.0.50:5062>", alice_sdp));
  EXPECT_EQ(b2bua.counters().transfers_succeeded, 1u);
  EXPECT_EQ(b2bua.active_calls(), 1u);
}

TEST_F(Transfer, TransfereeHangingUpReleasesTheRingingTarget) {
  establish();
  from(ss1, from_ss1("REFER", 2, "Refer-To: <sip:2000@pbx.core.example>\n"));
  const sip::Message t_inv = parsed(to(ss2).at(0));
  from(ss2, response(180, "Ringing", t_inv, "ss2tag"));
  std::size_t mark = sender.sent.size();
  from(alice, from_alice("BYE", 2));
  EXPECT_EQ(first_line(to(alice, mark).at(0)), "SIP/2.0 200 OK");
  auto to_ss2 = to(ss2, mark);
  ASSERT_EQ(to_ss2.size(), 1u);
  EXPECT_EQ(first_line(to_ss2[0]), "CANCEL sip:2000@10.2.0.11:5060 SIP/2.0");
  auto to_ss1 = to(ss1, mark);
  ASSERT_EQ(to_ss1.size(), 1u);
  EXPECT_EQ(parsed(to_ss1[0]).method(), "BYE");
  from(ss2, response(200, "OK", parsed(to_ss2[0]), ""));
  from(ss1, response(200, "OK", parsed(to_ss1[0]), ""));
  EXPECT_EQ(b2bua.active_calls(), 1u);  // until the target's INVITE settles
  from(ss2, response(487, "Request Terminated", t_inv, "ss2tag"));
  EXPECT_EQ(b2bua.active_calls(), 0u);
}

TEST_F(Transfer, ReferFromASenderThatIsNotSetToTerminateIsProxied) {
  establish();
  // alice is no session agent and the access realm leaves refer-call-transfer disabled.
  const std::size_t mark = sender.sent.size();
  std::string refer = from_alice("REFER", 2);
  refer.insert(refer.find("Max-Forwards"), "Refer-To: <sip:3000@10.1.0.77>\r\nContact: <sip:alice@10.1.0.50:5062>\r\n");
  from(alice, refer);
  auto to_ss1 = to(ss1, mark);
  ASSERT_EQ(to_ss1.size(), 1u);
  const sip::Message fwd = parsed(to_ss1[0]);
  EXPECT_EQ(fwd.method(), "REFER");
  EXPECT_EQ(header(fwd, sip::HeaderId::ReferTo), "<sip:3000@10.2.0.1:5060>");  // no access address
  EXPECT_EQ(b2bua.counters().refers_proxied, 1u);
  EXPECT_EQ(b2bua.counters().transfers_started, 0u);
}

TEST_F(Transfer, NoReinviteWhenTheTransfereesMediaDestinationStaysTheSame) {
  establish();
  from(ss1, from_ss1("REFER", 2, "Refer-To: <sip:2000@pbx.core.example>\n"));
  const sip::Message t_inv = parsed(to(ss2).at(0));
  from(ss1, response(200, "OK", parsed(to(ss1).back()), ""));  // the 100 Trying NOTIFY
  // The target's media is where the transferor's was (a media server both use).
  const std::size_t mark = sender.sent.size();
  from(ss2, answer(200, "OK", t_inv, "ss2tag", "<sip:target@10.2.0.11:5060>", sdp("ms 77 1", "10.2.0.10", 5000)));
  EXPECT_TRUE(to(alice, mark).empty());  // nothing for alice to change
  auto to_ss1 = to(ss1, mark);
  ASSERT_EQ(to_ss1.size(), 1u);
  EXPECT_EQ(parsed(to_ss1[0]).body(), "SIP/2.0 200 OK\r\n");
  EXPECT_EQ(b2bua.counters().transfers_succeeded, 1u);
}

TEST_F(Transfer, ShutdownDuringATransferReleasesEveryParty) {
  establish();
  from(ss1, from_ss1("REFER", 2, "Refer-To: <sip:2000@pbx.core.example>\n"));
  const sip::Message t_inv = parsed(to(ss2).at(0));
  from(ss2, response(180, "Ringing", t_inv, "ss2tag"));
  const std::size_t mark = sender.sent.size();
  b2bua.release_all();
  ASSERT_EQ(to(alice, mark).size(), 1u);
  EXPECT_EQ(parsed(to(alice, mark)[0]).method(), "BYE");
  ASSERT_EQ(to(ss2, mark).size(), 1u);
  EXPECT_EQ(first_line(to(ss2, mark)[0]), "CANCEL sip:2000@10.2.0.11:5060 SIP/2.0");
  std::vector<sip::Message> to_pbx;
  for (const auto& w : to(ss1, mark)) to_pbx.push_back(parsed(w));
  ASSERT_EQ(to_pbx.size(), 1u);
  EXPECT_EQ(to_pbx[0].method(), "BYE");
  from(alice, response(200, "OK", parsed(to(alice, mark)[0]), ""));
  from(ss1, response(200, "OK", to_pbx[0], ""));
  from(ss2, response(200, "OK", parsed(to(ss2, mark)[0]), ""));
  EXPECT_EQ(b2bua.active_calls(), 1u);  // until the target's INVITE is over
  from(ss2, response(487, "Request Terminated", t_inv, "ss2tag"));
  EXPECT_EQ(b2bua.active_calls(), 0u);
}

TEST_F(Transfer, ReferToTheSbcCannotPerformIsProxiedOrRefused) {
  establish();  // alice's INVITE listed no Allow: whether she takes REFER is unknown
  std::size_t mark = sender.sent.size();
  from(ss1, from_ss1("REFER", 2, "Refer-To: <sip:2000@pbx.example;method=SUBSCRIBE>\n"));
  ASSERT_EQ(to(alice, mark).size(), 1u);  // proxied: alice may do it herself
  EXPECT_EQ(parsed(to(alice, mark)[0]).method(), "REFER");
  EXPECT_EQ(b2bua.counters().refers_proxied, 1u);
}

TEST_F(Transfer, ReferToTheSbcCannotPerformIsRefusedWhenTheOtherPartyTakesNoRefer) {
  // alice says what she takes, and REFER is not among it.
  from(alice, crlf("INVITE sip:15551234@10.1.0.1 SIP/2.0\nVia: SIP/2.0/UDP 10.1.0.50:5062;branch=z9hG4bKinv1\n"
                   "From: \"Alice\" <sip:alice@10.1.0.50>;tag=alicetag\nTo: <sip:15551234@10.1.0.1>\n"
                   "Call-ID: alice-callid\nCSeq: 1 INVITE\nContact: <sip:alice@10.1.0.50:5062>\n"
                   "Allow: INVITE, ACK, CANCEL, BYE\nMax-Forwards: 70\nContent-Length: 0\n\n"));
  b_inv = parsed(to(ss1).at(0));
  from(ss1, response(200, "OK", b_inv, "ss1tag", "Contact: <sip:pbx@10.2.0.10:5060>\n"));
  std::size_t mark = sender.sent.size();
  from(ss1, from_ss1("REFER", 2, "Refer-To: <tel:+15551234>\n"));
  ASSERT_EQ(to(ss1, mark).size(), 1u);
  EXPECT_EQ(first_line(to(ss1, mark)[0]), "SIP/2.0 403 Forbidden (Refer-To is not a SIP URI)");
  EXPECT_TRUE(to(alice, mark).empty());
  EXPECT_EQ(b2bua.counters().refers_refused, 1u);
}

// ---- attended transfer: the SBC joins two of its own calls ---------------------------------

TEST_F(Attended, ReplacesNamingAnotherCallJoinsItsPartiesInsideTheSbc) {
  establish();
  consult();
  ASSERT_EQ(b2bua.active_calls(), 2u);
  std::size_t mark = sender.sent.size();
  from(ss1, refer_with_replaces());
  EXPECT_EQ(first_line(to(ss1, mark).at(0)), "SIP/2.0 202 Accepted");
  // Both parties are re-INVITEd with each other's media, each as a new version of the session
  // it had with the PBX; no INVITE with Replaces leaves the SBC.
  auto to_a = to(alice, mark), to_c = to(carol, mark);
  ASSERT_EQ(to_a.size(), 1u);
  ASSERT_EQ(to_c.size(), 1u);
  const sip::Message re_a = parsed(to_a[0]), re_c = parsed(to_c[0]);
  EXPECT_EQ(re_a.method(), "INVITE");
  EXPECT_EQ(re_a.call_id(), "alice-callid");
  EXPECT_NE(re_a.body().find("o=pbx 21 6 IN IP4 10.2.0.10"), std::string_view::npos) << re_a.body();
  EXPECT_NE(re_a.body().find("m=audio 7000"), std::string_view::npos);  // carol's media
  EXPECT_EQ(re_c.method(), "INVITE");
  EXPECT_EQ(re_c.call_id(), inv2.call_id());
  EXPECT_NE(re_c.body().find("o=pbx 41 4 IN IP4 10.2.0.10"), std::string_view::npos) << re_c.body();
  EXPECT_NE(re_c.body().find("m=audio 4000"), std::string_view::npos);  // alice's media
  for (const auto& w : to(alice, mark)) EXPECT_EQ(w.find("Replaces"), std::string::npos);
  for (const auto& w : to(carol, mark)) EXPECT_EQ(w.find("Replaces"), std::string::npos);
  EXPECT_TRUE(to(ss2, mark).empty());

  mark = sender.sent.size();
  from(alice, answer(200, "OK", re_a, "", "<sip:alice@10.1.0.50:5062>", alice_sdp));
  EXPECT_EQ(first_line(to(alice, mark).at(0)), "ACK sip:alice@10.1.0.50:5062 SIP/2.0");
  EXPECT_TRUE(to(ss1, mark).empty());  // not before carol has answered too
  from(carol, answer(200, "OK", re_c, "", "<sip:carol@10.1.0.60:5060>", carol_sdp));
  EXPECT_EQ(first_line(to(carol, mark).at(0)), "ACK sip:carol@10.1.0.60:5060 SIP/2.0");
  // The PBX hears the outcome and loses both of its legs.
  auto to_pbx = to(ss1, mark);
  ASSERT_EQ(to_pbx.size(), 2u);
  std::vector<sip::Message> pbx;
  for (const auto& w : to_pbx) pbx.push_back(parsed(w));
  const auto* notify = pbx[0].method() == "NOTIFY" ? &pbx[0] : &pbx[1];
  const auto* bye2 = pbx[0].method() == "BYE" ? &pbx[0] : &pbx[1];
  EXPECT_EQ(notify->body(), "SIP/2.0 200 OK\r\n");
  EXPECT_EQ(bye2->method(), "BYE");
  EXPECT_EQ(bye2->call_id(), "pbx-call2");
  from(ss1, response(200, "OK", *bye2, ""));
  mark = sender.sent.size();
  from(ss1, response(200, "OK", *notify, ""));
  ASSERT_EQ(to(ss1, mark).size(), 1u);
  const sip::Message bye1 = parsed(to(ss1, mark)[0]);
  EXPECT_EQ(bye1.method(), "BYE");
  EXPECT_EQ(bye1.call_id(), b_inv.call_id());
  from(ss1, response(200, "OK", bye1, ""));
  EXPECT_EQ(b2bua.active_calls(), 1u);  // alice <-> carol

  // alice and carol now talk to each other: a BYE from one reaches the other.
  mark = sender.sent.size();
  from(alice, from_alice("BYE", 2));
  ASSERT_EQ(to(carol, mark).size(), 1u);
  const sip::Message bye_c = parsed(to(carol, mark)[0]);
  EXPECT_EQ(bye_c.method(), "BYE");
  EXPECT_EQ(bye_c.call_id(), inv2.call_id());
  from(carol, response(200, "OK", bye_c, ""));
  EXPECT_EQ(b2bua.active_calls(), 0u);
  EXPECT_EQ(b2bua.counters().transfers_succeeded, 1u);
}

TEST_F(Attended, JoinRefusedByTheTargetLeavesBothCallsAsTheyWere) {
  establish();
  consult();
  from(ss1, refer_with_replaces());
  const sip::Message re_a = parsed(to(alice).back()), re_c = parsed(to(carol).back());
  from(alice, answer(200, "OK", re_a, "", "<sip:alice@10.1.0.50:5062>", alice_sdp));
  std::size_t mark = sender.sent.size();
  from(carol, response(488, "Not Acceptable Here", re_c, ""));
  auto to_pbx = to(ss1, mark);
  ASSERT_EQ(to_pbx.size(), 1u);
  EXPECT_EQ(parsed(to_pbx[0]).body(), "SIP/2.0 488 Not Acceptable Here\r\n");
  EXPECT_EQ(b2bua.counters().transfers_failed, 1u);
  // carol is back in the consultation call: her BYE reaches the PBX in that dialog.
  mark = sender.sent.size();
  from(carol, crlf("BYE sip:10.1.0.1:5060 SIP/2.0\nVia: SIP/2.0/UDP 10.1.0.60:5060;branch=z9hG4bKcb1\n"
                   "From: " + std::string(inv2.find(sip::HeaderId::To)->value) + ";tag=caroltag\n"
                   "To: " + std::string(inv2.find(sip::HeaderId::From)->value) + "\nCall-ID: " + std::string(*inv2.call_id()) +
                   "\nCSeq: 9 BYE\nMax-Forwards: 70\nContent-Length: 0\n\n"));
  ASSERT_EQ(to(ss1, mark).size(), 1u);
  EXPECT_EQ(parsed(to(ss1, mark)[0]).call_id(), "pbx-call2");
}

TEST_F(Attended, ConsultationHungUpBeforeTheJoinEndsCleanly) {
  establish();
  consult();
  from(ss1, refer_with_replaces());
  const sip::Message re_a = parsed(to(alice).back()), re_c = parsed(to(carol).back());
  // The PBX hangs up its consultation leg at once, as many do after sending the REFER.
  std::size_t mark = sender.sent.size();
  from(ss1, crlf("BYE sip:10.2.0.1:5060 SIP/2.0\nVia: SIP/2.0/UDP 10.2.0.10:5060;branch=z9hG4bKpb9\n"
                 "From: <sip:pbx@10.2.0.10>;tag=pbx2\nTo: <sip:carol@10.2.0.1>;tag=" + sbc_tag2 + "\nCall-ID: pbx-call2\n"
                 "CSeq: 2 BYE\nMax-Forwards: 70\nContent-Length: 0\n\n"));
  EXPECT_EQ(first_line(to(ss1, mark).at(0)), "SIP/2.0 200 OK");
  EXPECT_TRUE(to(carol, mark).empty());  // carol has moved to alice's call: no BYE for her
  from(alice, answer(200, "OK", re_a, "", "<sip:alice@10.1.0.50:5062>", alice_sdp));
  from(carol, answer(200, "OK", re_c, "", "<sip:carol@10.1.0.60:5060>", carol_sdp));
  EXPECT_EQ(b2bua.counters().transfers_succeeded, 1u);
  EXPECT_EQ(b2bua.active_calls(), 1u);
}

TEST_F(Attended, ShutdownDuringAJoinReleasesBothCalls) {
  establish();
  consult();
  from(ss1, refer_with_replaces());
  const std::size_t mark = sender.sent.size();
  b2bua.release_all();
  // alice, carol (now in alice's call) and both of the PBX's legs get BYE.
  std::vector<sip::Message> sent;
  for (const Peer* p : std::initializer_list<const Peer*>{&alice, &carol, &ss1})
    for (const auto& w : to(*p, mark)) sent.push_back(parsed(w));
  int byes = 0;
  for (const auto& m : sent) byes += m.method() == "BYE";
  EXPECT_EQ(byes, 4);
  for (const Peer* p : std::initializer_list<const Peer*>{&alice, &carol, &ss1})
    for (const auto& w : to(*p, mark)) {
      const sip::Message m = parsed(w);
      if (m.method() == "BYE") from(*p, response(200, "OK", m, ""));
    }
  EXPECT_EQ(b2bua.active_calls(), 0u);
}

}  // namespace
}  // namespace palisade::b2bua
