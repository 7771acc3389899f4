#include "metrics/families.hpp"

#include <prometheus/text_serializer.h>

#include <array>
#include <cctype>
#include <limits>

namespace palisade::metrics {

namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;
using Labels = std::vector<ClientMetric::Label>;

class Builder {
 public:
  MetricFamily& family(std::string name, std::string help, MetricType type) {
    out_.push_back({std::move(name), std::move(help), type, {}});
    return out_.back();
  }
  void counter(std::string name, std::string help, double v, Labels l = {}) {
    add(family(std::move(name), std::move(help), MetricType::Counter), v, std::move(l));
  }
  void gauge(std::string name, std::string help, double v, Labels l = {}) {
    add(family(std::move(name), std::move(help), MetricType::Gauge), v, std::move(l));
  }
  static void add(MetricFamily& f, double v, Labels l = {}) {
    ClientMetric m;
    m.label = std::move(l);
    if (f.type == MetricType::Counter) m.counter.value = v;
    else m.gauge.value = v;
    f.metric.push_back(std::move(m));
  }
  std::vector<MetricFamily> take() { return std::move(out_); }

 private:
  std::vector<MetricFamily> out_;
};

constexpr std::array<const char*, 6> kClasses{"1xx", "2xx", "3xx", "4xx", "5xx", "6xx"};
constexpr std::array<const char*, 2> kDirections{"in", "out"};

}  // namespace

