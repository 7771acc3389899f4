#include "message.hpp"

#include <cstring>

#include "limits.hpp"

namespace palisade::sip {

namespace {

constexpr std::uint32_t kUint32Max = 0xFFFFFFFFu;

// SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT; "SIP" is case-insensitive (§7.1).
bool version_syntax(std::string_view v) {
  if (v.size() < 7 || !charset::iequals(v.substr(0, 4), "SIP/")) return false;
  std::size_t i = 4, d = 0;
  while (i < v.size() && charset::is_digit(v[i])) ++i, ++d;
  if (!d || i >= v.size() || v[i] != '.') return false;
  ++i;
  d = 0;
  while (i < v.size() && charset::is_digit(v[i])) ++i, ++d;
  return d && i == v.size();
}
bool is_sip20(std::string_view v) { return v.size() == 7 && v.substr(4) == "2.0"; }

// Header lists may legally be empty for these (Supported:, Allow:, Accept:).
bool may_be_empty(HeaderId id) {
  switch (id) {
    case HeaderId::Supported: case HeaderId::Allow: case HeaderId::Accept:
    case HeaderId::Unsupported: case HeaderId::Subject: case HeaderId::Organization:
    case HeaderId::AcceptEncoding: case HeaderId::AcceptLanguage: case HeaderId::Other:
      return true;
    default:
      return false;
  }
}

}  // namespace

class MessageParser {
 public:
  MessageParser(std::string_view buf, ParseOptions opt) : buf_(buf), opt_(opt) {}

  Result<Message> run() {
    if (!opt_.stream && buf_.size() > kMaxMessageSize)
      return fail(Errc::TooLarge, "message larger than the maximum size", kMaxMessageSize);
    std::size_t pos = 0;
    while (buf_.substr(pos, 2) == "\r\n") pos += 2;  // §7.5: ignore CRLFs before a start line
    if (pos >= buf_.size()) return fail(Errc::Empty, "no message", pos);
    const std::size_t msg_start = pos;

    std::size_t eol = buf_.find("\r\n", pos);
    if (eol == std::string_view::npos) {
      if (!opt_.fragment) return fail(Errc::Incomplete, "start line not terminated by CRLF", buf_.size());
      eol = buf_.size();
    }
    if (Status s = start_line(buf_.substr(pos, eol - pos), pos); !s) return s.error();
    pos = std::min(eol + 2, buf_.size());

    m_.headers_.reserve(24);
    std::size_t body_start = buf_.size();
    for (;;) {
      if (pos >= buf_.size()) {
        if (!opt_.fragment) return fail(Errc::Incomplete, "header section not terminated by an empty line", pos);
        break;
      }
      if (opt_.stream && pos - msg_start > kMaxMessageSize)
        return fail(Errc::TooLarge, "header section larger than the maximum message size", pos);
      if (buf_.compare(pos, 2, "\r\n") == 0) {
        body_start = pos + 2;
        break;
      }
      if (charset::is_ws(buf_[pos]))
        return fail(Errc::BadHeaderName, "continuation line without a header field", pos);
      std::size_t end = buf_.find("\r\n", pos);
      while (end != std::string_view::npos && end + 2 < buf_.size() && charset::is_ws(buf_[end + 2]))
        end = buf_.find("\r\n", end + 2);
      if (end == std::string_view::npos) {
        if (!opt_.fragment) return fail(Errc::Incomplete, "header field not terminated by CRLF", buf_.size());
        end = buf_.size();
      }
      if (end - pos > kMaxLineLength) return fail(Errc::LineTooLong, "header field longer than the line limit", pos);
      if (m_.headers_.size() >= kMaxHeaderFields)
        return fail(Errc::TooManyHeaders, "more header fields than the limit", pos);
      if (Status s = header_line(buf_.substr(pos, end - pos), pos); !s) return s.error();
      pos = std::min(end + 2, buf_.size());
    }

    if (m_.is_request() && m_.cseq_ && m_.cseq_->method != m_.method_ && !opt_.fragment)
      return fail(Errc::CSeqMismatch, "CSeq method does not match the request method", cseq_offset_);
    if (Status s = frame(body_start); !s) return s.error();
    m_.raw_ = buf_.substr(msg_start, m_.consumed_ - msg_start);
    return std::move(m_);
  }

