#include "uri.hpp"

#include <arpa/inet.h>

#include <array>
#include <cstring>

namespace palisade::sip {

namespace {

bool is_ipv4(std::string_view h) {
  int parts = 0;
  std::size_t i = 0;
  while (i <= h.size()) {
    std::size_t digits = 0;
    unsigned v = 0;
    while (i < h.size() && charset::is_digit(h[i]) && digits < 4) {
      v = v * 10 + static_cast<unsigned>(h[i] - '0');
      ++i;
      ++digits;
    }
    if (digits == 0 || digits > 3 || v > 255) return false;
    ++parts;
    if (i == h.size()) break;
    if (h[i] != '.') return false;
    ++i;
  }
  return parts == 4;
}

// hostname = *( domainlabel "." ) toplabel [ "." ]; toplabel starts with a letter.
bool is_hostname(std::string_view h) {
  if (h.empty()) return false;
  if (h.back() == '.') h.remove_suffix(1);
  std::size_t label_start = 0;
  for (std::size_t i = 0; i <= h.size(); ++i) {
    if (i == h.size() || h[i] == '.') {
      const std::string_view label = h.substr(label_start, i - label_start);
      if (label.empty() || label.front() == '-' || label.back() == '-') return false;
      if (i == h.size() && !charset::is_alpha(label.front())) return false;
      label_start = i + 1;
    } else if (!charset::is_alpha(h[i]) && !charset::is_digit(h[i]) && h[i] != '-') {
      return false;
    }
  }
  return true;
}

bool is_ipv6_reference(std::string_view h) {
  if (h.size() < 4 || h.front() != '[' || h.back() != ']' || h.size() > 2 + 45) return false;
  std::array<char, 48> buf{};
  std::memcpy(buf.data(), h.data() + 1, h.size() - 2);
  in6_addr addr{};
  return inet_pton(AF_INET6, buf.data(), &addr) == 1;
}

bool stops_addr_spec(char c) { return c == ';' || c == ',' || c == '?' || charset::is_ws(c) || c == '\r'; }

Result<Uri> parse_sip_uri(Scanner& sc, UriContext ctx, Uri uri) {
  // userinfo = ( user / telephone-subscriber ) [ ":" password ] "@". Whether there is one is
  // known only on reaching '@', so look ahead over the characters a userinfo may hold.
  const std::size_t after_scheme = sc.pos();
  {
    std::size_t p = after_scheme;
    const std::string_view t = sc.text();
    while (p < t.size() && (charset::in(charset::kUser, t[p]) || t[p] == ':' || t[p] == '%')) {
      if (ctx == UriContext::AddrSpec && stops_addr_spec(t[p])) break;
      ++p;
    }
    if (p < t.size() && t[p] == '@') {
      auto user = sc.take_escaped(ctx == UriContext::AddrSpec ? charset::kPassword : charset::kUser);
      if (!user) return fail(Errc::BadUri, "invalid escape in URI user", sc.pos());
      if (user->empty()) return fail(Errc::BadUri, "empty URI user", sc.pos());
      uri.user = *user;
      if (sc.consume(':')) {
        auto pw = sc.take_escaped(charset::kPassword);
        if (!pw) return fail(Errc::BadUri, "invalid escape in URI password", sc.pos());
        uri.password = *pw;
      }
      if (!sc.consume('@')) return fail(Errc::BadUri, "invalid character in URI user", sc.pos());
    }
  }

  auto hp = parse_hostport(sc, false);
  if (!hp) return hp.error();
  uri.host = hp->host;
  uri.host_kind = hp->kind;
  uri.port = hp->port;
  if (ctx != UriContext::AddrSpec) {
    auto params = parse_uri_params(sc);
    if (!params) return params.error();
    uri.params = *params;
    if (sc.peek() == '?') {
      if (ctx == UriContext::RequestLine)
        return fail(Errc::BadRequestUri, "Request-URI must not carry URI headers", sc.pos());
      sc.consume('?');
      const std::size_t hs = sc.pos();
      do {
        auto name = sc.take_escaped(charset::kHeaderChar);
        if (!name || name->empty() || !sc.consume('='))
          return fail(Errc::BadUri, "invalid URI header", sc.pos());
        if (!sc.take_escaped(charset::kHeaderChar))
          return fail(Errc::BadUri, "invalid escape in URI header", sc.pos());
      } while (sc.consume('&'));
      uri.headers = sc.text().substr(hs, sc.pos() - hs);
    }
  } else if (sc.peek() == '?') {
    return fail(Errc::BadUri, "a URI with headers must be enclosed in <>", sc.pos());
  }
  return uri;
}

// telephone-subscriber, kept simple: global or local number with visual separators, then
// parameters (RFC 3966 §3).
Result<Uri> parse_tel_uri(Scanner& sc, Uri uri) {
  static constexpr charset::Table kTelDigits = charset::make("+-.()*#abcdefABCDEF0123456789", false);
  uri.user = sc.take_while(kTelDigits);
  if (uri.user.empty()) return fail(Errc::BadUri, "empty tel number", sc.pos());
  auto params = parse_uri_params(sc);
  if (!params) return params.error();
  uri.params = *params;
  return uri;
}

}  // namespace

HostKind classify_host(std::string_view host) {
  if (host.empty()) return HostKind::None;
  if (host.front() == '[') return is_ipv6_reference(host) ? HostKind::IPv6 : HostKind::None;
  if (is_ipv4(host)) return HostKind::IPv4;
  return is_hostname(host) ? HostKind::Name : HostKind::None;
}

Result<HostPort> parse_hostport(Scanner& sc, bool lws_around_colon) {
  HostPort hp;
  const std::size_t start = sc.pos();
  if (sc.peek() == '[') {
    sc.consume('[');
    sc.take_while(charset::kIpv6);
    if (!sc.consume(']')) return fail(Errc::BadUri, "unterminated IPv6 reference", sc.pos());
  } else {
    sc.take_while(charset::kHost);
  }
  hp.host = sc.text().substr(start, sc.pos() - start);
  hp.kind = classify_host(hp.host);
  if (hp.kind == HostKind::None) return fail(Errc::BadUri, "invalid host", start);
  if (lws_around_colon ? sc.consume_sep(':') : sc.consume(':')) {
    auto port = sc.number(65535);
    if (!port) return fail(Errc::BadUri, "invalid port", sc.pos());
    hp.port = static_cast<std::uint16_t>(*port);
  }
  return hp;
}

bool is_ip_address(std::string_view text) {
  if (text.find(':') == std::string_view::npos) return is_ipv4(text);
  if (!text.empty() && text.front() == '[') return is_ipv6_reference(text);
  if (text.size() > 45) return false;
  std::array<char, 48> buf{};
  std::memcpy(buf.data(), text.data(), text.size());
  in6_addr addr{};
  return inet_pton(AF_INET6, buf.data(), &addr) == 1;
}

Result<Uri> parse_uri(Scanner& sc, UriContext ctx) {
  Uri uri;
  const std::size_t start = sc.pos();
  if (!charset::is_alpha(sc.peek())) return fail(Errc::BadUri, "URI must start with a scheme", start);
  uri.scheme = sc.take_while(charset::kScheme);
  if (!sc.consume(':')) return fail(Errc::BadUri, "URI scheme not followed by ':'", sc.pos());

  Result<Uri> r = uri;
  if (charset::iequals(uri.scheme, "sip")) {
    uri.kind = UriScheme::Sip;
    r = parse_sip_uri(sc, ctx, uri);
  } else if (charset::iequals(uri.scheme, "sips")) {
    uri.kind = UriScheme::Sips;
    r = parse_sip_uri(sc, ctx, uri);
  } else if (charset::iequals(uri.scheme, "tel")) {
    uri.kind = UriScheme::Tel;
    r = parse_tel_uri(sc, uri);
  } else {
    // absoluteURI of an unknown scheme: opaque, up to what ends it in this context.
    const std::size_t os = sc.pos();
    while (!sc.eof()) {
      const char c = sc.peek();
      if (ctx == UriContext::AddrSpec && stops_addr_spec(c)) break;
      if (!charset::in(charset::kUric, c)) break;
      sc.consume(c);
    }
    uri.opaque = sc.text().substr(os, sc.pos() - os);
    if (uri.opaque.empty()) return fail(Errc::BadUri, "empty URI after scheme", sc.pos());
    r = uri;
  }
  if (r) r->raw = sc.text().substr(start, sc.pos() - start);
  return r;
}

Result<Uri> parse_uri(std::string_view text, UriContext ctx) {
  Scanner sc(text);
  auto r = parse_uri(sc, ctx);
  if (r && !sc.eof()) return fail(ctx == UriContext::RequestLine ? Errc::BadRequestUri : Errc::BadUri,
                                  "unexpected character in URI", sc.pos());
  return r;
}

std::optional<std::string> Uri::header(std::string_view name) const {
  std::size_t p = 0;
  while (p < headers.size()) {
    std::size_t amp = headers.find('&', p);
    if (amp == std::string_view::npos) amp = headers.size();
    const std::string_view pair = headers.substr(p, amp - p);
    const std::size_t eq = pair.find('=');
    if (eq != std::string_view::npos && charset::iequals(unescape(pair.substr(0, eq)), name))
      return unescape(pair.substr(eq + 1));
    p = amp + 1;
  }
  return std::nullopt;
}

}  // namespace palisade::sip
