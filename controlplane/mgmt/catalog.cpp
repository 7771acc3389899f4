#include "mgmt/catalog.hpp"

#include <map>

namespace palisade::mgmt {

namespace {

using namespace palisade::config;

struct Meta {
  std::string_view prompt, path, parent;
  bool single = false;
  std::vector<std::string_view> label_attrs = {};
};

// Attributes that name another element's instances: completion offers those names.
std::string_view refers_to(std::string_view attr) {
  static const std::map<std::string_view, std::string_view> refs{
      {"realm-id", "realm-config"}, {"realm", "realm-config"},           {"source-realm", "realm-config"},
      {"network-interfaces", "network-interface"}, {"next-hop", "session-agent"}};
  auto it = refs.find(attr);
  return it == refs.end() ? std::string_view() : it->second;
}

template <class T>
ElementKind describe(const Meta& m, const ElementSpec<T>& spec) {
  ElementKind k;
  k.name = spec.name;
  k.prompt = m.prompt.empty() ? spec.name : m.prompt;
  k.path = m.path;
  k.parent = m.parent;
  k.key = spec.key;
  k.single = m.single;
  k.help = spec.help;
  k.label_attrs = m.label_attrs;
  for (const auto& a : spec.attributes) k.attrs.push_back({a.name, a.type, a.help, a.words, a.min, a.max, refers_to(a.name)});
  const ElementSpec<T>* s = &spec;
  k.make = [] { return std::any(T{}); };
  k.get = [s](const std::any& v, std::string_view attr) {
    const auto* a = s->find(attr);
    return a ? a->get(std::any_cast<const T&>(v)) : std::string();
  };
  k.items = [s](const std::any& v, std::string_view attr) {
    const auto* a = s->find(attr);
    return a && a->items ? a->items(std::any_cast<const T&>(v)) : std::vector<std::string>{};
  };
  k.set = [s](std::any& v, std::string_view attr, const Value& value) -> std::optional<std::string> {
    const auto* a = s->find(attr);
    if (!a) return "no attribute " + std::string(attr);
    return a->set(std::any_cast<T&>(v), value);
  };
  k.object = [](std::any& v) -> void* { return std::any_cast<T>(&v); };
  k.cobject = [](const std::any& v) -> const void* { return std::any_cast<T>(&v); };
  return k;
}

// An element held as a list in its owner O (Config, SipInterface, LocalPolicy).
template <class O, class T>
ElementKind many(const Meta& m, const ElementSpec<T>& spec, std::vector<T> O::*list) {
  ElementKind k = describe(m, spec);
  k.count = [list](const void* o) { return (static_cast<const O*>(o)->*list).size(); };
  k.at = [list](const void* o, std::size_t i) { return std::any((static_cast<const O*>(o)->*list).at(i)); };
  k.put = [list](void* o, std::optional<std::size_t> i, const std::any& v) {
    auto& l = static_cast<O*>(o)->*list;
    if (i && *i < l.size()) l[*i] = std::any_cast<const T&>(v);
    else l.push_back(std::any_cast<const T&>(v));
  };
  k.erase = [list](void* o, std::size_t i) {
    auto& l = static_cast<O*>(o)->*list;
    if (i < l.size()) l.erase(l.begin() + static_cast<std::ptrdiff_t>(i));
  };
  return k;
}

// An element of which the Config holds exactly one.
template <class T>
ElementKind one(Meta m, const ElementSpec<T>& spec, T Config::*member) {
  m.single = true;
  ElementKind k = describe(m, spec);
  k.count = [](const void*) { return std::size_t{1}; };
  k.at = [member](const void* o, std::size_t) { return std::any(static_cast<const Config*>(o)->*member); };
  k.put = [member](void* o, std::optional<std::size_t>, const std::any& v) {
    static_cast<Config*>(o)->*member = std::any_cast<const T&>(v);
  };
  k.erase = [member](void* o, std::size_t) { static_cast<Config*>(o)->*member = T{}; };
  return k;
}

}  // namespace

std::string ElementKind::label(const std::any& v) const {
  if (!key.empty()) return get(v, key);
  std::string out;
  for (auto a : label_attrs) {
    std::string text = get(v, a);
    out.append(out.empty() ? "" : " ").append(text.empty() ? "\"\"" : text);
  }
  return out;
}

const std::vector<ElementKind>& catalog() {
  static const std::vector<ElementKind> kinds{
      one({"", "system", ""}, system_config_spec(), &Config::system),
      many<Config>({"", "system", ""}, phy_interface_spec(), &Config::phy_interfaces),
      many<Config>({"", "system", ""}, network_interface_spec(), &Config::network_interfaces),
      one({"media-manager-config", "media-manager", ""}, media_manager_spec(), &Config::media_manager),
      many<Config>({"", "media-manager", "", false, {"ip-address", "start-port", "realm-id"}}, steering_pool_spec(),
                   &Config::steering_pools),
      many<Config>({"", "media-manager", ""}, realm_config_spec(), &Config::realms),
      many<Config>({"", "session-router", ""}, sip_interface_spec(), &Config::sip_interfaces),
      many<SipInterface>({"", "session-router", "sip-interface", false, {"address", "port", "transport-protocol"}},
                         sip_port_spec(), &SipInterface::sip_ports),
      many<Config>({"", "session-router", ""}, session_agent_spec(), &Config::session_agents),
      many<Config>({"", "session-router", ""}, session_constraints_spec(), &Config::session_constraints),
      many<Config>({"", "session-router", "", false, {"to-address", "source-realm", "from-address"}}, local_policy_spec(),
                   &Config::local_policies),
      many<LocalPolicy>({"", "session-router", "local-policy", false, {"next-hop", "realm", "cost"}},
                        policy_attribute_spec(), &LocalPolicy::policy_attributes),
      one({"", "session-router", ""}, sip_config_spec(), &Config::sip),
  };
  return kinds;
}

const ElementKind* find_kind(std::string_view name) {
  for (const auto& k : catalog())
    if (k.name == name) return &k;
  return nullptr;
}

std::vector<const ElementKind*> kinds_under(std::string_view path) {
  std::vector<const ElementKind*> out;
  for (const auto& k : catalog())
    if (k.path == path && k.parent.empty()) out.push_back(&k);
  return out;
}

std::vector<const ElementKind*> children_of(std::string_view element) {
  std::vector<const ElementKind*> out;
  for (const auto& k : catalog())
    if (k.parent == element) out.push_back(&k);
  return out;
}

std::vector<std::string> keys_of(const Config& cfg, std::string_view element) {
  std::vector<std::string> out;
  const ElementKind* k = find_kind(element);
  if (!k || k->key.empty() || !k->parent.empty()) return out;
  for (std::size_t i = 0; i < k->count(&cfg); ++i) out.push_back(k->get(k->at(&cfg, i), k->key));
  return out;
}

}  // namespace palisade::mgmt
