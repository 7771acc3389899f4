// What the ACLI's show commands report on the running system. sbcd fills a Status from its live
// objects when a show command asks (StatusSource); status_format.cpp turns it into the tables,
// so the layout is tested without a daemon.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "trace/call_trace.hpp"

namespace palisade::mgmt {

// A count of things that begin and end (sessions, dialogs, transactions), as Oracle's show sipd
// reports them: active now, highest active, begun in all, most begun in one window.
class StatCounter {
 public:
  static constexpr std::uint64_t kWindowSeconds = 100;
  void begin(std::uint64_t now_s) {
    roll(now_s);
    ++active_, ++total_, ++window_count_;
    if (active_ > high_) high_ = active_;
    if (window_count_ > per_max_) per_max_ = window_count_;
  }
  void end() {
    if (active_) --active_;
  }
  // For counts kept elsewhere (the transaction layer's tables): take the current value.
  void sample(std::uint64_t active) {
    active_ = active;
    if (active_ > high_) high_ = active_;
  }
  void add_total(std::uint64_t now_s, std::uint64_t n) {
    roll(now_s);
    total_ += n, window_count_ += n;
    if (window_count_ > per_max_) per_max_ = window_count_;
  }
  std::uint64_t active() const { return active_; }
  std::uint64_t high() const { return high_; }
  std::uint64_t total() const { return total_; }
  std::uint64_t per_max() const { return per_max_; }

 private:
  void roll(std::uint64_t now_s) {
    if (now_s >= window_start_ + kWindowSeconds) window_start_ = now_s - now_s % kWindowSeconds, window_count_ = 0;
  }
  std::uint64_t active_ = 0, high_ = 0, total_ = 0, per_max_ = 0, window_start_ = 0, window_count_ = 0;
};

// Observations counted into buckets by upper bound, as a Prometheus histogram reports them.
struct Histogram {
  std::vector<double> bounds;          // upper bounds, ascending
  std::vector<std::uint64_t> counts;   // per bucket; one more than bounds (the +Inf bucket)
  double sum = 0;
  std::uint64_t count = 0;
  Histogram() : counts(1, 0) {}
  explicit Histogram(std::vector<double> b) : bounds(std::move(b)), counts(bounds.size() + 1, 0) {}
  void observe(double v) {
    std::size_t i = 0;
    while (i < bounds.size() && v > bounds[i]) ++i;
    ++counts[i], sum += v, ++count;
  }
};

struct StatRow {
  std::string name;
  std::uint64_t active = 0, high = 0, total = 0, per_max = 0;
};

// Requests and responses of one method, by direction; responses by class 1xx..6xx.
struct MethodRow {
  std::string method;
  std::uint64_t requests_in = 0, requests_out = 0;
  std::array<std::uint64_t, 6> responses_in{}, responses_out{};
};

struct AgentRow {
  std::string name, realm, address;
  std::string state;  // in-service, out-of-service, disabled
  std::uint64_t active = 0, max = 0, total = 0;
  std::uint64_t pings_sent = 0, pings_failed = 0;
  double rate = 0;  // sessions per second sent to it over the last 10 s
};

struct CallRow {
  std::uint64_t id = 0;
  std::string state;  // ringing, answered, transferring, ending
  std::string a_realm, a_peer, from_user;
  std::string b_realm, b_peer, to_user;
  std::uint64_t seconds = 0;
  bool media_anchored = false;
};

struct TransferRow {
  std::uint64_t call = 0;
  std::string kind;   // blind, attended
  std::string state;  // what the transfer waits for
  std::string target;
};

struct PortRow {
  std::string name, device, tap;
  bool up = false;
  std::uint64_t rx = 0, tx = 0, punted = 0, dropped = 0, relayed = 0, relayed_bytes = 0;
  std::vector<std::pair<std::string, std::uint64_t>> drops;  // by reason
};

// Admission per realm (show sipd acls): what its guard let in or dropped, and whom it denies.
struct AdmissionRow {
  std::string realm;
  bool trusted = true;
  std::uint64_t admitted = 0, rate_limited = 0, denied_drops = 0, table_full = 0, denials = 0, tracked = 0;
};
// A realm's calls as its session-constraints count them (show sipd realms).
struct RealmRow {
  std::string realm, constraint;  // constraint: the session-constraints it names, "" for none
  std::uint64_t in_active = 0, out_active = 0, in_total = 0, out_total = 0, refused = 0;
  double in_rate = 0, out_rate = 0;  // calls per second over the last 10 s
};
struct DeniedRow {
  std::string realm, address;
  std::uint64_t seconds_left = 0, dropped = 0;
};

struct MediaStatus {
  bool enabled = false;
  std::uint64_t flows_active = 0, flows_latched = 0, flows_capacity = 0;
  std::uint64_t streams_active = 0, ports_free = 0;
  std::uint64_t relayed_packets = 0;
  std::vector<std::pair<std::string, std::uint64_t>> drops;  // reason, packets
  std::uint64_t calls_ended_idle = 0;
  // Transfers with anchored media: calls joined (attended), sides moved to another realm,
  // calls released to direct media afterwards.
  std::uint64_t transfers_joined = 0, transfers_rehomed = 0, transfers_released = 0;
};

struct Status {
  std::string version, hostname;
  std::uint64_t uptime_seconds = 0;
  std::string config_file;
  std::uint32_t running_version = 0;
  std::vector<StatRow> sipd;  // Sessions, Dialogs, Transactions, ...
  std::vector<MethodRow> methods;
  std::vector<std::pair<std::string, std::vector<MethodRow>>> methods_by_realm;
  Histogram call_setup;  // seconds from INVITE to the caller's 2xx
  std::uint64_t config_activations = 0;
  std::uint64_t mbufs_in_use = 0, mbufs_total = 0;
  std::uint32_t worker_lcore = 0;
  std::uint64_t worker_busy_polls = 0, worker_idle_polls = 0;
  std::vector<std::pair<std::string, std::uint64_t>> sip_counters;  // malformed, rejected, ...
  std::vector<AgentRow> agents;
  std::vector<AdmissionRow> admission;
  std::vector<DeniedRow> denied;
  std::vector<RealmRow> realms;
  std::vector<CallRow> calls;
  std::vector<TransferRow> transfers;
  std::vector<std::pair<std::string, std::uint64_t>> transfer_counters;
  MediaStatus media;
  std::vector<PortRow> ports;
};

class StatusSource {
 public:
  virtual ~StatusSource() = default;
  virtual Status status() const = 0;
  // Recent calls' SIP messages (show sipd call-flow); nullptr where none are kept.
  virtual const trace::CallTrace* call_trace() const { return nullptr; }
  // save-call-flow: writes the call as a pcap file; "" when written, else the reason.
  virtual std::string save_call_pcap(const trace::TracedCall&, const std::string& path) const {
    return "cannot write " + path + " here";
  }
};

// The show commands' tables, each line at most 80 columns.
std::string format_version(const Status& s);
std::string format_health(const Status& s);
std::string format_sipd(const Status& s);
std::string format_agents(const Status& s);
std::string format_calls(const Status& s);
std::string format_transfers(const Status& s);
std::string format_acls(const Status& s);
std::string format_realms(const Status& s);
std::string format_mbcd(const Status& s);
std::string format_interfaces(const Status& s);

}  // namespace palisade::mgmt
