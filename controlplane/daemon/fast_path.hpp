// The DPDK fast path inside sbcd: started from media-manager and the phy-interfaces before the
// sip-ports open (their addresses live on the ports' taps), its events read on the io_context,
// its counters logged when sbcd stops.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <memory>
#include <string>

#include "config/model.hpp"
#include "dpdk_plane.hpp"

namespace palisade::daemon {

class FastPath {
 public:
  // Null when media-manager is disabled. Throws std::runtime_error with the reason when DPDK,
  // a port or a tap cannot be set up.
  static std::unique_ptr<FastPath> start(boost::asio::io_context& io, const config::Config& cfg);
  ~FastPath();

  dataplane::MediaPlane& plane() { return *plane_; }
  std::string port_summary() const;  // one line per port: rx, tx, relayed, punted, drops

 private:
  explicit FastPath(boost::asio::io_context& io) : timer_(io) {}
  void poll_events();

  boost::asio::steady_timer timer_;
  std::unique_ptr<dataplane::DpdkPlane> plane_;
  std::vector<dataplane::FlowEvent> events_;
};

}  // namespace palisade::daemon
