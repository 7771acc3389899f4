#include "sdp.hpp"

#include <charconv>

#include "charset.hpp"
#include "limits.hpp"

namespace palisade::sdp {

using sip::Errc;
using sip::fail;
using sip::ParseError;

namespace {

std::vector<std::string_view> split_ws(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    const std::size_t start = i;
    while (i < s.size() && s[i] != ' ') ++i;
    if (i > start) out.push_back(s.substr(start, i - start));
  }
  return out;
}

template <class T>
bool to_number(std::string_view s, T& out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && p == s.data() + s.size();
}

bool parse_connection(std::string_view v, Connection& c) {
  auto f = split_ws(v);
  if (f.size() != 3) return false;
  c.nettype = f[0];
  c.addrtype = f[1];
  const std::size_t slash = f[2].find('/');
  c.address = f[2].substr(0, slash);
  c.suffix = slash == std::string_view::npos ? "" : std::string(f[2].substr(slash));
  return !c.address.empty() && c.nettype == "IN" && (c.addrtype == "IP4" || c.addrtype == "IP6");
}

Attribute parse_attribute(std::string_view v) {
  Attribute a;
  const std::size_t colon = v.find(':');
  a.name = v.substr(0, colon);
  if (colon != std::string_view::npos) {
    a.has_value = true;
    a.value = v.substr(colon + 1);
  }
  return a;
}

bool parse_media_line(std::string_view v, Media& m) {
  auto f = split_ws(v);
  if (f.size() < 4) return false;
  m.type = f[0];
  const std::size_t slash = f[1].find('/');
  std::uint16_t port = 0;
  if (!to_number(f[1].substr(0, slash), port)) return false;
  m.port = port;
  if (slash != std::string_view::npos) {
    std::uint16_t count = 0;
    if (!to_number(f[1].substr(slash + 1), count) || count == 0) return false;
    m.port_count = count;
  }
  m.proto = f[2];
  for (std::size_t i = 3; i < f.size(); ++i) m.formats.emplace_back(f[i]);
  return true;
}

const Attribute* find_attribute(const std::vector<Attribute>& attrs, std::string_view name) {
  for (const auto& a : attrs)
    if (a.name == name) return &a;
  return nullptr;
}

std::optional<Direction> direction_of(const std::vector<Attribute>& attrs) {
  for (const auto& a : attrs) {
    if (a.name == "sendrecv") return Direction::SendRecv;
    if (a.name == "sendonly") return Direction::SendOnly;
    if (a.name == "recvonly") return Direction::RecvOnly;
    if (a.name == "inactive") return Direction::Inactive;
  }
  return std::nullopt;
}

void put_connection(std::string& out, const Connection& c) {
  out.append("c=").append(c.nettype).append(" ").append(c.addrtype).append(" ").append(c.address)
     .append(c.suffix).append("\r\n");
}

void put_attributes(std::string& out, const std::vector<Attribute>& attrs) {
  for (const auto& a : attrs) {
    out.append("a=").append(a.name);
    if (a.has_value) out.append(":").append(a.value);
    out.append("\r\n");
  }
}

}  // namespace

std::string_view direction_name(Direction d) {
  switch (d) {
    case Direction::SendRecv: return "sendrecv";
    case Direction::SendOnly: return "sendonly";
    case Direction::RecvOnly: return "recvonly";
    case Direction::Inactive: return "inactive";
  }
  return "sendrecv";
}

const Attribute* Media::attribute(std::string_view name) const { return find_attribute(attributes, name); }

std::vector<RtpMap> Media::rtpmaps() const {
  std::vector<RtpMap> out;
  for (const auto& a : attributes) {
    if (a.name != "rtpmap") continue;
    // a=rtpmap:<payload type> <encoding name>/<clock rate>[/<encoding parameters>]
    const std::size_t sp = a.value.find(' ');
    RtpMap r;
    if (sp == std::string::npos || !to_number(std::string_view(a.value).substr(0, sp), r.payload_type)) continue;
    std::string_view enc = std::string_view(a.value).substr(sp + 1);
    const std::size_t s1 = enc.find('/');
    if (s1 == std::string_view::npos) continue;
    r.encoding = enc.substr(0, s1);
    std::string_view rest = enc.substr(s1 + 1);
    const std::size_t s2 = rest.find('/');
    if (!to_number(rest.substr(0, s2), r.clock_rate)) continue;
    int ch = 0;
    if (s2 != std::string_view::npos && to_number(rest.substr(s2 + 1), ch)) r.channels = ch;
    out.push_back(std::move(r));
  }
  return out;
}

