// libFuzzer target: the fast path's per-packet code on arbitrary frames. The first input byte
// picks the flow's latch mode, the rest is the frame. Checked: classification and the rewrite
// stay inside the frame (ASan), a relayed frame classifies again as the same UDP datagram, and a
// frame whose checksums were right leaves with checksums that are still right.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "../dataplane/packet_builder.hpp"
#include "relay.hpp"

using namespace palisade::dataplane;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1 || size > 9000) return 0;
  std::vector<std::uint8_t> f(data + 1, data + size);
  const std::uint32_t len = static_cast<std::uint32_t>(f.size());
  ParsedFrame pf;
  if (classify(f.data(), len, pf) != FrameClass::Udp) return 0;
  if (pf.l4 + kUdpLen > len) std::abort();
  const bool was_ok = test::checksums_ok(f);

  FlowSpec s;
  s.latch = static_cast<LatchMode>(data[0] % 3);
  s.relatch = data[0] & 0x10;
  const bool v6 = pf.family == 6;
  s.local = {parse_ip(v6 ? "fd00::1" : "10.0.0.1"), 20000};
  s.source = {parse_ip(v6 ? "fd01::1" : "10.1.0.1"), 30000};
  s.destination = {parse_ip(v6 ? "fd01::9" : "10.1.0.9"), 4000};
  s.allowed_source.family = pf.family;
  std::memcpy(s.allowed_source.bytes.data(), f.data() + pf.l3 + (v6 ? 8 : 12), v6 ? 16 : 4);
  s.next_hop_mac = {2, 0, 0, 0, 1, 9};
  const std::uint8_t mac[6] = {2, 0xaa, 0, 0, 0, 1};
  FlowEntry e, rev;
  load_entry(e, s, mac, 1, 1000, false);
  load_entry(rev, s, mac, 1, 1000, false);
  const RelayResult r = relay(e, &rev, f.data(), pf, len, 2);
  if (!r.forward) return 0;
  ParsedFrame again;
  if (classify(f.data(), len, again) != FrameClass::Udp || again.l4 != pf.l4 || again.family != pf.family) std::abort();
  if (was_ok && !test::checksums_ok(f)) std::abort();
  if (load16(f.data() + pf.l4 + 2) != 4000 || load16(f.data() + pf.l4) != 30000) std::abort();
  return 0;
}
