// The /metrics text as Prometheus reads it: names by convention, labels bounded, the numbers of
// the snapshot, a histogram with cumulative buckets.
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "metrics/families.hpp"

namespace palisade::metrics {
namespace {

mgmt::Status sample() {
  mgmt::Status s;
  s.version = "1.2.3";
  s.running_version = 4;
  s.config_activations = 2;
  s.sipd = {{"Sessions", 3, 7, 20, 9}, {"Dialogs", 6, 14, 40, 18}, {"Transactions", 2, 30, 90, 40}};
  mgmt::MethodRow invite{"INVITE", 20, 21, {20, 18, 0, 1, 1, 0}, {41, 18, 0, 0, 2, 0}};
  s.methods_by_realm = {{"access", {invite}}, {"core", {}}};
  s.sip_counters = {{"Calls attempted", 20}, {"Calls answered", 18}, {"Calls failed", 1}, {"Calls cancelled", 1}};
  s.transfer_counters = {{"Transfers started", 3}, {"Transfers succeeded", 2}, {"Transfers failed", 1}};
  s.call_setup = mgmt::Histogram({0.1, 1});
  for (double v : {0.05, 0.5, 0.5, 3.0}) s.call_setup.observe(v);
  s.agents = {{"pbx", "core", "10.0.0.1:5060", "in-service", 3, 0, 20, 40, 1},
              {"old", "core", "10.0.0.2:5060", "out-of-service", 0, 0, 0, 10, 10}};
  s.admission = {{"access", false, 100, 7, 50, 1, 0, 3}};
  s.denied = {{"access", "10.0.0.66", 20, 50}};
  s.media.enabled = true;
  s.media.flows_active = 12;
  s.ports = {{"access0", "", "pal-access0", true, 100, 90, 5, 5, 85, 17000, {{"wrong_source", 5}}}};
  return s;
}

bool has(const std::string& text, const std::string& line) { return text.find("\n" + line + "\n") != std::string::npos; }

TEST(MetricsFamilies, CarryTheSnapshotsNumbersWithBoundedLabels) {
  const std::string t = "\n" + text(families(sample()));
  EXPECT_TRUE(has(t, "palisade_build_info{version=\"1.2.3\"} 1")) << t;
  EXPECT_TRUE(has(t, "palisade_config_version 4"));
  EXPECT_TRUE(has(t, "palisade_config_activations_total 2"));
  EXPECT_TRUE(has(t, "palisade_sip_requests_total{direction=\"in\",method=\"INVITE\",realm=\"access\"} 20"));
  EXPECT_TRUE(has(t, "palisade_sip_requests_total{direction=\"out\",method=\"INVITE\",realm=\"access\"} 21"));
  EXPECT_TRUE(has(t, "palisade_sip_responses_total{class=\"2xx\",direction=\"in\",method=\"INVITE\",realm=\"access\"} 18"));
  EXPECT_TRUE(has(t, "palisade_sip_responses_total{class=\"5xx\",direction=\"out\",method=\"INVITE\",realm=\"access\"} 2"));
  EXPECT_TRUE(has(t, "palisade_calls_active 3"));
  EXPECT_TRUE(has(t, "palisade_calls_attempted_total 20"));
  EXPECT_TRUE(has(t, "palisade_calls_failed_total{reason=\"cancelled\"} 1"));
  EXPECT_TRUE(has(t, "palisade_sip_transactions_active 2"));
  EXPECT_TRUE(has(t, "palisade_transfers_total{mode=\"performed\",result=\"succeeded\"} 2"));
  EXPECT_TRUE(has(t, "palisade_session_agent_up{agent=\"old\",realm=\"core\"} 0"));
  EXPECT_TRUE(has(t, "palisade_session_agent_pings_unanswered_total{agent=\"old\",realm=\"core\"} 10"));
  EXPECT_TRUE(has(t, "palisade_media_flows_active 12"));
  EXPECT_TRUE(has(t, "palisade_admission_messages_total{realm=\"access\",verdict=\"rate_limited\"} 7"));
  EXPECT_TRUE(has(t, "palisade_admission_messages_total{realm=\"access\",verdict=\"denied\"} 50"));
  EXPECT_TRUE(has(t, "palisade_admission_denied_sources{realm=\"access\"} 1"));
  EXPECT_TRUE(has(t, "palisade_port_dropped_packets_total{port=\"access0\",reason=\"wrong_source\"} 5"));
  EXPECT_TRUE(has(t, "palisade_port_relayed_packets_total{port=\"access0\"} 85"));
  EXPECT_TRUE(has(t, "palisade_port_relayed_bytes_total{port=\"access0\"} 17000"));
  // Cumulative buckets, then +Inf, count and sum.
  EXPECT_TRUE(has(t, "palisade_call_setup_seconds_bucket{le=\"0.1\"} 1"));
  EXPECT_TRUE(has(t, "palisade_call_setup_seconds_bucket{le=\"1\"} 3"));
  EXPECT_TRUE(has(t, "palisade_call_setup_seconds_bucket{le=\"+Inf\"} 4"));
  EXPECT_TRUE(has(t, "palisade_call_setup_seconds_count 4"));
}

TEST(MetricsFamilies, NamesFollowPrometheusConventions) {
  std::set<std::string> names;
  for (const auto& f : families(sample())) {
    EXPECT_TRUE(std::regex_match(f.name, std::regex("palisade_[a-z_]+"))) << f.name;
    EXPECT_TRUE(names.insert(f.name).second) << "twice: " << f.name;
    EXPECT_FALSE(f.help.empty()) << f.name;
    const bool total = f.name.size() > 6 && f.name.substr(f.name.size() - 6) == "_total";
    EXPECT_EQ(total, f.type == prometheus::MetricType::Counter) << f.name;
  }
}

std::string read(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << path;
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(MetricsFamilies, EveryFamilyIsDocumented) {
  const std::string doc = read(std::string(PALISADE_DOCS_DIR) + "/metrics.md");
  for (const auto& f : families(sample()))
    EXPECT_NE(doc.find("| `" + f.name + "` |"), std::string::npos) << f.name << " is missing from docs/metrics.md";
}

TEST(MetricsFamilies, TheGrafanaDashboardQueriesOnlyFamiliesThatExist) {
  std::set<std::string> names;
  for (const auto& f : families(sample())) names.insert(f.name);
  const std::string dash = read(std::string(PALISADE_DOCS_DIR) + "/grafana-dashboard.json");
  const std::regex metric("palisade_[a-z_]+");
  std::size_t used = 0;
  for (auto it = std::sregex_iterator(dash.begin(), dash.end(), metric); it != std::sregex_iterator(); ++it, ++used) {
    std::string n = it->str();
    for (const char* suffix : {"_bucket", "_count", "_sum"})
      if (!names.count(n) && n.size() > std::strlen(suffix) && n.ends_with(suffix)) n.resize(n.size() - std::strlen(suffix));
    EXPECT_TRUE(names.count(n)) << it->str() << " in docs/grafana-dashboard.json is no family";
  }
  EXPECT_GT(used, 20u);
}

TEST(MetricsFamilies, WithoutTheFastPathNoPortFamilies) {
  mgmt::Status s = sample();
  s.media = {};
  const std::string t = text(families(s));
  EXPECT_NE(t.find("palisade_media_enabled 0"), std::string::npos);
  EXPECT_EQ(t.find("palisade_port_"), std::string::npos);
}

}  // namespace
}  // namespace palisade::metrics
