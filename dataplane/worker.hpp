// One worker lcore's fast path, in the shape of DPDK's l3fwd: a loop of rx bursts over the
// ports it owns, flows looked up in bulk, media rewritten and buffered per egress port,
// everything else punted to the port's exception (tap) device, and what the kernel sends on
// the tap put out on the port. The worker is the only writer of its flow table; the control
// plane speaks to it through two rings (commands in, events out) and reads its counters.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <vector>

#include "exception_policer.hpp"
#include "flow.hpp"
#include "flow_table.hpp"

struct rte_mbuf;
struct rte_ring;

namespace palisade::dataplane {

inline constexpr std::uint16_t kBurst = 32;
inline constexpr std::uint16_t kMaxPorts = 32;  // RTE_MAX_ETHPORTS of Debian's DPDK 22.11
inline constexpr std::uint16_t kNoPort = 0xffff;

// Per port, as one worker saw it. Drops are counted on the port the packet arrived on, except
// tx_full, which belongs to the port that could not take it.
struct PortCounters {
  Counter rx, relayed, relayed_bytes, punted, from_kernel, tx;
  std::array<Counter, static_cast<int>(DropReason::Count)> drops;
};

// A request from the control plane, carried by value on the command ring.
struct Command {
  enum class Op : std::uint32_t { Install, Modify, Remove } op = Op::Install;
  std::int32_t slot = -1;
  FlowSpec spec;
};
static_assert(sizeof(Command) % 4 == 0, "rte_ring elements are multiples of 4 bytes");
static_assert(sizeof(FlowEvent) % 4 == 0, "rte_ring elements are multiples of 4 bytes");

// The exception path's limits, packets per second to the kernel; 0 = none.
struct ExceptionLimits {
  std::uint32_t per_source = 0;  // from one source IP, over all ports
  std::uint32_t per_port = 0;    // through one port, all sources together
};

struct WorkerPort {
  std::uint16_t id = kNoPort;         // the media port (phy-interface)
  std::uint16_t exception = kNoPort;  // its tap, or none
};

class Worker {
 public:
  // `macs[p]` is port p's own MAC (the source of what leaves it); `hz` the TSC rate.
  Worker(FlowTable& table, std::vector<WorkerPort> ports, const std::array<std::array<std::uint8_t, 6>, kMaxPorts>& macs,
         rte_ring* commands, rte_ring* events, std::uint64_t hz, ExceptionLimits limits = {});

  // One pass over commands, every port and its tap, the tx queues and a slice of the flows'
  // timers. `now` is the TSC.
  void poll(std::uint64_t now);
  // poll() until `stop` is set (the lcore's main function).
  void run(const std::atomic<bool>& stop);

  const PortCounters& counters(std::uint16_t port) const { return counters_[port]; }
  std::uint64_t busy_polls() const { return busy_.get(); }
  std::uint64_t idle_polls() const { return idle_.get(); }
  std::uint64_t events_lost() const { return events_lost_.get(); }
  std::uint64_t commands_refused() const { return refused_.get(); }

 private:
  void commands(std::uint64_t now);
  FlowEntry* reverse_of(const FlowEntry& e);  // its other direction, when that is a live flow
  void follow_reverse(std::int32_t slot);     // a flow keeps sending where its reverse latched
  std::uint16_t rx_media(const WorkerPort& p, std::uint64_t now);
  std::uint16_t rx_kernel(const WorkerPort& p);
  void send(std::uint16_t port, rte_mbuf* m);
  void punt(const WorkerPort& p, rte_mbuf* m, std::uint64_t now);
  // Whether the exception path's limits let this frame through to the kernel; counts the drop.
  bool policed(const WorkerPort& p, const std::uint8_t* f, std::uint32_t len, std::uint64_t now);
  void drop(std::uint16_t port, DropReason why, rte_mbuf* m);
  void transmit(std::uint16_t port);  // the port's queue, now
  void flush();
  void scan_idle(std::uint64_t now);
  void emit(FlowEvent e);  // by value: DPDK takes a non-const pointer

  struct TxQueue {
    std::array<rte_mbuf*, kBurst> pkts;
    std::uint16_t n = 0;
  };

  FlowTable& table_;
  std::vector<WorkerPort> ports_;
  std::array<std::array<std::uint8_t, 6>, kMaxPorts> macs_;
  rte_ring* commands_;
  rte_ring* events_;
  std::uint64_t hz_;
  std::array<TxQueue, kMaxPorts> tx_{};
  std::array<PortCounters, kMaxPorts> counters_;
  std::uint32_t scan_cursor_ = 0;
  std::uint64_t last_scan_ = 0;  // TSC of the last slice of the guard sweep
  SourcePolicer sources_;
  TickRate port_rate_;
  std::array<TickBucket, kMaxPorts> port_buckets_{};
  Counter busy_, idle_, events_lost_, refused_;
};

}  // namespace palisade::dataplane
