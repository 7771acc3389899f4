// The typed configuration model. Element and attribute names are those of the Oracle/Acme
// Packet SBC; schema.cpp declares each attribute once (type, default, help), and the loader,
// verify, the docs and the ACLI all work from that declaration.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace palisade::config {

enum class LogLevel { Debug, Info, Notice, Warning, Error };
enum class TransportProtocol { Udp, Tcp };
enum class ReferCallTransfer { Disabled, Enabled, Dynamic };
enum class ReferNotifyProvisional { None, Initial, All };
// Where a party's media may come from before latching fixes it (Oracle's restricted-latching):
// the SDP's address, the signalling's (a NAT's public address), anywhere, or auto: the SDP's
// unless it is private while the signalling comes from a public address.
enum class RestrictedLatching { Auto, Sdp, PeerIp, None };

// Where each attribute of an element instance was written: problems name the line.
struct SourceLines {
  int element = 0;
  std::map<std::string, int> attributes;
  int line_of(const std::string& attribute) const {
    auto it = attributes.find(attribute);
    return it == attributes.end() ? element : it->second;
  }
};

struct SystemConfig {
  std::string hostname = "palisade";
  std::string description;
  LogLevel process_log_level = LogLevel::Info;
  std::string enable_password;  // crypt(3) hash of the ACLI's superuser password; "" = none asked
  std::string acli_socket = "/run/palisade/acli.sock";  // the management server's Unix socket
  std::string acli_group;       // the group that may connect (mode 0660); "" = root's
  std::string metrics_address = "127.0.0.1";  // Prometheus /metrics
  std::uint32_t metrics_port = 0;             // 0 = no metrics server
  SourceLines lines;
};

// A port the DPDK fast path owns. The network-interface of the same name gives its address,
// which sbcd puts on the port's tap in the kernel (the exception path).
struct PhyInterface {
  std::string name;
  std::string device;              // DPDK devargs: "net_af_packet0,iface=eth1", a PCI address, ...
  std::string exception_interface;  // the tap's name; "" = "pal-" + name
  SourceLines lines;
  std::string tap() const { return exception_interface.empty() ? "pal-" + name : exception_interface; }
};

// The fast path as a whole. Disabled, sbcd runs no DPDK and SIP uses the kernel's interfaces.
struct MediaManager {
  bool state = false;
  std::uint32_t main_lcore = 0;    // the control thread's core
  std::uint32_t worker_lcore = 1;  // the polling worker's core (takes it whole)
  std::uint32_t memory_mb = 256;   // EAL -m (no hugepages needed)
  std::uint32_t mbufs = 8191;      // about 2.3 KiB each out of memory-mb
  std::uint32_t max_flows = 16384;
  std::string eal_args;            // further EAL arguments, space-separated
  std::uint32_t initial_guard_timer = 300;     // s without media after set-up before the call ends; 0 = never
  std::uint32_t subsequent_guard_timer = 300;  // s without media once it flowed; 0 = never
  std::uint32_t flow_time_limit = 86400;       // s a call's media may last at most; 0 = no limit
  // The exception path (what the fast path hands the kernel), packets per second; 0 = no limit.
  std::uint32_t max_signaling_packets = 0;         // through one port, all sources together
  std::uint32_t max_source_signaling_packets = 0;  // from one source IP
  SourceLines lines;
};

// Media ports of the SBC on one address of a realm: RTP on even ports, RTCP on the next.
struct SteeringPool {
  std::string ip_address;
  std::uint32_t start_port = 20000;
  std::uint32_t end_port = 29999;
  std::string realm_id;
  SourceLines lines;
};

struct NetworkInterface {
  std::string name;
  std::string ip_address;
  std::string netmask;
  std::string gateway;
  SourceLines lines;
};

// Oracle's access-control-trust-level: high is not policed; medium, low and none are.
enum class TrustLevel { High, Medium, Low, None };

