// SIP, SIPS and tel URIs (RFC 3261 §19.1, RFC 3966), and other absolute URIs kept opaque.
// Every field is a view into the text that was parsed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "params.hpp"
#include "result.hpp"
#include "scanner.hpp"

namespace palisade::sip {

enum class UriScheme : std::uint8_t { Sip, Sips, Tel, Other };
enum class HostKind : std::uint8_t { None, Name, IPv4, IPv6 };

struct Uri {
  std::string_view raw;     // the whole URI
  std::string_view scheme;  // as written
  UriScheme kind = UriScheme::Other;
  std::string_view user;      // still escaped; for tel: the number
  std::string_view password;  // still escaped
  std::string_view host;      // IPv6 keeps its brackets
  HostKind host_kind = HostKind::None;
  std::optional<std::uint16_t> port;
  Params params{{}, Params::Kind::Uri};
  std::string_view headers;  // after '?', without it; still escaped
  std::string_view opaque;   // for UriScheme::Other: everything after "scheme:"

  bool is_sip() const { return kind == UriScheme::Sip || kind == UriScheme::Sips; }
  std::optional<std::string_view> param(std::string_view name) const { return params.get(name); }
  // Unescaped value of the URI header `name` (e.g. "Replaces" in a Refer-To URI).
  std::optional<std::string> header(std::string_view name) const;
};

// Where a URI stands decides where it ends and what it may hold.
enum class UriContext : std::uint8_t {
  RequestLine,  // the whole view; URI headers are not allowed (RFC 4475 §3.1.2.11)
  Bracketed,    // inside <...>: ends at '>'
  AddrSpec,     // a header value without <>: ends at ';' ',' or white space; '?' not allowed
};

Result<Uri> parse_uri(Scanner& sc, UriContext ctx);
// The whole of `text` must be one URI.
Result<Uri> parse_uri(std::string_view text, UriContext ctx = UriContext::Bracketed);

// host [":" port], as in a SIP URI and in Via's sent-by (RFC 3261 §25.1). Via allows white
// space around the colon (`lws_around_colon`); a URI does not. Errors are BadUri.
struct HostPort {
  std::string_view host;  // IPv6 keeps its brackets
  HostKind kind = HostKind::None;
  std::optional<std::uint16_t> port;
};
Result<HostPort> parse_hostport(Scanner& sc, bool lws_around_colon);

// Host validation shared with Via sent-by: returns the kind, or None when not a valid host.
HostKind classify_host(std::string_view host);

// An IPv4 address, or an IPv6 address with or without brackets (Via received, RFC 3261 §18.2.1).
bool is_ip_address(std::string_view text);

}  // namespace palisade::sip
