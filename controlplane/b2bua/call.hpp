// The state of a call, shared by the B2BUA's translation units (b2bua.cpp runs calls,
// transfer.cpp performs the transfers a REFER asks for). Internal to the b2bua library.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "b2bua/b2bua.hpp"
#include "sip/charset.hpp"
#include "sip/normalize.hpp"

namespace palisade::b2bua {

namespace detail {
inline constexpr std::string_view kAllow = "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE, REFER, NOTIFY, MESSAGE, SUBSCRIBE";

// An address without its tag: "Alice" <sip:alice@host>;other=1
inline std::string without_tag(const sip::NameAddr& na) {
  sip::NameAddr copy = na;
  std::string params;
  na.params.for_each([&](const sip::Param& p) {
    if (sip::charset::iequals(p.name, "tag")) return;
    params.append(";").append(p.name);
    if (p.has_value) params.append("=").append(p.value);
  });
  copy.params = sip::Params{};
  return sip::render(copy) + params;
}

inline std::string user_of(const sip::Uri& u) { return u.user.empty() ? std::string("anonymous") : std::string(u.user); }
inline std::string host_port(const std::string& address, std::uint16_t port) {
  const bool v6 = address.find(':') != std::string::npos;
  return (v6 ? "[" + address + "]" : address) + ":" + std::to_string(port);
}
inline std::string via_transport(transaction::Transport t) { return t == transaction::Transport::Udp ? "UDP" : "TCP"; }

inline transaction::Transport to_transport(config::TransportProtocol p) {
  return p == config::TransportProtocol::Udp ? transaction::Transport::Udp : transaction::Transport::Tcp;
}
inline config::TransportProtocol to_protocol(transaction::Transport t) {
  return t == transaction::Transport::Udp ? config::TransportProtocol::Udp : config::TransportProtocol::Tcp;
}

// The Contact of a dialog-forming or target-refreshing message, as the Request-URI of the
// requests that follow (RFC 3261 §12.1.2, §12.2.1.2); `target` is kept when it has none.
inline void refresh_target(std::string& target, const sip::Message& m) {
  if (auto contacts = m.contacts(); !contacts.contacts.empty()) target = std::string(contacts.contacts[0].uri.raw);
}

// The route set a UAC takes from a response's Record-Route: in reverse (§12.1.2).
inline std::vector<std::string> route_set_of(const sip::Message& rsp) {
  std::vector<std::string> out;
  auto rr = rsp.record_routes();
  for (auto r = rr.rbegin(); r != rr.rend(); ++r) out.push_back(sip::render(*r));
  return out;
}

// The CANCEL of a client INVITE (§9.1): its Request-URI, Via, From, To and Call-ID.
inline sip::OutgoingMessage cancel_of(const sip::OutgoingMessage& invite, std::uint32_t cseq) {
  sip::OutgoingMessage cancel = sip::OutgoingMessage::request("CANCEL", invite.request_uri());
  for (sip::HeaderId id : {sip::HeaderId::Via, sip::HeaderId::From, sip::HeaderId::To, sip::HeaderId::CallId})
    if (const auto* h = invite.find(id)) cancel.add(id, h->value);
  cancel.add(sip::HeaderId::MaxForwards, "70");
  cancel.add(sip::HeaderId::CSeq, std::to_string(cseq) + " CANCEL");
  return cancel;
}

inline bool lists(const sip::Message& m, sip::HeaderId id, std::string_view tag) {
  for (auto t : m.tokens(id))
    if (sip::charset::iequals(t, tag)) return true;
  return false;
}
}  // namespace detail

using sip::OutgoingMessage;
using transaction::Peer;
using transaction::TxId;

struct B2bua::Leg {
  LocalAddress local;
  Peer peer;                       // where this leg's requests go
  std::string call_id;
  std::string local_tag, remote_tag;
  std::string local_uri, remote_uri;  // From/To as this leg's dialog has them, without tags
  std::string remote_target;          // Request-URI of in-dialog requests
  std::vector<std::string> route_set;
  std::uint32_t local_cseq = 0;
  std::uint32_t invite_cseq = 0;  // CSeq of the last INVITE sent on this leg (for its ACK)
  std::string ack_wire;           // the last 2xx ACK sent on this leg, for retransmitted 2xx
  std::string remote_sdp;         // the last SDP the far end of this leg sent
  bool owns_call_id = false;      // the SBC chose the Call-ID (RFC 3261 §14.1 back-off)
  // Whether the far end listed REFER in an Allow (of its INVITE or 2xx); unknown without one.
  std::optional<bool> allows_refer;
  // Its requests come from elsewhere than their Via says (RFC 3581): a NAT is in between. Its
  // in-dialog requests then follow the NAT's mapping wherever its latest request came from.
  bool behind_nat = false;
  std::string contact() const { return "<sip:" + detail::host_port(local.address, local.port) + ">"; }
};

// The key of a leg's dialog in B2bua::dialogs_: its Call-ID and the SBC's own tag.
inline std::string dialog_key(std::string_view call_id, std::string_view local_tag) {
  return std::string(call_id) + "|" + std::string(local_tag);
}
inline std::string dialog_key(const B2bua::Leg& l) { return dialog_key(l.call_id, l.local_tag); }

struct B2bua::Call {
  std::uint64_t id = 0;
  std::uint64_t started = 0;  // B2bua::clock() at the INVITE, ms
  Leg a, b;
  enum class State { Routing, Early, Confirmed, Ending } state = State::Routing;
  TxId a_invite = 0;             // server transaction of the caller's INVITE
  TxId b_invite = 0;             // client transaction of the INVITE on the B leg
  OutgoingMessage b_invite_msg;  // for CANCEL and failover
  std::string body, content_type;
  std::vector<sip::OutgoingHeader> session_headers;  // the caller's, as they may cross
  std::string from_display, to_display, from_user, to_user;
  std::string max_forwards = "70";
  std::string b_request_uri;  // set when the B leg's target is not routed (INVITE with Replaces)
  std::string replaces;       // the Replaces the B leg's INVITE carries
  std::vector<routing::Target> targets;
  std::size_t next_target = 0;
  std::string in_realm;  // the realm the call arrived from, counted as one of its inbound calls
  Seat b_seat;           // where the B leg was sent: its session agent and realm
  Seat a_seat;           // of the A leg, once a transfer put a target there
  bool b_provisional = false;
  bool a_answered = false;   // a final response went to the caller
  bool cancel_pending = false;
  int last_failure = 0;
  std::string last_reason;
  std::uint32_t pending_byes = 0;

