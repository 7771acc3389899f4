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
