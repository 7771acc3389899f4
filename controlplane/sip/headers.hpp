// Typed values of the header fields a B2BUA reads, and their parsers (RFC 3261 §20 and §25,
// RFC 3515 Refer-To, RFC 3892 Referred-By, RFC 3891 Replaces, RFC 6665 Event and
// Subscription-State, RFC 4488 Refer-Sub). Values are views into the message buffer, except
// where unescaping forces a copy (Replaces taken out of a Refer-To URI).
//
// Each parser takes the trimmed header value; an error's offset is relative to that value.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "params.hpp"
#include "result.hpp"
#include "uri.hpp"

namespace palisade::sip {

// name-addr or addr-spec with header parameters: From, To, Contact, Route, Refer-To, ...
struct NameAddr {
  std::string_view display_name;  // as written; quoted names keep their quotes; "" when none
  Uri uri;
  bool bracketed = false;  // written as <uri>
  Params params;           // header parameters after the address
  std::optional<std::string_view> tag() const { return params.get("tag"); }
};

struct Via {
  std::string_view protocol_name;     // "SIP"
  std::string_view protocol_version;  // "2.0"
  std::string_view transport;         // "UDP", "TCP", "TLS", "SCTP", or an extension token
  std::string_view host;              // sent-by host; IPv6 with brackets
  HostKind host_kind = HostKind::None;
  std::optional<std::uint16_t> port;
  Params params;

  std::optional<std::string_view> branch() const { return params.get("branch"); }
  std::optional<std::string_view> received() const { return params.get("received"); }
  std::optional<std::string_view> rport() const { return params.get("rport"); }  // "" = flag only
  std::optional<std::string_view> maddr() const { return params.get("maddr"); }
  std::optional<std::string_view> ttl() const { return params.get("ttl"); }
  // RFC 3261 §8.1.1.7: the branch of a compliant element starts with this cookie.
  bool has_rfc3261_branch() const;
};

struct CSeq {
  std::uint32_t number = 0;
  std::string_view method;
};

// RAck (RFC 3262 §7.2): the reliable provisional response a PRACK acknowledges, named by its
// RSeq and the CSeq of the request it answered.
struct RAck {
  std::uint32_t rseq = 0;
  std::uint32_t cseq = 0;
  std::string_view method;
};

struct ContactList {
  bool star = false;  // "Contact: *" (REGISTER removing every binding)
  std::vector<NameAddr> contacts;
};

struct MediaType {
  std::string_view type;
  std::string_view subtype;
  Params params;
  bool is(std::string_view t, std::string_view s) const;
  std::optional<std::string_view> param(std::string_view n) const { return params.get(n); }
};

struct EventHeader {
  std::string_view package;  // "refer", "dialog", "presence.winfo" ...
  Params params;
  std::optional<std::string_view> id() const { return params.get("id"); }
};

struct SubscriptionStateHeader {
  std::string_view state;  // "active", "pending", "terminated" or an extension
  Params params;
  std::optional<std::uint32_t> expires() const;
  std::optional<std::string_view> reason() const { return params.get("reason"); }
};

// RFC 3891 Replaces. Owns its strings: it may come unescaped out of a Refer-To URI.
struct Replaces {
  std::string call_id;
  std::string to_tag;
  std::string from_tag;
  bool early_only = false;
};

Result<NameAddr> parse_name_addr(std::string_view value);  // exactly one
// Comma-separated name-addr/addr-spec list (Route, Record-Route, Contact); out may be null to
// validate only, without allocating.
Status parse_name_addr_list(std::string_view value, std::vector<NameAddr>* out);
// Route and Record-Route: a list of name-addr, each URI in <> (§25.1), checked without allocating.
Status validate_route_list(std::string_view value);
Result<ContactList> parse_contact(std::string_view value);
Status validate_contact(std::string_view value);
Status parse_via_list(std::string_view value, std::vector<Via>* out);
// Checks a Via field and returns how many via-parms it holds, without allocating; the first
// one is stored in `first` when given.
Result<std::size_t> validate_via_list(std::string_view value, Via* first = nullptr);
Result<Via> parse_first_via(std::string_view value);
Result<CSeq> parse_cseq(std::string_view value);
Result<std::string_view> parse_call_id(std::string_view value);
Result<RAck> parse_rack(std::string_view value);
// A decimal header value no larger than `max` (Max-Forwards, Content-Length, Expires, RSeq ...).
Result<std::uint32_t> parse_uint(std::string_view value, std::uint32_t max);
Status parse_token_list(std::string_view value, std::vector<std::string_view>* out);
Result<MediaType> parse_media_type(std::string_view value);
Status validate_accept(std::string_view value);
Result<EventHeader> parse_event(std::string_view value);
Result<SubscriptionStateHeader> parse_subscription_state(std::string_view value);
Result<Replaces> parse_replaces(std::string_view value);
Result<bool> parse_refer_sub(std::string_view value);
Status validate_retry_after(std::string_view value);
Status validate_date(std::string_view value);  // rfc1123-date, GMT only (§20.17)

// The Replaces embedded in a Refer-To URI as an escaped header (RFC 3891 §5), if any.
std::optional<Result<Replaces>> embedded_replaces(const NameAddr& refer_to);

}  // namespace palisade::sip
