#include "config/config_writer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <functional>

#include "config/schema.hpp"

namespace palisade::config {

namespace {

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

template <class T>
std::string value_of(const Attribute<T>& a, const T& inst) {
  switch (a.type) {
    case AttrType::Number: return a.get(inst);
    case AttrType::Flag: return a.get(inst) == "enabled" ? "true" : "false";
    case AttrType::List: {
      std::string out = "[";
      for (const auto& item : a.items(inst)) out += (out.size() > 1 ? ", " : " ") + quoted(item);
      return out + " ]";
    }
    default: return quoted(a.get(inst));
  }
}

// One instance as `{ attr = value; ... }`: the key always, the rest when not at its default.
template <class T>
std::string group(const ElementSpec<T>& spec, const T& inst, const std::string& indent,
                  const std::function<std::string(const std::string&)>& children = {}) {
  static const T defaults{};
  std::string out = "{\n";
  for (const auto& a : spec.attributes) {
    if (a.name != spec.key && a.get(inst) == a.get(defaults)) continue;
    out += indent + "  " + std::string(a.name) + " = " + value_of(a, inst) + ";\n";
  }
  if (children) out += children(indent + "  ");
  return out + indent + "}";
}

template <class T>
std::string list(const ElementSpec<T>& spec, const std::vector<T>& items, const std::string& indent,
                 const std::function<std::string(const T&, const std::string&)>& children = {}) {
  std::string out = indent + std::string(spec.name) + " = (";
  for (std::size_t i = 0; i < items.size(); ++i) {
    out += (i ? ",\n" : "\n") + indent + "  ";
    std::function<std::string(const std::string&)> inner;
    if (children) inner = [&](const std::string& in) { return children(items[i], in); };
    out += group(spec, items[i], indent + "  ", inner);
  }
  return out + "\n" + indent + ");\n";
}

}  // namespace

std::string write_config(const Config& c) {
  std::string out = "# Written by Palisade's save-config; comments are not kept.\n\n";
  out += "config-version = " + std::to_string(c.version) + ";\n\n";
  out += "system-config = " + group(system_config_spec(), c.system, "") + ";\n\n";
  out += "media-manager = " + group(media_manager_spec(), c.media_manager, "") + ";\n\n";
  if (!c.phy_interfaces.empty()) out += list(phy_interface_spec(), c.phy_interfaces, "") + "\n";
  if (!c.network_interfaces.empty()) out += list(network_interface_spec(), c.network_interfaces, "") + "\n";
  if (!c.steering_pools.empty()) out += list(steering_pool_spec(), c.steering_pools, "") + "\n";
  if (!c.realms.empty()) out += list(realm_config_spec(), c.realms, "") + "\n";
  if (!c.sip_interfaces.empty())
    out += list<SipInterface>(sip_interface_spec(), c.sip_interfaces, "", [](const SipInterface& si, const std::string& in) {
             return si.sip_ports.empty() ? std::string() : list(sip_port_spec(), si.sip_ports, in);
           }) + "\n";
  if (!c.session_agents.empty()) out += list(session_agent_spec(), c.session_agents, "") + "\n";
  if (!c.session_constraints.empty()) out += list(session_constraints_spec(), c.session_constraints, "") + "\n";
  if (!c.local_policies.empty())
    out += list<LocalPolicy>(local_policy_spec(), c.local_policies, "", [](const LocalPolicy& lp, const std::string& in) {
             return lp.policy_attributes.empty() ? std::string() : list(policy_attribute_spec(), lp.policy_attributes, in);
           }) + "\n";
  out += "sip-config = " + group(sip_config_spec(), c.sip, "") + ";\n";
  return out;
}

std::optional<std::string> save_config_file(const std::string& path, const std::string& text, int backups) {
  const std::string tmp = path + ".new";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) return "cannot write " + tmp + ": " + std::strerror(errno);
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string why = std::strerror(errno);
      ::close(fd);
      ::unlink(tmp.c_str());
      return "cannot write " + tmp + ": " + why;
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(tmp.c_str());
    return "cannot flush " + tmp + ": " + std::strerror(errno);
  }
  // Backups: path.N-1 -> path.N, ..., path -> path.1 (a missing one is simply skipped).
  for (int i = backups - 1; i >= 1; --i)
    std::rename((path + "." + std::to_string(i)).c_str(), (path + "." + std::to_string(i + 1)).c_str());
  if (backups > 0 && ::access(path.c_str(), F_OK) == 0 && ::link(path.c_str(), (path + ".1").c_str()) != 0) {
    std::remove((path + ".1").c_str());
    if (::link(path.c_str(), (path + ".1").c_str()) != 0) return "cannot keep a backup of " + path + ": " + std::strerror(errno);
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) return "cannot replace " + path + ": " + std::strerror(errno);
  return std::nullopt;
}

}  // namespace palisade::config
