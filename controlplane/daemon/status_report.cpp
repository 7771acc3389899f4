#include "daemon/status_report.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>

#include "trace/pcap_export.hpp"

namespace palisade::daemon {

const trace::CallTrace* StatusReport::call_trace() const { return &stack_.call_trace(); }

std::string StatusReport::save_call_pcap(const trace::TracedCall& call, const std::string& path) const {
  if (path.empty() || path[0] != '/') return "save-call-flow needs an absolute path (sbcd writes it, not acli)";
  const std::string bytes = trace::pcap(call);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return "cannot write " + path + ": " + std::strerror(errno);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) return "cannot write " + path + ": " + std::strerror(errno);
  return {};
}

mgmt::Status StatusReport::status() const {
  mgmt::Status s;
  s.version = PALISADE_VERSION;
  s.hostname = running_.system.hostname;
  s.uptime_seconds = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started_).count());
  s.config_file = file_;
  s.running_version = running_.version;

  const auto& st = stack_.sipd();
  const auto row = [](std::string name, const mgmt::StatCounter& c) {
    return mgmt::StatRow{std::move(name), c.active(), c.high(), c.total(), c.per_max()};
  };
  s.sipd = {row("Sessions", st.sessions), row("Dialogs", st.dialogs), row("Transactions", st.transactions)};
  s.methods = stack_.traffic().rows();
  for (const auto& [realm, t] : stack_.traffic_by_realm()) s.methods_by_realm.emplace_back(realm, t.rows());
  s.call_setup = setup_;
  s.config_activations = activations_;

  const b2bua::B2bua& b = stack_.b2bua();
  const auto& c = b.counters();
  const auto& k = stack_.counters();
  s.sip_counters = {{"Calls attempted", c.calls_attempted},   {"Calls answered", c.calls_answered},
                    {"Calls failed", c.calls_failed},         {"Calls cancelled", c.calls_cancelled},
                    {"Requests rejected (400/404/503)", c.requests_rejected},
                    {"Messages received", k.received},        {"Malformed messages", k.malformed},
                    {"Malformed answered with 400", k.answered_400}, {"Messages not sent", k.send_failures},
                    {"HEP datagrams sent", k.hep_sent},       {"HEP datagrams not sent", k.hep_failed},
                    {"Callers behind a NAT", c.callers_behind_nat}, {"NAT mappings moved", c.nat_mappings_moved}};
  s.transfer_counters = {{"REFERs proxied", c.refers_proxied},     {"REFERs refused", c.refers_refused},
                         {"Transfers started", c.transfers_started}, {"Transfers succeeded", c.transfers_succeeded},
                         {"Transfers failed", c.transfers_failed}};

  const std::uint64_t now_ms = monotonic_ms();
  for (const auto& [realm, g] : stack_.guards()) {
    const admission::GuardCounters& k2 = g.counters();
    s.admission.push_back({realm, g.trusted(), k2.admitted, k2.rate_limited, k2.denied_drops, k2.table_full, k2.denials, g.tracked()});
    for (const auto& d : g.denied(now_ms)) s.denied.push_back({realm, d.address, d.seconds_left, d.dropped});
  }

  for (const auto& realm : running_.realms) {
    mgmt::RealmRow r;
    r.realm = realm.identifier, r.constraint = realm.constraint_name;
    if (auto it = b.realm_loads().find(realm.identifier); it != b.realm_loads().end()) {
      const routing::RealmLoad& l = it->second;
      r.in_active = l.in.active, r.out_active = l.out.active, r.in_total = l.in.total, r.out_total = l.out.total;
      r.refused = l.in.refused;
      r.in_rate = l.in.rate.per_second(now_ms / 1000), r.out_rate = l.out.rate.per_second(now_ms / 1000);
    }
    s.realms.push_back(std::move(r));
  }

  for (const auto& a : running_.session_agents) {
    mgmt::AgentRow r;
    r.name = a.hostname, r.realm = a.realm_id;
    r.address = (a.ip_address.empty() ? a.hostname : a.ip_address) + ":" + std::to_string(a.port);
    r.max = a.max_sessions;
    auto it = b.agents().find(a.hostname);
    const bool up = it == b.agents().end() || it->second.in_service;
    r.state = !a.state ? "disabled" : up ? "in-service" : "out-of-service";
    if (it != b.agents().end()) {
      r.active = it->second.active_sessions, r.total = it->second.total_sessions;
      r.pings_sent = it->second.pings_sent, r.pings_failed = it->second.pings_unanswered;
      r.rate = it->second.session_rate.per_second(now_ms / 1000);
    }
    s.agents.push_back(std::move(r));
  }

  for (const auto& call : b.calls()) {
    mgmt::CallRow r;
    r.id = call.id, r.state = call.transfer_kind.empty() ? call.state : "transferring";
    r.a_realm = call.a_realm, r.a_peer = call.a_peer, r.from_user = call.from_user;
    r.b_realm = call.b_realm, r.b_peer = call.b_peer, r.to_user = call.to_user;
    r.seconds = now_ms > call.started_ms ? (now_ms - call.started_ms) / 1000 : 0;
    r.media_anchored = fast_path_ && fast_path_->media() && fast_path_->media()->session(call.id);
    s.calls.push_back(r);
    if (!call.transfer_kind.empty())
      s.transfers.push_back({call.id, call.transfer_kind, call.transfer_stage, call.transfer_target});
  }
  if (fast_path_) fast_path_->report(s);
  return s;
}

}  // namespace palisade::daemon
