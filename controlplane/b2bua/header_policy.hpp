// Which header fields cross from one leg of a call to the other. Topology hiding holds by
// construction: every message the B2BUA sends is built from scratch, and only the fields
// listed here are copied from the message it relays. Via, Route, Record-Route, Contact,
// Call-ID, From/To tags, Max-Forwards, Content-Length and anything not listed (X- headers,
// Warning, Server, User-Agent, P- headers) never cross.
// docs/b2bua.md carries the same list.
#pragma once

#include <string>
#include <vector>

#include "sip/message.hpp"

namespace palisade::b2bua {

// Copied as they are: they describe the session or the body, not the network.
bool relayed(sip::HeaderId id);

// The fixed list, or a header the egress realm's relay-headers names (never a leg-specific one,
// sip::is_leg_specific).
bool relayed_into(const sip::HeaderField& h, const std::vector<std::string>& realm_relay_headers);

}  // namespace palisade::b2bua
