// Loading the libconfig file through the schema, then verifying the whole. Every problem names
// file, line, element[key] and attribute, so an admin can go straight to it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/model.hpp"
#include "config/schema.hpp"

namespace palisade::config {

struct ConfigProblem {
  std::string file;
  int line = 0;
  std::string where;  // "realm-config[core].network-interfaces", or "" for a syntax error
  std::string reason;
  std::string str() const;  // "FILE:LINE: where: reason"
};

struct LoadResult {
  std::optional<Config> config;  // set only when there is no problem
  std::vector<ConfigProblem> problems;
};

LoadResult load_config_file(const std::string& path);
LoadResult load_config_text(const std::string& text, const std::string& name);

// The rules that span elements: names unique, references resolve, SIP ports on the realm's
// own addresses, policies that can route. Problems carry `file` as given.
std::vector<ConfigProblem> verify(const Config& config, const std::string& file);

}  // namespace palisade::config
