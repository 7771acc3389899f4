// sbcd's answer to the ACLI's show commands: a mgmt::Status read off the live SIP stack,
// B2BUA and fast path when a command asks (nothing is kept up to date for it in between).
#pragma once

#include <chrono>
#include <string>

#include "config/model.hpp"
#include "daemon/clock.hpp"
#include "daemon/fast_path.hpp"
#include "daemon/sip_stack.hpp"
#include "mgmt/status.hpp"

namespace palisade::daemon {

class StatusReport final : public mgmt::StatusSource {
 public:
  StatusReport(const config::Config& running, std::string file, SipStack& stack, const FastPath* fast_path)
      : running_(running), file_(std::move(file)), stack_(stack), fast_path_(fast_path) {}
  mgmt::Status status() const override;
  const trace::CallTrace* call_trace() const override;
  std::string save_call_pcap(const trace::TracedCall& call, const std::string& path) const override;
  void call_answered(std::uint64_t setup_ms) { setup_.observe(static_cast<double>(setup_ms) / 1000.0); }
  void activated() { ++activations_; }

 private:
  const config::Config& running_;
  std::string file_;
  SipStack& stack_;
  const FastPath* fast_path_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  mgmt::Histogram setup_{{0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30}};
  std::uint64_t activations_ = 0;
};

}  // namespace palisade::daemon
