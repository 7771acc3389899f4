#include "b2bua/b2bua.hpp"

#include <algorithm>

#include "b2bua/call.hpp"
#include "b2bua/header_policy.hpp"
#include "sip/normalize.hpp"
#include "sip/request_validator.hpp"

namespace palisade::b2bua {

using namespace detail;

using sip::HeaderId;
using sip::Message;
using sip::OutgoingMessage;
using transaction::Failure;
using transaction::Peer;
using transaction::TxId;

std::string RandomIds::token(std::size_t hex_chars) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(hex_chars, '0');
  std::uint64_t bits = 0;
  for (std::size_t i = 0; i < hex_chars; ++i) {
    if (i % 16 == 0) bits = rng_();
    out[i] = kHex[bits & 15];
    bits >>= 4;
  }
  return out;
}

std::uint32_t RandomIds::first_rseq() {
  // Uniform in 1..2^31-1 as RFC 3262 §3 asks, so that a restarted call never reuses a number.
  return static_cast<std::uint32_t>(rng_() % 0x7FFFFFFFu) + 1;
}

B2bua::B2bua(const config::Config& cfg, std::vector<LocalAddress> locals, IdSource& ids,
             transaction::TimerService& timers, transaction::Sender& sender)
    : cfg_(cfg), locals_(std::move(locals)), ids_(ids), timers_(timers), sender_(sender), router_(cfg) {
  for (const auto& a : cfg_.session_agents) agents_[a.hostname] = {};
}

B2bua::~B2bua() {
  for (const auto& [agent, h] : ping_timers_) timers_.cancel(h);
  for (const auto& [id, c] : calls_) {
    if (c->a_unacked) timers_.cancel(c->a_reliable_timer);
    if (c->transfer) cancel_retries(*c->transfer);
  }
}

std::string B2bua::branch() { return "z9hG4bK" + ids_.token(20); }

// The realm's sip-port for this transport; any of the realm's ports when it has none.
const LocalAddress* B2bua::local_for_realm(const std::string& realm, transaction::Transport t) const {
  const LocalAddress* any = nullptr;
  for (const auto& l : locals_) {
    if (l.realm != realm) continue;
    if (l.transport == t) return &l;
    if (!any) any = &l;
  }
  return any;
}

const LocalAddress* B2bua::local_for_socket(std::uint16_t socket) const {
  for (const auto& l : locals_)
    if (l.socket == socket) return &l;
  return nullptr;
}

B2bua::Call* B2bua::call_of(std::uint64_t id) {
  auto it = calls_.find(id);
  return it == calls_.end() ? nullptr : it->second.get();
}

B2bua::Leg& B2bua::leg(Call& c, Side s) {
  switch (s) {
    case Side::A: return c.a;
    case Side::B: return c.b;
    case Side::T: return c.transfer->target;  // callers hold a call with a transfer
    case Side::Old: return c.transfer->old;
  }
  return c.a;
}

const config::RealmConfig* B2bua::realm_config(const std::string& realm) const {
  for (const auto& r : cfg_.realms)
    if (r.identifier == realm) return &r;
  return nullptr;
}

// The session agent at the far end of a leg: the B leg's is known from routing; a caller is
// one when its address is a session agent's.
std::string B2bua::agent_of(const Call& c, Side side) const {
  if (side == Side::B) return c.b_seat.agent;
  if (!c.a_seat.agent.empty()) return c.a_seat.agent;
  for (const auto& a : cfg_.session_agents)
    if (a.ip_address == c.a.peer.address && a.port == c.a.peer.port) return a.hostname;
  return {};
}

std::optional<std::pair<std::uint64_t, B2bua::Side>> B2bua::find_dialog(const std::string& call_id, const std::string& tag1,
                                                                       const std::string& tag2) const {
  // Which tag is the SBC's depends on who sent the Replaces: try both.
  for (const std::string* tag : {&tag1, &tag2}) {
    auto d = dialogs_.find(dialog_key(call_id, *tag));
    if (d != dialogs_.end() && (d->second.second == Side::A || d->second.second == Side::B)) return d->second;
  }
  return std::nullopt;
}

std::string B2bua::translated_replaces(const sip::Replaces& r) {
  // A dialog of the SBC's on the referrer's side stands for the call's other leg: the
  // transferee's INVITE will name that one, with the SBC as the recipient (to-tag its own).
  if (auto d = find_dialog(r.call_id, r.to_tag, r.from_tag)) {
    Call& k = *call_of(d->first);
    const Leg& o = leg(k, other(d->second));
    return refer::replaces_value({o.call_id, o.local_tag, o.remote_tag, r.early_only});
  }
  return refer::replaces_value(r);
}

void B2bua::note_allow(Leg& from, const Message& m) {
  if (m.find(HeaderId::Allow)) from.allows_refer = lists(m, HeaderId::Allow, "REFER");
}

namespace {
// A request whose top Via names another address or port than the one it came from crossed a
// NAT (or a sender that does not know its own address): RFC 3581's case for `received`/`rport`.
bool came_through_nat(const Message& req, const Peer& from) {
  const auto& via = req.top_via();
  if (!via) return false;
  std::string_view host = via->host;
  if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  const std::uint16_t port = via->port.value_or(5060);  // UDP and TCP: the SBC runs no TLS
  return host != from.address || port != from.port;
}

bool carries_sdp(const Message& m) {
  const auto ct = m.content_type();
  return !m.body().empty() && ct && sip::charset::iequals(ct->type, "application") && sip::charset::iequals(ct->subtype, "sdp");
}
}  // namespace

void B2bua::note_sdp(Leg& from, const Message& m) {
  if (carries_sdp(m)) from.remote_sdp = std::string(m.body());
}

std::optional<std::string> B2bua::body_towards(Call& c, Side to, std::string_view body, bool is_sdp) {
  if (!media_ || !is_sdp || body.empty() || (to != Side::A && to != Side::B)) return std::string(body);
  return media_->sdp(c.id, parties_of(c), to == Side::B, body);
}

media::CallParties B2bua::parties_of(const Call& c) const {
  media::CallParties p;
  p.realm[0] = c.a.local.realm;
  p.realm[1] = c.b.local.realm;
  p.signalling_ip[0] = c.a.peer.address;
  p.signalling_ip[1] = c.b.peer.address;
  return p;
}

