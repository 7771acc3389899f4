#include "daemon/sip_stack.hpp"

#include <chrono>
#include <map>
#include <stdexcept>

#include "daemon/clock.hpp"
#include "daemon/log.hpp"
#include "trace/hep.hpp"
#include "sip/bad_request.hpp"
#include "sip/message.hpp"

namespace palisade::daemon {

transaction::TimerConfig timer_config(const config::SipConfig& sip) {
  transaction::TimerConfig t;
  t.t1 = transaction::Duration(sip.init_timer);
  t.t2 = transaction::Duration(sip.max_timer);
  t.t4 = transaction::Duration(sip.t4_timer);
  t.transaction_timeout = std::chrono::seconds(sip.trans_expire);
  return t;
}

namespace {
bool same_port(const b2bua::LocalAddress& l, const config::SipInterface& si, const config::SipPort& p) {
  return si.state && l.realm == si.realm_id && l.address == p.address && l.port == p.port &&
         (l.transport == transaction::Transport::Udp) == (p.transport_protocol == config::TransportProtocol::Udp);
}

std::string port_name(const config::SipPort& p) {
  return p.address + ":" + std::to_string(p.port) + (p.transport_protocol == config::TransportProtocol::Udp ? "/UDP" : "/TCP");
}
}  // namespace

void SipStack::open_port(const config::SipInterface& si, const config::SipPort& port) {
  const bool udp = port.transport_protocol == config::TransportProtocol::Udp;
  const std::string name = port_name(port);
  const auto id = static_cast<std::uint16_t>(udp_.size());
  udp_.emplace_back();
  tcp_.emplace_back();
  try {
    if (udp) {
      udp_.back() = std::make_unique<transport::UdpTransport>(
          io_, port.address, static_cast<std::uint16_t>(port.port), id,
          [this](std::string_view d, const transaction::Peer& p) { on_message(d, p, nullptr); });
    } else {
      tcp_.back() = std::make_unique<transport::TcpTransport>(
          io_, port.address, static_cast<std::uint16_t>(port.port), id,
          [this](std::string_view d, const transaction::Peer& p, const sip::ParseError* e) { on_message(d, p, e); });
    }
  } catch (const std::exception& e) {
    udp_.pop_back();
    tcp_.pop_back();
    throw std::runtime_error("cannot open sip-port " + name + " of realm " + si.realm_id + ": " + e.what());
  }
  locals_.push_back({si.realm_id, port.address, static_cast<std::uint16_t>(port.port),
                     udp ? transaction::Transport::Udp : transaction::Transport::Tcp, id});
  log::notice("sip", "listening on " + name + " in realm " + si.realm_id);
}

std::optional<std::string> SipStack::open_new_ports(const config::Config& cfg, std::vector<std::string>* stale) {
  const auto is_open = [this](const config::SipInterface& si, const config::SipPort& p) {
    for (const auto& l : locals_)
      if (same_port(l, si, p)) return true;
    return false;
  };
  const std::size_t before = locals_.size();
  try {
    for (const auto& si : cfg.sip_interfaces)
      if (si.state)
        for (const auto& port : si.sip_ports)
          if (!is_open(si, port)) open_port(si, port);
  } catch (const std::exception& e) {
    while (locals_.size() > before) locals_.pop_back(), udp_.pop_back(), tcp_.pop_back();
    return e.what();
  }
  if (stale) {
    for (const auto& l : locals_) {
      bool wanted = false;
      for (const auto& si : cfg.sip_interfaces)
        for (const auto& p : si.sip_ports) wanted = wanted || same_port(l, si, p);
      if (!wanted) stale->push_back(l.address + ":" + std::to_string(l.port) + " in realm " + l.realm);
    }
  }
  if (locals_.size() != before) b2bua_->set_locals(locals_);
  return std::nullopt;
}

SipStack::SipStack(boost::asio::io_context& io, const config::Config& cfg)
    : io_(io), timers_(io), trace_(cfg.sip.call_trace_calls) {
  for (const auto& si : cfg.sip_interfaces) {
    if (!si.state) continue;
    for (const auto& port : si.sip_ports) open_port(si, port);
  }
  b2bua_ = std::make_unique<b2bua::B2bua>(cfg, locals_, ids_, timers_, *this);
  layer_ = std::make_unique<transaction::TransactionLayer>(timer_config(cfg.sip), timers_, *this, *b2bua_);
  b2bua_->attach(*layer_);
  b2bua_->on_agent_state = [](const std::string& agent, bool up, std::string_view why) {
    const std::string text = "session-agent " + agent + (up ? " in service (" : " out of service (") + std::string(why) + ")";
    if (up) log::notice("routing", text);
    else log::warning("routing", text);
  };
  b2bua_->on_refer = [](std::string_view text) { log::notice("refer", text); };
  b2bua_->on_nat = [](std::string_view text) { log::info("sip", text); };
  // One line per realm and limit every 10 s at most: an overload must not also flood the log.
  b2bua_->on_constrained = [last = std::map<std::string, std::uint64_t>{}](const std::string& realm,
                                                                         std::string_view limit) mutable {
    const std::uint64_t now_s = monotonic_ms() / 1000;
    std::uint64_t& at = last[realm + " " + std::string(limit)];
    if (at && now_s < at + 10) return;
    at = now_s;
    log::warning("routing", "calls from realm " + realm + " refused with 503: " + std::string(limit) +
                                " reached (show sipd realms counts them)");
  };
  b2bua_->on_leg_added = [this](const std::string& existing, const std::string& added) { trace_.link(existing, added); };
  if (auto err = set_hep(cfg.sip)) throw std::runtime_error(*err);
  set_admission(cfg);
  b2bua_->start_pings();
}

std::optional<std::string> SipStack::set_hep(const config::SipConfig& sip) {
  if (sip.hep_address.empty()) {
    if (hep_socket_) log::notice("sip", "HEP export stopped");
    hep_socket_.reset();
    return std::nullopt;
  }
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(sip.hep_address, ec);
  if (ec) return "hep-address " + sip.hep_address + ": " + ec.message();
  boost::asio::ip::udp::socket socket(io_);
  socket.open(address.is_v6() ? boost::asio::ip::udp::v6() : boost::asio::ip::udp::v4(), ec);
  if (!ec) socket.non_blocking(true, ec);  // a slow collector must never stall the control thread
  if (ec) return "cannot open a socket for HEP export to " + sip.hep_address + ": " + ec.message();
  hep_socket_.emplace(std::move(socket));
  hep_to_ = {address, static_cast<std::uint16_t>(sip.hep_port)};
  hep_capture_id_ = sip.hep_capture_id;
  log::notice("sip", "HEPv3 export to " + sip.hep_address + ":" + std::to_string(sip.hep_port));
  return std::nullopt;
}

void SipStack::send_hep(bool inbound, const transaction::Peer& peer, std::string_view wire, std::string_view call_id) {
  if (peer.socket >= locals_.size()) return;
  const b2bua::LocalAddress& l = locals_[peer.socket];
  trace::HepMessage h;
  h.source_ip = inbound ? std::string_view(peer.address) : std::string_view(l.address);
  h.destination_ip = inbound ? std::string_view(l.address) : std::string_view(peer.address);
  h.source_port = inbound ? peer.port : l.port;
  h.destination_port = inbound ? l.port : peer.port;
  h.tcp = peer.transport != transaction::Transport::Udp;
  h.wall_us = wall_us();
  h.capture_id = hep_capture_id_;
  h.correlation = trace_.correlation(call_id);
  h.payload = wire;
  const std::string datagram = trace::hep3(h);
  boost::system::error_code ec;
  if (!datagram.empty()) hep_socket_->send_to(boost::asio::buffer(datagram), hep_to_, 0, ec);
  if (datagram.empty() || ec) ++counters_.hep_failed;
  else ++counters_.hep_sent;
}

SipStack::~SipStack() = default;

bool SipStack::send(const transaction::Peer& to, std::string_view wire) {
  traffic_.wire(mgmt::SipTraffic::Out, wire);
  realm_traffic(to.socket).wire(mgmt::SipTraffic::Out, wire);
  if (trace_.capacity() || hep_socket_) {
    const std::string_view call_id = trace::call_id_of(wire);
    trace_message(false, to, wire, call_id, false);
    if (hep_socket_) send_hep(false, to, wire, call_id);
  }
  bool sent = false;
  if (to.socket < udp_.size()) sent = udp_[to.socket] ? udp_[to.socket]->send(to, wire) : tcp_[to.socket]->send(to, wire);
  if (!sent) ++counters_.send_failures;
  sample();
  return sent;
}

mgmt::SipTraffic& SipStack::realm_traffic(std::uint16_t socket) {
  return by_realm_[socket < locals_.size() ? locals_[socket].realm : std::string("unknown")];
}

void SipStack::sample() {
  const std::uint64_t now = monotonic_ms() / 1000;
  const std::uint64_t calls = b2bua_->counters().calls_attempted, txs = layer_->created();
  const std::uint64_t dialogs_before = sipd_.dialogs.active();
  sipd_.sessions.sample(b2bua_->active_calls());
  sipd_.sessions.add_total(now, calls - sipd_.calls_seen);
  sipd_.transactions.sample(layer_->client_count() + layer_->server_count());
  sipd_.transactions.add_total(now, txs - sipd_.transactions_seen);
  sipd_.dialogs.sample(b2bua_->active_dialogs());
  if (sipd_.dialogs.active() > dialogs_before) sipd_.dialogs.add_total(now, sipd_.dialogs.active() - dialogs_before);
  sipd_.calls_seen = calls, sipd_.transactions_seen = txs;
}

void SipStack::set_admission(const config::Config& cfg) {
  for (const auto& r : cfg.realms) {
    admission::GuardConfig g;
    g.trusted = r.access_control_trust_level == config::TrustLevel::High;
    g.max_per_second = r.maximum_signal_threshold;
    g.invalid_limit = r.invalid_signal_threshold;
    g.deny_seconds = r.deny_period;
    guards_[r.identifier].configure(g);
  }
}

admission::SourceGuard* SipStack::guard_of(std::uint16_t socket) {
  if (socket >= locals_.size()) return nullptr;
  auto it = guards_.find(locals_[socket].realm);
  return it == guards_.end() ? nullptr : &it->second;
}

void SipStack::on_message(std::string_view data, const transaction::Peer& from, const sip::ParseError* framing_error) {
  ++counters_.received;
  if (data.find_first_not_of("\r\n") == std::string_view::npos) return;  // a CRLF keep-alive
  // Admission first: a source over its rate or denied costs a look-up, and gets no answer.
  const std::uint64_t now_ms = monotonic_ms();
  if (now_ms - last_sweep_ms_ >= 1000) {
    for (auto& [realm, g] : guards_) g.sweep(now_ms);
    last_sweep_ms_ = now_ms;
  }
  admission::SourceGuard* guard = guard_of(from.socket);
  if (guard && guard->admit(from.address, now_ms) != admission::Verdict::Admit) return;
  auto msg = framing_error ? sip::Result<sip::Message>(*framing_error) : sip::parse_message(data);
  if (!msg) {
    ++counters_.malformed;
    if (guard) guard->invalid(from.address, now_ms);
    if (auto r = sip::bad_request_response(data, msg.error(), ids_.token(16))) {
      r->stamp_received(from.address, from.port);
      send(from, r->serialize());
      ++counters_.answered_400;
    }
    log::info("sip", "malformed message from " + from.address + ":" + std::to_string(from.port) + ": " +
                         sip::describe(msg.error()));
    return;
  }
  for (mgmt::SipTraffic* t : {&traffic_, &realm_traffic(from.socket)}) {
    if (msg->is_request()) t->request(mgmt::SipTraffic::In, msg->method());
    else t->response(mgmt::SipTraffic::In, msg->cseq() ? msg->cseq()->method : std::string_view(), msg->status_code());
  }
  const std::string_view call_id = msg->call_id().value_or("");
  if (trace_.capacity()) trace_message(true, from, msg->raw(), call_id, trace::opens_call(*msg));
  if (hep_socket_) send_hep(true, from, msg->raw(), call_id);
  layer_->receive(*msg, from);
  sample();
}

void SipStack::trace_message(bool inbound, const transaction::Peer& peer, std::string_view wire, std::string_view call_id,
                             bool opens_call) {
  trace::TracedMessage* m = trace_.add(call_id, opens_call);
  if (!m) return;
  using namespace std::chrono;
  m->mono_us = static_cast<std::uint64_t>(duration_cast<microseconds>(steady_clock::now().time_since_epoch()).count());
  m->wall_us = wall_us();
  m->inbound = inbound;
  m->tcp = peer.transport != transaction::Transport::Udp;
  if (peer.socket < locals_.size()) {
    const b2bua::LocalAddress& l = locals_[peer.socket];
    m->realm = l.realm, m->local = {l.address, l.port};
  }
  m->remote = {peer.address, peer.port};
  m->wire.assign(wire);
}

}  // namespace palisade::daemon
