// A session agent's recent call rate: whole seconds only, old seconds forgotten.
#include <gtest/gtest.h>

#include "routing/recent_rate.hpp"

namespace palisade::routing {
namespace {

TEST(RecentRate, AveragesTheLastTenWholeSeconds) {
  RecentRate r;
  EXPECT_EQ(r.per_second(100), 0.0);
  for (int i = 0; i < 30; ++i) r.add(100);  // 30 calls in second 100
  EXPECT_EQ(r.per_second(100), 0.0);        // that second is not over yet
  EXPECT_DOUBLE_EQ(r.per_second(101), 3.0);
  for (int i = 0; i < 20; ++i) r.add(105);
  EXPECT_DOUBLE_EQ(r.per_second(106), 5.0);   // 50 calls in the last ten seconds
  EXPECT_DOUBLE_EQ(r.per_second(110), 5.0);
  EXPECT_DOUBLE_EQ(r.per_second(111), 2.0);   // second 100 has left the window
  EXPECT_DOUBLE_EQ(r.per_second(200), 0.0);   // long quiet: nothing left
  r.add(200);
  EXPECT_DOUBLE_EQ(r.per_second(201), 0.1);
}

TEST(RecentRate, ABucketReusedAfterAQuietSpellStartsFromZero) {
  RecentRate r;
  for (int i = 0; i < 7; ++i) r.add(3);
  for (std::uint64_t later = 3 + RecentRate::kSeconds; later <= 3 + 3 * RecentRate::kSeconds; ++later) {
    RecentRate q = r;
    q.add(later);  // whichever bucket second `later` takes, second 3 is out of its window
    EXPECT_DOUBLE_EQ(q.per_second(later + 1), 0.1) << later;
  }
}

}  // namespace
}  // namespace palisade::routing
