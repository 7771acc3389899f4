#include "routing/realm_load.hpp"

namespace palisade::routing {

const config::SessionConstraints* constraints_of(const config::Config& cfg, std::string_view realm) {
  for (const auto& r : cfg.realms) {
    if (r.identifier != realm || r.constraint_name.empty()) continue;
    for (const auto& sc : cfg.session_constraints)
      if (sc.name == r.constraint_name) return sc.state ? &sc : nullptr;
  }
  return nullptr;
}

std::string_view exceeded_constraint(const config::SessionConstraints& sc, const RealmLoad& load, Direction d,
                                     std::uint64_t now_s) {
  const bool in = d == Direction::Inbound;
  const DirectionLoad& mine = load.of(d);
  // Each limit is reached when the calls already counted fill it: one more would pass it. The
  // counts are taken only for the limits that are set (the sustained rate walks its window).
  const std::uint32_t dir_sessions = in ? sc.max_inbound_sessions : sc.max_outbound_sessions;
  if (sc.max_sessions && std::uint64_t{load.in.active} + load.out.active >= sc.max_sessions) return "max-sessions";
  if (dir_sessions && mine.active >= dir_sessions) return in ? "max-inbound-sessions" : "max-outbound-sessions";

  const std::uint32_t dir_burst = in ? sc.max_inbound_burst_rate : sc.max_outbound_burst_rate;
  if (sc.max_burst_rate &&
      std::uint64_t{load.in.rate.in_second(now_s)} + load.out.rate.in_second(now_s) >= sc.max_burst_rate)
    return "max-burst-rate";
  if (dir_burst && mine.rate.in_second(now_s) >= dir_burst) return in ? "max-inbound-burst-rate" : "max-outbound-burst-rate";

  const std::uint32_t dir_sustain = in ? sc.max_inbound_sustain_rate : sc.max_outbound_sustain_rate;
  if (sc.max_sustain_rate && load.in.rate.per_second(now_s) + load.out.rate.per_second(now_s) >= sc.max_sustain_rate)
    return "max-sustain-rate";
  if (dir_sustain && mine.rate.per_second(now_s) >= dir_sustain)
    return in ? "max-inbound-sustain-rate" : "max-outbound-sustain-rate";
  return {};
}

}  // namespace palisade::routing
