// Which header fields cross from one leg of a call to the other. Topology hiding holds by
// construction: every message the B2BUA sends is built from scratch, and only the fields
// listed here are copied from the message it relays. Via, Route, Record-Route, Contact,
// Call-ID, From/To tags, Max-Forwards, Content-Length and anything not listed (X- headers,
// Warning, Server, User-Agent, P- headers) never cross.
// docs/b2bua.md carries the same list.
#pragma once

#include "sip/header_id.hpp"

namespace palisade::b2bua {

// Copied as they are: they describe the session or the body, not the network.
bool relayed(sip::HeaderId id);

}  // namespace palisade::b2bua
