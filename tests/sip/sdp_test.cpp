#include <gtest/gtest.h>

#include "sip/sdp.hpp"
#include "test_util.hpp"

namespace palisade::sdp {
namespace {

const std::string kOffer = palisade::test::crlf(
    "v=0\n"
    "o=alice 2890844526 2890844527 IN IP4 192.0.2.10\n"
    "s=-\n"
    "c=IN IP4 192.0.2.10\n"
    "b=AS:128\n"
    "t=0 0\n"
    "a=sendrecv\n"
    "m=audio 49170 RTP/AVP 0 8 101\n"
    "a=rtpmap:0 PCMU/8000\n"
    "a=rtpmap:8 PCMA/8000\n"
    "a=rtpmap:101 telephone-event/8000\n"
    "a=fmtp:101 0-16\n"
    "a=ptime:20\n"
    "a=rtcp:53020 IN IP4 192.0.2.11\n"
    "m=video 51372 RTP/AVP 99\n"
    "c=IN IP6 2001:db8::10\n"
    "a=rtpmap:99 h263-1998/90000\n"
    "a=rtcp-mux\n"
    "a=sendonly\n"
    "m=audio 0 RTP/AVP 0\n");

TEST(Sdp, ParsesSessionAndMedia) {
  auto sd = parse(kOffer);
  ASSERT_TRUE(sd.ok()) << palisade::sip::describe(sd.error());
  EXPECT_EQ(sd->origin.username, "alice");
  EXPECT_EQ(sd->origin.session_id, "2890844526");
  EXPECT_EQ(sd->origin.session_version, 2890844527u);
  EXPECT_EQ(sd->origin.address, "192.0.2.10");
  EXPECT_EQ(sd->connection->address, "192.0.2.10");
  EXPECT_EQ(sd->bandwidths, std::vector<std::string>{"AS:128"});
  ASSERT_EQ(sd->media.size(), 3u);

  const Media& audio = sd->media[0];
  EXPECT_EQ(audio.type, "audio");
  EXPECT_EQ(audio.port, 49170);
  EXPECT_EQ(audio.proto, "RTP/AVP");
  EXPECT_EQ(audio.formats, (std::vector<std::string>{"0", "8", "101"}));
  auto maps = audio.rtpmaps();
  ASSERT_EQ(maps.size(), 3u);
  EXPECT_EQ(maps[2].payload_type, 101);
  EXPECT_EQ(maps[2].encoding, "telephone-event");
  EXPECT_EQ(maps[2].clock_rate, 8000u);
  EXPECT_EQ(audio.fmtp(101), "0-16");
  EXPECT_FALSE(audio.fmtp(0));
  EXPECT_EQ(audio.ptime(), 20u);
  EXPECT_EQ(audio.rtcp()->port, 53020);
  EXPECT_EQ(audio.rtcp()->connection->address, "192.0.2.11");
  EXPECT_FALSE(audio.rtcp_mux());
  EXPECT_EQ(sd->direction(audio), Direction::SendRecv);  // from session level
  EXPECT_EQ(sd->connection_for(audio)->address, "192.0.2.10");

  const Media& video = sd->media[1];
  EXPECT_EQ(sd->connection_for(video)->addrtype, "IP6");
  EXPECT_EQ(sd->connection_for(video)->address, "2001:db8::10");
  EXPECT_TRUE(video.rtcp_mux());
  EXPECT_EQ(sd->direction(video), Direction::SendOnly);

  EXPECT_EQ(sd->media[2].port, 0);  // a rejected stream keeps its place (RFC 3264 §6)
}

TEST(Sdp, SerializeRoundTripsExactly) {
  auto sd = parse(kOffer);
  ASSERT_TRUE(sd.ok());
  EXPECT_EQ(serialize(*sd), kOffer);
}

TEST(Sdp, RewriteForHold) {
  auto sd = parse(kOffer);
  ASSERT_TRUE(sd.ok());
  sd->connection->address = "0.0.0.0";
  sd->origin.session_version += 1;
  sd->media[0].attributes.push_back({"inactive", "", false});
  auto again = parse(serialize(*sd));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->connection->address, "0.0.0.0");
  EXPECT_EQ(again->origin.session_version, 2890844528u);
  EXPECT_EQ(again->direction(again->media[0]), Direction::Inactive);  // media level beats session level
}

TEST(Sdp, LineFeedsAndMulticast) {
  auto sd = parse("v=0\no=- 1 1 IN IP4 h.example\ns=x\nc=IN IP4 224.2.1.1/127/3\nt=0 0\nm=audio 4000/2 RTP/AVP 0\n");
  ASSERT_TRUE(sd.ok());
  EXPECT_EQ(sd->connection->address, "224.2.1.1");
  EXPECT_EQ(sd->connection->suffix, "/127/3");
  EXPECT_EQ(sd->media[0].port_count, 2);
}

TEST(Sdp, RefusesMalformed) {
  auto err = [](const char* text) { return !parse(palisade::test::crlf(text)).ok(); };
  EXPECT_TRUE(err(""));
  EXPECT_TRUE(err("o=- 1 1 IN IP4 a\nv=0\ns=-\nt=0 0\n"));              // v= not first
  EXPECT_TRUE(err("v=1\no=- 1 1 IN IP4 a\ns=-\nt=0 0\n"));              // version
  EXPECT_TRUE(err("v=0\no=- 1 IN IP4 a\ns=-\nt=0 0\n"));                // o= fields
  EXPECT_TRUE(err("v=0\no=- 1 1 IN IP4 a\ns=-\n"));                     // no t=
  EXPECT_TRUE(err("v=0\no=- 1 1 IN IP4 a\ns=-\nt=0 0\nm=audio 1 RTP/AVP 0\n"));  // no c=
  EXPECT_TRUE(err("v=0\no=- 1 1 IN IP4 a\ns=-\nc=IN IP5 a\nt=0 0\n"));  // addrtype
  EXPECT_TRUE(err("v=0\no=- 1 1 IN IP4 a\ns=-\nc=IN IP4 a\nt=0 0\nm=audio 70000 RTP/AVP 0\n"));
  EXPECT_TRUE(err("v=0\no=- 1 1 IN IP4 a\ns=-\nc=IN IP4 a\nt=0 0\nm=audio 1 RTP/AVP\n"));  // no format
  EXPECT_TRUE(err("v=0\no=- 1 1 IN IP4 a\ns=-\nt=0 0\nQ=what\n"));
  EXPECT_TRUE(err("v=0\no=- 1 1 IN IP4 a\ns=-\nt=0 0\ny=unknown\n"));
  EXPECT_TRUE(err("v=0\no=- 1 1 IN IP4 a\ns=-\nt=0 0\nm =video 1 RTP/AVP 31\n"));  // RFC 4475 §3.1.1.8
}

TEST(Sdp, BuildsFromScratch) {
  SessionDescription sd;
  sd.origin = {"palisade", "42", 1, "IN", "IP4", "203.0.113.1"};
  sd.connection = Connection{"IN", "IP4", "203.0.113.1", ""};
  Media m;
  m.type = "audio";
  m.port = 20000;
  m.proto = "RTP/AVP";
  m.formats = {"0"};
  m.attributes = {{"rtpmap", "0 PCMU/8000", true}, {"rtcp-mux", "", false}};
  sd.media.push_back(m);
  const std::string text = serialize(sd);
  EXPECT_EQ(text, "v=0\r\no=palisade 42 1 IN IP4 203.0.113.1\r\ns=-\r\nc=IN IP4 203.0.113.1\r\nt=0 0\r\n"
                  "m=audio 20000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=rtcp-mux\r\n");
  ASSERT_TRUE(parse(text).ok());
}

}  // namespace
}  // namespace palisade::sdp
