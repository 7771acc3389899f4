// SourceGuard: who may send SIP to one realm of the SBC, decided per source address before a
// message is parsed. Untrusted sources (realm-config access-control-trust-level other than
// high) get a token bucket of maximum-signal-threshold messages per second; a source that sends
// invalid-signal-threshold malformed messages within kInvalidWindowS is denied for deny-period
// seconds and everything it sends is dropped unanswered, so a scanner or flood costs the
// control thread a hash look-up per datagram and gets nothing back. State is bounded: at most
// kMaxSources tracked per realm; idle ones are forgotten, and when the table is full a new
// source is dropped (counted) rather than let through untracked. Pure: time comes in.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace palisade::admission {

struct GuardConfig {
  bool trusted = true;                // access-control-trust-level high: nothing is policed
  std::uint32_t max_per_second = 0;   // maximum-signal-threshold; 0 = no rate limit
  std::uint32_t invalid_limit = 0;    // invalid-signal-threshold; 0 = never deny
  std::uint32_t deny_seconds = 30;    // deny-period
};

enum class Verdict { Admit, RateLimited, Denied, TableFull };

struct GuardCounters {
  std::uint64_t admitted = 0, rate_limited = 0, denied_drops = 0, table_full = 0, denials = 0;
};

struct DeniedSource {
  std::string address;
  std::uint64_t seconds_left = 0;
  std::uint64_t dropped = 0;  // messages dropped since it was denied
};

class SourceGuard {
 public:
  static constexpr std::size_t kMaxSources = 100000;
  static constexpr std::uint64_t kInvalidWindowS = 30;

  explicit SourceGuard(GuardConfig c = {}) : cfg_(c) {}
  void configure(GuardConfig c) { cfg_ = c; }

  // A datagram or stream message from `source` arrives at `now_ms`.
  Verdict admit(std::string_view source, std::uint64_t now_ms);
  // It did not parse: counts toward denying the source.
  void invalid(std::string_view source, std::uint64_t now_ms);
  // Forgets sources idle for a while and ends expired denials (call about once a second).
  void sweep(std::uint64_t now_ms);

  bool trusted() const { return cfg_.trusted; }
  const GuardCounters& counters() const { return counters_; }
  std::vector<DeniedSource> denied(std::uint64_t now_ms) const;
  std::size_t tracked() const { return sources_.size(); }

 private:
  struct Source {
    double tokens = 0;
    std::uint64_t refilled_ms = 0, last_seen_ms = 0;
    std::uint64_t invalid_window_start_ms = 0;
    std::uint32_t invalid_in_window = 0;
    std::uint64_t denied_until_ms = 0, dropped_while_denied = 0;
  };
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  // The source's entry, made if it is new; nullptr when kMaxSources are tracked already.
  Source* find_or_add(std::string_view source, std::uint64_t now_ms);

  GuardConfig cfg_;
  GuardCounters counters_;
  std::unordered_map<std::string, Source, Hash, std::equal_to<>> sources_;
};

}  // namespace palisade::admission
