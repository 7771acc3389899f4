// SDP rewrite for media anchoring: every offer and answer the SBC relays names the SBC's own
// steering address for each stream, so both parties send their media to the SBC, and carries
// the SBC's own o= line for that leg. Pure: SDP in, SDP out (RFC 4566, RFC 3264, RFC 3605,
// RFC 5761).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sip/sdp.hpp"

namespace palisade::media {

// What one m-line says about the party that sent it: where it receives that stream.
struct StreamInfo {
  std::string type;              // audio, video, image ...
  bool rejected = false;         // port 0 (RFC 3264 §6)
  std::string address;           // media-level c=, else session-level
  std::uint16_t rtp_port = 0;
  std::uint16_t rtcp_port = 0;   // a=rtcp, else rtp_port + 1; rtp_port with rtcp-mux
  bool rtcp_mux = false;
  sdp::Direction direction = sdp::Direction::SendRecv;
  bool held_by_address = false;  // c=0.0.0.0: the old way to put a stream on hold (RFC 3264 §8.4)
};
std::vector<StreamInfo> streams_of(const sdp::SessionDescription& sd);

// The SBC's o= line on one leg: one session id for the leg's life; the version rises by one
// whenever what the SBC sends on that leg changes, and only then (RFC 3264 §8).
struct OriginState {
  std::string session_id;
  std::uint64_t version = 0;
  std::string last_sent;  // the previous SDP as sent, to tell a change from a repetition
};

// Where the SBC takes a stream on the leg the SDP goes to.
struct Anchor {
  std::string address;
  std::uint16_t rtp_port = 0;
};

// `anchors[i]` is the SBC's address for m-line i; a rejected m-line (port 0) needs none and keeps
// port 0, and an m-line without an anchor is rejected (port 0) in what the SBC sends.
// `leg_address` is the SBC's address on the leg, for o= and the session-level c=: nothing of
// the sender's addressing remains. ICE attributes are removed (the SBC is each leg's media
// endpoint); SDES crypto, DTLS fingerprints, codecs and directions pass unchanged. Serialized,
// with `origin` updated.
std::string rewrite(const sdp::SessionDescription& in, const std::vector<std::optional<Anchor>>& anchors,
                    const std::string& leg_address, OriginState& origin);

// Media released after the SBC anchored it (a transfer left two parties that may reach each
// other): the sender's addressing goes through, ICE and all, but under the o= the SBC has used on
// the leg, so each party still sees one session whose version rises (RFC 3264 §8).
std::string reorigin(const sdp::SessionDescription& in, const std::string& leg_address, OriginState& origin);

}  // namespace palisade::media
