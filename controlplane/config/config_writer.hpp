// Writing a configuration back as a libconfig file (the ACLI's save-config), through the same
// schema the loader reads with, so what is written loads back to the same configuration.
#pragma once

#include <optional>
#include <string>

#include "config/model.hpp"

namespace palisade::config {

// The whole configuration as libconfig text; attributes at their defaults are left out.
std::string write_config(const Config& config);

// Writes `text` to `path` atomically (a temporary file, fsync, rename) after moving the
// previous file to path.1 (path.1 to path.2, ... keeping `backups`). nullopt, or why not.
std::optional<std::string> save_config_file(const std::string& path, const std::string& text, int backups);

}  // namespace palisade::config
