#include "request_validator.hpp"

namespace palisade::sip {

namespace {

bool listed(const std::vector<std::string>& set, std::string_view v) {
  for (const auto& s : set)
    if (charset::iequals(s, v)) return true;
  return false;
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out.append(out.empty() ? "" : ", ").append(s);
  return out;
}

// Does an Accept header admit application/sdp? Wildcards count (§20.1).
bool accepts_sdp(const Message& m) {
  static constexpr charset::Table kRange = charset::make("-.!%*_+`'~", true);
  bool any_accept = false;
  for (const auto& h : m.headers()) {
    if (h.id != HeaderId::Accept) continue;
    any_accept = true;
    Scanner sc(h.value);
    do {
      sc.skip_lws();
      const auto type = sc.take_while(kRange);
      if (!sc.consume_sep('/')) break;
      const auto sub = sc.take_while(kRange);
      if ((type == "*" || charset::iequals(type, "application")) && (sub == "*" || charset::iequals(sub, "sdp")))
        return true;
      (void)parse_header_params(sc);
    } while (sc.consume_sep(','));
  }
  return !any_accept;  // no Accept means application/sdp (§20.1)
}

}  // namespace

std::optional<Rejection> validate_request(const Message& m, const ValidationPolicy& policy) {
  // 400: fields every request needs, and single-value fields given twice (§8.1.1, §20).
  struct Required { HeaderId id; const char* missing; };
  static constexpr Required kRequired[] = {
      {HeaderId::To, "Missing To"}, {HeaderId::From, "Missing From"},
      {HeaderId::CallId, "Missing Call-ID"}, {HeaderId::CSeq, "Missing CSeq"},
      {HeaderId::Via, "Missing Via"}};
  for (const auto& r : kRequired)
    if (m.count(r.id) == 0) return Rejection{400, r.missing, HeaderId::Other, {}};
  struct Single { HeaderId id; const char* reason; };
  static constexpr Single kSingle[] = {
      {HeaderId::To, "Multiple To"}, {HeaderId::From, "Multiple From"},
      {HeaderId::CallId, "Multiple Call-ID"}, {HeaderId::CSeq, "Multiple CSeq"},
      {HeaderId::MaxForwards, "Multiple Max-Forwards"}, {HeaderId::ContentType, "Multiple Content-Type"}};
  for (const auto& s : kSingle)
    if (m.count(s.id) > 1) return Rejection{400, s.reason, HeaderId::Other, {}};
  if (m.content_length_conflict()) return Rejection{400, "Conflicting Content-Length", HeaderId::Other, {}};

  // 483: §16.3 step 2; an SBC is not the final target, so OPTIONS is refused too.
  if (m.max_forwards() && *m.max_forwards() == 0 && m.method_id() != Method::Ack)
    return Rejection{483, "Too Many Hops", HeaderId::Other, {}};

  // 416: §8.2.2.1
  if (m.request_uri().kind == UriScheme::Other)
    return Rejection{416, "Unsupported URI Scheme", HeaderId::Other, {}};

  // 420: §8.2.2.3, Require and (acting as a proxy for the next hop) Proxy-Require.
  std::vector<std::string> unknown;
  for (HeaderId id : {HeaderId::Require, HeaderId::ProxyRequire})
    for (auto tag : m.tokens(id))
      if (!listed(policy.supported_extensions, tag) && !listed(unknown, tag)) unknown.emplace_back(tag);
  if (!unknown.empty() && m.method_id() != Method::Ack && m.method_id() != Method::Cancel)
    return Rejection{420, "Bad Extension", HeaderId::Unsupported, join(unknown)};

  // 415: §8.2.3
  if (!m.body().empty()) {
    auto ct = m.content_type();
    const std::string type = ct ? std::string(ct->type) + "/" + std::string(ct->subtype) : "";
    if (!ct || !listed(policy.accepted_content_types, type))
      return Rejection{415, "Unsupported Media Type", HeaderId::Accept, join(policy.accepted_content_types)};
  }

  // 406: the answer to an INVITE or UPDATE carries SDP; an Accept without it cannot be met.
  if ((m.method_id() == Method::Invite || m.method_id() == Method::Update) && !accepts_sdp(m))
    return Rejection{406, "Not Acceptable", HeaderId::Accept, "application/sdp"};

  return std::nullopt;
}

}  // namespace palisade::sip
