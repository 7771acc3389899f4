#include <gtest/gtest.h>

#include "config/config_file.hpp"

namespace palisade::config {
namespace {

TEST(ConfigFile, LoadsSystemConfig) {
  auto r = load_config_text(
      "system-config = {\n  hostname = \"sbc-east-1\";\n  description = \"lab\";\n"
      "  process-log-level = \"debug\";\n};\n",
      "test.cfg");
  ASSERT_TRUE(r.config) << (r.problems.empty() ? "" : r.problems[0].str());
  EXPECT_EQ(r.config->system.hostname, "sbc-east-1");
  EXPECT_EQ(r.config->system.description, "lab");
  EXPECT_EQ(r.config->system.process_log_level, LogLevel::Debug);
}

TEST(ConfigFile, DefaultsWhenEmpty) {
  auto r = load_config_text("", "empty.cfg");
  ASSERT_TRUE(r.config);
  EXPECT_EQ(r.config->system.hostname, "palisade");
  EXPECT_EQ(r.config->system.process_log_level, LogLevel::Info);
}

TEST(ConfigFile, ProblemsNameFileLineAndAttribute) {
  auto r = load_config_text(
      "system-config = {\n  hostname = \"bad host\";\n  process-log-level = \"loud\";\n  colour = 1;\n};\n"
      "realm-confg = {};\n",
      "bad.cfg");
  EXPECT_FALSE(r.config);
  ASSERT_EQ(r.problems.size(), 4u);
  EXPECT_EQ(r.problems[0].str(), "bad.cfg:2: system-config.hostname: must be 1-63 letters, digits, '-', '_' or '.'");
  EXPECT_EQ(r.problems[1].str(), "bad.cfg:3: system-config.process-log-level: must be one of debug, info, notice, warning, error");
  EXPECT_EQ(r.problems[2].str(), "bad.cfg:4: system-config.colour: unknown attribute");
  EXPECT_EQ(r.problems[3].str(), "bad.cfg:6: realm-confg: unknown element");
}

TEST(ConfigFile, SyntaxErrorsCarryTheLine) {
  auto r = load_config_text("system-config = {\n  hostname = \"x\";\n  description = ;\n};\n", "syntax.cfg");
  EXPECT_FALSE(r.config);
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].file, "syntax.cfg");
  EXPECT_EQ(r.problems[0].line, 3);
  EXPECT_NE(r.problems[0].reason.find("syntax error"), std::string::npos);
}

TEST(ConfigFile, MissingFile) {
  auto r = load_config_file("/nonexistent/palisade.cfg");
  EXPECT_FALSE(r.config);
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].str(), "/nonexistent/palisade.cfg:0: cannot read the file");
}

}  // namespace
}  // namespace palisade::config

namespace palisade::config {
namespace {

constexpr const char* kFastPath =
    "media-manager = { state = true; worker-lcore = 1; memory-mb = 128; };\n"
    "phy-interface = ( { name = \"access0\"; device = \"net_af_packet0,iface=eth1\"; } );\n"
    "network-interface = ( { name = \"access0\"; ip-address = \"10.0.0.1\"; netmask = \"255.255.255.0\"; } );\n";

TEST(FastPathConfig, LoadsMediaManagerAndPhyInterfaces) {
  auto r = load_config_text(kFastPath, "fp.cfg");
  ASSERT_TRUE(r.config) << (r.problems.empty() ? "" : r.problems[0].str());
  EXPECT_TRUE(r.config->media_manager.state);
  EXPECT_EQ(r.config->media_manager.memory_mb, 128u);
  EXPECT_EQ(r.config->media_manager.mbufs, 8191u);  // the default
  ASSERT_EQ(r.config->phy_interfaces.size(), 1u);
  EXPECT_EQ(r.config->phy_interfaces[0].device, "net_af_packet0,iface=eth1");
}

TEST(FastPathConfig, EveryMistakeIsNamedWithItsLine) {
  auto r = load_config_text(
      "media-manager = { state = true; main-lcore = 1; worker-lcore = 1; memory-mb = 64; mbufs = 100000; };\n"
      "phy-interface = ( { name = \"access0\"; },\n"
      "                  { name = \"core0\"; device = \"net_null0\"; exception-interface = \"a-very-long-tap-name\"; },\n"
      "                  { name = \"spare\"; device = \"net_null1\"; } );\n"
      "network-interface = ( { name = \"access0\"; ip-address = \"10.0.0.1\"; },\n"
      "                      { name = \"core0\"; ip-address = \"2001:db8::1\"; } );\n",
      "fp.cfg");
  EXPECT_FALSE(r.config);
  std::vector<std::string> got;
  for (const auto& p : r.problems) got.push_back(p.str());
  EXPECT_EQ(got, (std::vector<std::string>{
                     "fp.cfg:1: media-manager.worker-lcore: must differ from main-lcore",
                     "fp.cfg:1: media-manager.memory-mb: mbufs and max-flows need about 272 MB",
                     "fp.cfg:2: phy-interface[access0].device: is required (DPDK devargs, e.g. \"net_af_packet0,iface=eth1\")",
                     "fp.cfg:3: phy-interface[core0].exception-interface: 'a-very-long-tap-name' is longer than a Linux interface name (15)",
                     "fp.cfg:3: phy-interface[core0].name: the tap takes an IPv4 network-interface address",
                     "fp.cfg:4: phy-interface[spare].name: no network-interface of that name gives the port its address",
                 }));
}

TEST(FastPathConfig, DisabledNeedsNoPorts) {
  auto r = load_config_text("media-manager = { state = false; };\n", "fp.cfg");
  EXPECT_TRUE(r.config);
  r = load_config_text("media-manager = { state = true; };\n", "fp.cfg");
  ASSERT_FALSE(r.config);
  EXPECT_EQ(r.problems[0].str(), "fp.cfg:1: media-manager.state: enabled, but no phy-interface is configured");
}

}  // namespace
}  // namespace palisade::config
