// libFuzzer target: SDP parse, the media accessors, and serialize → parse stability.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "sip/sdp.hpp"

using namespace palisade;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  auto sd = sdp::parse(in);
  if (!sd) return 0;
  for (const auto& m : sd->media) {
    (void)m.rtpmaps();
    (void)m.rtcp();
    (void)m.ptime();
    (void)m.fmtp(0);
    (void)sd->direction(m);
    (void)sd->connection_for(m);
  }
  const std::string once = sdp::serialize(*sd);
  auto again = sdp::parse(once);
  if (!again || sdp::serialize(*again) != once) std::abort();
  return 0;
}
