#include "config/config_file.hpp"

#include <libconfig.h++>

#include <array>
#include <cstdio>

namespace palisade::config {

namespace {

constexpr std::array<std::string_view, 5> kLevels{"debug", "info", "notice", "warning", "error"};

class Checker {
 public:
  Checker(std::string file) : file_(std::move(file)) {}

  LoadResult check(const libconfig::Config& cfg) {
    Config out;
    const libconfig::Setting& root = cfg.getRoot();
    for (int i = 0; i < root.getLength(); ++i) {
      const libconfig::Setting& s = root[i];
      const std::string name = s.getName();
      if (name == "system-config") system(s, out.system);
      else problem(s, name, "unknown element");
    }
    LoadResult r;
    r.problems = std::move(problems_);
    if (r.problems.empty()) r.config = std::move(out);
    return r;
  }

 private:
  void system(const libconfig::Setting& s, SystemConfig& sys) {
    if (!s.isGroup()) return problem(s, "system-config", "must be a group { ... }");
    for (int i = 0; i < s.getLength(); ++i) {
      const libconfig::Setting& a = s[i];
      const std::string name = a.getName();
      const std::string where = "system-config." + name;
      if (name == "hostname") {
        if (!string(a, where, sys.hostname)) continue;
        if (sys.hostname.empty() || sys.hostname.size() > 63 ||
            sys.hostname.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.") !=
                std::string::npos)
          problem(a, where, "must be 1-63 letters, digits, '-' or '.'");
      } else if (name == "description") {
        string(a, where, sys.description);
      } else if (name == "process-log-level") {
        std::string v;
        if (!string(a, where, v)) continue;
        auto lvl = log_level_from(v);
        if (!lvl) problem(a, where, "must be one of debug, info, notice, warning, error");
        else sys.process_log_level = *lvl;
      } else {
        problem(a, where, "unknown attribute");
      }
    }
  }

  bool string(const libconfig::Setting& a, const std::string& where, std::string& out) {
    if (a.getType() != libconfig::Setting::TypeString) {
      problem(a, where, "must be a string in double quotes");
      return false;
    }
    out = static_cast<const char*>(a);
    return true;
  }

  void problem(const libconfig::Setting& s, std::string where, std::string reason) {
    problems_.push_back({file_, static_cast<int>(s.getSourceLine()), std::move(where), std::move(reason)});
  }

  std::string file_;
  std::vector<ConfigProblem> problems_;
};

LoadResult load(libconfig::Config& cfg, const std::string& file, auto&& read) {
  try {
    read();
  } catch (const libconfig::ParseException& e) {
    return {std::nullopt, {{file, e.getLine(), "", e.getError()}}};
  } catch (const libconfig::FileIOException&) {
    return {std::nullopt, {{file, 0, "", "cannot read the file"}}};
  }
  return Checker(file).check(cfg);
}

}  // namespace

std::optional<LogLevel> log_level_from(std::string_view name) {
  for (std::size_t i = 0; i < kLevels.size(); ++i)
    if (kLevels[i] == name) return static_cast<LogLevel>(i);
  return std::nullopt;
}

std::string_view log_level_name(LogLevel level) { return kLevels[static_cast<std::size_t>(level)]; }

std::string ConfigProblem::str() const {
  std::string s = file + ":" + std::to_string(line) + ": ";
  if (!where.empty()) s += where + ": ";
  return s + reason;
}

LoadResult load_config_file(const std::string& path) {
  libconfig::Config cfg;
  return load(cfg, path, [&] { cfg.readFile(path.c_str()); });
}

LoadResult load_config_text(const std::string& text, const std::string& name) {
  libconfig::Config cfg;
  return load(cfg, name, [&] { cfg.readString(text); });
}

}  // namespace palisade::config
