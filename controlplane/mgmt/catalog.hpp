// The ACLI's view of the configuration: every element the shell can edit, type-erased over the
// schema (config/schema.hpp) so that one shell engine sets, shows, selects and completes them
// all. Top-level elements live in a config::Config; sub-elements (sip-ports, policy-attributes)
// live in an instance of their parent element.
#pragma once

#include <any>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/model.hpp"
#include "config/schema.hpp"

namespace palisade::mgmt {

struct AttrInfo {
  std::string_view name;
  config::AttrType type;
  std::string_view help;
  std::vector<std::string_view> words;  // Choice/Flag
  std::uint64_t min = 0, max = 0;       // Number
  std::string_view refers_to;           // the element whose keys this attribute names ("" = none)
};

struct ElementKind {
  std::string_view name;    // "realm-config"
  std::string_view prompt;  // the mode's name in the prompt: "realm-config", "media-manager-config"
  std::string_view path;    // the configure submode it is under: media-manager, session-router, system
  std::string_view parent;  // "" or the element it lives in ("sip-interface")
  std::string_view key;     // the attribute naming an instance ("" = none)
  bool single = false;      // exactly one instance (media-manager, sip-config, system-config)
  std::string_view help;
  std::vector<AttrInfo> attrs;
  std::vector<std::string_view> label_attrs;  // what names an instance in lists: the key, or these

  // `owner` is the config::Config* for top-level elements, the parent instance's object for
  // sub-elements (see object()).
  std::function<std::size_t(const void* owner)> count;
  std::function<std::any(const void* owner, std::size_t i)> at;
  std::function<void(void* owner, std::optional<std::size_t> i, const std::any& v)> put;  // nullopt: append
  std::function<void(void* owner, std::size_t i)> erase;
  std::function<std::any()> make;
  std::function<std::string(const std::any& v, std::string_view attr)> get;
  std::function<std::vector<std::string>(const std::any& v, std::string_view attr)> items;  // List attributes
  std::function<std::optional<std::string>(std::any& v, std::string_view attr, const config::Value&)> set;
  std::function<void*(std::any& v)> object;              // the instance, as owner of its sub-elements
  std::function<const void*(const std::any& v)> cobject;

  const AttrInfo* attr(std::string_view n) const {
    for (const auto& a : attrs)
      if (a.name == n) return &a;
    return nullptr;
  }
  // How an instance is named in `select` lists: its key, or its label attributes.
  std::string label(const std::any& v) const;
};

// Every element, in the order `show configuration` lists them.
const std::vector<ElementKind>& catalog();
const ElementKind* find_kind(std::string_view name);
std::vector<const ElementKind*> kinds_under(std::string_view path);      // top-level of a configure submode
std::vector<const ElementKind*> children_of(std::string_view element);  // sub-elements

// The names an attribute that refers to other elements may take (realm ids, agent names, ...).
std::vector<std::string> keys_of(const config::Config& cfg, std::string_view element);

}  // namespace palisade::mgmt
