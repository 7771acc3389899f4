#include "transaction/transaction_layer.hpp"

namespace palisade::transaction {

using sip::HeaderId;
using sip::Message;
using sip::OutgoingMessage;

struct TransactionLayer::Client {
  TxId id;
  std::string key;
  std::variant<InviteClient, NonInviteClient> machine;
  OutgoingMessage request;
  std::string wire;
  std::string ack_wire;  // built once, on the first non-2xx final
  Peer peer;
  std::unordered_map<Timer, TimerService::Handle> handles;
};

struct TransactionLayer::Server {
  TxId id;
  std::string key;
  std::variant<InviteServer, NonInviteServer> machine;
  std::string response_wire;  // the last response the TU gave, for retransmission
  Peer peer;
  std::unordered_map<Timer, TimerService::Handle> handles;
};

namespace {

std::string key_with_method(const Message& m, std::string_view method) {
  const auto& via = m.top_via();
  std::string key;
  if (via && via->has_rfc3261_branch()) {
    // §17.2.3: branch, sent-by and method (ACK counts as INVITE)
    key.append("3261|").append(*via->branch()).append("|").append(via->host).append(":");
    key.append(std::to_string(via->port.value_or(0))).append("|").append(method);
    return key;
  }
  // RFC 2543 peers (§17.2.3, last paragraphs): the fields that identified a transaction then.
  key.append("2543|").append(m.call_id().value_or("")).append("|");
  key.append(m.from() ? m.from()->tag().value_or("") : "").append("|");
  key.append(m.cseq() ? std::to_string(m.cseq()->number) : "").append("|");
  key.append(m.request_uri().raw).append("|");
  if (via) key.append(via->host).append(":").append(std::to_string(via->port.value_or(0)));
  key.append("|").append(method);
  return key;
}

std::string_view server_method(const Message& m) { return m.method_id() == sip::Method::Ack ? "INVITE" : m.method(); }

Event response_event(int code) {
  return code < 200 ? Event::Provisional : code < 300 ? Event::Success : Event::Failure;
}

}  // namespace

std::string server_key(const Message& request) { return key_with_method(request, server_method(request)); }

std::string client_key(std::string_view branch, std::string_view cseq_method) {
  std::string k(branch);
  return k.append("|").append(cseq_method);
}

OutgoingMessage ack_for_failure(const OutgoingMessage& invite, const Message& response) {
  OutgoingMessage ack = OutgoingMessage::request("ACK", invite.request_uri());
  if (const auto* via = invite.find(HeaderId::Via)) ack.add(HeaderId::Via, via->value);
  ack.add(HeaderId::MaxForwards, "70");
  for (const auto& h : invite.headers())
    if (h.id == HeaderId::Route) ack.add(HeaderId::Route, h.value);
  if (const auto* from = invite.find(HeaderId::From)) ack.add(HeaderId::From, from->value);
  if (const auto* to = response.find(HeaderId::To)) ack.add(HeaderId::To, sip::unfold(to->value));
  if (const auto* id = invite.find(HeaderId::CallId)) ack.add(HeaderId::CallId, id->value);
  if (const auto* cseq = invite.find(HeaderId::CSeq)) {
    auto parsed = sip::parse_cseq(cseq->value);
    ack.add(HeaderId::CSeq, std::to_string(parsed ? parsed->number : 0) + " ACK");
  }
  return ack;
}

TransactionLayer::TransactionLayer(const TimerConfig& cfg, TimerService& timers, Sender& sender, TransactionUser& tu)
    : cfg_(cfg), timers_(timers), sender_(sender), tu_(tu) {}

TransactionLayer::~TransactionLayer() {
  for (auto& [id, c] : clients_)
    for (auto& [t, h] : c->handles) timers_.cancel(h);
  for (auto& [id, s] : servers_)
    for (auto& [t, h] : s->handles) timers_.cancel(h);
}

std::size_t TransactionLayer::client_count() const { return clients_.size(); }
std::size_t TransactionLayer::server_count() const { return servers_.size(); }

void TransactionLayer::schedule(std::unordered_map<Timer, TimerService::Handle>& handles, const Actions& a,
                                std::function<void(Timer)> fire) {
  for (auto stop : {a.stop, a.stop2}) {
    if (!stop) continue;
    if (auto it = handles.find(*stop); it != handles.end()) {
      timers_.cancel(it->second);
      handles.erase(it);
    }
  }
  for (auto start : {a.start, a.start2}) {
    if (!start) continue;
    if (auto it = handles.find(start->timer); it != handles.end()) timers_.cancel(it->second);
    const Timer t = start->timer;
    handles[t] = timers_.start(start->after, [fire, t] { fire(t); });
  }
}

TxId TransactionLayer::send_request(const OutgoingMessage& request, const Peer& to) {
  auto c = std::make_unique<Client>();
  c->id = next_id_++;
  const auto* via = request.find(HeaderId::Via);
  auto parsed_via = via ? sip::parse_first_via(via->value) : sip::Result<sip::Via>(sip::fail(sip::Errc::BadHeaderValue, "no Via", 0));
  c->key = client_key(parsed_via ? parsed_via->branch().value_or("") : "", request.method());
  const bool invite = request.method() == "INVITE";
  if (invite) c->machine.emplace<InviteClient>(cfg_, to.reliable());
  else c->machine.emplace<NonInviteClient>(cfg_, to.reliable());
  c->request = request;
  c->wire = request.serialize();
  c->peer = to;
  const TxId id = c->id;
  Client& ref = *c;
  client_keys_[c->key] = id;
  clients_[id] = std::move(c);
  const Actions a = std::visit([](auto& m) {
    if constexpr (requires { m.start(); }) return m.start();
    else return Actions{};
  }, ref.machine);
  run(ref, a, nullptr);
  return id;
}

bool TransactionLayer::respond(TxId id, const OutgoingMessage& response) {
  auto it = servers_.find(id);
  if (it == servers_.end()) return false;
  Server& s = *it->second;
  OutgoingMessage stamped = response;
  stamped.stamp_received(s.peer.address, s.peer.port);
  s.response_wire = stamped.serialize();
  const int code = response.status_code();
  const Event e = code < 200 ? Event::SendProvisional : code < 300 ? Event::SendSuccess : Event::SendFailure;
  const Actions a = std::visit([e](auto& m) { return m.on(e); }, s.machine);
  run(s, a, nullptr, nullptr);
  return true;
}

TxId TransactionLayer::invite_for_cancel(const Message& cancel) const {
  auto it = server_keys_.find(key_with_method(cancel, "INVITE"));
  return it == server_keys_.end() ? 0 : it->second;
}

void TransactionLayer::receive(const Message& msg, const Peer& from) {
  if (msg.is_response()) {
    const auto& via = msg.top_via();
    if (!via || !msg.cseq()) return;  // nothing to match it with
    auto it = client_keys_.find(client_key(via->branch().value_or(""), msg.cseq()->method));
    if (it == client_keys_.end()) {
      tu_.on_stray_response(msg, from);
      return;
    }
    Client& c = *clients_.at(it->second);
    const Event e = response_event(msg.status_code());
    const Actions a = std::visit([e](auto& m) { return m.on(e); }, c.machine);
    run(c, a, &msg);
    return;
  }

  const std::string key = server_key(msg);
  auto it = server_keys_.find(key);
  if (msg.method_id() == sip::Method::Ack) {
    if (it == server_keys_.end()) {
      tu_.on_ack(msg, from);  // the ACK of a 2xx
      return;
    }
    Server& s = *servers_.at(it->second);
    const Actions a = std::visit([](auto& m) { return m.on(Event::Ack); }, s.machine);
    run(s, a, &msg, &from);
    return;
  }
  if (it != server_keys_.end()) {
    Server& s = *servers_.at(it->second);
    const Actions a = std::visit([](auto& m) { return m.on(Event::Retransmission); }, s.machine);
    run(s, a, &msg, &from);
    return;
  }

  auto s = std::make_unique<Server>();
  s->id = next_id_++;
  s->key = key;
  s->peer = from;
  const bool invite = msg.method_id() == sip::Method::Invite;
  if (invite) s->machine.emplace<InviteServer>(cfg_, from.reliable());
  else s->machine.emplace<NonInviteServer>(cfg_, from.reliable());
  const TxId id = s->id;
  server_keys_[key] = id;
  Server& ref = *s;
  servers_[id] = std::move(s);
  if (invite) {
    // §17.2.1: 100 Trying at once, so the client stops retransmitting while the B2BUA routes.
    OutgoingMessage trying = sip::make_response(msg, 100, {});
    trying.stamp_received(from.address, from.port);
    ref.response_wire = trying.serialize();
    run(ref, std::get<InviteServer>(ref.machine).on(Event::SendProvisional), nullptr, nullptr);
  }
  tu_.on_request(id, msg, from);
}

// After a transaction's actions ran: remove it when it ended, or feed it a transport error
// when sending failed. It is looked up again by id: the TU may have changed the maps meanwhile.
template <class Tx, class Rerun>
void TransactionLayer::settle(std::unordered_map<TxId, std::unique_ptr<Tx>>& txs,
                              std::unordered_map<std::string, TxId>& keys, TxId id, bool terminated,
                              bool transport_error, Rerun rerun) {
  auto it = txs.find(id);
  if (it == txs.end()) return;
  if (terminated) {
    for (auto& [t, h] : it->second->handles) timers_.cancel(h);
    keys.erase(it->second->key);
    txs.erase(it);
    return;
  }
  if (transport_error) {
    const Actions fail = std::visit([](auto& m) { return m.on(Event::TransportError); }, it->second->machine);
    rerun(*it->second, fail);
  }
}

void TransactionLayer::run(Client& c, const Actions& a, const Message* msg) {
  const TxId id = c.id;
  schedule(c.handles, a, [this, id](Timer t) {
    auto it = clients_.find(id);
    if (it == clients_.end()) return;
    it->second->handles.erase(t);
    const Actions next = std::visit([t](auto& m) { return m.on(Event::TimerFired, t); }, it->second->machine);
    run(*it->second, next, nullptr);
  });
  bool transport_error = false;
  if (a.send_request) transport_error |= !sender_.send(c.peer, c.wire);
  if (a.send_ack && msg) {
    if (c.ack_wire.empty()) c.ack_wire = ack_for_failure(c.request, *msg).serialize();
    transport_error |= !sender_.send(c.peer, c.ack_wire);
  }
  if (a.pass_to_tu && msg) tu_.on_response(id, *msg);
  if (a.timed_out) tu_.on_client_failure(id, Failure::Timeout);
  if (a.transport_failed) tu_.on_client_failure(id, Failure::Transport);
  settle(clients_, client_keys_, id, a.terminated, transport_error,
         [this](Client& c, const Actions& fail) { run(c, fail, nullptr); });
}

void TransactionLayer::run(Server& s, const Actions& a, const Message* msg, const Peer* from) {
  const TxId id = s.id;
  schedule(s.handles, a, [this, id](Timer t) {
    auto it = servers_.find(id);
    if (it == servers_.end()) return;
    it->second->handles.erase(t);
    const Actions next = std::visit([t](auto& m) { return m.on(Event::TimerFired, t); }, it->second->machine);
    run(*it->second, next, nullptr, nullptr);
  });
  bool transport_error = false;
  if (a.send_response && !s.response_wire.empty()) transport_error |= !sender_.send(s.peer, s.response_wire);
  if (a.pass_to_tu && msg && from) tu_.on_ack(*msg, *from);
  if (a.timed_out) tu_.on_server_failure(id, Failure::Timeout);
  if (a.transport_failed) tu_.on_server_failure(id, Failure::Transport);
  settle(servers_, server_keys_, id, a.terminated, transport_error,
         [this](Server& srv, const Actions& fail) { run(srv, fail, nullptr, nullptr); });
}

}  // namespace palisade::transaction
