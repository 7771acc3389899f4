#include "config/config_file.hpp"

#include <libconfig.h++>

#include <functional>
#include <type_traits>

namespace palisade::config {

namespace {

using libconfig::Setting;

class Loader {
 public:
  explicit Loader(std::string file) : file_(std::move(file)) {}

  LoadResult load(const libconfig::Config& cfg) {
    Config out;
    const Setting& root = cfg.getRoot();
    for (int i = 0; i < root.getLength(); ++i) {
      const Setting& s = root[i];
      const std::string name = s.getName();
      if (name == "config-version") version(s, out.version);
      else if (name == "system-config") read(s, system_config_spec(), out.system, name);
      else if (name == "sip-config") read(s, sip_config_spec(), out.sip, name);
      else if (name == "media-manager") read(s, media_manager_spec(), out.media_manager, name);
      else if (name == "phy-interface") read_list(s, phy_interface_spec(), out.phy_interfaces);
      else if (name == "steering-pool") read_list(s, steering_pool_spec(), out.steering_pools);
      else if (name == "network-interface") read_list(s, network_interface_spec(), out.network_interfaces);
      else if (name == "realm-config") read_list(s, realm_config_spec(), out.realms);
      else if (name == "session-agent") read_list(s, session_agent_spec(), out.session_agents);
      else if (name == "session-constraints") read_list(s, session_constraints_spec(), out.session_constraints);
      else if (name == "sip-interface") {
        read_list(s, sip_interface_spec(), out.sip_interfaces, [this](const Setting& c, SipInterface& si, const std::string& where) {
          if (std::string(c.getName()) != "sip-ports") return false;
          read_list(c, sip_port_spec(), si.sip_ports, {}, where + ".sip-ports");
          return true;
        });
      } else if (name == "local-policy") {
        read_list(s, local_policy_spec(), out.local_policies, [this](const Setting& c, LocalPolicy& lp, const std::string& where) {
          if (std::string(c.getName()) != "policy-attributes") return false;
          read_list(c, policy_attribute_spec(), lp.policy_attributes, {}, where + ".policy-attributes");
          return true;
        });
      } else {
        problem(s.getSourceLine(), name, "unknown element");
      }
    }
    if (problems_.empty()) problems_ = verify(out, file_);
    LoadResult r;
    r.problems = std::move(problems_);
    if (r.problems.empty()) r.config = std::move(out);
    return r;
  }

 private:
  template <class T>
  using ChildReader = std::function<bool(const Setting&, T&, const std::string&)>;

  // A list of instances `( {...}, {...} )`; a single group is taken as a list of one.
  template <class T>
  void read_list(const Setting& s, const ElementSpec<T>& spec, std::vector<T>& out,
                 std::type_identity_t<ChildReader<T>> child = {},
                 std::string prefix = {}) {
    if (prefix.empty()) prefix = std::string(spec.name);
    if (s.isGroup()) {
      out.emplace_back();
      read(s, spec, out.back(), prefix, child);
      return;
    }
    if (!s.isList() && !s.isArray()) return problem(s.getSourceLine(), prefix, "must be a list ( { ... }, { ... } )");
    for (int i = 0; i < s.getLength(); ++i) {
      out.emplace_back();
      read(s[i], spec, out.back(), prefix, child, i);
    }
  }

  template <class T>
  void read(const Setting& g, const ElementSpec<T>& spec, T& out, const std::string& prefix,
            std::type_identity_t<ChildReader<T>> child = {},
            int index = -1) {
    if (!g.isGroup()) return problem(g.getSourceLine(), prefix, "must be a group { ... }");
    out.lines.element = g.getSourceLine();
    // The instance is named by its key ("realm-config[core]"), else by its position.
    std::string where = prefix;
    std::string key;
    if (!spec.key.empty() && g.exists(std::string(spec.key)) && g.lookupValue(std::string(spec.key), key)) {
      where += "[" + key + "]";
    } else if (index >= 0) {
      where += "[" + std::to_string(index + 1) + "]";
    }
    for (int i = 0; i < g.getLength(); ++i) {
      const Setting& a = g[i];
      const std::string name = a.getName();
      if (child && child(a, out, where)) continue;
      const Attribute<T>* attr = spec.find(name);
      if (!attr) {
        problem(a.getSourceLine(), where + "." + name, "unknown attribute");
        continue;
      }
      out.lines.attributes[name] = a.getSourceLine();
      auto value = to_value(a);
      if (!value) {
        problem(a.getSourceLine(), where + "." + name, "must be a string, number, boolean or list of strings");
        continue;
      }
      if (auto err = attr->set(out, *value)) problem(a.getSourceLine(), where + "." + name, *err);
    }
  }

  void version(const Setting& s, std::uint32_t& out) {
    long long v = -1;
    if (s.getType() == Setting::TypeInt) v = static_cast<int>(s);
    else if (s.getType() == Setting::TypeInt64) v = static_cast<long long>(s);
    if (v < 0 || v > 0xFFFFFFFFll) return problem(s.getSourceLine(), "config-version", "must be a number from 0 to 4294967295");
    out = static_cast<std::uint32_t>(v);
  }

  static std::optional<Value> to_value(const Setting& s) {
    switch (s.getType()) {
      case Setting::TypeString: return Value(std::string(static_cast<const char*>(s)));
      case Setting::TypeInt: return Value(static_cast<long long>(static_cast<int>(s)));
      case Setting::TypeInt64: return Value(static_cast<long long>(s));
      case Setting::TypeBoolean: return Value(static_cast<bool>(s));
      case Setting::TypeArray:
      case Setting::TypeList: {
        std::vector<std::string> items;
        for (int i = 0; i < s.getLength(); ++i) {
          if (s[i].getType() != Setting::TypeString) return std::nullopt;
          items.emplace_back(static_cast<const char*>(s[i]));
        }
        return Value(std::move(items));
      }
      default: return std::nullopt;
    }
  }

  void problem(int line, std::string where, std::string reason) {
    problems_.push_back({file_, line, std::move(where), std::move(reason)});
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
  return Loader(file).load(cfg);
}

}  // namespace

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
