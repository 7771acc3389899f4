// SIP messages counted by method, direction and response class, for `show sipd` (and the
// metrics). Methods outside the known set count as "other", so the table stays bounded whatever
// a peer sends.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "mgmt/status.hpp"

namespace palisade::mgmt {

class SipTraffic {
 public:
  enum Direction { In = 0, Out = 1 };
  static constexpr std::array<std::string_view, 15> kMethods{
      "INVITE", "ACK",    "BYE",   "CANCEL", "OPTIONS", "REGISTER", "PRACK", "UPDATE",
      "INFO",   "REFER", "NOTIFY", "SUBSCRIBE", "MESSAGE", "PUBLISH", "other"};

  void request(Direction d, std::string_view method) { ++requests_[d][index(method)]; }
  void response(Direction d, std::string_view method, int status) {
    if (status >= 100 && status <= 699) ++responses_[d][index(method)][static_cast<std::size_t>(status / 100 - 1)];
  }
  // A message as it goes on the wire: its start line, and for a response its CSeq method.
  void wire(Direction d, std::string_view message);

  std::uint64_t requests(Direction d, std::string_view method) const { return requests_[d][index(method)]; }
  std::uint64_t responses(Direction d, std::string_view method, int cls) const {
    return responses_[d][index(method)][static_cast<std::size_t>(cls - 1)];
  }
  std::vector<MethodRow> rows() const;  // the methods that saw any traffic

  static std::size_t index(std::string_view method);

 private:
  std::array<std::array<std::uint64_t, kMethods.size()>, 2> requests_{};
  std::array<std::array<std::array<std::uint64_t, 6>, kMethods.size()>, 2> responses_{};
};

}  // namespace palisade::mgmt
