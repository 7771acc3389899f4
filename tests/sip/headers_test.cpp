#include <gtest/gtest.h>

#include "sip/header_id.hpp"
#include "sip/headers.hpp"

namespace palisade::sip {
namespace {

TEST(HeaderId, CompactFormsAndCanonicalNames) {
  const std::pair<const char*, HeaderId> compact[] = {
      {"i", HeaderId::CallId},        {"m", HeaderId::Contact},       {"e", HeaderId::ContentEncoding},
      {"l", HeaderId::ContentLength}, {"c", HeaderId::ContentType},   {"f", HeaderId::From},
      {"s", HeaderId::Subject},       {"k", HeaderId::Supported},     {"t", HeaderId::To},
      {"v", HeaderId::Via},           {"o", HeaderId::Event},         {"r", HeaderId::ReferTo},
      {"b", HeaderId::ReferredBy},    {"x", HeaderId::SessionExpires}, {"u", HeaderId::AllowEvents},
      {"a", HeaderId::AcceptContact}, {"y", HeaderId::Identity}};
  for (auto [name, id] : compact) {
    EXPECT_EQ(lookup_header(name), id) << name;
    std::string upper(1, static_cast<char>(name[0] - 32));
    EXPECT_EQ(lookup_header(upper), id) << upper;
  }
  EXPECT_EQ(lookup_header("cAlL-iD"), HeaderId::CallId);
  EXPECT_EQ(canonical_name(HeaderId::CallId), "Call-ID");
  EXPECT_EQ(canonical_name(HeaderId::CSeq), "CSeq");
  EXPECT_EQ(canonical_name(HeaderId::WwwAuthenticate), "WWW-Authenticate");
  EXPECT_EQ(lookup_header("X-Unknown"), HeaderId::Other);
  EXPECT_EQ(lookup_header("z"), HeaderId::Other);
}

TEST(Headers, NameAddrForms) {
  auto a = parse_name_addr(R"("Bob \"B\"" <sip:bob@biloxi.example.com>;tag=a6c85cf)");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(unquote(a->display_name), R"(Bob "B")");
  EXPECT_TRUE(a->bracketed);
  EXPECT_EQ(a->tag(), "a6c85cf");
  auto b = parse_name_addr("sip:alice@atlanta.example.com;tag=88");
  ASSERT_TRUE(b.ok());
  EXPECT_FALSE(b->bracketed);
  EXPECT_EQ(b->tag(), "88");
  EXPECT_FALSE(parse_name_addr("<sip:a@b.example").ok());
  EXPECT_FALSE(parse_name_addr("\"open <sip:a@b.example>").ok());
  EXPECT_FALSE(parse_name_addr("<sip:a@b.example> trailing").ok());
}

TEST(Headers, ViaParameters) {
  auto v = parse_first_via("SIP/2.0/UDP [2001:db8::9]:5062;branch=z9hG4bK776;received=2001:db8::10;rport=40000;maddr=224.2.0.1;ttl=16");
  ASSERT_TRUE(v.ok()) << describe(v.error());
  EXPECT_EQ(v->host, "[2001:db8::9]");
  EXPECT_EQ(v->host_kind, HostKind::IPv6);
  EXPECT_EQ(v->port, 5062);
  EXPECT_TRUE(v->has_rfc3261_branch());
  EXPECT_EQ(v->received(), "2001:db8::10");
  EXPECT_EQ(v->rport(), "40000");
  EXPECT_EQ(v->maddr(), "224.2.0.1");
  EXPECT_EQ(v->ttl(), "16");
  auto flag = parse_first_via("SIP/2.0/TCP 192.0.2.1;rport;branch=z9hG4bKx");
  ASSERT_TRUE(flag.ok());
  EXPECT_EQ(flag->rport(), "");  // requested, not yet filled (RFC 3581)
  EXPECT_FALSE(parse_first_via("SIP/2.0/UDP 192.0.2.1;ttl=300").ok());
  EXPECT_FALSE(parse_first_via("SIP/2.0/UDP 192.0.2.1;received=host.example.com").ok());
  EXPECT_FALSE(parse_first_via("SIP/2.0/UDP 192.0.2.1;rport=x").ok());
  EXPECT_FALSE(parse_first_via("SIP/3.0/UDP 192.0.2.1").ok());
  auto spaced = parse_first_via("SIP/2.0/UDP host.example.com : 5070 ;branch=z9hG4bK1");  // COLON = SWS ":" SWS
  ASSERT_TRUE(spaced.ok());
  EXPECT_EQ(spaced->port, 5070);
  EXPECT_FALSE(parse_first_via("SIP/2.0/UDP [2001:db8::1;branch=z9hG4bK1").ok());
  EXPECT_FALSE(parse_first_via("SIP/2.0/UDP host.example.com:99999").ok());
  EXPECT_EQ(parse_via_list("SIP/2.0/UDP a.example, SIP/2.0/TCP b.example", nullptr).ok(), true);
  EXPECT_EQ(*validate_via_list("SIP/2.0/UDP a.example, SIP/2.0/TCP b.example"), 2u);
  EXPECT_FALSE(parse_via_list("SIP/2.0/UDP a.example,", nullptr).ok());
}

TEST(Headers, Scalars) {
  EXPECT_EQ(parse_cseq("4711 INVITE")->number, 4711u);
  EXPECT_EQ(parse_cseq("4294967295 ACK")->number, 4294967295u);
  EXPECT_FALSE(parse_cseq("4294967296 ACK").ok());
  EXPECT_FALSE(parse_cseq("-1 ACK").ok());
  EXPECT_FALSE(parse_cseq("1").ok());
  EXPECT_FALSE(parse_cseq("1 INVITE extra").ok());
  const auto rack = parse_rack("776656 1 INVITE");
  ASSERT_TRUE(rack.ok());
  EXPECT_EQ(rack->rseq, 776656u);
  EXPECT_EQ(rack->cseq, 1u);
  EXPECT_EQ(rack->method, "INVITE");
  EXPECT_TRUE(parse_rack("1  \r\n 2 INVITE").ok());  // LWS may fold
  EXPECT_FALSE(parse_rack("1 INVITE").ok());
  EXPECT_FALSE(parse_rack("1 2").ok());
  EXPECT_FALSE(parse_rack("4294967296 1 INVITE").ok());
  EXPECT_FALSE(parse_rack("1 2 INVITE x").ok());
  EXPECT_EQ(*parse_uint("0068", 255), 68u);
  EXPECT_FALSE(parse_uint("256", 255).ok());
  EXPECT_TRUE(parse_call_id("a84b4c76e66710@pc33.atlanta.example.com").ok());
  EXPECT_FALSE(parse_call_id("has space").ok());
  EXPECT_FALSE(parse_call_id("a@").ok());
  EXPECT_TRUE(validate_date("Sat, 13 Nov 2010 23:29:00 GMT").ok());
  EXPECT_FALSE(validate_date("Sat, 13 Nov 2010 23:29:00 EST").ok());
  EXPECT_TRUE(validate_retry_after("120 (I'm in a meeting);duration=3600").ok());
  EXPECT_FALSE(validate_retry_after("99999999999").ok());
}

TEST(Headers, ContactStarAndList) {
  auto star = parse_contact("*");
  ASSERT_TRUE(star.ok());
  EXPECT_TRUE(star->star);
  auto list = parse_contact(R"(<sip:a@192.0.2.1>;expires=60, "B" <sip:b@192.0.2.2>;q=0.5)");
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->contacts.size(), 2u);
  EXPECT_EQ(list->contacts[0].params.get("expires"), "60");
  EXPECT_EQ(list->contacts[1].params.get("q"), "0.5");
}

TEST(Headers, TransferHeaders) {
  // RFC 3891 §7.1: Replaces escaped inside a Refer-To URI.
  auto rt = parse_name_addr(
      "<sip:dave@denver.example.org?Replaces=12345%40192.168.118.3%3Bto-tag%3D12345%3Bfrom-tag%3D5FFE-3994>");
  ASSERT_TRUE(rt.ok()) << describe(rt.error());
  auto rep = embedded_replaces(*rt);
  ASSERT_TRUE(rep.has_value());
  ASSERT_TRUE(rep->ok());
  EXPECT_EQ((*rep)->call_id, "12345@192.168.118.3");
  EXPECT_EQ((*rep)->to_tag, "12345");
  EXPECT_EQ((*rep)->from_tag, "5FFE-3994");
  EXPECT_FALSE((*rep)->early_only);

  auto r = parse_replaces("98732@sip.example.com;from-tag=r33th4x0r;to-tag=ff87ff;early-only");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->call_id, "98732@sip.example.com");
  EXPECT_TRUE(r->early_only);
  EXPECT_FALSE(parse_replaces("98732@sip.example.com;from-tag=a").ok());

