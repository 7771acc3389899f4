// The MediaPlane on DPDK: EAL, the mbuf pool, one ethdev port per phy-interface with its
// exception device (a net_tap carrying the interface's IP in the kernel), the flow table, the
// rings, and the worker lcore that runs it all.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "flow_table.hpp"
#include "media_plane.hpp"
#include "worker.hpp"

struct rte_mempool;

namespace palisade::dataplane {

struct PortConfig {
  std::string name;       // the phy-interface's name
  std::string device;     // vdev or PCI devargs ("net_af_packet0,iface=veth0"); "" = a port DPDK already has by `name`
  // A tap interface name ("pal-access"), vdev devargs ("net_pcap9,tx_pcap=..."), the name of a
  // port DPDK already has, or "" for none.
  std::string exception;
};

struct PlaneConfig {
  std::vector<std::string> eal_args;  // for start_eal
  std::vector<PortConfig> ports;
  std::uint32_t max_flows = 16384;
  std::uint32_t mbufs = 8191;
  std::uint16_t descriptors = 512;  // per rx and tx queue
  unsigned worker_lcore = 1;
  ExceptionLimits exception_limits;  // packets per second to the kernel, per source and per port
  bool launch = true;  // false: the caller polls worker() itself (tests, benchmarks)
};

// rte_eal_init, once per process; a second call returns true without doing anything.
bool start_eal(const std::vector<std::string>& args, std::string& error);

// The defaults for a machine without hugepages (lab notes): no PCI scan, no shared config.
std::vector<std::string> default_eal_args(unsigned main_lcore, unsigned worker_lcore, unsigned memory_mb);

class DpdkPlane final : public MediaPlane {
 public:
  static std::unique_ptr<DpdkPlane> create(const PlaneConfig& cfg, std::string& error);
  ~DpdkPlane() override;

  std::optional<std::uint16_t> port_of(const std::string& name) const override;
  std::int32_t reserve() override;
  bool install(std::int32_t slot, const FlowSpec& spec) override;
  bool modify(std::int32_t slot, const FlowSpec& spec) override;
  bool remove(std::int32_t slot) override;
  FlowCounters counters(std::int32_t slot) const override;
  std::size_t events(std::vector<FlowEvent>& out, std::size_t max) override;
  std::vector<PortStats> ports() const override;
  std::size_t flows() const override { return used_; }

  Worker& worker() { return *worker_; }
  unsigned pending_commands() const;  // queued, not yet taken by the worker
  std::uint16_t exception_port(std::uint16_t port) const;
  const std::array<std::uint8_t, 6>& mac(std::uint16_t port) const { return macs_[port]; }
  std::size_t table_bytes() const { return table_->bytes(); }
  std::uint64_t mbufs_in_use() const;
  std::uint32_t mbufs_total() const { return mbuf_total_; }
  // The worker's polls that found packets and those that found none (its busy ratio).
  std::uint64_t busy_polls() const;
  std::uint64_t idle_polls() const;

 private:
  DpdkPlane() = default;
  bool open_port(const PortConfig& pc, std::string& error);
  bool start_port(std::uint16_t id, std::string& error);
  bool command(Command::Op op, std::int32_t slot, const FlowSpec& spec);
  static int lcore_main(void* self);

  PlaneConfig cfg_;
  std::string suffix_;  // of the DPDK object names of this instance
  rte_mempool* pool_ = nullptr;
  std::uint32_t mbuf_total_ = 0;
  rte_ring* commands_ = nullptr;
  rte_ring* events_ = nullptr;
  std::unique_ptr<FlowTable> table_;
  std::unique_ptr<Worker> worker_;
  std::vector<WorkerPort> ports_;
  std::vector<std::string> names_;
  std::vector<std::uint16_t> started_;
  std::array<std::array<std::uint8_t, 6>, kMaxPorts> macs_{};
  std::vector<std::int32_t> free_;
  std::vector<bool> in_use_;
  std::size_t used_ = 0;
  std::atomic<bool> stop_{false};
  bool launched_ = false;
};

}  // namespace palisade::dataplane
