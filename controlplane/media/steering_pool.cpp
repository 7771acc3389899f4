#include "media/steering_pool.hpp"

namespace palisade::media {

SteeringPool::SteeringPool(std::string realm, std::string address, std::uint16_t start, std::uint16_t end)
    : realm_(std::move(realm)), address_(std::move(address)) {
  first_ = static_cast<std::uint16_t>(start + (start & 1));
  const std::uint32_t pairs = end > first_ ? (static_cast<std::uint32_t>(end) - first_ + 1) / 2 : 0;
  in_use_.assign(pairs, false);
  for (std::uint32_t i = 0; i < pairs; ++i) free_.push_back(i);  // the lowest ports first
}

std::optional<std::uint16_t> SteeringPool::allocate() {
  if (free_.empty()) return std::nullopt;
  const std::uint32_t i = free_.front();
  free_.pop_front();
  in_use_[i] = true;
  return static_cast<std::uint16_t>(first_ + 2 * i);
}

bool SteeringPool::release(std::uint16_t rtp_port) {
  if (rtp_port < first_ || (rtp_port - first_) % 2) return false;
  const std::uint32_t i = (rtp_port - first_) / 2u;
  if (i >= in_use_.size() || !in_use_[i]) return false;
  in_use_[i] = false;
  free_.push_back(i);
  return true;
}

}  // namespace palisade::media
