// Prometheus /metrics for sbcd: a prometheus-cpp exposer on system-config metrics-address and
// metrics-port. The exposer answers on its own HTTP thread, but every number is read on the
// io_context: a scrape posts the snapshot there and waits for it (at most kScrapeWait), so
// the control plane's state is never touched from another thread.
#pragma once

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <memory>
#include <string>

#include "mgmt/status.hpp"

namespace prometheus {
class Exposer;
}

namespace palisade::daemon {

class MetricsServer {
 public:
  static constexpr auto kScrapeWait = std::chrono::seconds(2);
  // Throws std::runtime_error naming the address when it cannot listen.
  MetricsServer(boost::asio::io_context& io, const std::string& address, std::uint16_t port,
                const mgmt::StatusSource& status);
  ~MetricsServer();

 private:
  class Snapshot;
  std::shared_ptr<Snapshot> snapshot_;
  std::unique_ptr<prometheus::Exposer> exposer_;
};

}  // namespace palisade::daemon
