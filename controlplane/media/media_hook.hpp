// What the B2BUA tells the media side of a call, and all it asks of it: each SDP that crosses
// (to be anchored and rewritten), and the call's end. The B2BUA works without one (SDP then
// crosses as it is); sbcd gives it a MediaManager when the fast path runs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace palisade::media {

// The two parties of a call as the B2BUA sees them: [0] the A leg's (caller), [1] the B leg's.
struct CallParties {
  std::string realm[2];
  std::string signalling_ip[2];  // where each party's SIP comes from (a NAT's public address)
};

class MediaHook {
 public:
  virtual ~MediaHook() = default;
  // An SDP offer or answer from the A party (`from_a`) or the B party, on its way to the other.
  // Returns what to send on, or nullopt when the media cannot be anchored (no ports, no flows):
  // the B2BUA refuses what carried it with 503.
  virtual std::optional<std::string> sdp(std::uint64_t call, const CallParties& parties, bool from_a, std::string_view body) = 0;
  // The call is over: its ports and flows go.
  virtual void ended(std::uint64_t call) = 0;
};

}  // namespace palisade::media