  auto rb = parse_name_addr("<sip:referrer@atlanta.example.com>;cid=\"20398823.2UWQFN309shb3@referrer.example\"");
  ASSERT_TRUE(rb.ok());
  EXPECT_EQ(rb->params.get("cid"), "\"20398823.2UWQFN309shb3@referrer.example\"");

  auto ev = parse_event("refer;id=93809824");
  ASSERT_TRUE(ev.ok());
  EXPECT_EQ(ev->package, "refer");
  EXPECT_EQ(ev->id(), "93809824");
  auto ss = parse_subscription_state("terminated;reason=noresource;expires=0");
  ASSERT_TRUE(ss.ok());
  EXPECT_EQ(ss->state, "terminated");
  EXPECT_EQ(ss->reason(), "noresource");
  EXPECT_EQ(ss->expires(), 0u);
  EXPECT_FALSE(parse_subscription_state("active;expires=soon").ok());
  EXPECT_EQ(*parse_refer_sub("false"), false);
  EXPECT_EQ(*parse_refer_sub("TRUE"), true);
  EXPECT_FALSE(parse_refer_sub("maybe").ok());
}

TEST(Headers, TokenListsAndMediaTypes) {
  std::vector<std::string_view> tags;
  ASSERT_TRUE(parse_token_list("replaces, 100rel ,timer", &tags).ok());
  EXPECT_EQ(tags, (std::vector<std::string_view>{"replaces", "100rel", "timer"}));
  EXPECT_FALSE(parse_token_list("a,,b", nullptr).ok());
  auto mt = parse_media_type("multipart/mixed;boundary=\"unique-boundary-1\"");
  ASSERT_TRUE(mt.ok());
  EXPECT_TRUE(mt->is("Multipart", "MIXED"));
  EXPECT_EQ(unquote(*mt->param("boundary")), "unique-boundary-1");
  EXPECT_FALSE(parse_media_type("application").ok());
  EXPECT_TRUE(validate_accept("application/sdp;level=1, */*;q=0.1").ok());
}

}  // namespace
}  // namespace palisade::sip
