// The exception path's token buckets and the table of sources, with time in made-up ticks.
#include <gtest/gtest.h>

#include <array>

#include "exception_policer.hpp"

namespace palisade::dataplane {
namespace {

constexpr std::uint64_t kHz = 1'000'000;

TEST(TickRate, OneSecondOfPacketsMayComeAtOnce) {
  const TickRate r = TickRate::of(100, kHz);
  EXPECT_EQ(r.cost, 10'000u);
  EXPECT_EQ(r.depth, kHz);
  EXPECT_FALSE(TickRate::of(0, kHz).limited());
  EXPECT_EQ(TickRate::of(5'000'000, kHz).cost, 1u);  // faster than the clock: never zero (no limit)
}

TEST(TickBucket, RefillsWithTimeUpToItsDepth) {
  const TickRate r = TickRate::of(10, kHz);
  TickBucket b{r.depth, 0};
  int passed = 0;
  for (int i = 0; i < 15; ++i) passed += b.take(0, r.cost, r.depth);
  EXPECT_EQ(passed, 10);
  EXPECT_FALSE(b.take(kHz / 20, r.cost, r.depth));  // half a packet's time
  EXPECT_TRUE(b.take(kHz / 10, r.cost, r.depth));   // one packet's time
  passed = 0;
  for (int i = 0; i < 15; ++i) passed += b.take(100 * kHz, r.cost, r.depth);  // a long silence: one second's worth
  EXPECT_EQ(passed, 10);
}

std::array<std::uint8_t, 4> v4(std::uint32_t n) {
  return {static_cast<std::uint8_t>(10), static_cast<std::uint8_t>(n >> 16), static_cast<std::uint8_t>(n >> 8),
          static_cast<std::uint8_t>(n)};
}

TEST(SourcePolicer, SourcesHaveBucketsOfTheirOwn) {
  SourcePolicer p(TickRate::of(2, kHz));
  const auto a = v4(1), b = v4(2);
  const std::uint64_t t = 50 * kHz;
  EXPECT_TRUE(p.admit(a.data(), 4, t));
  EXPECT_TRUE(p.admit(a.data(), 4, t));
  EXPECT_FALSE(p.admit(a.data(), 4, t));
  EXPECT_TRUE(p.admit(b.data(), 4, t));  // b is not a
  std::array<std::uint8_t, 16> six{};
  std::copy(a.begin(), a.end(), six.begin());  // an IPv6 address whose first bytes are a's
  EXPECT_TRUE(p.admit(six.data(), 6, t));
  EXPECT_TRUE(p.admit(a.data(), 4, t + kHz / 2));
}

TEST(SourcePolicer, UnlimitedAdmitsEverything) {
  SourcePolicer p;
  const auto a = v4(1);
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(p.admit(a.data(), 4, 0));
}

TEST(SourcePolicer, MoreSourcesThanItTracksEvictTheLeastRecentAndStayBounded) {
  SourcePolicer p(TickRate::of(1, kHz));
  const std::uint32_t n = 3 * SourcePolicer::kSets * SourcePolicer::kWays;
  for (std::uint32_t i = 0; i < n; ++i) {
    const auto a = v4(i);
    ASSERT_TRUE(p.admit(a.data(), 4, kHz + i));  // a new source starts with its bucket full
  }
  EXPECT_GE(p.evictions(), n - SourcePolicer::kSets * SourcePolicer::kWays);
  // The newest sources are still tracked: their buckets are empty.
  const auto last = v4(n - 1);
  EXPECT_FALSE(p.admit(last.data(), 4, kHz + n));
}

}  // namespace
}  // namespace palisade::dataplane
