// multipart/* bodies (RFC 2046 §5.1), as views into the message body.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "message.hpp"

namespace palisade::sip {

struct BodyPart {
  std::vector<HeaderField> headers;  // Content-Type etc.; empty means text/plain (RFC 2046)
  std::string_view body;
  std::optional<MediaType> content_type() const;
};

Result<std::vector<BodyPart>> parse_multipart(std::string_view body, std::string_view boundary);

// The body of type/subtype in a message: the body itself, or a part of a multipart body.
// Used to find the SDP of an INVITE that also carries other parts.
std::optional<std::string_view> find_body(const Message& m, std::string_view type, std::string_view subtype);

}  // namespace palisade::sip
