// Scanner: a cursor over one header value (or start line) that knows SIP's linear white space,
// including folded lines (CRLF followed by SP/HT, RFC 3261 §7.3.1). It never reads past its view.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "charset.hpp"

namespace palisade::sip {

class Scanner {
 public:
  explicit Scanner(std::string_view text) : s_(text) {}

  bool eof() const { return pos_ >= s_.size(); }
  char peek() const { return eof() ? '\0' : s_[pos_]; }
  std::size_t pos() const { return pos_; }
  void seek(std::size_t p) { pos_ = p; }
  std::string_view text() const { return s_; }
  std::string_view rest() const { return s_.substr(pos_); }
  const char* here() const { return s_.data() + pos_; }

  // LWS = [*WSP CRLF] 1*WSP; SWS = [LWS]. Returns true if anything was skipped.
  bool skip_lws() {
    const std::size_t start = pos_;
    for (;;) {
      if (!eof() && charset::is_ws(s_[pos_])) {
        ++pos_;
      } else if (pos_ + 2 < s_.size() && s_[pos_] == '\r' && s_[pos_ + 1] == '\n' &&
                 charset::is_ws(s_[pos_ + 2])) {
        pos_ += 3;
      } else {
        break;
      }
    }
    return pos_ != start;
  }

  bool consume(char c) {
    if (!eof() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  // SWS c SWS, as in the separators SEMI, COMMA, EQUAL, SLASH, COLON of §25.1.
  bool consume_sep(char c) {
    const std::size_t save = pos_;
    skip_lws();
    if (consume(c)) {
      skip_lws();
      return true;
    }
    pos_ = save;
    return false;
  }

  std::string_view take_while(const charset::Table& t) {
    const std::size_t start = pos_;
    while (!eof() && charset::in(t, s_[pos_])) ++pos_;
    return s_.substr(start, pos_ - start);
  }

  std::string_view token() { return take_while(charset::kToken); }

  // Characters of `t` and %HH escapes. Returns nullopt on a broken escape (pos at the '%').
  std::optional<std::string_view> take_escaped(const charset::Table& t) {
    const std::size_t start = pos_;
    while (!eof()) {
      const char c = s_[pos_];
      if (c == '%') {
        if (pos_ + 2 >= s_.size()) return std::nullopt;
        if (!charset::is_hex(s_[pos_ + 1]) || !charset::is_hex(s_[pos_ + 2])) return std::nullopt;
        pos_ += 3;
      } else if (charset::in(t, c)) {
        ++pos_;
      } else {
        break;
      }
    }
    return s_.substr(start, pos_ - start);
  }

  // quoted-string = DQUOTE *(qdtext / quoted-pair) DQUOTE, returned with its quotes.
  // qdtext allows LWS and UTF-8; quoted-pair is "\" followed by any octet but CR and LF.
  std::optional<std::string_view> quoted_string() {
    const std::size_t start = pos_;
    if (!consume('"')) return std::nullopt;
    while (!eof()) {
      const char c = s_[pos_];
      if (c == '"') {
        ++pos_;
        return s_.substr(start, pos_ - start);
      }
      if (c == '\\') {
        if (pos_ + 1 >= s_.size() || s_[pos_ + 1] == '\r' || s_[pos_ + 1] == '\n') break;
        pos_ += 2;
      } else if (c == '\r') {
        if (!skip_lws()) break;  // a bare CR, or a CRLF that does not fold
      } else if (static_cast<unsigned char>(c) < 0x20 && c != '\t') {
        break;
      } else {
        ++pos_;
      }
    }
    pos_ = start;
    return std::nullopt;
  }

  // Decimal number with no sign; nullopt when empty or above `max`. Leading zeros are allowed
  // ("0068" is 68, RFC 4475 §3.1.1.1).
  std::optional<std::uint64_t> number(std::uint64_t max) {
    const std::size_t start = pos_;
    std::uint64_t v = 0;
    while (!eof() && charset::is_digit(s_[pos_])) {
      v = v * 10 + static_cast<std::uint64_t>(s_[pos_] - '0');
      if (v > max) {
        pos_ = start;
        return std::nullopt;
      }
      ++pos_;
    }
    if (pos_ == start) return std::nullopt;
    return v;
  }

 private:
  std::string_view s_;
  std::size_t pos_ = 0;
};

// Trims SP, HT and folded line breaks at both ends.
std::string_view trim_lws(std::string_view v);

}  // namespace palisade::sip
