#include "flow.hpp"

#include <arpa/inet.h>

namespace palisade::dataplane {

IpAddress parse_ip(const std::string& text) {
  IpAddress ip;
  if (inet_pton(AF_INET, text.c_str(), ip.bytes.data()) == 1) ip.family = 4;
  else if (inet_pton(AF_INET6, text.c_str(), ip.bytes.data()) == 1) ip.family = 6;
  else ip.bytes.fill(0);
  return ip;
}

std::string to_string(const IpAddress& ip) {
  char buf[INET6_ADDRSTRLEN] = "";
  if (ip.family == 4) inet_ntop(AF_INET, ip.bytes.data(), buf, sizeof buf);
  else if (ip.family == 6) inet_ntop(AF_INET6, ip.bytes.data(), buf, sizeof buf);
  return buf;
}

void load_entry(FlowEntry& e, const FlowSpec& s, const std::uint8_t* out_mac, std::uint64_t now, std::uint64_t hz,
                bool keep_state) {
  const bool same_source = keep_state && e.latch == s.latch &&
                           std::memcmp(e.allowed, s.allowed_source.bytes.data(), sizeof e.allowed) == 0;
  e.out_port = s.out_port;
  e.family = s.local.ip.family;
  e.latch = s.latch;
  e.relatch = s.relatch;
  std::memcpy(e.allowed, s.allowed_source.bytes.data(), sizeof e.allowed);
  e.reverse = s.reverse;
  std::memcpy(e.rw.src_mac, out_mac, 6);
  std::memcpy(e.rw.dst_mac, s.next_hop_mac.data(), 6);
  std::memcpy(e.rw.src_ip, s.source.ip.bytes.data(), 16);
  store16(e.rw.src_port, s.source.port);
  std::memcpy(e.rw.dst_ip, s.destination.ip.bytes.data(), 16);
  store16(e.rw.dst_port, s.destination.port);
  bool mac_known = false;
  for (auto b : s.next_hop_mac) mac_known |= b != 0;
  e.resolved = mac_known && s.destination.port != 0;
  e.initial_guard = s.initial_guard_s * hz;
  e.subsequent_guard = s.subsequent_guard_s * hz;
  e.time_limit = s.time_limit_s * hz;
  if (keep_state) {
    if (!same_source) e.latched = false;
    e.reported = 0;
    return;
  }
  e.latched = false;
  e.reported = 0;
  std::memset(e.remote_ip, 0, sizeof e.remote_ip);
  std::memset(e.remote_mac, 0, sizeof e.remote_mac);
  e.remote_port = 0;
  e.created = now;
  e.last_seen = 0;
  e.packets.reset();
  e.bytes.reset();
  e.wrong_source.reset();
}

}  // namespace palisade::dataplane
