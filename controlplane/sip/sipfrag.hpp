// message/sipfrag (RFC 3420): the body of the NOTIFYs that report a REFER's progress
// (RFC 3515 §2.4.5). Usually just a status line, "SIP/2.0 100 Trying".
#pragma once

#include <string>
#include <string_view>

#include "message.hpp"

namespace palisade::sip {

// A fragment: a start line, then optionally headers and a body; no header is required.
Result<Message> parse_sipfrag(std::string_view body);
Result<Message> parse_sipfrag(std::string&& body) = delete;  // views would dangle
template <std::size_t N>
Result<Message> parse_sipfrag(const char (&literal)[N]) {
  return parse_sipfrag(std::string_view(literal, N - 1));
}

// "SIP/2.0 <code> <reason>\r\n", reason defaulting to the RFC 3261 phrase.
std::string build_sipfrag(int status_code, std::string_view reason = {});

}  // namespace palisade::sip
