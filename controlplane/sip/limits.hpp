// Bounds on what the parser accepts. Every bound is a named constant so that memory use per
// message is known in advance and hostile input cannot make the parser allocate without limit.
// Documented in docs/sip-parser.md.
#pragma once

#include <cstddef>

namespace palisade::sip {

// Largest message accepted: the largest UDP payload. TCP framing uses the same bound.
inline constexpr std::size_t kMaxMessageSize = 65535;
// Header fields (physical field lines, not comma-separated values) per message.
inline constexpr std::size_t kMaxHeaderFields = 128;
// One logical header field, folded continuation lines included.
inline constexpr std::size_t kMaxLineLength = 8192;
// Values of one comma-separated header (Via, Contact, Route ...) turned into a list.
inline constexpr std::size_t kMaxListValues = 64;
// Parts of a multipart body.
inline constexpr std::size_t kMaxBodyParts = 16;
// SDP: lines per description and media descriptions per session.
inline constexpr std::size_t kMaxSdpLines = 512;
inline constexpr std::size_t kMaxSdpMedia = 16;

}  // namespace palisade::sip