std::optional<std::string> B2bua::body_towards(Call& c, Side to, const Message& m) {
  return body_towards(c, to, m.body(), carries_sdp(m));
}

bool B2bua::end_call(std::uint64_t id, const std::string& reason) {
  Call* c = call_of(id);
  if (!c || c->state != Call::State::Confirmed || c->transfer) return false;
  c->state = Call::State::Ending;
  for (Side s : {Side::A, Side::B}) {
    Leg& l = leg(*c, s);
    OutgoingMessage bye = in_dialog_request(l, "BYE");
    bye.add("Reason", reason);
    const TxId tx = layer_->send_request(bye, l.peer);
    client_tx_[tx] = {c->id, Purpose::Bye, s, 0, {}};
    ++c->pending_byes;
  }
  return true;
}

OutgoingMessage B2bua::dialog_invite(const Leg& l, const std::string& max_forwards) {
  OutgoingMessage inv = OutgoingMessage::request("INVITE", l.remote_target);
  inv.add(HeaderId::Via, "SIP/2.0/" + via_transport(l.local.transport) + " " + host_port(l.local.address, l.local.port) +
                             ";branch=" + branch() + ";rport");
  inv.add(HeaderId::MaxForwards, max_forwards);
  inv.add(HeaderId::From, l.local_uri + ";tag=" + l.local_tag);
  inv.add(HeaderId::To, l.remote_uri);
  inv.add(HeaderId::CallId, l.call_id);
  inv.add(HeaderId::CSeq, "1 INVITE");
  inv.add(HeaderId::Contact, l.contact());
  inv.add(HeaderId::Allow, std::string(kAllow));
  return inv;
}

const std::vector<std::string>& B2bua::relay_headers_of(const std::string& realm) const {
  static const std::vector<std::string> kNone;
  const config::RealmConfig* r = realm_config(realm);
  return r ? r->relay_headers : kNone;
}

void B2bua::copy_relayed(const Message& from, OutgoingMessage& to, const std::string& into_realm) {
  const auto& extra = relay_headers_of(into_realm);
  for (const auto& h : from.headers())
    if (relayed_into(h, extra)) to.add(h.id == HeaderId::Other ? h.name : sip::canonical_name(h.id), sip::unfold(h.value));
}

void B2bua::reject(TxId id, const Message& req, int code, std::string_view reason, HeaderId extra,
                   std::string_view extra_value) {
  OutgoingMessage r = sip::make_response(req, code, reason, ids_.token(16));
  if (extra != HeaderId::Other) r.add(extra, std::string(extra_value));
  if (code == 503) r.add(HeaderId::RetryAfter, "30");
  layer_->respond(id, r);
  ++counters_.requests_rejected;
}

// ---- requests ------------------------------------------------------------------------------

void B2bua::on_request(TxId id, const Message& req, const Peer& from) {
  if (auto verdict = sip::validate_request(req)) {
    reject(id, req, verdict->status_code, verdict->reason, verdict->header, verdict->header_value);
    return;
  }
  if (req.method_id() == sip::Method::Cancel) return cancel(id, req);
  if (req.to() && req.to()->tag()) return in_dialog(id, req, from);
  switch (req.method_id()) {
    case sip::Method::Invite: return new_call(id, req, from);
    case sip::Method::Options: return answer_self(id, req);
    default: return reject(id, req, 501, "Not Implemented Outside A Dialog");
  }
}

void B2bua::answer_self(TxId id, const Message& req) {
  // OPTIONS outside a dialog is a peer asking whether the SBC is alive (RFC 3261 §11.2).
  OutgoingMessage r = sip::make_response(req, 200, {}, ids_.token(16));
  r.add(HeaderId::Allow, std::string(kAllow));
  r.add(HeaderId::Accept, "application/sdp");
  layer_->respond(id, r);
}

void B2bua::new_call(TxId id, const Message& inv, const Peer& from) {
  ++counters_.calls_attempted;
  const LocalAddress* in_local = local_for_socket(from.socket);
  if (!in_local) return reject(id, inv, 500, "No Local Address");

  auto call = std::make_unique<Call>();
  Call& c = *call;
  if (!admit_inbound(c, in_local->realm)) {
    ++counters_.calls_failed;
    return reject(id, inv, 503, "Service Unavailable");
  }
  c.id = next_call_++;
  c.started = clock();
  c.a_invite = id;
  // A leg: the caller's dialog, as the caller sees it.
  c.a.local = *in_local;
  c.a.peer = from;  // answer and send in-dialog requests where the caller really is (NAT)
  c.a.behind_nat = came_through_nat(inv, from);
  if (c.a.behind_nat) ++counters_.callers_behind_nat;
  c.a.call_id = std::string(*inv.call_id());
  c.a.local_tag = ids_.token(16);
  c.a.remote_tag = std::string(inv.from()->tag().value_or(""));
  c.a.local_uri = without_tag(*inv.to());
  c.a.remote_uri = without_tag(*inv.from());
  c.a.remote_target = std::string(inv.from()->uri.raw);  // without a Contact, the From address
  refresh_target(c.a.remote_target, inv);
  for (const auto& rr : inv.record_routes()) c.a.route_set.push_back(sip::render(rr));
  c.a.local_cseq = 1;
  c.from_display = std::string(inv.from()->display_name);
  c.to_display = std::string(inv.to()->display_name);
  c.from_user = user_of(inv.from()->uri);
  c.to_user = user_of(inv.request_uri());
  c.a_invite_cseq = inv.cseq()->number;
  c.a_requires_100rel = lists(inv, HeaderId::Require, "100rel");
  c.a_100rel = c.a_requires_100rel || lists(inv, HeaderId::Supported, "100rel");
  if (inv.max_forwards()) c.max_forwards = std::to_string(*inv.max_forwards() - 1);
  c.body = std::string(inv.body());
  note_sdp(c.a, inv);
  note_allow(c.a, inv);
  if (const auto* ct = inv.find(HeaderId::ContentType)) c.content_type = sip::unfold(ct->value);
  // Everything that may cross, kept by name: which of it does depends on the egress realm.
  for (const auto& h : inv.headers())
    if (!sip::is_leg_specific(h.id) && h.id != HeaderId::ContentType)
      c.session_headers.push_back({h.id, std::string(h.id == HeaderId::Other ? h.name : sip::canonical_name(h.id)), sip::unfold(h.value)});

  ServerTx st;
  st.call = c.id;
  st.side = Side::A;
  st.method = "INVITE";
  st.response_base = sip::make_response(inv, 500, {}, c.a.local_tag);
  server_tx_[id] = std::move(st);

  routing::RouteResult route;
  if (auto rp = inv.replaces()) {
    // RFC 3891: an INVITE replacing one of the SBC's own dialogs goes to the party at the far
    // end of that dialog, naming it as that party knows it; any other Replaces names a
    // dialog beyond the SBC and travels on as it is.
    if (auto d = find_dialog(rp->call_id, rp->to_tag, rp->from_tag)) {
      const Leg& o = leg(*call_of(d->first), d->second);
      route.targets.push_back({{}, o.peer.address, o.peer.port, to_protocol(o.peer.transport), o.local.realm, o.peer.address});
      c.b_request_uri = o.remote_target;
      c.replaces = refer::replaces_value({o.call_id, o.remote_tag, o.local_tag, rp->early_only});
    } else {
      c.replaces = refer::replaces_value(*rp);
    }
  }
  if (route.targets.empty())
    route = router_.route({in_local->realm, c.from_user, c.to_user, clock() / 1000}, agents_, realm_load_);
  c.targets = std::move(route.targets);
  const std::uint64_t call_id = c.id;
  calls_[call_id] = std::move(call);
  dialogs_[dialog_key(c.a)] = {call_id, Side::A};
  if (c.targets.empty()) {
    invite_failed(c, route.matched_policy ? 503 : 404, route.matched_policy ? "Service Unavailable" : "No Route");
    return;
  }
  if (!try_next_target(c)) invite_failed(c, 503, "Service Unavailable");
}

