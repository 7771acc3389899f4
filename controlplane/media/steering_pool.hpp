// A steering pool: the SBC's media ports on one address of one realm. RTP takes an even port and
// RTCP the odd one above it (RFC 3550 §11), so the pool hands out pairs by their even port.
// Pure: allocation and release in O(1), no I/O.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

namespace palisade::media {

class SteeringPool {
 public:
  // Ports [start, end]; the first pair starts at the first even port, the last ends at `end`.
  SteeringPool(std::string realm, std::string address, std::uint16_t start, std::uint16_t end);

  const std::string& realm() const { return realm_; }
  const std::string& address() const { return address_; }
  // The even (RTP) port of a free pair, or nullopt when the pool is exhausted.
  std::optional<std::uint16_t> allocate();
  // Gives a pair back; false when it is not one of this pool's pairs in use.
  bool release(std::uint16_t rtp_port);
  std::size_t capacity() const { return in_use_.size(); }
  std::size_t in_use() const { return capacity() - free_.size(); }

 private:
  std::string realm_, address_;
  std::uint16_t first_ = 0;              // even port of pair 0
  // Free pair indices, oldest first: a port just released is the last to be reused, so late
  // packets of an ended call do not land in a new one.
  std::deque<std::uint32_t> free_;
  std::vector<bool> in_use_;
};

}  // namespace palisade::media
