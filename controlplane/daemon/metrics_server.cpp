#include "daemon/metrics_server.hpp"

#include <prometheus/collectable.h>
#include <prometheus/exposer.h>

#include <boost/asio/post.hpp>

#include <future>
#include <stdexcept>

#include "daemon/log.hpp"
#include "metrics/families.hpp"

namespace palisade::daemon {

class MetricsServer::Snapshot : public prometheus::Collectable {
 public:
  Snapshot(boost::asio::io_context& io, const mgmt::StatusSource& status) : io_(io), status_(status) {}

  std::vector<prometheus::MetricFamily> Collect() const override {
    auto done = std::make_shared<std::promise<std::vector<prometheus::MetricFamily>>>();
    auto result = done->get_future();
    boost::asio::post(io_, [done, this] { done->set_value(metrics::families(status_.status())); });
    if (result.wait_for(kScrapeWait) != std::future_status::ready) return {};  // stopping, or too busy: no sample
    return result.get();
  }

 private:
  boost::asio::io_context& io_;
  const mgmt::StatusSource& status_;
};

MetricsServer::MetricsServer(boost::asio::io_context& io, const std::string& address, std::uint16_t port,
                             const mgmt::StatusSource& status)
    : snapshot_(std::make_shared<Snapshot>(io, status)) {
  const std::string where = (address.find(':') != std::string::npos ? "[" + address + "]" : address) + ":" + std::to_string(port);
  try {
    exposer_ = std::make_unique<prometheus::Exposer>(where, 1);
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot serve metrics on " + where + ": " + e.what());
  }
  exposer_->RegisterCollectable(snapshot_);
  log::notice("metrics", "Prometheus metrics on http://" + where + "/metrics");
}

MetricsServer::~MetricsServer() = default;

}  // namespace palisade::daemon
