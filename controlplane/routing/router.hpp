// Router: where a new call goes. Pure: the configuration and the session agents' live state
// in, an ordered list of next hops out (the first is tried first; the rest are failover).
//
// A local-policy matches when it is enabled, its source-realm holds the call's realm (or *),
// and its from-address and to-address hold a prefix of the From and To user (or *). Of the
// matching policies the one with the longest to-address prefix wins (then the longest
// from-address prefix, then the first written). Its enabled policy-attributes are tried by
// cost; a session agent that is disabled, out of service or at max-sessions is skipped, and so
// is any next hop in a realm whose session-constraints would be exceeded by one more outbound call.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/model.hpp"
#include "routing/realm_load.hpp"
#include "routing/recent_rate.hpp"

namespace palisade::routing {

struct AgentState {
  bool in_service = true;
  std::uint32_t active_sessions = 0;
  std::uint64_t total_sessions = 0;  // calls ever sent to the agent
  RecentRate session_rate;           // ... per second lately
  std::uint64_t pings_sent = 0, pings_unanswered = 0;
  std::uint32_t invite_timeouts = 0;  // INVITEs in a row it left unanswered
};

struct Target {
  std::string agent;  // session-agent hostname; "" for a bare IP next hop
  std::string address;
  std::uint16_t port = 5060;
  config::TransportProtocol transport = config::TransportProtocol::Udp;
  std::string realm;
  std::string host;  // what goes in the Request-URI's host: the agent's hostname or the IP
};

struct RouteQuery {
  std::string source_realm;
  std::string from_user;
  std::string to_user;
  std::uint64_t now_s = 0;  // monotonic seconds, for the agents' call-rate limits
};

struct RouteResult {
  std::vector<Target> targets;  // empty: no route (404) or every agent unavailable (503)
  bool matched_policy = false;  // a policy matched, but no next hop was available
};

class Router {
 public:
  explicit Router(const config::Config& cfg) : cfg_(cfg) {}
  RouteResult route(const RouteQuery& q, const std::map<std::string, AgentState>& agents,
                    const std::map<std::string, RealmLoad>& realms = {}) const;

 private:
  const config::Config& cfg_;
};

}  // namespace palisade::routing
