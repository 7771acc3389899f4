// Character classes of the RFC 3261 §25.1 grammar, as 256-entry tables built at compile time.
#pragma once

#include <array>
#include <string_view>

namespace palisade::sip::charset {

using Table = std::array<bool, 256>;

constexpr Table make(std::string_view chars, bool alnum) {
  Table t{};
  if (alnum) {
    for (int c = '0'; c <= '9'; ++c) t[static_cast<unsigned>(c)] = true;
    for (int c = 'a'; c <= 'z'; ++c) t[static_cast<unsigned>(c)] = true;
    for (int c = 'A'; c <= 'Z'; ++c) t[static_cast<unsigned>(c)] = true;
  }
  for (char c : chars) t[static_cast<unsigned char>(c)] = true;
  return t;
}

// token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~")
inline constexpr Table kToken = make("-.!%*_+`'~", true);
// word: token characters plus the separators allowed in Call-ID words
inline constexpr Table kWord = make("-.!%*_+`'~()<>:\\\"/[]?{}", true);
// unreserved = alphanum / mark; mark = - _ . ! ~ * ' ( )
inline constexpr Table kUnreserved = make("-_.!~*'()", true);
// user-unreserved plus unreserved (escapes handled separately)
inline constexpr Table kUser = make("-_.!~*'()&=+$,;?/", true);
// password = *( unreserved / escaped / "&" / "=" / "+" / "$" / "," )
inline constexpr Table kPassword = make("-_.!~*'()&=+$,", true);
// paramchar = param-unreserved / unreserved / escaped
inline constexpr Table kParamChar = make("-_.!~*'()[]/:&+$", true);
// hnv-unreserved / unreserved for URI headers
inline constexpr Table kHeaderChar = make("-_.!~*'()[]/?:+$", true);
// hostname characters (IPv6 references are handled apart)
inline constexpr Table kHost = make("-.", true);
// uric for absolute URIs of other schemes: reserved / unreserved / escaped
inline constexpr Table kUric = make(";/?:@&=+$,-_.!~*'()%", true);
// scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
inline constexpr Table kScheme = make("+-.", true);
// inside an IPv6 reference "[...]" (checked further with inet_pton)
inline constexpr Table kIpv6 = make(":.", true);

inline bool in(const Table& t, char c) { return t[static_cast<unsigned char>(c)]; }
inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
inline bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
inline bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
inline bool is_ws(char c) { return c == ' ' || c == '\t'; }

inline char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

}  // namespace palisade::sip::charset
