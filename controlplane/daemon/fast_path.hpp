// The DPDK fast path inside sbcd: started from media-manager and the phy-interfaces before the
// sip-ports open (their addresses live on the ports' taps), its events read on the io_context,
// its counters logged when sbcd stops.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <memory>
#include <string>

#include "b2bua/b2bua.hpp"
#include "config/model.hpp"
#include "dpdk_plane.hpp"
#include "media/media_manager.hpp"
#include "mgmt/status.hpp"
#include <set>

namespace palisade::daemon {

class FastPath {
 public:
  // Null when media-manager is disabled. Throws std::runtime_error with the reason when DPDK,
  // a port or a tap cannot be set up.
  static std::unique_ptr<FastPath> start(boost::asio::io_context& io, const config::Config& cfg);
  ~FastPath();

  dataplane::MediaPlane& plane() { return *plane_; }
  // Anchors the B2BUA's calls from now on: SDP through the MediaManager, media timeouts end calls.
  void attach(b2bua::B2bua& b2bua);
  media::MediaManager* media() { return media_.get(); }
  const media::MediaManager* media() const { return media_.get(); }
  std::string port_summary() const;  // one line per port: rx, tx, relayed, punted, drops
  // For `show mbcd` and `show interfaces`.
  void report(mgmt::Status& s) const;

 private:
  FastPath(boost::asio::io_context& io, const config::Config& cfg) : timer_(io), cfg_(cfg) {}
  void poll_events();
  std::optional<std::uint16_t> port_of_realm(const std::string& realm) const;
  std::optional<std::array<std::uint8_t, 6>> next_hop(std::uint16_t port, const std::string& ip) const;

  // A port's kernel side: its tap and the network-interface on it.
  struct PortKernel {
    std::uint16_t port = 0;
    std::string tap;
    config::NetworkInterface interface;  // a copy: a reload replaces the configuration's
  };

  boost::asio::steady_timer timer_;
  const config::Config& cfg_;
  std::vector<PortKernel> kernel_;
  std::unique_ptr<dataplane::DpdkPlane> plane_;
  std::unique_ptr<media::MediaManager> media_;
  std::vector<dataplane::FlowEvent> events_;
  std::set<std::int32_t> latched_;  // slots that latched and are not removed yet
};

}  // namespace palisade::daemon
