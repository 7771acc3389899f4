// Loading and checking the libconfig file. This model is only `system-config`; the
// elements of the B2BUA (realm-config, session-agent, ...) join it with their issue. Every
// problem names file, line, element and attribute, so an admin can go straight to it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace palisade::config {

enum class LogLevel { Debug, Info, Notice, Warning, Error };
std::optional<LogLevel> log_level_from(std::string_view name);
std::string_view log_level_name(LogLevel level);

struct SystemConfig {
  std::string hostname = "palisade";  // shown in the ACLI prompt
  std::string description;
  LogLevel process_log_level = LogLevel::Info;
};

struct Config {
  SystemConfig system;
};

struct ConfigProblem {
  std::string file;
  int line = 0;
  std::string where;  // "system-config.hostname", or "" for a syntax error
  std::string reason;
  std::string str() const;  // "FILE:LINE: where: reason"
};

struct LoadResult {
  std::optional<Config> config;  // set only when there is no problem
  std::vector<ConfigProblem> problems;
};

LoadResult load_config_file(const std::string& path);
LoadResult load_config_text(const std::string& text, const std::string& name);

}  // namespace palisade::config
