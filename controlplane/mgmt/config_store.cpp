#include "mgmt/config_store.hpp"

#include "config/config_writer.hpp"

namespace palisade::mgmt {

bool same_config(const config::Config& a, const config::Config& b) {
  config::Config x = a, y = b;
  x.version = y.version = 0;
  return config::write_config(x) == config::write_config(y);
}

ConfigStore::ConfigStore(const config::Config& running, std::string file, Saver save, Activator activate)
    : candidate_(running), saved_(running), running_(running), file_(std::move(file)), save_(std::move(save)),
      activate_(std::move(activate)) {}

bool ConfigStore::unsaved() const { return !same_config(candidate_, saved_); }
bool ConfigStore::unactivated() const { return saved_.version != running_.version || !same_config(saved_, running_); }

namespace {
std::string problem_lines(const std::vector<config::ConfigProblem>& problems) {
  std::string out;
  for (const auto& p : problems) out += "  " + (p.where.empty() ? std::string() : p.where + ": ") + p.reason + "\n";
  return out;
}
}  // namespace

Reply ConfigStore::verify_config() const {
  const auto problems = verify();
  if (problems.empty()) return {"Verification successful: the candidate configuration has no problems.\n", true};
  return {"Verification found " + std::to_string(problems.size()) + " problem" + (problems.size() == 1 ? "" : "s") +
              ":\n" + problem_lines(problems),
          false};
}

Reply ConfigStore::save_config() {
  const auto problems = verify();
  if (!problems.empty())
    return {"save-config refused; nothing was written. Problems:\n" + problem_lines(problems), false};
  if (!unsaved() && saved_.version > 0)
    return {"Nothing to save: the candidate is saved version " + std::to_string(saved_.version) + ".\n", true};
  config::Config next = candidate_;
  next.version = saved_.version + 1;
  if (auto err = save_(config::write_config(next))) return {"save-config failed: " + *err + "\n", false};
  saved_ = next;
  candidate_.version = next.version;
  std::string text = "Saved configuration version " + std::to_string(next.version) + " to " + file_ + ".\n";
  if (unactivated())
    text += "The running configuration is version " + std::to_string(running_.version) +
            "; activate-config applies version " + std::to_string(next.version) + ".\n";
  return {text, true};
}

Reply ConfigStore::activate_config() {
  if (!unactivated())
    return {"Nothing to activate: version " + std::to_string(running_.version) + " is running.\n", true};
  const Activation a = activate_(saved_);
  if (a.error)
    return {"activate-config failed; version " + std::to_string(running_.version) + " stays running: " + *a.error + "\n",
            false};
  running_ = saved_;
  std::string text = "Activated configuration version " + std::to_string(running_.version) +
                     ": new calls use it; established calls keep their routes and media.\n";
  if (!a.note.empty()) text += a.note + "\n";
  if (unsaved()) text += "The candidate has changes not yet saved; they are not active.\n";
  return {text, true};
}

void ConfigStore::reloaded(const config::Config& cfg) { candidate_ = saved_ = running_ = cfg; }

}  // namespace palisade::mgmt
