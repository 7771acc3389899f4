// SIP methods. Methods are case-sensitive tokens (RFC 3261 §7.1); unknown ones are Other.
#pragma once

#include <cstdint>
#include <string_view>

namespace palisade::sip {

enum class Method : std::uint8_t {
  Other, Invite, Ack, Bye, Cancel, Options, Register, Refer, Notify, Subscribe, Info, Update,
  Prack, Message, Publish
};

Method method_from(std::string_view token);
std::string_view method_name(Method m);  // "" for Other

}  // namespace palisade::sip
