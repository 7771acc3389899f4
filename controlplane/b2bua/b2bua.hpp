// The B2BUA: every call is two dialogs, an A leg towards the caller and a B leg towards the
// next hop, each with its own Call-ID, tags, CSeq space, Via, Contact and route set. Messages
// are built fresh for each leg (header_policy.hpp says what is copied), so nothing of one
// side's topology reaches the other. It is the TransactionUser of the TransactionLayer and
// runs on the control thread; no locks.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <memory>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "config/model.hpp"
#include "media/media_hook.hpp"
#include "refer/refer_policy.hpp"
#include "routing/router.hpp"
#include "sip/builder.hpp"
#include "transaction/transaction_layer.hpp"

namespace palisade::b2bua {

// The SBC's own SIP address in a realm: where it listens and what it writes in Via/Contact.
struct LocalAddress {
  std::string realm;
  std::string address;
  std::uint16_t port = 5060;
  transaction::Transport transport = transaction::Transport::Udp;
  std::uint16_t socket = 0;  // the transport's id for this sip-port
};

// Call-IDs, tags and branches: random, so nothing of one leg can be derived from the other.
class IdSource {
 public:
  virtual ~IdSource() = default;
  virtual std::string token(std::size_t hex_chars) = 0;
  // The first RSeq of a leg's reliable provisional responses (RFC 3262 §3: 1 to 2^31-1).
  virtual std::uint32_t first_rseq() { return 1; }
};

class RandomIds : public IdSource {
 public:
  std::string token(std::size_t hex_chars) override;
  std::uint32_t first_rseq() override;

 private:
  std::mt19937_64 rng_{std::random_device{}()};
};

struct Counters {
  std::uint64_t calls_attempted = 0;
  std::uint64_t calls_answered = 0;
  std::uint64_t calls_failed = 0;
  std::uint64_t calls_cancelled = 0;
  std::uint64_t requests_rejected = 0;  // by the request validator, 404 or 503
  // REFER, by what the SBC did with it and how the transfers it performed ended.
  std::uint64_t refers_proxied = 0;
  std::uint64_t refers_refused = 0;  // to be performed, not performable, and the other party takes none
  std::uint64_t transfers_started = 0;
  std::uint64_t transfers_succeeded = 0;
  std::uint64_t transfers_failed = 0;
  // Callers whose signalling came through a NAT, and NAT mappings that moved during a call.
  std::uint64_t callers_behind_nat = 0;
  std::uint64_t nat_mappings_moved = 0;
};

// A call as the ACLI's `show sipd calls` / `show sipd transfers` lists it.
struct CallSummary {
  std::uint64_t id = 0;
  std::string state;  // routing, early, answered, ending
  std::string a_realm, a_peer, from_user, b_realm, b_peer, to_user;
  std::uint64_t started_ms = 0;  // clock() when the INVITE arrived
  std::string transfer_kind;  // "" (none), blind, attended
  std::string transfer_stage;
  std::string transfer_target;
};

class B2bua : public transaction::TransactionUser {
 public:
  B2bua(const config::Config& cfg, std::vector<LocalAddress> locals, IdSource& ids,
        transaction::TimerService& timers, transaction::Sender& sender);
  ~B2bua() override;
  void attach(transaction::TransactionLayer& layer) { layer_ = &layer; }
  // OPTIONS pings to session agents that ask for them (ping-method, ping-interval).
  void start_pings();
  // Ends every call: BYE on confirmed legs, CANCEL/503 on early ones (daemon shutdown).
  void release_all();

  // Told when a session agent goes out of or back into service.
  std::function<void(const std::string& agent, bool in_service, std::string_view why)> on_agent_state;
  // Told when a call from `realm` is refused because it would exceed `limit` (e.g. max-sessions).
  std::function<void(const std::string& realm, std::string_view limit)> on_constrained;

  // Told what became of each REFER: proxied or performed, and how a transfer ended.
  std::function<void(std::string_view)> on_refer;
  // A NAT mapping of a party moved mid-call (docs/media.md, NAT traversal).
  std::function<void(std::string_view)> on_nat;

  // Media anchoring: every SDP that crosses goes through `hook` (null: SDP crosses unchanged).
  void set_media(media::MediaHook* hook) { media_ = hook; }
  // Ends an established call on both legs with BYE carrying `reason` (RFC 3326), e.g. when its
  // media stopped; false when there is no such call.
  bool end_call(std::uint64_t call, const std::string& reason);

