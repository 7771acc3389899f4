// One ACLI session: the modes an admin moves through (user, superuser, configure, a configure
// submode, an element and its sub-elements), the commands of each, abbreviation to a unique
// prefix, `?` help and TAB completion. Pure: lines in, text out; the management server carries
// it over a Unix socket and `acli` puts it on a terminal.
#pragma once

#include <any>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mgmt/catalog.hpp"
#include "mgmt/config_store.hpp"
#include "mgmt/status.hpp"

namespace palisade::mgmt {

struct Word {
  std::string name;  // "<number 0-127>" for a value the admin types (offered by `?`, not TAB)
  std::string help;
  bool placeholder() const { return !name.empty() && name[0] == '<'; }
};

class Session {
 public:
  Session(ConfigStore& store, const StatusSource& status);

  // Runs one line; a line ending in "?" answers help for what precedes it.
  Reply execute(std::string_view line);
  std::string prompt() const;
  bool wants_secret() const { return pending_ == Pending::Password; }  // the next line is not echoed
  bool closed() const { return closed_; }

  // TAB: the words that may replace the line's last (partial) word; one means complete it.
  std::vector<std::string> complete(std::string_view line) const;
  // `?`: what may follow, a word per line with its help.
  std::string help(std::string_view line) const;

 private:
  enum class Mode { User, Super, Configure, Path, Element };
  enum class Pending { None, Password, Select, Delete, SaveChanges };
  struct Frame {
    const ElementKind* kind;
    std::any value;
    std::optional<std::size_t> index;  // which stored instance this is; nullopt = new
    bool dirty = false;
  };

  std::vector<Word> words(const std::vector<std::string>& before) const;
  std::vector<Word> first_words() const;
  std::vector<Word> value_words(const AttrInfo& a) const;
  std::vector<Word> show_words(const std::vector<std::string>& after_show) const;
  std::vector<Word> label_words(const ElementKind& k, const void* owner) const;
  std::vector<Word> traced_call_words() const;

  Reply run(const std::vector<std::string>& tokens);
  Reply answer_pending(std::string_view line);
  Reply show(const std::vector<std::string>& args) const;
  Reply call_flow(const std::vector<std::string>& args) const;  // show sipd call-flow ...
  Reply save_call_flow(const std::vector<std::string>& args) const;
  // A traced call by index or Call-ID, or nullptr with the refusal to give.
  const trace::TracedCall* traced_call(const std::string& which, Reply* refusal) const;
  Reply set_attribute(const AttrInfo& a, const std::vector<std::string>& args);
  Reply enter(const ElementKind& k);
  Reply done();
  Reply leave_element();
  Reply choose(const ElementKind& k, const std::string& prefix, Pending action);
  Reply select_index(std::size_t i);
  Reply delete_index(std::size_t i);

  void* owner_of_top();  // where the edited element is stored: the candidate or the parent's value
  const void* owner_of_top() const;
  const config::Config& cfg() const { return store_.candidate(); }

  ConfigStore& store_;
  const StatusSource& status_;
  Mode mode_ = Mode::User;
  std::string path_;
  std::vector<Frame> frames_;
  Pending pending_ = Pending::None;
  const ElementKind* choosing_ = nullptr;  // Select/Delete: of this kind
  void* choosing_owner_ = nullptr;
  std::vector<std::size_t> choices_;
  bool closed_ = false;
};

// Splits a command line into words; "double quotes" keep spaces and may be empty.
std::vector<std::string> tokenize(std::string_view line, bool* open_quote = nullptr);

// The word `typed` abbreviates among `words` (exact match first, else a unique prefix), or why not.
struct Resolved {
  std::string word;
  std::string error;  // "" when resolved
};
Resolved resolve(std::string_view typed, const std::vector<Word>& words, std::string_view what);

// How an element instance is shown: its attributes, then its sub-elements, indented.
std::string render(const ElementKind& k, const std::any& v, int depth = 0);
// `show configuration` / `show running-config`: every element, or one kind, or one instance.
std::string render_config(const config::Config& cfg, std::string_view element, std::string_view label);

// crypt(3) with a random SHA-512 salt; and its check.
std::string hash_password(const std::string& plain);
bool check_password(const std::string& plain, const std::string& hash);

}  // namespace palisade::mgmt
