// A parsed SIP message: views into the caller's buffer, which must outlive the Message.
//
// Parsing is done in one pass: start line, header fields (folded lines, compact names),
// framing by Content-Length, then every header field Palisade interprets is checked against
// its grammar, so that a Message that exists is well-formed and the typed accessors below
// cannot fail. Headers Palisade does not interpret are kept as name/value views.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "header_id.hpp"
#include "headers.hpp"
#include "method.hpp"
#include "result.hpp"
#include "uri.hpp"

namespace palisade::sip {

struct HeaderField {
  HeaderId id = HeaderId::Other;
  std::string_view name;   // as written (compact forms too)
  std::string_view value;  // trimmed; folded line breaks still inside
};

struct ParseOptions {
  // Stream transports (TCP) frame by Content-Length, which is then mandatory. On datagrams a
  // missing Content-Length means "the rest of the datagram" (RFC 3261 §18.3).
  bool stream = false;
  // message/sipfrag (RFC 3420): a start line with optional headers and body; no header is
  // required and the final CRLF may be missing.
  bool fragment = false;
};

class Message {
 public:
  bool is_request() const { return status_code_ == 0; }
  bool is_response() const { return status_code_ != 0; }

  // Request line
  std::string_view method() const { return method_; }
  Method method_id() const { return method_id_; }
  const Uri& request_uri() const { return request_uri_; }
  // Status line
  int status_code() const { return status_code_; }
  std::string_view reason() const { return reason_; }
  std::string_view version() const { return version_; }

  std::span<const HeaderField> headers() const { return headers_; }
  const HeaderField* find(HeaderId id) const;
  const HeaderField* find(std::string_view name) const;  // any header, by full or compact name
  std::size_t count(HeaderId id) const;

  // Core headers, parsed while parsing the message. nullopt only where the header is absent,
  // which parse_message allows (RFC 4475 §3.3.1); RequestValidator answers those with 400.
  const std::optional<Via>& top_via() const { return top_via_; }
  std::size_t via_count() const { return via_count_; }
  const std::optional<NameAddr>& from() const { return from_; }
  const std::optional<NameAddr>& to() const { return to_; }
  std::optional<std::string_view> call_id() const { return call_id_; }
  const std::optional<CSeq>& cseq() const { return cseq_; }
  std::optional<std::uint32_t> max_forwards() const { return max_forwards_; }
  std::optional<std::uint32_t> content_length() const { return content_length_; }
  // Several Content-Length fields with different values (RFC 4475 §3.3.9). Only possible on
  // datagrams, where the body is then the rest of the datagram.
  bool content_length_conflict() const { return content_length_conflict_; }

  // Lists, parsed on demand from fields already checked during parse_message.
  std::vector<Via> vias() const;
  ContactList contacts() const;
  std::vector<NameAddr> routes() const;
  std::vector<NameAddr> record_routes() const;
  std::optional<MediaType> content_type() const;
  std::vector<std::string_view> tokens(HeaderId list_header) const;  // Supported, Require, Allow...
  std::optional<NameAddr> refer_to() const;
  std::optional<NameAddr> referred_by() const;
  std::optional<Replaces> replaces() const;
  std::optional<EventHeader> event() const;
  std::optional<SubscriptionStateHeader> subscription_state() const;
  std::optional<bool> refer_sub() const;
  std::optional<std::uint32_t> expires() const;
  std::optional<std::uint32_t> rseq() const;  // RFC 3262
  std::optional<RAck> rack() const;

  std::string_view body() const { return body_; }
  std::string_view raw() const { return raw_; }  // start line to end of body
  // Bytes of the input this message took, leading CRLFs included: where the next message of a
  // stream starts. On datagrams, trailing octets past Content-Length are ignored (RFC 4475
  // §3.1.1.8).
  std::size_t consumed() const { return consumed_; }

 private:
  friend Result<Message> parse_message(std::string_view, ParseOptions);
  friend class MessageParser;

  std::string_view raw_, method_, reason_, version_, body_;
  Method method_id_ = Method::Other;
  Uri request_uri_;
  int status_code_ = 0;
  std::vector<HeaderField> headers_;
  std::optional<Via> top_via_;
  std::size_t via_count_ = 0;
  std::optional<NameAddr> from_, to_;
  std::optional<std::string_view> call_id_;
  std::optional<CSeq> cseq_;
  std::optional<std::uint32_t> max_forwards_, content_length_;
  bool content_length_conflict_ = false;
  std::size_t consumed_ = 0;
};

// Errors carry offsets into `buffer`.
Result<Message> parse_message(std::string_view buffer, ParseOptions options = {});
// The Message views its buffer: parsing a temporary string would leave every view dangling,
// so that does not compile.
Result<Message> parse_message(std::string&& buffer, ParseOptions options = {}) = delete;
template <std::size_t N>  // a literal lives as long as the program
Result<Message> parse_message(const char (&literal)[N], ParseOptions options = {}) {
  return parse_message(std::string_view(literal, N - 1), options);
}

}  // namespace palisade::sip
