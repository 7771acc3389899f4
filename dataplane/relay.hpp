// The per-packet decision for a datagram that hit a flow: latch check, learning, rewrite.
// Pure over bytes and the flow's entry, so unit tests drive it without ports.
#pragma once

#include <cstring>

#include "flow.hpp"
#include "packet.hpp"

namespace palisade::dataplane {

struct RelayResult {
  bool forward = false;
  DropReason reason = DropReason::Malformed;
  bool latched_now = false;  // this packet fixed (or moved) the flow's remote source
};

// Address and port compares of fixed size, so they compile to a load and a compare, not a call.
inline bool same_ip(const std::uint8_t* a, const std::uint8_t* b, std::uint8_t family) {
  if (family == 4) {
    std::uint32_t x, y;
    std::memcpy(&x, a, 4);
    std::memcpy(&y, b, 4);
    return x == y;
  }
  std::uint64_t x[2], y[2];
  std::memcpy(x, a, 16);
  std::memcpy(y, b, 16);
  return x[0] == y[0] && x[1] == y[1];
}

// `reverse` is the other direction of the stream (or null): when this flow learns where its
// remote endpoint really sends from, replies are pointed there, to the MAC it came from (the
// endpoint itself, or the router in front of it). That is symmetric RTP through a NAT.
[[gnu::always_inline]] inline RelayResult relay(FlowEntry& e, FlowEntry* reverse, std::uint8_t* f, const ParsedFrame& pf,
                         std::uint32_t len, std::uint64_t now) {
  RelayResult r;
  const std::uint32_t alen = pf.family == 4 ? 4 : 16;
  const std::uint8_t* src_ip = f + pf.l3 + (pf.family == 4 ? 12 : 8);
  const std::uint8_t* src_port = f + pf.l4;
  if (e.latch != LatchMode::Off) {
    std::uint16_t port;
    std::memcpy(&port, src_port, 2);
    const bool same = e.latched && port == e.remote_port && same_ip(src_ip, e.remote_ip, pf.family);
    if (!same) {
      const bool allowed = e.latch == LatchMode::Unrestricted || same_ip(src_ip, e.allowed, pf.family);
      if (!allowed || (e.latched && !e.relatch)) {
        e.wrong_source.add(1);
        r.reason = DropReason::WrongSource;
        return r;
      }
      std::memcpy(e.remote_ip, src_ip, alen);
      std::memcpy(&e.remote_port, src_port, 2);
      std::memcpy(e.remote_mac, f + 6, 6);
      e.latched = true;
      r.latched_now = true;
      if (reverse) follow_latch(*reverse, e);
    }
  }
  e.last_seen = now;  // media arrived from where it should: the stream is alive
  if (!e.resolved) {
    r.reason = DropReason::Unresolved;
    return r;
  }
  if (!rewrite(f, pf, e.rw)) {
    r.reason = DropReason::TtlExceeded;
    return r;
  }
  e.packets.add(1);
  e.bytes.add(len);
  r.forward = true;
  return r;
}

// Which inactivity events are due for a flow at `now` and not yet reported (Idle bits).
inline std::uint8_t idle_due(const FlowEntry& e, std::uint64_t now) {
  std::uint8_t due = 0;
  const bool heard = e.last_seen != 0;
  if (e.initial_guard && !heard && now - e.created > e.initial_guard) due |= static_cast<std::uint8_t>(Idle::InitialGuard);
  if (e.subsequent_guard && heard && now - e.last_seen > e.subsequent_guard) due |= static_cast<std::uint8_t>(Idle::SubsequentGuard);
  if (e.time_limit && now - e.created > e.time_limit) due |= static_cast<std::uint8_t>(Idle::TimeLimit);
  return static_cast<std::uint8_t>(due & ~e.reported);
}

}  // namespace palisade::dataplane
