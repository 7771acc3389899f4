#include <gtest/gtest.h>

#include "sip/limits.hpp"
#include "sip/message.hpp"
#include "test_util.hpp"

namespace palisade::sip {
namespace {

using test::keep;

using test::crlf;

const std::string kInvite = crlf(
    "INVITE sip:bob@biloxi.example.com SIP/2.0\n"
    "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds\n"
    "Max-Forwards: 70\n"
    "To: Bob <sip:bob@biloxi.example.com>\n"
    "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\n"
    "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\n"
    "CSeq: 314159 INVITE\n"
    "Contact: <sip:alice@pc33.atlanta.example.com>\n"
    "Content-Type: application/sdp\n"
    "Content-Length: 4\n"
    "\n"
    "v=0\n");

TEST(Message, ParsesARequest) {
  auto m = parse_message(kInvite);
  ASSERT_TRUE(m.ok()) << describe(m.error());
  EXPECT_TRUE(m->is_request());
  EXPECT_EQ(m->method_id(), Method::Invite);
  EXPECT_EQ(m->request_uri().user, "bob");
  EXPECT_EQ(m->top_via()->branch(), "z9hG4bK776asdhds");
  EXPECT_EQ(m->max_forwards(), 70u);
  EXPECT_EQ(unquote(m->to()->display_name), "Bob");
  EXPECT_FALSE(m->to()->tag());
  EXPECT_EQ(m->from()->tag(), "1928301774");
  EXPECT_EQ(m->call_id(), "a84b4c76e66710@pc33.atlanta.example.com");
  EXPECT_EQ(m->cseq()->number, 314159u);
  EXPECT_EQ(m->body(), "v=0\r");
  EXPECT_EQ(m->headers().size(), 9u);
  EXPECT_EQ(m->consumed(), kInvite.size() - 1);  // the 5th octet is past Content-Length
}

TEST(Message, ViewsPointIntoTheBuffer) {
  auto m = parse_message(kInvite);
  ASSERT_TRUE(m.ok());
  const char* begin = kInvite.data();
  const char* end = begin + kInvite.size();
  for (const auto& h : m->headers()) {
    EXPECT_GE(h.value.data(), begin);
    EXPECT_LE(h.value.data() + h.value.size(), end);
  }
  EXPECT_EQ(m->call_id()->data(), kInvite.data() + kInvite.find("a84b4c76"));
}

TEST(Message, Responses) {
  auto m = parse_message(keep(crlf("SIP/2.0 180 Ringing\nVia: SIP/2.0/UDP a.example;branch=z9hG4bK1\n"
                              "To: <sip:b@b.example>;tag=x\nFrom: <sip:a@a.example>;tag=y\nCall-ID: c\n"
                              "CSeq: 1 INVITE\nContent-Length: 0\n\n")));
  ASSERT_TRUE(m.ok()) << describe(m.error());
  EXPECT_TRUE(m->is_response());
  EXPECT_EQ(m->status_code(), 180);
  EXPECT_EQ(m->reason(), "Ringing");
  EXPECT_EQ(m->to()->tag(), "x");
  EXPECT_FALSE(parse_message(keep(crlf("SIP/2.0 099 Low\nContent-Length: 0\n\n"))).ok());
  EXPECT_FALSE(parse_message(keep(crlf("SIP/2.0 700 High\nContent-Length: 0\n\n"))).ok());
  EXPECT_FALSE(parse_message(keep(crlf("SIP/2.0 20 Short\nContent-Length: 0\n\n"))).ok());
}

TEST(Message, LeadingCrlfIsIgnored) {
  auto m = parse_message(keep("\r\n\r\n" + kInvite));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->raw().substr(0, 6), "INVITE");
  EXPECT_FALSE(parse_message("\r\n\r\n").ok());
  EXPECT_EQ(parse_message("\r\n\r\n").error().code, Errc::Empty);
}

TEST(Message, ErrorsCarryOffsets) {
  std::string bad = kInvite;
  bad.replace(bad.find("Max-Forwards: 70"), 16, "Max-Forwards: 7x");
  auto m = parse_message(bad);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, Errc::BadHeaderValue);
  EXPECT_GE(m.error().offset, bad.find("Max-Forwards"));
  EXPECT_LT(m.error().offset, bad.find("To:"));

  auto nocolon = parse_message(keep(crlf("OPTIONS sip:a@b.example SIP/2.0\nNoColonHere\n\n")));
  ASSERT_FALSE(nocolon.ok());
  EXPECT_EQ(nocolon.error().code, Errc::BadHeaderName);
  EXPECT_EQ(nocolon.error().offset, 33u);  // the start of the line
}

TEST(Message, MissingEndOfHeaders) {
  auto m = parse_message(keep(crlf("OPTIONS sip:a@b.example SIP/2.0\nCall-ID: x\n")));
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, Errc::Incomplete);
}

TEST(Message, BareLineFeedsAreRefused) {
  EXPECT_FALSE(parse_message("OPTIONS sip:a@b.example SIP/2.0\r\nSubject: a\nb\r\n\r\n").ok());
  EXPECT_FALSE(parse_message("OPTIONS sip:a@b.example SIP/2.0\r\nSubject: a\rb\r\n\r\n").ok());
}

