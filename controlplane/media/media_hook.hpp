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
  // An SDP a party sent that the SBC does not pass on (an answer to a re-INVITE the SBC made
  // itself, a transfer target's answer the transferee need not hear): the flows follow it, and
  // the other party's o= does not move, as it is told nothing. False: it could not be anchored.
  virtual bool learn(std::uint64_t call, const CallParties& parties, bool from_a, std::string_view body) {
    return sdp(call, parties, from_a, body).has_value();
  }
  // The call is over: its ports and flows go.
  virtual void ended(std::uint64_t call) = 0;

  // Attended transfer: whether the media of `call` and `other` can be joined (both anchored with
  // like streams, or both bypassing the SBC), and the join: `call`'s party A (`give_a`) or B is
  // replaced by `other`'s party A (`take_a`) or B, which brings its steering ports, flows and o= along.
  // Neither party needs new addresses. True when anchored media was joined; false when there was
  // none to join (the SDP then crosses as it is).
  virtual bool can_join(std::uint64_t /*call*/, std::uint64_t /*other*/) const { return false; }
  virtual bool join(std::uint64_t /*call*/, bool /*give_a*/, std::uint64_t /*other*/, bool /*take_a*/,
                    const CallParties& /*parties*/) {
    return false;
  }
  // After a transfer: when the parties as they now are may reach each other directly (media
  // release), the SDP to re-INVITE each with ([0] to A: B's own SDP under the o= A knows, [1] to
  // B likewise). The SBC's ports stay until both have taken it: `release` with `taken`, or
  // without when a party refused it (the SBC goes on carrying the media).
  struct Direct {
    std::string to[2];
  };
  virtual std::optional<Direct> direct(std::uint64_t /*call*/, const CallParties& /*parties*/, std::string_view /*sdp_of_a*/,
                                       std::string_view /*sdp_of_b*/) {
    return std::nullopt;
  }
  virtual void release(std::uint64_t /*call*/, bool /*taken*/) {}
};

}  // namespace palisade::media
