#include "media/media_manager.hpp"

#include <algorithm>

namespace palisade::media {

MediaManager::MediaManager(const config::Config& cfg, dataplane::MediaPlane& plane,
                           std::function<std::optional<std::uint16_t>(const std::string&)> port_of_realm, NextHop next_hop)
    : cfg_(cfg), plane_(plane), port_of_realm_(std::move(port_of_realm)), next_hop_(std::move(next_hop)) {
  for (const auto& p : cfg.steering_pools)
    pools_.push_back(std::make_unique<SteeringPool>(p.realm_id, p.ip_address, static_cast<std::uint16_t>(p.start_port),
                                                    static_cast<std::uint16_t>(p.end_port)));
}

MediaManager::~MediaManager() = default;

SteeringPool* MediaManager::pool_for(const std::string& realm) {
  // The first pool of the realm with a pair free.
  SteeringPool* first = nullptr;
  for (auto& p : pools_)
    if (p->realm() == realm) {
      if (p->in_use() < p->capacity()) return p.get();
      if (!first) first = p.get();
    }
  return first;
}

std::optional<std::string> MediaManager::sdp(std::uint64_t call, const CallParties& parties, bool from_a, std::string_view body) {
  if (released_.count(call)) return std::string(body);
  auto parsed = sdp::parse(body);
  if (!parsed) {
    ++counters_.refused;
    if (on_log) on_log("call " + std::to_string(call) + ": SDP refused: " + parsed.error().reason);
    return std::nullopt;
  }
  auto it = sessions_.find(call);
  if (it != sessions_.end() &&
      (it->second.parties.realm[0] != parties.realm[0] || it->second.parties.realm[1] != parties.realm[1])) {
    // A failover to another realm before the answer: its ports were of the old realm. A
    // transfer to a target of another realm is refused instead (the transferee's ports stay).
    if (it->second.session->answered()) {
      ++counters_.refused;
      if (on_log) on_log("call " + std::to_string(call) + ": media of an answered call cannot move to realm " +
                         (from_a ? parties.realm[1] : parties.realm[0]));
      return std::nullopt;
    }
    sessions_.erase(it);
    it = sessions_.end();
  }
  if (it == sessions_.end()) {
    const MediaPathDecision d = decide_media_path(cfg_, {parties.realm[0], parties.signalling_ip[0]},
                                                  {parties.realm[1], parties.signalling_ip[1]});
    if (d.path == MediaPath::Released) {
      released_[call] = true;
      ++counters_.released;
      if (on_log) on_log("call " + std::to_string(call) + ": media released: " + d.why);
      return std::string(body);
    }
    SteeringPool* pa = pool_for(parties.realm[0]);
    SteeringPool* pb = pool_for(parties.realm[1]);
    const auto porta = port_of_realm_(parties.realm[0]), portb = port_of_realm_(parties.realm[1]);
    if (!pa || !pb || !porta || !portb) {
      ++counters_.refused;
      if (on_log) on_log("call " + std::to_string(call) + ": no steering pool or fast-path port for realm " +
                         (!pa || !porta ? parties.realm[0] : parties.realm[1]));
      return std::nullopt;
    }
    const config::MediaManager& mm = cfg_.media_manager;
    auto latching = [this](const std::string& realm) {
      for (const auto& r : cfg_.realms)
        if (r.identifier == realm) return r.restricted_latching;
      return config::RestrictedLatching::Auto;
    };
    Anchored a;
    a.parties = parties;
    a.session = std::make_unique<MediaSession>(
        plane_, PartySide{pa, *porta, parties.signalling_ip[0], latching(parties.realm[0])},
        PartySide{pb, *portb, parties.signalling_ip[1], latching(parties.realm[1])},
        FlowTimers{mm.initial_guard_timer, mm.subsequent_guard_timer, mm.flow_time_limit}, next_hop_,
        std::to_string(session_ids_() >> 1));  // random: a leg's o= must not tell how many calls came before
    it = sessions_.emplace(call, std::move(a)).first;
    ++counters_.anchored;
  }
  // A party's signalling address can change (a transfer target takes the transferor's place):
  // peer-ip latching follows it.
  for (const Party p : {Party::A, Party::B}) it->second.session->set_signalling_ip(p, parties.signalling_ip[p == Party::A ? 0 : 1]);
  auto out = it->second.session->on_sdp(from_a ? Party::A : Party::B, *parsed);
  if (!out) {
    ++counters_.refused;
    if (on_log) on_log("call " + std::to_string(call) + ": media not anchored: steering pool or flow table exhausted");
  }
  return out;
}

void MediaManager::ended(std::uint64_t call) {
  if (auto it = sessions_.find(call); it != sessions_.end() && on_log) {
    std::string text = "call " + std::to_string(call) + " media:";
    const MediaSession& s = *it->second.session;
    for (std::size_t i = 0; i < s.streams(); ++i)
      text += " stream " + std::to_string(i) + " A->B " + std::to_string(s.rtp_counters(i, Party::A).packets) +
              " packets, B->A " + std::to_string(s.rtp_counters(i, Party::B).packets) + " packets;";
    on_log(text);
  }
  sessions_.erase(call);
  released_.erase(call);
}

void MediaManager::on_events(const std::vector<dataplane::FlowEvent>& events) {
  // A call ends when its media has stopped in every direction, or in one direction whose
  // sender's and receiver's SDP say it carries media (a party that stopped sending while it
  // should is gone: a phone that lost power, a dead callee); a party on hold sends nothing and
  // ends nothing. It ends at once when it reached the flow time limit.
  for (const auto& e : events) {
    if (e.type != dataplane::FlowEvent::Type::Idle) continue;
    for (auto& entry : sessions_) {
      const std::uint64_t call = entry.first;
      Anchored& a = entry.second;  // named: clang 14 cannot capture a structured binding
      if (!a.session->owns(e.slot)) continue;
      const bool limit = e.idle & static_cast<std::uint8_t>(dataplane::Idle::TimeLimit);
      a.idle.insert(e.slot);
      const auto rtp = a.session->rtp_slots();
      const bool all_quiet = std::all_of(rtp.begin(), rtp.end(), [&](std::int32_t s) { return a.idle.count(s) > 0; });
      const bool stopped = e.idle & static_cast<std::uint8_t>(dataplane::Idle::SubsequentGuard);
      const bool sender_gone = stopped && a.session->carries_media(e.slot);
      if (a.ending || (!limit && !all_quiet && !sender_gone)) break;
      a.ending = true;
      const char* why = limit ? "flow time limit reached"
                        : e.idle & static_cast<std::uint8_t>(dataplane::Idle::InitialGuard) ? "no media since set-up"
                                                                                            : "media stopped";
      ++counters_.timeouts;
      if (on_log) on_log("call " + std::to_string(call) + ": " + why);
      // RFC 3326: the BYE says why the SBC ended the call.
      if (on_media_timeout) on_media_timeout(call, std::string("SIP;cause=408;text=\"") + why + "\"");
      break;
    }
  }
}

std::size_t MediaManager::ports_in_use() const {
  std::size_t n = 0;
  for (const auto& p : pools_) n += p->in_use();
  return n;
}

std::size_t MediaManager::pairs_free() const {
  std::size_t n = 0;
  for (const auto& p : pools_) n += p->capacity() - p->in_use();
  return n;
}

const MediaSession* MediaManager::session(std::uint64_t call) const {
  auto it = sessions_.find(call);
  return it == sessions_.end() ? nullptr : it->second.session.get();
}

}  // namespace palisade::media
