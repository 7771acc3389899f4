// The configuration the ACLI works on, shared by every session: the candidate admins edit, the
// last saved configuration (the current version) and the running one. save-config verifies the
// candidate and writes it through `save`; activate-config hands the saved configuration to
// `activate`, which applies it live (new calls use it; established calls keep what they have).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "config/config_file.hpp"
#include "config/model.hpp"

namespace palisade::mgmt {

struct Reply {
  std::string text;
  bool ok = true;
};

class ConfigStore {
 public:
  using Saver = std::function<std::optional<std::string>(const std::string& text)>;      // nullopt or why not
  struct Activation {
    std::optional<std::string> error;  // set: nothing was applied
    std::string note;                  // what applies only after a restart, if anything
  };
  using Activator = std::function<Activation(const config::Config& cfg)>;

  ConfigStore(const config::Config& running, std::string file, Saver save, Activator activate);

  config::Config& candidate() { return candidate_; }
  const config::Config& candidate() const { return candidate_; }
  const config::Config& saved() const { return saved_; }
  const config::Config& running() const { return running_; }
  const std::string& file() const { return file_; }
  std::uint32_t current_version() const { return saved_.version; }
  std::uint32_t running_version() const { return running_.version; }
  bool unsaved() const;      // the candidate differs from what was saved
  bool unactivated() const;  // what was saved differs from what runs

  std::vector<config::ConfigProblem> verify() const { return config::verify(candidate_, file_); }
  Reply verify_config() const;
  Reply save_config();
  Reply activate_config();
  // The daemon loaded the file itself (SIGHUP) and runs it: every copy becomes that.
  void reloaded(const config::Config& cfg);

 private:
  config::Config candidate_, saved_, running_;
  std::string file_;
  Saver save_;
  Activator activate_;
};

// Two configurations say the same (versions and source lines aside).
bool same_config(const config::Config& a, const config::Config& b);

}  // namespace palisade::mgmt
