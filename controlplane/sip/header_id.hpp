// The header fields Palisade knows by name, with their canonical spelling and compact forms
// (RFC 3261 §7.3.3 and the extensions' registrations).
#pragma once

#include <cstdint>
#include <string_view>

namespace palisade::sip {

enum class HeaderId : std::uint8_t {
  Other,  // any header Palisade does not interpret; kept and compared by name
  Accept, AcceptContact, AcceptEncoding, AcceptLanguage, AlertInfo, Allow, AllowEvents,
  Authorization, CallId, CallInfo, Contact, ContentDisposition, ContentEncoding,
  ContentLanguage, ContentLength, ContentType, CSeq, Date, ErrorInfo, Event, Expires, From,
  Identity, InReplyTo, MaxForwards, MimeVersion, MinExpires, MinSE, Organization, PAssertedIdentity,
  PPreferredIdentity, Priority, Privacy, ProxyAuthenticate, ProxyAuthorization, ProxyRequire,
  RAck, Reason, RecordRoute, ReferSub, ReferTo, ReferredBy, Replaces, ReplyTo, Require,
  RetryAfter, Route, RSeq, Server, SessionExpires, Subject, SubscriptionState, Supported,
  Timestamp, To, Unsupported, UserAgent, Via, Warning, WwwAuthenticate,
  Count_
};

// Canonical spelling, e.g. "Call-ID", "CSeq", "WWW-Authenticate". "" for Other.
std::string_view canonical_name(HeaderId id);

// Case-insensitive lookup of a full or compact name ("i" → CallId). Other when unknown.
HeaderId lookup_header(std::string_view name);

// Headers whose value may hold several comma-separated values (§7.3.1). Knowing this matters:
// splitting a Date or an Authorization at its commas would corrupt it.
bool is_list_header(HeaderId id);

// Headers that carry one hop's topology or one dialog's identity, or framing a sender writes
// itself (Via, Route, Record-Route, Contact, Call-ID, From, To, CSeq, Max-Forwards,
// Content-Length, Replaces, Refer-To, Referred-By, RSeq, RAck). A B2BUA builds these for each
// leg and never copies them across, whatever its configuration says.
bool is_leg_specific(HeaderId id);

}  // namespace palisade::sip