 private:
  Status start_line(std::string_view line, std::size_t off) {
    if (line.size() >= 4 && charset::iequals(line.substr(0, 4), "SIP/")) return status_line(line, off);
    const std::size_t sp1 = line.find(' ');
    if (sp1 == std::string_view::npos) return fail(Errc::BadStartLine, "Request-Line without Request-URI", off + line.size());
    m_.method_ = line.substr(0, sp1);
    Scanner ms(m_.method_);
    if (m_.method_.empty() || ms.token().size() != m_.method_.size())
      return fail(Errc::BadMethod, "method is not a token", off);
    const std::size_t sp2 = line.find(' ', sp1 + 1);
    if (sp2 == std::string_view::npos) return fail(Errc::BadStartLine, "Request-Line without SIP-Version", off + line.size());
    const std::string_view uri = line.substr(sp1 + 1, sp2 - sp1 - 1);
    if (uri.empty()) return fail(Errc::BadStartLine, "more than one SP between Request-Line elements", off + sp2);
    m_.version_ = line.substr(sp2 + 1);
    if (!version_syntax(m_.version_))
      return fail(Errc::BadStartLine, "malformed SIP-Version (white space in the Request-Line?)", off + sp2 + 1);
    if (!is_sip20(m_.version_)) return fail(Errc::BadVersion, "SIP version is not 2.0", off + sp2 + 1);
    auto u = parse_uri(uri, UriContext::RequestLine);
    if (!u) {
      ParseError e = rebase(u.error(), uri.data(), buf_.data());
      e.code = Errc::BadRequestUri;
      return e;
    }
    m_.request_uri_ = *u;
    m_.method_id_ = method_from(m_.method_);
    return Ok{};
  }

  Status status_line(std::string_view line, std::size_t off) {
    const std::size_t sp1 = line.find(' ');
    m_.version_ = line.substr(0, sp1);
    if (!version_syntax(m_.version_)) return fail(Errc::BadStartLine, "malformed SIP-Version", off);
    if (!is_sip20(m_.version_)) return fail(Errc::BadVersion, "SIP version is not 2.0", off);
    if (sp1 == std::string_view::npos) return fail(Errc::BadStartLine, "Status-Line without a status code", off + line.size());
    const std::string_view rest = line.substr(sp1 + 1);
    // Status-Code = 3DIGIT, 100-699 (§7.2; RFC 4475 §3.1.2.19)
    if (rest.size() < 3 || !charset::is_digit(rest[0]) || !charset::is_digit(rest[1]) ||
        !charset::is_digit(rest[2]) || (rest.size() > 3 && rest[3] != ' '))
      return fail(Errc::BadStatusCode, "status code is not three digits", off + sp1 + 1);
    m_.status_code_ = (rest[0] - '0') * 100 + (rest[1] - '0') * 10 + (rest[2] - '0');
    if (m_.status_code_ < 100 || m_.status_code_ > 699)
      return fail(Errc::BadStatusCode, "status code outside 100-699", off + sp1 + 1);
    m_.reason_ = rest.size() > 4 ? rest.substr(4) : std::string_view{};
    if (m_.reason_.find_first_of("\r\n") != std::string_view::npos)
      return fail(Errc::BadStartLine, "bare CR or LF in the reason phrase", off);
    return Ok{};
  }

  Status header_line(std::string_view line, std::size_t off) {
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) return fail(Errc::BadHeaderName, "header field without ':'", off);
    std::string_view name = line.substr(0, colon);
    while (!name.empty() && charset::is_ws(name.back())) name.remove_suffix(1);  // "To :" (§7.3.1)
    Scanner ns(name);
    if (name.empty() || ns.token().size() != name.size())
      return fail(Errc::BadHeaderName, "header name is not a token", off);
    HeaderField hf;
    hf.name = name;
    hf.id = lookup_header(name);
    hf.value = trim_lws(line.substr(colon + 1));
    // CR and LF may appear only as CRLF followed by white space (a fold). Values rarely hold
    // either, so memchr finds the candidates instead of a test per octet.
    const std::string_view v = hf.value;
    auto bad_at = [&](std::size_t i) {
      return fail(Errc::BadHeaderValue, "bare CR or LF in a header value",
                  off + static_cast<std::size_t>(v.data() + i - line.data()));
    };
    for (const void* p = std::memchr(v.data(), '\r', v.size()); p;) {
      const std::size_t i = static_cast<std::size_t>(static_cast<const char*>(p) - v.data());
      if (i + 2 >= v.size() || v[i + 1] != '\n' || !charset::is_ws(v[i + 2])) return bad_at(i);
      p = std::memchr(v.data() + i + 1, '\r', v.size() - i - 1);
    }
    for (const void* p = std::memchr(v.data(), '\n', v.size()); p;) {
      const std::size_t i = static_cast<std::size_t>(static_cast<const char*>(p) - v.data());
      if (i == 0 || v[i - 1] != '\r') return bad_at(i);
      p = std::memchr(v.data() + i + 1, '\n', v.size() - i - 1);
    }
    if (Status s = check(hf); !s) {
      ParseError e = s.error();
      return rebase(e, hf.value.data(), buf_.data());
    }
    m_.headers_.push_back(hf);
    return Ok{};
  }