  // 100rel (RFC 3262), per leg: the callee's reliable provisional responses reach the caller
  // under the caller's own RSeq numbering, and the caller's PRACK reaches the callee under the
  // callee's. When the caller does not do 100rel, the SBC acknowledges the callee itself.
  bool a_100rel = false;           // the caller listed 100rel in Supported or Require
  bool a_requires_100rel = false;  // ... in Require
  std::uint32_t a_invite_cseq = 0;
  std::uint32_t b_rseq = 0;        // the callee's last reliable provisional, 0 before the first
  std::uint32_t a_rseq = 0;        // the SBC's last one towards the caller
  std::uint32_t a_rseq_of_b = 0;   // the callee's RSeq that a_rseq stands for
  bool a_unacked = false;          // a_reliable still waits for the caller's PRACK
  OutgoingMessage a_reliable;
  transaction::TimerService::Handle a_reliable_timer = 0;
  transaction::Duration a_reliable_interval{0}, a_reliable_elapsed{0};

  std::unique_ptr<Transfer> transfer;  // a transfer the SBC performs for a REFER
  // After a transfer, media released to go direct: re-INVITEs still out, and whether every one
  // so far was taken.
  int release_reinvites = 0;
  bool release_taken = true;
};

struct B2bua::Transfer {
  Side transferor = Side::B;     // the leg the REFER came on; the target's leg takes its place
  std::uint32_t event_id = 0;    // the REFER's CSeq: Event: refer;id=<it> (RFC 3515 §2.4.6)
  bool subscribed = true;        // false with Refer-Sub: false (RFC 4488): no NOTIFY at all
  config::ReferNotifyProvisional notify = config::ReferNotifyProvisional::None;
  std::string transferee_user, transferee_display, target_user, referred_by_user;
  std::vector<routing::Target> routes;
  std::size_t next_route = 0;
  Seat seat;                     // the target's session agent and realm
  Leg target;                    // the leg towards the Refer-To target
  TxId target_invite = 0;
  OutgoingMessage target_invite_msg;
  bool target_provisional = false;
  enum class Stage { Calling, Reinviting, Notifying } stage = Stage::Calling;
  bool transferor_gone = false;  // it hung up after the 202: the transfer goes on without it
  bool abandoned = false;        // the transferee hung up: the target is released
  int reinvites_pending = 0;     // re-INVITEs still to be answered 2xx before the swap
  struct Retry {                 // a re-INVITE met with 491, per party: [0] transferee, [1] target
    int tries = 0;
    bool pending = false;
    transaction::TimerService::Handle timer = 0;
  } retry[2];
  // Attended transfer: the call whose leg became the target, and which of its sides that was.
  std::uint64_t joined_call = 0;
  Side joined_side = Side::B;
  std::string target_known_sdp;  // the SDP the target last received (the referrer's)
  std::string media_reinvite;    // anchored media: the SDP the transferee is re-INVITEd with
  bool media_joined = false;     // attended, anchored: the two calls' media sessions were joined
  Leg old;                       // the transferor's leg, after the swap
};

}  // namespace palisade::b2bua