bool B2bua::admit_inbound(Call& c, const std::string& realm) {
  const std::uint64_t now_s = clock() / 1000;
  routing::RealmLoad& load = realm_load_[realm];
  if (const config::SessionConstraints* sc = routing::constraints_of(cfg_, realm)) {
    const std::string_view limit = routing::exceeded_constraint(*sc, load, routing::Direction::Inbound, now_s);
    if (!limit.empty()) {
      ++load.in.refused;
      if (on_constrained) on_constrained(realm, limit);
      return false;
    }
  }
  load.take(routing::Direction::Inbound, now_s);
  c.in_realm = realm;
  return true;
}

void B2bua::take_seat(Seat& seat, const routing::Target& t) {
  release_seat(seat);
  const std::uint64_t now_s = clock() / 1000;
  if (!t.agent.empty()) {
    routing::AgentState& a = agents_[t.agent];
    ++a.active_sessions, ++a.total_sessions;
    a.session_rate.add(now_s);
  }
  realm_load_[t.realm].take(routing::Direction::Outbound, now_s);
  seat = {t.agent, t.realm};
}

bool B2bua::try_next_target(Call& c) {
  while (c.next_target < c.targets.size()) {
    const routing::Target t = c.targets[c.next_target++];
    const LocalAddress* out = local_for_realm(t.realm, to_transport(t.transport));
    if (!out) continue;  // no sip-interface in that realm
    take_seat(c.b_seat, t);
    if (!c.b.call_id.empty()) dialogs_.erase(dialog_key(c.b));

    // B leg: a new dialog that shares nothing with the A leg.
    Leg& b = c.b;
    b = Leg{};
    b.local = *out;
    b.peer = Peer{t.address, t.port, out->transport, out->socket};
    b.call_id = ids_.token(32);
    if (on_leg_added) on_leg_added(c.a.call_id, b.call_id);
    b.local_tag = ids_.token(16);
    b.local_uri = (c.from_display.empty() ? "" : c.from_display + " ") + "<sip:" + c.from_user + "@" + b.local.address + ">";
    b.remote_uri = (c.to_display.empty() ? "" : c.to_display + " ") + "<sip:" + c.to_user + "@" + host_port(t.address, t.port) + ">";
    b.remote_target = c.b_request_uri.empty() ? "sip:" + c.to_user + "@" + host_port(t.address, t.port) : c.b_request_uri;
    b.local_cseq = 1;
    b.invite_cseq = 1;
    b.owns_call_id = true;
    c.b_provisional = false;
    c.b_rseq = 0;

    OutgoingMessage inv = dialog_invite(b, c.max_forwards);
    // The callee may answer reliably only if the caller can acknowledge (RFC 3262 §3); the SBC
    // relays 100rel rather than terminating it, so offer what the caller offered.
    if (c.a_requires_100rel) inv.add(HeaderId::Require, "100rel");
    else if (c.a_100rel) inv.add(HeaderId::Supported, "100rel");
    // The caller's session headers (Subject, Session-Expires, ...), kept since the call began:
    // its message is gone by the time a failover builds this INVITE again.
    const auto& extra = relay_headers_of(t.realm);
    for (const auto& h : c.session_headers)
      if (relayed_into(sip::HeaderField{h.id, h.name, h.value}, extra)) inv.add(h.name, h.value);
    if (!c.replaces.empty()) inv.add(HeaderId::Replaces, c.replaces);
    if (!c.body.empty()) {
      // The B leg's realm is known only now (and may differ after a failover).
      const bool is_sdp = sip::charset::iequals(c.content_type.substr(0, c.content_type.find(';')), "application/sdp");
      const auto body = body_towards(c, Side::B, c.body, is_sdp);
      if (!body) {
        invite_failed(c, 503, "Service Unavailable (no media resources)");
        return true;
      }
      inv.set_body(*body, c.content_type);
    }
    c.b_invite_msg = std::move(inv);
    dialogs_[dialog_key(b)] = {c.id, Side::B};
    c.b_invite = layer_->send_request(c.b_invite_msg, b.peer);
    client_tx_[c.b_invite] = {c.id, Purpose::InitialInvite, Side::B, 0, {}};
    return true;
  }
  return false;
}

