#include "refer/refer_policy.hpp"

#include <cctype>
#include <cstdint>
#include <vector>

#include "sip/charset.hpp"
#include "sip/params.hpp"
#include "sip/sdp.hpp"

namespace palisade::refer {

using config::ReferCallTransfer;

namespace {

const config::RealmConfig* realm(const config::Config& cfg, const std::string& id) {
  for (const auto& r : cfg.realms)
    if (r.identifier == id) return &r;
  return nullptr;
}

std::string_view mode_name(ReferCallTransfer m) {
  switch (m) {
    case ReferCallTransfer::Enabled: return "enabled";
    case ReferCallTransfer::Dynamic: return "dynamic";
    default: return "disabled";
  }
}

// Lines of `text` without their line ends, and the line end it uses.
std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> out;
  while (!text.empty()) {
    std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out.push_back(line);
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return out;
}

std::string_view eol_of(std::string_view text) { return text.find("\r\n") != std::string_view::npos ? "\r\n" : "\n"; }

bool looks_like_sdp(std::string_view text) { return text.substr(0, 3) == "v=0"; }

std::string joined(const std::vector<std::string>& lines, std::string_view eol) {
  std::string out;
  for (const auto& l : lines) out.append(l).append(eol);
  return out;
}

}  // namespace

ReferDecision decide_refer(const config::Config& cfg, const ReferContext& ctx) {
  ReferCallTransfer mode = ReferCallTransfer::Disabled;
  std::string source;
  const config::SessionAgent* agent = nullptr;
  for (const auto& a : cfg.session_agents)
    if (!ctx.sender_agent.empty() && a.hostname == ctx.sender_agent) agent = &a;
  if (agent) {
    mode = agent->refer_call_transfer;
    source = "session-agent " + agent->hostname;
  } else if (const auto* r = realm(cfg, ctx.ingress_realm)) {
    mode = r->refer_call_transfer;
    source = "realm " + r->identifier;
  } else {
    source = "no realm";
  }
  ReferDecision d;
  d.why = source + " refer-call-transfer " + std::string(mode_name(mode));
  if (mode == ReferCallTransfer::Enabled) d.action = ReferAction::Terminate;
  if (mode == ReferCallTransfer::Dynamic) {
    const auto* egress = realm(cfg, ctx.egress_realm);
    const bool term = egress && egress->dyn_refer_term;
    d.action = term ? ReferAction::Terminate : ReferAction::Proxy;
    d.why += ", egress realm " + ctx.egress_realm + " dyn-refer-term " + (term ? "enabled" : "disabled");
  }
  return d;
}

ReferTarget analyze_refer_to(const sip::NameAddr& refer_to) {
  ReferTarget t;
  const sip::Uri& u = refer_to.uri;
  if (!u.is_sip()) {
    t.why = "Refer-To is not a SIP URI";
    return t;
  }
  if (auto m = u.param("method"); m && !sip::charset::iequals(*m, "INVITE")) {
    t.why = "Refer-To asks for method " + std::string(*m);
    return t;
  }
  std::string_view headers = u.headers;
  while (!headers.empty()) {
    const std::size_t amp = headers.find('&');
    const std::string_view h = headers.substr(0, amp);
    const std::string_view name = h.substr(0, h.find('='));
    if (!sip::charset::iequals(name, "Replaces")) {
      t.why = "Refer-To carries header " + std::string(name);
      return t;
    }
    if (amp == std::string_view::npos) break;
    headers.remove_prefix(amp + 1);
  }
  if (auto r = sip::embedded_replaces(refer_to)) {
    if (!*r) {
      t.why = "Refer-To carries a Replaces that does not parse";
      return t;
    }
    t.replaces = **r;
  }
  t.user = sip::unescape(u.user);
  t.performable = true;
  return t;
}

std::string replaces_value(const sip::Replaces& r) {
  return r.call_id + ";to-tag=" + r.to_tag + ";from-tag=" + r.from_tag + (r.early_only ? ";early-only" : "");
}

std::string escape_uri_header(std::string_view value) {
  static constexpr std::string_view kKeep = "-_.!~*'()[]/?:+$";  // unreserved marks, hnv-unreserved
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char ch : value) {
    if (std::isalnum(ch) || kKeep.find(static_cast<char>(ch)) != std::string_view::npos) {
      out.push_back(static_cast<char>(ch));
    } else {
      out.push_back('%');
      out.push_back(kHex[ch >> 4]);
      out.push_back(kHex[ch & 15]);
    }
  }
  return out;
}

std::string sipfrag_status(int code, std::string_view reason) {
  return "SIP/2.0 " + std::to_string(code) + " " + std::string(reason) + "\r\n";
}

std::string resumed_offer(std::string_view sdp) {
  if (!looks_like_sdp(sdp)) return std::string(sdp);
  std::vector<std::string> out;
  for (auto line : lines_of(sdp)) {
    if (line == "a=sendonly" || line == "a=recvonly" || line == "a=inactive") out.emplace_back("a=sendrecv");
    else out.emplace_back(line);
  }
  return joined(out, eol_of(sdp));
}

bool same_media_destination(std::string_view a, std::string_view b) {
  auto x = sdp::parse(a);
  auto y = sdp::parse(b);
  if (!x || !y || x->media.size() != y->media.size()) return false;
  for (std::size_t i = 0; i < x->media.size(); ++i) {
    const auto* cx = x->connection_for(x->media[i]);
    const auto* cy = y->connection_for(y->media[i]);
    if (!cx || !cy || cx->address != cy->address || x->media[i].port != y->media[i].port) return false;
  }
  return true;
}

bool same_direction(std::string_view a, std::string_view b) {
  auto x = sdp::parse(a);
  auto y = sdp::parse(b);
  if (!x || !y || x->media.size() != y->media.size()) return false;
  for (std::size_t i = 0; i < x->media.size(); ++i)
    if (x->direction(x->media[i]) != y->direction(y->media[i])) return false;
  return true;
}

std::string under_origin(std::string_view sdp, std::string_view previous_sdp) {
  if (!looks_like_sdp(sdp) || !looks_like_sdp(previous_sdp)) return std::string(sdp);
  // o=<username> <sess-id> <sess-version> <nettype> <addrtype> <address>
  std::vector<std::string> prev;
  for (auto line : lines_of(previous_sdp)) {
    if (line.substr(0, 2) != "o=") continue;
    std::string_view rest = line.substr(2);
    while (!rest.empty()) {
      const std::size_t sp = rest.find(' ');
      prev.emplace_back(rest.substr(0, sp));
      if (sp == std::string_view::npos) break;
      rest.remove_prefix(sp + 1);
    }
    break;
  }
  if (prev.size() != 6 || prev[2].empty() || prev[2].size() > 19 ||
      prev[2].find_first_not_of("0123456789") != std::string::npos)
    return std::string(sdp);
  const std::uint64_t version = std::stoull(prev[2]) + 1;
  std::vector<std::string> out;
  for (auto line : lines_of(sdp)) {
    if (line.substr(0, 2) == "o=")
      out.push_back("o=" + prev[0] + " " + prev[1] + " " + std::to_string(version) + " " + prev[3] + " " + prev[4] + " " + prev[5]);
    else
      out.emplace_back(line);
  }
  return joined(out, eol_of(sdp));
}

}  // namespace palisade::refer
