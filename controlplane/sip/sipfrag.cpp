#include "sipfrag.hpp"

#include "builder.hpp"

namespace palisade::sip {

Result<Message> parse_sipfrag(std::string_view body) {
  ParseOptions opt;
  opt.fragment = true;
  auto m = parse_message(body, opt);
  if (!m) {
    ParseError e = m.error();
    e.code = Errc::BadSipfrag;
    return e;
  }
  return m;
}

std::string build_sipfrag(int status_code, std::string_view reason) {
  std::string out = "SIP/2.0 ";
  out.append(std::to_string(status_code)).append(" ");
  out.append(reason.empty() ? default_reason(status_code) : reason);
  out.append("\r\n");
  return out;
}

}  // namespace palisade::sip
