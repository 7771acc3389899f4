// The transaction state machines driven through simulated time: the retransmission schedules
// and every way a transaction ends, with the timings RFC 3261 §17 and RFC 6026 give.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "transaction/state_machines.hpp"

namespace palisade::transaction {
namespace {

// Runs a machine's timers in time order and records what it asked for, as "ms:action".
template <class Machine>
struct Sim {
  Machine m;
  long now = 0;
  std::map<Timer, long> due;
  std::vector<std::string> log;

  explicit Sim(Machine machine) : m(machine) {}

  void apply(const Actions& a) {
    for (auto t : {a.stop, a.stop2})
      if (t) due.erase(*t);
    for (auto s : {a.start, a.start2})
      if (s) due[s->timer] = now + s->after.count();
    auto note = [&](bool f, const char* what) {
      if (f) log.push_back(std::to_string(now) + ":" + what);
    };
    note(a.send_request, "request");
    note(a.send_response, "response");
    note(a.send_ack, "ack");
    note(a.pass_to_tu, "tu");
    note(a.timed_out, "timeout");
    note(a.transport_failed, "transport-failed");
    note(a.terminated, "terminated");
    if (a.terminated) due.clear();
  }
  void event(Event e) { apply(m.on(e)); }
  // Fires timers until none is left or `until` is reached.
  void run(long until = 1'000'000) {
    while (!due.empty()) {
      auto it = std::min_element(due.begin(), due.end(), [](auto& x, auto& y) { return x.second < y.second; });
      if (it->second > until) break;
      now = it->second;
      const Timer t = it->first;
      due.erase(it);
      apply(m.on(Event::TimerFired, t));
    }
    now = std::max(now, until == 1'000'000 ? now : until);
  }
};

const TimerConfig kCfg{};  // T1 500 ms, T2 4 s, T4 5 s

TEST(InviteClient, RetransmitsOverUdpUntilTimerB) {
  Sim s(InviteClient(kCfg, false));
  s.apply(s.m.start());
  s.run();
  // A doubles without a cap: 0.5, 1.5, 3.5, 7.5, 15.5, 31.5 s; B ends it at 32 s.
  EXPECT_EQ(s.log, (std::vector<std::string>{"0:request", "500:request", "1500:request", "3500:request",
                                             "7500:request", "15500:request", "31500:request", "32000:timeout",
                                             "32000:terminated"}));
}

TEST(InviteClient, ProvisionalStopsRetransmissionAndTimerB) {
  Sim s(InviteClient(kCfg, false));
  s.apply(s.m.start());
  s.run(700);
  s.event(Event::Provisional);
  EXPECT_EQ(s.m.state(), State::Proceeding);
  EXPECT_TRUE(s.due.empty());  // neither A nor B: the TU's Timer C guards Proceeding
  EXPECT_EQ(s.log.back(), "700:tu");
}

TEST(InviteClient, FailureIsAcknowledgedAndAbsorbedUntilTimerD) {
  Sim s(InviteClient(kCfg, false));
  s.apply(s.m.start());
  s.event(Event::Provisional);
  s.event(Event::Failure);
  EXPECT_EQ(s.m.state(), State::Completed);
  s.event(Event::Failure);  // the 486 again: ACK again, TU not told again
  s.run();
  EXPECT_EQ(s.log, (std::vector<std::string>{"0:request", "0:tu", "0:ack", "0:tu", "0:ack", "32000:terminated"}));
}

TEST(InviteClient, FailureOverTcpEndsAtOnce) {
  Sim s(InviteClient(kCfg, true));
  s.apply(s.m.start());
  EXPECT_EQ(s.due.count(Timer::A), 0u);  // no retransmission on a reliable transport
  s.event(Event::Failure);
  EXPECT_EQ(s.m.state(), State::Terminated);
  EXPECT_EQ(s.log, (std::vector<std::string>{"0:request", "0:ack", "0:tu", "0:terminated"}));
}

TEST(InviteClient, SuccessIsAcceptedAndRetransmitted2xxReachTheTu) {
  Sim s(InviteClient(kCfg, false));
  s.apply(s.m.start());
  s.event(Event::Success);
  EXPECT_EQ(s.m.state(), State::Accepted);
  s.event(Event::Success);
  s.event(Event::Failure);  // ignored in Accepted
  s.run();
  EXPECT_EQ(s.log, (std::vector<std::string>{"0:request", "0:tu", "0:tu", "32000:terminated"}));
}

TEST(InviteClient, TransportErrorEnds) {
  Sim s(InviteClient(kCfg, false));
  s.apply(s.m.start());
  s.event(Event::TransportError);
  EXPECT_EQ(s.m.state(), State::Terminated);
  EXPECT_EQ(s.log.back(), "0:terminated");
  EXPECT_EQ(s.log[s.log.size() - 2], "0:transport-failed");
}

TEST(NonInviteClient, RetransmitsCappedAtT2UntilTimerF) {
  Sim s(NonInviteClient(kCfg, false));
  s.apply(s.m.start());
  s.run();
  // E: 0.5, 1, 2, 4, 4, 4 ... s (capped at T2); F at 32 s.
  std::vector<std::string> expect{"0:request", "500:request", "1500:request", "3500:request", "7500:request"};
  for (long t = 11500; t < 32000; t += 4000) expect.push_back(std::to_string(t) + ":request");
  expect.push_back("32000:timeout");
  expect.push_back("32000:terminated");
  EXPECT_EQ(s.log, expect);
}

TEST(NonInviteClient, ProceedingRetransmitsEveryT2) {
  Sim s(NonInviteClient(kCfg, false));
  s.apply(s.m.start());
  s.event(Event::Provisional);
  s.run(9000);
  EXPECT_EQ(s.log, (std::vector<std::string>{"0:request", "0:tu", "500:request", "4500:request", "8500:request"}));
}

TEST(NonInviteClient, FinalWaitsTimerK) {
  Sim s(NonInviteClient(kCfg, false));
  s.apply(s.m.start());
  s.event(Event::Success);
  s.event(Event::Success);  // retransmitted final: absorbed
  s.run();
  EXPECT_EQ(s.log, (std::vector<std::string>{"0:request", "0:tu", "5000:terminated"}));
  Sim tcp(NonInviteClient(kCfg, true));
  tcp.apply(tcp.m.start());
  tcp.event(Event::Failure);
  EXPECT_EQ(tcp.m.state(), State::Terminated);
}

TEST(InviteServer, FailureRetransmittedUntilAck) {
  Sim s(InviteServer(kCfg, false));
  s.event(Event::SendProvisional);
  s.event(Event::Retransmission);  // INVITE again: the provisional again
  s.event(Event::SendFailure);
  s.run(4000);
  s.event(Event::Retransmission);  // INVITE again while Completed: the final again
  s.event(Event::Ack);
  EXPECT_EQ(s.m.state(), State::Confirmed);
  s.event(Event::Ack);  // absorbed
  s.run();
  // G: 0.5, 1.5, 3.5 s; ACK at 4 s; I = T4 later.
  EXPECT_EQ(s.log, (std::vector<std::string>{"0:response", "0:response", "0:response", "500:response",
                                             "1500:response", "3500:response", "4000:response",
                                             "9000:terminated"}));
}

TEST(InviteServer, NoAckTimesOutWithTimerH) {
  Sim s(InviteServer(kCfg, false));
  s.event(Event::SendFailure);
  s.run();
  EXPECT_EQ(s.log.back(), "32000:terminated");
  EXPECT_EQ(s.log[s.log.size() - 2], "32000:timeout");
  // G capped at T2: 0.5 1.5 3.5 7.5 11.5 ... 31.5
  EXPECT_EQ(std::count(s.log.begin(), s.log.end(), "31500:response"), 1);
}

TEST(InviteServer, SuccessIsAcceptedUntilTimerL) {
  Sim s(InviteServer(kCfg, false));
  s.event(Event::SendSuccess);
  s.event(Event::Retransmission);  // absorbed: the TU retransmits 2xx itself
  s.event(Event::SendSuccess);     // ... through the transaction
  s.event(Event::Ack);             // an ACK that matched: to the TU
  s.run();
  EXPECT_EQ(s.log, (std::vector<std::string>{"0:response", "0:response", "0:tu", "32000:terminated"}));
}

TEST(InviteServer, AckOverTcpEndsAtOnce) {
  Sim s(InviteServer(kCfg, true));
  s.event(Event::SendFailure);
  EXPECT_EQ(s.due.count(Timer::G), 0u);
  s.event(Event::Ack);
  EXPECT_EQ(s.m.state(), State::Terminated);
}

TEST(NonInviteServer, AbsorbsThenAnswersRetransmissions) {
  Sim s(NonInviteServer(kCfg, false));
  s.event(Event::Retransmission);  // Trying: nothing to send yet
  s.event(Event::SendProvisional);
  s.event(Event::Retransmission);
  s.event(Event::SendSuccess);
  s.event(Event::Retransmission);
  s.event(Event::SendFailure);  // a second final is refused
  s.run();
  EXPECT_EQ(s.log, (std::vector<std::string>{"0:response", "0:response", "0:response", "0:response",
                                             "32000:terminated"}));
  Sim tcp(NonInviteServer(kCfg, true));
  tcp.event(Event::SendSuccess);
  EXPECT_EQ(tcp.m.state(), State::Terminated);
}

}  // namespace
}  // namespace palisade::transaction
