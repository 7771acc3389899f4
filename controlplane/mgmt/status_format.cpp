#include <cstdarg>
#include <cstdio>

#include "mgmt/status.hpp"

namespace palisade::mgmt {

namespace {

std::string line(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
std::string line(const char* fmt, ...) {
  char buf[256];
  va_list ap;
  va_start(ap, fmt);
  std::vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  return std::string(buf) + "\n";
}

// Fits a field into `width` columns, so one long name cannot push a table past 80.
std::string fit(const std::string& s, std::size_t width) {
  return s.size() <= width ? s : s.substr(0, width - 1) + "~";
}

std::string duration(std::uint64_t s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%llud %02llu:%02llu:%02llu", static_cast<unsigned long long>(s / 86400),
                static_cast<unsigned long long>(s / 3600 % 24), static_cast<unsigned long long>(s / 60 % 60),
                static_cast<unsigned long long>(s % 60));
  return buf;
}

using ull = unsigned long long;

}  // namespace

std::string format_version(const Status& s) {
  return line("Palisade SBC %s", s.version.c_str()) + line("Host name: %s", s.hostname.c_str()) +
         line("Uptime: %s", duration(s.uptime_seconds).c_str());
}

std::string format_health(const Status& s) {
  std::size_t out_of_service = 0;
  for (const auto& a : s.agents) out_of_service += a.state == "out-of-service";
  std::string out = line("%-30s %s", "Host name", s.hostname.c_str());
  out += line("%-30s %s", "Uptime", duration(s.uptime_seconds).c_str());
  out += line("%-30s %s (version %u)", "Running configuration", fit(s.config_file, 36).c_str(), s.running_version);
  out += line("%-30s %llu", "Active calls", static_cast<ull>(s.sipd.empty() ? 0 : s.sipd[0].active));
  out += line("%-30s %zu of %zu", "Session agents out of service", out_of_service, s.agents.size());
  out += line("%-30s %s", "Media fast path", s.media.enabled ? "running" : "disabled (kernel interfaces)");
  std::size_t down = 0;
  for (const auto& p : s.ports) down += !p.up;
  if (s.media.enabled) out += line("%-30s %zu of %zu", "Ports down", down, s.ports.size());
  const bool healthy = out_of_service == 0 && down == 0;
  out += line("%-30s %s", "Health", healthy ? "good" : "degraded");
  return out;
}

std::string format_sipd(const Status& s) {
  std::string out = line("%-26s %12s %12s %12s %12s", "SIP Status", "Active", "High", "Total", "PerMax");
  for (const auto& r : s.sipd)
    out += line("%-26s %12llu %12llu %12llu %12llu", fit(r.name, 26).c_str(), static_cast<ull>(r.active),
                static_cast<ull>(r.high), static_cast<ull>(r.total), static_cast<ull>(r.per_max));
  out += "\n";
  out += line("%-10s %-3s %8s %7s %7s %7s %7s %7s %7s", "Method", "Dir", "Requests", "1xx", "2xx", "3xx", "4xx",
              "5xx", "6xx");
  for (const auto& m : s.methods) {
    for (int dir = 0; dir < 2; ++dir) {
      const auto& r = dir ? m.responses_out : m.responses_in;
      const std::uint64_t req = dir ? m.requests_out : m.requests_in;
      out += line("%-10s %-3s %8llu %7llu %7llu %7llu %7llu %7llu %7llu", dir ? "" : fit(m.method, 10).c_str(),
                  dir ? "out" : "in", static_cast<ull>(req), static_cast<ull>(r[0]), static_cast<ull>(r[1]),
                  static_cast<ull>(r[2]), static_cast<ull>(r[3]), static_cast<ull>(r[4]), static_cast<ull>(r[5]));
    }
  }
  if (!s.sip_counters.empty()) out += "\n";
  for (const auto& [name, n] : s.sip_counters) out += line("%-40s %12llu", fit(name, 40).c_str(), static_cast<ull>(n));
  return out;
}

std::string format_agents(const Status& s) {
  // Rate: sessions per second sent to the agent, averaged over the last 10 seconds.
  std::string out = line("%-14s %-8s %-15s %-14s %5s %5s %6s %5s", "Agent", "Realm", "Address", "State", "Active",
                         "Max", "Total", "Rate");
  for (const auto& a : s.agents)
    out += line("%-14s %-8s %-15s %-14s %5llu %5s %6llu %5.1f", fit(a.name, 14).c_str(), fit(a.realm, 8).c_str(),
                fit(a.address, 15).c_str(), a.state.c_str(), static_cast<ull>(a.active),
                a.max ? std::to_string(a.max).c_str() : "-", static_cast<ull>(a.total), a.rate);
  if (s.agents.empty()) out += "no session agents configured\n";
  return out;
}

std::string format_calls(const Status& s) {
  std::string out = line("%-6s %-12s %-25s %-25s %6s", "Call", "State", "A leg (realm user@peer)", "B leg",
                         "Secs");
  for (const auto& c : s.calls) {
    const std::string a = c.a_realm + " " + c.from_user + "@" + c.a_peer;
    const std::string b = c.b_realm + " " + c.to_user + "@" + c.b_peer;
    out += line("%-6llu %-12s %-25s %-25s %6llu", static_cast<ull>(c.id),
                fit(c.state + (c.media_anchored ? "+m" : ""), 12).c_str(), fit(a, 25).c_str(), fit(b, 25).c_str(),
                static_cast<ull>(c.seconds));
  }
  out += line("%zu active calls (+m: media anchored in the fast path)", s.calls.size());
  return out;
}

std::string format_acls(const Status& s) {
  std::string out = line("%-10s %-9s %10s %10s %10s %7s %8s", "Realm", "Trust", "Admitted", "Over-rate", "From-deny",
                         "Denials", "Sources");
  for (const auto& a : s.admission)
    out += line("%-10s %-9s %10llu %10llu %10llu %7llu %8llu", fit(a.realm, 10).c_str(), a.trusted ? "high" : "policed",
                static_cast<ull>(a.admitted), static_cast<ull>(a.rate_limited), static_cast<ull>(a.denied_drops),
                static_cast<ull>(a.denials), static_cast<ull>(a.tracked));
  if (s.admission.empty()) out += "no realms configured\n";
  out += "\n";
  if (s.denied.empty()) return out + "No source is denied.\n";
  out += line("%-10s %-39s %8s %12s", "Realm", "Denied source", "Seconds", "Dropped");
  for (const auto& d : s.denied)
    out += line("%-10s %-39s %8llu %12llu", fit(d.realm, 10).c_str(), fit(d.address, 39).c_str(),
                static_cast<ull>(d.seconds_left), static_cast<ull>(d.dropped));
  return out;
}

std::string format_realms(const Status& s) {
  // In/Out: calls arrived from / sent into the realm now; Refused: arrivals a constraint turned
  // away; rates: calls per second over the last 10 seconds.
  std::string out = line("%-10s %-10s %6s %6s %10s %10s %8s %5s %5s", "Realm", "Constraint", "In", "Out", "In-total",
                         "Out-total", "Refused", "In/s", "Out/s");
  for (const auto& r : s.realms)
    out += line("%-10s %-10s %6llu %6llu %10llu %10llu %8llu %5.1f %5.1f", fit(r.realm, 10).c_str(),
                r.constraint.empty() ? "-" : fit(r.constraint, 10).c_str(), static_cast<ull>(r.in_active),
                static_cast<ull>(r.out_active), static_cast<ull>(r.in_total), static_cast<ull>(r.out_total),
                static_cast<ull>(r.refused), r.in_rate, r.out_rate);
  if (s.realms.empty()) out += "no realms configured\n";
  return out;
}

std::string format_transfers(const Status& s) {
  std::string out = line("%-6s %-9s %-30s %-30s", "Call", "Kind", "State", "Target");
  for (const auto& t : s.transfers)
    out += line("%-6llu %-9s %-30s %-30s", static_cast<ull>(t.call), t.kind.c_str(), fit(t.state, 30).c_str(),
                fit(t.target, 30).c_str());
  out += line("%zu transfers in progress", s.transfers.size());
  for (const auto& [name, n] : s.transfer_counters) out += line("%-40s %12llu", fit(name, 40).c_str(), static_cast<ull>(n));
  return out;
}

std::string format_mbcd(const Status& s) {
  const auto& m = s.media;
  if (!m.enabled) return "Media fast path disabled (media-manager state); SDP crosses unanchored\n";
  std::string out = line("%-40s %12s", "Media", "Value");
  out += line("%-40s %12llu", "Streams anchored", static_cast<ull>(m.streams_active));
  out += line("%-40s %12llu", "Flows active", static_cast<ull>(m.flows_active));
  out += line("%-40s %12llu", "Flows latched", static_cast<ull>(m.flows_latched));
  out += line("%-40s %12llu", "Flow table capacity", static_cast<ull>(m.flows_capacity));
  out += line("%-40s %12llu", "Steering port pairs free", static_cast<ull>(m.ports_free));
  out += line("%-40s %12llu", "Packets relayed", static_cast<ull>(m.relayed_packets));
  out += line("%-40s %12llu", "Calls ended by media inactivity", static_cast<ull>(m.calls_ended_idle));
  out += line("%-40s %12llu", "Transfers: calls' media joined", static_cast<ull>(m.transfers_joined));
  out += line("%-40s %12llu", "Transfers: side moved to another realm", static_cast<ull>(m.transfers_rehomed));
  out += line("%-40s %12llu", "Transfers: released to direct media", static_cast<ull>(m.transfers_released));
  for (const auto& [why, n] : m.drops)
    out += line("%-40s %12llu", fit("Dropped: " + why, 40).c_str(), static_cast<ull>(n));
  return out;
}

std::string format_interfaces(const Status& s) {
  if (s.ports.empty()) return "No fast-path ports (media-manager disabled); SIP uses the kernel's interfaces\n";
  std::string out = line("%-10s %-4s %-14s %12s %12s %10s %10s", "Port", "Link", "Tap", "Rx", "Tx", "Punted",
                         "Dropped");
  for (const auto& p : s.ports)
    out += line("%-10s %-4s %-14s %12llu %12llu %10llu %10llu", fit(p.name, 10).c_str(), p.up ? "up" : "down",
                fit(p.tap, 14).c_str(), static_cast<ull>(p.rx), static_cast<ull>(p.tx), static_cast<ull>(p.punted),
                static_cast<ull>(p.dropped));
  return out;
}

}  // namespace palisade::mgmt
