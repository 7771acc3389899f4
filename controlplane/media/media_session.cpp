#include "media/media_session.hpp"

#include <arpa/inet.h>

#include <algorithm>

namespace palisade::media {

namespace {

Party other(Party p) { return p == Party::A ? Party::B : Party::A; }

bool is_private_v4(const std::string& ip) {
  in_addr a{};
  if (inet_pton(AF_INET, ip.c_str(), &a) != 1) return false;
  const std::uint32_t h = ntohl(a.s_addr);
  return (h >> 24) == 10 || (h >> 20) == (172u << 4 | 1) || (h >> 16) == (192u << 8 | 168) || (h >> 22) == (100u << 2 | 1);
}

// Restricted latching allows the address media is expected from, by the realm's rule. `auto`
// takes the SDP's, unless the SDP names a private address while the signalling comes from a
// public one: an endpoint behind a NAT, whose media will come from the NAT too.
dataplane::IpAddress latch_source(const StreamInfo& info, const PartySide& side) {
  using config::RestrictedLatching;
  const bool natted = is_private_v4(info.address) && !side.signalling_ip.empty() && !is_private_v4(side.signalling_ip);
  const bool peer = side.latching == RestrictedLatching::PeerIp ||
                    (side.latching == RestrictedLatching::Auto && natted) || info.held_by_address ||
                    dataplane::parse_ip(info.address).family == 0;
  return dataplane::parse_ip(peer ? side.signalling_ip : info.address);
}

}  // namespace

MediaSession::MediaSession(dataplane::MediaPlane& plane, PartySide a, PartySide b, FlowTimers timers, NextHop next_hop,
                           std::string session_id)
    : plane_(plane), a_(std::move(a)), b_(std::move(b)), timers_(timers), next_hop_(std::move(next_hop)) {
  origin_[0].session_id = session_id;
  origin_[1].session_id = session_id + "1";  // each leg has its own session (RFC 4566 §5.2)
}

MediaSession::~MediaSession() {
  for (auto& s : streams_) release(s);
}

bool MediaSession::allocate(Stream& s) {
  if (s.port[0]) return true;
  const auto pa = a_.pool->allocate();
  if (!pa) return false;
  const auto pb = b_.pool->allocate();
  if (!pb) {
    a_.pool->release(*pa);
    return false;
  }
  s.port[0] = *pa;
  s.port[1] = *pb;
  return true;
}

void MediaSession::release(Stream& s) {
  for (auto& d : s.from) {
    if (d.rtp >= 0) plane_.remove(d.rtp);
    if (d.rtcp >= 0) plane_.remove(d.rtcp);
    d = Direction{};
  }
  if (s.port[0]) a_.pool->release(s.port[0]);
  if (s.port[1]) b_.pool->release(s.port[1]);
  s.port[0] = s.port[1] = 0;
}

dataplane::FlowSpec MediaSession::spec(const Stream& s, Party from, bool rtcp) const {
  const Party to = other(from);
  const PartySide& in = from == Party::A ? a_ : b_;
  const PartySide& out = to == Party::A ? a_ : b_;
  const std::uint16_t plus = rtcp ? 1 : 0;
  dataplane::FlowSpec f;
  f.in_port = in.port;
  f.local = {dataplane::parse_ip(in.pool->address()), static_cast<std::uint16_t>(s.port[index_of(from)] + plus)};
  f.out_port = out.port;
  f.source = {dataplane::parse_ip(out.pool->address()), static_cast<std::uint16_t>(s.port[index_of(to)] + plus)};
  if (const auto& r = s.remote[index_of(to)]; r && !r->rejected && !r->held_by_address) {
    f.destination = {dataplane::parse_ip(r->address), rtcp ? r->rtcp_port : r->rtp_port};
    if (auto mac = next_hop_(out.port, r->address)) f.next_hop_mac = *mac;
  }
  f.latch = in.latching == config::RestrictedLatching::None ? dataplane::LatchMode::Unrestricted : dataplane::LatchMode::Restricted;
  if (const auto& r = s.remote[index_of(from)]) f.allowed_source = latch_source(*r, in);
  const Direction& back = s.from[index_of(to)];
  f.reverse = rtcp ? back.rtcp : back.rtp;
  // The guards watch RTP only: many endpoints send no RTCP, and its absence ends nothing.
  if (!rtcp) {
    f.initial_guard_s = timers_.initial_guard_s;
    f.subsequent_guard_s = timers_.subsequent_guard_s;
    f.time_limit_s = timers_.time_limit_s;
  }
  return f;
}

bool MediaSession::program(Stream& s) {
  const bool mux = (s.remote[0] && s.remote[0]->rtcp_mux) || (s.remote[1] && s.remote[1]->rtcp_mux);
  // Slots first, all four: each direction names the other as its reverse.
  for (auto& d : s.from) {
    if (d.rtp < 0 && (d.rtp = plane_.reserve()) < 0) return false;
    if (!mux && d.rtcp < 0 && (d.rtcp = plane_.reserve()) < 0) return false;
    if (mux && d.rtcp >= 0) {
      plane_.remove(d.rtcp);  // RTCP moved onto the RTP port
      d.rtcp = -1;
      d.rtcp_on = false;
    }
  }
  for (Party p : {Party::A, Party::B}) {
    Direction& d = s.from[index_of(p)];
    for (const bool rtcp : {false, true}) {
      const std::int32_t slot = rtcp ? d.rtcp : d.rtp;
      bool& on = rtcp ? d.rtcp_on : d.rtp_on;
      if (slot < 0) continue;
      const dataplane::FlowSpec f = spec(s, p, rtcp);
      if (!(on ? plane_.modify(slot, f) : plane_.install(slot, f))) return false;
      on = true;
    }
  }
  return true;
}

std::optional<std::string> MediaSession::on_sdp(Party from, const sdp::SessionDescription& sd, bool sent) {
  const Party to = other(from);
  const std::vector<StreamInfo> infos = streams_of(sd);
  const std::size_t had = streams_.size();
  std::vector<std::optional<Anchor>> anchors(infos.size());
  for (std::size_t i = 0; i < infos.size(); ++i) {
    if (i == streams_.size()) streams_.emplace_back();
    Stream& s = streams_[i];
    if (infos[i].rejected) {
      release(s);
      s.remote[index_of(from)] = infos[i];
      continue;
    }
    if (!allocate(s)) {
      for (std::size_t j = had; j < streams_.size(); ++j) release(streams_[j]);  // nothing new stays
      streams_.resize(had);
      return std::nullopt;
    }
    s.remote[index_of(from)] = infos[i];
    anchors[i] = Anchor{side(to).pool->address(), s.port[index_of(to)]};
  }
  for (std::size_t i = 0; i < infos.size(); ++i)
    if (!infos[i].rejected && !program(streams_[i])) return std::nullopt;
  OriginState scratch = origin_[index_of(to)];
  return rewrite(sd, anchors, side(to).pool->address(), sent ? origin_[index_of(to)] : scratch);
}

bool MediaSession::can_exchange(const MediaSession& other) const {
  if (streams_.empty() || streams_.size() != other.streams_.size()) return false;
  auto anchored = [](const Stream& s) { return s.port[0] && s.port[1]; };
  return std::all_of(streams_.begin(), streams_.end(), anchored) &&
         std::all_of(other.streams_.begin(), other.streams_.end(), anchored);
}

bool MediaSession::exchange(Party mine, MediaSession& other, Party theirs) {
  if (!can_exchange(other)) return false;
  const int m = index_of(mine), t = index_of(theirs);
  std::swap(side(mine), other.side(theirs));
  std::swap(origin_[m], other.origin_[t]);
  for (std::size_t i = 0; i < streams_.size(); ++i) {
    Stream& s = streams_[i];
    Stream& o = other.streams_[i];
    std::swap(s.port[m], o.port[t]);
    std::swap(s.remote[m], o.remote[t]);
    std::swap(s.from[m], o.from[t]);  // a direction's flows are keyed on the port that receives it
  }
  bool ok = true;
  for (auto& s : streams_) ok = program(s) && ok;
  for (auto& s : other.streams_) ok = other.program(s) && ok;
  return ok;
}

bool MediaSession::rehome(Party p, PartySide to) {
  const int i = index_of(p);
  std::vector<std::uint16_t> ports;
  for (const auto& s : streams_) {
    if (!s.port[i]) continue;
    const auto got = to.pool->allocate();
    if (!got) {
      for (auto port : ports) to.pool->release(port);
      return false;
    }
    ports.push_back(*got);
  }
  std::size_t next = 0;
  for (auto& s : streams_) {
    if (!s.port[i]) continue;
    Direction& d = s.from[i];
    if (d.rtp >= 0) plane_.remove(d.rtp);
    if (d.rtcp >= 0) plane_.remove(d.rtcp);
    d = Direction{};
    side(p).pool->release(s.port[i]);
    s.port[i] = ports[next++];
    s.remote[i].reset();
  }
  side(p) = std::move(to);
  return true;
}

bool MediaSession::answered() const {
  for (const auto& s : streams_)
    if (s.remote[0] && s.remote[1]) return true;
  return false;
}

std::vector<std::int32_t> MediaSession::rtp_slots() const {
  std::vector<std::int32_t> out;
  for (const auto& s : streams_)
    for (const auto& d : s.from)
      if (d.rtp >= 0) out.push_back(d.rtp);
  return out;
}

bool MediaSession::carries_media(std::int32_t slot) const {
  auto sends = [](const std::optional<StreamInfo>& s) {
    return s && !s->rejected && !s->held_by_address &&
           (s->direction == sdp::Direction::SendRecv || s->direction == sdp::Direction::SendOnly);
  };
  auto receives = [](const std::optional<StreamInfo>& s) {
    return s && !s->rejected && !s->held_by_address &&
           (s->direction == sdp::Direction::SendRecv || s->direction == sdp::Direction::RecvOnly);
  };
  if (slot < 0) return false;
  for (const auto& s : streams_)
    for (int from = 0; from < 2; ++from)
      if (s.from[from].rtp == slot) return s.from[from].rtp_on && sends(s.remote[from]) && receives(s.remote[1 - from]);
  return false;
}

bool MediaSession::owns(std::int32_t slot) const {
  for (const auto& s : streams_)
    for (const auto& d : s.from)
      if (slot >= 0 && (d.rtp == slot || d.rtcp == slot)) return true;
  return false;
}

std::size_t MediaSession::flows() const {
  std::size_t n = 0;
  for (const auto& s : streams_)
    for (const auto& d : s.from) n += (d.rtp >= 0) + (d.rtcp >= 0);
  return n;
}

dataplane::FlowCounters MediaSession::rtp_counters(std::size_t stream, Party from) const {
  if (stream >= streams_.size() || streams_[stream].from[index_of(from)].rtp < 0) return {};
  return plane_.counters(streams_[stream].from[index_of(from)].rtp);
}

}  // namespace palisade::media
