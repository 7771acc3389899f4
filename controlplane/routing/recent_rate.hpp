// RecentRate: events per second over the last kSeconds whole seconds, as `show sipd agents`
// reports a session agent's call rate. A bucket per second, reused as time goes round, so it
// costs nothing to keep and needs no timer. Pure: the caller says what second it is.
#pragma once

#include <array>
#include <cstdint>

namespace palisade::routing {

class RecentRate {
 public:
  static constexpr std::uint64_t kSeconds = 10;

  void add(std::uint64_t now_s) {
    advance(now_s);
    ++buckets_[now_s % kBuckets];
  }
  // Events in the second under way.
  std::uint32_t in_second(std::uint64_t now_s) const { return now_s == last_ ? buckets_[now_s % kBuckets] : 0; }
  // The average over the kSeconds seconds before `now_s` (the second under way is not whole).
  double per_second(std::uint64_t now_s) const {
    RecentRate r = *this;
    r.advance(now_s);
    std::uint64_t n = 0;
    for (std::uint64_t s = 1; s <= kSeconds && s <= now_s; ++s) n += r.buckets_[(now_s - s) % kBuckets];
    return static_cast<double>(n) / static_cast<double>(kSeconds);
  }

 private:
  // Clears the buckets of the seconds that passed since the last event.
  void advance(std::uint64_t now_s) {
    if (now_s <= last_) return;
    for (std::uint64_t s = last_ + 1; s <= now_s && s <= last_ + kBuckets; ++s) buckets_[s % kBuckets] = 0;
    last_ = now_s;
  }
  // The whole seconds averaged, and the one under way.
  static constexpr std::uint64_t kBuckets = kSeconds + 1;
  std::array<std::uint32_t, kBuckets> buckets_{};
  std::uint64_t last_ = 0;
};

}  // namespace palisade::routing
