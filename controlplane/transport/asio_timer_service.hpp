// TimerService on the io_context: one steady_timer per running timer.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <memory>
#include <unordered_map>

#include "transaction/transaction_layer.hpp"

namespace palisade::transport {

class AsioTimerService : public transaction::TimerService {
 public:
  explicit AsioTimerService(boost::asio::io_context& io) : io_(io) {}
  ~AsioTimerService() override {
    for (auto& [h, t] : timers_) t->cancel();
  }

  Handle start(transaction::Duration after, std::function<void()> fire) override {
    const Handle h = next_++;
    auto timer = std::make_unique<boost::asio::steady_timer>(io_, after);
    timer->async_wait([this, h, fire = std::move(fire)](const boost::system::error_code& ec) {
      if (ec) return;  // cancelled
      timers_.erase(h);
      fire();
    });
    timers_[h] = std::move(timer);
    return h;
  }

  void cancel(Handle h) override {
    if (auto it = timers_.find(h); it != timers_.end()) {
      it->second->cancel();
      timers_.erase(it);
    }
  }

  std::size_t running() const { return timers_.size(); }

 private:
  boost::asio::io_context& io_;
  Handle next_ = 1;
  std::unordered_map<Handle, std::unique_ptr<boost::asio::steady_timer>> timers_;
};

}  // namespace palisade::transport
