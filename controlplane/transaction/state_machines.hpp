// The four transaction state machines of RFC 3261 §17, with the Accepted states RFC 6026 adds
// to INVITE transactions. Each is a value: on(event) changes its state and returns what the
// caller must do (send, retransmit, hand a message to the TU, start or stop timers). No I/O,
// no clock: TransactionLayer carries the actions out.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "transaction/timer_config.hpp"

namespace palisade::transaction {

enum class Timer : std::uint8_t { A, B, D, E, F, G, H, I, J, K, L, M };
std::string_view timer_name(Timer t);

enum class State : std::uint8_t {
  Calling, Trying, Proceeding, Accepted, Completed, Confirmed, Terminated
};
std::string_view state_name(State s);

enum class Event : std::uint8_t {
  // from the network
  Provisional,      // a 1xx arrived (client) ...
  Success,          // a 2xx arrived (client)
  Failure,          // a 300-699 arrived (client)
  Retransmission,   // the request arrived again (server)
  Ack,              // an ACK matching this INVITE transaction (server)
  TransportError,
  // from the TU (server)
  SendProvisional,
  SendSuccess,
  SendFailure,
  // timers
  TimerFired,
};

struct TimerCommand {
  Timer timer;
  Duration after;  // Duration::zero() fires at once
};

// What the caller must do after one event, in this order.
struct Actions {
  bool send_request = false;      // (re)send the request (client)
  bool send_response = false;     // (re)send the last response the TU gave (server)
  bool send_ack = false;          // (re)send the ACK for a non-2xx final (INVITE client)
  bool pass_to_tu = false;        // hand the message that caused the event to the TU
  bool timed_out = false;         // tell the TU the transaction timed out (B, F, H)
  bool transport_failed = false;  // tell the TU the transport failed
  std::optional<TimerCommand> start, start2;
  std::optional<Timer> stop, stop2;
  bool terminated = false;  // destroy the transaction
};

// §17.1.1 + RFC 6026 §7.2
class InviteClient {
 public:
  explicit InviteClient(const TimerConfig& cfg = {}, bool reliable = false) : cfg_(cfg), reliable_(reliable) {}
  Actions start();
  Actions on(Event e, std::optional<Timer> fired = std::nullopt);
  State state() const { return state_; }

 private:
  TimerConfig cfg_;
  bool reliable_;
  State state_ = State::Calling;
  Duration a_{0};
};

// §17.1.2
class NonInviteClient {
 public:
  explicit NonInviteClient(const TimerConfig& cfg = {}, bool reliable = false) : cfg_(cfg), reliable_(reliable) {}
  Actions start();
  Actions on(Event e, std::optional<Timer> fired = std::nullopt);
  State state() const { return state_; }

 private:
  TimerConfig cfg_;
  bool reliable_;
  State state_ = State::Trying;
  Duration e_{0};
};

// §17.2.1 + RFC 6026 §7.1
class InviteServer {
 public:
  explicit InviteServer(const TimerConfig& cfg = {}, bool reliable = false) : cfg_(cfg), reliable_(reliable) {}
  Actions on(Event e, std::optional<Timer> fired = std::nullopt);
  State state() const { return state_; }

 private:
  TimerConfig cfg_;
  bool reliable_;
  State state_ = State::Proceeding;
  bool have_response_ = false;
  Duration g_{0};
};

// §17.2.2
class NonInviteServer {
 public:
  explicit NonInviteServer(const TimerConfig& cfg = {}, bool reliable = false) : cfg_(cfg), reliable_(reliable) {}
  Actions on(Event e, std::optional<Timer> fired = std::nullopt);
  State state() const { return state_; }

 private:
  TimerConfig cfg_;
  bool reliable_;
  State state_ = State::Trying;
};

}  // namespace palisade::transaction
