// One call's media as the SBC anchors it: for each stream a steering pair facing each party,
// and the flows between them programmed through the fast path's MediaPlane. Each offer or
// answer that crosses comes in here and leaves rewritten for the other party. No I/O of its
// own: the plane, the pools and the next-hop lookup are injected, so unit tests run it on fakes.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "config/model.hpp"
#include "media/sdp_rewrite.hpp"
#include "media/steering_pool.hpp"
#include "media_plane.hpp"

namespace palisade::media {

enum class Party { A, B };
inline int index_of(Party p) { return p == Party::A ? 0 : 1; }  // [0] A, [1] B in per-party arrays
inline Party party_a_or_b(bool a) { return a ? Party::A : Party::B; }

// Where one party of the call is, as the SBC sees it.
struct PartySide {
  SteeringPool* pool = nullptr;    // the SBC's ports facing this party (its realm's pool)
  std::uint16_t port = 0;          // the fast path's port towards this party
  std::string signalling_ip;       // where its SIP comes from: restricted latching may allow it
  config::RestrictedLatching latching = config::RestrictedLatching::Auto;  // its realm's rule
};

struct FlowTimers {
  std::uint32_t initial_guard_s = 0, subsequent_guard_s = 0, time_limit_s = 0;
};

// The next-hop MAC towards an IP on a port, when it is known (the tap's neighbour table).
using NextHop = std::function<std::optional<std::array<std::uint8_t, 6>>(std::uint16_t port, const std::string& ip)>;

class MediaSession {
 public:
  MediaSession(dataplane::MediaPlane& plane, PartySide a, PartySide b, FlowTimers timers, NextHop next_hop,
               std::string session_id);
  ~MediaSession();  // releases every flow and port
  MediaSession(const MediaSession&) = delete;
  MediaSession& operator=(const MediaSession&) = delete;

  // An SDP (offer or answer) from `from`; returns the SDP to send to the other party, or
  // nullopt when a pool or the flow table is exhausted (the caller answers 503; what this call
  // had before stays as it was).
  // `sent` false: the SDP returned goes nowhere, and the other party's o= stays as it was.
  std::optional<std::string> on_sdp(Party from, const sdp::SessionDescription& sd, bool sent = true);

  std::size_t streams() const { return streams_.size(); }

  // Attended transfer: this session's party `mine` and `other`'s party `theirs` change places,
  // each with all it has (its realm's pool and port, its steering ports, what it said of itself,
  // the flows keyed on those ports with their latched sources, the o= it knows), and the flows of
  // both sessions are re-pointed. Neither party is told anything: each keeps sending to the port
  // it knows. Only sessions whose streams are all anchored, as many on each side, may exchange.
  bool can_exchange(const MediaSession& other) const;
  bool exchange(Party mine, MediaSession& other, Party theirs);
  // A transfer target in another realm than the party it replaces: `p` gets new steering ports
  // from `to`'s pool; its flows (keyed on the old ports) go and what it said of itself is
  // forgotten. The flows come back at the next SDP. False, nothing changed, when `to`'s pool has
  // no pair for every stream.
  bool rehome(Party p, PartySide to);
  // What the SBC has told `p` of this session (its o=): a release to direct media goes on with it.
  const OriginState& origin(Party p) const { return origin_[index_of(p)]; }
  void set_origin(Party p, OriginState o) { origin_[index_of(p)] = std::move(o); }
  const std::string& leg_address(Party p) const { return (p == Party::A ? a_ : b_).pool->address(); }
  // Where a party's SIP now comes from; the flows take it at the next SDP.
  void set_signalling_ip(Party p, const std::string& ip) { side(p).signalling_ip = ip; }
  // Both parties have sent an SDP: an offer and its answer.
  bool answered() const;
  // Whether a flow slot is one of this call's.
  bool owns(std::int32_t slot) const;
  std::vector<std::int32_t> rtp_slots() const;
  // Whether `slot` is an RTP flow whose sender's SDP says it sends and whose receiver's says it
  // receives (RFC 3264 directions, c=0.0.0.0 and rejected streams counted): media that stops on
  // one of these means the party is gone, not on hold.
  bool carries_media(std::int32_t slot) const;
  std::size_t flows() const;
  // Counters of a stream's RTP in the direction `from` sends.
  dataplane::FlowCounters rtp_counters(std::size_t stream, Party from) const;

 private:
  struct Direction {  // one way of one stream: media from a party, towards the other
    std::int32_t rtp = -1, rtcp = -1;       // reserved slots
    bool rtp_on = false, rtcp_on = false;   // installed in them
  };
  struct Stream {
    std::uint16_t port[2] = {0, 0};  // the steering RTP port facing A, facing B (0 = none)
    std::optional<StreamInfo> remote[2];  // what each party said of itself
    Direction from[2];
  };

  PartySide& side(Party p) { return p == Party::A ? a_ : b_; }
  bool allocate(Stream& s);
  void release(Stream& s);
  bool program(Stream& s);
  dataplane::FlowSpec spec(const Stream& s, Party from, bool rtcp) const;

  dataplane::MediaPlane& plane_;
  PartySide a_, b_;
  FlowTimers timers_;
  NextHop next_hop_;
  std::vector<Stream> streams_;
  OriginState origin_[2];  // the SBC's o= towards A, towards B
};

}  // namespace palisade::media