  // Every header Palisade interprets is checked here, so that the typed accessors cannot fail.
  Status check(const HeaderField& hf) {
    const std::string_view v = hf.value;
    if (v.empty()) {
      if (may_be_empty(hf.id)) return Ok{};
      return fail(Errc::BadHeaderValue, "empty value in a header field that requires one", 0);
    }
    switch (hf.id) {
      case HeaderId::Via: {
        Via first;
        auto n = validate_via_list(v, m_.top_via_ ? nullptr : &first);
        if (!n) return n.error();
        if (!m_.top_via_) m_.top_via_ = first;
        m_.via_count_ += *n;
        return Ok{};
      }
      case HeaderId::From:
      case HeaderId::To: {
        auto na = parse_name_addr(v);
        if (!na) return na.error();
        auto& slot = hf.id == HeaderId::From ? m_.from_ : m_.to_;
        if (!slot) slot = *na;
        return Ok{};
      }
      case HeaderId::CallId: {
        auto id = parse_call_id(v);
        if (!id) return id.error();
        if (!m_.call_id_) m_.call_id_ = *id;
        return Ok{};
      }
      case HeaderId::CSeq: {
        auto c = parse_cseq(v);
        if (!c) return c.error();
        if (!m_.cseq_) {
          m_.cseq_ = *c;
          cseq_offset_ = static_cast<std::size_t>(v.data() - buf_.data());
        }
        return Ok{};
      }
      case HeaderId::MaxForwards: {
        auto n = parse_uint(v, 255);
        if (!n) return fail(Errc::BadHeaderValue, "Max-Forwards: not a number 0-255", 0);
        if (!m_.max_forwards_) m_.max_forwards_ = *n;
        return Ok{};
      }
      case HeaderId::ContentLength: {
        auto n = parse_uint(v, kUint32Max);
        if (!n) return fail(Errc::BadContentLength, "Content-Length: not a non-negative number", 0);
        if (!m_.content_length_) m_.content_length_ = *n;
        else if (*m_.content_length_ != *n) m_.content_length_conflict_ = true;
        return Ok{};
      }
      case HeaderId::Expires:
      case HeaderId::MinExpires:
      case HeaderId::RSeq:
        return as_status(parse_uint(v, kUint32Max), "value is not a number 0-4294967295");
      case HeaderId::Contact: return validate_contact(v);
      case HeaderId::Route:
      case HeaderId::RecordRoute: return validate_route_list(v);
      case HeaderId::ContentType: return as_status(parse_media_type(v), nullptr);
      case HeaderId::Accept: return validate_accept(v);
      case HeaderId::Date: return validate_date(v);
      case HeaderId::Require:
      case HeaderId::ProxyRequire:
      case HeaderId::Supported:
      case HeaderId::Unsupported:
      case HeaderId::Allow: return parse_token_list(v, nullptr);
      case HeaderId::RetryAfter: return validate_retry_after(v);
      case HeaderId::Event: return as_status(parse_event(v), nullptr);
      case HeaderId::SubscriptionState: return as_status(parse_subscription_state(v), nullptr);
      case HeaderId::ReferTo:
      case HeaderId::ReferredBy: return as_status(parse_name_addr(v), nullptr);
      case HeaderId::Replaces: return as_status(parse_replaces(v), nullptr);
      case HeaderId::ReferSub: return as_status(parse_refer_sub(v), nullptr);
      case HeaderId::RAck: return as_status(parse_rack(v), nullptr);
      default: return Ok{};
    }
  }

  template <class T>
  static Status as_status(const Result<T>& r, const char* reason) {
    if (r) return Ok{};
    ParseError e = r.error();
    if (reason) e.reason = reason;
    return e;
  }

  Status frame(std::size_t body_start) {
    const std::string_view rest = body_start < buf_.size() ? buf_.substr(body_start) : std::string_view{};
    if (opt_.fragment) {
      m_.body_ = rest;
    } else if (m_.content_length_conflict_) {
      if (opt_.stream) return fail(Errc::BadContentLength, "conflicting Content-Length values on a stream", body_start);
      m_.body_ = rest;
    } else if (m_.content_length_) {
      const std::uint32_t n = *m_.content_length_;
      if (n > kMaxMessageSize) return fail(Errc::TooLarge, "Content-Length above the maximum message size", body_start);
      if (n > rest.size()) return fail(Errc::BodyTruncated, "Content-Length larger than the body that arrived", buf_.size());
      m_.body_ = rest.substr(0, n);
    } else {
      if (opt_.stream) return fail(Errc::BadContentLength, "Content-Length is required on stream transports", body_start);
      m_.body_ = rest;
    }
    m_.consumed_ = std::min(body_start, buf_.size()) + m_.body_.size();
    return Ok{};
  }

