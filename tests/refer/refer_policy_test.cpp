// The REFER decision table (docs/transfer.md) and the texts a transfer sends.
#include <gtest/gtest.h>

#include "config/config_file.hpp"
#include "refer/refer_policy.hpp"
#include "sip/headers.hpp"

namespace palisade::refer {
namespace {

config::Config load(const std::string& realms_extra, const std::string& agent_extra) {
  const std::string text =
      "network-interface = ( { name = \"a0\"; ip-address = \"10.1.0.1\"; }, { name = \"c0\"; ip-address = \"10.2.0.1\"; } );\n"
      "realm-config = ( { identifier = \"access\"; network-interfaces = [\"a0\"]; " + realms_extra + " },\n"
      "                 { identifier = \"core\"; network-interfaces = [\"c0\"]; dyn-refer-term = true; } );\n"
      "sip-interface = ( { realm-id = \"access\"; sip-ports = ( { address = \"10.1.0.1\"; } ); },\n"
      "                  { realm-id = \"core\"; sip-ports = ( { address = \"10.2.0.1\"; } ); } );\n"
      "session-agent = ( { hostname = \"pbx\"; ip-address = \"10.1.0.20\"; realm-id = \"access\"; " + agent_extra + " } );\n";
  auto r = config::load_config_text(text, "refer.cfg");
  EXPECT_TRUE(r.config) << (r.problems.empty() ? "" : r.problems[0].str());
  return *r.config;
}

ReferAction action(const config::Config& cfg, const std::string& agent, const std::string& egress = "core") {
  return decide_refer(cfg, {"access", egress, agent}).action;
}

TEST(ReferDecision, RealmDecidesForSendersThatAreNotAgents) {
  EXPECT_EQ(action(load("", ""), ""), ReferAction::Proxy);  // disabled by default
  EXPECT_EQ(action(load("refer-call-transfer = \"enabled\";", ""), ""), ReferAction::Terminate);
  EXPECT_EQ(action(load("refer-call-transfer = \"disabled\";", ""), ""), ReferAction::Proxy);
}

TEST(ReferDecision, SessionAgentOverridesItsRealm) {
  // A session agent's own value wins, its default (disabled) included.
  EXPECT_EQ(action(load("refer-call-transfer = \"enabled\";", ""), "pbx"), ReferAction::Proxy);
  EXPECT_EQ(action(load("", "refer-call-transfer = \"enabled\";"), "pbx"), ReferAction::Terminate);
  const auto d = decide_refer(load("refer-call-transfer = \"enabled\";", ""), {"access", "core", "pbx"});
  EXPECT_EQ(d.why, "session-agent pbx refer-call-transfer disabled");
}

TEST(ReferDecision, DynamicFollowsTheEgressRealm) {
  const auto cfg = load("refer-call-transfer = \"dynamic\";", "");
  EXPECT_EQ(action(cfg, "", "core"), ReferAction::Terminate);   // core: dyn-refer-term = true
  EXPECT_EQ(action(cfg, "", "access"), ReferAction::Proxy);     // access: dyn-refer-term unset
  EXPECT_EQ(decide_refer(cfg, {"access", "core", ""}).why,
            "realm access refer-call-transfer dynamic, egress realm core dyn-refer-term enabled");
}

ReferTarget target(const std::string& value) {
  static std::vector<std::string> keep;  // NameAddr views its text
  keep.push_back(value);
  auto na = sip::parse_name_addr(keep.back());
  EXPECT_TRUE(na.ok()) << value;
  return analyze_refer_to(*na);
}

TEST(ReferTarget, WhatTheSbcCanPerform) {
  auto blind = target("<sip:2000@pbx.example>");
  EXPECT_TRUE(blind.performable);
  EXPECT_EQ(blind.user, "2000");
  EXPECT_FALSE(blind.replaces);

  auto attended = target("<sip:carol@10.1.0.1?Replaces=abc%40h%3Bto-tag%3D12%3Bfrom-tag%3D34>");
  ASSERT_TRUE(attended.performable) << attended.why;
  ASSERT_TRUE(attended.replaces);
  EXPECT_EQ(attended.replaces->call_id, "abc@h");
  EXPECT_EQ(attended.replaces->to_tag, "12");
  EXPECT_EQ(attended.replaces->from_tag, "34");

  EXPECT_EQ(target("<tel:+15551234>").why, "Refer-To is not a SIP URI");
  EXPECT_EQ(target("<sip:bob@h;method=SUBSCRIBE>").why, "Refer-To asks for method SUBSCRIBE");
  EXPECT_TRUE(target("<sip:bob@h;method=INVITE>").performable);
  EXPECT_EQ(target("<sip:bob@h?Subject=hi>").why, "Refer-To carries header Subject");
  EXPECT_EQ(target("<sip:bob%2b1@h>").user, "bob+1");
}

TEST(TransferTexts, ReplacesInAReferTo) {
  sip::Replaces r{"abc@h", "12", "34", false};
  EXPECT_EQ(replaces_value(r), "abc@h;to-tag=12;from-tag=34");
  r.early_only = true;
  EXPECT_EQ(replaces_value(r), "abc@h;to-tag=12;from-tag=34;early-only");
  EXPECT_EQ(escape_uri_header("abc@h;to-tag=12"), "abc%40h%3Bto-tag%3D12");
  // What is escaped comes back whole through the parser.
  auto back = target("<sip:carol@10.1.0.1?Replaces=" + escape_uri_header(replaces_value(r)) + ">");
  ASSERT_TRUE(back.replaces);
  EXPECT_EQ(back.replaces->call_id, "abc@h");
  EXPECT_TRUE(back.replaces->early_only);
}

TEST(TransferTexts, SipfragAndMedia) {
  EXPECT_EQ(sipfrag_status(100, "Trying"), "SIP/2.0 100 Trying\r\n");
  const std::string held = "v=0\r\no=pbx 1 7 IN IP4 10.1.0.20\r\ns=-\r\nc=IN IP4 10.1.0.50\r\nt=0 0\r\n"
                           "m=audio 4000 RTP/AVP 0\r\na=recvonly\r\n";
  EXPECT_EQ(resumed_offer(held), "v=0\r\no=pbx 1 7 IN IP4 10.1.0.20\r\ns=-\r\nc=IN IP4 10.1.0.50\r\nt=0 0\r\n"
                                 "m=audio 4000 RTP/AVP 0\r\na=sendrecv\r\n");
  EXPECT_EQ(resumed_offer("not sdp"), "not sdp");
  const std::string from_target = "v=0\r\no=carol 99 1 IN IP4 10.2.0.11\r\ns=-\r\nc=IN IP4 10.2.0.11\r\nt=0 0\r\n"
                                  "m=audio 6000 RTP/AVP 0\r\n";
  EXPECT_EQ(under_origin(from_target, held), "v=0\r\no=pbx 1 8 IN IP4 10.1.0.20\r\ns=-\r\nc=IN IP4 10.2.0.11\r\nt=0 0\r\n"
                                             "m=audio 6000 RTP/AVP 0\r\n");
  EXPECT_EQ(under_origin(from_target, "v=0\r\no=broken\r\n"), from_target);

  // A target behind the same media address and port as the transferor (a media server both
  // use) changes nothing for the transferee; another port or address does.
  const std::string same_place = "v=0\r\no=ms 5 5 IN IP4 10.1.0.20\r\ns=-\r\nc=IN IP4 10.1.0.50\r\nt=0 0\r\n"
                                 "m=audio 4000 RTP/AVP 8\r\n";
  EXPECT_TRUE(same_media_destination(held, same_place));
  EXPECT_FALSE(same_media_destination(held, from_target));
  EXPECT_FALSE(same_media_destination(held, "not sdp"));
}

}  // namespace
}  // namespace palisade::refer
