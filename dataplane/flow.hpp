// What the control plane asks the fast path to do with a stream, and what the fast path keeps
// of it. A flow is one direction of one media stream: packets arriving on (port, local address,
// local UDP port) -- a steering-pool address the SBC handed out in SDP -- leave by another port
// from the SBC's address on the other realm towards the remote endpoint.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <string>

#include "packet.hpp"

namespace palisade::dataplane {

// An IPv4 or IPv6 address in network order; IPv4 uses the first four bytes.
struct IpAddress {
  std::uint8_t family = 0;  // 4 or 6; 0 = none
  std::array<std::uint8_t, 16> bytes{};
  bool operator==(const IpAddress&) const = default;
  std::uint32_t size() const { return family == 4 ? 4 : 16; }
};
// Parses "192.0.2.1" or "2001:db8::1"; family 0 when it is neither.
IpAddress parse_ip(const std::string& text);
std::string to_string(const IpAddress& ip);

struct Endpoint {
  IpAddress ip;
  std::uint16_t port = 0;  // host order
  bool operator==(const Endpoint&) const = default;
};

// The hash key, with no padding left uninitialized so that rte_hash may hash and compare it as
// bytes. 32 bytes rather than the 21 it needs: rte_hash compares 32-byte keys with vector
// instructions and anything else with memcmp (measured: 4% of the relay's cycles).
struct FlowKey {
  std::uint8_t addr[16];
  std::uint16_t udp_port;  // host order
  std::uint16_t port;      // ethdev port the packet arrives on
  std::uint8_t family;
  std::uint8_t zero[11];
};
static_assert(sizeof(FlowKey) == 32);

inline FlowKey make_key(std::uint16_t port, const std::uint8_t* addr, std::uint8_t family, std::uint16_t udp_port) {
  FlowKey k;
  std::memset(&k, 0, sizeof k);
  std::memcpy(k.addr, addr, family == 4 ? 4 : 16);
  k.udp_port = udp_port;
  k.port = port;
  k.family = family;
  return k;
}
inline FlowKey make_key(std::uint16_t port, const Endpoint& local) {
  return make_key(port, local.ip.bytes.data(), local.ip.family, local.port);
}

// Symmetric RTP (latching): how a flow learns where its remote endpoint really is.
enum class LatchMode : std::uint8_t {
  Off,           // the destination stays what signalling said; any source is relayed
  Restricted,    // the first packet from the signalled IP (any port: NAT) fixes the source
  Unrestricted,  // the first packet from anywhere fixes it
};

// Why the fast path dropped a packet.
// NotMedia: a packet for the kernel on a port that has no exception device.
// SourceRate and SignalingRate: packets for the kernel over the exception path's rate for their
// source IP, or for their port (exception_policer.hpp).
enum class DropReason : std::uint8_t { Malformed, WrongSource, Unresolved, TtlExceeded, TxFull, NotMedia, SourceRate, SignalingRate, Count };
inline constexpr const char* drop_reason_name(DropReason r) {
  constexpr const char* kNames[] = {"malformed", "wrong_source", "unresolved", "ttl_exceeded",
                                    "tx_full",   "not_media",    "source_rate", "signaling_rate"};
  static_assert(std::size(kNames) == static_cast<std::size_t>(DropReason::Count));
  return kNames[static_cast<int>(r)];
}

// The control plane's request for one direction of a stream.
struct FlowSpec {
  std::uint16_t in_port = 0;   // ethdev port id where the media arrives
  Endpoint local;              // the SBC's steering address on that port
  std::uint16_t out_port = 0;  // where it leaves
  Endpoint source;             // the SBC's address it leaves from (the other realm's steering address)
  Endpoint destination;        // the remote endpoint as signalling said (port 0 = not known yet)
  std::array<std::uint8_t, 6> next_hop_mac{};  // towards destination; all zero = not resolved
  LatchMode latch = LatchMode::Restricted;
  IpAddress allowed_source;    // Restricted: the IP the first packet must come from
  bool relatch = false;        // accept a new source after latching (media handover)
  std::int32_t reverse = -1;   // slot of the other direction: latching points it at the source
  std::uint32_t initial_guard_s = 0, subsequent_guard_s = 0, time_limit_s = 0;  // 0 = off
};

// A relaxed counter with one writer (the worker) and lock-free readers (the control thread):
// the increment is a plain load and store, no locked instruction on the hot path.
struct Counter {
  std::atomic<std::uint64_t> v{0};
  void add(std::uint64_t n) { v.store(v.load(std::memory_order_relaxed) + n, std::memory_order_relaxed); }
  std::uint64_t get() const { return v.load(std::memory_order_relaxed); }
  void reset() { v.store(0, std::memory_order_relaxed); }
};

// Inactivity events (bit flags: each is reported once per flow).
enum class Idle : std::uint8_t { InitialGuard = 1, SubsequentGuard = 2, TimeLimit = 4 };

// The worker's copy of a flow: only what the per-packet path reads and writes, plus counters.
struct FlowEntry {
  std::uint16_t out_port = 0;
  std::uint8_t family = 0;
  LatchMode latch = LatchMode::Off;
  bool relatch = false;
  bool latched = false;
  bool resolved = false;  // destination and next-hop MAC known
  std::uint8_t reported = 0;  // Idle bits already reported
  std::uint8_t allowed[16]{};
  std::uint8_t remote_ip[16]{};  // what latching learned
  std::uint16_t remote_port = 0;  // network order
  std::uint8_t remote_mac[6]{};   // the MAC it came from (the endpoint, or the router before it)
  std::int32_t reverse = -1;
  Rewrite rw{};  // the addressing it leaves with; dst_* follow latching of the reverse flow
  std::uint64_t created = 0, last_seen = 0;  // TSC
  std::uint64_t initial_guard = 0, subsequent_guard = 0, time_limit = 0;  // TSC cycles, 0 = off
  Counter packets, bytes, wrong_source;
};

// What the worker reports to the control plane.
struct FlowEvent {
  enum class Type : std::uint8_t { Latched, Idle, Removed } type = Type::Latched;
  std::uint8_t idle = 0;  // Idle bit for Type::Idle
  std::uint16_t in_port = 0;
  std::int32_t slot = -1;
  Endpoint remote;  // Latched: the learned source
  std::uint64_t packets = 0, bytes = 0;
};

// Fills the worker's entry from a spec. `out_mac` is the egress port's own MAC. A modify
// (`keep_state`) keeps counters, age and the latched source unless the latching rule changed.
void load_entry(FlowEntry& e, const FlowSpec& s, const std::uint8_t* out_mac, std::uint64_t now, std::uint64_t hz,
                bool keep_state);

// A flow whose reverse has latched sends where the reverse learned its party really is (a NAT's
// mapping: address, port, and the MAC it came through), whatever the spec's SDP address says.
// Latching points the reverse so at once; an installed or modified flow (a re-INVITE, a transfer
// joining two calls) is pointed so again, as no packet would teach it while the reverse stays
// latched.
inline void follow_latch(FlowEntry& e, const FlowEntry& reverse) {
  if (!reverse.latched) return;
  std::memcpy(e.rw.dst_ip, reverse.remote_ip, sizeof e.rw.dst_ip);
  std::memcpy(e.rw.dst_port, &reverse.remote_port, 2);
  std::memcpy(e.rw.dst_mac, reverse.remote_mac, 6);
  e.resolved = true;
}

}  // namespace palisade::dataplane