  std::string_view buf_;
  ParseOptions opt_;
  Message m_;
  std::size_t cseq_offset_ = 0;
};

Result<Message> parse_message(std::string_view buffer, ParseOptions options) {
  return MessageParser(buffer, options).run();
}

// ---- accessors ---------------------------------------------------------------------------

const HeaderField* Message::find(HeaderId id) const {
  for (const auto& h : headers_)
    if (h.id == id) return &h;
  return nullptr;
}

const HeaderField* Message::find(std::string_view name) const {
  const HeaderId id = lookup_header(name);
  if (id != HeaderId::Other) return find(id);
  for (const auto& h : headers_)
    if (h.id == HeaderId::Other && charset::iequals(h.name, name)) return &h;
  return nullptr;
}

std::size_t Message::count(HeaderId id) const {
  std::size_t n = 0;
  for (const auto& h : headers_) n += h.id == id;
  return n;
}

std::vector<Via> Message::vias() const {
  std::vector<Via> out;
  for (const auto& h : headers_)
    if (h.id == HeaderId::Via) (void)parse_via_list(h.value, &out);
  return out;
}

ContactList Message::contacts() const {
  ContactList out;
  for (const auto& h : headers_) {
    if (h.id != HeaderId::Contact) continue;
    if (h.value == "*") out.star = true;
    else (void)parse_name_addr_list(h.value, &out.contacts);
  }
  return out;
}

namespace {
std::vector<NameAddr> address_list(std::span<const HeaderField> headers, HeaderId id) {
  std::vector<NameAddr> out;
  for (const auto& h : headers)
    if (h.id == id) (void)parse_name_addr_list(h.value, &out);
  return out;
}

template <class T, class F>
std::optional<T> first_parsed(const Message& m, HeaderId id, F parse) {
  const HeaderField* h = m.find(id);
  if (!h) return std::nullopt;
  auto r = parse(h->value);
  if (!r) return std::nullopt;
  return std::move(r).value();
}
}  // namespace

std::vector<NameAddr> Message::routes() const { return address_list(headers_, HeaderId::Route); }
std::vector<NameAddr> Message::record_routes() const { return address_list(headers_, HeaderId::RecordRoute); }

std::optional<MediaType> Message::content_type() const {
  return first_parsed<MediaType>(*this, HeaderId::ContentType, parse_media_type);
}

std::vector<std::string_view> Message::tokens(HeaderId list_header) const {
  std::vector<std::string_view> out;
  for (const auto& h : headers_)
    if (h.id == list_header && !h.value.empty()) (void)parse_token_list(h.value, &out);
  return out;
}

std::optional<NameAddr> Message::refer_to() const {
  return first_parsed<NameAddr>(*this, HeaderId::ReferTo, parse_name_addr);
}
std::optional<NameAddr> Message::referred_by() const {
  return first_parsed<NameAddr>(*this, HeaderId::ReferredBy, parse_name_addr);
}
std::optional<Replaces> Message::replaces() const {
  return first_parsed<Replaces>(*this, HeaderId::Replaces, parse_replaces);
}
std::optional<EventHeader> Message::event() const {
  return first_parsed<EventHeader>(*this, HeaderId::Event, parse_event);
}
std::optional<SubscriptionStateHeader> Message::subscription_state() const {
  return first_parsed<SubscriptionStateHeader>(*this, HeaderId::SubscriptionState, parse_subscription_state);
}
std::optional<bool> Message::refer_sub() const {
  return first_parsed<bool>(*this, HeaderId::ReferSub, parse_refer_sub);
}
std::optional<std::uint32_t> Message::expires() const {
  return first_parsed<std::uint32_t>(*this, HeaderId::Expires,
                                     [](std::string_view v) { return parse_uint(v, kUint32Max); });
}

std::optional<std::uint32_t> Message::rseq() const {
  return first_parsed<std::uint32_t>(*this, HeaderId::RSeq, [](std::string_view v) { return parse_uint(v, kUint32Max); });
}
std::optional<RAck> Message::rack() const { return first_parsed<RAck>(*this, HeaderId::RAck, parse_rack); }

}  // namespace palisade::sip
