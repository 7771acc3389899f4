#include <algorithm>
#include <set>

#include "config/config_file.hpp"
#include "sip/header_id.hpp"

namespace palisade::config {

namespace {

class Verifier {
 public:
  Verifier(const Config& c, std::string file) : c_(c), file_(std::move(file)) {}

  std::vector<ConfigProblem> run() {
    interfaces();
    media();
    realms();
    sip_interfaces();
    session_agents();
    constraints();
    local_policies();
    if (c_.sip.init_timer > c_.sip.max_timer)
      add(c_.sip.lines, "init-timer", "sip-config", "must not exceed max-timer");
    std::stable_sort(problems_.begin(), problems_.end(), [](auto& a, auto& b) { return a.line < b.line; });
    return std::move(problems_);
  }

 private:
  template <class T, class F>
  void unique(const std::vector<T>& items, std::string_view element, std::string_view attr, F key) {
    std::set<std::string> seen;
    for (const auto& i : items)
      if (!key(i).empty() && !seen.insert(key(i)).second)
        add(i.lines, std::string(attr), std::string(element) + "[" + key(i) + "]", "duplicate " + std::string(attr));
  }

  const NetworkInterface* interface(const std::string& name) const {
    for (const auto& n : c_.network_interfaces)
      if (n.name == name) return &n;
    return nullptr;
  }
  const RealmConfig* realm(const std::string& id) const {
    for (const auto& r : c_.realms)
      if (r.identifier == id) return &r;
    return nullptr;
  }
  bool agent(const std::string& hostname) const {
    return std::any_of(c_.session_agents.begin(), c_.session_agents.end(),
                       [&](const auto& a) { return a.hostname == hostname; });
  }

  void interfaces() {
    unique(c_.network_interfaces, "network-interface", "name", [](const auto& n) { return n.name; });
    for (const auto& n : c_.network_interfaces) {
      const std::string w = "network-interface[" + n.name + "]";
      if (n.name.empty()) add(n.lines, "name", "network-interface", "is required");
      if (n.ip_address.empty()) add(n.lines, "ip-address", w, "is required");
    }
  }

  void media() {
    unique(c_.phy_interfaces, "phy-interface", "name", [](const auto& p) { return p.name; });
    std::set<std::string> taps;
    for (const auto& p : c_.phy_interfaces) {
      const std::string w = "phy-interface[" + p.name + "]";
      if (p.name.empty()) add(p.lines, "name", "phy-interface", "is required");
      if (p.device.empty()) add(p.lines, "device", w, "is required (DPDK devargs, e.g. \"net_af_packet0,iface=eth1\")");
      const std::string tap = p.tap();
      if (tap.size() > 15) add(p.lines, "exception-interface", w, "'" + tap + "' is longer than a Linux interface name (15)");
      if (!taps.insert(tap).second) add(p.lines, "exception-interface", w, "'" + tap + "' is another port's tap too");
      if (!interface(p.name)) add(p.lines, "name", w, "no network-interface of that name gives the port its address");
      else if (!is_ip(interface(p.name)->ip_address) || interface(p.name)->ip_address.find(':') != std::string::npos)
        add(p.lines, "name", w, "the tap takes an IPv4 network-interface address");
    }
    steering_pools();
    const MediaManager& m = c_.media_manager;
    if (!m.state) return;
    if (c_.phy_interfaces.empty()) add(m.lines, "state", "media-manager", "enabled, but no phy-interface is configured");
    if (m.main_lcore == m.worker_lcore) add(m.lines, "worker-lcore", "media-manager", "must differ from main-lcore");
    // the pool's 2.3 KiB mbufs and the flow table must fit in memory-mb with room for DPDK's own
    const std::uint64_t need_mb = (static_cast<std::uint64_t>(m.mbufs) * 2304 + static_cast<std::uint64_t>(m.max_flows) * 300) / (1 << 20) + 48;
    if (need_mb > m.memory_mb)
      add(m.lines, "memory-mb", "media-manager", "mbufs and max-flows need about " + std::to_string(need_mb) + " MB");
  }

  void steering_pools() {
    int n = 0;
    std::vector<const SteeringPool*> seen;
    for (const auto& p : c_.steering_pools) {
      const std::string w = "steering-pool[" + std::to_string(++n) + "]";
      const RealmConfig* r = realm(p.realm_id);
      if (p.realm_id.empty()) add(p.lines, "realm-id", w, "is required");
      else if (!r) add(p.lines, "realm-id", w, "no realm-config named '" + p.realm_id + "'");
      if (p.ip_address.empty()) add(p.lines, "ip-address", w, "is required");
      else if (r) {
        bool own = false;
        for (const auto& ni : r->network_interfaces)
          if (const auto* i = interface(ni); i && i->ip_address == p.ip_address) own = true;
        if (!own) add(p.lines, "ip-address", w, "not an ip-address of a network-interface of realm '" + p.realm_id + "'");
      }
      if (p.end_port < p.start_port + 1) add(p.lines, "end-port", w, "must be above start-port: a pool holds at least one RTP/RTCP pair");
      for (const SteeringPool* q : seen)
        if (q->ip_address == p.ip_address && p.start_port <= q->end_port && q->start_port <= p.end_port)
          add(p.lines, "start-port", w, "overlaps another steering-pool on " + p.ip_address);
      seen.push_back(&p);
    }
    if (c_.media_manager.state)
      for (const auto& r : c_.realms)
        if (std::none_of(c_.steering_pools.begin(), c_.steering_pools.end(), [&](const auto& p) { return p.realm_id == r.identifier; }))
          add(c_.media_manager.lines, "state", "media-manager", "realm '" + r.identifier + "' has no steering-pool to anchor its media");
  }