void B2bua::cancel(TxId id, const Message& req) {
  const TxId invite = layer_->invite_for_cancel(req);
  auto st = server_tx_.find(invite);
  if (!invite || st == server_tx_.end()) return reject(id, req, 481, "Call/Transaction Does Not Exist");
  layer_->respond(id, sip::make_response(req, 200, {}, ids_.token(16)));
  Call* c = call_of(st->second.call);
  if (!c || c->a_answered) return;
  // The caller gave up: answer its INVITE now, and let the B leg go as RFC 3261 §9.1 allows.
  ++counters_.calls_cancelled;
  OutgoingMessage r = st->second.response_base;
  r.set_status(487, "Request Terminated");
  layer_->respond(invite, r);
  c->a_answered = true;
  c->state = Call::State::Ending;
  if (c->b_provisional) send_cancel(*c);
  else c->cancel_pending = true;  // sent when the first provisional arrives
}

void B2bua::send_cancel(Call& c) {
  const TxId tx = layer_->send_request(cancel_of(c.b_invite_msg, c.b.invite_cseq), c.b.peer);
  client_tx_[tx] = {c.id, Purpose::Cancel, Side::B, 0, {}};
  c.cancel_pending = false;
}

OutgoingMessage B2bua::in_dialog_request(Leg& l, std::string_view method) {
  OutgoingMessage r = OutgoingMessage::request(method, l.remote_target);
  r.add(HeaderId::Via, "SIP/2.0/" + via_transport(l.local.transport) + " " + host_port(l.local.address, l.local.port) +
                           ";branch=" + branch() + ";rport");
  r.add(HeaderId::MaxForwards, "70");
  for (const auto& route : l.route_set) r.add(HeaderId::Route, route);
  r.add(HeaderId::From, l.local_uri + ";tag=" + l.local_tag);
  r.add(HeaderId::To, l.remote_uri + (l.remote_tag.empty() ? "" : ";tag=" + l.remote_tag));
  r.add(HeaderId::CallId, l.call_id);
  if (method != "ACK") ++l.local_cseq;
  r.add(HeaderId::CSeq, std::to_string(method == "ACK" ? l.invite_cseq : l.local_cseq) + " " + std::string(method));
  return r;
}

void B2bua::in_dialog(TxId id, const Message& req, const Peer& from) {
  auto d = dialogs_.find(dialog_key(*req.call_id(), *req.to()->tag()));
  if (d == dialogs_.end()) return reject(id, req, 481, "Call/Transaction Does Not Exist");
  Call* c = call_of(d->second.first);
  if (!c) return reject(id, req, 481, "Call/Transaction Does Not Exist");
  const Side from_side = d->second.second;
  const Side to_side = other(from_side);
  Leg& in = leg(*c, from_side);
  Leg& out = leg(*c, to_side);
  if (in.behind_nat && (from_side == Side::A || from_side == Side::B) &&
      (in.peer.address != from.address || in.peer.port != from.port)) {
    // The NAT gave the party a new mapping (it rebooted, or the idle binding expired): what
    // the SBC sends in this dialog goes where the party is now, as its responses already do.
    if (on_nat)
      on_nat("call " + std::to_string(c->id) + ": NAT mapping moved from " + detail::host_port(in.peer.address, in.peer.port) +
               " to " + detail::host_port(from.address, from.port));
    in.peer = from;
    ++counters_.nat_mappings_moved;
  }

  ServerTx st;
  st.call = c->id;
  st.side = from_side;
  st.method = std::string(req.method());
  st.response_base = sip::make_response(req, 500, {}, in.local_tag);

  if (req.method_id() == sip::Method::Bye && transfer_bye(id, *c, from_side, st)) return;
  if (from_side == Side::T) return reject(id, req, 491, "Request Pending");  // not connected yet
  if (from_side == Side::Old) return reject(id, req, 481, "Call/Transaction Does Not Exist");
  if (req.method_id() == sip::Method::Bye) {
    // Answer at once and end the other leg: the caller's BYE never waits on the far side.
    OutgoingMessage ok = st.response_base;
    ok.set_status(200, "OK");
    layer_->respond(id, ok);
    c->state = Call::State::Ending;
    if (leg(*c, to_side).call_id.empty()) finish(c->id);  // that leg went to another call (attended transfer)
    else send_bye(*c, to_side);
    return;
  }
  if (req.method_id() == sip::Method::Prack) {
    // The SBC sends reliable provisional responses towards the caller only.
    if (from_side == Side::A) return prack(id, req, *c, std::move(st));
    return reject(id, req, 481, "No Matching Reliable Provisional Response");
  }
  if (c->state != Call::State::Confirmed && req.method_id() != sip::Method::Update &&
      req.method_id() != sip::Method::Info && req.method_id() != sip::Method::Prack)
    return reject(id, req, 491, "Request Pending");

  if (req.method_id() == sip::Method::Refer) {
    const auto refer_to = req.refer_to();
    const refer::ReferTarget target = refer_to ? refer::analyze_refer_to(*refer_to) : refer::ReferTarget{};
    const auto decision = refer::decide_refer(cfg_, {in.local.realm, out.local.realm, agent_of(*c, from_side)});
    // An attended transfer is performed when the dialog it replaces is another answered call
    // through the SBC: the SBC joins the two parties itself (transfer.cpp), their anchored media
    // too when both calls' media sessions have like streams (or both bypass the SBC).
    bool joinable = false, media_joinable = true;
    if (target.replaces)
      if (auto d = find_dialog(target.replaces->call_id, target.replaces->to_tag, target.replaces->from_tag))
        if (Call* k = call_of(d->first); k && k != c && k->state == Call::State::Confirmed && !k->transfer) {
          media_joinable = !media_ || media_->can_join(c->id, k->id);
          joinable = media_joinable;
        }
    const bool perform = decision.action == refer::ReferAction::Terminate && target.performable && (!target.replaces || joinable);
    // Meant to be performed but the SBC cannot: proxied, unless the other party said it does
    // not take REFER (its Allow), in which case it is refused with the reason.
    const bool refuse = !perform && decision.action == refer::ReferAction::Terminate && out.allows_refer == false;
    const std::string why = !target.performable                ? target.why
                            : target.replaces && !media_joinable ? "the two calls' media cannot be joined"
                            : target.replaces && !joinable ? "Replaces names a dialog beyond the SBC"
                                                           : "";
    if (on_refer)
      on_refer("call " + std::to_string(c->id) + ": REFER " + (perform ? "performed" : refuse ? "refused" : "proxied") + " (" +
               decision.why + (why.empty() ? "" : "; " + why) + ")");
    if (perform) return start_transfer(id, req, *c, from_side, st, target);
    if (refuse) {
      ++counters_.refers_refused;
      return reject(id, req, 403, "Forbidden (" + why + ")");
    }
    ++counters_.refers_proxied;
  }
  note_sdp(in, req);
  OutgoingMessage fwd = in_dialog_request(out, req.method());
  if (req.method_id() == sip::Method::Invite) out.invite_cseq = out.local_cseq;
  const bool target_refresh = req.method_id() == sip::Method::Invite || req.method_id() == sip::Method::Update ||
                              req.method_id() == sip::Method::Subscribe || req.method_id() == sip::Method::Notify ||
                              req.method_id() == sip::Method::Refer;
  if (target_refresh) fwd.add(HeaderId::Contact, out.contact());
  copy_relayed(req, fwd, out.local.realm);
  if (req.method_id() == sip::Method::Refer) {
    // The transfer target is reached through the SBC: Refer-To and Referred-By name the SBC's
    // address on the far leg (performing the transfer in the SBC is the REFER issue's).
    if (auto rt = req.refer_to()) {
      std::string uri = "sip:" + user_of(rt->uri) + "@" + host_port(out.local.address, out.local.port);
      if (auto rp = sip::embedded_replaces(*rt); rp && *rp) uri += "?Replaces=" + refer::escape_uri_header(translated_replaces(**rp));
      fwd.add(HeaderId::ReferTo, "<" + uri + ">");
    }
    if (auto rb = req.referred_by()) fwd.add(HeaderId::ReferredBy, "<sip:" + user_of(rb->uri) + "@" + out.local.address + ">");
  }
  if (!req.body().empty()) {
    const auto body = body_towards(*c, to_side, req);
    if (!body) return reject(id, req, 503, "Service Unavailable (no media resources)");
    fwd.set_body(*body);
  }
  const TxId tx = layer_->send_request(fwd, out.peer);
  server_tx_[id] = std::move(st);
  client_tx_[tx] = {c->id, Purpose::Relay, to_side, id, {}};
}

