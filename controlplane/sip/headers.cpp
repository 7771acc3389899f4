#include "headers.hpp"

#include <array>

#include "limits.hpp"

namespace palisade::sip {

namespace {

constexpr std::uint32_t kUint32Max = 0xFFFFFFFFu;

// After a value: only LWS may remain.
Status expect_end(Scanner& sc, const char* what) {
  sc.skip_lws();
  if (!sc.eof()) return fail(Errc::BadHeaderValue, what, sc.pos());
  return Ok{};
}

// display-name = *(token LWS) / quoted-string, then LAQUOT addr-spec RAQUOT, or a bare addr-spec.
Result<NameAddr> name_addr(Scanner& sc) {
  NameAddr na;
  const std::size_t start = sc.pos();
  if (sc.peek() == '"') {
    auto q = sc.quoted_string();
    if (!q) return fail(Errc::BadHeaderValue, "unterminated quoted display name", start);
    na.display_name = *q;
    sc.skip_lws();
    if (sc.peek() != '<') return fail(Errc::BadHeaderValue, "display name not followed by <URI>", sc.pos());
  } else if (sc.peek() != '<') {
    // Tokens separated by LWS are a display name only if '<' follows them.
    std::size_t end = start;
    while (!sc.token().empty()) {
      end = sc.pos();
      sc.skip_lws();
    }
    if (sc.peek() == '<') {
      na.display_name = sc.text().substr(start, end - start);
    } else {
      sc.seek(start);
      auto uri = parse_uri(sc, UriContext::AddrSpec);
      if (!uri) return uri.error();
      na.uri = *uri;
    }
  }
  if (sc.peek() == '<') {
    sc.consume('<');
    // No white space inside the brackets (RFC 4475 §3.1.2.14).
    auto uri = parse_uri(sc, UriContext::Bracketed);
    if (!uri) return uri.error();
    na.uri = *uri;
    na.bracketed = true;
    if (!sc.consume('>')) return fail(Errc::BadHeaderValue, "URI not closed by '>'", sc.pos());
  }
  auto params = parse_header_params(sc);
  if (!params) return params.error();
  na.params = *params;
  return na;
}

Result<Via> via(Scanner& sc) {
  Via v;
  v.protocol_name = sc.token();
  if (v.protocol_name.empty() || !sc.consume_sep('/'))
    return fail(Errc::BadHeaderValue, "Via: malformed sent-protocol", sc.pos());
  v.protocol_version = sc.token();
  if (v.protocol_version.empty() || !sc.consume_sep('/'))
    return fail(Errc::BadHeaderValue, "Via: malformed sent-protocol", sc.pos());
  v.transport = sc.token();
  if (v.transport.empty()) return fail(Errc::BadHeaderValue, "Via: missing transport", sc.pos());
  if (!charset::iequals(v.protocol_name, "SIP") || v.protocol_version != "2.0")
    return fail(Errc::BadVersion, "Via: protocol is not SIP/2.0", sc.pos());
  if (!sc.skip_lws()) return fail(Errc::BadHeaderValue, "Via: missing space before sent-by", sc.pos());
  auto hp = parse_hostport(sc, true);
  if (!hp) return fail(Errc::BadHeaderValue, "Via: invalid sent-by host or port", hp.error().offset);
  v.host = hp->host;
  v.host_kind = hp->kind;
  v.port = hp->port;
  auto params = parse_header_params(sc);
  if (!params) return params.error();
  v.params = *params;
  // Parameters whose values other code relies on are checked here, in one pass.
  bool ok = true;
  v.params.for_each([&](const Param& p) {
    if (!p.has_value) return;
    if (charset::iequals(p.name, "ttl")) ok = ok && parse_uint(p.value, 255).ok();
    else if (charset::iequals(p.name, "rport")) ok = ok && parse_uint(p.value, 65535).ok();
    else if (charset::iequals(p.name, "received")) ok = ok && is_ip_address(p.value);
  });
  if (!ok) return fail(Errc::BadHeaderValue, "Via: ttl, rport or received out of range", sc.pos());
  return v;
}

// Calls `one(sc)` for each comma-separated element; `one` must consume exactly one element.
template <class F>
Status for_each_in_list(std::string_view value, const char* empty_reason, F&& one) {
  Scanner sc(value);
  std::size_t n = 0;
  do {
    sc.skip_lws();
    if (sc.eof() || sc.peek() == ',') return fail(Errc::BadHeaderValue, empty_reason, sc.pos());
    if (++n > kMaxListValues) return fail(Errc::BadHeaderValue, "too many values in one header field", sc.pos());
    Status s = one(sc);
    if (!s) return s;
  } while (sc.consume_sep(','));
  return expect_end(sc, "unexpected text after header value");
}

}  // namespace

bool Via::has_rfc3261_branch() const {
  auto b = branch();
  return b && b->size() >= 7 && b->substr(0, 7) == "z9hG4bK";
}

bool MediaType::is(std::string_view t, std::string_view s) const {
  return charset::iequals(type, t) && charset::iequals(subtype, s);
}

std::optional<std::uint32_t> SubscriptionStateHeader::expires() const {
  auto e = params.get("expires");
  if (!e) return std::nullopt;
  auto v = parse_uint(*e, kUint32Max);
  return v ? std::optional<std::uint32_t>(*v) : std::nullopt;
}

Result<NameAddr> parse_name_addr(std::string_view value) {
  Scanner sc(value);
  auto na = name_addr(sc);
  if (!na) return na;
  Status end = expect_end(sc, "unexpected text after address");
  if (!end) return end.error();
  return na;
}

Status parse_name_addr_list(std::string_view value, std::vector<NameAddr>* out) {
  return for_each_in_list(value, "empty address in list", [&](Scanner& sc) -> Status {
    auto na = name_addr(sc);
    if (!na) return na.error();
    if (out) out->push_back(*na);
    return Ok{};
  });
}

Status validate_route_list(std::string_view value) {
  return for_each_in_list(value, "empty address in list", [&](Scanner& sc) -> Status {
    const std::size_t at = sc.pos();
    auto na = name_addr(sc);
    if (!na) return na.error();
    if (!na->bracketed) return fail(Errc::BadHeaderValue, "Route/Record-Route entries must be <URI>", at);
    return Ok{};
  });
}

Result<ContactList> parse_contact(std::string_view value) {
  ContactList list;
  if (value == "*") {
    list.star = true;
    return list;
  }
  Status s = parse_name_addr_list(value, &list.contacts);
  if (!s) return s.error();
  return list;
}

Status validate_contact(std::string_view value) {
  if (value == "*") return Ok{};
  return parse_name_addr_list(value, nullptr);
}

Status parse_via_list(std::string_view value, std::vector<Via>* out) {
  return for_each_in_list(value, "Via: empty value", [&](Scanner& sc) -> Status {
    auto v = via(sc);
    if (!v) return v.error();
    if (out) out->push_back(*v);
    return Ok{};
  });
}

Result<std::size_t> validate_via_list(std::string_view value, Via* first) {
  std::size_t n = 0;
  Status s = for_each_in_list(value, "Via: empty value", [&](Scanner& sc) -> Status {
    auto v = via(sc);
    if (!v) return v.error();
    if (n++ == 0 && first) *first = *v;
    return Ok{};
  });
  if (!s) return s.error();
  return n;
}

Result<Via> parse_first_via(std::string_view value) {
  Scanner sc(value);
  auto v = via(sc);
  if (!v) return v;
  sc.skip_lws();
  if (!sc.eof() && sc.peek() != ',') return fail(Errc::BadHeaderValue, "Via: unexpected text", sc.pos());
  return v;
}

Result<CSeq> parse_cseq(std::string_view value) {
  Scanner sc(value);
  auto n = sc.number(kUint32Max);
  if (!n) return fail(Errc::BadHeaderValue, "CSeq: number missing or above 2^32-1", 0);
  if (!sc.skip_lws()) return fail(Errc::BadHeaderValue, "CSeq: no space before method", sc.pos());
  CSeq c;
  c.number = static_cast<std::uint32_t>(*n);
  c.method = sc.token();
  if (c.method.empty()) return fail(Errc::BadHeaderValue, "CSeq: missing method", sc.pos());
  Status end = expect_end(sc, "CSeq: unexpected text after method");
  if (!end) return end.error();
  return c;
}

Result<RAck> parse_rack(std::string_view value) {
  // RAck = response-num LWS CSeq-num LWS Method
  Scanner sc(value);
  RAck r;
  auto rseq = sc.number(kUint32Max);
  if (!rseq) return fail(Errc::BadHeaderValue, "RAck: response number missing or above 2^32-1", 0);
  if (!sc.skip_lws()) return fail(Errc::BadHeaderValue, "RAck: no space after response number", sc.pos());
  auto cseq = sc.number(kUint32Max);
  if (!cseq) return fail(Errc::BadHeaderValue, "RAck: CSeq number missing or above 2^32-1", sc.pos());
  if (!sc.skip_lws()) return fail(Errc::BadHeaderValue, "RAck: no space before method", sc.pos());
  r.rseq = static_cast<std::uint32_t>(*rseq);
  r.cseq = static_cast<std::uint32_t>(*cseq);
  r.method = sc.token();
  if (r.method.empty()) return fail(Errc::BadHeaderValue, "RAck: missing method", sc.pos());
  Status end = expect_end(sc, "RAck: unexpected text after method");
  if (!end) return end.error();
  return r;
}

Result<std::string_view> parse_call_id(std::string_view value) {
  // callid = word [ "@" word ]
  Scanner sc(value);
  if (sc.take_while(charset::kWord).empty()) return fail(Errc::BadHeaderValue, "Call-ID: empty", 0);
  if (sc.consume('@') && sc.take_while(charset::kWord).empty())
    return fail(Errc::BadHeaderValue, "Call-ID: empty word after '@'", sc.pos());
  if (!sc.eof()) return fail(Errc::BadHeaderValue, "Call-ID: invalid character", sc.pos());
  return value;
}

Result<std::uint32_t> parse_uint(std::string_view value, std::uint32_t max) {
  Scanner sc(value);
  auto n = sc.number(max);
  if (!n || !sc.eof()) return fail(Errc::BadHeaderValue, "not a decimal number in range", sc.pos());
  return static_cast<std::uint32_t>(*n);
}

Status parse_token_list(std::string_view value, std::vector<std::string_view>* out) {
  return for_each_in_list(value, "empty token in list", [&](Scanner& sc) -> Status {
    auto t = sc.token();
    if (t.empty()) return fail(Errc::BadHeaderValue, "invalid token in list", sc.pos());
    if (out) out->push_back(t);
    return Ok{};
  });
}

namespace {
Result<MediaType> media_type(Scanner& sc, bool allow_wildcard) {
  MediaType m;
  static constexpr charset::Table kRange = charset::make("-.!%*_+`'~", true);
  m.type = allow_wildcard ? sc.take_while(kRange) : sc.token();
  if (m.type.empty() || !sc.consume_sep('/')) return fail(Errc::BadHeaderValue, "media type: expected type/subtype", sc.pos());
  m.subtype = allow_wildcard ? sc.take_while(kRange) : sc.token();
  if (m.subtype.empty()) return fail(Errc::BadHeaderValue, "media type: missing subtype", sc.pos());
  auto p = parse_header_params(sc);
  if (!p) return p.error();
  m.params = *p;
  return m;
}
}  // namespace

Result<MediaType> parse_media_type(std::string_view value) {
  Scanner sc(value);
  auto m = media_type(sc, false);
  if (!m) return m;
  Status end = expect_end(sc, "Content-Type: unexpected text");
  if (!end) return end.error();
  return m;
}

Status validate_accept(std::string_view value) {
  if (value.empty()) return Ok{};  // an empty Accept means "no body acceptable" (§20.1)
  return for_each_in_list(value, "Accept: empty value", [&](Scanner& sc) -> Status {
    auto m = media_type(sc, true);
    if (!m) return m.error();
    return Ok{};
  });
}

Result<EventHeader> parse_event(std::string_view value) {
  static constexpr charset::Table kEvent = charset::make("-.!%*_+`'~", true);  // token-nodot + "."
  Scanner sc(value);
  EventHeader e;
  e.package = sc.take_while(kEvent);
  if (e.package.empty()) return fail(Errc::BadHeaderValue, "Event: missing event type", 0);
  auto p = parse_header_params(sc);
  if (!p) return p.error();
  e.params = *p;
  Status end = expect_end(sc, "Event: unexpected text");
  if (!end) return end.error();
  return e;
}

Result<SubscriptionStateHeader> parse_subscription_state(std::string_view value) {
  Scanner sc(value);
  SubscriptionStateHeader s;
  s.state = sc.token();
  if (s.state.empty()) return fail(Errc::BadHeaderValue, "Subscription-State: missing state", 0);
  auto p = parse_header_params(sc);
  if (!p) return p.error();
  s.params = *p;
  if (auto e = s.params.get("expires"); e && !parse_uint(*e, kUint32Max))
    return fail(Errc::BadHeaderValue, "Subscription-State: invalid expires", sc.pos());
  Status end = expect_end(sc, "Subscription-State: unexpected text");
  if (!end) return end.error();
  return s;
}

Result<Replaces> parse_replaces(std::string_view value) {
  Scanner sc(value);
  static constexpr charset::Table kCallId = charset::make("-.!%*_+`'~()<>:\\\"/[]?{}@", true);
  auto id = parse_call_id(sc.take_while(kCallId));
  if (!id) return fail(Errc::BadHeaderValue, "Replaces: invalid Call-ID", 0);
  auto p = parse_header_params(sc);
  if (!p) return p.error();
  Status end = expect_end(sc, "Replaces: unexpected text");
  if (!end) return end.error();
  auto to = p->get("to-tag");
  auto from = p->get("from-tag");
  if (!to || !from || to->empty() || from->empty())
    return fail(Errc::BadHeaderValue, "Replaces: to-tag and from-tag are required", sc.pos());
  return Replaces{std::string(*id), std::string(*to), std::string(*from), p->has("early-only")};
}

Result<bool> parse_refer_sub(std::string_view value) {
  Scanner sc(value);
  const auto v = sc.token();
  const bool t = charset::iequals(v, "true");
  if (!t && !charset::iequals(v, "false")) return fail(Errc::BadHeaderValue, "Refer-Sub: expected true or false", 0);
  auto p = parse_header_params(sc);
  if (!p) return p.error();
  Status end = expect_end(sc, "Refer-Sub: unexpected text");
  if (!end) return end.error();
  return t;
}

Status validate_retry_after(std::string_view value) {
  // Retry-After = delta-seconds [ comment ] *( SEMI retry-param )
  Scanner sc(value);
  if (!sc.number(kUint32Max)) return fail(Errc::BadHeaderValue, "Retry-After: delta-seconds missing or above 2^32-1", 0);
  sc.skip_lws();
  if (sc.consume('(')) {
    int depth = 1;
    while (!sc.eof() && depth > 0) {
      const char c = sc.peek();
      sc.consume(c);
      if (c == '\\') sc.consume(sc.peek());
      depth += (c == '(') - (c == ')');
    }
    if (depth) return fail(Errc::BadHeaderValue, "Retry-After: unterminated comment", sc.pos());
  }
  auto p = parse_header_params(sc);
  if (!p) return p.error();
  return expect_end(sc, "Retry-After: unexpected text");
}

Status validate_date(std::string_view value) {
  // rfc1123-date = wkday "," SP date1 SP time SP "GMT"; date1 = 2DIGIT SP month SP 4DIGIT
  static constexpr std::array<std::string_view, 7> kDays{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  static constexpr std::array<std::string_view, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  auto bad = [](std::size_t at) { return fail(Errc::BadHeaderValue, "Date: not an RFC 1123 date in GMT", at); };
  // "Sat, 15 Oct 2005 04:44:56 GMT" is exactly 29 octets
  if (value.size() != 29) return bad(0);
  auto one_of = [](std::string_view s, const auto& set) {
    for (auto x : set)
      if (s == x) return true;
    return false;
  };
  auto digits = [&](std::size_t at, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i)
      if (!charset::is_digit(value[at + i])) return false;
    return true;
  };
  if (!one_of(value.substr(0, 3), kDays) || value.substr(3, 2) != ", ") return bad(0);
  if (!digits(5, 2) || value[7] != ' ' || !one_of(value.substr(8, 3), kMonths) || value[11] != ' ') return bad(5);
  if (!digits(12, 4) || value[16] != ' ') return bad(12);
  if (!digits(17, 2) || value[19] != ':' || !digits(20, 2) || value[22] != ':' || !digits(23, 2)) return bad(17);
  if (value.substr(25) != " GMT") return bad(25);
  return Ok{};
}

std::optional<Result<Replaces>> embedded_replaces(const NameAddr& refer_to) {
  auto text = refer_to.uri.header("Replaces");
  if (!text) return std::nullopt;
  return parse_replaces(*text);
}

}  // namespace palisade::sip