  std::size_t active_calls() const { return calls_.size(); }
  std::size_t active_dialogs() const { return dialogs_.size(); }
  std::vector<CallSummary> calls() const;
  // Monotonic milliseconds, for the calls' start and set-up times (sbcd sets it; tests may leave it).
  std::function<std::uint64_t()> clock = [] { return std::uint64_t{0}; };
  // Told each call's set-up time (INVITE in to the caller's 2xx) in milliseconds.
  std::function<void(std::uint64_t ms)> on_answered;
  // Told, before any message of it is sent, that the call with SIP Call-ID `existing` now has a
  // leg with Call-ID `added` (its B leg, a transfer target, or the call an attended transfer
  // joins): call traces follow every leg of a call with it.
  std::function<void(const std::string& existing, const std::string& added)> on_leg_added;
  // The configuration it reads was replaced (activate-config, SIGHUP): session agents added
  // or removed get their state and OPTIONS pings; established calls keep what they have.
  void reconfigured();
  // The sip-ports it may send from, after activate-config opened new ones.
  void set_locals(std::vector<LocalAddress> locals) { locals_ = std::move(locals); }
  const Counters& counters() const { return counters_; }
  const std::map<std::string, routing::AgentState>& agents() const { return agents_; }
  const std::map<std::string, routing::RealmLoad>& realm_loads() const { return realm_load_; }

  // TransactionUser
  void on_request(transaction::TxId id, const sip::Message& request, const transaction::Peer& from) override;
  void on_ack(const sip::Message& ack, const transaction::Peer& from) override;
  void on_response(transaction::TxId id, const sip::Message& response) override;
  void on_client_failure(transaction::TxId id, transaction::Failure why) override;
  void on_server_failure(transaction::TxId id, transaction::Failure why) override;
  void on_stray_response(const sip::Message& response, const transaction::Peer& from) override;

  struct Leg;
  struct Call;
  struct Transfer;
  // Where a leg was sent, as max-sessions and the realm's outbound constraints count it.
  struct Seat {
    std::string agent;  // "" for a bare IP next hop or a leg not routed
    std::string realm;
    bool empty() const { return agent.empty() && realm.empty(); }
  };

 private:
  // A and B: the call's two legs. T: the leg towards a transfer's target while the SBC
  // performs a transfer; Old: the transferor's leg after the target took its place, until it
  // has been told (NOTIFY) and released (BYE).
  enum class Side { A, B, T, Old };
  static Side other(Side s) { return s == Side::A ? Side::B : Side::A; }  // of A and B
  enum class Purpose { InitialInvite, Relay, Bye, Cancel, Ping, LocalPrack, TransferInvite, TransferReinvite, TransferNotify, TransferFinalNotify, ReleaseOld, MediaRelease };
  struct ClientTx {
    std::uint64_t call = 0;
    Purpose purpose = Purpose::Relay;
    Side side = Side::A;              // the leg the request was sent on
    transaction::TxId server = 0;     // Relay: the server transaction on the other leg
    std::string agent;                // Ping
  };
  struct ServerTx {
    std::uint64_t call = 0;
    Side side = Side::A;
    std::string method;
    sip::OutgoingMessage response_base;  // Via, From, To (tagged), Call-ID, CSeq of the request
  };

  void new_call(transaction::TxId id, const sip::Message& invite, const transaction::Peer& from);
  bool try_next_target(Call& call);
  void in_dialog(transaction::TxId id, const sip::Message& req, const transaction::Peer& from);
  void cancel(transaction::TxId id, const sip::Message& req);
  void answer_self(transaction::TxId id, const sip::Message& req);
  void reject(transaction::TxId id, const sip::Message& req, int code, std::string_view reason,
              sip::HeaderId extra = sip::HeaderId::Other, std::string_view extra_value = {});

  void initial_invite_response(Call& call, const sip::Message& rsp);
  // RFC 3262 across the legs: the callee's reliable provisional responses, the caller's PRACKs.
  void reliable_provisional(Call& call, const sip::Message& rsp, const ServerTx& st);
  void prack(transaction::TxId id, const sip::Message& req, Call& call, ServerTx st);
  void retransmit_reliable(std::uint64_t call_id);
  // A call (or transfer target) sent to `t`: counted on its session agent and as an outbound
  // call of its realm, in `seat`, which gives up whatever it held before.
  void take_seat(Seat& seat, const routing::Target& t);
  void relay_response(const ClientTx& ctx, const sip::Message& rsp);
  void invite_failed(Call& call, int code, std::string_view reason, const sip::Message* from_callee = nullptr);
  void send_cancel(Call& call);
  void send_bye(Call& call, Side side);
  void send_ack(Call& call, Side side, const sip::Message* from_ack);
  void finish(std::uint64_t call_id);
  void note_sdp(Leg& from, const sip::Message& m);
  // A body on its way to leg `to` of the call: an SDP goes through the media hook, anything
  // else as it is. nullopt: the media could not be anchored.
  std::optional<std::string> body_towards(Call& call, Side to, std::string_view body, bool is_sdp);
  std::optional<std::string> body_towards(Call& call, Side to, const sip::Message& m);
  media::CallParties parties_of(const Call& call) const;  // realms and signalling addresses of A and B
  void note_allow(Leg& from, const sip::Message& m);
  // The call and leg of one of the SBC's dialogs named by Call-ID and a tag pair in either order.
  std::optional<std::pair<std::uint64_t, Side>> find_dialog(const std::string& call_id, const std::string& tag1,
                                                            const std::string& tag2) const;
  // A Replaces from a REFER, as the transferee on the other side must write it (proxy mode).
  std::string translated_replaces(const sip::Replaces& r);
  // The INVITE that opens a new dialog on `leg` (Via, From, To, Call-ID, CSeq, Contact, Allow).
  sip::OutgoingMessage dialog_invite(const Leg& leg, const std::string& max_forwards);
  std::string agent_of(const Call& call, Side side) const;
  const config::RealmConfig* realm_config(const std::string& realm) const;

