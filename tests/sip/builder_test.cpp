#include <gtest/gtest.h>

#include "sip/builder.hpp"
#include "sip/message.hpp"
#include "test_util.hpp"

namespace palisade::sip {
namespace {

using test::keep;

using test::crlf;
using test::testdata;

// The same message, as the headers' names, unfolded values and body say.
void expect_same(const Message& a, const Message& b) {
  EXPECT_EQ(a.is_request(), b.is_request());
  EXPECT_EQ(a.method(), b.method());
  EXPECT_EQ(a.request_uri().raw, b.request_uri().raw);
  EXPECT_EQ(a.status_code(), b.status_code());
  EXPECT_EQ(a.reason(), b.reason());
  std::vector<std::pair<std::string, std::string>> ha, hb;
  for (const auto& h : a.headers())
    if (h.id != HeaderId::ContentLength) ha.emplace_back(h.id == HeaderId::Other ? std::string(h.name) : std::string(canonical_name(h.id)), unfold(h.value));
  for (const auto& h : b.headers())
    if (h.id != HeaderId::ContentLength) hb.emplace_back(h.id == HeaderId::Other ? std::string(h.name) : std::string(canonical_name(h.id)), unfold(h.value));
  EXPECT_EQ(ha, hb);
  EXPECT_EQ(a.body(), b.body());
}

class RoundTrip : public ::testing::TestWithParam<const char*> {};

TEST_P(RoundTrip, ParseSerializeParseGivesTheSameMessage) {
  const std::string data = testdata(std::string("rfc4475/") + GetParam());
  auto first = parse_message(data);
  ASSERT_TRUE(first.ok()) << describe(first.error());
  const std::string wire = OutgoingMessage::from(*first).serialize();
  auto second = parse_message(wire);
  ASSERT_TRUE(second.ok()) << describe(second.error()) << "\n" << wire;
  expect_same(*first, *second);
  // And serializing again changes nothing: the form is stable.
  EXPECT_EQ(OutgoingMessage::from(*second).serialize(), wire);
}

INSTANTIATE_TEST_SUITE_P(Rfc4475Valid, RoundTrip,
                         ::testing::Values("wsinv.dat", "intmeth.dat", "esc01.dat", "escnull.dat", "esc02.dat",
                                           "lwsdisp.dat", "longreq.dat", "dblreq.dat", "semiuri.dat",
                                           "transports.dat", "mpart01.dat", "unreason.dat", "noreason.dat",
                                           "badbranch.dat", "unksm2.dat", "regaut01.dat", "bcast.dat",
                                           "cparam01.dat", "cparam02.dat", "regescrt.dat", "inv2543.dat"));

TEST(Builder, ResponseFromRequest) {
  auto req = parse_message(keep(crlf(
      "INVITE sip:bob@biloxi.example.com SIP/2.0\n"
      "Via: SIP/2.0/UDP proxy.example.com;branch=z9hG4bK2\n"
      "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK1;received=192.0.2.1\n"
      "To: Bob <sip:bob@biloxi.example.com>\nFrom: <sip:alice@atlanta.example.com>;tag=9\n"
      "Call-ID: c1\nCSeq: 1 INVITE\nTimestamp: 54\nRecord-Route: <sip:proxy.example.com;lr>\n"
      "Contact: <sip:alice@192.0.2.1>\nContent-Length: 0\n\n")));
  ASSERT_TRUE(req.ok());
  auto ringing = make_response(*req, 180, {}, "totag1");
  auto parsed_wire = ringing.serialize();
  auto r = parse_message(parsed_wire);
  ASSERT_TRUE(r.ok()) << describe(r.error()) << parsed_wire;
  EXPECT_EQ(r->status_code(), 180);
  EXPECT_EQ(r->reason(), "Ringing");
  auto vias = r->vias();
  ASSERT_EQ(vias.size(), 2u);
  EXPECT_EQ(vias[0].branch(), "z9hG4bK2");
  EXPECT_EQ(vias[1].received(), "192.0.2.1");
  EXPECT_EQ(r->to()->tag(), "totag1");
  EXPECT_EQ(r->from()->tag(), "9");
  EXPECT_EQ(r->call_id(), "c1");
  EXPECT_EQ(r->cseq()->number, 1u);
  EXPECT_EQ(r->find(HeaderId::Timestamp), nullptr);  // only a 100 echoes Timestamp
  EXPECT_EQ(r->find(HeaderId::Contact), nullptr);    // nothing else is copied
  EXPECT_EQ(r->find(HeaderId::RecordRoute), nullptr);
  EXPECT_EQ(r->content_length(), 0u);

  auto trying = parse_message(keep(make_response(*req, 100, {}, "ignored").serialize()));
  ASSERT_TRUE(trying.ok());
  EXPECT_FALSE(trying->to()->tag());  // §8.2.6.2: no To tag on 100
  EXPECT_NE(trying->find(HeaderId::Timestamp), nullptr);
}

TEST(Builder, EditsAndContentLength) {
  auto m = OutgoingMessage::request("OPTIONS", "sip:b@192.0.2.2");
  m.add(HeaderId::Via, "SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1")
      .add("X-Custom", "1")
      .add("content-length", "999")  // ignored: the serializer writes the real length
      .push_front(HeaderId::Via, "SIP/2.0/UDP 192.0.2.9;branch=z9hG4bK9");
  m.set_body("hello", "text/plain");
  const std::string wire = m.serialize();
  EXPECT_EQ(wire.substr(0, 33), "OPTIONS sip:b@192.0.2.2 SIP/2.0\r\n");
  EXPECT_NE(wire.find("Content-Length: 5\r\n\r\nhello"), std::string::npos);
  EXPECT_EQ(wire.find("999"), std::string::npos);
  auto p = parse_message(wire);
  ASSERT_TRUE(p.ok()) << describe(p.error());
  EXPECT_EQ(p->top_via()->branch(), "z9hG4bK9");
  EXPECT_EQ(m.remove(HeaderId::Via), 2u);
  m.set(HeaderId::Subject, "a");
  m.set(HeaderId::Subject, "b");
  ASSERT_NE(m.find(HeaderId::Subject), nullptr);
  EXPECT_EQ(m.find(HeaderId::Subject)->value, "b");
  m.clear_body();
  EXPECT_EQ(m.find(HeaderId::ContentType), nullptr);
  EXPECT_NE(m.serialize().find("Content-Length: 0\r\n\r\n"), std::string::npos);
}

TEST(Builder, StampReceivedFollowsRfc3581) {
  auto stamped = [](const std::string& via, const char* addr, std::uint16_t port) {
    auto r = OutgoingMessage::response(200, "OK");
    r.add(HeaderId::Via, via);
    r.add(HeaderId::Via, "SIP/2.0/UDP second.example;branch=z9hG4bK2");
    r.stamp_received(addr, port);
    EXPECT_EQ(r.headers()[1].value, "SIP/2.0/UDP second.example;branch=z9hG4bK2");  // untouched
    return r.headers()[0].value;
  };
  // RFC 3581 §4's example: rport asked for, behind a NAT
  EXPECT_EQ(stamped("SIP/2.0/UDP 10.1.1.1:4540;rport;branch=z9hG4bKkjshdyff", "192.0.2.1", 9988),
            "SIP/2.0/UDP 10.1.1.1:4540;rport=9988;branch=z9hG4bKkjshdyff;received=192.0.2.1");
  // no rport, sent-by is a name: received only (§18.2.1)
  EXPECT_EQ(stamped("SIP/2.0/UDP pc33.atlanta.example;branch=z9hG4bK1", "192.0.2.7", 5060),
            "SIP/2.0/UDP pc33.atlanta.example;branch=z9hG4bK1;received=192.0.2.7");
  // sent-by is the source address and no rport: nothing to add
  EXPECT_EQ(stamped("SIP/2.0/UDP 192.0.2.7:5060;branch=z9hG4bK1", "192.0.2.7", 5060),
            "SIP/2.0/UDP 192.0.2.7:5060;branch=z9hG4bK1");
  // rport asked for even without NAT: filled, and received added as RFC 3581 requires
  EXPECT_EQ(stamped("SIP/2.0/UDP 192.0.2.7:5060;rport;branch=z9hG4bK1", "192.0.2.7", 5060),
            "SIP/2.0/UDP 192.0.2.7:5060;rport=5060;branch=z9hG4bK1;received=192.0.2.7");
  // a parameter that merely starts with "rport" is not rport
  EXPECT_EQ(stamped("SIP/2.0/UDP h.example;rportx=1;rport;branch=z9hG4bK1", "192.0.2.9", 7),
            "SIP/2.0/UDP h.example;rportx=1;rport=7;branch=z9hG4bK1;received=192.0.2.9");
  // several via-parms in one field: only the first is stamped
  EXPECT_EQ(stamped("SIP/2.0/UDP a.example;rport, SIP/2.0/UDP b.example;rport", "192.0.2.3", 4000),
            "SIP/2.0/UDP a.example;rport=4000;received=192.0.2.3, SIP/2.0/UDP b.example;rport");
}

TEST(Builder, Unfold) {
  EXPECT_EQ(unfold("a\r\n b"), "a b");
  EXPECT_EQ(unfold("a \r\n\t b"), "a b");
  EXPECT_EQ(unfold("plain"), "plain");
}

}  // namespace
}  // namespace palisade::sip
