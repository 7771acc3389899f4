#include "daemon/fast_path.hpp"

#include <arpa/inet.h>
#include <sched.h>

#include <sstream>
#include <stdexcept>

#include "daemon/log.hpp"
#include "kernel_interface.hpp"

namespace palisade::daemon {

namespace {
constexpr auto kEventPoll = std::chrono::milliseconds(10);
}  // namespace

std::unique_ptr<FastPath> FastPath::start(boost::asio::io_context& io, const config::Config& cfg) {
  const config::MediaManager& mm = cfg.media_manager;
  if (!mm.state) return nullptr;
  // EAL would refuse a missing core with a page of usage text: say which setting is wrong.
  cpu_set_t cpus;
  CPU_ZERO(&cpus);
  sched_getaffinity(0, sizeof cpus, &cpus);
  for (const auto& [name, core] : {std::pair{"main-lcore", mm.main_lcore}, std::pair{"worker-lcore", mm.worker_lcore}})
    if (core >= CPU_SETSIZE || !CPU_ISSET(core, &cpus))
      throw std::runtime_error(std::string("media-manager.") + name + " " + std::to_string(core) + ": sbcd may not run on that core (" +
                               std::to_string(CPU_COUNT(&cpus)) + " cores available)");
  std::unique_ptr<FastPath> fp(new FastPath(io, cfg));
  dataplane::PlaneConfig pc;
  pc.eal_args = dataplane::default_eal_args(mm.main_lcore, mm.worker_lcore, mm.memory_mb);
  std::istringstream extra(mm.eal_args);
  for (std::string w; extra >> w;) pc.eal_args.push_back(w);
  pc.max_flows = mm.max_flows;
  pc.mbufs = mm.mbufs;
  pc.exception_limits = {mm.max_source_signaling_packets, mm.max_signaling_packets};
  pc.worker_lcore = mm.worker_lcore;
  for (const auto& p : cfg.phy_interfaces) pc.ports.push_back({p.name, p.device, p.tap()});
  std::string error;
  if (!dataplane::start_eal(pc.eal_args, error)) throw std::runtime_error(error);
  fp->plane_ = dataplane::DpdkPlane::create(pc, error);
  if (!fp->plane_) throw std::runtime_error(error);
  // The taps exist now: give each its network-interface's address, so the sip-ports can bind.
  for (const auto& p : cfg.phy_interfaces)
    for (const auto& ni : cfg.network_interfaces)
      if (ni.name == p.name) {
        const unsigned len = dataplane::prefix_length(ni.netmask.empty() ? "255.255.255.255" : ni.netmask).value_or(32);
        if (!dataplane::set_interface_address(p.tap(), ni.ip_address, len, error)) throw std::runtime_error(error);
        fp->kernel_.push_back({*fp->plane_->port_of(p.name), p.tap(), ni});
        log::info("dataplane", "phy-interface " + p.name + " (" + p.device + ") on port " +
                                   std::to_string(*fp->plane_->port_of(p.name)) + ", " + ni.ip_address + "/" +
                                   std::to_string(len) + " on tap " + p.tap());
      }
  log::notice("dataplane", "fast path running on lcore " + std::to_string(mm.worker_lcore) + " with " +
                               std::to_string(cfg.phy_interfaces.size()) + " ports, room for " +
                               std::to_string(mm.max_flows) + " flows");
  fp->poll_events();
  return fp;
}

void FastPath::attach(b2bua::B2bua& b2bua) {
  media_ = std::make_unique<media::MediaManager>(
      cfg_, *plane_, [this](const std::string& realm) { return port_of_realm(realm); },
      [this](std::uint16_t port, const std::string& ip) { return next_hop(port, ip); });
  media_->on_log = [](std::string_view text) { log::info("media", text); };
  media_->on_media_timeout = [&b2bua](std::uint64_t call, const std::string& reason) {
    if (b2bua.end_call(call, reason)) log::notice("media", "call " + std::to_string(call) + " ended: " + reason);
  };
  b2bua.set_media(media_.get());
}

std::optional<std::uint16_t> FastPath::port_of_realm(const std::string& realm) const {
  // A realm's media leaves by the port of its (first) network-interface.
  for (const auto& r : cfg_.realms)
    if (r.identifier == realm && !r.network_interfaces.empty())
      for (const auto& k : kernel_)
        if (k.interface.name == r.network_interfaces[0]) return k.port;
  return std::nullopt;
}

std::optional<std::array<std::uint8_t, 6>> FastPath::next_hop(std::uint16_t port, const std::string& ip) const {
  // On the interface's own network the endpoint itself, else its gateway, as the kernel's ARP
  // table of the tap knows them. Unknown: the flow waits for latching to learn the MAC.
  for (const auto& k : kernel_) {
    if (k.port != port) continue;
    in_addr a{}, mine{}, mask{};
    if (inet_pton(AF_INET, ip.c_str(), &a) != 1 || inet_pton(AF_INET, k.interface.ip_address.c_str(), &mine) != 1) return std::nullopt;
    if (inet_pton(AF_INET, (k.interface.netmask.empty() ? "255.255.255.255" : k.interface.netmask).c_str(), &mask) != 1)
      return std::nullopt;
    const bool on_link = (a.s_addr & mask.s_addr) == (mine.s_addr & mask.s_addr);
    if (!on_link && k.interface.gateway.empty()) return std::nullopt;
    return dataplane::neighbour_mac(k.tap, on_link ? ip : k.interface.gateway);
  }
  return std::nullopt;
}

FastPath::~FastPath() {
  timer_.cancel();
  if (media_)
    log::notice("media", "stopping with " + std::to_string(media_->anchored_calls()) + " anchored calls, " +
                             std::to_string(media_->ports_in_use()) + " steering ports and " +
                             std::to_string(plane_->flows()) + " flows in use; " + std::to_string(media_->counters().anchored) +
                             " calls anchored, " + std::to_string(media_->counters().released) + " released, " +
                             std::to_string(media_->counters().refused) + " refused, " +
                             std::to_string(media_->counters().timeouts) + " media timeouts");
  media_.reset();
  if (plane_) log::notice("dataplane", "stopping; " + port_summary());
}

void FastPath::poll_events() {
  events_.clear();
  plane_->events(events_, 1024);
  if (media_) media_->on_events(events_);
  for (const auto& e : events_) {
    if (e.type == dataplane::FlowEvent::Type::Latched) latched_.insert(e.slot);
    if (e.type == dataplane::FlowEvent::Type::Removed) latched_.erase(e.slot);
    if (e.type == dataplane::FlowEvent::Type::Latched)
      log::info("dataplane", "flow " + std::to_string(e.slot) + " latched to " + dataplane::to_string(e.remote.ip) + ":" +
                                 std::to_string(e.remote.port));
    else if (e.type == dataplane::FlowEvent::Type::Idle)
      log::info("dataplane", "flow " + std::to_string(e.slot) + " idle (" + std::to_string(e.idle) + ")");
  }
  timer_.expires_after(kEventPoll);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) poll_events();
  });
}

