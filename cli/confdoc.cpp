// confdoc: prints the configuration reference (docs/configuration.md, below its marker) from
// the schema, so the document is written from the same declarations the loader reads with.
// tests/cli/confdoc_test.sh fails when the document and the schema disagree.
#include <cctype>
#include <cstdio>
#include <string>

#include "config/schema.hpp"

namespace {

using namespace palisade::config;

template <class T>
void element(const ElementSpec<T>& spec, const char* placement, const char* parent = nullptr) {
  if (parent) std::printf("### `%s` (inside `%s`)\n\n", std::string(spec.name).c_str(), parent);
  else std::printf("## `%s`\n\n", std::string(spec.name).c_str());
  std::string help(spec.help);
  if (!help.empty()) help[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(help[0])));
  std::printf("%s; %s.", help.c_str(), placement);
  if (!spec.key.empty()) std::printf(" Instances are named by `%s`.", std::string(spec.key).c_str());
  std::printf("\n\n| attribute | type | default | meaning |\n| --- | --- | --- | --- |\n");
  const T defaults{};
  for (const auto& a : spec.attributes) {
    std::string type(type_name(a.type));
    if (a.type == AttrType::Choice) {
      type.clear();
      for (auto w : a.words) type.append(type.empty() ? "" : " \\| ").append(w);
    } else if (a.type == AttrType::Number) {
      type += " " + std::to_string(a.min) + "-" + std::to_string(a.max);
    }
    std::string def = a.get(defaults);
    std::printf("| `%s` | %s | %s | %s |\n", std::string(a.name).c_str(), type.c_str(),
                def.empty() ? "—" : ("`" + def + "`").c_str(), std::string(a.help).c_str());
  }
  std::printf("\n");
}

}  // namespace

int main() {
  element(system_config_spec(), "one group `system-config = { ... };`");
  element(media_manager_spec(), "one group `media-manager = { ... };`");
  element(phy_interface_spec(), "a list `phy-interface = ( { ... }, ... );`");
  element(steering_pool_spec(), "a list `steering-pool = ( { ... }, ... );`");
  element(network_interface_spec(), "a list `network-interface = ( { ... }, ... );`");
  element(realm_config_spec(), "a list `realm-config = ( { ... }, ... );`");
  element(sip_interface_spec(), "a list `sip-interface = ( { ... }, ... );`");
  element(sip_port_spec(), "a list `sip-ports = ( { ... }, ... );` in each sip-interface", "sip-interface");
  element(session_agent_spec(), "a list `session-agent = ( { ... }, ... );`");
  element(session_constraints_spec(), "a list `session-constraints = ( { ... }, ... );`");
  element(local_policy_spec(), "a list `local-policy = ( { ... }, ... );`");
  element(policy_attribute_spec(), "a list `policy-attributes = ( { ... }, ... );` in each local-policy", "local-policy");
  element(sip_config_spec(), "one group `sip-config = { ... };`");
  return 0;
}
