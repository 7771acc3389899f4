#include "multipart.hpp"

#include "limits.hpp"

namespace palisade::sip {

std::optional<MediaType> BodyPart::content_type() const {
  for (const auto& h : headers)
    if (h.id == HeaderId::ContentType)
      if (auto m = parse_media_type(h.value)) return *m;
  return std::nullopt;
}

Result<std::vector<BodyPart>> parse_multipart(std::string_view body, std::string_view boundary) {
  if (boundary.size() >= 2 && boundary.front() == '"') boundary = boundary.substr(1, boundary.size() - 2);
  if (boundary.empty() || boundary.size() > 70) return fail(Errc::BadMultipart, "invalid boundary", 0);
  std::string delim = "--";
  delim.append(boundary);

  // The first delimiter may start the body; later ones follow a CRLF that belongs to them.
  std::size_t pos;
  if (body.substr(0, delim.size()) == delim) {
    pos = delim.size();
  } else {
    pos = body.find("\r\n" + delim);
    if (pos == std::string_view::npos) return fail(Errc::BadMultipart, "no boundary delimiter", 0);
    pos += 2 + delim.size();
  }
  std::vector<BodyPart> parts;
  for (;;) {
    if (body.substr(pos, 2) == "--") return parts;  // close-delimiter
    while (pos < body.size() && charset::is_ws(body[pos])) ++pos;  // transport padding
    if (body.substr(pos, 2) != "\r\n") return fail(Errc::BadMultipart, "boundary line not ended by CRLF", pos);
    pos += 2;
    const std::size_t next = body.find("\r\n" + delim, pos);
    if (next == std::string_view::npos) return fail(Errc::BadMultipart, "part not closed by a boundary", pos);
    if (parts.size() >= kMaxBodyParts) return fail(Errc::BadMultipart, "more body parts than the limit", pos);

    BodyPart part;
    std::string_view content = body.substr(pos, next - pos);
    std::size_t p = 0;
    while (content.substr(p, 2) != "\r\n") {  // part headers, then an empty line
      std::size_t eol = content.find("\r\n", p);
      while (eol != std::string_view::npos && eol + 2 < content.size() && charset::is_ws(content[eol + 2]))
        eol = content.find("\r\n", eol + 2);
      const std::size_t colon = content.find(':', p);
      if (eol == std::string_view::npos || colon == std::string_view::npos || colon > eol)
        return fail(Errc::BadMultipart, "malformed part header", pos + p);
      HeaderField hf;
      hf.name = trim_lws(content.substr(p, colon - p));
      hf.id = lookup_header(hf.name);
      hf.value = trim_lws(content.substr(colon + 1, eol - colon - 1));
      part.headers.push_back(hf);
      p = eol + 2;
    }
    part.body = content.substr(p + 2);
    parts.push_back(std::move(part));
    pos = next + 2 + delim.size();
  }
}

std::optional<std::string_view> find_body(const Message& m, std::string_view type, std::string_view subtype) {
  auto ct = m.content_type();
  if (!ct) return std::nullopt;
  if (ct->is(type, subtype)) return m.body();
  if (!charset::iequals(ct->type, "multipart")) return std::nullopt;
  auto boundary = ct->param("boundary");
  if (!boundary) return std::nullopt;
  auto parts = parse_multipart(m.body(), *boundary);
  if (!parts) return std::nullopt;
  for (const auto& part : *parts)
    if (auto pct = part.content_type(); pct && pct->is(type, subtype)) return part.body;
  return std::nullopt;
}

}  // namespace palisade::sip
