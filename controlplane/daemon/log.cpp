#include "daemon/log.hpp"

#include <cstdio>
#include <string>

namespace palisade::log {

namespace {
config::LogLevel g_level = config::LogLevel::Info;
}

void set_level(config::LogLevel level) { g_level = level; }

void write(config::LogLevel level, std::string_view component, std::string_view text) {
  if (level < g_level) return;
  std::string line;
  line.append(config::log_level_name(level)).append(" ").append(component).append(": ").append(text).append("\n");
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace palisade::log
