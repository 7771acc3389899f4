// The configuration schema: every element and attribute declared once, with its type, range,
// words and help text. The libconfig loader reads through it, docs/configuration.md is written
// from it, and the ACLI's completion and `?` will come from it.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "config/model.hpp"

namespace palisade::config {

enum class AttrType { String, Name, Number, Flag, Choice, Ip, IpPrefix, List, Secret };
std::string_view type_name(AttrType t);

// A value as libconfig (or, later, the ACLI) hands it over.
using Value = std::variant<std::string, long long, bool, std::vector<std::string>>;

template <class T>
struct Attribute {
  std::string_view name;
  AttrType type;
  std::string_view help;
  std::vector<std::string_view> words;  // Choice and Flag: the accepted words
  std::uint64_t min = 0, max = 0;       // Number
  std::function<std::string(const T&)> get;                         // as text
  std::function<std::optional<std::string>(T&, const Value&)> set;  // nullopt, or why not
  std::function<std::vector<std::string>(const T&)> items = {};     // List: the items themselves
};

template <class T>
struct ElementSpec {
  std::string_view name;  // "realm-config"
  std::string_view key;   // the attribute that names an instance; "" for single elements
  std::string_view help;
  std::vector<Attribute<T>> attributes;

  const Attribute<T>* find(std::string_view attr) const {
    for (const auto& a : attributes)
      if (a.name == attr) return &a;
    return nullptr;
  }
};

const ElementSpec<SystemConfig>& system_config_spec();
const ElementSpec<PhyInterface>& phy_interface_spec();
const ElementSpec<MediaManager>& media_manager_spec();
const ElementSpec<SteeringPool>& steering_pool_spec();
const ElementSpec<NetworkInterface>& network_interface_spec();
const ElementSpec<RealmConfig>& realm_config_spec();
const ElementSpec<SipInterface>& sip_interface_spec();
const ElementSpec<SipPort>& sip_port_spec();
const ElementSpec<SessionAgent>& session_agent_spec();
const ElementSpec<SessionConstraints>& session_constraints_spec();
const ElementSpec<LocalPolicy>& local_policy_spec();
const ElementSpec<PolicyAttribute>& policy_attribute_spec();
const ElementSpec<SipConfig>& sip_config_spec();

bool is_ip(std::string_view text);
// A crypt(3) hash as Secret attributes hold ("$6$salt$..." SHA-512 or "$y$..." yescrypt).
bool is_password_hash(std::string_view text);
bool is_ip_prefix(std::string_view text);  // "10.0.0.0/8", "2001:db8::/32"

std::optional<LogLevel> log_level_from(std::string_view name);
std::string_view log_level_name(LogLevel level);

// ---- building blocks for the declarations -----------------------------------------------

namespace detail {
std::optional<std::string> as_text(const Value& v, std::string& out);
std::optional<std::string> as_number(const Value& v, std::uint64_t min, std::uint64_t max, std::uint64_t& out);
std::optional<std::string> as_flag(const Value& v, bool& out);
std::optional<std::string> as_list(const Value& v, std::vector<std::string>& out);
std::optional<std::string> check_text(AttrType type, std::string_view text);
std::string join(const std::vector<std::string>& v);
}  // namespace detail

template <class T>
Attribute<T> text(std::string_view name, std::string T::*m, std::string_view help, AttrType type = AttrType::String) {
  return {name, type, help, {}, 0, 0, [m](const T& t) { return t.*m; },
          [m, type](T& t, const Value& v) -> std::optional<std::string> {
            std::string s;
            if (auto e = detail::as_text(v, s)) return e;
            if (auto e = detail::check_text(type, s)) return e;
            t.*m = std::move(s);
            return std::nullopt;
          }};
}

template <class T>
Attribute<T> number(std::string_view name, std::uint32_t T::*m, std::uint64_t min, std::uint64_t max, std::string_view help) {
  return {name, AttrType::Number, help, {}, min, max, [m](const T& t) { return std::to_string(t.*m); },
          [m, min, max](T& t, const Value& v) -> std::optional<std::string> {
            std::uint64_t n = 0;
            if (auto e = detail::as_number(v, min, max, n)) return e;
            t.*m = static_cast<std::uint32_t>(n);
            return std::nullopt;
          }};
}

template <class T>
Attribute<T> flag(std::string_view name, bool T::*m, std::string_view help) {
  return {name, AttrType::Flag, help, {"enabled", "disabled"}, 0, 0,
          [m](const T& t) { return std::string(t.*m ? "enabled" : "disabled"); },
          [m](T& t, const Value& v) { return detail::as_flag(v, t.*m); }};
}

template <class T, class E>
Attribute<T> choice(std::string_view name, E T::*m, std::vector<std::pair<std::string_view, E>> words, std::string_view help) {
  std::vector<std::string_view> names;
  for (auto& w : words) names.push_back(w.first);
  return {name, AttrType::Choice, help, names, 0, 0,
          [m, words](const T& t) {
            for (auto& w : words)
              if (w.second == t.*m) return std::string(w.first);
            return std::string();
          },
          [m, words](T& t, const Value& v) -> std::optional<std::string> {
            std::string s;
            if (auto e = detail::as_text(v, s)) return e;
            for (auto& w : words)
              if (w.first == s) {
                t.*m = w.second;
                return std::nullopt;
              }
            std::string all;
            for (auto& w : words) all.append(all.empty() ? "" : ", ").append(w.first);
            return "must be one of " + all;
          }};
}

template <class T>
Attribute<T> list(std::string_view name, std::vector<std::string> T::*m, std::string_view help) {
  return {name, AttrType::List, help, {}, 0, 0, [m](const T& t) { return detail::join(t.*m); },
          [m](T& t, const Value& v) { return detail::as_list(v, t.*m); }, [m](const T& t) { return t.*m; }};
}

}  // namespace palisade::config
