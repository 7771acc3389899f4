#include "mgmt/shell.hpp"

#include <crypt.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "trace/ladder.hpp"

namespace palisade::mgmt {

namespace {

using config::AttrType;

const std::vector<Word> kShowWords{
    {"version", "the software version and uptime"},
    {"health", "a summary: calls, session agents, fast-path ports"},
    {"sipd", "SIP sessions, dialogs, transactions, messages by method"},
    {"mbcd", "media: anchored streams, flows, latching, drops"},
    {"interfaces", "fast-path ports: link, rx/tx, punted to the kernel, dropped"},
    {"configuration", "the candidate configuration (being edited)"},
    {"running-config", "the configuration that runs"},
};

const std::vector<Word> kSipdWords{
    {"agents", "session agents: state, active sessions, totals"},
    {"calls", "active calls with both legs"},
    {"transfers", "transfers in progress and their counts"},
    {"call-flow", "recent calls' SIP messages: the list, or one call's ladder diagram"},
    {"acls", "admission by realm: messages admitted and dropped, sources denied"},
    {"realms", "calls by realm, in and out, against its session-constraints"},
};

std::string pad(std::string s, std::size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  else s += ' ';
  return s;
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

std::vector<Word> element_words(const std::vector<const ElementKind*>& kinds) {
  std::vector<Word> out;
  for (const auto* k : kinds) out.push_back({std::string(k->name), std::string(k->help)});
  return out;
}

}  // namespace

// ---- words -------------------------------------------------------------------------------

std::vector<std::string> tokenize(std::string_view line, bool* open_quote) {
  std::vector<std::string> out;
  std::string cur;
  bool in_word = false, quoted = false;
  for (char c : line) {
    if (quoted) {
      if (c == '"') quoted = false;
      else cur += c;
    } else if (c == '"') {
      quoted = in_word = true;
    } else if (c == ' ' || c == '\t') {
      if (in_word) out.push_back(std::move(cur)), cur.clear(), in_word = false;
    } else {
      cur += c;
      in_word = true;
    }
  }
  if (in_word) out.push_back(std::move(cur));
  if (open_quote) *open_quote = quoted;
  return out;
}

Resolved resolve(std::string_view typed, const std::vector<Word>& words, std::string_view what) {
  std::vector<std::string> matches;
  for (const auto& w : words) {
    if (w.placeholder()) continue;
    if (w.name == typed) return {w.name, ""};
    if (starts_with(w.name, typed)) matches.push_back(w.name);
  }
  if (matches.size() == 1) return {matches[0], ""};
  if (matches.empty()) return {"", "% unknown " + std::string(what) + " '" + std::string(typed) + "'"};
  std::string all;
  for (const auto& m : matches) all.append(all.empty() ? "" : ", ").append(m);
  return {"", "% ambiguous " + std::string(what) + " '" + std::string(typed) + "': " + all};
}

Session::Session(ConfigStore& store, const StatusSource& status) : store_(store), status_(status) {}

std::vector<Word> Session::first_words() const {
  std::vector<Word> w;
  switch (mode_) {
    case Mode::User:
      w = {{"enable", "enter superuser mode"}, {"show", "show the system's state"}, {"exit", "close the session"}};
      break;
    case Mode::Super:
      w = {{"configure", "configure terminal: edit the candidate configuration"},
           {"show", "show the system's state or its configuration"},
           {"verify-config", "check the candidate configuration, naming each problem"},
           {"save-config", "verify and save the candidate (the previous file is kept as a backup)"},
           {"activate-config", "apply the saved configuration live"},
           {"display-running-cfg-version", "the version of the running configuration"},
           {"display-current-cfg-version", "the version of the saved configuration"},
           {"save-call-flow", "save-call-flow INDEX|CALL-ID FILE: write a traced call as a pcap file"},
           {"exit", "close the session"}};
      break;
    case Mode::Configure:
      w = {{"media-manager", "media: realms, steering pools, the fast path"},
           {"session-router", "SIP: interfaces, session agents, local policy, timers"},
           {"system", "the system: host name, network and phy interfaces"},
           {"show", "show the system's state or its configuration"},
           {"exit", "back to superuser mode"}};
      break;
    case Mode::Path:
      w = element_words(kinds_under(path_));
      w.push_back({"no", "delete an element instance"});
      w.push_back({"show", "show the system's state or its configuration"});
      w.push_back({"exit", "back to configure mode"});
      break;
    case Mode::Element: {
      const ElementKind& k = *frames_.back().kind;
      for (const auto& a : k.attrs) w.push_back({std::string(a.name), std::string(a.help)});
      for (const auto* c : children_of(k.name)) w.push_back({std::string(c->name), std::string(c->help)});
      w.push_back({"select", "pick a stored instance to change"});
      w.push_back({"no", "delete a stored instance"});
      w.push_back({"show", "show the instance being edited"});
      w.push_back({"done", "store the instance in the candidate configuration"});
      w.push_back({"exit", "leave the element (asks to save changes)"});
      break;
    }
  }
  return w;
}

std::vector<Word> Session::value_words(const AttrInfo& a) const {
  std::vector<Word> out;
  if (a.type == AttrType::Flag || a.type == AttrType::Choice) {
    for (auto w : a.words) out.push_back({std::string(w), ""});
    return out;
  }
  if (!a.refers_to.empty())
    for (auto& key : keys_of(cfg(), a.refers_to)) out.push_back({key, "a " + std::string(a.refers_to)});
  std::string type(config::type_name(a.type));
  if (a.type == AttrType::Number) type += " " + std::to_string(a.min) + "-" + std::to_string(a.max);
  if (a.type == AttrType::List) type += "; +name adds, -name removes";
  if (a.type == AttrType::Secret) type = "password";
  out.push_back({"<" + type + ">", std::string(a.help)});
  return out;
}

std::vector<Word> Session::label_words(const ElementKind& k, const void* owner) const {
  std::vector<Word> out;
  for (std::size_t i = 0; i < k.count(owner); ++i) {
    std::string label = k.label(k.at(owner, i));
    // A label with spaces is matched by its first word: complete that.
    out.push_back({label.substr(0, label.find(' ')), label});
  }
  return out;
}

std::vector<Word> Session::show_words(const std::vector<std::string>& after) const {
  if (after.empty()) return kShowWords;
  auto what = resolve(after[0], kShowWords, "show command");
  if (!what.error.empty() || after.size() > (what.word == "sipd" ? 3 : 2)) return {};
  if (what.word == "sipd") {
    if (after.size() == 1) return kSipdWords;
    auto sub = resolve(after[1], kSipdWords, "show sipd command");
    return sub.word == "call-flow" ? traced_call_words() : std::vector<Word>{};
  }
  if (what.word != "configuration" && what.word != "running-config") return {};
  std::vector<Word> elements;
  for (const auto& k : catalog())
    if (k.parent.empty()) elements.push_back({std::string(k.name), std::string(k.help)});
  if (after.size() == 1) return elements;
  auto el = resolve(after[1], elements, "element");
  if (!el.error.empty()) return {};
  const config::Config& c = what.word == "configuration" ? store_.candidate() : store_.running();
  return label_words(*find_kind(el.word), &c);
}

std::vector<Word> Session::words(const std::vector<std::string>& before) const {
  if (pending_ != Pending::None) return {};
  auto first = first_words();
  if (before.empty()) return first;
  auto cmd = resolve(before[0], first, "command");
  if (!cmd.error.empty()) return {};
  const std::vector<std::string> rest(before.begin() + 1, before.end());
  if (cmd.word == "show") return show_words(rest);
  if (cmd.word == "configure") return rest.empty() ? std::vector<Word>{{"terminal", "edit from this terminal"}} : std::vector<Word>{};
  if (mode_ == Mode::Path && cmd.word == "no") {
    auto kinds = element_words(kinds_under(path_));
    if (rest.empty()) return kinds;
    auto el = resolve(rest[0], kinds, "element");
    if (!el.error.empty() || rest.size() > 1) return {};
    return label_words(*find_kind(el.word), &cfg());
  }
  if (mode_ != Mode::Element) return {};
  const ElementKind& k = *frames_.back().kind;
  if (cmd.word == "select" || cmd.word == "no") return rest.empty() ? label_words(k, owner_of_top()) : std::vector<Word>{};
  if (const AttrInfo* a = k.attr(cmd.word)) {
    if (a->type == AttrType::List || rest.empty()) return value_words(*a);
  }
  return {};
}

std::vector<std::string> Session::complete(std::string_view line) const {
  bool open = false;
  auto tokens = tokenize(line, &open);
  std::string partial;
  if (!line.empty() && (line.back() != ' ' || open) && !tokens.empty()) {
    partial = tokens.back();
    tokens.pop_back();
  }
  std::vector<std::string> out;
  for (const auto& w : words(tokens))
    if (!w.placeholder() && starts_with(w.name, partial) && std::find(out.begin(), out.end(), w.name) == out.end())
      out.push_back(w.name);
  return out;
}

std::string Session::help(std::string_view line) const {
  auto tokens = tokenize(line);
  std::string partial;
  if (!line.empty() && line.back() != ' ' && !tokens.empty()) {
    partial = tokens.back();
    tokens.pop_back();
  }
  std::string out;
  for (const auto& w : words(tokens)) {
    if (!w.placeholder() && !starts_with(w.name, partial)) continue;
    std::string l = "  " + pad(w.name, 28) + w.help;
    if (l.size() > 79) l = l.substr(0, 78) + "~";
    out += l + "\n";
  }
  if (out.empty()) out = partial.empty() ? "  <Enter>                     run the command\n" : "  % nothing matches '" + partial + "'\n";
  return out;
}

// ---- running commands ------------------------------------------------------------------

std::string Session::prompt() const {
  switch (pending_) {
    case Pending::Password: return "Password: ";
    case Pending::Select:
    case Pending::Delete: return "selection: ";
    case Pending::SaveChanges: return "Save changes? [y/n]?: ";
    case Pending::None: break;
  }
  const std::string host = store_.running().system.hostname;
  switch (mode_) {
    case Mode::User: return host + "> ";
    case Mode::Super: return host + "# ";
    case Mode::Configure: return host + "(configure)# ";
    case Mode::Path: return host + "(" + path_ + ")# ";
    case Mode::Element: return host + "(" + std::string(frames_.back().kind->prompt) + ")# ";
  }
  return host + "> ";
}

void* Session::owner_of_top() {
  if (frames_.size() <= 1) return &store_.candidate();
  Frame& parent = frames_[frames_.size() - 2];
  return parent.kind->object(parent.value);
}

const void* Session::owner_of_top() const {
  if (frames_.size() <= 1) return &store_.candidate();
  const Frame& parent = frames_[frames_.size() - 2];
  return parent.kind->cobject(parent.value);
}

Reply Session::execute(std::string_view line) {
  if (pending_ != Pending::None) return answer_pending(line);
  std::string text(line);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  if (!text.empty() && text.back() == '?') return {help(text.substr(0, text.size() - 1)), true};
  bool open = false;
  auto tokens = tokenize(text, &open);
  if (open) return {"% a quote is not closed", false};
  if (tokens.empty()) return {"", true};
  return run(tokens);
}

Reply Session::run(const std::vector<std::string>& tokens) {
  auto cmd = resolve(tokens[0], first_words(), "command");
  if (!cmd.error.empty()) return {cmd.error, false};
  const std::vector<std::string> args(tokens.begin() + 1, tokens.end());
  const std::string& c = cmd.word;

  if (c == "show" && !(mode_ == Mode::Element && args.empty())) return show(args);
  if (c == "exit") {
    switch (mode_) {
      case Mode::User:
      case Mode::Super: closed_ = true; return {"", true};
      case Mode::Configure: mode_ = Mode::Super; return {"", true};
      case Mode::Path: mode_ = Mode::Configure; return {"", true};
      case Mode::Element: return leave_element();
    }
  }
  switch (mode_) {
    case Mode::User:  // enable
      if (store_.running().system.enable_password.empty()) {
        mode_ = Mode::Super;
        return {"", true};
      }
      pending_ = Pending::Password;
      return {"", true};
    case Mode::Super:
      if (c == "configure") {
        if (args.size() != 1) return {"% configure terminal", false};
        auto t = resolve(args[0], {{"terminal", ""}}, "word");
        if (!t.error.empty()) return {t.error, false};
        mode_ = Mode::Configure;
        return {"", true};
      }
      if (c == "verify-config") return store_.verify_config();
      if (c == "save-config") return store_.save_config();
      if (c == "activate-config") return store_.activate_config();
      if (c == "display-running-cfg-version")
        return {"Running configuration version is " + std::to_string(store_.running_version()) + "\n", true};
      if (c == "display-current-cfg-version")
        return {"Current configuration version is " + std::to_string(store_.current_version()) + "\n", true};
      if (c == "save-call-flow") return save_call_flow(args);
      break;
    case Mode::Configure:
      if (!args.empty()) return {"% " + c + " takes no arguments", false};
      path_ = c;
      mode_ = Mode::Path;
      return {"", true};
    case Mode::Path:
      if (c == "no") {
        if (args.empty()) return {"% no <element> [name]", false};
        auto el = resolve(args[0], element_words(kinds_under(path_)), "element");
        if (!el.error.empty()) return {el.error, false};
        const ElementKind& k = *find_kind(el.word);
        if (k.single) return {"% " + std::string(k.prompt) + " has one instance: set its attributes instead", false};
        choosing_ = &k;
        choosing_owner_ = &store_.candidate();
        return choose(k, args.size() > 1 ? args[1] : "", Pending::Delete);
      }
      if (!args.empty()) return {"% " + c + " takes no arguments", false};
      return enter(*find_kind(c));
    case Mode::Element: {
      Frame& f = frames_.back();
      if (c == "show") return {render(*f.kind, f.value), true};
      if (c == "done") return done();
      if (c == "select" || c == "no") {
        if (f.kind->single) {
          if (c == "no") return {"% " + std::string(f.kind->prompt) + " has one instance: set its attributes instead", false};
          f.value = f.kind->at(owner_of_top(), 0), f.dirty = false;
          return {"", true};
        }
        choosing_ = f.kind;
        choosing_owner_ = owner_of_top();
        std::string prefix;
        for (const auto& a : args) prefix.append(prefix.empty() ? "" : " ").append(a);
        return choose(*f.kind, prefix, c == "select" ? Pending::Select : Pending::Delete);
      }
      if (const AttrInfo* a = f.kind->attr(c)) return set_attribute(*a, args);
      if (!args.empty()) return {"% " + c + " takes no arguments", false};
      return enter(*find_kind(c));  // a sub-element
    }
  }
  return {"% " + c + " is not available here", false};
}

Reply Session::enter(const ElementKind& k) {
  Frame f{&k, k.make(), std::nullopt, false};
  frames_.push_back(std::move(f));
  if (k.single) frames_.back().value = k.at(owner_of_top(), 0), frames_.back().index = 0;
  mode_ = Mode::Element;
  return {"", true};
}

Reply Session::set_attribute(const AttrInfo& a, const std::vector<std::string>& args) {
  Frame& f = frames_.back();
  const std::string where = "% " + std::string(f.kind->name) + " " + std::string(a.name) + ": ";
  config::Value value;
  if (a.type == AttrType::List) {
    std::vector<std::string> items;
    bool edits = !args.empty();
    for (const auto& arg : args) edits = edits && (arg[0] == '+' || arg[0] == '-') && arg.size() > 1;
    if (edits) items = f.kind->items(f.value, a.name);
    for (std::string arg : args) {
      if (arg == "(" || arg == ")") continue;
      if (arg.front() == '(') arg.erase(0, 1);
      if (!arg.empty() && arg.back() == ')') arg.pop_back();
      if (arg.empty()) continue;
      if (edits && arg[0] == '-') {
        auto it = std::find(items.begin(), items.end(), arg.substr(1));
        if (it == items.end()) return {where + arg.substr(1) + " is not in the list", false};
        items.erase(it);
      } else {
        items.push_back(edits ? arg.substr(1) : arg);
      }
    }
    value = items;
  } else {
    if (args.size() != 1)
      return {where + (args.empty() ? "needs a value" : "takes one value (quote a value with spaces)"), false};
    std::string v = args[0];
    if (a.type == AttrType::Flag || a.type == AttrType::Choice) {
      std::vector<Word> ws;
      for (auto w : a.words) ws.push_back({std::string(w), ""});
      auto r = resolve(v, ws, "value");
      if (!r.error.empty()) {
        std::string all;
        for (auto w : a.words) all.append(all.empty() ? "" : ", ").append(w);
        return {where + "must be one of " + all, false};
      }
      v = r.word;
    }
    if (a.type == AttrType::Secret && !v.empty()) v = hash_password(v);
    value = v;
  }
  std::any copy = f.value;
  if (auto err = f.kind->set(copy, a.name, value)) return {where + *err, false};
  f.value = std::move(copy);
  f.dirty = true;
  return {"", true};
}

Reply Session::done() {
  Frame& f = frames_.back();
  const ElementKind& k = *f.kind;
  void* owner = owner_of_top();
  if (!k.key.empty()) {
    const std::string key = k.get(f.value, k.key);
    if (key.empty()) return {"% " + std::string(k.name) + ": " + std::string(k.key) + " is required", false};
    for (std::size_t i = 0; i < k.count(owner); ++i)
      if (i != f.index && k.get(k.at(owner, i), k.key) == key)
        return {"% " + std::string(k.name) + " " + key + " already exists; select it to change it", false};
  }
  k.put(owner, f.index, f.value);
  if (!f.index) f.index = k.count(owner) - 1;
  if (frames_.size() > 1) frames_[frames_.size() - 2].dirty = true;
  f.dirty = false;
  return {render(k, f.value), true};
}

Reply Session::leave_element() {
  if (frames_.back().dirty) {
    pending_ = Pending::SaveChanges;
    return {"", true};
  }
  frames_.pop_back();
  if (frames_.empty()) mode_ = Mode::Path;
  return {"", true};
}

Reply Session::choose(const ElementKind& k, const std::string& prefix, Pending action) {
  choices_.clear();
  const std::size_t n = k.count(choosing_owner_);
  for (std::size_t i = 0; i < n; ++i) {
    const std::string label = k.label(k.at(choosing_owner_, i));
    if (label == prefix) {  // an exact name picks that one
      choices_ = {i};
      break;
    }
    if (starts_with(label, prefix)) choices_.push_back(i);
  }
  if (choices_.empty())
    return {"% " + (n == 0 ? "no " + std::string(k.name) + " is configured" : "no " + std::string(k.name) + " matches '" + prefix + "'"), false};
  if (choices_.size() == 1) return action == Pending::Select ? select_index(choices_[0]) : delete_index(choices_[0]);
  std::string out;
  for (std::size_t j = 0; j < choices_.size(); ++j)
    out += std::to_string(j + 1) + ": " + k.label(k.at(choosing_owner_, choices_[j])) + "\n";
  pending_ = action;
  return {out, true};
}

Reply Session::select_index(std::size_t i) {
  Frame& f = frames_.back();
  f.value = f.kind->at(choosing_owner_, i);
  f.index = i;
  f.dirty = false;
  return {"", true};
}

Reply Session::delete_index(std::size_t i) {
  const ElementKind& k = *choosing_;
  const std::string label = k.label(k.at(choosing_owner_, i));
  k.erase(choosing_owner_, i);
  if (mode_ == Mode::Element && frames_.back().kind == &k) {
    Frame& f = frames_.back();
    if (f.index == i) f.index.reset(), f.value = k.make(), f.dirty = false;
    else if (f.index && *f.index > i) --*f.index;
    if (frames_.size() > 1) frames_[frames_.size() - 2].dirty = true;
  }
  return {"Deleted " + std::string(k.name) + " " + label + "\n", true};
}

Reply Session::answer_pending(std::string_view line) {
  std::string text(line);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
  const Pending p = pending_;
  pending_ = Pending::None;
  switch (p) {
    case Pending::Password:
      if (check_password(text, store_.running().system.enable_password)) {
        mode_ = Mode::Super;
        return {"", true};
      }
      return {"% wrong password", false};
    case Pending::SaveChanges: {
      if (text == "y" || text == "yes") {
        Reply r = done();
        if (!r.ok) return r;  // stays in the element to fix it
        frames_.back().dirty = false;
        leave_element();
        return r;
      }
      if (text == "n" || text == "no") {
        frames_.back().dirty = false;
        return leave_element();
      }
      pending_ = p;
      return {"% answer y or n", false};
    }
    case Pending::Select:
    case Pending::Delete: {
      if (text.empty()) return {"", true};
      std::size_t n = 0;
      if (text.find_first_not_of("0123456789") != std::string::npos || text.size() > 6 ||
          (n = std::stoul(text)) == 0 || n > choices_.size())
        return {"% not a selection: " + text, false};
      return p == Pending::Select ? select_index(choices_[n - 1]) : delete_index(choices_[n - 1]);
    }
    case Pending::None: break;
  }
  return {"", true};
}

Reply Session::show(const std::vector<std::string>& args) const {
  if (args.empty()) return {"% show what? (show ?)", false};
  auto what = resolve(args[0], kShowWords, "show command");
  if (!what.error.empty()) return {what.error, false};
  const std::string& w = what.word;
  if (w == "configuration" || w == "running-config") {
    if (args.size() > 3) return {"% show " + w + " [element [name]]", false};
    std::string element, label;
    if (args.size() > 1) {
      std::vector<Word> elements;
      for (const auto& k : catalog())
        if (k.parent.empty()) elements.push_back({std::string(k.name), ""});
      auto el = resolve(args[1], elements, "element");
      if (!el.error.empty()) return {el.error, false};
      element = el.word;
    }
    if (args.size() > 2) label = args[2];
    return {render_config(w == "configuration" ? store_.candidate() : store_.running(), element, label), true};
  }
  const Status s = status_.status();
  if (w == "sipd") {
    if (args.size() == 1) return {format_sipd(s), true};
    auto sub = resolve(args[1], kSipdWords, "show sipd command");
    if (!sub.error.empty()) return {sub.error, false};
    if (sub.word == "agents") return {format_agents(s), true};
    if (sub.word == "calls") return {format_calls(s), true};
    if (sub.word == "call-flow") return call_flow(args);
    if (sub.word == "acls") return {format_acls(s), true};
    if (sub.word == "realms") return {format_realms(s), true};
    return {format_transfers(s), true};
  }
  if (args.size() > 1) return {"% show " + w + " takes no arguments", false};
  if (w == "version") return {format_version(s), true};
  if (w == "health") return {format_health(s), true};
  if (w == "mbcd") return {format_mbcd(s), true};
  return {format_interfaces(s), true};
}

std::vector<Word> Session::traced_call_words() const {
  std::vector<Word> out{{"<index|call-id>", "a call of the list, by its index or any of its Call-IDs"}};
  if (const trace::CallTrace* t = status_.call_trace())
    for (const trace::TracedCall* c : t->calls()) out.push_back({std::to_string(c->index), c->call_ids.front()});
  return out;
}

const trace::TracedCall* Session::traced_call(const std::string& which, Reply* refusal) const {
  const trace::CallTrace* t = status_.call_trace();
  const trace::TracedCall* c = t ? t->find(which) : nullptr;
  if (!c) *refusal = {"% no traced call " + which + " (show sipd call-flow lists them)", false};
  return c;
}

Reply Session::call_flow(const std::vector<std::string>& args) const {
  const trace::CallTrace* t = status_.call_trace();
  if (!t) return {"% this system keeps no call traces", false};
  if (args.size() == 2) return {trace::call_list(t->calls(), t->capacity()), true};
  if (args.size() > 3) return {"% show sipd call-flow [index|call-id]", false};
  Reply refusal;
  const trace::TracedCall* c = traced_call(args[2], &refusal);
  return c ? Reply{trace::ladder(*c), true} : refusal;
}

Reply Session::save_call_flow(const std::vector<std::string>& args) const {
  if (args.size() != 2) return {"% save-call-flow INDEX|CALL-ID FILE", false};
  Reply refusal;
  const trace::TracedCall* c = traced_call(args[0], &refusal);
  if (!c) return refusal;
  const std::string error = status_.save_call_pcap(*c, args[1]);
  if (!error.empty()) return {"% " + error, false};
  return {"Saved " + std::to_string(c->messages.size()) + " messages of call " + std::to_string(c->index) + " to " + args[1] +
              "\n",
          true};
}

// ---- rendering -------------------------------------------------------------------------

std::string render(const ElementKind& k, const std::any& v, int depth) {
  const std::string indent(static_cast<std::size_t>(depth) * 2, ' ');
  std::string out = indent + std::string(k.name) + "\n";
  for (const auto& a : k.attrs) {
    std::string value = k.get(v, a.name);
    if (a.type == AttrType::Secret && !value.empty()) value = "********";
    out += indent + "  " + pad(std::string(a.name), 30 - static_cast<std::size_t>(depth) * 2) + value + "\n";
  }
  for (const auto* child : children_of(k.name)) {
    const void* owner = k.cobject(v);
    for (std::size_t i = 0; i < child->count(owner); ++i) out += render(*child, child->at(owner, i), depth + 1);
  }
  return out;
}

std::string render_config(const config::Config& cfg, std::string_view element, std::string_view label) {
  std::string out;
  for (const auto& k : catalog()) {
    if (!k.parent.empty() || (!element.empty() && k.name != element)) continue;
    for (std::size_t i = 0; i < k.count(&cfg); ++i) {
      const std::any v = k.at(&cfg, i);
      if (!label.empty() && !starts_with(k.label(v), label)) continue;
      out += render(k, v) + "\n";
    }
  }
  if (out.empty()) out = "no " + std::string(element) + (label.empty() ? "" : " " + std::string(label)) + " configured\n";
  return out;
}

// ---- passwords -------------------------------------------------------------------------

std::string hash_password(const std::string& plain) {
  char salt[CRYPT_GENSALT_OUTPUT_SIZE];
  if (!crypt_gensalt_rn("$6$", 0, nullptr, 0, salt, sizeof salt)) return {};
  auto data = std::make_unique<crypt_data>();
  const char* h = crypt_r(plain.c_str(), salt, data.get());
  return h && h[0] == '$' ? std::string(h) : std::string();
}

bool check_password(const std::string& plain, const std::string& hash) {
  if (hash.empty()) return true;
  auto data = std::make_unique<crypt_data>();
  const char* h = crypt_r(plain.c_str(), hash.c_str(), data.get());
  return h && hash == h;
}

}  // namespace palisade::mgmt
