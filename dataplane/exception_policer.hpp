// Policing of the exception path: what the fast path hands to the kernel (SIP, ARP, ICMP,
// strays) is held to a rate per source IP and to a rate per port, so that a flood of SIP from
// one address — or from many spoofed ones — cannot fill the tap and starve sbcd's control
// thread of the messages of everyone else. Pure and allocation-free per packet: token buckets
// counted in TSC ticks, sources in a fixed set-associative table.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

namespace palisade::dataplane {

// A token bucket whose tokens are TSC ticks: a packet costs `cost` ticks and at most `depth`
// ticks of credit build up, so time itself refills it and no multiplication is needed.
struct TickBucket {
  std::uint64_t credit = 0, last = 0;
  bool take(std::uint64_t now, std::uint64_t cost, std::uint64_t depth) {
    credit = std::min(depth, credit + (now - last));
    last = now;
    if (credit < cost) return false;
    credit -= cost;
    return true;
  }
};

// A rate in packets per second as bucket parameters: one second's worth of packets may come
// at once (depth), then `per_second` (cost). 0 = no limit.
struct TickRate {
  std::uint64_t cost = 0, depth = 0;
  static TickRate of(std::uint32_t per_second, std::uint64_t hz) {
    if (!per_second) return {};
    const std::uint64_t cost = std::max<std::uint64_t>(1, hz / per_second);
    return {cost, cost * per_second};
  }
  bool limited() const { return cost != 0; }
};

// Buckets per source address. 4,096 sources are tracked at once (1,024 sets of 4); a new
// source takes a free way or the one heard from least recently, starting with a full bucket.
class SourcePolicer {
 public:
  static constexpr std::uint32_t kWays = 4, kSets = 1024;

  explicit SourcePolicer(TickRate rate = {}) : rate_(rate) {
    if (rate_.limited()) slots_.resize(kSets * kWays);
  }
  bool limited() const { return rate_.limited(); }

  // Whether one more packet from `src` (4 bytes for IPv4, 16 for IPv6) may go to the kernel.
  bool admit(const std::uint8_t* src, std::uint8_t family, std::uint64_t now) {
    if (!rate_.limited()) return true;
    std::uint64_t a = 0, b = 0;
    if (family == 4) {
      std::uint32_t v4;
      std::memcpy(&v4, src, 4);
      a = (std::uint64_t{4} << 32) | v4;
    } else {
      std::memcpy(&a, src, 8);
      std::memcpy(&b, src + 8, 8);
    }
    const std::uint64_t h = (a * 0x9E3779B97F4A7C15ull) ^ (b * 0xC2B2AE3D27D4EB4Full);
    Slot* set = &slots_[((h >> 40) & (kSets - 1)) * kWays];
    Slot* victim = set;
    for (std::uint32_t w = 0; w < kWays; ++w) {
      Slot& s = set[w];
      if (s.used && s.a == a && s.b == b) return s.bucket.take(now, rate_.cost, rate_.depth);
      if (!s.used) victim = &s;
      else if (victim->used && s.bucket.last < victim->bucket.last) victim = &s;
    }
    if (victim->used) ++evictions_;
    *victim = Slot{a, b, {rate_.depth, now}, true};
    return victim->bucket.take(now, rate_.cost, rate_.depth);
  }
  std::uint64_t evictions() const { return evictions_; }

 private:
  struct Slot {
    std::uint64_t a = 0, b = 0;
    TickBucket bucket;
    bool used = false;
  };
  TickRate rate_;
  std::vector<Slot> slots_;  // sized once, at construction
  std::uint64_t evictions_ = 0;
};

}  // namespace palisade::dataplane
