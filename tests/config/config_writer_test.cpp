// save-config writes what loads back: every shipped configuration survives write -> load
// unchanged, and the file is replaced atomically with numbered backups.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "config/config_file.hpp"
#include "config/config_writer.hpp"

namespace palisade::config {
namespace {

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(ConfigWriter, EveryShippedConfigurationRoundTrips) {
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(PALISADE_CONF_DIR)) {
    if (e.path().extension() != ".cfg") continue;
    auto first = load_config_file(e.path());
    ASSERT_TRUE(first.config) << e.path();
    const std::string text = write_config(*first.config);
    auto second = load_config_text(text, "written");
    ASSERT_TRUE(second.config) << e.path() << ": " << (second.problems.empty() ? "" : second.problems[0].str()) << "\n" << text;
    EXPECT_EQ(write_config(*second.config), text) << e.path();
    ++files;
  }
  EXPECT_GE(files, 3);
}

TEST(ConfigWriter, KeepsValuesThatNeedQuotingAndTheVersion) {
  Config c;
  c.version = 42;
  c.system.description = "a \"quoted\" \\ value";
  auto back = load_config_text(write_config(c), "w");
  ASSERT_TRUE(back.config);
  EXPECT_EQ(back.config->version, 42u);
  EXPECT_EQ(back.config->system.description, c.system.description);
}

TEST(ConfigWriter, SaveReplacesTheFileAndKeepsNumberedBackups) {
  const auto dir = std::filesystem::temp_directory_path() / ("palisade-save-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "sbc.cfg").string();
  for (int i = 1; i <= 4; ++i) ASSERT_FALSE(save_config_file(path, "v" + std::to_string(i), 2));
  EXPECT_EQ(read(path), "v4");
  EXPECT_EQ(read(path + ".1"), "v3");
  EXPECT_EQ(read(path + ".2"), "v2");
  EXPECT_FALSE(std::filesystem::exists(path + ".3"));
  EXPECT_FALSE(std::filesystem::exists(path + ".new"));
  auto err = save_config_file((dir / "missing" / "x.cfg").string(), "v", 2);
  ASSERT_TRUE(err);
  EXPECT_NE(err->find("cannot write"), std::string::npos);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace palisade::config