void B2bua::send_bye(Call& c, Side side) {
  Leg& l = leg(c, side);
  const TxId tx = layer_->send_request(in_dialog_request(l, "BYE"), l.peer);
  client_tx_[tx] = {c.id, Purpose::Bye, side, 0, {}};
  ++c.pending_byes;
}

void B2bua::on_ack(const Message& ack, const Peer& /*from*/) {
  if (!ack.to() || !ack.to()->tag() || !ack.call_id()) return;
  auto d = dialogs_.find(dialog_key(*ack.call_id(), *ack.to()->tag()));
  if (d == dialogs_.end()) return;  // an ACK for nothing we know: dropped (§17.2.3)
  Call* c = call_of(d->second.first);
  if (!c || c->state == Call::State::Ending) return;
  const Side side = d->second.second;
  if (side != Side::A && side != Side::B) return;
  note_sdp(leg(*c, side), ack);
  send_ack(*c, other(side), &ack);
}

void B2bua::send_ack(Call& c, Side side, const Message* from_ack) {
  Leg& l = leg(c, side);
  OutgoingMessage ack = in_dialog_request(l, "ACK");
  if (from_ack && !from_ack->body().empty()) {
    copy_relayed(*from_ack, ack, l.local.realm);
    // An answer in the ACK (late offer); if it cannot be anchored, the ACK goes without it.
    if (const auto body = body_towards(c, side, *from_ack)) ack.set_body(*body);
  }
  l.ack_wire = ack.serialize();
  sender_.send(l.peer, l.ack_wire);
}

// ---- responses -----------------------------------------------------------------------------

OutgoingMessage B2bua::response_for(const ServerTx& st, const Message& rsp, const Leg& l, Call* c) {
  OutgoingMessage r = st.response_base;
  r.set_status(rsp.status_code(), std::string(rsp.reason()));
  const bool dialog_forming = rsp.status_code() < 300 && rsp.status_code() > 100 &&
                              (st.method == "INVITE" || st.method == "SUBSCRIBE" || st.method == "UPDATE" ||
                               st.method == "REFER" || st.method == "NOTIFY");
  if (dialog_forming) r.add(HeaderId::Contact, l.contact());
  if (rsp.status_code() >= 200 && rsp.status_code() < 300) r.add(HeaderId::Allow, std::string(kAllow));
  copy_relayed(rsp, r, l.local.realm);
  if (!rsp.body().empty()) {
    // An answer's ports were taken with its offer, so anchoring it cannot run out; were it to
    // fail, the response goes without the body rather than with the far side's addresses.
    const auto body = c ? body_towards(*c, st.side, rsp) : std::optional<std::string>(rsp.body());
    if (body) r.set_body(*body);
  }
  return r;
}

