// Parameters (";name=value;flag") as a view over already-validated text. Lookups scan the view
// instead of building a container: most messages carry a handful of parameters and most are
// never asked for, so this is both zero-allocation and faster than a map.
#pragma once

#include <optional>
#include <string_view>

#include "result.hpp"
#include "scanner.hpp"

namespace palisade::sip {

struct Param {
  std::string_view name;
  std::string_view value;  // empty for a flag; quoted strings keep their quotes
  bool has_value = false;
};

class Params {
 public:
  enum class Kind : unsigned char { Header, Uri };  // header params allow LWS, URI params not

  Params() = default;
  Params(std::string_view raw, Kind kind) : raw_(raw), kind_(kind) {}

  std::string_view raw() const { return raw_; }  // includes the leading ';'
  bool empty() const { return raw_.empty(); }

  // Value of the first parameter named `name` (case-insensitive); "" for a flag.
  std::optional<std::string_view> get(std::string_view name) const;
  bool has(std::string_view name) const { return get(name).has_value(); }

  // Calls f(const Param&) for each parameter in order.
  template <class F>
  void for_each(F&& f) const {
    Scanner sc(raw_);
    Param p;
    while (next(sc, p)) f(p);
  }

 private:
  bool next(Scanner& sc, Param& out) const;
  std::string_view raw_;
  Kind kind_ = Kind::Header;
};

// generic-param list of a header field (§25.1): *( SEMI token [ EQUAL (token/host/quoted) ] ).
// Consumes from `sc` and returns the view over what it took. Errors carry offsets within sc.
Result<Params> parse_header_params(Scanner& sc);

// uri-parameters (§19.1.1): *( ";" pname [ "=" pvalue ] ), no white space.
Result<Params> parse_uri_params(Scanner& sc);

// Removes the quotes and quoted-pair backslashes of a quoted string; other text is returned as is.
std::string unquote(std::string_view v);

// Decodes %HH escapes (RFC 3261 §19.1.2). Invalid escapes are kept literally.
std::string unescape(std::string_view v);

}  // namespace palisade::sip
