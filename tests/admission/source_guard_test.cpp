// Admission per source: the token bucket, denial after repeated malformed messages, its expiry,
// trusted realms untouched, and the bound on what is tracked.
#include <gtest/gtest.h>

#include "admission/source_guard.hpp"

namespace palisade::admission {
namespace {

TEST(SourceGuard, TrustedRealmsAreNotPoliced) {
  SourceGuard g({true, 1, 1, 30});
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(g.admit("10.0.0.1", 0), Verdict::Admit);
  for (int i = 0; i < 10; ++i) g.invalid("10.0.0.1", 0);
  EXPECT_EQ(g.admit("10.0.0.1", 0), Verdict::Admit);
  EXPECT_EQ(g.tracked(), 0u);
}

TEST(SourceGuard, EachSourceGetsItsOwnBucket) {
  SourceGuard g({false, 10, 0, 30});
  int admitted = 0;
  for (int i = 0; i < 50; ++i) admitted += g.admit("10.0.0.1", 1000) == Verdict::Admit;
  EXPECT_EQ(admitted, 10);  // a second's worth at once
  EXPECT_EQ(g.admit("10.0.0.2", 1000), Verdict::Admit);  // another source is not affected
  EXPECT_EQ(g.admit("10.0.0.1", 1050), Verdict::RateLimited);  // half a token
  EXPECT_EQ(g.admit("10.0.0.1", 1100), Verdict::Admit);        // one token back after 100 ms
  admitted = 0;
  for (std::uint64_t t = 2000; t < 12000; t += 10) admitted += g.admit("10.0.0.1", t) == Verdict::Admit;
  EXPECT_NEAR(admitted, 100 + 10, 2);  // 10 s at 10/s, after a full bucket
  EXPECT_EQ(g.counters().rate_limited, 40u + 1 + (1000 - admitted));
}

TEST(SourceGuard, RepeatedMalformedMessagesDenyTheSourceForTheDenyPeriod) {
  SourceGuard g({false, 0, 5, 30});
  for (int i = 0; i < 4; ++i) g.invalid("10.0.0.66", 1000);
  EXPECT_EQ(g.admit("10.0.0.66", 1000), Verdict::Admit);  // four are tolerated
  g.invalid("10.0.0.66", 1000);
  EXPECT_EQ(g.admit("10.0.0.66", 1001), Verdict::Denied);
  EXPECT_EQ(g.admit("10.0.0.66", 30999), Verdict::Denied);
  EXPECT_EQ(g.admit("10.0.0.9", 2000), Verdict::Admit);  // others are not
  const auto d = g.denied(2000);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].address, "10.0.0.66");
  EXPECT_EQ(d[0].seconds_left, 29u);
  EXPECT_EQ(d[0].dropped, 2u);
  EXPECT_EQ(g.admit("10.0.0.66", 31000), Verdict::Admit);  // the deny period is over
  EXPECT_TRUE(g.denied(31000).empty());
  EXPECT_EQ(g.counters().denials, 1u);
  EXPECT_EQ(g.counters().denied_drops, 2u);
}

TEST(SourceGuard, MalformedMessagesSpreadOverTimeAreForgiven) {
  SourceGuard g({false, 0, 3, 30});
  g.invalid("10.0.0.5", 0);
  g.invalid("10.0.0.5", 10000);
  g.invalid("10.0.0.5", 31000);  // a new window: the first two no longer count
  g.invalid("10.0.0.5", 32000);
  EXPECT_EQ(g.admit("10.0.0.5", 33000), Verdict::Admit);
}

TEST(SourceGuard, WhatItTracksIsBounded) {
  SourceGuard g({false, 5, 3, 120});  // denials outlast the sweep below
  std::uint64_t full = 0;
  for (std::size_t i = 0; i < SourceGuard::kMaxSources + 100; ++i)
    full += g.admit("s" + std::to_string(i), 1000) == Verdict::TableFull;
  EXPECT_EQ(g.tracked(), SourceGuard::kMaxSources);
  EXPECT_EQ(full, 100u);
  EXPECT_EQ(g.counters().table_full, 100u);
  for (int i = 0; i < 3; ++i) g.invalid("s7", 1000);  // a denied source is kept while denied
  g.sweep(1000 + 61000);
  EXPECT_EQ(g.tracked(), 1u);
  EXPECT_EQ(g.admit("s7", 62000), Verdict::Denied);
  EXPECT_EQ(g.admit("new", 62000), Verdict::Admit);
}

}  // namespace
}  // namespace palisade::admission