  void realms() {
    unique(c_.realms, "realm-config", "identifier", [](const auto& r) { return r.identifier; });
    for (const auto& r : c_.realms) {
      const std::string w = "realm-config[" + r.identifier + "]";
      if (r.identifier.empty()) add(r.lines, "identifier", "realm-config", "is required");
      for (const auto& n : r.network_interfaces)
        if (!interface(n)) add(r.lines, "network-interfaces", w, "no network-interface named '" + n + "'");
      for (const auto& h : r.relay_headers) {
        if (h.empty() || h.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.!%*_+`'~") != std::string::npos)
          add(r.lines, "relay-headers", w, "'" + h + "' is not a header name");
        else if (h.size() == 1 || sip::is_leg_specific(sip::lookup_header(h)))
          add(r.lines, "relay-headers", w, "'" + h + "' belongs to one leg and is never relayed (docs/b2bua.md)");
      }
    }
  }

  void sip_interfaces() {
    std::set<std::string> ports, realms_seen;
    for (const auto& si : c_.sip_interfaces) {
      const std::string w = "sip-interface[" + si.realm_id + "]";
      const RealmConfig* r = realm(si.realm_id);
      if (si.realm_id.empty()) add(si.lines, "realm-id", "sip-interface", "is required");
      else if (!r) add(si.lines, "realm-id", w, "no realm-config named '" + si.realm_id + "'");
      else if (!realms_seen.insert(si.realm_id).second) add(si.lines, "realm-id", w, "a realm has one sip-interface");
      if (si.sip_ports.empty()) add(si.lines, "sip-ports", w, "at least one sip-port is required");
      for (const auto& p : si.sip_ports) {
        const std::string pw = w + ".sip-ports[" + p.address + ":" + std::to_string(p.port) + "]";
        if (p.address.empty()) {
          add(p.lines, "address", pw, "is required");
          continue;
        }
        const std::string k = p.address + ":" + std::to_string(p.port) + "/" +
                              (p.transport_protocol == TransportProtocol::Udp ? "UDP" : "TCP");
        if (!ports.insert(k).second) add(p.lines, "address", pw, "this address, port and transport is used twice");
        // The SBC takes SIP only on its own addresses in that realm.
        bool own = false;
        if (r)
          for (const auto& n : r->network_interfaces)
            if (const auto* ni = interface(n); ni && ni->ip_address == p.address) own = true;
        if (r && !own) add(p.lines, "address", pw, "not an ip-address of a network-interface of realm '" + si.realm_id + "'");
      }
    }
  }

  void session_agents() {
    unique(c_.session_agents, "session-agent", "hostname", [](const auto& a) { return a.hostname; });
    for (const auto& a : c_.session_agents) {
      const std::string w = "session-agent[" + a.hostname + "]";
      if (a.hostname.empty()) add(a.lines, "hostname", "session-agent", "is required");
      if (a.ip_address.empty() && !is_ip(a.hostname)) add(a.lines, "ip-address", w, "is required when hostname is not an IP address");
      if (a.realm_id.empty()) add(a.lines, "realm-id", w, "is required");
      else if (!realm(a.realm_id)) add(a.lines, "realm-id", w, "no realm-config named '" + a.realm_id + "'");
      if (!a.ping_method.empty() && a.ping_method != "OPTIONS") add(a.lines, "ping-method", w, "must be \"OPTIONS\" or \"\"");
      if (a.ping_interval > 0 && a.ping_method.empty()) add(a.lines, "ping-interval", w, "needs ping-method \"OPTIONS\"");
    }
  }

  void constraints() {
    unique(c_.session_constraints, "session-constraints", "name", [](const auto& s) { return s.name; });
    for (const auto& s : c_.session_constraints)
      if (s.name.empty()) add(s.lines, "name", "session-constraints", "is required");
    for (const auto& r : c_.realms)
      if (!r.constraint_name.empty() &&
          std::none_of(c_.session_constraints.begin(), c_.session_constraints.end(), [&](const auto& s) { return s.name == r.constraint_name; }))
        add(r.lines, "constraint-name", "realm-config[" + r.identifier + "]", "no session-constraints named '" + r.constraint_name + "'");
  }

  void local_policies() {
    int n = 0;
    for (const auto& lp : c_.local_policies) {
      const std::string w = "local-policy[" + std::to_string(++n) + "]";
      for (const auto& sr : lp.source_realm)
        if (sr != "*" && !realm(sr)) add(lp.lines, "source-realm", w, "no realm-config named '" + sr + "'");
      if (lp.policy_attributes.empty()) add(lp.lines, "policy-attributes", w, "at least one policy-attribute is required");
      for (const auto& pa : lp.policy_attributes) {
        const std::string pw = w + ".policy-attributes[" + pa.next_hop + "]";
        if (pa.next_hop.empty()) add(pa.lines, "next-hop", pw, "is required");
        else if (!agent(pa.next_hop) && !is_ip(pa.next_hop))
          add(pa.lines, "next-hop", pw, "not a session-agent hostname nor an IP address");
        if (!pa.realm.empty() && !realm(pa.realm)) add(pa.lines, "realm", pw, "no realm-config named '" + pa.realm + "'");
        if (pa.realm.empty() && is_ip(pa.next_hop)) add(pa.lines, "realm", pw, "is required for an IP next-hop");
      }
    }
  }

  void add(const SourceLines& lines, const std::string& attr, const std::string& where, std::string reason) {
    problems_.push_back({file_, lines.line_of(attr), where + "." + attr, std::move(reason)});
  }

  const Config& c_;
  std::string file_;
  std::vector<ConfigProblem> problems_;
};

}  // namespace

std::vector<ConfigProblem> verify(const Config& config, const std::string& file) {
  return Verifier(config, file).run();
}

}  // namespace palisade::config
