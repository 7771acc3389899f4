// The narrow channel between the control plane and the fast path (in the manner of
// rtpengine's ng protocol): flows in, counters and events out. The DPDK adapter implements it;
// control-plane tests implement it with a fake. Every call is made from the control thread.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "flow.hpp"

namespace palisade::dataplane {

struct FlowCounters {
  std::uint64_t packets = 0, bytes = 0, wrong_source = 0;
  bool latched = false;
};

struct PortStats {
  std::string name;
  std::uint16_t id = 0;
  std::uint64_t rx = 0, tx = 0, relayed = 0, relayed_bytes = 0, punted = 0, from_kernel = 0;  // relayed_bytes: whole frames
  bool link_up = true;
  std::array<std::uint64_t, static_cast<int>(DropReason::Count)> drops{};
};

class MediaPlane {
 public:
  virtual ~MediaPlane() = default;
  // The ethdev port of a phy-interface, by its configured name.
  virtual std::optional<std::uint16_t> port_of(const std::string& name) const = 0;
  // A free slot for a flow, or -1 when the table is full. Reserving both directions first lets
  // each name the other as its reverse.
  virtual std::int32_t reserve() = 0;
  // Queued for the worker; false when its command ring is full (the caller refuses the call).
  virtual bool install(std::int32_t slot, const FlowSpec& spec) = 0;
  virtual bool modify(std::int32_t slot, const FlowSpec& spec) = 0;
  // Removes the flow and frees its slot; its final counters arrive as a Removed event.
  virtual bool remove(std::int32_t slot) = 0;
  virtual FlowCounters counters(std::int32_t slot) const = 0;
  // Latched, idle and removed events since the last call, at most `max`.
  virtual std::size_t events(std::vector<FlowEvent>& out, std::size_t max) = 0;
  virtual std::vector<PortStats> ports() const = 0;
  virtual std::size_t flows() const = 0;  // slots in use
};

}  // namespace palisade::dataplane
