#include <gtest/gtest.h>

#include "sip/bad_request.hpp"
#include "sip/message.hpp"
#include "test_util.hpp"

namespace palisade::sip {
namespace {

using test::keep;
using test::testdata;

TEST(BadRequest, AnswersWithTheReasonAndTheCopiedFields) {
  const std::string& data = keep(testdata("rfc4475/scalar02.dat"));
  auto m = parse_message(data);
  ASSERT_FALSE(m.ok());
  auto r = bad_request_response(data, m.error(), "t1");
  ASSERT_TRUE(r);
  // The response copies the fields as written, broken CSeq included (the client matches its
  // transaction by them), so it is checked as text, not re-parsed.
  const std::string wire = r->serialize();
  EXPECT_EQ(wire.substr(0, wire.find("\r\n")), "SIP/2.0 400 Bad Request (CSeq: number missing or above 2^32-1)");
  EXPECT_NE(wire.find("\r\nVia: SIP/2.0/TCP host129.example.com;branch=z9hG4bK342sdfoi3\r\n"), std::string::npos);
  EXPECT_NE(wire.find("\r\nTo: <sip:user@example.com>;tag=t1\r\n"), std::string::npos);
  EXPECT_NE(wire.find("\r\nFrom: <sip:user@example.com>;tag=239232jh3\r\n"), std::string::npos);
  EXPECT_NE(wire.find("\r\nCall-ID: scalar02.23o0pd9vanlq3wnrlnewofjas9ui32\r\n"), std::string::npos);
  EXPECT_NE(wire.find("\r\nCSeq: 36893488147419103232 REGISTER\r\n"), std::string::npos);
  EXPECT_EQ(wire.find("Contact"), std::string::npos);  // nothing else is copied
}

TEST(BadRequest, EveryInvalidTortureRequestWithTheFieldsGetsA400) {
  int answered = 0;
  for (const char* f : {"badinv01.dat", "clerr.dat", "ncl.dat", "scalar02.dat", "quotbal.dat", "ltgtruri.dat",
                        "lwsruri.dat", "lwsstart.dat", "trws.dat", "escruri.dat", "baddate.dat", "regbadct.dat",
                        "badaspec.dat", "baddn.dat", "badvers.dat", "mismatch01.dat", "mismatch02.dat"}) {
    const std::string& data = keep(testdata(std::string("rfc4475/") + f));
    auto m = parse_message(data);
    ASSERT_FALSE(m.ok()) << f;
    auto r = bad_request_response(data, m.error(), "t");
    ASSERT_TRUE(r) << f;
    answered += r->status_code() == 400 && r->reason().rfind("Bad Request (", 0) == 0;
  }
  EXPECT_EQ(answered, 17);
}

TEST(BadRequest, NothingToAnswer) {
  const ParseError e{Errc::BadHeaderValue, "x", 0};
  EXPECT_FALSE(bad_request_response(keep(testdata("rfc4475/scalarlg.dat")), e, "t"));  // a response
  EXPECT_FALSE(bad_request_response("ACK sip:a@b.example SIP/2.0\r\nVia: SIP/2.0/UDP h\r\nFrom: a\r\nTo: b\r\nCall-ID: c\r\nCSeq: 1 ACK\r\n\r\n", e, "t"));
  EXPECT_FALSE(bad_request_response("INVITE sip:a@b.example SIP/2.0\r\nVia: SIP/2.0/UDP h\r\n\r\n", e, "t"));  // no From
  EXPECT_FALSE(bad_request_response("garbage", e, "t"));
}

}  // namespace
}  // namespace palisade::sip
