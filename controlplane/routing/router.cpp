#include "routing/router.hpp"

#include <algorithm>

namespace palisade::routing {

namespace {

// Length of the longest entry of `patterns` that prefixes `user`: "*" counts as 0 and an
// empty match is -1 (no match).
int best_prefix(const std::vector<std::string>& patterns, const std::string& user) {
  int best = -1;
  for (const auto& p : patterns) {
    if (p == "*") best = std::max(best, 0);
    else if (user.compare(0, p.size(), p) == 0) best = std::max(best, static_cast<int>(p.size()));
  }
  return best;
}

bool listed(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), "*") != v.end() || std::find(v.begin(), v.end(), x) != v.end();
}

}  // namespace

RouteResult Router::route(const RouteQuery& q, const std::map<std::string, AgentState>& agents,
                          const std::map<std::string, RealmLoad>& realms) const {
  // Whether the realm takes one more call sent into it.
  auto realm_full = [&](const std::string& realm) {
    const config::SessionConstraints* sc = constraints_of(cfg_, realm);
    if (!sc) return false;
    auto l = realms.find(realm);
    return !exceeded_constraint(*sc, l == realms.end() ? RealmLoad{} : l->second, Direction::Outbound, q.now_s).empty();
  };
  const config::LocalPolicy* best = nullptr;
  int best_to = -1, best_from = -1;
  for (const auto& lp : cfg_.local_policies) {
    if (!lp.state || !listed(lp.source_realm, q.source_realm)) continue;
    const int to = best_prefix(lp.to_address, q.to_user);
    const int from = best_prefix(lp.from_address, q.from_user);
    if (to < 0 || from < 0) continue;
    if (to > best_to || (to == best_to && from > best_from)) {
      best = &lp;
      best_to = to;
      best_from = from;
    }
  }
  RouteResult r;
  if (!best) return r;
  r.matched_policy = true;

  std::vector<const config::PolicyAttribute*> attrs;
  for (const auto& pa : best->policy_attributes)
    if (pa.state) attrs.push_back(&pa);
  std::stable_sort(attrs.begin(), attrs.end(), [](auto* a, auto* b) { return a->cost < b->cost; });

  for (const auto* pa : attrs) {
    auto agent = std::find_if(cfg_.session_agents.begin(), cfg_.session_agents.end(),
                              [&](const auto& a) { return a.hostname == pa->next_hop; });
    if (agent == cfg_.session_agents.end()) {
      if (realm_full(pa->realm)) continue;
      r.targets.push_back({"", pa->next_hop, 5060, config::TransportProtocol::Udp, pa->realm, pa->next_hop});
      continue;
    }
    if (!agent->state) continue;
    if (auto st = agents.find(agent->hostname); st != agents.end()) {
      if (!st->second.in_service) continue;
      if (agent->max_sessions && st->second.active_sessions >= agent->max_sessions) continue;
      const RecentRate& rate = st->second.session_rate;
      if (agent->max_burst_rate && rate.in_second(q.now_s) >= agent->max_burst_rate) continue;
      if (agent->max_sustain_rate && rate.per_second(q.now_s) >= agent->max_sustain_rate) continue;
    }
    Target t;
    t.agent = agent->hostname;
    t.address = agent->ip_address.empty() ? agent->hostname : agent->ip_address;
    t.port = static_cast<std::uint16_t>(agent->port);
    t.transport = agent->transport_method;
    t.realm = pa->realm.empty() ? agent->realm_id : pa->realm;
    if (realm_full(t.realm)) continue;
    t.host = agent->hostname;
    r.targets.push_back(std::move(t));
  }
  return r;
}

}  // namespace palisade::routing
