#include "params.hpp"

namespace palisade::sip {

namespace {

// gen-value = token / host / quoted-string; host adds the IPv6 reference "[...]".
bool header_value(Scanner& sc, std::string_view& out) {
  const std::size_t start = sc.pos();
  if (sc.peek() == '"') {
    auto q = sc.quoted_string();
    if (!q) return false;
    out = *q;
    return true;
  }
  if (sc.peek() == '[') {
    sc.consume('[');
    sc.take_while(charset::kIpv6);
    if (!sc.consume(']')) return false;
    out = sc.text().substr(start, sc.pos() - start);
    return true;
  }
  // token, widened by ':' so that Via's received may hold a bare IPv6 address (§18.2.1)
  static constexpr charset::Table kTokenOrIpv6 = charset::make("-.!%*_+`'~:", true);
  out = sc.take_while(kTokenOrIpv6);
  return !out.empty();
}

}  // namespace

bool Params::next(Scanner& sc, Param& out) const {
  if (kind_ == Kind::Header) {
    if (!sc.consume_sep(';')) return false;
    out.name = sc.token();
    out.has_value = sc.consume_sep('=');
    out.value = {};
    if (out.has_value) header_value(sc, out.value);
    return true;
  }
  if (!sc.consume(';')) return false;
  out.name = sc.take_escaped(charset::kParamChar).value_or(std::string_view{});
  out.has_value = sc.consume('=');
  out.value = out.has_value ? sc.take_escaped(charset::kParamChar).value_or(std::string_view{})
                            : std::string_view{};
  return true;
}

std::optional<std::string_view> Params::get(std::string_view name) const {
  Scanner sc(raw_);
  Param p;
  while (next(sc, p))
    if (charset::iequals(p.name, name)) return p.value;
  return std::nullopt;
}

Result<Params> parse_header_params(Scanner& sc) {
  const std::size_t start = sc.pos();
  std::size_t end = start;
  while (sc.consume_sep(';')) {
    if (sc.token().empty()) return fail(Errc::BadHeaderValue, "empty or invalid parameter name", sc.pos());
    if (sc.consume_sep('=')) {
      std::string_view v;
      if (!header_value(sc, v)) return fail(Errc::BadHeaderValue, "invalid parameter value", sc.pos());
    }
    end = sc.pos();
  }
  sc.seek(end);  // LWS after the last parameter belongs to the caller
  return Params(sc.text().substr(start, end - start), Params::Kind::Header);
}

Result<Params> parse_uri_params(Scanner& sc) {
  const std::size_t start = sc.pos();
  while (sc.consume(';')) {
    auto name = sc.take_escaped(charset::kParamChar);
    if (!name || name->empty()) return fail(Errc::BadUri, "empty or invalid URI parameter name", sc.pos());
    if (sc.consume('=')) {
      auto v = sc.take_escaped(charset::kParamChar);
      if (!v || v->empty()) return fail(Errc::BadUri, "invalid URI parameter value", sc.pos());
    }
  }
  return Params(sc.text().substr(start, sc.pos() - start), Params::Kind::Uri);
}

std::string unquote(std::string_view v) {
  if (v.size() < 2 || v.front() != '"' || v.back() != '"') return std::string(v);
  std::string out;
  out.reserve(v.size() - 2);
  for (std::size_t i = 1; i + 1 < v.size(); ++i) {
    if (v[i] == '\\' && i + 2 < v.size()) ++i;
    out.push_back(v[i]);
  }
  return out;
}

std::string unescape(std::string_view v) {
  auto hex = [](char c) {
    return charset::is_digit(c) ? c - '0' : (charset::lower(c) - 'a' + 10);
  };
  std::string out;
  out.reserve(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '%' && i + 2 < v.size() && charset::is_hex(v[i + 1]) && charset::is_hex(v[i + 2])) {
      out.push_back(static_cast<char>(hex(v[i + 1]) * 16 + hex(v[i + 2])));
      i += 2;
    } else {
      out.push_back(v[i]);
    }
  }
  return out;
}

}  // namespace palisade::sip
