#include "header_id.hpp"

#include <array>

#include "charset.hpp"

namespace palisade::sip {

namespace {

struct Entry {
  HeaderId id;
  std::string_view name;
  char compact;  // '\0' when none
  bool list;
};

constexpr std::array<Entry, static_cast<std::size_t>(HeaderId::Count_)> kEntries{{
    {HeaderId::Other, "", '\0', false},
    {HeaderId::Accept, "Accept", '\0', true},
    {HeaderId::AcceptContact, "Accept-Contact", 'a', true},
    {HeaderId::AcceptEncoding, "Accept-Encoding", '\0', true},
    {HeaderId::AcceptLanguage, "Accept-Language", '\0', true},
    {HeaderId::AlertInfo, "Alert-Info", '\0', true},
    {HeaderId::Allow, "Allow", '\0', true},
    {HeaderId::AllowEvents, "Allow-Events", 'u', true},
    {HeaderId::Authorization, "Authorization", '\0', false},
    {HeaderId::CallId, "Call-ID", 'i', false},
    {HeaderId::CallInfo, "Call-Info", '\0', true},
    {HeaderId::Contact, "Contact", 'm', true},
    {HeaderId::ContentDisposition, "Content-Disposition", '\0', false},
    {HeaderId::ContentEncoding, "Content-Encoding", 'e', true},
    {HeaderId::ContentLanguage, "Content-Language", '\0', true},
    {HeaderId::ContentLength, "Content-Length", 'l', false},
    {HeaderId::ContentType, "Content-Type", 'c', false},
    {HeaderId::CSeq, "CSeq", '\0', false},
    {HeaderId::Date, "Date", '\0', false},
    {HeaderId::ErrorInfo, "Error-Info", '\0', true},
    {HeaderId::Event, "Event", 'o', false},
    {HeaderId::Expires, "Expires", '\0', false},
    {HeaderId::From, "From", 'f', false},
    {HeaderId::Identity, "Identity", 'y', false},
    {HeaderId::InReplyTo, "In-Reply-To", '\0', true},
    {HeaderId::MaxForwards, "Max-Forwards", '\0', false},
    {HeaderId::MimeVersion, "MIME-Version", '\0', false},
    {HeaderId::MinExpires, "Min-Expires", '\0', false},
    {HeaderId::MinSE, "Min-SE", '\0', false},
    {HeaderId::Organization, "Organization", '\0', false},
    {HeaderId::PAssertedIdentity, "P-Asserted-Identity", '\0', true},
    {HeaderId::PPreferredIdentity, "P-Preferred-Identity", '\0', true},
    {HeaderId::Priority, "Priority", '\0', false},
    {HeaderId::Privacy, "Privacy", '\0', false},
    {HeaderId::ProxyAuthenticate, "Proxy-Authenticate", '\0', false},
    {HeaderId::ProxyAuthorization, "Proxy-Authorization", '\0', false},
    {HeaderId::ProxyRequire, "Proxy-Require", '\0', true},
    {HeaderId::RAck, "RAck", '\0', false},
    {HeaderId::Reason, "Reason", '\0', true},
    {HeaderId::RecordRoute, "Record-Route", '\0', true},
    {HeaderId::ReferSub, "Refer-Sub", '\0', false},
    {HeaderId::ReferTo, "Refer-To", 'r', false},
    {HeaderId::ReferredBy, "Referred-By", 'b', false},
    {HeaderId::Replaces, "Replaces", '\0', false},
    {HeaderId::ReplyTo, "Reply-To", '\0', false},
    {HeaderId::Require, "Require", '\0', true},
    {HeaderId::RetryAfter, "Retry-After", '\0', false},
    {HeaderId::Route, "Route", '\0', true},
    {HeaderId::RSeq, "RSeq", '\0', false},
    {HeaderId::Server, "Server", '\0', false},
    {HeaderId::SessionExpires, "Session-Expires", 'x', false},
    {HeaderId::Subject, "Subject", 's', false},
    {HeaderId::SubscriptionState, "Subscription-State", '\0', false},
    {HeaderId::Supported, "Supported", 'k', true},
    {HeaderId::Timestamp, "Timestamp", '\0', false},
    {HeaderId::To, "To", 't', false},
    {HeaderId::Unsupported, "Unsupported", '\0', true},
    {HeaderId::UserAgent, "User-Agent", '\0', false},
    {HeaderId::Via, "Via", 'v', true},
    {HeaderId::Warning, "Warning", '\0', true},
    {HeaderId::WwwAuthenticate, "WWW-Authenticate", '\0', false},
}};

constexpr bool table_in_enum_order() {
  for (std::size_t i = 0; i < kEntries.size(); ++i)
    if (static_cast<std::size_t>(kEntries[i].id) != i) return false;
  return true;
}
static_assert(table_in_enum_order(), "kEntries must follow the HeaderId order");

// Compact forms indexed by lower-case letter.
constexpr std::array<HeaderId, 26> make_compact() {
  std::array<HeaderId, 26> t{};
  for (const auto& e : kEntries)
    if (e.compact) t[static_cast<std::size_t>(e.compact - 'a')] = e.id;
  return t;
}
constexpr auto kCompact = make_compact();


// Full names bucketed by lower-case first letter: a lookup compares against the two or three
// names that share the letter instead of scanning the table.
struct Bucket {
  std::array<std::uint8_t, 16> ids{};  // "R" holds 12 names today
  std::uint8_t size = 0;
};
constexpr std::array<Bucket, 26> make_buckets() {
  std::array<Bucket, 26> b{};
  for (std::size_t i = 1; i < kEntries.size(); ++i) {
    const char c = kEntries[i].name[0];
    auto& bucket = b[static_cast<std::size_t>((c >= 'A' && c <= 'Z' ? c + 32 : c) - 'a')];
    bucket.ids[bucket.size++] = static_cast<std::uint8_t>(i);
  }
  return b;
}
constexpr auto kBuckets = make_buckets();
}  // namespace

std::string_view canonical_name(HeaderId id) {
  return kEntries[static_cast<std::size_t>(id)].name;
}

bool is_list_header(HeaderId id) { return kEntries[static_cast<std::size_t>(id)].list; }

bool is_leg_specific(HeaderId id) {
  switch (id) {
    case HeaderId::Via: case HeaderId::Route: case HeaderId::RecordRoute: case HeaderId::Contact:
    case HeaderId::CallId: case HeaderId::From: case HeaderId::To: case HeaderId::CSeq:
    case HeaderId::MaxForwards: case HeaderId::ContentLength: case HeaderId::Replaces:
    case HeaderId::ReferTo: case HeaderId::ReferredBy: case HeaderId::RSeq: case HeaderId::RAck:
      return true;
    default:
      return false;
  }
}

HeaderId lookup_header(std::string_view name) {
  if (name.size() == 1) {
    const char c = charset::lower(name[0]);
    return (c >= 'a' && c <= 'z') ? kCompact[static_cast<std::size_t>(c - 'a')] : HeaderId::Other;
  }
  const char first = name.empty() ? '\0' : charset::lower(name[0]);
  if (first < 'a' || first > 'z') return HeaderId::Other;
  const Bucket& bucket = kBuckets[static_cast<std::size_t>(first - 'a')];
  for (std::size_t i = 0; i < bucket.size; ++i) {
    const auto& e = kEntries[bucket.ids[i]];
    if (e.name.size() == name.size() && charset::iequals(e.name, name)) return e.id;
  }
  return HeaderId::Other;
}

}  // namespace palisade::sip