void B2bua::on_response(TxId id, const Message& rsp) {
  auto it = client_tx_.find(id);
  if (it == client_tx_.end()) return;
  const ClientTx ctx = it->second;
  // An INVITE's 2xx may come again (the ACK was lost, RFC 6026 Accepted state): the entry
  // stays so the ACK is sent again, and goes with the call.
  const bool may_repeat = ctx.purpose == Purpose::InitialInvite || ctx.purpose == Purpose::TransferInvite;
  if (rsp.status_code() >= 300 || (rsp.status_code() >= 200 && !may_repeat)) client_tx_.erase(it);
  switch (ctx.purpose) {
    case Purpose::InitialInvite:
      if (Call* c = call_of(ctx.call)) {
        if (!c->b_seat.agent.empty()) agents_[c->b_seat.agent].invite_timeouts = 0;  // it answers
        initial_invite_response(*c, rsp);
      }
      break;
    case Purpose::Relay:
      relay_response(ctx, rsp);
      break;
    case Purpose::Bye:
      if (rsp.status_code() >= 200)
        if (Call* c = call_of(ctx.call); c && --c->pending_byes == 0) finish(c->id);
      break;
    case Purpose::Ping:
      if (rsp.status_code() >= 200) set_in_service(ctx.agent, true, "answered OPTIONS");  // any answer: alive
      break;
    case Purpose::TransferInvite:
      if (Call* c = call_of(ctx.call); c && c->transfer) transfer_invite_response(*c, rsp);
      break;
    case Purpose::TransferReinvite:
      if (Call* c = call_of(ctx.call)) reinvite_response(*c, ctx.side, rsp);
      break;
    case Purpose::MediaRelease:
      if (Call* c = call_of(ctx.call)) media_release_settled(*c, ctx.side, &rsp);
      break;
    case Purpose::TransferFinalNotify:
      // Answered, whatever the answer: now the transferor is released.
      if (Call* c = call_of(ctx.call); c && c->transfer && rsp.status_code() >= 200) release_transferor(*c);
      break;
    case Purpose::ReleaseOld:
      if (Call* c = call_of(ctx.call); c && c->transfer && rsp.status_code() >= 200) forget_transferor(*c);
      break;
    case Purpose::Cancel:
    case Purpose::LocalPrack:
    case Purpose::TransferNotify:
      break;
  }
}

void B2bua::initial_invite_response(Call& c, const Message& rsp) {
  const int code = rsp.status_code();
  // Only the B leg of now: not one a failover or a transfer has since replaced.
  if (code == 100 || rsp.call_id() != c.b.call_id) return;
  auto st = server_tx_.find(c.a_invite);
  note_sdp(c.b, rsp);
  if (code < 200) {
    c.b_provisional = true;
    if (rsp.to() && rsp.to()->tag()) c.b.remote_tag = std::string(*rsp.to()->tag());
    if (c.cancel_pending) return send_cancel(c);
    if (c.a_answered || st == server_tx_.end()) return;
    c.state = Call::State::Early;
    if (lists(rsp, HeaderId::Require, "100rel") && rsp.rseq()) return reliable_provisional(c, rsp, st->second);
    layer_->respond(c.a_invite, response_for(st->second, rsp, c.a, &c));
    return;
  }
  if (code < 300) {
    const bool first = c.state != Call::State::Confirmed;
    c.b.remote_tag = std::string(rsp.to()->tag().value_or(""));
    refresh_target(c.b.remote_target, rsp);
    note_allow(c.b, rsp);
    if (first) c.b.route_set = route_set_of(rsp);
    if (c.a_answered && c.state == Call::State::Ending) {
      // Answered after the caller cancelled: acknowledge and hang up the B leg.
      send_ack(c, Side::B, nullptr);
      send_bye(c, Side::B);
      return;
    }
    if (!first) {
      // A retransmitted 2xx: the ACK again if the caller has acknowledged, else the 2xx again.
      if (!c.b.ack_wire.empty()) sender_.send(c.b.peer, c.b.ack_wire);
      else if (st != server_tx_.end()) layer_->respond(c.a_invite, response_for(st->second, rsp, c.a, &c));
      return;
    }
    c.state = Call::State::Confirmed;
    c.a_answered = true;
    ++counters_.calls_answered;
    if (on_answered) on_answered(clock() - c.started);
    if (st != server_tx_.end()) layer_->respond(c.a_invite, response_for(st->second, rsp, c.a, &c));
    return;
  }
  // A failure: fail over on timeouts and unavailable next hops, else give it to the caller.
  c.last_failure = code;
  c.last_reason = std::string(rsp.reason());
  const bool retry = (code == 408 || code == 503 || code == 500) && !c.b_provisional && !c.a_answered;
  if (retry && try_next_target(c)) return;
  invite_failed(c, code, rsp.reason(), &rsp);
}

void B2bua::reliable_provisional(Call& c, const Message& rsp, const ServerTx& st) {
  const std::uint32_t rseq = *rsp.rseq();
  // §4: only the next number in sequence is processed; anything else is a retransmission,
  // whose PRACK is already under way.
  if (c.b_rseq != 0 && rseq != c.b_rseq + 1) return;
  c.b_rseq = rseq;
  // The early dialog the PRACK travels in (§12.1.2 applies to a provisional with a To tag).
  refresh_target(c.b.remote_target, rsp);
  c.b.route_set = route_set_of(rsp);

  if (!c.a_100rel) {
    // The caller cannot acknowledge it: the SBC does, and the caller hears it unreliably.
    OutgoingMessage p = in_dialog_request(c.b, "PRACK");
    p.add(HeaderId::RAck, std::to_string(rseq) + " " + std::to_string(c.b.invite_cseq) + " INVITE");
    const TxId tx = layer_->send_request(p, c.b.peer);
    client_tx_[tx] = {c.id, Purpose::LocalPrack, Side::B, 0, {}};
    layer_->respond(c.a_invite, response_for(st, rsp, c.a, &c));
    return;
  }
  if (c.a_unacked) timers_.cancel(c.a_reliable_timer);  // a callee that did not wait for its PRACK
  c.a_rseq = c.a_rseq == 0 ? ids_.first_rseq() : c.a_rseq + 1;
  c.a_rseq_of_b = rseq;
  c.a_reliable = response_for(st, rsp, c.a, &c);
  c.a_reliable.add(HeaderId::Require, "100rel");
  c.a_reliable.add(HeaderId::RSeq, std::to_string(c.a_rseq));
  layer_->respond(c.a_invite, c.a_reliable);
  // §3: retransmitted at T1, doubling, until the PRACK comes, whatever the transport.
  c.a_unacked = true;
  c.a_reliable_elapsed = transaction::Duration{0};
  c.a_reliable_interval = layer_->timer_config().t1;
  c.a_reliable_timer = timers_.start(c.a_reliable_interval, [this, id = c.id] { retransmit_reliable(id); });
}