std::optional<std::string> Media::fmtp(int payload_type) const {
  const std::string prefix = std::to_string(payload_type) + " ";
  for (const auto& a : attributes)
    if (a.name == "fmtp" && a.value.compare(0, prefix.size(), prefix) == 0) return a.value.substr(prefix.size());
  return std::nullopt;
}

std::optional<std::uint32_t> Media::ptime() const {
  const Attribute* a = attribute("ptime");
  std::uint32_t v = 0;
  if (a && to_number(std::string_view(a->value), v)) return v;
  return std::nullopt;
}

std::optional<Direction> Media::direction() const { return direction_of(attributes); }

std::optional<Rtcp> Media::rtcp() const {
  const Attribute* a = attribute("rtcp");
  if (!a) return std::nullopt;
  std::string_view v = a->value;
  const std::size_t sp = v.find(' ');
  Rtcp r;
  if (!to_number(v.substr(0, sp), r.port)) return std::nullopt;
  if (sp != std::string_view::npos) {
    Connection c;
    if (!parse_connection(v.substr(sp + 1), c)) return std::nullopt;
    r.connection = c;
  }
  return r;
}

bool Media::rtcp_mux() const { return attribute("rtcp-mux") != nullptr; }

Direction SessionDescription::direction(const Media& m) const {
  if (auto d = m.direction()) return *d;
  return direction_of(attributes).value_or(Direction::SendRecv);
}

const Connection* SessionDescription::connection_for(const Media& m) const {
  if (m.connection) return &*m.connection;
  return connection ? &*connection : nullptr;
}

const Attribute* SessionDescription::attribute(std::string_view name) const {
  return find_attribute(attributes, name);
}

Result<SessionDescription> parse(std::string_view text) {
  SessionDescription sd;
  sd.times.clear();
  bool seen_v = false, seen_o = false, seen_s = false;
  std::size_t pos = 0, lines = 0;
  auto bad = [&](const char* why, std::size_t at) { return fail(Errc::BadSdp, why, at); };

  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    const std::size_t next = eol == std::string_view::npos ? text.size() : eol + 1;
    std::string_view line = text.substr(pos, (eol == std::string_view::npos ? text.size() : eol) - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);  // CRLF or LF (RFC 4566 §5)
    const std::size_t at = pos;
    pos = next;
    if (line.empty()) {
      if (pos >= text.size()) break;  // a trailing empty line
      return bad("empty line", at);
    }
    if (++lines > sip::kMaxSdpLines) return bad("more lines than the limit", at);
    if (line.size() < 2 || line[1] != '=' || line[0] < 'a' || line[0] > 'z') return bad("line is not <type>=<value>", at);
    const char type = line[0];
    const std::string_view v = line.substr(2);
    if (!seen_v && type != 'v') return bad("description does not start with v=", at);
    Media* m = sd.media.empty() ? nullptr : &sd.media.back();

    switch (type) {
      case 'v':
        if (seen_v || v != "0") return bad("v= must be 0 and come once", at);
        seen_v = true;
        break;
      case 'o': {
        auto f = split_ws(v);
        if (seen_o || m || f.size() != 6 || !to_number(f[2], sd.origin.session_version))
          return bad("o= needs username sess-id sess-version nettype addrtype address", at);
        sd.origin = {std::string(f[0]), std::string(f[1]), sd.origin.session_version,
                     std::string(f[3]), std::string(f[4]), std::string(f[5])};
        seen_o = true;
        break;
      }
      case 's':
        if (seen_s || m) return bad("s= must come once, before m=", at);
        sd.session_name = v;
        seen_s = true;
        break;
      case 'i':
        (m ? m->information : sd.information) = std::string(v);
        break;
      case 'u':
        if (m) return bad("u= is not allowed in a media description", at);
        sd.uri = std::string(v);
        break;
      case 'e':
      case 'p':
        if (m) return bad("e= and p= are not allowed in a media description", at);
        (type == 'e' ? sd.emails : sd.phones).emplace_back(v);
        break;
      case 'c': {
        Connection c;
        if (!parse_connection(v, c)) return bad("c= needs IN IP4|IP6 <address>", at);
        (m ? m->connection : sd.connection) = c;
        break;
      }
      case 'b':
        if (v.find(':') == std::string_view::npos) return bad("b= needs <bwtype>:<bandwidth>", at);
        (m ? m->bandwidths : sd.bandwidths).emplace_back(v);
        break;
      case 't':
        if (m || split_ws(v).size() != 2) return bad("t= needs <start> <stop>, before m=", at);
        sd.times.emplace_back(v);
        sd.repeats.emplace_back();
        break;
      case 'r':
        if (m || sd.times.empty()) return bad("r= must follow a t= line", at);
        sd.repeats.back().emplace_back(v);
        break;
      case 'z':
        if (m) return bad("z= is not allowed in a media description", at);
        sd.zone = std::string(v);
        break;
      case 'k':
        (m ? m->key : sd.key) = std::string(v);
        break;
      case 'a':
        if (v.empty()) return bad("empty a= line", at);
        (m ? m->attributes : sd.attributes).push_back(parse_attribute(v));
        break;
      case 'm': {
        if (sd.media.size() >= sip::kMaxSdpMedia) return bad("more media descriptions than the limit", at);
        Media media;
        if (!parse_media_line(v, media)) return bad("m= needs <media> <port>[/<n>] <proto> <fmt> ...", at);
        sd.media.push_back(std::move(media));
        break;
      }
      default:
        // RFC 4566 §5: a description with a type letter the parser does not know is ignored
        // whole; for an SBC that means refusing it rather than relaying what it cannot read.
        return bad("unknown SDP line type", at);
    }
  }
  if (!seen_v || !seen_o || !seen_s) return fail(Errc::BadSdp, "v=, o= and s= are required", 0);
  if (sd.times.empty()) return fail(Errc::BadSdp, "at least one t= line is required", 0);
  for (const auto& m : sd.media)
    if (m.port != 0 && !sd.connection_for(m))
      return fail(Errc::BadSdp, "a media description has no c= line at either level", 0);
  return sd;
}