  // REFER performed by the SBC (transfer.cpp, docs/transfer.md).
  void start_transfer(transaction::TxId id, const sip::Message& refer, Call& call, Side transferor,
                      const ServerTx& st, const refer::ReferTarget& target);
  bool call_transfer_target(Call& call);
  void transfer_invite_response(Call& call, const sip::Message& rsp);
  void join_replaced(Call& call, std::uint64_t joined, Side give);
  void give_back(Call& call);
  // Re-INVITEs the transferee (or, when joining, the target) with the other party's media.
  // A re-INVITE the SBC sends on a leg of its own accord (transfers), without its body.
  sip::OutgoingMessage sbc_reinvite(Leg& l);
  void reinvite(Call& call, Side side);
  void reinvite_response(Call& call, Side side, const sip::Message& rsp);
  void complete_transfer(Call& call);
  // After a transfer: re-INVITE both parties to direct media when they may reach each other.
  void release_media_if_direct(Call& call, Side transferee);
  void media_release_settled(Call& call, Side side, const sip::Message* rsp);  // rsp null: no answer
  // With anchored media, the call's parties as they are once the target replaces the transferor.
  media::CallParties transfer_parties(const Call& call) const;
  void transfer_failed(Call& call, int code, std::string_view reason);
  void notify_transferor(Call& call, Leg& leg, int code, std::string_view reason, bool final, Purpose purpose);
  void release_transferor(Call& call);
  void forget_transferor(Call& call);  // its leg is released: the transfer is over
  void end_joined_call(Transfer& t);   // the referrer's consultation call, once its party moved
  void cancel_retries(Transfer& t);
  // A BYE in a dialog touched by a transfer; true when handled here.
  bool transfer_bye(transaction::TxId id, Call& call, Side from_side, const ServerTx& st);
  void cancel_transfer_target(Call& call);
  void bye_target(Call& call);  // a target answered but never joined to the call
  // Shutdown during a transfer: the target and the referrer's other legs are released too.
  void release_transfer(Call& call);
  void transfer_settled(Call& call, const ClientTx& ctx, int code, std::string_view reason);

  sip::OutgoingMessage in_dialog_request(Leg& leg, std::string_view method);
  // Copies what may cross into `into_realm` (header_policy.hpp and that realm's relay-headers).
  void copy_relayed(const sip::Message& from, sip::OutgoingMessage& to, const std::string& into_realm);
  const std::vector<std::string>& relay_headers_of(const std::string& realm) const;
  // `call` given: the response's body crosses to `leg` through body_towards.
  sip::OutgoingMessage response_for(const ServerTx& st, const sip::Message& rsp, const Leg& leg, Call* call = nullptr);
  std::string branch();
  const LocalAddress* local_for_realm(const std::string& realm, transaction::Transport t = transaction::Transport::Udp) const;
  const LocalAddress* local_for_socket(std::uint16_t socket) const;
  Call* call_of(std::uint64_t id);
  Leg& leg(Call& c, Side s);
  void ping(const std::string& agent);
  const config::SessionAgent* agent_config(const std::string& hostname) const;
  void set_in_service(const std::string& agent, bool up, std::string_view why);
  // One session fewer on the seat's agent and realm; `seat` is left empty.
  void release_seat(Seat& seat);
  // Whether the call arriving from `realm` passes its session-constraints; counted if it does.
  bool admit_inbound(Call& call, const std::string& realm);

  const config::Config& cfg_;
  std::vector<LocalAddress> locals_;
  IdSource& ids_;
  transaction::TimerService& timers_;
  transaction::Sender& sender_;  // ACKs of 2xx go outside any transaction (§13.2.2.4)
  transaction::TransactionLayer* layer_ = nullptr;
  routing::Router router_;
  std::map<std::string, routing::AgentState> agents_;
  std::map<std::string, routing::RealmLoad> realm_load_;
  std::unordered_map<std::uint64_t, std::unique_ptr<Call>> calls_;
  std::unordered_map<std::string, std::pair<std::uint64_t, Side>> dialogs_;  // Call-ID|local tag
  std::unordered_map<transaction::TxId, ClientTx> client_tx_;
  std::unordered_map<transaction::TxId, ServerTx> server_tx_;
  std::map<std::string, transaction::TimerService::Handle> ping_timers_;  // the next ping, per agent
  std::uint64_t next_call_ = 1;
  media::MediaHook* media_ = nullptr;
  Counters counters_;
};

}  // namespace palisade::b2bua