std::vector<MetricFamily> families(const mgmt::Status& s) {
  Builder b;
  b.gauge("palisade_build_info", "Palisade's version (the value is always 1)", 1, {{"version", s.version}});
  b.gauge("palisade_uptime_seconds", "seconds since sbcd started", static_cast<double>(s.uptime_seconds));
  b.gauge("palisade_config_version", "version of the running configuration", s.running_version);
  b.counter("palisade_config_activations_total", "configurations applied live (activate-config, SIGHUP)",
            static_cast<double>(s.config_activations));

  // SIP messages by realm, method, direction and response class.
  auto& req = b.family("palisade_sip_requests_total", "SIP requests by realm, method and direction", MetricType::Counter);
  auto& rsp = b.family("palisade_sip_responses_total", "SIP responses by realm, method of their request, status class and direction",
                       MetricType::Counter);
  for (const auto& [realm, rows] : s.methods_by_realm)
    for (const auto& r : rows)
      for (int d = 0; d < 2; ++d) {
        const std::string dir = kDirections[static_cast<std::size_t>(d)];
        Builder::add(req, static_cast<double>(d ? r.requests_out : r.requests_in),
                     {{"direction", dir}, {"method", r.method}, {"realm", realm}});
        const auto& classes = d ? r.responses_out : r.responses_in;
        for (std::size_t c = 0; c < classes.size(); ++c)
          Builder::add(rsp, static_cast<double>(classes[c]),
                       {{"class", kClasses[c]}, {"direction", dir}, {"method", r.method}, {"realm", realm}});
      }

  for (const auto& row : s.sipd) {
    std::string what = row.name;
    for (auto& ch : what) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    b.gauge("palisade_sip_" + what + "_active", "SIP " + what + " now", static_cast<double>(row.active));
    b.counter("palisade_sip_" + what + "_total", "SIP " + what + " begun", static_cast<double>(row.total));
  }

  // Calls: the counters by name, as show sipd lists them.
  auto find = [&](const std::string& name) -> double {
    for (const auto& [n, v] : s.sip_counters)
      if (n == name) return static_cast<double>(v);
    return 0;
  };
  b.gauge("palisade_calls_active", "calls through the SBC now", s.sipd.empty() ? 0 : static_cast<double>(s.sipd[0].active));
  b.counter("palisade_calls_attempted_total", "INVITEs that began a call", find("Calls attempted"));
  b.counter("palisade_calls_answered_total", "calls answered (2xx to the caller)", find("Calls answered"));
  auto& failed = b.family("palisade_calls_failed_total", "calls that ended before an answer, by reason", MetricType::Counter);
  Builder::add(failed, find("Calls failed"), {{"reason", "final_response"}});
  Builder::add(failed, find("Calls cancelled"), {{"reason", "cancelled"}});
  Builder::add(failed, find("Requests rejected (400/404/503)"), {{"reason", "rejected"}});
  auto& nat = b.family("palisade_sip_nat_total", "callers whose signalling came through a NAT, and NAT mappings that moved",
                       MetricType::Counter);
  Builder::add(nat, find("Callers behind a NAT"), {{"event", "caller_behind_nat"}});
  Builder::add(nat, find("NAT mappings moved"), {{"event", "mapping_moved"}});
  b.counter("palisade_sip_malformed_total", "datagrams or stream messages that did not parse", find("Malformed messages"));
  auto& hep = b.family("palisade_hep_datagrams_total", "HEPv3 datagrams to the collector, sent or not", MetricType::Counter);
  Builder::add(hep, find("HEP datagrams sent"), {{"result", "sent"}});
  Builder::add(hep, find("HEP datagrams not sent"), {{"result", "failed"}});

  auto& setup = b.family("palisade_call_setup_seconds", "time from a call's INVITE to the caller's 2xx", MetricType::Histogram);
  {
    ClientMetric m;
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < s.call_setup.counts.size(); ++i) {
      cumulative += s.call_setup.counts[i];
      const double bound = i < s.call_setup.bounds.size() ? s.call_setup.bounds[i] : std::numeric_limits<double>::infinity();
      m.histogram.bucket.push_back({cumulative, bound});
    }
    m.histogram.sample_count = s.call_setup.count;
    m.histogram.sample_sum = s.call_setup.sum;
    setup.metric.push_back(std::move(m));
  }

  auto& transfers = b.family("palisade_transfers_total", "REFERs by what the SBC did with them and how transfers ended",
                             MetricType::Counter);
  const std::array<std::array<const char*, 3>, 5> kTransfer{{{"REFERs proxied", "proxy", "relayed"},
                                                             {"REFERs refused", "performed", "refused"},
                                                             {"Transfers started", "performed", "started"},
                                                             {"Transfers succeeded", "performed", "succeeded"},
                                                             {"Transfers failed", "performed", "failed"}}};
  for (const auto& t : kTransfer) {
    double v = 0;
    for (const auto& [n, c] : s.transfer_counters)
      if (n == t[0]) v = static_cast<double>(c);
    Builder::add(transfers, v, {{"mode", t[1]}, {"result", t[2]}});
  }

  auto& admitted = b.family("palisade_admission_messages_total",
                            "SIP messages by realm and what admission did with them: admitted, or dropped unanswered "
                            "(over the source's rate, from a denied source, no room to track the source)",
                            MetricType::Counter);
  auto& denials = b.family("palisade_admission_denials_total", "sources denied for repeated malformed messages", MetricType::Counter);
  auto& denied_now = b.family("palisade_admission_denied_sources", "sources denied now", MetricType::Gauge);
  for (const auto& a : s.admission) {
    const std::array<std::pair<const char*, std::uint64_t>, 4> verdicts{
        {{"admitted", a.admitted}, {"rate_limited", a.rate_limited}, {"denied", a.denied_drops}, {"table_full", a.table_full}}};
    for (const auto& [verdict, n] : verdicts) Builder::add(admitted, static_cast<double>(n), {{"realm", a.realm}, {"verdict", verdict}});
    Builder::add(denials, static_cast<double>(a.denials), {{"realm", a.realm}});
    std::size_t now = 0;
    for (const auto& d : s.denied) now += d.realm == a.realm;
    Builder::add(denied_now, static_cast<double>(now), {{"realm", a.realm}});
  }

  auto& realm_active = b.family("palisade_realm_sessions_active", "calls of the realm now, by direction (in: arrived from it)",
                                MetricType::Gauge);
  auto& realm_total = b.family("palisade_realm_sessions_total", "calls of the realm, by direction", MetricType::Counter);
  auto& realm_refused = b.family("palisade_realm_sessions_refused_total",
                                 "calls from the realm refused by its session-constraints (503)", MetricType::Counter);
  for (const auto& r : s.realms) {
    Builder::add(realm_active, static_cast<double>(r.in_active), {{"realm", r.realm}, {"direction", "in"}});
    Builder::add(realm_active, static_cast<double>(r.out_active), {{"realm", r.realm}, {"direction", "out"}});
    Builder::add(realm_total, static_cast<double>(r.in_total), {{"realm", r.realm}, {"direction", "in"}});
    Builder::add(realm_total, static_cast<double>(r.out_total), {{"realm", r.realm}, {"direction", "out"}});
    Builder::add(realm_refused, static_cast<double>(r.refused), {{"realm", r.realm}});
  }

  auto& up = b.family("palisade_session_agent_up", "1 when the session agent is in service", MetricType::Gauge);
  auto& sa_active = b.family("palisade_session_agent_sessions_active", "calls to the session agent now", MetricType::Gauge);
  auto& sa_total = b.family("palisade_session_agent_sessions_total", "calls sent to the session agent", MetricType::Counter);
  auto& pings = b.family("palisade_session_agent_pings_total", "OPTIONS pings sent to the session agent", MetricType::Counter);
  auto& lost = b.family("palisade_session_agent_pings_unanswered_total", "OPTIONS pings that got no answer",
                        MetricType::Counter);
  for (const auto& a : s.agents) {
    const Labels l{{"agent", a.name}, {"realm", a.realm}};
    Builder::add(up, a.state == "in-service" ? 1 : 0, l);
    Builder::add(sa_active, static_cast<double>(a.active), l);
    Builder::add(sa_total, static_cast<double>(a.total), l);
    Builder::add(pings, static_cast<double>(a.pings_sent), l);
    Builder::add(lost, static_cast<double>(a.pings_failed), l);
  }

  const auto& m = s.media;
  b.gauge("palisade_media_enabled", "1 when the DPDK fast path runs", m.enabled ? 1 : 0);
  if (m.enabled) {
    b.gauge("palisade_media_streams_anchored", "calls whose media the fast path relays", static_cast<double>(m.streams_active));
    b.gauge("palisade_media_flows_active", "flows in the fast path's table", static_cast<double>(m.flows_active));
    b.gauge("palisade_media_flows_latched", "flows that latched to their remote address", static_cast<double>(m.flows_latched));
    b.gauge("palisade_media_flows_capacity", "flows the table holds", static_cast<double>(m.flows_capacity));
    b.gauge("palisade_steering_port_pairs_free", "RTP/RTCP port pairs left in the steering pools", static_cast<double>(m.ports_free));
    b.counter("palisade_media_idle_calls_ended_total", "calls ended because their media stopped",
              static_cast<double>(m.calls_ended_idle));
    auto& moved = b.family("palisade_media_transfers_total",
                           "transfers with anchored media: calls joined, sides moved to another realm, released to direct media",
                           MetricType::Counter);
    Builder::add(moved, static_cast<double>(m.transfers_joined), {{"action", "joined"}});
    Builder::add(moved, static_cast<double>(m.transfers_rehomed), {{"action", "rehomed"}});
    Builder::add(moved, static_cast<double>(m.transfers_released), {{"action", "released"}});
    b.gauge("palisade_mempool_mbufs_in_use", "packet buffers in use", static_cast<double>(s.mbufs_in_use));
    b.gauge("palisade_mempool_mbufs", "packet buffers in the pool", static_cast<double>(s.mbufs_total));
    auto& rx = b.family("palisade_port_received_packets_total", "frames the port received", MetricType::Counter);
    auto& tx = b.family("palisade_port_transmitted_packets_total", "frames the port sent", MetricType::Counter);
    auto& punted = b.family("palisade_port_punted_packets_total", "frames handed to the kernel (exception path)",
                            MetricType::Counter);
    auto& link = b.family("palisade_port_up", "1 when the port's link is up", MetricType::Gauge);
    for (const auto& p : s.ports) {
      Builder::add(rx, static_cast<double>(p.rx), {{"port", p.name}});
      Builder::add(tx, static_cast<double>(p.tx), {{"port", p.name}});
      Builder::add(punted, static_cast<double>(p.punted), {{"port", p.name}});
      Builder::add(link, p.up ? 1 : 0, {{"port", p.name}});
    }
    auto& relayed = b.family("palisade_port_relayed_packets_total", "RTP/RTCP packets relayed, by the port they came in on",
                             MetricType::Counter);
    auto& relayed_bytes = b.family("palisade_port_relayed_bytes_total",
                                   "bytes of the RTP/RTCP frames relayed (Ethernet, IP and UDP headers included), by the port they came in on",
                                   MetricType::Counter);
    auto& drops = b.family("palisade_port_dropped_packets_total", "frames the fast path dropped, by port and reason",
                           MetricType::Counter);
    for (const auto& p : s.ports) {
      Builder::add(relayed, static_cast<double>(p.relayed), {{"port", p.name}});
      Builder::add(relayed_bytes, static_cast<double>(p.relayed_bytes), {{"port", p.name}});
      for (const auto& [why, n] : p.drops) Builder::add(drops, static_cast<double>(n), {{"port", p.name}, {"reason", why}});
    }
    auto& polls = b.family("palisade_worker_polls_total",
                           "polls of the worker lcore that found packets (busy) or none (idle); busy ratio = "
                           "rate(busy) / rate(busy + idle)",
                           MetricType::Counter);
    const std::string lcore = std::to_string(s.worker_lcore);
    Builder::add(polls, static_cast<double>(s.worker_busy_polls), {{"lcore", lcore}, {"result", "busy"}});
    Builder::add(polls, static_cast<double>(s.worker_idle_polls), {{"lcore", lcore}, {"result", "idle"}});
  }
  return b.take();
}

std::string text(const std::vector<prometheus::MetricFamily>& families) {
  return prometheus::TextSerializer().Serialize(families);
}

}  // namespace palisade::metrics
