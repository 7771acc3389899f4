// A MediaPlane that records what the control plane asked for: the fake the control-plane tests
// run on instead of DPDK. It keeps the real plane's contract where callers depend on it: slots
// come from reserve(), install() refuses a slot that holds a flow, modify() and remove() one
// that does not, and reserve() fails when the table is full.
#pragma once

#include <map>
#include <set>

#include "media_plane.hpp"

namespace palisade::media::test {

class FakeMediaPlane final : public dataplane::MediaPlane {
 public:
  explicit FakeMediaPlane(std::size_t capacity = 1024) : capacity_(capacity) {}

  std::optional<std::uint16_t> port_of(const std::string&) const override { return std::nullopt; }
  std::int32_t reserve() override {
    if (reserved_.size() >= capacity_) return -1;
    while (reserved_.count(next_)) ++next_;
    reserved_.insert(next_);
    return next_++;
  }
  bool install(std::int32_t slot, const dataplane::FlowSpec& spec) override {
    if (!reserved_.count(slot) || installed.count(slot)) return false;
    installed[slot] = spec;
    ++installs;
    return true;
  }
  bool modify(std::int32_t slot, const dataplane::FlowSpec& spec) override {
    if (!installed.count(slot)) return false;
    installed[slot] = spec;
    ++modifies;
    return true;
  }
  bool remove(std::int32_t slot) override {
    if (!reserved_.erase(slot)) return false;
    installed.erase(slot);
    return true;
  }
  dataplane::FlowCounters counters(std::int32_t slot) const override {
    auto it = packets.find(slot);
    return {it == packets.end() ? 0 : it->second, 0, 0, false};
  }
  std::size_t events(std::vector<dataplane::FlowEvent>&, std::size_t) override { return 0; }
  std::vector<dataplane::PortStats> ports() const override { return {}; }
  std::size_t flows_in_use() const { return installed.size(); }
  std::size_t flows() const override { return reserved_.size(); }

  // The flow whose key is (port, local ip, local port), or null.
  const dataplane::FlowSpec* find(std::uint16_t port, const std::string& ip, std::uint16_t udp) const {
    for (const auto& [slot, f] : installed)
      if (f.in_port == port && f.local.port == udp && dataplane::to_string(f.local.ip) == ip) return &f;
    return nullptr;
  }
  std::int32_t slot_of(const dataplane::FlowSpec* f) const {
    for (const auto& [slot, g] : installed)
      if (&g == f) return slot;
    return -1;
  }

  std::map<std::int32_t, dataplane::FlowSpec> installed;  // by slot
  std::map<std::int32_t, std::uint64_t> packets;
  int installs = 0, modifies = 0;

 private:
  std::size_t capacity_;
  std::set<std::int32_t> reserved_;
  std::int32_t next_ = 0;
};

}  // namespace palisade::media::test
