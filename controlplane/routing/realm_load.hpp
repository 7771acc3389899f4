// RealmLoad: the calls of one realm as its session-constraints count them — inbound calls
// arrived from the realm, outbound calls were sent into it — and the check whether one more
// fits. Pure: the caller keeps the loads and says what second it is.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "config/model.hpp"
#include "routing/recent_rate.hpp"

namespace palisade::routing {

enum class Direction { Inbound, Outbound };

struct DirectionLoad {
  std::uint32_t active = 0;
  std::uint64_t total = 0;
  std::uint64_t refused = 0;  // calls a constraint turned away
  RecentRate rate;
};

struct RealmLoad {
  DirectionLoad in, out;
  DirectionLoad& of(Direction d) { return d == Direction::Inbound ? in : out; }
  const DirectionLoad& of(Direction d) const { return d == Direction::Inbound ? in : out; }
  void take(Direction d, std::uint64_t now_s) {
    DirectionLoad& l = of(d);
    ++l.active, ++l.total;
    l.rate.add(now_s);
  }
  void release(Direction d) {
    if (of(d).active) --of(d).active;
  }
};

// The enabled session-constraints a realm names, if any.
const config::SessionConstraints* constraints_of(const config::Config& cfg, std::string_view realm);

// The attribute (e.g. "max-inbound-sessions") one more call in direction `d` would exceed, or
// "" when it fits.
std::string_view exceeded_constraint(const config::SessionConstraints& sc, const RealmLoad& load, Direction d,
                                     std::uint64_t now_s);

}  // namespace palisade::routing