struct RealmConfig {
  std::string identifier;
  std::vector<std::string> network_interfaces;
  std::string addr_prefix = "0.0.0.0/0";
  bool mm_in_realm = false;
  bool mm_in_network = true;
  bool mm_same_ip = true;
  ReferCallTransfer refer_call_transfer = ReferCallTransfer::Disabled;
  bool dyn_refer_term = false;
  ReferNotifyProvisional refer_notify_provisional = ReferNotifyProvisional::None;
  RestrictedLatching restricted_latching = RestrictedLatching::Auto;
  std::vector<std::string> relay_headers;  // extra header names relayed into this realm
  // Admission (docs/hardening.md): sources in a realm that is not trusted (high) are policed.
  TrustLevel access_control_trust_level = TrustLevel::High;
  std::uint32_t maximum_signal_threshold = 0;  // messages per second from one source; 0 = no limit
  std::uint32_t invalid_signal_threshold = 0;  // malformed messages in 30 s that deny a source; 0 = never
  std::uint32_t deny_period = 30;              // seconds a denied source stays denied
  std::string constraint_name;  // the session-constraints that limit calls into and out of this realm
  SourceLines lines;
};

// Oracle's session-constraints: limits on the calls of a realm that names it (constraint-name).
// Inbound calls arrive from the realm, outbound calls are sent into it; max-sessions and the
// unprefixed rates count both. Every limit is 0 = unlimited.
struct SessionConstraints {
  std::string name;
  bool state = true;
  std::uint32_t max_sessions = 0, max_inbound_sessions = 0, max_outbound_sessions = 0;
  std::uint32_t max_burst_rate = 0, max_inbound_burst_rate = 0, max_outbound_burst_rate = 0;  // calls in one second
  std::uint32_t max_sustain_rate = 0, max_inbound_sustain_rate = 0, max_outbound_sustain_rate = 0;  // per s over 10 s
  SourceLines lines;
};

struct SipPort {
  std::string address;
  std::uint32_t port = 5060;
  TransportProtocol transport_protocol = TransportProtocol::Udp;
  SourceLines lines;
};

struct SipInterface {
  bool state = true;
  std::string realm_id;
  std::vector<SipPort> sip_ports;
  SourceLines lines;
};

struct SessionAgent {
  std::string hostname;
  std::string ip_address;
  std::uint32_t port = 5060;
  bool state = true;
  std::string realm_id;
  TransportProtocol transport_method = TransportProtocol::Udp;
  std::string ping_method;          // "" (no pings) or "OPTIONS"
  std::uint32_t ping_interval = 0;  // seconds; 0 = no pings
  std::uint32_t max_sessions = 0;   // 0 = unlimited
  std::uint32_t max_burst_rate = 0;    // calls sent to it in one second; 0 = unlimited
  std::uint32_t max_sustain_rate = 0;  // calls per second over the last 10 s; 0 = unlimited
  std::uint32_t trans_timeouts = 5;    // INVITEs unanswered in a row that take a pinged agent out of service
  ReferCallTransfer refer_call_transfer = ReferCallTransfer::Disabled;
  SourceLines lines;
};

struct PolicyAttribute {
  std::string next_hop;  // a session-agent hostname or an IP address
  std::string realm;
  std::uint32_t cost = 0;
  bool state = true;
  SourceLines lines;
};

struct LocalPolicy {
  std::vector<std::string> from_address{"*"};
  std::vector<std::string> to_address{"*"};
  std::vector<std::string> source_realm{"*"};
  bool state = true;
  std::vector<PolicyAttribute> policy_attributes;
  SourceLines lines;
};

struct SipConfig {
  std::uint32_t init_timer = 500;     // T1, ms
  std::uint32_t max_timer = 4000;     // T2, ms
  std::uint32_t t4_timer = 5000;      // T4, ms (a Palisade attribute)
  std::uint32_t trans_expire = 32;    // s: timers B, D, F, H, J when not derived from T1
  std::uint32_t invite_expire = 180;  // s: Timer C
  std::uint32_t call_trace_calls = 100;  // calls whose SIP messages are kept (show sipd call-flow)
  std::string hep_address;               // HEPv3 collector; "" = no HEP export
  std::uint32_t hep_port = 9060;
  std::uint32_t hep_capture_id = 1;      // the capture agent id the collector files messages under
  SourceLines lines;
};

struct Config {
  std::uint32_t version = 0;  // config-version: raised by each save-config
  SystemConfig system;
  std::vector<PhyInterface> phy_interfaces;
  MediaManager media_manager;
  std::vector<SteeringPool> steering_pools;
  std::vector<NetworkInterface> network_interfaces;
  std::vector<RealmConfig> realms;
  std::vector<SipInterface> sip_interfaces;
  std::vector<SessionAgent> session_agents;
  std::vector<SessionConstraints> session_constraints;
  std::vector<LocalPolicy> local_policies;
  SipConfig sip;
};

}  // namespace palisade::config
