#include <gtest/gtest.h>

#include "sip/uri.hpp"

namespace palisade::sip {
namespace {

TEST(Uri, SipWithEverything) {
  auto u = parse_uri("sip:alice:secret@atlanta.example.com:5070;transport=tcp;lr?Subject=hi&Priority=urgent");
  ASSERT_TRUE(u.ok()) << describe(u.error());
  EXPECT_EQ(u->kind, UriScheme::Sip);
  EXPECT_EQ(u->user, "alice");
  EXPECT_EQ(u->password, "secret");
  EXPECT_EQ(u->host, "atlanta.example.com");
  EXPECT_EQ(u->host_kind, HostKind::Name);
  EXPECT_EQ(u->port, 5070);
  EXPECT_EQ(u->param("transport"), "tcp");
  EXPECT_EQ(u->param("lr"), "");
  EXPECT_FALSE(u->param("maddr"));
  EXPECT_EQ(u->header("Subject"), "hi");
  EXPECT_EQ(u->header("priority"), "urgent");
}

TEST(Uri, HostKinds) {
  EXPECT_EQ(parse_uri("sips:[2001:db8::1]:5061")->host_kind, HostKind::IPv6);
  EXPECT_EQ(parse_uri("sips:[2001:db8::1]:5061")->host, "[2001:db8::1]");
  EXPECT_EQ(parse_uri("sip:192.0.2.4")->host_kind, HostKind::IPv4);
  EXPECT_EQ(parse_uri("sip:bob@host-1.example.")->host_kind, HostKind::Name);
  EXPECT_FALSE(parse_uri("sip:bob@[2001:db8::zz]").ok());
  EXPECT_FALSE(parse_uri("sip:bob@192.0.2").ok());      // top label must start with a letter
  EXPECT_FALSE(parse_uri("sip:bob@exa..mple.com").ok());  // empty label
  EXPECT_FALSE(parse_uri("sip:bob@-bad.example.com").ok());
  EXPECT_FALSE(parse_uri("sip:bob@example.com:65536").ok());
  EXPECT_FALSE(parse_uri("sip:bob@").ok());
}

TEST(Uri, Tel) {
  auto u = parse_uri("tel:+1-201-555-0123;phone-context=example.com");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->kind, UriScheme::Tel);
  EXPECT_EQ(u->user, "+1-201-555-0123");
  EXPECT_EQ(u->param("phone-context"), "example.com");
}

TEST(Uri, OtherSchemesAreOpaque) {
  auto u = parse_uri("urn:service:sos", UriContext::RequestLine);
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->kind, UriScheme::Other);
  EXPECT_EQ(u->opaque, "service:sos");
  EXPECT_FALSE(parse_uri("<sip:a@b.example>", UriContext::RequestLine).ok());
  EXPECT_FALSE(parse_uri("nocolon", UriContext::RequestLine).ok());
}

TEST(Uri, ContextDecidesWhereItEnds) {
  Scanner sc("sip:bob@biloxi.example.com;tag=1");
  auto u = parse_uri(sc, UriContext::AddrSpec);
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->raw, "sip:bob@biloxi.example.com");
  EXPECT_EQ(sc.rest(), ";tag=1");  // the parameter belongs to the header, not the URI
  EXPECT_FALSE(parse_uri("sip:a@b.example?x=y", UriContext::RequestLine).ok());
  Scanner sc2("sip:a@b.example?x=y");
  EXPECT_FALSE(parse_uri(sc2, UriContext::AddrSpec).ok());
}

TEST(Uri, BadEscapes) {
  EXPECT_FALSE(parse_uri("sip:%4@example.com").ok());
  EXPECT_FALSE(parse_uri("sip:a@example.com;p=%G1").ok());
  EXPECT_FALSE(parse_uri("sip:a@example.com;p=%").ok());
}

TEST(Uri, IpAddresses) {
  EXPECT_TRUE(is_ip_address("192.0.2.1"));
  EXPECT_TRUE(is_ip_address("2001:db8::1"));
  EXPECT_TRUE(is_ip_address("[2001:db8::1]"));
  EXPECT_FALSE(is_ip_address("256.0.0.1"));
  EXPECT_FALSE(is_ip_address("host.example.com"));
}

}  // namespace
}  // namespace palisade::sip