void B2bua::retransmit_reliable(std::uint64_t call_id) {
  Call* c = call_of(call_id);
  if (!c || !c->a_unacked) return;
  if (c->a_answered) {  // a final response has gone to the caller since
    c->a_unacked = false;
    return;
  }
  const transaction::Duration limit = 64 * layer_->timer_config().t1;
  c->a_reliable_elapsed += c->a_reliable_interval;
  if (c->a_reliable_elapsed >= limit) {
    // §3: no PRACK for 64*T1: the caller's INVITE is rejected and the callee released.
    c->a_unacked = false;
    if (auto st = server_tx_.find(c->a_invite); st != server_tx_.end()) {
      OutgoingMessage r = st->second.response_base;
      r.set_status(500, "Reliable Provisional Response Not Acknowledged");
      layer_->respond(c->a_invite, r);
    }
    ++counters_.calls_failed;
    c->a_answered = true;
    c->state = Call::State::Ending;
    send_cancel(*c);
    return;
  }
  layer_->respond(c->a_invite, c->a_reliable);
  c->a_reliable_interval = std::min(2 * c->a_reliable_interval, limit - c->a_reliable_elapsed);
  c->a_reliable_timer = timers_.start(c->a_reliable_interval, [this, call_id] { retransmit_reliable(call_id); });
}

void B2bua::prack(TxId id, const Message& req, Call& c, ServerTx st) {
  const auto rack = req.rack();
  // §3: a PRACK must name the reliable provisional response still waiting for it.
  const bool matches = rack && c.a_unacked && rack->rseq == c.a_rseq && rack->cseq == c.a_invite_cseq &&
                       sip::charset::iequals(rack->method, "INVITE");
  if (!matches) return reject(id, req, 481, "No Matching Reliable Provisional Response");
  c.a_unacked = false;
  timers_.cancel(c.a_reliable_timer);
  OutgoingMessage fwd = in_dialog_request(c.b, "PRACK");
  fwd.add(HeaderId::RAck, std::to_string(c.a_rseq_of_b) + " " + std::to_string(c.b.invite_cseq) + " INVITE");
  copy_relayed(req, fwd, c.b.local.realm);
  if (!req.body().empty())  // an answer to an offer in the 1xx
    if (const auto body = body_towards(c, Side::B, req)) fwd.set_body(*body);
  const TxId tx = layer_->send_request(fwd, c.b.peer);
  server_tx_[id] = std::move(st);
  client_tx_[tx] = {c.id, Purpose::Relay, Side::B, id, {}};
}

void B2bua::invite_failed(Call& c, int code, std::string_view reason, const Message* from_callee) {
  if (!c.a_answered) {
    auto st = server_tx_.find(c.a_invite);
    if (st != server_tx_.end()) {
      // The callee's own answer keeps what may cross (Unsupported of a 420, Retry-After...).
      OutgoingMessage r = from_callee ? response_for(st->second, *from_callee, c.a) : st->second.response_base;
      r.set_status(code, std::string(reason.empty() ? sip::default_reason(code) : reason));
      if (code == 503 && !r.find(HeaderId::RetryAfter)) r.add(HeaderId::RetryAfter, "30");
      layer_->respond(c.a_invite, r);
    }
    ++counters_.calls_failed;
    c.a_answered = true;
  }
  finish(c.id);
}

void B2bua::relay_response(const ClientTx& ctx, const Message& rsp) {
  Call* c = call_of(ctx.call);
  auto st = server_tx_.find(ctx.server);
  if (!c || st == server_tx_.end() || rsp.status_code() == 100) return;
  if (ctx.side != Side::A && ctx.side != Side::B) return;
  Leg& sent_on = leg(*c, ctx.side);
  note_sdp(sent_on, rsp);
  if (st->second.method == "INVITE" && rsp.status_code() >= 200 && rsp.status_code() < 300)
    refresh_target(sent_on.remote_target, rsp);  // target refresh (§12.2.1.2)
  layer_->respond(ctx.server, response_for(st->second, rsp, leg(*c, other(ctx.side)), c));
  if (rsp.status_code() >= 200) server_tx_.erase(st);
}

void B2bua::on_client_failure(TxId id, Failure why) {
  auto it = client_tx_.find(id);
  if (it == client_tx_.end()) return;
  const ClientTx ctx = it->second;
  client_tx_.erase(it);
  Call* c = call_of(ctx.call);
  switch (ctx.purpose) {
    case Purpose::InitialInvite:
      if (!c) return;
      // A next hop that leaves trans-timeouts INVITEs in a row unanswered is out of service
      // until its pings say otherwise; fewer may be a lossy path, not a dead agent.
      if (!c->b_seat.agent.empty()) {
        const config::SessionAgent* sa = agent_config(c->b_seat.agent);
        const std::uint32_t n = ++agents_[c->b_seat.agent].invite_timeouts;
        if (sa && sa->ping_interval > 0 && sa->trans_timeouts && n >= sa->trans_timeouts)
          set_in_service(c->b_seat.agent, false, std::to_string(n) + (n == 1 ? " INVITE" : " INVITEs in a row") + " unanswered");
      }
      if (!c->a_answered && try_next_target(*c)) return;
      invite_failed(*c, why == Failure::Timeout ? 408 : 503, why == Failure::Timeout ? "Request Timeout" : "Service Unavailable");
      break;
    case Purpose::Relay: {
      auto st = server_tx_.find(ctx.server);
      if (st == server_tx_.end()) return;
      OutgoingMessage r = st->second.response_base;
      r.set_status(408, "Request Timeout");
      layer_->respond(ctx.server, r);
      server_tx_.erase(st);
      break;
    }
    case Purpose::Bye:
      if (c && --c->pending_byes == 0) finish(c->id);
      break;
    case Purpose::Ping:
      ++agents_[ctx.agent].pings_unanswered;
      set_in_service(ctx.agent, false, "no answer to OPTIONS");
      break;
    case Purpose::TransferInvite:
    case Purpose::TransferReinvite:
    case Purpose::TransferFinalNotify:
    case Purpose::ReleaseOld:
      if (c) transfer_settled(*c, ctx, why == Failure::Timeout ? 408 : 503, why == Failure::Timeout ? "Request Timeout" : "Service Unavailable");
      break;
    case Purpose::MediaRelease:
      if (c) media_release_settled(*c, ctx.side, nullptr);
      break;
    case Purpose::Cancel:
    case Purpose::LocalPrack:  // the callee's own retransmissions and final answer settle it
    case Purpose::TransferNotify:
      break;
  }
}

void B2bua::on_server_failure(TxId id, Failure) {
  // Timer H: the caller never acknowledged a failure response. Nothing is left to do.
  server_tx_.erase(id);
}

