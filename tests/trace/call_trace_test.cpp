// The call-trace ring: which messages it keeps, how legs join one trace, what it forgets.
#include <gtest/gtest.h>

#include "trace/call_trace.hpp"

namespace palisade::trace {
namespace {

TracedMessage msg(std::uint64_t t, std::string wire) {
  TracedMessage m;
  m.mono_us = t, m.wall_us = t, m.realm = "access", m.local = {"10.1.0.1", 5060}, m.remote = {"10.1.0.50", 5062};
  m.wire = std::move(wire);
  return m;
}

TEST(CallTrace, KeepsOnlyMessagesOfTracedCalls) {
  CallTrace t(4);
  t.record(msg(1, "OPTIONS"), "ping-1", false);  // not a call
  t.record(msg(2, "INVITE"), "a1", true);
  t.record(msg(3, "100"), "a1", false);
  t.record(msg(4, "stray"), "zzz", false);
  ASSERT_EQ(t.calls().size(), 1u);
  EXPECT_EQ(t.calls()[0]->index, 1u);
  EXPECT_EQ(t.calls()[0]->messages.size(), 2u);
  EXPECT_EQ(t.find("1"), t.find("a1"));
  EXPECT_EQ(t.find("ping-1"), nullptr);
  EXPECT_EQ(t.find("2"), nullptr);
  // In place, as sbcd records: nothing is built for a message that is not kept.
  EXPECT_EQ(t.add("ping-2", false), nullptr);
  EXPECT_EQ(t.add("", true), nullptr);
  TracedMessage* slot = t.add("a1", false);
  ASSERT_NE(slot, nullptr);
  slot->wire = "180";
  EXPECT_EQ(t.calls()[0]->messages.size(), 3u);
  EXPECT_EQ(t.calls()[0]->messages.back().wire, "180");
}

TEST(CallTrace, LinkedLegsShareOneTrace) {
  CallTrace t(4);
  t.record(msg(1, "INVITE"), "a1", true);
  t.link("a1", "b1");
  t.record(msg(2, "INVITE out"), "b1", false);
  t.link("a1", "t1");  // a transfer target
  t.record(msg(3, "INVITE target"), "t1", false);
  const TracedCall* c = t.find("t1");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->call_ids, (std::vector<std::string>{"a1", "b1", "t1"}));
  EXPECT_EQ(c->messages.size(), 3u);
  t.link("unknown", "x");  // a call no longer traced: nothing happens
  EXPECT_EQ(t.find("x"), nullptr);
}

TEST(CallTrace, JoiningTwoCallsMergesTheirMessagesInTimeOrder) {
  CallTrace t(4);
  t.record(msg(10, "A1"), "a1", true);
  t.record(msg(20, "C1"), "c1", true);  // the consultation call
  t.record(msg(30, "A2"), "a1", false);
  t.record(msg(40, "C2"), "c1", false);
  t.link("a1", "c1");  // attended transfer joins them
  ASSERT_EQ(t.calls().size(), 1u);
  const TracedCall& c = *t.calls()[0];
  EXPECT_EQ(c.index, 1u);  // the older one stays
  std::vector<std::string> order;
  for (const auto& m : c.messages) order.push_back(m.wire);
  EXPECT_EQ(order, (std::vector<std::string>{"A1", "C1", "A2", "C2"}));
  EXPECT_EQ(t.find("2"), nullptr);
  EXPECT_EQ(t.find("c1"), &c);
}

TEST(CallTrace, ForgetsTheOldestCallsAndCapsMessages) {
  CallTrace t(2);
  for (int i = 1; i <= 3; ++i) t.record(msg(static_cast<std::uint64_t>(i), "INVITE"), "c" + std::to_string(i), true);
  ASSERT_EQ(t.calls().size(), 2u);
  EXPECT_EQ(t.find("c1"), nullptr);
  EXPECT_EQ(t.calls()[0]->index, 2u);
  for (std::size_t i = 0; i < CallTrace::kMaxMessagesPerCall + 5; ++i) t.record(msg(9, "x"), "c3", false);
  EXPECT_EQ(t.find("c3")->messages.size(), CallTrace::kMaxMessagesPerCall);
  EXPECT_EQ(t.find("c3")->dropped, 6u);  // the INVITE took one place
  t.set_capacity(1);
  EXPECT_EQ(t.calls().size(), 1u);
  EXPECT_NE(t.find("c3"), nullptr);
  t.set_capacity(0);
  t.record(msg(1, "INVITE"), "c9", true);
  EXPECT_TRUE(t.calls().empty());
}

TEST(CallTrace, FindsTheCallIdOnTheWire) {
  EXPECT_EQ(call_id_of("INVITE sip:a@b SIP/2.0\r\nVia: x\r\nCall-ID: abc@h \r\nCSeq: 1 INVITE\r\n\r\n"), "abc@h");
  EXPECT_EQ(call_id_of("SIP/2.0 200 OK\r\ni:compact\r\n\r\n"), "compact");
  EXPECT_EQ(call_id_of("SIP/2.0 200 OK\r\nCALL-id :  upper\r\n\r\n"), "upper");
  EXPECT_EQ(call_id_of("SIP/2.0 200 OK\r\nVia: x\r\n\r\nCall-ID: in-the-body\r\n"), "");
  EXPECT_EQ(call_id_of("SIP/2.0 200 OK\r\nIdentity: x\r\n\r\n"), "");
}

}  // namespace
}  // namespace palisade::trace
