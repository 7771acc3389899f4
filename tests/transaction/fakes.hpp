// A manual clock and a recording sender for unit tests of the pure cores above transports.
#pragma once

#include <algorithm>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "transaction/transaction_layer.hpp"

namespace palisade::transaction {

class ManualTimers : public TimerService {
 public:
  Handle start(Duration after, std::function<void()> fire) override {
    const Handle h = next_++;
    pending_[h] = {now_ + after.count(), std::move(fire)};
    return h;
  }
  void cancel(Handle h) override { pending_.erase(h); }
  // Moves time forward, firing due timers in deadline order.
  void advance(long ms) {
    const long until = now_ + ms;
    for (;;) {
      auto it = std::min_element(pending_.begin(), pending_.end(),
                                 [](auto& a, auto& b) { return a.second.at < b.second.at; });
      if (it == pending_.end() || it->second.at > until) break;
      now_ = it->second.at;
      auto fire = std::move(it->second.fire);
      pending_.erase(it);
      fire();
    }
    now_ = until;
  }
  std::size_t pending() const { return pending_.size(); }
  long now() const { return now_; }

 private:
  struct Entry {
    long at;
    std::function<void()> fire;
  };
  long now_ = 0;
  Handle next_ = 1;
  std::map<Handle, Entry> pending_;
};

struct RecordingSender : Sender {
  std::vector<std::pair<Peer, std::string>> sent;
  bool fail = false;
  std::function<void(const Peer&, std::string_view)> observe;  // sees each message sent
  bool send(const Peer& to, std::string_view wire) override {
    if (fail) return false;
    if (observe) observe(to, wire);
    sent.emplace_back(to, std::string(wire));
    return true;
  }
  // Start lines of what was sent, in order.
  std::vector<std::string> lines() const {
    std::vector<std::string> out;
    for (auto& [p, w] : sent) out.push_back(w.substr(0, w.find("\r\n")));
    return out;
  }
};

}  // namespace palisade::transaction