void B2bua::on_stray_response(const Message& rsp, const Peer& from) {
  // A 2xx retransmitted after the client transaction ended: acknowledge it again.
  if (rsp.status_code() < 200 || rsp.status_code() >= 300 || !rsp.call_id() || !rsp.from() || !rsp.from()->tag()) return;
  auto d = dialogs_.find(dialog_key(*rsp.call_id(), *rsp.from()->tag()));
  if (d == dialogs_.end()) return;
  Call* c = call_of(d->second.first);
  if (!c || ((d->second.second == Side::T || d->second.second == Side::Old) && !c->transfer)) return;
  Leg& l = leg(*c, d->second.second);
  if (!l.ack_wire.empty()) sender_.send(from, l.ack_wire);
}

void B2bua::finish(std::uint64_t id) {
  Call* c = call_of(id);
  if (!c) return;
  if (media_) media_->ended(id);
  if (c->a_unacked) timers_.cancel(c->a_reliable_timer);
  release_seat(c->b_seat);
  release_seat(c->a_seat);
  if (!c->in_realm.empty()) realm_load_[c->in_realm].release(routing::Direction::Inbound);
  if (c->transfer) {
    release_seat(c->transfer->seat);
    cancel_retries(*c->transfer);
    for (const Leg* l : {&c->transfer->target, &c->transfer->old})
      if (!l->call_id.empty()) dialogs_.erase(dialog_key(*l));
  }
  dialogs_.erase(dialog_key(c->a));
  if (!c->b.call_id.empty()) dialogs_.erase(dialog_key(c->b));
  std::erase_if(server_tx_, [id](const auto& kv) { return kv.second.call == id; });
  std::erase_if(client_tx_, [id](const auto& kv) { return kv.second.call == id && kv.second.purpose != Purpose::Ping; });
  calls_.erase(id);
}

// ---- session agents and shutdown -----------------------------------------------------------

void B2bua::set_in_service(const std::string& agent, bool up, std::string_view why) {
  auto& st = agents_[agent];
  if (st.in_service == up) return;
  st.in_service = up;
  if (on_agent_state) on_agent_state(agent, up, why);
}

void B2bua::release_seat(Seat& seat) {
  if (seat.empty()) return;
  if (auto it = agents_.find(seat.agent); it != agents_.end() && it->second.active_sessions) --it->second.active_sessions;
  if (auto it = realm_load_.find(seat.realm); it != realm_load_.end()) it->second.release(routing::Direction::Outbound);
  seat = {};
}

const config::SessionAgent* B2bua::agent_config(const std::string& hostname) const {
  for (const auto& a : cfg_.session_agents)
    if (a.hostname == hostname) return &a;
  return nullptr;
}

void B2bua::start_pings() {
  for (const auto& a : cfg_.session_agents) {
    if (a.ping_method != "OPTIONS" || a.ping_interval == 0 || !a.state) continue;
    ping(a.hostname);
  }
}

void B2bua::ping(const std::string& agent) {
  const config::SessionAgent* sa = agent_config(agent);
  if (!sa) return;
  if (const LocalAddress* local = local_for_realm(sa->realm_id, to_transport(sa->transport_method))) {
    Leg l;
    l.local = *local;
    const std::string host = host_port(sa->ip_address.empty() ? sa->hostname : sa->ip_address, static_cast<std::uint16_t>(sa->port));
    OutgoingMessage opt = OutgoingMessage::request("OPTIONS", "sip:" + host);
    opt.add(HeaderId::Via, "SIP/2.0/" + via_transport(local->transport) + " " + host_port(local->address, local->port) +
                               ";branch=" + branch() + ";rport");
    opt.add(HeaderId::MaxForwards, "70");
    opt.add(HeaderId::From, "<sip:ping@" + local->address + ">;tag=" + ids_.token(16));
    opt.add(HeaderId::To, "<sip:" + host + ">");
    opt.add(HeaderId::CallId, ids_.token(32));
    opt.add(HeaderId::CSeq, "1 OPTIONS");
    const Peer peer{sa->ip_address.empty() ? sa->hostname : sa->ip_address, static_cast<std::uint16_t>(sa->port),
                    local->transport, local->socket};
    const TxId tx = layer_->send_request(opt, peer);
    client_tx_[tx] = {0, Purpose::Ping, Side::B, 0, agent};
    ++agents_[agent].pings_sent;
  }
  // This call runs from the agent's previous timer (already fired) or from start_pings, so the
  // handle replaced here needs no cancel; the destructor cancels the live one of each agent.
  ping_timers_[agent] = timers_.start(std::chrono::seconds(sa->ping_interval), [this, agent] { ping(agent); });
}

void B2bua::release_all() {
  std::vector<std::uint64_t> ids;
  for (const auto& [id, c] : calls_) ids.push_back(id);
  for (auto id : ids) {
    Call* c = call_of(id);
    if (!c) continue;
    if (c->state == Call::State::Confirmed) {
      c->state = Call::State::Ending;
      // A transferor that already hung up, or a leg a join took away, is not sent BYE again.
      const bool gone_a = c->transfer && c->transfer->transferor_gone && c->transfer->transferor == Side::A;
      const bool gone_b = c->transfer && c->transfer->transferor_gone && c->transfer->transferor == Side::B;
      if (!gone_a && !c->a.call_id.empty()) send_bye(*c, Side::A);
      if (!gone_b && !c->b.call_id.empty()) send_bye(*c, Side::B);
      release_transfer(*c);
    } else if (!c->a_answered) {
      // Ringing: the caller gets 503, the callee a CANCEL (once it has sent a provisional).
      auto st = server_tx_.find(c->a_invite);
      if (st != server_tx_.end()) {
        OutgoingMessage r = st->second.response_base;
        r.set_status(503, "Service Unavailable");
        r.add(HeaderId::RetryAfter, "30");
        layer_->respond(c->a_invite, r);
      }
      c->a_answered = true;
      c->state = Call::State::Ending;
      if (c->b_invite == 0) finish(id);
      else if (c->b_provisional) send_cancel(*c);
      else c->cancel_pending = true;
    }
  }
}

}  // namespace palisade::b2bua
