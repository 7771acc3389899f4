#include <gtest/gtest.h>

#include "sip/request_validator.hpp"
#include "test_util.hpp"

namespace palisade::sip {
namespace {

using test::keep;

std::string request(const std::string& method, const std::string& extra, const std::string& body = "") {
  return test::crlf("" + method + " sip:b@192.0.2.2 SIP/2.0\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\n"
                    "To: <sip:b@192.0.2.2>\nFrom: <sip:a@192.0.2.1>;tag=1\nCall-ID: v1\nCSeq: 1 " + method +
                    "\nMax-Forwards: 70\n" + extra + "Content-Length: " + std::to_string(body.size()) + "\n\n") + body;
}

std::optional<Rejection> verdict(const std::string& text, const ValidationPolicy& p = {}) {
  auto m = parse_message(text);
  EXPECT_TRUE(m.ok()) << describe(m.error());
  return m ? validate_request(*m, p) : std::nullopt;
}

TEST(RequestValidator, AcceptsAPlainInvite) {
  EXPECT_FALSE(verdict(request("INVITE", "Content-Type: application/sdp\n", "v=0\r\n")));
}

TEST(RequestValidator, OrderOfChecks) {
  // Max-Forwards 0 with an unknown Require: 483 comes first.
  std::string r = request("OPTIONS", "Require: foo\n");
  r.replace(r.find("Max-Forwards: 70"), 16, "Max-Forwards: 0");
  auto v = verdict(r);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->status_code, 483);
}

TEST(RequestValidator, ExtensionsFollowThePolicy) {
  EXPECT_FALSE(verdict(request("INVITE", "Require: replaces\n")));
  EXPECT_FALSE(verdict(request("INVITE", "Require: 100rel\n")));  // RFC 3262, relayed per leg
  auto v = verdict(request("INVITE", "Require: timer, 100rel\n"));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->status_code, 420);
  EXPECT_EQ(v->header_value, "timer");
  ValidationPolicy p;
  p.supported_extensions.push_back("timer");
  EXPECT_FALSE(verdict(request("INVITE", "Require: timer\n"), p));
  // ACK and CANCEL are never refused for their Require (§8.2.2.3)
  EXPECT_FALSE(verdict(request("ACK", "Require: timer\n")));
}

TEST(RequestValidator, AcceptHeaderAndBodies) {
  EXPECT_FALSE(verdict(request("INVITE", "Accept: application/*\n")));
  EXPECT_FALSE(verdict(request("INVITE", "Accept: */*\n")));
  EXPECT_EQ(verdict(request("INVITE", "Accept: text/plain\n"))->status_code, 406);
  EXPECT_FALSE(verdict(request("OPTIONS", "Accept: text/plain\n")));
  EXPECT_EQ(verdict(request("MESSAGE", "Content-Type: text/html\n", "<b>x</b>"))->status_code, 415);
  EXPECT_EQ(verdict(request("MESSAGE", "", "no type"))->status_code, 415);
}

TEST(RequestValidator, SchemesAndDuplicates) {
  std::string tel = request("INVITE", "");
  tel.replace(0, tel.find(" SIP/2.0"), "INVITE tel:+15551234");
  EXPECT_FALSE(verdict(tel));
  EXPECT_EQ(verdict(request("INVITE", "Max-Forwards: 69\n"))->reason, "Multiple Max-Forwards");
}

}  // namespace
}  // namespace palisade::sip
