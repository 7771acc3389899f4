// What the B2BUA tells and takes from the management side: call listings for the ACLI, and
// the configuration being replaced under it (activate-config, SIGHUP).
#include "b2bua/b2bua.hpp"
#include "b2bua/call.hpp"

namespace palisade::b2bua {

namespace {
std::string peer_text(const transaction::Peer& p) { return p.address.empty() ? "-" : detail::host_port(p.address, p.port); }

const char* state_name(int s) {
  static const char* names[] = {"routing", "early", "answered", "ending"};
  return names[s];
}

const char* stage_name(int s) {
  static const char* names[] = {"calling the target", "re-inviting", "notifying the transferor"};
  return names[s];
}
}  // namespace

std::vector<CallSummary> B2bua::calls() const {
  std::vector<CallSummary> out;
  out.reserve(calls_.size());
  for (const auto& [id, c] : calls_) {
    CallSummary s;
    s.id = c->id;
    s.state = state_name(static_cast<int>(c->state));
    s.a_realm = c->a.local.realm, s.a_peer = peer_text(c->a.peer), s.from_user = c->from_user;
    s.b_realm = c->b.local.realm, s.b_peer = peer_text(c->b.peer), s.to_user = c->to_user;
    s.started_ms = c->started;
    if (c->transfer) {
      s.transfer_kind = c->transfer->joined_call ? "attended" : "blind";
      s.transfer_stage = stage_name(static_cast<int>(c->transfer->stage));
      s.transfer_target = c->transfer->target_user + "@" + peer_text(c->transfer->target.peer);
    }
    out.push_back(std::move(s));
  }
  return out;
}

void B2bua::reconfigured() {
  // Agents that are new start in service; removed ones go once no call counts against them.
  for (const auto& a : cfg_.session_agents) agents_.try_emplace(a.hostname);
  for (auto it = agents_.begin(); it != agents_.end();) {
    if (!agent_config(it->first) && it->second.active_sessions == 0) it = agents_.erase(it);
    else ++it;
  }
  // Pings: stop those of agents that no longer ping, start those of agents that now do.
  for (auto it = ping_timers_.begin(); it != ping_timers_.end();) {
    const config::SessionAgent* sa = agent_config(it->first);
    if (!sa || sa->ping_method != "OPTIONS" || sa->ping_interval == 0 || !sa->state) {
      timers_.cancel(it->second);
      it = ping_timers_.erase(it);
    } else {
      ++it;
    }
  }
  for (const auto& a : cfg_.session_agents)
    if (a.ping_method == "OPTIONS" && a.ping_interval > 0 && a.state && !ping_timers_.count(a.hostname)) ping(a.hostname);
}

}  // namespace palisade::b2bua
