// Result<T>: a value or a ParseError. GCC 12 has no std::expected, and exceptions must not
// cross the io_context, so the cores return errors as values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <variant>

namespace palisade::sip {

enum class Errc : std::uint8_t {
  Empty,             // nothing but whitespace
  TooLarge,          // over kMaxMessageSize
  TooManyHeaders,    // over kMaxHeaderFields
  LineTooLong,       // a logical header line over kMaxLineLength
  Incomplete,        // no blank line ending the header section
  BadStartLine,      // not "Method SP URI SP SIP/2.0" nor "SIP/2.0 SP code SP reason"
  BadMethod,
  BadRequestUri,
  BadVersion,        // a version other than SIP/2.0 (a UAS answers 505)
  BadStatusCode,
  BadHeaderName,
  BadHeaderValue,    // reason names the header and what is wrong
  BadContentLength,
  BodyTruncated,     // Content-Length larger than what arrived
  CSeqMismatch,      // CSeq method differs from the request method
  BadUri,
  BadSdp,
  BadMultipart,
  BadSipfrag,
};

// Where and why parsing stopped. `reason` always points at a string literal.
struct ParseError {
  Errc code;
  const char* reason;
  std::size_t offset;  // byte offset into the input the caller passed in
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design, like expected
  Result(ParseError err) : v_(err) {}        // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &std::get<0>(v_); }
  const T* operator->() const { return &std::get<0>(v_); }
  T& operator*() & { return std::get<0>(v_); }
  const T& operator*() const& { return std::get<0>(v_); }
  const ParseError& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, ParseError> v_;
};

// Result<void> equivalent: success or an error.
struct Ok {};
using Status = Result<Ok>;

// Moves an error found in a sub-view to an offset in the enclosing buffer.
inline ParseError rebase(ParseError e, const char* sub, const char* base) {
  e.offset += static_cast<std::size_t>(sub - base);
  return e;
}

inline ParseError fail(Errc code, const char* reason, std::size_t offset) {
  return ParseError{code, reason, offset};
}

const char* errc_name(Errc code);
std::string describe(const ParseError& e);  // "<reason> at offset <N>"

}  // namespace palisade::sip
