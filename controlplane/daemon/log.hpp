// One line per event on stderr, "<level> <component>: <text>", which journald stores as is.
#pragma once

#include <string_view>

#include "config/config_file.hpp"

namespace palisade::log {

void set_level(config::LogLevel level);
void write(config::LogLevel level, std::string_view component, std::string_view text);

inline void info(std::string_view c, std::string_view t) { write(config::LogLevel::Info, c, t); }
inline void notice(std::string_view c, std::string_view t) { write(config::LogLevel::Notice, c, t); }
inline void warning(std::string_view c, std::string_view t) { write(config::LogLevel::Warning, c, t); }
inline void error(std::string_view c, std::string_view t) { write(config::LogLevel::Error, c, t); }

}  // namespace palisade::log