std::string FastPath::port_summary() const {
  std::string out;
  for (const auto& p : plane_->ports()) {
    std::uint64_t drops = 0;
    std::string reasons;
    for (std::size_t r = 0; r < p.drops.size(); ++r)
      if (p.drops[r]) {
        drops += p.drops[r];
        reasons += std::string(reasons.empty() ? " (" : ", ") + dataplane::drop_reason_name(static_cast<dataplane::DropReason>(r)) +
                   "=" + std::to_string(p.drops[r]);
      }
    out += (out.empty() ? "" : "; ") + p.name + " rx=" + std::to_string(p.rx) + " tx=" + std::to_string(p.tx) +
           " relayed=" + std::to_string(p.relayed) + " punted=" + std::to_string(p.punted) +
           " from_kernel=" + std::to_string(p.from_kernel) + " dropped=" + std::to_string(drops) + (reasons.empty() ? "" : reasons + ")");
  }
  return out;
}

void FastPath::report(mgmt::Status& s) const {
  auto& m = s.media;
  m.enabled = true;
  m.flows_active = plane_->flows();
  m.flows_latched = latched_.size();
  m.flows_capacity = cfg_.media_manager.max_flows;
  s.mbufs_in_use = plane_->mbufs_in_use();
  s.mbufs_total = plane_->mbufs_total();
  s.worker_lcore = cfg_.media_manager.worker_lcore;
  s.worker_busy_polls = plane_->busy_polls();
  s.worker_idle_polls = plane_->idle_polls();
  if (media_) {
    m.streams_active = media_->anchored_calls();
    m.calls_ended_idle = media_->counters().timeouts;
    m.transfers_joined = media_->counters().joined;
    m.transfers_rehomed = media_->counters().rehomed;
    m.transfers_released = media_->counters().released_after_transfer;
    m.ports_free = media_->pairs_free();
  }
  std::array<std::uint64_t, static_cast<int>(dataplane::DropReason::Count)> drops{};
  for (const auto& p : plane_->ports()) {
    m.relayed_packets += p.relayed;
    std::uint64_t dropped = 0;
    for (std::size_t r = 0; r < p.drops.size(); ++r) drops[r] += p.drops[r], dropped += p.drops[r];
    std::string tap, device;
    for (const auto& phy : cfg_.phy_interfaces)
      if (phy.name == p.name) tap = phy.tap(), device = phy.device;
    mgmt::PortRow row{p.name, device, tap, p.link_up, p.rx, p.tx, p.punted, dropped, p.relayed, p.relayed_bytes, {}};
    for (std::size_t r = 0; r < p.drops.size(); ++r)
      row.drops.emplace_back(dataplane::drop_reason_name(static_cast<dataplane::DropReason>(r)), p.drops[r]);
    s.ports.push_back(std::move(row));
  }
  for (std::size_t r = 0; r < drops.size(); ++r)
    m.drops.emplace_back(dataplane::drop_reason_name(static_cast<dataplane::DropReason>(r)), drops[r]);
}

}  // namespace palisade::daemon
