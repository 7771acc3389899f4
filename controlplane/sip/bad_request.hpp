// The answer to a request that does not parse: 400 with the parser's reason, built from the
// raw Via, From, To, Call-ID and CSeq fields, so the sender learns what was wrong (RFC 3261
// §8.2 / §21.4.1). When the message is not a request, is an ACK (never answered), or lacks a
// field a response must copy, there is nothing to answer and the caller drops it.
#pragma once

#include <optional>
#include <string_view>

#include "builder.hpp"
#include "result.hpp"

namespace palisade::sip {

std::optional<OutgoingMessage> bad_request_response(std::string_view datagram, const ParseError& why,
                                                    std::string_view to_tag);

}  // namespace palisade::sip
