// SipStack: the SIP side of sbcd on one io_context. Transports per sip-port hand datagrams to
// the parser; what does not parse is answered with 400 (or dropped); what does goes to the
// transaction layer and from there to the B2BUA.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "admission/source_guard.hpp"
#include "b2bua/b2bua.hpp"
#include "config/model.hpp"
#include "mgmt/sip_traffic.hpp"
#include "mgmt/status.hpp"
#include "trace/call_trace.hpp"
#include "transaction/transaction_layer.hpp"
#include "transport/asio_timer_service.hpp"
#include "transport/tcp_transport.hpp"
#include "transport/udp_transport.hpp"

namespace palisade::daemon {

struct StackCounters {
  std::uint64_t received = 0;
  std::uint64_t malformed = 0;     // did not parse
  std::uint64_t answered_400 = 0;  // ... and got a 400
  std::uint64_t send_failures = 0;
  std::uint64_t hep_sent = 0, hep_failed = 0;  // HEPv3 datagrams to the collector
};

// Sessions, dialogs and transactions as `show sipd` reports them: sampled after every message
// in and out, which is when each of them can begin.
struct SipdStats {
  mgmt::StatCounter sessions, dialogs, transactions;
  std::uint64_t calls_seen = 0, transactions_seen = 0;
};

class SipStack : public transaction::Sender {
 public:
  // Binds every enabled sip-port; throws std::runtime_error naming the port that failed.
  SipStack(boost::asio::io_context& io, const config::Config& cfg);
  ~SipStack() override;

  bool send(const transaction::Peer& to, std::string_view wire) override;
  // Opens the enabled sip-ports of `cfg` not open yet (activate-config, SIGHUP); all or none:
  // on a failure the ports opened by this call are closed again and the reason returned.
  // Ports no longer configured stay open until sbcd restarts; the list says which.
  std::optional<std::string> open_new_ports(const config::Config& cfg, std::vector<std::string>* stale = nullptr);
  b2bua::B2bua& b2bua() { return *b2bua_; }
  const StackCounters& counters() const { return counters_; }
  const mgmt::SipTraffic& traffic() const { return traffic_; }
  const std::map<std::string, mgmt::SipTraffic>& traffic_by_realm() const { return by_realm_; }
  const SipdStats& sipd() const { return sipd_; }
  std::size_t transactions() const { return layer_->client_count() + layer_->server_count(); }
  const std::vector<b2bua::LocalAddress>& locals() const { return locals_; }
  // HEP export to the collector sip-config names (or none); applied at start and activation.
  // Returns why the collector cannot be used, or nullopt.
  std::optional<std::string> set_hep(const config::SipConfig& sip);
  // Each realm's admission policy (access-control-trust-level and thresholds); applied at start
  // and activation, keeping what the guards know of their sources.
  void set_admission(const config::Config& cfg);
  const std::map<std::string, admission::SourceGuard>& guards() const { return guards_; }
  // Recent calls' messages in and out (sip-config call-trace-calls).
  trace::CallTrace& call_trace() { return trace_; }
  const trace::CallTrace& call_trace() const { return trace_; }

 private:
  void on_message(std::string_view data, const transaction::Peer& from, const sip::ParseError* framing_error);
  void sample();
  void trace_message(bool inbound, const transaction::Peer& peer, std::string_view wire, std::string_view call_id,
                     bool opens_call);
  void send_hep(bool inbound, const transaction::Peer& peer, std::string_view wire, std::string_view call_id);
  // Opens one sip-port as socket `id`; throws std::runtime_error naming it.
  void open_port(const config::SipInterface& si, const config::SipPort& port);

  boost::asio::io_context& io_;
  std::vector<b2bua::LocalAddress> locals_;
  transport::AsioTimerService timers_;
  b2bua::RandomIds ids_;
  std::unique_ptr<b2bua::B2bua> b2bua_;
  std::unique_ptr<transaction::TransactionLayer> layer_;
  // Indexed by socket id: each sip-port is one or the other.
  std::vector<std::unique_ptr<transport::UdpTransport>> udp_;
  std::vector<std::unique_ptr<transport::TcpTransport>> tcp_;
  StackCounters counters_;
  mgmt::SipTraffic traffic_;
  std::map<std::string, mgmt::SipTraffic> by_realm_;  // realms are the configuration's: bounded
  mgmt::SipTraffic& realm_traffic(std::uint16_t socket);
  SipdStats sipd_;
  trace::CallTrace trace_;
  std::map<std::string, admission::SourceGuard> guards_;  // by realm
  std::uint64_t last_sweep_ms_ = 0;
  // The guard of the realm `socket` serves, or nullptr.
  admission::SourceGuard* guard_of(std::uint16_t socket);
  std::optional<boost::asio::ip::udp::socket> hep_socket_;
  boost::asio::ip::udp::endpoint hep_to_;
  std::uint32_t hep_capture_id_ = 0;
};

transaction::TimerConfig timer_config(const config::SipConfig& sip);

}  // namespace palisade::daemon
