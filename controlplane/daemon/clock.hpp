// The daemon's two clocks: monotonic milliseconds for timers, rates and windows (what the B2BUA,
// the admission guards and the status report count in), and wall-clock microseconds for the time
// stamps that leave sbcd (pcap, HEP).
#pragma once

#include <chrono>
#include <cstdint>

namespace palisade::daemon {

inline std::uint64_t monotonic_ms() {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch()).count());
}

inline std::uint64_t wall_us() {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch()).count());
}

}  // namespace palisade::daemon
