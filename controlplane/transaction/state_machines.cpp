#include "transaction/state_machines.hpp"

#include <algorithm>

namespace palisade::transaction {

namespace {

// Enter a waiting state for `wait`, or end at once when the transport is reliable and the
// wait is zero (timers D, I, J, K: "0s for TCP/SCTP").
void wait_or_end(Actions& a, State& state, State waiting, Timer t, Duration wait) {
  if (wait == Duration::zero()) {
    state = State::Terminated;
    a.terminated = true;
  } else {
    state = waiting;
    a.start = TimerCommand{t, wait};
  }
}

void end(Actions& a, State& state) {
  state = State::Terminated;
  a.terminated = true;
}

// A client transaction begins the same way for INVITE (A, B) and non-INVITE (E, F): send, then
// retransmit from T1 over an unreliable transport, and time out after 64*T1.
Actions client_start(const TimerConfig& cfg, bool reliable, Timer retransmit, Timer timeout, Duration& interval) {
  Actions a;
  a.send_request = true;
  if (!reliable) {
    interval = cfg.t1;
    a.start = TimerCommand{retransmit, interval};
  }
  a.start2 = TimerCommand{timeout, cfg.timeout()};
  return a;
}

}  // namespace

std::string_view timer_name(Timer t) {
  static constexpr std::string_view kNames[] = {"A", "B", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M"};
  return kNames[static_cast<int>(t)];
}

std::string_view state_name(State s) {
  static constexpr std::string_view kNames[] = {"calling",   "trying",    "proceeding", "accepted",
                                                "completed", "confirmed", "terminated"};
  return kNames[static_cast<int>(s)];
}

// ---- INVITE client (§17.1.1, RFC 6026 §7.2) ------------------------------------------------

Actions InviteClient::start() { return client_start(cfg_, reliable_, Timer::A, Timer::B, a_); }

Actions InviteClient::on(Event e, std::optional<Timer> fired) {
  Actions a;
  const bool early = state_ == State::Calling || state_ == State::Proceeding;
  switch (e) {
    case Event::Provisional:
      if (!early) break;
      a.pass_to_tu = true;
      if (state_ == State::Calling) {
        a.stop = Timer::A;
        a.stop2 = Timer::B;  // B guards Calling only; Timer C (invite-expire) is the TU's
      }
      state_ = State::Proceeding;
      break;
    case Event::Success:
      if (early) {
        a.pass_to_tu = true;
        a.stop = Timer::A;
        a.stop2 = Timer::B;
        state_ = State::Accepted;
        a.start = TimerCommand{Timer::M, cfg_.timeout()};
      } else if (state_ == State::Accepted) {
        a.pass_to_tu = true;  // a retransmitted 2xx: the TU sends its ACK again
      }
      break;
    case Event::Failure:
      if (early) {
        a.send_ack = true;
        a.pass_to_tu = true;
        a.stop = Timer::A;
        a.stop2 = Timer::B;
        wait_or_end(a, state_, State::Completed, Timer::D, cfg_.wait_d(reliable_));
      } else if (state_ == State::Completed) {
        a.send_ack = true;  // the final response again: ACK again, TU not told
      }
      break;
    case Event::TransportError:
      if (state_ == State::Terminated) break;
      a.transport_failed = true;
      end(a, state_);
      break;
    case Event::TimerFired:
      if (fired == Timer::A && state_ == State::Calling) {
        a.send_request = true;
        a_ *= 2;  // no cap for INVITE (§17.1.1.2)
        a.start = TimerCommand{Timer::A, a_};
      } else if (fired == Timer::B && state_ == State::Calling) {
        a.timed_out = true;
        end(a, state_);
      } else if ((fired == Timer::D && state_ == State::Completed) || (fired == Timer::M && state_ == State::Accepted)) {
        end(a, state_);
      }
      break;
    default:
      break;
  }
  return a;
}

// ---- non-INVITE client (§17.1.2) -----------------------------------------------------------

Actions NonInviteClient::start() { return client_start(cfg_, reliable_, Timer::E, Timer::F, e_); }

Actions NonInviteClient::on(Event e, std::optional<Timer> fired) {
  Actions a;
  const bool open = state_ == State::Trying || state_ == State::Proceeding;
  switch (e) {
    case Event::Provisional:
      if (!open) break;
      a.pass_to_tu = true;
      state_ = State::Proceeding;
      break;
    case Event::Success:
    case Event::Failure:
      if (!open) break;
      a.pass_to_tu = true;
      a.stop = Timer::E;
      a.stop2 = Timer::F;
      wait_or_end(a, state_, State::Completed, Timer::K, cfg_.wait_t4(reliable_));
      break;
    case Event::TransportError:
      if (state_ == State::Terminated) break;
      a.transport_failed = true;
      end(a, state_);
      break;
    case Event::TimerFired:
      if (fired == Timer::E && open) {
        a.send_request = true;
        e_ = state_ == State::Trying ? std::min(2 * e_, cfg_.t2) : cfg_.t2;
        a.start = TimerCommand{Timer::E, e_};
      } else if (fired == Timer::F && open) {
        a.timed_out = true;
        end(a, state_);
      } else if (fired == Timer::K && state_ == State::Completed) {
        end(a, state_);
      }
      break;
    default:
      break;
  }
  return a;
}

// ---- INVITE server (§17.2.1, RFC 6026 §7.1) ------------------------------------------------

Actions InviteServer::on(Event e, std::optional<Timer> fired) {
  Actions a;
  switch (e) {
    case Event::Retransmission:
      // Proceeding: the last provisional again; Completed: the final again; Accepted and
      // Confirmed absorb it.
      if ((state_ == State::Proceeding && have_response_) || state_ == State::Completed) a.send_response = true;
      break;
    case Event::SendProvisional:
      if (state_ != State::Proceeding) break;
      a.send_response = true;
      have_response_ = true;
      break;
    case Event::SendSuccess:
      if (state_ == State::Proceeding) {
        a.send_response = true;
        state_ = State::Accepted;
        a.start = TimerCommand{Timer::L, cfg_.timeout()};
      } else if (state_ == State::Accepted) {
        a.send_response = true;  // the TU retransmits its 2xx through the transaction
      }
      break;
    case Event::SendFailure:
      if (state_ != State::Proceeding) break;
      a.send_response = true;
      state_ = State::Completed;
      if (!reliable_) {
        g_ = cfg_.t1;
        a.start = TimerCommand{Timer::G, g_};
      }
      a.start2 = TimerCommand{Timer::H, cfg_.timeout()};
      break;
    case Event::Ack:
      if (state_ == State::Completed) {
        a.stop = Timer::G;
        a.stop2 = Timer::H;
        wait_or_end(a, state_, State::Confirmed, Timer::I, cfg_.wait_t4(reliable_));
      } else if (state_ == State::Accepted) {
        a.pass_to_tu = true;
      }
      break;
    case Event::TransportError:
      if (state_ == State::Terminated) break;
      a.transport_failed = true;
      end(a, state_);
      break;
    case Event::TimerFired:
      if (fired == Timer::G && state_ == State::Completed) {
        a.send_response = true;
        g_ = std::min(2 * g_, cfg_.t2);
        a.start = TimerCommand{Timer::G, g_};
      } else if (fired == Timer::H && state_ == State::Completed) {
        a.timed_out = true;  // no ACK ever came
        end(a, state_);
      } else if ((fired == Timer::I && state_ == State::Confirmed) || (fired == Timer::L && state_ == State::Accepted)) {
        end(a, state_);
      }
      break;
    default:
      break;
  }
  return a;
}

// ---- non-INVITE server (§17.2.2) -----------------------------------------------------------

Actions NonInviteServer::on(Event e, std::optional<Timer> fired) {
  Actions a;
  const bool open = state_ == State::Trying || state_ == State::Proceeding;
  switch (e) {
    case Event::Retransmission:
      if (state_ == State::Proceeding || state_ == State::Completed) a.send_response = true;
      break;  // Trying absorbs it
    case Event::SendProvisional:
      if (!open) break;
      a.send_response = true;
      state_ = State::Proceeding;
      break;
    case Event::SendSuccess:
    case Event::SendFailure:
      if (!open) break;
      a.send_response = true;
      wait_or_end(a, state_, State::Completed, Timer::J, cfg_.wait_j(reliable_));
      break;
    case Event::TransportError:
      if (state_ == State::Terminated) break;
      a.transport_failed = true;
      end(a, state_);
      break;
    case Event::TimerFired:
      if (fired == Timer::J && state_ == State::Completed) end(a, state_);
      break;
    default:
      break;
  }
  return a;
}

}  // namespace palisade::transaction
