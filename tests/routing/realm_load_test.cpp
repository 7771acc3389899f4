// Session constraints on a realm: each limit, inbound and outbound, and the shared ones.
#include <gtest/gtest.h>

#include "config/config_file.hpp"
#include "routing/realm_load.hpp"
#include "routing/router.hpp"

namespace palisade::routing {
namespace {

config::Config load(const std::string& constraint) {
  const std::string text = R"(
network-interface = ( { name = "a0"; ip-address = "10.1.0.1"; }, { name = "c0"; ip-address = "10.2.0.1"; } );
realm-config = ( { identifier = "access"; network-interfaces = ["a0"]; constraint-name = "edge"; },
                 { identifier = "core"; network-interfaces = ["c0"]; } );
session-constraints = ( { name = "edge"; )" + constraint + R"( } );
)";
  auto r = config::load_config_text(text, "constraints.cfg");
  EXPECT_TRUE(r.config) << r.problems.at(0).str();
  return r.config ? *r.config : config::Config{};
}

// Loads holding `in` and `out` calls begun in second 100.
RealmLoad loaded(int in, int out) {
  RealmLoad l;
  for (int i = 0; i < in; ++i) l.take(Direction::Inbound, 100);
  for (int i = 0; i < out; ++i) l.take(Direction::Outbound, 100);
  return l;
}

std::string_view check(const config::Config& cfg, const RealmLoad& l, Direction d, std::uint64_t now = 100) {
  const auto* sc = constraints_of(cfg, "access");
  EXPECT_NE(sc, nullptr);
  return sc ? exceeded_constraint(*sc, l, d, now) : "no constraints";
}

TEST(RealmLoad, OnlyARealmNamingEnabledConstraintsIsConstrained) {
  const auto cfg = load("max-sessions = 1;");
  EXPECT_NE(constraints_of(cfg, "access"), nullptr);
  EXPECT_EQ(constraints_of(cfg, "core"), nullptr);
  EXPECT_EQ(constraints_of(load("max-sessions = 1; state = \"disabled\";"), "access"), nullptr);
}

TEST(RealmLoad, MaxSessionsCountsBothDirections) {
  const auto cfg = load("max-sessions = 3;");
  EXPECT_EQ(check(cfg, loaded(1, 1), Direction::Inbound), "");
  EXPECT_EQ(check(cfg, loaded(2, 1), Direction::Inbound), "max-sessions");
  EXPECT_EQ(check(cfg, loaded(1, 2), Direction::Outbound), "max-sessions");
}

TEST(RealmLoad, DirectionalSessionLimitsLeaveTheOtherDirectionAlone) {
  const auto cfg = load("max-inbound-sessions = 2; max-outbound-sessions = 1;");
  EXPECT_EQ(check(cfg, loaded(2, 0), Direction::Inbound), "max-inbound-sessions");
  EXPECT_EQ(check(cfg, loaded(2, 0), Direction::Outbound), "");
  EXPECT_EQ(check(cfg, loaded(0, 1), Direction::Outbound), "max-outbound-sessions");
  EXPECT_EQ(check(cfg, loaded(1, 1), Direction::Inbound), "");
}

TEST(RealmLoad, ReleasedCallsMakeRoomAgain) {
  const auto cfg = load("max-inbound-sessions = 1;");
  RealmLoad l = loaded(1, 0);
  EXPECT_EQ(check(cfg, l, Direction::Inbound, 500), "max-inbound-sessions");
  l.release(Direction::Inbound);
  EXPECT_EQ(check(cfg, l, Direction::Inbound, 500), "");
  l.release(Direction::Inbound);  // never below zero
  EXPECT_EQ(l.in.active, 0u);
}

TEST(RealmLoad, BurstRatesCountTheSecondUnderWay) {
  const auto cfg = load("max-burst-rate = 3; max-inbound-burst-rate = 2;");
  EXPECT_EQ(check(cfg, loaded(2, 0), Direction::Inbound), "max-inbound-burst-rate");
  EXPECT_EQ(check(cfg, loaded(2, 0), Direction::Outbound), "");
  EXPECT_EQ(check(cfg, loaded(2, 1), Direction::Outbound), "max-burst-rate");
  EXPECT_EQ(check(cfg, loaded(2, 1), Direction::Inbound, 101), "");  // the next second
}

TEST(RealmLoad, SustainRatesAverageTheLastTenSeconds) {
  const auto cfg = load("max-outbound-sustain-rate = 2;");
  RealmLoad l;
  for (std::uint64_t s = 200; s < 210; ++s)
    for (int i = 0; i < 2; ++i) l.take(Direction::Outbound, s);  // 2/s for 10 s
  EXPECT_EQ(check(cfg, l, Direction::Outbound, 210), "max-outbound-sustain-rate");
  EXPECT_EQ(check(cfg, l, Direction::Inbound, 210), "");
  EXPECT_EQ(check(cfg, l, Direction::Outbound, 215), "");  // half of them are older than 10 s
  const auto both = load("max-sustain-rate = 3;");
  for (std::uint64_t s = 200; s < 210; ++s) l.take(Direction::Inbound, s);  // +1/s inbound
  EXPECT_EQ(check(both, l, Direction::Inbound, 210), "max-sustain-rate");
}

TEST(RealmLoad, RouterSkipsANextHopInAFullRealm) {
  auto text = config::load_config_text(R"(
network-interface = ( { name = "a0"; ip-address = "10.1.0.1"; }, { name = "c0"; ip-address = "10.2.0.1"; },
                      { name = "c1"; ip-address = "10.3.0.1"; } );
realm-config = ( { identifier = "access"; network-interfaces = ["a0"]; },
                 { identifier = "core"; network-interfaces = ["c0"]; constraint-name = "one"; },
                 { identifier = "backup"; network-interfaces = ["c1"]; } );
session-constraints = ( { name = "one"; max-outbound-sessions = 1; } );
session-agent = ( { hostname = "ss1"; ip-address = "10.2.0.10"; realm-id = "core"; },
                  { hostname = "ss9"; ip-address = "10.3.0.10"; realm-id = "backup"; } );
local-policy = ( { policy-attributes = ( { next-hop = "ss1"; realm = "core"; cost = 1; },
                                         { next-hop = "10.2.0.99"; realm = "core"; cost = 2; },
                                         { next-hop = "ss9"; realm = "backup"; cost = 3; } ); } );
)",
                                       "router.cfg");
  ASSERT_TRUE(text.config) << text.problems.at(0).str();
  Router router(*text.config);
  const RouteQuery q{"access", "alice", "bob", 100};
  std::map<std::string, RealmLoad> realms;
  EXPECT_EQ(router.route(q, {}, realms).targets.size(), 3u);
  realms["core"].take(Direction::Outbound, 100);
  const auto r = router.route(q, {}, realms);
  ASSERT_EQ(r.targets.size(), 1u);  // both next hops in core are skipped
  EXPECT_EQ(r.targets[0].agent, "ss9");
  realms["core"].take(Direction::Inbound, 100);  // inbound calls do not fill an outbound limit
  realms["core"].release(Direction::Outbound);
  EXPECT_EQ(router.route(q, {}, realms).targets.size(), 3u);
}

TEST(RealmLoad, AConstraintNameMustNameSessionConstraints) {
  auto r = config::load_config_text(R"(
network-interface = ( { name = "a0"; ip-address = "10.1.0.1"; } );
realm-config = ( { identifier = "access"; network-interfaces = ["a0"];
                   constraint-name = "nosuch"; } );
)",
                                    "bad.cfg");
  ASSERT_FALSE(r.config);
  ASSERT_FALSE(r.problems.empty());
  EXPECT_EQ(r.problems[0].line, 4);
  EXPECT_NE(r.problems[0].str().find("no session-constraints named 'nosuch'"), std::string::npos) << r.problems[0].str();
}

}  // namespace
}  // namespace palisade::routing
