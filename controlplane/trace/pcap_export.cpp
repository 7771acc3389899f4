#include "trace/pcap_export.hpp"

#include <arpa/inet.h>

#include <array>
#include <cstdint>
#include <map>
#include <tuple>

namespace palisade::trace {

namespace {

constexpr std::uint32_t kLinkTypeRaw = 101;
constexpr std::size_t kMaxPayload = 65535 - 60 - 40;  // what fits one IP packet with any header here

void put16(std::string& b, std::uint16_t v) { b += static_cast<char>(v >> 8), b += static_cast<char>(v & 0xff); }
void put32(std::string& b, std::uint32_t v) { put16(b, static_cast<std::uint16_t>(v >> 16)), put16(b, static_cast<std::uint16_t>(v)); }
// pcap's own headers are in the writer's byte order; the magic number tells readers which.
void host32(std::string& b, std::uint32_t v) { b.append(reinterpret_cast<const char*>(&v), 4); }
void host16(std::string& b, std::uint16_t v) { b.append(reinterpret_cast<const char*>(&v), 2); }

struct Address {
  bool v6 = false;
  std::array<unsigned char, 16> bytes{};
  std::size_t size() const { return v6 ? 16 : 4; }
  std::string_view view() const { return {reinterpret_cast<const char*>(bytes.data()), size()}; }
};

bool parse(const std::string& text, Address* a) {
  if (inet_pton(AF_INET, text.c_str(), a->bytes.data()) == 1) return a->v6 = false, true;
  if (inet_pton(AF_INET6, text.c_str(), a->bytes.data()) == 1) return a->v6 = true, true;
  return false;
}

// RFC 1071 one's-complement sum over the pseudo-header and the transport header + payload.
std::uint16_t checksum(const Address& src, const Address& dst, std::uint8_t proto, std::string_view segment) {
  std::uint64_t sum = 0;
  auto add = [&sum](std::string_view d) {
    for (std::size_t i = 0; i + 1 < d.size(); i += 2)
      sum += static_cast<std::uint32_t>(static_cast<unsigned char>(d[i]) << 8 | static_cast<unsigned char>(d[i + 1]));
    if (d.size() % 2) sum += static_cast<std::uint32_t>(static_cast<unsigned char>(d.back()) << 8);
  };
  add(src.view()), add(dst.view());
  sum += proto + segment.size();
  add(segment);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  const auto c = static_cast<std::uint16_t>(~sum & 0xffff);
  return c == 0 && proto == 17 ? 0xffff : c;  // UDP sends a computed zero as all ones (RFC 768)
}

std::uint16_t ipv4_checksum(std::string_view header) {
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i + 1 < header.size(); i += 2)
    sum += static_cast<std::uint32_t>(static_cast<unsigned char>(header[i]) << 8 | static_cast<unsigned char>(header[i + 1]));
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum & 0xffff);
}

}  // namespace

std::string pcap(const TracedCall& call) {
  std::string out;
  host32(out, 0xa1b2c3d4);  // microsecond time stamps
  host16(out, 2), host16(out, 4);
  host32(out, 0), host32(out, 0);
  host32(out, 65535);
  host32(out, kLinkTypeRaw);

  using Flow = std::tuple<std::string, std::uint16_t, std::string, std::uint16_t>;
  std::map<Flow, std::uint32_t> next_seq;  // TCP: bytes sent so far in each direction
  std::uint16_t ip_id = 1;
  for (const auto& m : call.messages) {
    const Endpoint& s = m.inbound ? m.remote : m.local;
    const Endpoint& d = m.inbound ? m.local : m.remote;
    Address src, dst;
    if (!parse(s.address, &src) || !parse(d.address, &dst) || src.v6 != dst.v6 || m.wire.size() > kMaxPayload) continue;

    std::string segment;
    put16(segment, s.port), put16(segment, d.port);
    const std::uint8_t proto = m.tcp ? 6 : 17;
    if (m.tcp) {
      std::uint32_t& seq = next_seq.try_emplace(Flow{s.address, s.port, d.address, d.port}, 1).first->second;
      const std::uint32_t ack = next_seq.try_emplace(Flow{d.address, d.port, s.address, s.port}, 1).first->second;
      put32(segment, seq), put32(segment, ack);
      seq += static_cast<std::uint32_t>(m.wire.size());
      put16(segment, 0x5018);  // 20-byte header; PSH, ACK
      put16(segment, 65535), put16(segment, 0), put16(segment, 0);
    } else {
      put16(segment, static_cast<std::uint16_t>(8 + m.wire.size())), put16(segment, 0);
    }
    segment += m.wire;
    const std::uint16_t sum = checksum(src, dst, proto, segment);
    const std::size_t at = m.tcp ? 16 : 6;
    segment[at] = static_cast<char>(sum >> 8), segment[at + 1] = static_cast<char>(sum & 0xff);

    std::string packet;
    if (src.v6) {
      put32(packet, 0x60000000);
      put16(packet, static_cast<std::uint16_t>(segment.size()));
      packet += static_cast<char>(proto), packet += static_cast<char>(64);
    } else {
      packet += static_cast<char>(0x45), packet += '\0';
      put16(packet, static_cast<std::uint16_t>(20 + segment.size()));
      put16(packet, ip_id++), put16(packet, 0x4000);  // don't fragment
      packet += static_cast<char>(64), packet += static_cast<char>(proto);
      put16(packet, 0);
    }
    packet.append(src.view()).append(dst.view());
    if (!src.v6) {
      const std::uint16_t h = ipv4_checksum(packet);
      packet[10] = static_cast<char>(h >> 8), packet[11] = static_cast<char>(h & 0xff);
    }
    packet += segment;

    host32(out, static_cast<std::uint32_t>(m.wall_us / 1000000));
    host32(out, static_cast<std::uint32_t>(m.wall_us % 1000000));
    host32(out, static_cast<std::uint32_t>(packet.size()));
    host32(out, static_cast<std::uint32_t>(packet.size()));
    out += packet;
  }
  return out;
}

}  // namespace palisade::trace
