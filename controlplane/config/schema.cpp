#include "config/schema.hpp"

#include <arpa/inet.h>

#include <array>
#include <cstring>

namespace palisade::config {

namespace {
constexpr std::array<std::string_view, 5> kLevels{"debug", "info", "notice", "warning", "error"};

const std::vector<std::pair<std::string_view, TransportProtocol>> kTransports{
    {"UDP", TransportProtocol::Udp}, {"TCP", TransportProtocol::Tcp}};
const std::vector<std::pair<std::string_view, ReferCallTransfer>> kReferModes{
    {"disabled", ReferCallTransfer::Disabled}, {"enabled", ReferCallTransfer::Enabled},
    {"dynamic", ReferCallTransfer::Dynamic}};
}  // namespace

std::optional<LogLevel> log_level_from(std::string_view name) {
  for (std::size_t i = 0; i < kLevels.size(); ++i)
    if (kLevels[i] == name) return static_cast<LogLevel>(i);
  return std::nullopt;
}

std::string_view log_level_name(LogLevel level) { return kLevels[static_cast<std::size_t>(level)]; }

std::string_view type_name(AttrType t) {
  switch (t) {
    case AttrType::String: return "string";
    case AttrType::Name: return "name";
    case AttrType::Number: return "number";
    case AttrType::Flag: return "enabled|disabled";
    case AttrType::Choice: return "choice";
    case AttrType::Ip: return "IP address";
    case AttrType::IpPrefix: return "IP prefix";
    case AttrType::List: return "list of names";
    case AttrType::Secret: return "password hash";
  }
  return "";
}

bool is_ip(std::string_view text) {
  if (text.empty() || text.size() > 45) return false;
  std::array<char, 48> buf{};
  std::memcpy(buf.data(), text.data(), text.size());
  unsigned char addr[16];
  return inet_pton(AF_INET, buf.data(), addr) == 1 || inet_pton(AF_INET6, buf.data(), addr) == 1;
}

bool is_password_hash(std::string_view text) {
  if (!(text.starts_with("$6$") || text.starts_with("$5$") || text.starts_with("$y$")) || text.size() < 20) return false;
  return text.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789./$=") == std::string_view::npos;
}

bool is_ip_prefix(std::string_view text) {
  const std::size_t slash = text.find('/');
  if (slash == std::string_view::npos) return is_ip(text);
  const std::string_view ip = text.substr(0, slash), bits = text.substr(slash + 1);
  if (!is_ip(ip) || bits.empty() || bits.size() > 3) return false;
  unsigned n = 0;
  for (char c : bits) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + static_cast<unsigned>(c - '0');
  }
  return n <= (ip.find(':') == std::string_view::npos ? 32u : 128u);
}