std::string serialize(const SessionDescription& sd) {
  std::string out;
  out.reserve(512);
  out.append("v=").append(std::to_string(sd.version)).append("\r\n");
  const Origin& o = sd.origin;
  out.append("o=").append(o.username).append(" ").append(o.session_id).append(" ")
     .append(std::to_string(o.session_version)).append(" ").append(o.nettype).append(" ")
     .append(o.addrtype).append(" ").append(o.address).append("\r\n");
  out.append("s=").append(sd.session_name).append("\r\n");
  if (sd.information) out.append("i=").append(*sd.information).append("\r\n");
  if (sd.uri) out.append("u=").append(*sd.uri).append("\r\n");
  for (const auto& e : sd.emails) out.append("e=").append(e).append("\r\n");
  for (const auto& p : sd.phones) out.append("p=").append(p).append("\r\n");
  if (sd.connection) put_connection(out, *sd.connection);
  for (const auto& b : sd.bandwidths) out.append("b=").append(b).append("\r\n");
  for (std::size_t i = 0; i < sd.times.size(); ++i) {
    out.append("t=").append(sd.times[i]).append("\r\n");
    if (i < sd.repeats.size())
      for (const auto& r : sd.repeats[i]) out.append("r=").append(r).append("\r\n");
  }
  if (sd.zone) out.append("z=").append(*sd.zone).append("\r\n");
  if (sd.key) out.append("k=").append(*sd.key).append("\r\n");
  put_attributes(out, sd.attributes);
  for (const auto& m : sd.media) {
    out.append("m=").append(m.type).append(" ").append(std::to_string(m.port));
    if (m.port_count) out.append("/").append(std::to_string(*m.port_count));
    out.append(" ").append(m.proto);
    for (const auto& f : m.formats) out.append(" ").append(f);
    out.append("\r\n");
    if (m.information) out.append("i=").append(*m.information).append("\r\n");
    if (m.connection) put_connection(out, *m.connection);
    for (const auto& b : m.bandwidths) out.append("b=").append(b).append("\r\n");
    if (m.key) out.append("k=").append(*m.key).append("\r\n");
    put_attributes(out, m.attributes);
  }
  return out;
}

}  // namespace palisade::sdp
