// RequestValidator: what a UAS/B2BUA must refuse in a request that parsed (RFC 3261 §8.2 and
// RFC 4475 §3.3): missing or repeated mandatory fields (400), Max-Forwards exhausted (483),
// unsupported URI scheme (416), unknown required extensions (420), unknown body types (415),
// an Accept that rules out the answer the SBC would give (406). Pure: a verdict, no I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "header_id.hpp"
#include "message.hpp"

namespace palisade::sip {

struct ValidationPolicy {
  // Option tags Palisade implements (Require/Proxy-Require of anything else gets 420).
  std::vector<std::string> supported_extensions{"100rel", "replaces", "norefersub"};
  // Body types it reads (anything else gets 415).
  std::vector<std::string> accepted_content_types{"application/sdp", "multipart/mixed",
                                                  "message/sipfrag", "application/dtmf-relay"};
};

struct Rejection {
  int status_code = 400;
  std::string reason;                     // reason phrase, specific to the fault
  HeaderId header = HeaderId::Other;      // a header the response must carry (Unsupported, Accept)
  std::string header_value;
};

std::optional<Rejection> validate_request(const Message& request, const ValidationPolicy& policy = {});

}  // namespace palisade::sip