TEST(Message, StreamFramingNeedsContentLength) {
  ParseOptions stream;
  stream.stream = true;
  std::string two = kInvite.substr(0, kInvite.size() - 1) + kInvite;  // two messages back to back
  auto first = parse_message(two, stream);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->consumed(), kInvite.size() - 1);
  auto second = parse_message(std::string_view(two).substr(first->consumed()), stream);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->cseq()->number, 314159u);

  std::string no_cl = kInvite;
  no_cl.erase(no_cl.find("Content-Length: 4\r\n"), 19);
  auto m = parse_message(no_cl, stream);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, Errc::BadContentLength);
  auto dgram = parse_message(no_cl);  // on UDP, the body is the rest of the datagram
  ASSERT_TRUE(dgram.ok());
  EXPECT_EQ(dgram->body(), "v=0\r\n");

  auto partial = parse_message(std::string_view(kInvite).substr(0, kInvite.size() - 3), stream);
  ASSERT_FALSE(partial.ok());
  EXPECT_EQ(partial.error().code, Errc::BodyTruncated);  // a stream waits for the rest
}

TEST(Message, Limits) {
  std::string big = "OPTIONS sip:a@b.example SIP/2.0\r\n";
  for (std::size_t i = 0; i <= kMaxHeaderFields; ++i) big += "X-H: " + std::to_string(i) + "\r\n";
  big += "\r\n";
  auto many = parse_message(big);
  ASSERT_FALSE(many.ok());
  EXPECT_EQ(many.error().code, Errc::TooManyHeaders);

  std::string line = "OPTIONS sip:a@b.example SIP/2.0\r\nX-Long: " + std::string(kMaxLineLength, 'a') + "\r\n\r\n";
  auto longline = parse_message(line);
  ASSERT_FALSE(longline.ok());
  EXPECT_EQ(longline.error().code, Errc::LineTooLong);

  std::string huge(kMaxMessageSize + 1, 'a');
  auto toolarge = parse_message(huge);
  ASSERT_FALSE(toolarge.ok());
  EXPECT_EQ(toolarge.error().code, Errc::TooLarge);
}

TEST(Message, TypedAccessorsForTransfer) {
  auto m = parse_message(keep(crlf(
      "REFER sip:b@192.0.2.2 SIP/2.0\n"
      "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKr1;rport\n"
      "To: <sip:b@192.0.2.2>;tag=t2\nFrom: <sip:a@192.0.2.1>;tag=t1\nCall-ID: refer-1\n"
      "CSeq: 2 REFER\nMax-Forwards: 70\n"
      "r: <sip:c@192.0.2.3?Replaces=abc%40x%3Bto-tag%3D1%3Bfrom-tag%3D2>\n"
      "b: <sip:a@192.0.2.1>\n"
      "Refer-Sub: false\nk: replaces, norefersub\nRequire: norefersub\n"
      "Allow: INVITE, ACK, BYE, CANCEL, REFER, NOTIFY\n"
      "Content-Length: 0\n\n")));
  ASSERT_TRUE(m.ok()) << describe(m.error());
  EXPECT_EQ(m->method_id(), Method::Refer);
  ASSERT_TRUE(m->refer_to());
  EXPECT_EQ(m->refer_to()->uri.user, "c");
  auto rep = embedded_replaces(*m->refer_to());
  ASSERT_TRUE(rep && rep->ok());
  EXPECT_EQ((*rep)->call_id, "abc@x");
  EXPECT_EQ(m->referred_by()->uri.user, "a");
  EXPECT_EQ(m->refer_sub(), false);
  EXPECT_EQ(m->tokens(HeaderId::Supported), (std::vector<std::string_view>{"replaces", "norefersub"}));
  EXPECT_EQ(m->tokens(HeaderId::Allow).size(), 6u);
  EXPECT_EQ(m->top_via()->rport(), "");
}

TEST(Message, NotifyWithSipfragHeaders) {
  auto m = parse_message(keep(crlf(
      "NOTIFY sip:a@192.0.2.1 SIP/2.0\nVia: SIP/2.0/UDP 192.0.2.2;branch=z9hG4bKn1\n"
      "To: <sip:a@192.0.2.1>;tag=t1\nFrom: <sip:b@192.0.2.2>;tag=t2\nCall-ID: refer-1\nCSeq: 7 NOTIFY\n"
      "Event: refer;id=2\nSubscription-State: active;expires=60\nContent-Type: message/sipfrag;version=2.0\n"
      "Content-Length: 20\n\nSIP/2.0 100 Trying\r\n")));
  ASSERT_TRUE(m.ok()) << describe(m.error());
  EXPECT_EQ(m->event()->id(), "2");
  EXPECT_EQ(m->subscription_state()->state, "active");
  EXPECT_EQ(m->subscription_state()->expires(), 60u);
  EXPECT_TRUE(m->content_type()->is("message", "sipfrag"));
  EXPECT_EQ(m->content_type()->param("version"), "2.0");
}

TEST(Message, RouteEntriesMustBeBracketed) {
  auto ok = parse_message(keep(crlf("OPTIONS sip:a@b.example SIP/2.0\nRoute: <sip:p1.example;lr>, <sip:p2.example;lr>\n\n")));
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->routes().size(), 2u);
  EXPECT_FALSE(parse_message(keep(crlf("OPTIONS sip:a@b.example SIP/2.0\nRecord-Route: sip:p1.example\n\n"))).ok());
}

}  // namespace
}  // namespace palisade::sip
