#include "builder.hpp"

#include <algorithm>

namespace palisade::sip {

std::string unfold(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '\r' && i + 1 < value.size() && value[i + 1] == '\n') {
      // A fold is white space: replace the line break and the white space after it by one SP,
      // unless SP already precedes it.
      i += 1;
      while (i + 1 < value.size() && charset::is_ws(value[i + 1])) ++i;
      if (out.empty() || out.back() != ' ') out.push_back(' ');
      continue;
    }
    out.push_back(value[i]);
  }
  return out;
}

OutgoingMessage OutgoingMessage::request(std::string_view method, std::string_view request_uri) {
  OutgoingMessage m;
  m.method_ = method;
  m.request_uri_ = request_uri;
  return m;
}

OutgoingMessage OutgoingMessage::response(int status_code, std::string_view reason) {
  OutgoingMessage m;
  m.status_code_ = status_code;
  m.reason_ = reason;
  return m;
}

OutgoingMessage OutgoingMessage::from(const Message& in) {
  OutgoingMessage m = in.is_request() ? request(in.method(), in.request_uri().raw)
                                      : response(in.status_code(), in.reason());
  for (const auto& h : in.headers()) {
    if (h.id == HeaderId::ContentLength) continue;
    if (h.id == HeaderId::Other) m.add(h.name, unfold(h.value));
    else m.add(h.id, unfold(h.value));
  }
  m.body_ = in.body();
  return m;
}

OutgoingMessage& OutgoingMessage::add(HeaderId id, std::string value) {
  if (id == HeaderId::ContentLength) return *this;
  headers_.push_back({id, std::string(canonical_name(id)), std::move(value)});
  return *this;
}

OutgoingMessage& OutgoingMessage::add(std::string_view name, std::string value) {
  const HeaderId id = lookup_header(name);
  if (id != HeaderId::Other) return add(id, std::move(value));
  headers_.push_back({id, std::string(name), std::move(value)});
  return *this;
}

OutgoingMessage& OutgoingMessage::push_front(HeaderId id, std::string value) {
  headers_.insert(headers_.begin(), {id, std::string(canonical_name(id)), std::move(value)});
  return *this;
}

OutgoingMessage& OutgoingMessage::set(HeaderId id, std::string value) {
  for (auto it = headers_.begin(); it != headers_.end(); ++it) {
    if (it->id == id) {
      it->value = std::move(value);
      // drop any further fields of the same header
      headers_.erase(std::remove_if(it + 1, headers_.end(), [id](const auto& h) { return h.id == id; }),
                     headers_.end());
      return *this;
    }
  }
  return add(id, std::move(value));
}

std::size_t OutgoingMessage::remove(HeaderId id) {
  const auto before = headers_.size();
  std::erase_if(headers_, [id](const auto& h) { return h.id == id; });
  return before - headers_.size();
}

const OutgoingHeader* OutgoingMessage::find(HeaderId id) const {
  for (const auto& h : headers_)
    if (h.id == id) return &h;
  return nullptr;
}

void OutgoingMessage::set_body(std::string body, std::string_view content_type) {
  body_ = std::move(body);
  set(HeaderId::ContentType, std::string(content_type));
}

void OutgoingMessage::clear_body() {
  body_.clear();
  remove(HeaderId::ContentType);
}

std::string OutgoingMessage::serialize() const {
  std::size_t size = 64 + body_.size() + request_uri_.size() + reason_.size();
  for (const auto& h : headers_) size += h.name.size() + h.value.size() + 4;
  std::string out;
  out.reserve(size);
  if (is_request()) {
    out.append(method_).append(" ").append(request_uri_).append(" SIP/2.0\r\n");
  } else {
    out.append("SIP/2.0 ").append(std::to_string(status_code_)).append(" ").append(reason_).append("\r\n");
  }
  for (const auto& h : headers_) out.append(h.name).append(": ").append(h.value).append("\r\n");
  out.append("Content-Length: ").append(std::to_string(body_.size())).append("\r\n\r\n");
  out.append(body_);
  return out;
}

