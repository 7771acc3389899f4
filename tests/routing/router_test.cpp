#include <gtest/gtest.h>

#include "config/config_file.hpp"
#include "routing/router.hpp"

namespace palisade::routing {
namespace {

const char* kConfig = R"(
network-interface = ( { name = "a0"; ip-address = "10.1.0.1"; }, { name = "c0"; ip-address = "10.2.0.1"; } );
realm-config = ( { identifier = "access"; network-interfaces = ["a0"]; }, { identifier = "core"; network-interfaces = ["c0"]; } );
session-agent = ( { hostname = "ss-a"; ip-address = "10.2.0.10"; realm-id = "core"; max-sessions = 2; },
                  { hostname = "ss-b"; ip-address = "10.2.0.11"; port = 5080; realm-id = "core"; transport-method = "TCP"; },
                  { hostname = "ss-off"; ip-address = "10.2.0.12"; realm-id = "core"; state = "disabled"; } );
local-policy = (
  { to-address = ["*"]; source-realm = ["access"];
    policy-attributes = ( { next-hop = "ss-b"; realm = "core"; cost = 20; }, { next-hop = "ss-a"; realm = "core"; cost = 10; } ); },
  { to-address = ["1555"]; source-realm = ["access"];
    policy-attributes = ( { next-hop = "ss-off"; realm = "core"; cost = 1; }, { next-hop = "10.2.0.99"; realm = "core"; cost = 5; } ); },
  { to-address = ["1555123"]; from-address = ["999"]; source-realm = ["access"];
    policy-attributes = ( { next-hop = "ss-a"; realm = "core"; } ); },
  { to-address = ["*"]; source-realm = ["core"]; state = "disabled";
    policy-attributes = ( { next-hop = "ss-a"; realm = "core"; } ); }
);
)";

struct RouterTest : ::testing::Test {
  config::Config cfg = [] {
    auto r = config::load_config_text(kConfig, "router.cfg");
    EXPECT_TRUE(r.config) << r.problems.at(0).str();
    return *r.config;
  }();
  Router router{cfg};
  std::map<std::string, AgentState> agents;

  std::vector<std::string> hops(const std::string& realm, const std::string& from, const std::string& to) {
    std::vector<std::string> out;
    for (const auto& t : router.route({realm, from, to}, agents).targets)
      out.push_back((t.agent.empty() ? "ip " : t.agent + " ") + t.address + ":" + std::to_string(t.port));
    return out;
  }
};

TEST_F(RouterTest, CostOrdersTheNextHops) {
  EXPECT_EQ(hops("access", "alice", "4000"), (std::vector<std::string>{"ss-a 10.2.0.10:5060", "ss-b 10.2.0.11:5080"}));
  auto t = router.route({"access", "alice", "4000"}, agents).targets;
  EXPECT_EQ(t[1].transport, config::TransportProtocol::Tcp);
  EXPECT_EQ(t[0].realm, "core");
  EXPECT_EQ(t[0].host, "ss-a");
}

TEST_F(RouterTest, LongestToPrefixWinsAndDisabledAgentsAreSkipped) {
  EXPECT_EQ(hops("access", "alice", "15559876"), std::vector<std::string>{"ip 10.2.0.99:5060"});
  // a longer prefix that also needs a From prefix
  EXPECT_EQ(hops("access", "99912", "15551234"), std::vector<std::string>{"ss-a 10.2.0.10:5060"});
  EXPECT_EQ(hops("access", "alice", "15551234"), std::vector<std::string>{"ip 10.2.0.99:5060"});
}

TEST_F(RouterTest, AgentStateDecides) {
  agents["ss-a"].in_service = false;
  EXPECT_EQ(hops("access", "alice", "4000"), std::vector<std::string>{"ss-b 10.2.0.11:5080"});
  agents["ss-a"] = routing::AgentState{};
  agents["ss-a"].active_sessions = 2;  // in service, at max-sessions
  EXPECT_EQ(hops("access", "alice", "4000"), std::vector<std::string>{"ss-b 10.2.0.11:5080"});
  agents["ss-b"].in_service = false;
  auto r = router.route({"access", "alice", "4000"}, agents);
  EXPECT_TRUE(r.targets.empty());
  EXPECT_TRUE(r.matched_policy);  // 503, not 404
}

TEST_F(RouterTest, NoPolicyNoRoute) {
  auto r = router.route({"core", "bob", "4000"}, agents);  // the core policy is disabled
  EXPECT_TRUE(r.targets.empty());
  EXPECT_FALSE(r.matched_policy);
}

}  // namespace
}  // namespace palisade::routing

namespace palisade::routing {
namespace {

// Call-rate constraints: an agent past its burst (this second) or sustained rate (last 10 s)
// is skipped like one at max-sessions; the next hop after it takes the call.
TEST(RouterRates, AnAgentPastItsBurstOrSustainedRateIsSkipped) {
  auto r = config::load_config_text(R"(
network-interface = ( { name = "a0"; ip-address = "10.1.0.1"; }, { name = "c0"; ip-address = "10.2.0.1"; } );
realm-config = ( { identifier = "access"; network-interfaces = ["a0"]; }, { identifier = "core"; network-interfaces = ["c0"]; } );
session-agent = ( { hostname = "ss-r"; ip-address = "10.2.0.10"; realm-id = "core"; max-burst-rate = 3; max-sustain-rate = 2; },
                  { hostname = "ss-b"; ip-address = "10.2.0.11"; realm-id = "core"; } );
local-policy = ( { to-address = ["*"]; source-realm = ["access"];
    policy-attributes = ( { next-hop = "ss-r"; realm = "core"; cost = 1; }, { next-hop = "ss-b"; realm = "core"; cost = 2; } ); } );
)", "rates.cfg");
  ASSERT_TRUE(r.config) << r.problems.at(0).str();
  Router router(*r.config);
  std::map<std::string, AgentState> agents{{"ss-r", {}}, {"ss-b", {}}};
  auto first = [&](std::uint64_t now) { return router.route({"access", "a", "b", now}, agents).targets.at(0).agent; };

  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(first(100), "ss-r");
    agents["ss-r"].session_rate.add(100);
  }
  EXPECT_EQ(first(100), "ss-b");  // three in this second: the burst is spent
  EXPECT_EQ(first(101), "ss-r");  // a new second: 3 calls in the last 10 s is 0.3/s, under 2/s
  for (std::uint64_t s = 101; s <= 110; ++s)
    for (int i = 0; i < 2; ++i) agents["ss-r"].session_rate.add(s);
  EXPECT_EQ(first(111), "ss-b");  // 20 calls in the last 10 s: 2/s, the sustained limit
  EXPECT_EQ(first(125), "ss-r");  // quiet since: under both again
}

}  // namespace
}  // namespace palisade::routing
