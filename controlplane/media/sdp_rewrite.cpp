#include "media/sdp_rewrite.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace palisade::media {

namespace {

// ICE (RFC 8839) between the SBC and each party would need the SBC to run ICE itself; it does
// not, so it offers none: candidates naming the far side's addresses must not cross anyway.
constexpr std::array<std::string_view, 8> kIceAttributes{"candidate",   "ice-ufrag",       "ice-pwd",
                                                         "ice-options", "ice-lite",        "ice-mismatch",
                                                         "end-of-candidates", "remote-candidates"};

bool is_ice(const sdp::Attribute& a) { return std::find(kIceAttributes.begin(), kIceAttributes.end(), a.name) != kIceAttributes.end(); }

sdp::Connection connection_to(const std::string& address) {
  sdp::Connection c;
  c.addrtype = address.find(':') == std::string::npos ? "IP4" : "IP6";
  c.address = address;
  return c;
}

bool is_hold_address(const sdp::Connection* c) { return c && (c->address == "0.0.0.0" || c->address == "::"); }

}  // namespace

std::vector<StreamInfo> streams_of(const sdp::SessionDescription& sd) {
  std::vector<StreamInfo> out;
  for (const auto& m : sd.media) {
    StreamInfo s;
    s.type = m.type;
    s.rejected = m.port == 0;
    const sdp::Connection* c = sd.connection_for(m);
    s.address = c ? c->address : "";
    s.held_by_address = is_hold_address(c);
    s.rtp_port = m.port;
    s.rtcp_mux = m.rtcp_mux();
    const auto rtcp = m.rtcp();
    s.rtcp_port = s.rtcp_mux ? m.port : rtcp ? rtcp->port : static_cast<std::uint16_t>(m.port + 1);
    s.direction = sd.direction(m);
    out.push_back(std::move(s));
  }
  return out;
}

namespace {
// A repeated SDP keeps its version, a changed one raises it: compare with the version out.
std::string stamp(sdp::SessionDescription& out, OriginState& origin) {
  const std::string body = sdp::serialize(out);
  if (origin.last_sent.empty() || body != origin.last_sent) ++origin.version;
  origin.last_sent = body;
  out.origin.session_version = origin.version;
  return sdp::serialize(out);
}
}  // namespace

std::string rewrite(const sdp::SessionDescription& in, const std::vector<std::optional<Anchor>>& anchors,
                    const std::string& leg_address, OriginState& origin) {
  sdp::SessionDescription out = in;
  std::erase_if(out.attributes, is_ice);
  out.origin = {"palisade", origin.session_id, 0, "IN", connection_to(leg_address).addrtype, leg_address};
  // The session-level c= named the sender: it now names the SBC, and a media-level c= is
  // written only where a stream's address differs from it (another anchor, or a hold).
  if (out.connection && !is_hold_address(&*out.connection)) out.connection = connection_to(leg_address);
  for (std::size_t i = 0; i < out.media.size(); ++i) {
    sdp::Media& m = out.media[i];
    std::erase_if(m.attributes, is_ice);
    const std::optional<Anchor> a = i < anchors.size() ? anchors[i] : std::nullopt;
    if (m.port == 0 || !a) {
      m.port = 0;  // rejected as it came, or not carried by the SBC
      m.connection.reset();
      continue;
    }
    m.port = a->rtp_port;
    m.port_count.reset();
    const sdp::Connection* said = in.connection_for(in.media[i]);
    // A stream on hold by c=0.0.0.0 stays so: the party asked for nothing to be sent to it.
    const sdp::Connection c = is_hold_address(said) ? *said : connection_to(a->address);
    m.connection.reset();
    if (!out.connection || out.connection->address != c.address) m.connection = c;
    const std::uint16_t rtcp = m.rtcp_mux() ? a->rtp_port : static_cast<std::uint16_t>(a->rtp_port + 1);
    for (auto& attr : m.attributes)
      if (attr.name == "rtcp") {
        attr.value = std::to_string(rtcp) + " IN " + connection_to(a->address).addrtype + " " + a->address;
        attr.has_value = true;
      }
  }
  return stamp(out, origin);
}

std::string reorigin(const sdp::SessionDescription& in, const std::string& leg_address, OriginState& origin) {
  sdp::SessionDescription out = in;
  out.origin = {"palisade", origin.session_id, 0, "IN", connection_to(leg_address).addrtype, leg_address};
  return stamp(out, origin);
}

}  // namespace palisade::media
