#include "trace/hep.hpp"

#include <arpa/inet.h>

#include <array>

namespace palisade::trace {

namespace {

// Generic chunk types (vendor 0) of HEPv3.
enum Chunk : std::uint16_t {
  kFamily = 1, kProtocol = 2, kIpv4Src = 3, kIpv4Dst = 4, kIpv6Src = 5, kIpv6Dst = 6, kSrcPort = 7, kDstPort = 8,
  kSeconds = 9, kMicros = 10, kProtoType = 11, kCaptureId = 12, kPayload = 15, kCorrelation = 17,
};
constexpr std::uint8_t kProtoSip = 1;

void put16(std::string& b, std::uint16_t v) { b += static_cast<char>(v >> 8), b += static_cast<char>(v & 0xff); }
void put32(std::string& b, std::uint32_t v) { put16(b, static_cast<std::uint16_t>(v >> 16)), put16(b, static_cast<std::uint16_t>(v)); }

void chunk(std::string& b, Chunk type, std::string_view data) {
  put16(b, 0), put16(b, type), put16(b, static_cast<std::uint16_t>(6 + data.size()));
  b.append(data);
}
void chunk8(std::string& b, Chunk type, std::uint8_t v) { chunk(b, type, std::string_view(reinterpret_cast<const char*>(&v), 1)); }
void chunk16(std::string& b, Chunk type, std::uint16_t v) {
  std::string d;
  put16(d, v);
  chunk(b, type, d);
}
void chunk32(std::string& b, Chunk type, std::uint32_t v) {
  std::string d;
  put32(d, v);
  chunk(b, type, d);
}

}  // namespace

std::string hep3(const HepMessage& m) {
  std::array<unsigned char, 16> src{}, dst{};
  const std::string s(m.source_ip), d(m.destination_ip);
  bool v6 = false;
  if (inet_pton(AF_INET, s.c_str(), src.data()) == 1 && inet_pton(AF_INET, d.c_str(), dst.data()) == 1) v6 = false;
  else if (inet_pton(AF_INET6, s.c_str(), src.data()) == 1 && inet_pton(AF_INET6, d.c_str(), dst.data()) == 1) v6 = true;
  else return {};
  const std::size_t alen = v6 ? 16 : 4;

  std::string b = "HEP3";
  put16(b, 0);  // total length, set below
  chunk8(b, kFamily, v6 ? 10 : 2);  // HEP names the families as Linux does: 2 IPv4, 10 IPv6
  chunk8(b, kProtocol, m.tcp ? 6 : 17);
  chunk(b, v6 ? kIpv6Src : kIpv4Src, std::string_view(reinterpret_cast<const char*>(src.data()), alen));
  chunk(b, v6 ? kIpv6Dst : kIpv4Dst, std::string_view(reinterpret_cast<const char*>(dst.data()), alen));
  chunk16(b, kSrcPort, m.source_port);
  chunk16(b, kDstPort, m.destination_port);
  chunk32(b, kSeconds, static_cast<std::uint32_t>(m.wall_us / 1000000));
  chunk32(b, kMicros, static_cast<std::uint32_t>(m.wall_us % 1000000));
  chunk8(b, kProtoType, kProtoSip);
  chunk32(b, kCaptureId, m.capture_id);
  if (!m.correlation.empty()) chunk(b, kCorrelation, m.correlation);
  chunk(b, kPayload, m.payload);
  if (b.size() > 0xffff) return {};
  b[4] = static_cast<char>(b.size() >> 8), b[5] = static_cast<char>(b.size() & 0xff);
  return b;
}

}  // namespace palisade::trace
