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

MediaPathDecision MediaManager::path_for(const CallParties& parties) const {
  return decide_media_path(cfg_, {parties.realm[0], parties.signalling_ip[0]}, {parties.realm[1], parties.signalling_ip[1]});
}

std::optional<PartySide> MediaManager::side_in(const std::string& realm, const std::string& signalling_ip) {
  SteeringPool* pool = pool_for(realm);
  const auto port = port_of_realm_(realm);
  if (!pool || !port) return std::nullopt;
  auto rule = config::RestrictedLatching::Auto;
  for (const auto& r : cfg_.realms)
    if (r.identifier == realm) rule = r.restricted_latching;
  return PartySide{pool, *port, signalling_ip, rule};
}

std::optional<std::string> MediaManager::anchor(std::uint64_t call, const CallParties& parties, bool from_a, std::string_view body,
                                                bool sent) {
  auto parsed = sdp::parse(body);
  if (auto r = released_.find(call); r != released_.end()) {
    if (!r->second.reorigin || !parsed) return std::string(body);
    const int to = from_a ? 1 : 0;
    OriginState scratch = r->second.origin[to];
    return reorigin(*parsed, r->second.leg_address[to], sent ? r->second.origin[to] : scratch);
  }
  if (!parsed) {
    ++counters_.refused;
    if (on_log) on_log("call " + std::to_string(call) + ": SDP refused: " + parsed.error().reason);
    return std::nullopt;
  }
  auto it = sessions_.find(call);
  if (it != sessions_.end() &&
      (it->second.parties.realm[0] != parties.realm[0] || it->second.parties.realm[1] != parties.realm[1])) {
    Anchored& a = it->second;
    const bool moved[2] = {a.parties.realm[0] != parties.realm[0], a.parties.realm[1] != parties.realm[1]};
    if (!a.session->answered()) {
      // A failover to another realm before the answer: its ports were of the old realm.
      sessions_.erase(it);
      it = sessions_.end();
    } else {
      // A transfer target in another realm than the party it replaces: that party's side of the
      // call moves to the target's realm; the other party keeps its ports and is told nothing.
      const int p = moved[0] ? 0 : 1;
      const auto to = moved[0] && moved[1] ? std::nullopt : side_in(parties.realm[p], parties.signalling_ip[p]);
      if (!to || !a.session->rehome(p == 0 ? Party::A : Party::B, *to)) {
        ++counters_.refused;
        if (on_log) on_log("call " + std::to_string(call) + ": media cannot move to realm " + parties.realm[p]);
        return std::nullopt;
      }
      a.idle.clear();
      ++counters_.rehomed;
    }
  }
  if (it == sessions_.end()) {
    const MediaPathDecision d = path_for(parties);
    if (d.path == MediaPath::Released) {
      released_[call] = {};
      ++counters_.released;
      if (on_log) on_log("call " + std::to_string(call) + ": media released: " + d.why);
      return std::string(body);
    }
    const auto sa = side_in(parties.realm[0], parties.signalling_ip[0]);
    const auto sb = side_in(parties.realm[1], parties.signalling_ip[1]);
    if (!sa || !sb) {
      ++counters_.refused;
      if (on_log) on_log("call " + std::to_string(call) + ": no steering pool or fast-path port for realm " +
                         (!sa ? parties.realm[0] : parties.realm[1]));
      return std::nullopt;
    }
    const config::MediaManager& mm = cfg_.media_manager;
    Anchored a;
    a.parties = parties;
    a.session = std::make_unique<MediaSession>(
        plane_, *sa, *sb, FlowTimers{mm.initial_guard_timer, mm.subsequent_guard_timer, mm.flow_time_limit}, next_hop_,
        std::to_string(session_ids_() >> 1));  // random: a leg's o= must not tell how many calls came before
    it = sessions_.emplace(call, std::move(a)).first;
    ++counters_.anchored;
  }
  // A party's signalling address can change (a transfer target takes the transferor's place):
  // peer-ip latching follows it.
  for (const Party p : {Party::A, Party::B}) it->second.session->set_signalling_ip(p, parties.signalling_ip[index_of(p)]);
  it->second.parties = parties;
  auto out = it->second.session->on_sdp(from_a ? Party::A : Party::B, *parsed, sent);
  if (!out) {
    ++counters_.refused;
    if (on_log) on_log("call " + std::to_string(call) + ": media not anchored: steering pool or flow table exhausted");
  }
  return out;
}