OutgoingMessage make_response(const Message& req, int status_code, std::string_view reason,
                              std::string_view to_tag) {
  OutgoingMessage r = OutgoingMessage::response(status_code, reason.empty() ? default_reason(status_code) : reason);
  for (const auto& h : req.headers()) {
    switch (h.id) {
      case HeaderId::Via:
      case HeaderId::From:
      case HeaderId::CallId:
      case HeaderId::CSeq:
        r.add(h.id, unfold(h.value));
        break;
      case HeaderId::To: {
        std::string to = unfold(h.value);
        if (status_code > 100 && !to_tag.empty() && req.to() && !req.to()->tag() && !r.find(HeaderId::To))
          to.append(";tag=").append(to_tag);
        if (!r.find(HeaderId::To)) r.add(HeaderId::To, std::move(to));
        break;
      }
      case HeaderId::Timestamp:
        if (status_code == 100) r.add(h.id, unfold(h.value));
        break;
      default:
        break;
    }
  }
  return r;
}

void OutgoingMessage::stamp_received(std::string_view address, std::uint16_t port) {
  auto h = std::find_if(headers_.begin(), headers_.end(), [](const auto& x) { return x.id == HeaderId::Via; });
  if (h == headers_.end()) return;
  auto via = parse_first_via(h->value);
  if (!via || via->received()) return;
  // Only the first via-parm of the field is the one this hop stamps.
  const std::size_t comma = h->value.find(',');
  std::string first = h->value.substr(0, comma);
  const std::string rest = comma == std::string::npos ? "" : h->value.substr(comma);
  const auto rport = via->rport();
  const bool want_rport = rport && rport->empty();
  if (want_rport) {
    for (std::size_t at = first.find(";rport"); at != std::string::npos; at = first.find(";rport", at + 1)) {
      const std::size_t after = at + 6;
      if (after == first.size() || first[after] == ';' || charset::is_ws(first[after])) {
        first.insert(after, "=" + std::to_string(port));
        break;
      }
    }
  }
  std::string_view host = via->host;
  if (!host.empty() && host.front() == '[') host = host.substr(1, host.size() - 2);
  if (host != address || want_rport) first.append(";received=").append(address);
  h->value = first + rest;
}

std::string_view default_reason(int code) {
  switch (code) {
    case 100: return "Trying";
    case 180: return "Ringing";
    case 181: return "Call Is Being Forwarded";
    case 182: return "Queued";
    case 183: return "Session Progress";
    case 200: return "OK";
    case 202: return "Accepted";
    case 300: return "Multiple Choices";
    case 301: return "Moved Permanently";
    case 302: return "Moved Temporarily";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 407: return "Proxy Authentication Required";
    case 408: return "Request Timeout";
    case 413: return "Request Entity Too Large";
    case 415: return "Unsupported Media Type";
    case 416: return "Unsupported URI Scheme";
    case 420: return "Bad Extension";
    case 421: return "Extension Required";
    case 423: return "Interval Too Brief";
    case 480: return "Temporarily Unavailable";
    case 481: return "Call/Transaction Does Not Exist";
    case 482: return "Loop Detected";
    case 483: return "Too Many Hops";
    case 484: return "Address Incomplete";
    case 486: return "Busy Here";
    case 487: return "Request Terminated";
    case 488: return "Not Acceptable Here";
    case 489: return "Bad Event";
    case 491: return "Request Pending";
    case 500: return "Server Internal Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Server Time-out";
    case 505: return "Version Not Supported";
    case 513: return "Message Too Large";
    case 600: return "Busy Everywhere";
    case 603: return "Decline";
    case 604: return "Does Not Exist Anywhere";
    case 606: return "Not Acceptable";
    default: return "";
  }
}

}  // namespace palisade::sip
