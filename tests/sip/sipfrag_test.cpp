#include <gtest/gtest.h>

#include "sip/sipfrag.hpp"
#include "test_util.hpp"

namespace palisade::sip {
namespace {

using test::keep;

TEST(Sipfrag, BuildsStatusLines) {
  EXPECT_EQ(build_sipfrag(100), "SIP/2.0 100 Trying\r\n");
  EXPECT_EQ(build_sipfrag(200), "SIP/2.0 200 OK\r\n");
  EXPECT_EQ(build_sipfrag(503, "Service Unavailable"), "SIP/2.0 503 Service Unavailable\r\n");
}

TEST(Sipfrag, ParsesWhatItBuilds) {
  for (int code : {100, 180, 183, 200, 486, 603}) {
    auto f = parse_sipfrag(keep(build_sipfrag(code)));
    ASSERT_TRUE(f.ok()) << code;
    EXPECT_EQ(f->status_code(), code);
  }
}

TEST(Sipfrag, StatusLineWithoutCrlfAndWithHeaders) {
  auto bare = parse_sipfrag("SIP/2.0 200 OK");
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->reason(), "OK");
  // RFC 3420 §2: a fragment may carry some headers and no others.
  auto f = parse_sipfrag("SIP/2.0 603 Declined\r\nCSeq: 1 INVITE\r\n");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->status_code(), 603);
  EXPECT_EQ(f->cseq()->number, 1u);
  auto req = parse_sipfrag("INVITE sip:bob@biloxi.example.com SIP/2.0\r\nTo: <sip:bob@biloxi.example.com>\r\n");
  ASSERT_TRUE(req.ok());
  EXPECT_EQ(req->method_id(), Method::Invite);
}

TEST(Sipfrag, RefusesGarbage) {
  for (const char* bad : {"", "Trying", "SIP/2.0 1000 Huge", "SIP/2.0 abc OK", "SIP/3.0 200 OK",
                          "SIP/2.0 200 OK\r\nNo colon\r\n"}) {
    auto f = parse_sipfrag(std::string_view(bad));
    ASSERT_FALSE(f.ok()) << bad;
    EXPECT_EQ(f.error().code, Errc::BadSipfrag) << bad;
  }
}

}  // namespace
}  // namespace palisade::sip
