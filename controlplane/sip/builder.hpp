// OutgoingMessage: an owning, editable SIP message that serializes to wire format. The B2BUA
// builds every message it sends with it; nothing is forwarded by patching received bytes, which
// is what makes topology hiding hold by construction.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "header_id.hpp"
#include "message.hpp"

namespace palisade::sip {

struct OutgoingHeader {
  HeaderId id = HeaderId::Other;
  std::string name;  // canonical for known headers
  std::string value;
};

class OutgoingMessage {
 public:
  static OutgoingMessage request(std::string_view method, std::string_view request_uri);
  static OutgoingMessage response(int status_code, std::string_view reason);
  // A copy of a parsed message: canonical header names, folded values unfolded. Used for
  // round-trip checks and as the starting point of edits.
  static OutgoingMessage from(const Message& m);

  bool is_request() const { return status_code_ == 0; }
  const std::string& method() const { return method_; }
  const std::string& request_uri() const { return request_uri_; }
  int status_code() const { return status_code_; }
  const std::string& reason() const { return reason_; }
  void set_request_uri(std::string uri) { request_uri_ = std::move(uri); }
  void set_status(int code, std::string reason) {
    status_code_ = code;
    reason_ = std::move(reason);
  }

  const std::vector<OutgoingHeader>& headers() const { return headers_; }
  // Appends a header. Content-Length is never stored: serialize() writes it from the body.
  OutgoingMessage& add(HeaderId id, std::string value);
  OutgoingMessage& add(std::string_view name, std::string value);  // known names map to their id
  OutgoingMessage& push_front(HeaderId id, std::string value);     // e.g. a new top Via
  // Replaces every field of `id` with one value (adds it if absent).
  OutgoingMessage& set(HeaderId id, std::string value);
  std::size_t remove(HeaderId id);
  const OutgoingHeader* find(HeaderId id) const;

  const std::string& body() const { return body_; }
  // The body alone (headers untouched), the body with its Content-Type, or neither.
  void set_body(std::string body) { body_ = std::move(body); }
  void set_body(std::string body, std::string_view content_type);
  void clear_body();

  // RFC 3261 §18.2.1 and RFC 3581 §4, for a response to a request that came from
  // `address`:`port`: the top via-parm gets received= when its sent-by host is not that address
  // (or rport was asked for), and an empty rport is filled in. Responses then reach clients
  // behind NAT.
  void stamp_received(std::string_view address, std::uint16_t port);

  // Wire format: start line, headers in order, Content-Length from the body, blank line, body.
  std::string serialize() const;

 private:
  std::string method_, request_uri_, reason_;
  int status_code_ = 0;
  std::vector<OutgoingHeader> headers_;
  std::string body_;
};

// A response to `request` per RFC 3261 §8.2.6.2: Via fields (all, in order), From, Call-ID and
// CSeq copied; To copied and given `to_tag` when it has none and the status is above 100;
// Timestamp copied on 100 (§8.2.6.1). Record-Route is left to the dialog layer.
OutgoingMessage make_response(const Message& request, int status_code, std::string_view reason,
                              std::string_view to_tag = {});

// The reason phrase RFC 3261 §21 suggests for a status code ("" when unknown).
std::string_view default_reason(int status_code);

// Folded white space inside a value as one SP, the canonical form a value is sent in.
std::string unfold(std::string_view value);

}  // namespace palisade::sip
