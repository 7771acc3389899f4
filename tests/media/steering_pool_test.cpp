#include "media/steering_pool.hpp"

#include <gtest/gtest.h>

#include <set>

namespace palisade::media {
namespace {

TEST(SteeringPool, HandsOutEvenPortsFromTheBottom) {
  SteeringPool p("access", "10.0.0.1", 20001, 20010);  // an odd start is rounded up
  EXPECT_EQ(p.capacity(), 4u);                         // 20002, 20004, 20006, 20008 (+1 each)
  EXPECT_EQ(p.allocate(), 20002);
  EXPECT_EQ(p.allocate(), 20004);
  EXPECT_EQ(p.in_use(), 2u);
}

TEST(SteeringPool, ExhaustionThenReleaseInOrderOfRelease) {
  SteeringPool p("core", "10.1.0.1", 30000, 30005);
  std::set<std::uint16_t> got;
  while (auto port = p.allocate()) got.insert(*port);
  EXPECT_EQ(got, (std::set<std::uint16_t>{30000, 30002, 30004}));
  EXPECT_FALSE(p.allocate());
  EXPECT_TRUE(p.release(30002));
  EXPECT_TRUE(p.release(30000));
  // The pair released first is reused first: a just-freed port waits longest.
  EXPECT_EQ(p.allocate(), 30002);
  EXPECT_EQ(p.allocate(), 30000);
}

TEST(SteeringPool, RefusesWhatItDidNotHandOut) {
  SteeringPool p("core", "10.1.0.1", 30000, 30009);
  EXPECT_FALSE(p.release(30000));  // free already
  const auto port = p.allocate();
  EXPECT_FALSE(p.release(static_cast<std::uint16_t>(*port + 1)));  // the RTCP port is not a pair
  EXPECT_FALSE(p.release(40000));
  EXPECT_TRUE(p.release(*port));
  EXPECT_FALSE(p.release(*port));  // twice
  EXPECT_EQ(p.in_use(), 0u);
}

TEST(SteeringPool, AnEmptyRangeHoldsNothing) {
  SteeringPool p("core", "10.1.0.1", 30001, 30001);
  EXPECT_EQ(p.capacity(), 0u);
  EXPECT_FALSE(p.allocate());
}

}  // namespace
}  // namespace palisade::media
