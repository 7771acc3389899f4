#include "daemon/sip_stack.hpp"

#include <stdexcept>

#include "daemon/log.hpp"
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

SipStack::SipStack(boost::asio::io_context& io, const config::Config& cfg) : timers_(io) {
  for (const auto& si : cfg.sip_interfaces) {
    if (!si.state) continue;
    for (const auto& port : si.sip_ports) {
      const bool udp = port.transport_protocol == config::TransportProtocol::Udp;
      const std::string name = port.address + ":" + std::to_string(port.port) + (udp ? "/UDP" : "/TCP");
      const auto id = static_cast<std::uint16_t>(udp_.size());
      udp_.emplace_back();
      tcp_.emplace_back();
      try {
        if (udp) {
          udp_.back() = std::make_unique<transport::UdpTransport>(
              io, port.address, static_cast<std::uint16_t>(port.port), id,
              [this](std::string_view d, const transaction::Peer& p) { on_message(d, p, nullptr); });
        } else {
          tcp_.back() = std::make_unique<transport::TcpTransport>(
              io, port.address, static_cast<std::uint16_t>(port.port), id,
              [this](std::string_view d, const transaction::Peer& p, const sip::ParseError* e) { on_message(d, p, e); });
        }
      } catch (const std::exception& e) {
        throw std::runtime_error("cannot open sip-port " + name + " of realm " + si.realm_id + ": " + e.what());
      }
      locals_.push_back({si.realm_id, port.address, static_cast<std::uint16_t>(port.port),
                         udp ? transaction::Transport::Udp : transaction::Transport::Tcp, id});
      log::notice("sip", "listening on " + name + " in realm " + si.realm_id);
    }
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
  b2bua_->start_pings();
}

SipStack::~SipStack() = default;

bool SipStack::send(const transaction::Peer& to, std::string_view wire) {
  if (to.socket >= udp_.size()) return false;
  if (udp_[to.socket]) return udp_[to.socket]->send(to, wire);
  return tcp_[to.socket]->send(to, wire);
}

void SipStack::on_message(std::string_view data, const transaction::Peer& from, const sip::ParseError* framing_error) {
  ++counters_.received;
  if (data.find_first_not_of("\r\n") == std::string_view::npos) return;  // a CRLF keep-alive
  auto msg = framing_error ? sip::Result<sip::Message>(*framing_error) : sip::parse_message(data);
  if (!msg) {
    ++counters_.malformed;
    if (auto r = sip::bad_request_response(data, msg.error(), ids_.token(16))) {
      r->stamp_received(from.address, from.port);
      send(from, r->serialize());
      ++counters_.answered_400;
    }
    log::info("sip", "malformed message from " + from.address + ":" + std::to_string(from.port) + ": " +
                         sip::describe(msg.error()));
    return;
  }
  layer_->receive(*msg, from);
}

}  // namespace palisade::daemon
