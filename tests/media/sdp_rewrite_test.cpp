#include "media/sdp_rewrite.hpp"

#include <gtest/gtest.h>

namespace palisade::media {
namespace {

std::string crlf(std::string s) {
  std::string out;
  for (char c : s) {
    if (c == '\n') out += "\r\n";
    else out += c;
  }
  return out;
}

sdp::SessionDescription parse(const std::string& text) {
  auto r = sdp::parse(crlf(text));
  EXPECT_TRUE(r) << (r ? "" : r.error().reason);
  return *r;
}

const std::string kOffer =
    "v=0\n"
    "o=alice 2890844526 2890844526 IN IP4 192.168.1.20\n"
    "s=-\n"
    "c=IN IP4 192.168.1.20\n"
    "t=0 0\n"
    "a=ice-ufrag:F7gI\n"
    "m=audio 49170 RTP/AVP 0 8 101\n"
    "a=rtpmap:0 PCMU/8000\n"
    "a=rtpmap:101 telephone-event/8000\n"
    "a=rtcp:49171 IN IP4 192.168.1.20\n"
    "a=candidate:1 1 UDP 2130706431 192.168.1.20 49170 typ host\n"
    "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR\n"
    "a=sendrecv\n"
    "m=video 0 RTP/AVP 31\n"
    "m=video 51372 RTP/AVP 99\n"
    "a=rtcp-mux\n"
    "a=rtpmap:99 H264/90000\n";

TEST(StreamsOf, ReadsWhereThePartyReceivesEachStream) {
  const auto s = streams_of(parse(kOffer));
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].address, "192.168.1.20");
  EXPECT_EQ(s[0].rtp_port, 49170);
  EXPECT_EQ(s[0].rtcp_port, 49171);
  EXPECT_TRUE(s[1].rejected);
  EXPECT_TRUE(s[2].rtcp_mux);
  EXPECT_EQ(s[2].rtcp_port, 51372);
  EXPECT_FALSE(s[0].held_by_address);
}

TEST(SdpRewrite, NamesOnlyTheSbcAndKeepsWhatTheMediaNeeds) {
  OriginState o{"7261", 0, ""};
  const std::string out = rewrite(parse(kOffer), {Anchor{"10.1.0.1", 30000}, std::nullopt, Anchor{"10.1.0.1", 30002}},
                                  "10.1.0.1", o);
  EXPECT_EQ(out, crlf("v=0\n"
                      "o=palisade 7261 1 IN IP4 10.1.0.1\n"
                      "s=-\n"
                      "c=IN IP4 10.1.0.1\n"
                      "t=0 0\n"
                      "m=audio 30000 RTP/AVP 0 8 101\n"
                      "a=rtpmap:0 PCMU/8000\n"
                      "a=rtpmap:101 telephone-event/8000\n"
                      "a=rtcp:30001 IN IP4 10.1.0.1\n"
                      "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR\n"
                      "a=sendrecv\n"
                      "m=video 0 RTP/AVP 31\n"
                      "m=video 30002 RTP/AVP 99\n"
                      "a=rtcp-mux\n"
                      "a=rtpmap:99 H264/90000\n"));
  EXPECT_EQ(out.find("192.168"), std::string::npos);
}

TEST(SdpRewrite, TheVersionRisesOnlyWhenTheSdpChanges) {
  OriginState o{"1", 0, ""};
  const auto sd = parse(kOffer);
  const std::vector<std::optional<Anchor>> at{Anchor{"10.1.0.1", 30000}, std::nullopt, Anchor{"10.1.0.1", 30002}};
  rewrite(sd, at, "10.1.0.1", o);
  EXPECT_EQ(o.version, 1u);
  rewrite(sd, at, "10.1.0.1", o);  // a re-INVITE that changes nothing (a session refresh)
  EXPECT_EQ(o.version, 1u);
  auto held = sd;
  held.media[0].attributes.back().name = "sendonly";
  const std::string out = rewrite(held, at, "10.1.0.1", o);
  EXPECT_EQ(o.version, 2u);
  EXPECT_NE(out.find("o=palisade 1 2 IN IP4 10.1.0.1\r\n"), std::string::npos);
  EXPECT_NE(out.find("a=sendonly\r\n"), std::string::npos);
}

TEST(SdpRewrite, HoldByZeroAddressStaysHold) {
  OriginState o{"5", 3, ""};
  const std::string out = rewrite(parse("v=0\no=- 1 2 IN IP4 192.168.1.20\ns=-\nc=IN IP4 0.0.0.0\nt=0 0\n"
                                        "m=audio 49170 RTP/AVP 0\n"),
                                  {Anchor{"10.1.0.1", 30000}}, "10.1.0.1", o);
  EXPECT_NE(out.find("c=IN IP4 0.0.0.0\r\n"), std::string::npos);
  EXPECT_NE(out.find("o=palisade 5 4 IN IP4 10.1.0.1\r\n"), std::string::npos);
  EXPECT_NE(out.find("m=audio 30000 RTP/AVP 0\r\n"), std::string::npos);
}

TEST(SdpRewrite, AStreamTheSbcDoesNotCarryIsRejected) {
  OriginState o{"5", 0, ""};
  const std::string out = rewrite(parse(kOffer), {Anchor{"10.1.0.1", 30000}}, "10.1.0.1", o);
  EXPECT_NE(out.find("m=video 0 RTP/AVP 99\r\n"), std::string::npos);
}

TEST(SdpRewrite, MediaLevelAddressesAndIpv6) {
  OriginState o{"9", 0, ""};
  const std::string out = rewrite(parse("v=0\no=- 1 1 IN IP4 192.168.1.20\ns=-\nt=0 0\n"
                                        "m=audio 49170 RTP/AVP 0\nc=IN IP4 192.168.1.20\n"),
                                  {Anchor{"2001:db8::1", 30000}}, "2001:db8::1", o);
  EXPECT_EQ(out, crlf("v=0\no=palisade 9 1 IN IP6 2001:db8::1\ns=-\nt=0 0\n"
                      "m=audio 30000 RTP/AVP 0\nc=IN IP6 2001:db8::1\n"));
}

}  // namespace
}  // namespace palisade::media
