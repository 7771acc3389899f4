// TransactionLayer: runs the state machines for real messages. It matches what arrives to its
// transaction (RFC 3261 §17.1.3 and §17.2.3, with the RFC 2543 fallback), absorbs and answers
// retransmissions, sends 100 Trying for INVITE, builds the ACK of a non-2xx final response,
// and carries out timer actions through an injected TimerService. The TU (the B2BUA) sees each
// request and response once. Single-threaded: it lives on the control thread's io_context.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>

#include "sip/builder.hpp"
#include "sip/message.hpp"
#include "transaction/state_machines.hpp"

namespace palisade::transaction {

enum class Transport : std::uint8_t { Udp, Tcp };

// Where a message came from or goes to. Responses go back to where the request came from
// (the source address and port, as RFC 3581 asks and as NATed endpoints need).
struct Peer {
  std::string address;
  std::uint16_t port = 0;
  Transport transport = Transport::Udp;
  std::uint16_t socket = 0;  // which of the SBC's sip-ports it came in on / leaves by
  bool reliable() const { return transport != Transport::Udp; }
  bool operator==(const Peer&) const = default;
};

class TimerService {
 public:
  using Handle = std::uint64_t;
  virtual ~TimerService() = default;
  virtual Handle start(Duration after, std::function<void()> fire) = 0;
  virtual void cancel(Handle h) = 0;
};

class Sender {
 public:
  virtual ~Sender() = default;
  // false when the transport could not take the message (a transport error, §17.1.4)
  virtual bool send(const Peer& to, std::string_view wire) = 0;
};

using TxId = std::uint64_t;
enum class Failure : std::uint8_t { Timeout, Transport };

class TransactionUser {
 public:
  virtual ~TransactionUser() = default;
  // A new request, not a retransmission; CANCEL too (it has its own transaction). Answer it
  // with TransactionLayer::respond(id, ...).
  virtual void on_request(TxId id, const sip::Message& request, const Peer& from) = 0;
  // An ACK that belongs to no server transaction: the ACK of a 2xx (end to end, §13.2.2.4).
  virtual void on_ack(const sip::Message& ack, const Peer& from) = 0;
  virtual void on_response(TxId id, const sip::Message& response) = 0;
  virtual void on_client_failure(TxId id, Failure why) = 0;
  virtual void on_server_failure(TxId id, Failure why) = 0;  // Timer H: the ACK never came
  // A response that matches no client transaction (e.g. a 2xx retransmitted after Timer M).
  virtual void on_stray_response(const sip::Message& response, const Peer& from) = 0;
};

class TransactionLayer {
 public:
  TransactionLayer(const TimerConfig& cfg, TimerService& timers, Sender& sender, TransactionUser& tu);
  ~TransactionLayer();

  // A parsed message from a transport.
  void receive(const sip::Message& msg, const Peer& from);

  // Starts a client transaction. The request's top Via must carry an RFC 3261 branch.
  TxId send_request(const sip::OutgoingMessage& request, const Peer& to);
  // Answers the server transaction `id`; unknown or ended ids are ignored (returns false).
  bool respond(TxId id, const sip::OutgoingMessage& response);
  // The INVITE server transaction a CANCEL refers to (§9.2), or 0.
  TxId invite_for_cancel(const sip::Message& cancel) const;

  const TimerConfig& timer_config() const { return cfg_; }
  std::size_t client_count() const;
  std::size_t server_count() const;
  std::uint64_t created() const { return next_id_ - 1; }  // transactions begun, client and server

 private:
  struct Client;
  struct Server;
  void run(Client& c, const Actions& a, const sip::Message* msg);
  void run(Server& s, const Actions& a, const sip::Message* msg, const Peer* from);
  void schedule(std::unordered_map<Timer, TimerService::Handle>& handles, const Actions& a,
                std::function<void(Timer)> fire);
  template <class Tx, class Rerun>
  void settle(std::unordered_map<TxId, std::unique_ptr<Tx>>& txs, std::unordered_map<std::string, TxId>& keys,
              TxId id, bool terminated, bool transport_error, Rerun rerun);

  TimerConfig cfg_;
  TimerService& timers_;
  Sender& sender_;
  TransactionUser& tu_;
  TxId next_id_ = 1;
  std::unordered_map<TxId, std::unique_ptr<Client>> clients_;
  std::unordered_map<std::string, TxId> client_keys_;
  std::unordered_map<TxId, std::unique_ptr<Server>> servers_;
  std::unordered_map<std::string, TxId> server_keys_;
};

// Transaction keys, exposed for tests: the branch with sent-by and method for RFC 3261
// requests (ACK matching the INVITE), the RFC 2543 fields otherwise.
std::string server_key(const sip::Message& request);
std::string client_key(std::string_view branch, std::string_view cseq_method);

// The ACK for a non-2xx final response to `invite` (§17.1.1.3).
sip::OutgoingMessage ack_for_failure(const sip::OutgoingMessage& invite, const sip::Message& response);

}  // namespace palisade::transaction