namespace detail {

std::optional<std::string> as_text(const Value& v, std::string& out) {
  if (auto s = std::get_if<std::string>(&v)) {
    out = *s;
    return std::nullopt;
  }
  return "must be a string in double quotes";
}

std::optional<std::string> as_number(const Value& v, std::uint64_t min, std::uint64_t max, std::uint64_t& out) {
  long long n = 0;
  if (auto i = std::get_if<long long>(&v)) {
    n = *i;
  } else if (auto s = std::get_if<std::string>(&v); s && !s->empty() && s->size() < 19 &&
                                                     s->find_first_not_of("0123456789") == std::string::npos) {
    n = std::stoll(*s);
  } else {
    return "must be a number";
  }
  if (n < 0 || static_cast<std::uint64_t>(n) < min || static_cast<std::uint64_t>(n) > max)
    return "must be from " + std::to_string(min) + " to " + std::to_string(max);
  out = static_cast<std::uint64_t>(n);
  return std::nullopt;
}

std::optional<std::string> as_flag(const Value& v, bool& out) {
  if (auto b = std::get_if<bool>(&v)) {
    out = *b;
    return std::nullopt;
  }
  if (auto s = std::get_if<std::string>(&v)) {
    if (*s == "enabled") out = true;
    else if (*s == "disabled") out = false;
    else return "must be enabled or disabled";
    return std::nullopt;
  }
  return "must be \"enabled\" or \"disabled\"";
}

std::optional<std::string> as_list(const Value& v, std::vector<std::string>& out) {
  if (auto l = std::get_if<std::vector<std::string>>(&v)) {
    out = *l;
    return std::nullopt;
  }
  if (auto s = std::get_if<std::string>(&v)) {
    out = {*s};
    return std::nullopt;
  }
  return "must be a list of strings, e.g. [\"a\", \"b\"]";
}

std::optional<std::string> check_text(AttrType type, std::string_view text) {
  switch (type) {
    case AttrType::Name:
      if (text.empty() || text.size() > 63 ||
          text.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") != std::string_view::npos)
        return "must be 1-63 letters, digits, '-', '_' or '.'";
      break;
    case AttrType::Ip:
      if (!text.empty() && !is_ip(text)) return "must be an IPv4 or IPv6 address";
      break;
    case AttrType::IpPrefix:
      if (!is_ip_prefix(text)) return "must be an address/prefix-length, e.g. 10.0.0.0/8";
      break;
    case AttrType::Secret:
      if (!text.empty() && !is_password_hash(text)) return "must be a crypt(3) hash such as sbcd --hash-password prints";
      break;
    default:
      break;
  }
  return std::nullopt;
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out.append(out.empty() ? "" : " ").append(s);
  return out;
}

}  // namespace detail

// ---- the declarations -------------------------------------------------------------------

const ElementSpec<SystemConfig>& system_config_spec() {
  static const ElementSpec<SystemConfig> spec{
      "system-config", "", "the system as a whole",
      {text("hostname", &SystemConfig::hostname, "the system's name, shown in the ACLI prompt and logs", AttrType::Name),
       text("description", &SystemConfig::description, "free text"),
       choice("process-log-level", &SystemConfig::process_log_level,
              {{"debug", LogLevel::Debug}, {"info", LogLevel::Info}, {"notice", LogLevel::Notice},
               {"warning", LogLevel::Warning}, {"error", LogLevel::Error}},
              "the least severe level sbcd logs"),
       text("enable-password", &SystemConfig::enable_password,
            "hash of the ACLI superuser password (`enable`); the ACLI hashes what is typed; \"\" = none asked",
            AttrType::Secret),
       text("acli-socket", &SystemConfig::acli_socket, "the Unix socket of the ACLI management server"),
       text("acli-group", &SystemConfig::acli_group, "the group allowed to connect to the socket (mode 0660); \"\" = root's"),
       text("metrics-address", &SystemConfig::metrics_address, "the address Prometheus scrapes /metrics on", AttrType::Ip),
       number("metrics-port", &SystemConfig::metrics_port, 0, 65535, "the port of /metrics; 0 = no metrics server")}};
  return spec;
}

const ElementSpec<PhyInterface>& phy_interface_spec() {
  static const ElementSpec<PhyInterface> spec{
      "phy-interface", "name", "a port of the DPDK fast path; the network-interface of the same name gives its address",
      {text("name", &PhyInterface::name, "the port's name, shared with its network-interface", AttrType::Name),
       text("device", &PhyInterface::device,
            "DPDK devargs of the port: a vdev (\"net_af_packet0,iface=eth1\") or a PCI address"),
       text("exception-interface", &PhyInterface::exception_interface,
            "the kernel tap that takes what is not media (SIP, ARP, ICMP); \"\" = pal-<name>", AttrType::Name)}};
  return spec;
}

const ElementSpec<MediaManager>& media_manager_spec() {
  static const ElementSpec<MediaManager> spec{
      "media-manager", "", "the DPDK fast path: EAL, cores, memory, flow table",
      {flag("state", &MediaManager::state, "run the fast path on the phy-interfaces; disabled = kernel interfaces only"),
       number("main-lcore", &MediaManager::main_lcore, 0, 127, "the core of the control thread"),
       number("worker-lcore", &MediaManager::worker_lcore, 0, 127, "the core of the polling worker, taken whole"),
       number("memory-mb", &MediaManager::memory_mb, 64, 65536, "DPDK memory in MB (EAL -m); hugepages are not needed"),
       number("mbufs", &MediaManager::mbufs, 1023, 16777215, "packet buffers, about 2.3 KiB each out of memory-mb"),
       number("max-flows", &MediaManager::max_flows, 64, 16777216, "flows the table holds (two per anchored stream, four with RTCP)"),
       text("eal-args", &MediaManager::eal_args, "further DPDK EAL arguments, space-separated"),
       number("initial-guard-timer", &MediaManager::initial_guard_timer, 0, 86400,
              "seconds without media after set-up before the call is ended; 0 = never"),
       number("subsequent-guard-timer", &MediaManager::subsequent_guard_timer, 0, 86400,
              "seconds without media, once it flowed, before the call is ended; 0 = never"),
       number("flow-time-limit", &MediaManager::flow_time_limit, 0, 2592000,
              "seconds a call's media may last at most; 0 = no limit"),
       number("max-signaling-packets", &MediaManager::max_signaling_packets, 0, 10000000,
              "packets per second the fast path hands the kernel through one port (SIP, ARP, ICMP, strays), all "
              "sources together; more are dropped and counted (signaling_rate); 0 = no limit"),
       number("max-source-signaling-packets", &MediaManager::max_source_signaling_packets, 0, 10000000,
              "packets per second the fast path hands the kernel from one source IP (4,096 sources tracked); more are "
              "dropped and counted (source_rate); 0 = no limit")}};
  return spec;
}

const ElementSpec<SteeringPool>& steering_pool_spec() {
  static const ElementSpec<SteeringPool> spec{
      "steering-pool", "", "media ports of the SBC on one address of a realm",
      {text("ip-address", &SteeringPool::ip_address, "a network-interface address of the realm", AttrType::Ip),
       number("start-port", &SteeringPool::start_port, 1024, 65535, "the first port (RTP takes even ports, RTCP the next)"),
       number("end-port", &SteeringPool::end_port, 1024, 65535, "the last port"),
       text("realm-id", &SteeringPool::realm_id, "the realm whose calls take ports here", AttrType::Name)}};
  return spec;
}

const ElementSpec<NetworkInterface>& network_interface_spec() {
  static const ElementSpec<NetworkInterface> spec{
      "network-interface", "name", "an IP interface of the SBC in one network",
      {text("name", &NetworkInterface::name, "the interface's name, referred to by realm-config", AttrType::Name),
       text("ip-address", &NetworkInterface::ip_address, "the SBC's address on this network", AttrType::Ip),
       text("netmask", &NetworkInterface::netmask, "the network's mask", AttrType::Ip),
       text("gateway", &NetworkInterface::gateway, "the next hop for addresses outside the network", AttrType::Ip)}};
  return spec;
}

const ElementSpec<RealmConfig>& realm_config_spec() {
  static const ElementSpec<RealmConfig> spec{
      "realm-config", "identifier", "a network the SBC serves (access, core, a peer)",
      {text("identifier", &RealmConfig::identifier, "the realm's name", AttrType::Name),
       list("network-interfaces", &RealmConfig::network_interfaces, "the network-interfaces in this realm"),
       text("addr-prefix", &RealmConfig::addr_prefix, "the addresses that belong to this realm", AttrType::IpPrefix),
       flag("mm-in-realm", &RealmConfig::mm_in_realm, "anchor media between two endpoints of this realm (disabled: it goes direct)"),
       flag("mm-in-network", &RealmConfig::mm_in_network, "anchor media between realms of one network-interface (disabled: it goes direct)"),
       flag("mm-same-ip", &RealmConfig::mm_same_ip, "anchor media between endpoints behind one IP (disabled: it goes direct)"),
       choice("refer-call-transfer", &RealmConfig::refer_call_transfer, kReferModes,
              "REFER from this realm: proxy it (disabled), perform the transfer (enabled), or decide per call (dynamic)"),
       flag("dyn-refer-term", &RealmConfig::dyn_refer_term, "with dynamic: terminate REFERs whose egress is this realm"),
       choice("refer-notify-provisional", &RealmConfig::refer_notify_provisional,
              {{"none", ReferNotifyProvisional::None}, {"initial", ReferNotifyProvisional::Initial},
               {"all", ReferNotifyProvisional::All}},
              "provisional NOTIFYs sent while the SBC performs a transfer"),
       choice("restricted-latching", &RealmConfig::restricted_latching,
              {{"auto", RestrictedLatching::Auto}, {"sdp", RestrictedLatching::Sdp}, {"peer-ip", RestrictedLatching::PeerIp},
               {"none", RestrictedLatching::None}},
              "where this realm's media may come from before latching: the SDP's address, the signalling's (NAT), "
              "anywhere, or auto (the signalling's when the SDP is private and the signalling public)"),
       list("relay-headers", &RealmConfig::relay_headers,
            "headers (e.g. User-Agent, P-Asserted-Identity) relayed into this realm beyond docs/b2bua.md's list"),
       choice("access-control-trust-level", &RealmConfig::access_control_trust_level,
              {{"high", TrustLevel::High}, {"medium", TrustLevel::Medium}, {"low", TrustLevel::Low}, {"none", TrustLevel::None}},
              "high: sources in this realm are not policed; medium, low, none: each source is held to the thresholds below"),
       number("maximum-signal-threshold", &RealmConfig::maximum_signal_threshold, 0, 100000,
              "SIP messages per second one untrusted source may send; more are dropped unanswered; 0 = no limit"),
       number("invalid-signal-threshold", &RealmConfig::invalid_signal_threshold, 0, 100000,
              "malformed messages from one untrusted source within 30 s that deny it for deny-period; 0 = never"),
       number("deny-period", &RealmConfig::deny_period, 1, 86400,
              "seconds a denied source's messages are dropped unanswered"),
       text("constraint-name", &RealmConfig::constraint_name,
            "the session-constraints limiting the calls that arrive from and are sent into this realm; \"\" = none",
            AttrType::Name)}};
  return spec;
}

const ElementSpec<SipPort>& sip_port_spec() {
  static const ElementSpec<SipPort> spec{
      "sip-ports", "", "an address, port and transport the SBC takes SIP on",
      {text("address", &SipPort::address, "a network-interface address of the realm", AttrType::Ip),
       number("port", &SipPort::port, 1, 65535, "the port"),
       choice("transport-protocol", &SipPort::transport_protocol, kTransports, "UDP or TCP")}};
  return spec;
}

const ElementSpec<SipInterface>& sip_interface_spec() {
  static const ElementSpec<SipInterface> spec{
      "sip-interface", "realm-id", "where the SBC takes SIP in a realm (sip-ports inside)",
      {flag("state", &SipInterface::state, "whether the interface is in use"),
       text("realm-id", &SipInterface::realm_id, "the realm this interface serves", AttrType::Name)}};
  return spec;
}

const ElementSpec<SessionAgent>& session_agent_spec() {
  static const ElementSpec<SessionAgent> spec{
      "session-agent", "hostname", "a SIP peer the SBC sends calls to and takes calls from",
      {text("hostname", &SessionAgent::hostname, "the agent's name (or its IP address)", AttrType::Name),
       text("ip-address", &SessionAgent::ip_address, "the agent's address", AttrType::Ip),
       number("port", &SessionAgent::port, 1, 65535, "the agent's port"),
       flag("state", &SessionAgent::state, "whether calls may go to the agent"),
       text("realm-id", &SessionAgent::realm_id, "the realm the agent is in", AttrType::Name),
       choice("transport-method", &SessionAgent::transport_method, kTransports, "UDP or TCP towards the agent"),
       text("ping-method", &SessionAgent::ping_method, "\"OPTIONS\" to probe the agent, \"\" not to"),
       number("ping-interval", &SessionAgent::ping_interval, 0, 86400, "seconds between probes; 0 = none"),
       number("max-sessions", &SessionAgent::max_sessions, 0, 10000000, "concurrent calls allowed; 0 = unlimited"),
       number("max-burst-rate", &SessionAgent::max_burst_rate, 0, 1000000,
              "calls sent to the agent within one second; past it the agent is skipped (503 + Retry-After when no other "
              "next hop is left); 0 = unlimited"),
       number("max-sustain-rate", &SessionAgent::max_sustain_rate, 0, 1000000,
              "calls per second sent to the agent, averaged over the last 10 seconds; past it the agent is skipped; "
              "0 = unlimited"),
       number("trans-timeouts", &SessionAgent::trans_timeouts, 0, 1000,
              "INVITEs in a row the agent leaves unanswered (Timer B) before it is taken out of service, when it is "
              "pinged (its pings bring it back); one lost transaction on a lossy path must not turn calls away; "
              "0 = never"),
       choice("refer-call-transfer", &SessionAgent::refer_call_transfer, kReferModes,
              "REFER from this agent; overrides the realm's setting")}};
  return spec;
}

const ElementSpec<SessionConstraints>& session_constraints_spec() {
  using S = SessionConstraints;
  static const ElementSpec<S> spec{
      "session-constraints", "name",
      "limits on a realm's calls (realm-config constraint-name): a call past one is answered 503 + Retry-After, or "
      "the next hop in that realm is skipped",
      {text("name", &S::name, "the name realms refer to", AttrType::Name),
       flag("state", &S::state, "whether the limits apply"),
       number("max-sessions", &S::max_sessions, 0, 999999999, "concurrent calls from and into the realm; 0 = unlimited"),
       number("max-inbound-sessions", &S::max_inbound_sessions, 0, 999999999,
              "concurrent calls arriving from the realm; 0 = unlimited"),
       number("max-outbound-sessions", &S::max_outbound_sessions, 0, 999999999,
              "concurrent calls sent into the realm; 0 = unlimited"),
       number("max-burst-rate", &S::max_burst_rate, 0, 999999999,
              "calls from and into the realm begun within one second; 0 = unlimited"),
       number("max-inbound-burst-rate", &S::max_inbound_burst_rate, 0, 999999999,
              "calls arriving from the realm within one second; 0 = unlimited"),
       number("max-outbound-burst-rate", &S::max_outbound_burst_rate, 0, 999999999,
              "calls sent into the realm within one second; 0 = unlimited"),
       number("max-sustain-rate", &S::max_sustain_rate, 0, 999999999,
              "calls per second from and into the realm, averaged over the last 10 seconds; 0 = unlimited"),
       number("max-inbound-sustain-rate", &S::max_inbound_sustain_rate, 0, 999999999,
              "calls per second arriving from the realm, averaged over the last 10 seconds; 0 = unlimited"),
       number("max-outbound-sustain-rate", &S::max_outbound_sustain_rate, 0, 999999999,
              "calls per second sent into the realm, averaged over the last 10 seconds; 0 = unlimited")}};
  return spec;
}

const ElementSpec<PolicyAttribute>& policy_attribute_spec() {
  static const ElementSpec<PolicyAttribute> spec{
      "policy-attributes", "", "one next hop of a local-policy",
      {text("next-hop", &PolicyAttribute::next_hop, "a session-agent hostname or an IP address"),
       text("realm", &PolicyAttribute::realm, "the realm the next hop is in"),
       number("cost", &PolicyAttribute::cost, 0, 999999999, "lower costs are tried first"),
       flag("state", &PolicyAttribute::state, "whether this next hop is used")}};
  return spec;
}

const ElementSpec<LocalPolicy>& local_policy_spec() {
  static const ElementSpec<LocalPolicy> spec{
      "local-policy", "", "a route: which calls go where (policy-attributes inside)",
      {list("from-address", &LocalPolicy::from_address, "From user prefixes this policy matches; \"*\" = any"),
       list("to-address", &LocalPolicy::to_address, "To user prefixes (longest match wins); \"*\" = any"),
       list("source-realm", &LocalPolicy::source_realm, "realms the call may come from; \"*\" = any"),
       flag("state", &LocalPolicy::state, "whether the policy is used")}};
  return spec;
}

const ElementSpec<SipConfig>& sip_config_spec() {
  static const ElementSpec<SipConfig> spec{
      "sip-config", "", "SIP timers and limits for the whole system",
      {number("init-timer", &SipConfig::init_timer, 50, 10000, "T1 in milliseconds"),
       number("max-timer", &SipConfig::max_timer, 100, 40000, "T2 in milliseconds"),
       number("t4-timer", &SipConfig::t4_timer, 100, 60000, "T4 in milliseconds"),
       number("trans-expire", &SipConfig::trans_expire, 1, 300, "seconds before a transaction times out (B, F, H)"),
       number("invite-expire", &SipConfig::invite_expire, 1, 3600, "seconds an INVITE may ring (Timer C)"),
       number("call-trace-calls", &SipConfig::call_trace_calls, 0, 10000,
              "the newest calls whose SIP messages sbcd keeps for show sipd call-flow and save-call-flow (each at most "
              "256 messages); 0 = none"),
       text("hep-address", &SipConfig::hep_address,
            "a HEPv3 collector (Homer, heplify-server, Kamailio sipcapture) sent every SIP message in and out; \"\" = none",
            AttrType::Ip),
       number("hep-port", &SipConfig::hep_port, 1, 65535, "the collector's UDP port"),
       number("hep-capture-id", &SipConfig::hep_capture_id, 0, 2147483647, "the capture agent id sent with each message")}};
  return spec;
}

}  // namespace palisade::config