bool MediaManager::can_join(std::uint64_t call, std::uint64_t other) const {
  auto bypassed = [this](std::uint64_t k) {
    const auto r = released_.find(k);
    return r != released_.end() && !r->second.reorigin;
  };
  if (bypassed(call) && bypassed(other)) return true;
  const auto a = sessions_.find(call), b = sessions_.find(other);
  return a != sessions_.end() && b != sessions_.end() && a->second.session->can_exchange(*b->second.session);
}

bool MediaManager::join(std::uint64_t call, bool give_a, std::uint64_t other, bool take_a, const CallParties& parties) {
  const auto a = sessions_.find(call), b = sessions_.find(other);
  if (a == sessions_.end() || b == sessions_.end() || !a->second.session->can_exchange(*b->second.session)) return false;
  Anchored& c = a->second;
  Anchored& k = b->second;
  if (!c.session->exchange(party_a_or_b(give_a), *k.session, party_a_or_b(take_a)) && on_log)
    on_log("call " + std::to_string(call) + ": flow table refused re-pointing a joined call's flows");
  const int give = give_a ? 0 : 1, take = take_a ? 0 : 1;
  k.parties.realm[take] = c.parties.realm[give];
  k.parties.signalling_ip[take] = c.parties.signalling_ip[give];
  c.parties = parties;
  c.idle.clear();
  k.idle.clear();
  ++counters_.joined;
  if (on_log) on_log("call " + std::to_string(call) + ": media joined with call " + std::to_string(other));
  return true;
}

std::optional<MediaHook::Direct> MediaManager::direct(std::uint64_t call, const CallParties& parties, std::string_view sdp_of_a,
                                                      std::string_view sdp_of_b) {
  const auto it = sessions_.find(call);
  if (it == sessions_.end()) return std::nullopt;
  const MediaPathDecision d = path_for(parties);
  if (d.path != MediaPath::Released) return std::nullopt;
  auto a = sdp::parse(sdp_of_a), b = sdp::parse(sdp_of_b);
  if (!a || !b) return std::nullopt;
  // The o= each party knows goes on; the SBC's addresses leave the SDP.
  Released r;
  r.reorigin = true;
  const MediaSession& s = *it->second.session;
  for (const Party p : {Party::A, Party::B}) {
    r.origin[index_of(p)] = s.origin(p);
    r.leg_address[index_of(p)] = s.leg_address(p);
  }
  Direct out;
  out.to[0] = reorigin(*b, r.leg_address[0], r.origin[0]);
  out.to[1] = reorigin(*a, r.leg_address[1], r.origin[1]);
  pending_release_[call] = std::move(r);
  if (on_log) on_log("call " + std::to_string(call) + ": media to be released after the transfer: " + d.why);
  return out;
}

void MediaManager::release(std::uint64_t call, bool taken) {
  auto r = pending_release_.find(call);
  if (r == pending_release_.end()) return;
  if (!taken) {
    // A party refused direct media: the SBC goes on carrying it, under the o= versions it sent.
    if (auto it = sessions_.find(call); it != sessions_.end())
      for (const Party p : {Party::A, Party::B}) it->second.session->set_origin(p, r->second.origin[index_of(p)]);
    pending_release_.erase(r);
    return;
  }
  sessions_.erase(call);  // its ports and flows go
  released_[call] = std::move(r->second);
  pending_release_.erase(r);
  ++counters_.released_after_transfer;
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
  pending_release_.erase(call);
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
