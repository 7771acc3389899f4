#include "dpdk_plane.hpp"

#include <rte_bus_vdev.h>
#include <rte_cycles.h>
#include <rte_dev.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_ring_elem.h>

#include <cstdio>

namespace palisade::dataplane {

namespace {

constexpr unsigned kCommandRing = 4096;
constexpr unsigned kEventRing = 16384;

std::string mac_text(const std::array<std::uint8_t, 6>& m) {
  char buf[18];
  std::snprintf(buf, sizeof buf, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
  return buf;
}

// "net_af_packet0,iface=veth0" -> hotplugged vdev "net_af_packet0" with "iface=veth0".
bool add_vdev(const std::string& devargs, std::string& name, std::string& error) {
  const auto comma = devargs.find(',');
  name = devargs.substr(0, comma);
  const std::string args = comma == std::string::npos ? "" : devargs.substr(comma + 1);
  if (rte_eal_hotplug_add("vdev", name.c_str(), args.c_str()) != 0) {
    error = "cannot create device '" + devargs + "' (driver missing, interface absent, or a bad argument)";
    return false;
  }
  return true;
}

}  // namespace

bool start_eal(const std::vector<std::string>& args, std::string& error) {
  static bool started = false;
  if (started) return true;
  std::vector<std::string> copy = args;
  copy.insert(copy.begin(), "palisade");
  std::vector<char*> argv;
  for (auto& a : copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  if (rte_eal_init(static_cast<int>(argv.size() - 1), argv.data()) < 0) {
    error = std::string("DPDK EAL did not start: ") + rte_strerror(rte_errno);
    return false;
  }
  started = true;
  return true;
}

std::vector<std::string> default_eal_args(unsigned main_lcore, unsigned worker_lcore, unsigned memory_mb) {
  const std::string lcores = main_lcore == worker_lcore ? std::to_string(main_lcore)
                                                        : std::to_string(main_lcore) + "," + std::to_string(worker_lcore);
  return {"--no-huge", "--no-pci", "--no-shconf", "--no-telemetry", "-m", std::to_string(memory_mb),
          "-l", lcores, "--main-lcore", std::to_string(main_lcore), "--log-level", "*:warning"};
}

std::unique_ptr<DpdkPlane> DpdkPlane::create(const PlaneConfig& cfg, std::string& error) {
  std::unique_ptr<DpdkPlane> p(new DpdkPlane);
  p->cfg_ = cfg;
  if (cfg.launch && (cfg.worker_lcore == rte_get_main_lcore() || !rte_lcore_is_enabled(cfg.worker_lcore))) {
    error = "worker lcore " + std::to_string(cfg.worker_lcore) + " is not an enabled lcore other than the main one (EAL -l)";
    return nullptr;
  }
  p->mbuf_total_ = cfg.mbufs;
  // Names are per instance: DPDK's are process-wide, and tests build more than one plane.
  static int instance = 0;
  p->suffix_ = std::to_string(instance++);
  p->pool_ = rte_pktmbuf_pool_create(("pal_mbufs" + p->suffix_).c_str(), cfg.mbufs, 256, 0, RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
  if (!p->pool_) {
    error = "cannot create a pool of " + std::to_string(cfg.mbufs) + " mbufs (about 2.3 KiB each; raise EAL -m): " +
            rte_strerror(rte_errno);
    return nullptr;
  }
  for (const PortConfig& pc : cfg.ports)
    if (!p->open_port(pc, error)) return nullptr;
  p->table_ = FlowTable::create("pal_flows" + p->suffix_, cfg.max_flows, SOCKET_ID_ANY, error);
  if (!p->table_) return nullptr;
  p->commands_ = rte_ring_create_elem(("pal_cmd" + p->suffix_).c_str(), sizeof(Command), kCommandRing, SOCKET_ID_ANY, RING_F_SP_ENQ | RING_F_SC_DEQ);
  p->events_ = rte_ring_create_elem(("pal_evt" + p->suffix_).c_str(), sizeof(FlowEvent), kEventRing, SOCKET_ID_ANY, RING_F_SP_ENQ | RING_F_SC_DEQ);
  if (!p->commands_ || !p->events_) {
    error = std::string("cannot create the worker's rings: ") + rte_strerror(rte_errno);
    return nullptr;
  }
  p->in_use_.assign(cfg.max_flows, false);
  for (std::int32_t s = static_cast<std::int32_t>(cfg.max_flows) - 1; s >= 0; --s) p->free_.push_back(s);
  p->worker_ = std::make_unique<Worker>(*p->table_, p->ports_, p->macs_, p->commands_, p->events_, rte_get_tsc_hz(),
                                       cfg.exception_limits);
  if (cfg.launch) {
    if (rte_eal_remote_launch(&DpdkPlane::lcore_main, p.get(), cfg.worker_lcore) != 0) {
      error = "cannot launch the worker on lcore " + std::to_string(cfg.worker_lcore);
      return nullptr;
    }
    p->launched_ = true;
  }
  return p;
}

int DpdkPlane::lcore_main(void* self) {
  auto* p = static_cast<DpdkPlane*>(self);
  p->worker_->run(p->stop_);
  return 0;
}

DpdkPlane::~DpdkPlane() {
  stop_.store(true);
  if (launched_) rte_eal_wait_lcore(cfg_.worker_lcore);
  for (std::uint16_t id : started_) {
    rte_eth_dev_stop(id);
    rte_eth_dev_close(id);
  }
  worker_.reset();
  table_.reset();
  if (commands_) rte_ring_free(commands_);
  if (events_) rte_ring_free(events_);
  if (pool_) rte_mempool_free(pool_);  // every port that held its mbufs is closed
}

bool DpdkPlane::start_port(std::uint16_t id, std::string& error) {
  rte_eth_conf conf{};
  if (rte_eth_dev_configure(id, 1, 1, &conf) != 0 ||
      rte_eth_rx_queue_setup(id, 0, cfg_.descriptors, rte_eth_dev_socket_id(id), nullptr, pool_) != 0 ||
      rte_eth_tx_queue_setup(id, 0, cfg_.descriptors, rte_eth_dev_socket_id(id), nullptr) != 0) {
    error = "cannot set up queues of port " + std::to_string(id);
    return false;
  }
  if (rte_eth_dev_start(id) != 0) {
    error = "cannot start port " + std::to_string(id);
    return false;
  }
  started_.push_back(id);
  rte_eth_promiscuous_enable(id);  // refused by some vdevs; the exception path needs broadcasts only
  return true;
}

bool DpdkPlane::open_port(const PortConfig& pc, std::string& error) {
  std::string dev = pc.name;
  if (!pc.device.empty() && !add_vdev(pc.device, dev, error)) return false;
  std::uint16_t id = 0;
  if (rte_eth_dev_get_port_by_name(dev.c_str(), &id) != 0) {
    error = "phy-interface " + pc.name + ": no DPDK port named '" + dev + "'";
    return false;
  }
  if (id >= kMaxPorts) {
    error = "phy-interface " + pc.name + ": port id beyond " + std::to_string(kMaxPorts);
    return false;
  }
  rte_ether_addr mac{};
  rte_eth_macaddr_get(id, &mac);
  std::copy(std::begin(mac.addr_bytes), std::end(mac.addr_bytes), macs_[id].begin());
  if (!start_port(id, error)) return false;
  WorkerPort wp{id, kNoPort};
  if (!pc.exception.empty()) {
    // vdev devargs ("net_pcap9,..."), a port DPDK already has (tests), or else the name of a
    // tap to create. A tap takes the port's MAC, so what the kernel sends (ARP replies) names
    // the port.
    std::uint16_t eid = 0;
    std::string exc = pc.exception;
    if (pc.exception.rfind("net_", 0) == 0) {
      if (!add_vdev(pc.exception, exc, error)) return false;
    } else if (rte_eth_dev_get_port_by_name(exc.c_str(), &eid) != 0) {
      if (!add_vdev("net_tap_" + pc.name + ",iface=" + pc.exception + ",mac=" + mac_text(macs_[id]), exc, error)) return false;
    }
    if (rte_eth_dev_get_port_by_name(exc.c_str(), &eid) != 0 || eid >= kMaxPorts) {
      error = "phy-interface " + pc.name + ": exception device '" + exc + "' has no port";
      return false;
    }
    rte_eth_macaddr_get(eid, &mac);
    std::copy(std::begin(mac.addr_bytes), std::end(mac.addr_bytes), macs_[eid].begin());
    if (!start_port(eid, error)) return false;
    wp.exception = eid;
  }
  ports_.push_back(wp);
  names_.push_back(pc.name);
  return true;
}

std::optional<std::uint16_t> DpdkPlane::port_of(const std::string& name) const {
  for (std::size_t i = 0; i < names_.size(); ++i)
    if (names_[i] == name) return ports_[i].id;
  return std::nullopt;
}

std::uint16_t DpdkPlane::exception_port(std::uint16_t port) const {
  for (const auto& p : ports_)
    if (p.id == port) return p.exception;
  return kNoPort;
}

std::int32_t DpdkPlane::reserve() {
  if (free_.empty()) return -1;
  const std::int32_t s = free_.back();
  free_.pop_back();
  in_use_[s] = true;
  ++used_;
  return s;
}

bool DpdkPlane::command(Command::Op op, std::int32_t slot, const FlowSpec& spec) {
  if (slot < 0 || static_cast<std::uint32_t>(slot) >= cfg_.max_flows || !in_use_[slot]) return false;
  Command c;
  c.op = op;
  c.slot = slot;
  c.spec = spec;
  return rte_ring_enqueue_elem(commands_, &c, sizeof c) == 0;
}

bool DpdkPlane::install(std::int32_t slot, const FlowSpec& spec) { return command(Command::Op::Install, slot, spec); }
bool DpdkPlane::modify(std::int32_t slot, const FlowSpec& spec) { return command(Command::Op::Modify, slot, spec); }

bool DpdkPlane::remove(std::int32_t slot) {
  if (!command(Command::Op::Remove, slot, {})) return false;
  // Safe to hand out again at once: the ring is FIFO, so the worker removes before it installs.
  in_use_[slot] = false;
  free_.push_back(slot);
  --used_;
  return true;
}

FlowCounters DpdkPlane::counters(std::int32_t slot) const {
  if (slot < 0 || static_cast<std::uint32_t>(slot) >= cfg_.max_flows) return {};
  const FlowEntry& e = table_->entry(slot);
  return {e.packets.get(), e.bytes.get(), e.wrong_source.get(), __atomic_load_n(&e.latched, __ATOMIC_RELAXED)};
}

std::size_t DpdkPlane::events(std::vector<FlowEvent>& out, std::size_t max) {
  std::size_t n = 0;
  FlowEvent e;
  while (n < max && rte_ring_dequeue_elem(events_, &e, sizeof e) == 0) {
    out.push_back(e);
    ++n;
  }
  return n;
}

std::vector<PortStats> DpdkPlane::ports() const {
  std::vector<PortStats> out;
  for (std::size_t i = 0; i < ports_.size(); ++i) {
    const PortCounters& c = worker_->counters(ports_[i].id);
    PortStats s;
    s.name = names_[i];
    s.id = ports_[i].id;
    s.rx = c.rx.get();
    s.tx = c.tx.get();
    s.relayed = c.relayed.get();
    s.relayed_bytes = c.relayed_bytes.get();
    s.punted = c.punted.get();
    s.from_kernel = c.from_kernel.get();
    rte_eth_link link{};
    s.link_up = rte_eth_link_get_nowait(ports_[i].id, &link) == 0 && link.link_status == RTE_ETH_LINK_UP;
    for (std::size_t r = 0; r < s.drops.size(); ++r) s.drops[r] = c.drops[r].get();
    // What the tap could not take counts against the port it came from.
    if (ports_[i].exception != kNoPort)
      s.drops[static_cast<int>(DropReason::TxFull)] += worker_->counters(ports_[i].exception).drops[static_cast<int>(DropReason::TxFull)].get();
    out.push_back(std::move(s));
  }
  return out;
}

unsigned DpdkPlane::pending_commands() const { return rte_ring_count(commands_); }

std::uint64_t DpdkPlane::busy_polls() const { return worker_->busy_polls(); }
std::uint64_t DpdkPlane::idle_polls() const { return worker_->idle_polls(); }

std::uint64_t DpdkPlane::mbufs_in_use() const { return rte_mempool_in_use_count(pool_); }

}  // namespace palisade::dataplane
