#include "method.hpp"

#include <array>

namespace palisade::sip {

namespace {
constexpr std::array<std::string_view, 15> kNames{
    "", "INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "REGISTER", "REFER", "NOTIFY", "SUBSCRIBE",
    "INFO", "UPDATE", "PRACK", "MESSAGE", "PUBLISH"};
}

Method method_from(std::string_view token) {
  for (std::size_t i = 1; i < kNames.size(); ++i)
    if (kNames[i] == token) return static_cast<Method>(i);
  return Method::Other;
}

std::string_view method_name(Method m) { return kNames[static_cast<std::size_t>(m)]; }

}  // namespace palisade::sip
