// The media side of sbcd: a MediaSession per anchored call, the steering pools of every realm,
// the media-release decision, and the fast path's events turned into call endings. It is the
// B2BUA's MediaHook; it runs on the control thread and reaches the fast path only through the
// MediaPlane interface.
#pragma once

#include <functional>
#include <map>
#include <set>
#include <memory>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "config/model.hpp"
#include "media/media_hook.hpp"
#include "media/media_path.hpp"
#include "media/media_session.hpp"

namespace palisade::media {

struct MediaCounters {
  std::uint64_t anchored = 0, released = 0, refused = 0, timeouts = 0;
  std::uint64_t joined = 0, rehomed = 0, released_after_transfer = 0;
};

class MediaManager final : public MediaHook {
 public:
  // `port_of_realm`: the fast path's port facing a realm (nullopt: the realm has none).
  MediaManager(const config::Config& cfg, dataplane::MediaPlane& plane,
               std::function<std::optional<std::uint16_t>(const std::string& realm)> port_of_realm, NextHop next_hop);
  ~MediaManager() override;

  std::optional<std::string> sdp(std::uint64_t call, const CallParties& parties, bool from_a, std::string_view body) override {
    return anchor(call, parties, from_a, body, true);
  }
  bool learn(std::uint64_t call, const CallParties& parties, bool from_a, std::string_view body) override {
    return anchor(call, parties, from_a, body, false).has_value();
  }
  void ended(std::uint64_t call) override;
  bool can_join(std::uint64_t call, std::uint64_t other) const override;
  bool join(std::uint64_t call, bool give_a, std::uint64_t other, bool take_a, const CallParties& parties) override;
  std::optional<Direct> direct(std::uint64_t call, const CallParties& parties, std::string_view sdp_of_a,
                               std::string_view sdp_of_b) override;
  void release(std::uint64_t call, bool taken) override;

  // The fast path's events: an idle flow of an anchored call asks for the call to end.
  void on_events(const std::vector<dataplane::FlowEvent>& events);
  std::function<void(std::uint64_t call, const std::string& reason)> on_media_timeout;
  std::function<void(std::string_view)> on_log;

  std::size_t anchored_calls() const { return sessions_.size(); }
  const MediaCounters& counters() const { return counters_; }
  std::size_t ports_in_use() const;
  std::size_t pairs_free() const;  // RTP/RTCP port pairs left in all steering pools
  const MediaSession* session(std::uint64_t call) const;

 private:
  struct Anchored {
    CallParties parties;
    std::unique_ptr<MediaSession> session;
    std::set<std::int32_t> idle;  // RTP flows the fast path reported idle
    bool ending = false;
  };
  // Media the SBC does not carry. Released after a transfer, each leg keeps the o= it knew.
  struct Released {
    bool reorigin = false;
    OriginState origin[2];
    std::string leg_address[2];
  };
  // An SDP through the call's media; `sent`: what is returned goes to the other party.
  std::optional<std::string> anchor(std::uint64_t call, const CallParties& parties, bool from_a, std::string_view body, bool sent);
  SteeringPool* pool_for(const std::string& realm);
  std::optional<PartySide> side_in(const std::string& realm, const std::string& signalling_ip);
  MediaPathDecision path_for(const CallParties& parties) const;  // the media-release table

  const config::Config& cfg_;
  dataplane::MediaPlane& plane_;
  std::function<std::optional<std::uint16_t>(const std::string&)> port_of_realm_;
  NextHop next_hop_;
  std::vector<std::unique_ptr<SteeringPool>> pools_;
  std::unordered_map<std::uint64_t, Anchored> sessions_;
  std::unordered_map<std::uint64_t, Released> released_;  // calls whose media bypasses the SBC
  std::unordered_map<std::uint64_t, Released> pending_release_;  // direct() said so, not yet taken
  MediaCounters counters_;
  std::mt19937_64 session_ids_{std::random_device{}()};
};

}  // namespace palisade::media
