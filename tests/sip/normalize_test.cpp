#include <gtest/gtest.h>

#include <algorithm>

#include "sip/builder.hpp"
#include "sip/normalize.hpp"
#include "test_util.hpp"

namespace palisade::sip {
namespace {

using test::keep;
using test::testdata;

TEST(Normalize, RendersTheReadingNotTheSpelling) {
  auto m = parse_message(keep(testdata("rfc4475/wsinv.dat")));
  ASSERT_TRUE(m.ok());
  std::vector<std::string> seen;
  for (const auto& h : m->headers()) seen.push_back(std::string(h.name) + "=" + normalized_value(h));
  EXPECT_EQ(seen[0], "TO=<sip:vivekg@chair-dnrc.example.com>;tag=1918181833n");
  EXPECT_EQ(seen[1], R"(from="J Rosenberg \\\"" <sip:jdrosen@example.com>;tag=98asjd8)");
  EXPECT_EQ(seen[2], "MaX-fOrWaRdS=68");
  EXPECT_EQ(seen[5], "cseq=9 INVITE");
  EXPECT_EQ(seen[6], "Via=SIP/2.0/UDP 192.0.2.2;branch=390skdjuw");
  EXPECT_EQ(seen[12], "v=SIP/2.0/TCP spindle.example.com;branch=z9hG4bK9ikj8, SIP/2.0/UDP 192.168.255.111;branch=z9hG4bK30239");
  EXPECT_EQ(seen[13], R"(m="Quoted string \"\"" <sip:jdrosen@example.com>;newparam=newvalue;secondparam;q=0.33)");
}

TEST(Normalize, TokenDisplayNamesKeepOneSpace) {
  auto na = parse_name_addr("Alice   Example <sip:a@atlanta.example.com> ;tag=1");
  ASSERT_TRUE(na.ok());
  EXPECT_EQ(render(*na), "Alice Example <sip:a@atlanta.example.com>;tag=1");
}

class NormalizedIsAFixedPoint : public ::testing::TestWithParam<const char*> {};

// Writing every header in its normalized form and reading the result must give the same
// reading again: the canonical form loses nothing the parser saw.
TEST_P(NormalizedIsAFixedPoint, ReparsesToTheSameReading) {
  auto m = parse_message(keep(testdata(std::string("rfc4475/") + GetParam())));
  ASSERT_TRUE(m.ok());
  OutgoingMessage out = m->is_request() ? OutgoingMessage::request(m->method(), m->request_uri().raw)
                                        : OutgoingMessage::response(m->status_code(), m->reason());
  std::vector<std::string> first;
  for (const auto& h : m->headers()) {
    first.push_back(normalized_value(h));
    if (h.id != HeaderId::ContentLength) out.add(h.name, first.back());
  }
  out.set_body(std::string(m->body()));
  const std::string& wire = keep(out.serialize());
  auto again = parse_message(wire);
  ASSERT_TRUE(again.ok()) << describe(again.error()) << "\n" << wire;
  std::vector<std::string> second;
  for (const auto& h : again->headers()) second.push_back(normalized_value(h));
  // Content-Length moves to the end when re-serialized; compare everything else in order.
  auto drop_length = [](const Message& msg, std::vector<std::string> v) {
    std::vector<std::string> out;
    std::size_t i = 0;
    for (const auto& h : msg.headers()) {
      if (h.id != HeaderId::ContentLength) out.push_back(v[i]);
      ++i;
    }
    return out;
  };
  EXPECT_EQ(drop_length(*m, first), drop_length(*again, second));
}

INSTANTIATE_TEST_SUITE_P(Rfc4475Valid, NormalizedIsAFixedPoint,
                         ::testing::Values("wsinv.dat", "intmeth.dat", "esc01.dat", "escnull.dat", "esc02.dat",
                                           "lwsdisp.dat", "longreq.dat", "semiuri.dat", "transports.dat",
                                           "mpart01.dat", "unreason.dat", "noreason.dat", "badbranch.dat",
                                           "unksm2.dat", "regaut01.dat", "bcast.dat", "cparam01.dat",
                                           "cparam02.dat", "regescrt.dat", "inv2543.dat"));

}  // namespace
}  // namespace palisade::sip
