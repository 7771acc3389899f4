// The whole configuration model: the example file loads with every value, and each rule
// that spans elements is reported at the line that breaks it.
#include <gtest/gtest.h>

#include "config/config_file.hpp"

namespace palisade::config {
namespace {

#ifndef PALISADE_CONF_DIR
#error "PALISADE_CONF_DIR must point at conf/"
#endif

TEST(ConfigModel, ExampleFileLoadsEveryElement) {
  auto r = load_config_file(std::string(PALISADE_CONF_DIR) + "/sbc.cfg");
  ASSERT_TRUE(r.config) << r.problems.at(0).str();
  const Config& c = *r.config;
  ASSERT_EQ(c.network_interfaces.size(), 2u);
  EXPECT_EQ(c.network_interfaces[1].ip_address, "198.51.100.1");
  ASSERT_EQ(c.realms.size(), 2u);
  EXPECT_EQ(c.realms[0].network_interfaces, std::vector<std::string>{"access0"});
  EXPECT_FALSE(c.realms[0].mm_in_realm);
  EXPECT_EQ(c.realms[0].refer_call_transfer, ReferCallTransfer::Enabled);
  EXPECT_EQ(c.realms[0].refer_notify_provisional, ReferNotifyProvisional::Initial);
  EXPECT_EQ(c.realms[1].refer_call_transfer, ReferCallTransfer::Disabled);  // the default
  EXPECT_TRUE(c.realms[1].mm_in_network);
  ASSERT_EQ(c.sip_interfaces.size(), 2u);
  ASSERT_EQ(c.sip_interfaces[0].sip_ports.size(), 2u);
  EXPECT_EQ(c.sip_interfaces[0].sip_ports[1].transport_protocol, TransportProtocol::Tcp);
  ASSERT_EQ(c.session_agents.size(), 2u);
  EXPECT_EQ(c.session_agents[0].max_sessions, 500u);
  EXPECT_EQ(c.session_agents[1].max_sessions, 0u);
  EXPECT_EQ(c.session_agents[0].ping_interval, 30u);
  ASSERT_EQ(c.local_policies.size(), 1u);
  ASSERT_EQ(c.local_policies[0].policy_attributes.size(), 2u);
  EXPECT_EQ(c.local_policies[0].policy_attributes[1].next_hop, "softswitch-b");
  EXPECT_EQ(c.local_policies[0].policy_attributes[1].cost, 2u);
  EXPECT_EQ(c.local_policies[0].from_address, std::vector<std::string>{"*"});  // the default
  EXPECT_EQ(c.sip.invite_expire, 180u);
}

// One element per line (lines 2-6); {NI} {REALM} {SI} {SA} {LP} take extra list items.
const std::string kBase = R"(
network-interface = ( { name = "a0"; ip-address = "10.1.0.1"; }, { name = "c0"; ip-address = "10.2.0.1"; } {NI} );
realm-config = ( { identifier = "access"; network-interfaces = ["a0"]; }, { identifier = "core"; network-interfaces = ["c0"]; } {REALM} );
sip-interface = ( { realm-id = "access"; sip-ports = ( { address = "10.1.0.1"; } ); } {SI} );
session-agent = ( { hostname = "ss1"; ip-address = "10.2.0.10"; realm-id = "core"; } {SA} );
local-policy = ( { policy-attributes = ( { next-hop = "ss1"; realm = "core"; } ); } {LP} );
)";

std::vector<std::string> problems(const std::string& text) {
  std::vector<std::string> out;
  for (const auto& p : load_config_text(text, "t.cfg").problems) out.push_back(p.str());
  return out;
}

// kBase with `item` added to the list marked by `slot`.
std::vector<std::string> with(const std::string& slot, const std::string& item) {
  std::string text = kBase;
  for (const char* s : {"{NI}", "{REALM}", "{SI}", "{SA}", "{LP}"}) {
    const auto at = text.find(s);
    text.replace(at, std::string(s).size(), s == slot ? ", " + item : "");
  }
  return problems(text);
}

TEST(ConfigModel, MinimalConfigVerifies) { EXPECT_EQ(with("{NI}", "{ name = \"x0\"; ip-address = \"10.3.0.1\"; }"), std::vector<std::string>{}); }

TEST(ConfigModel, ReferencesMustResolve) {
  EXPECT_EQ(with("{REALM}", R"({ identifier = "peer"; network-interfaces = ["p0"]; })"),
            std::vector<std::string>{"t.cfg:3: realm-config[peer].network-interfaces: no network-interface named 'p0'"});
  EXPECT_EQ(with("{SA}", R"({ hostname = "ss2"; ip-address = "10.2.0.11"; realm-id = "cor"; })"),
            std::vector<std::string>{"t.cfg:5: session-agent[ss2].realm-id: no realm-config named 'cor'"});
  EXPECT_EQ(with("{LP}", R"({ source-realm = ["acess"]; policy-attributes = ( { next-hop = "ss9"; } ); })"),
            (std::vector<std::string>{"t.cfg:6: local-policy[2].source-realm: no realm-config named 'acess'",
                                      "t.cfg:6: local-policy[2].policy-attributes[ss9].next-hop: not a session-agent hostname nor an IP address"}));
}

TEST(ConfigModel, SipPortsMustBeTheRealmsOwnAddresses) {
  EXPECT_EQ(with("{SI}", R"({ realm-id = "core"; sip-ports = ( { address = "10.1.0.1"; } ); })"),
            (std::vector<std::string>{"t.cfg:4: sip-interface[core].sip-ports[10.1.0.1:5060].address: this address, port and transport is used twice",
                                      "t.cfg:4: sip-interface[core].sip-ports[10.1.0.1:5060].address: not an ip-address of a network-interface of realm 'core'"}));
  EXPECT_EQ(with("{SI}", R"({ realm-id = "access"; sip-ports = ( { address = "10.1.0.1"; port = 5061; } ); })"),
            std::vector<std::string>{"t.cfg:4: sip-interface[access].realm-id: a realm has one sip-interface"});
}

TEST(ConfigModel, DuplicatesAndRequiredValues) {
  EXPECT_EQ(with("{SA}", R"({ hostname = "ss1"; ip-address = "10.2.0.12"; realm-id = "core"; })"),
            std::vector<std::string>{"t.cfg:5: session-agent[ss1].hostname: duplicate hostname"});
  EXPECT_EQ(with("{SA}", R"({ hostname = "ss3"; realm-id = "core"; ping-interval = 10; })"),
            (std::vector<std::string>{"t.cfg:5: session-agent[ss3].ip-address: is required when hostname is not an IP address",
                                      "t.cfg:5: session-agent[ss3].ping-interval: needs ping-method \"OPTIONS\""}));
  // An element written twice is refused by libconfig itself, with the line.
  EXPECT_EQ(problems(kBase.substr(0, kBase.find("{NI}")) + ");\nnetwork-interface = ();\n"),
            std::vector<std::string>{"t.cfg:3: duplicate setting name"});
}

TEST(ConfigModel, RelayHeadersNameHeadersThatMayCross) {
  EXPECT_EQ(with("{REALM}", R"({ identifier = "peer"; relay-headers = ["User-Agent", "P-Asserted-Identity", "X-Account"]; })"),
            std::vector<std::string>{});
  EXPECT_EQ(with("{REALM}", R"({ identifier = "peer"; relay-headers = ["Via", "call-id", "m", "bad header"]; })"),
            (std::vector<std::string>{
                "t.cfg:3: realm-config[peer].relay-headers: 'Via' belongs to one leg and is never relayed (docs/b2bua.md)",
                "t.cfg:3: realm-config[peer].relay-headers: 'call-id' belongs to one leg and is never relayed (docs/b2bua.md)",
                "t.cfg:3: realm-config[peer].relay-headers: 'm' belongs to one leg and is never relayed (docs/b2bua.md)",
                "t.cfg:3: realm-config[peer].relay-headers: 'bad header' is not a header name"}));
}

TEST(ConfigModel, AttributeTypesAndRanges) {
  EXPECT_EQ(problems(R"(sip-interface = ( { realm-id = "x"; sip-ports = ( { address = "10.1.0.300"; port = 70000; transport-protocol = "SCTP"; } ); } );)"),
            (std::vector<std::string>{"t.cfg:1: sip-interface[x].sip-ports[1].address: must be an IPv4 or IPv6 address",
                                      "t.cfg:1: sip-interface[x].sip-ports[1].port: must be from 1 to 65535",
                                      "t.cfg:1: sip-interface[x].sip-ports[1].transport-protocol: must be one of UDP, TCP"}));
  EXPECT_EQ(problems(R"(realm-config = ( { identifier = "r"; mm-in-realm = "yes"; addr-prefix = "10.0.0.0/33"; colour = "red"; } );)"),
            (std::vector<std::string>{"t.cfg:1: realm-config[r].mm-in-realm: must be enabled or disabled",
                                      "t.cfg:1: realm-config[r].addr-prefix: must be an address/prefix-length, e.g. 10.0.0.0/8",
                                      "t.cfg:1: realm-config[r].colour: unknown attribute"}));
  // libconfig booleans work for flags as well as Oracle's words
  auto r = load_config_text(R"(realm-config = ( { identifier = "r"; mm-in-realm = true; } );)", "t.cfg");
  ASSERT_TRUE(r.config);
  EXPECT_TRUE(r.config->realms[0].mm_in_realm);
}

TEST(ConfigModel, SchemaGivesTextBackForEveryAttribute) {
  // What the ACLI's show and save-config will print: every attribute renders as text.
  auto r = load_config_file(std::string(PALISADE_CONF_DIR) + "/sbc.cfg");
  ASSERT_TRUE(r.config);
  const auto& spec = realm_config_spec();
  std::vector<std::string> shown;
  for (const auto& a : spec.attributes) shown.push_back(std::string(a.name) + "=" + a.get(r.config->realms[0]));
  EXPECT_EQ(shown, (std::vector<std::string>{"identifier=access", "network-interfaces=access0", "addr-prefix=0.0.0.0/0",
                                             "mm-in-realm=disabled", "mm-in-network=enabled", "mm-same-ip=enabled",
                                             "refer-call-transfer=enabled", "dyn-refer-term=disabled",
                                             "refer-notify-provisional=initial", "restricted-latching=auto", "relay-headers=",
                                             "access-control-trust-level=low", "maximum-signal-threshold=100",
                                             "invalid-signal-threshold=20", "deny-period=60", "constraint-name=access-limits"}));
}

}  // namespace
}  // namespace palisade::config
