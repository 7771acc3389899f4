// What the SBC does with a REFER (pure: decisions and texts, no I/O).
//
// refer-call-transfer on the REFER's sender decides: the session agent's value when the sender
// is a configured session agent, else the value of the realm it came from. `dynamic` defers to
// the egress realm (the realm the REFER would be proxied into): its dyn-refer-term says
// terminate. A Refer-To the SBC cannot carry out as an INVITE is never terminated.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "config/model.hpp"
#include "sip/headers.hpp"

namespace palisade::refer {

enum class ReferAction { Proxy, Terminate };

struct ReferDecision {
  ReferAction action = ReferAction::Proxy;
  std::string why;  // for the log: which setting decided
};

struct ReferContext {
  std::string ingress_realm;       // where the REFER came from (the transferor's realm)
  std::string egress_realm;        // the other leg's realm (the transferee's)
  std::string sender_agent;        // the session agent that sent it, or empty
};

ReferDecision decide_refer(const config::Config& cfg, const ReferContext& ctx);

// A Refer-To the SBC can perform: a SIP or SIPS URI, method INVITE (or none), and no embedded
// header other than Replaces.
struct ReferTarget {
  bool performable = false;
  std::string why;                       // when not performable
  std::string user;                      // unescaped user part of the target
  std::optional<sip::Replaces> replaces; // attended transfer
};
ReferTarget analyze_refer_to(const sip::NameAddr& refer_to);

// A Replaces header value (RFC 3891): call-id;to-tag=..;from-tag=..[;early-only].
std::string replaces_value(const sip::Replaces& r);
// `value` escaped for a URI header (RFC 3261 §25.1 hvalue): what a Refer-To carries after
// "?Replaces=".
std::string escape_uri_header(std::string_view value);

// The message/sipfrag body of a NOTIFY reporting a transfer's progress (RFC 3515 §2.4.5).
std::string sipfrag_status(int code, std::string_view reason);

// The transferee's media offered to the target: its last SDP with every stream made
// sendrecv again (a transferee is usually on hold while the transferor refers it, and offering
// the hold would leave both new parties on hold). Text that is not SDP is returned unchanged.
std::string resumed_offer(std::string_view sdp);

// Whether two SDPs send media to the same places (every stream's connection address and
// port), so that a party moved from one to the other need not be told (no re-INVITE).
// False when either does not parse.
bool same_media_destination(std::string_view a, std::string_view b);

// Whether two SDPs ask for the same direction (sendrecv, sendonly, ...) on every stream: a
// party whose media the SBC anchors and whose new far end answers as the old one sent need not
// be told of the change. False when either does not parse.
bool same_direction(std::string_view a, std::string_view b);

// `sdp` re-issued under the origin (o= line) a leg has already seen, with the version one
// higher, so the leg reads it as a change of its session (RFC 3264 §8), not a new one.
std::string under_origin(std::string_view sdp, std::string_view previous_sdp);

}  // namespace palisade::refer
