#include "bad_request.hpp"

#include "header_id.hpp"
#include "limits.hpp"
#include "scanner.hpp"

namespace palisade::sip {

std::optional<OutgoingMessage> bad_request_response(std::string_view data, const ParseError& why,
                                                    std::string_view to_tag) {
  while (data.substr(0, 2) == "\r\n") data.remove_prefix(2);
  std::size_t eol = data.find("\r\n");
  if (eol == std::string_view::npos) return std::nullopt;
  const std::string_view start = data.substr(0, eol);
  const std::size_t sp = start.find(' ');
  if (sp == std::string_view::npos || start.substr(0, 4) == "SIP/") return std::nullopt;
  const std::string_view method = start.substr(0, sp);
  Scanner ms(method);
  if (ms.token().size() != method.size() || method == "ACK") return std::nullopt;

  // Header lines, leniently: only the fields a response copies, as written.
  std::vector<std::pair<HeaderId, std::string_view>> copied;
  std::size_t pos = eol + 2, lines = 0;
  while (pos < data.size() && data.compare(pos, 2, "\r\n") != 0 && ++lines <= kMaxHeaderFields) {
    std::size_t end = data.find("\r\n", pos);
    while (end != std::string_view::npos && end + 2 < data.size() && charset::is_ws(data[end + 2]))
      end = data.find("\r\n", end + 2);
    if (end == std::string_view::npos) end = data.size();
    const std::string_view line = data.substr(pos, end - pos);
    pos = end + 2;
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view name = line.substr(0, colon);
    while (!name.empty() && charset::is_ws(name.back())) name.remove_suffix(1);
    const HeaderId id = lookup_header(name);
    if (id == HeaderId::Via || id == HeaderId::From || id == HeaderId::To || id == HeaderId::CallId ||
        id == HeaderId::CSeq)
      copied.emplace_back(id, trim_lws(line.substr(colon + 1)));
  }
  for (HeaderId needed : {HeaderId::Via, HeaderId::From, HeaderId::To, HeaderId::CallId, HeaderId::CSeq}) {
    bool found = false;
    for (auto& [id, v] : copied) found |= id == needed && !v.empty();
    if (!found) return std::nullopt;
  }

  // The reason phrase carries the parser's reason; it must stay one line of printable text.
  std::string reason = "Bad Request (";
  for (const char* p = why.reason; *p; ++p) reason.push_back(static_cast<unsigned char>(*p) < 0x20 ? ' ' : *p);
  reason.push_back(')');
  OutgoingMessage r = OutgoingMessage::response(400, reason);
  for (auto& [id, v] : copied) {
    std::string value = unfold(v);
    if (id == HeaderId::To && value.find(";tag=") == std::string::npos && !to_tag.empty())
      value.append(";tag=").append(to_tag);
    r.add(id, std::move(value));
  }
  return r;
}

}  // namespace palisade::sip
