// CallTrace: the SIP messages of the most recent calls, kept for troubleshooting (`show sipd
// call-flow`, `save-call-flow`). A call is opened by an INVITE that arrives outside any dialog;
// the B2BUA links every Call-ID it gives the call later (the B leg, a transfer target, the call
// an attended transfer joins), so one trace holds every leg. Messages of no traced call
// (OPTIONS pings, stray requests) are not kept. Bounded: the newest `capacity` calls, at most
// kMaxMessagesPerCall messages each. Pure: times and addresses come in as values.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace palisade::sip {
class Message;
}

namespace palisade::trace {

struct Endpoint {
  std::string address;  // IPv4 or IPv6 text
  std::uint16_t port = 0;
  bool operator==(const Endpoint&) const = default;
};

struct TracedMessage {
  std::uint64_t mono_us = 0;  // monotonic clock: offsets within the call
  std::uint64_t wall_us = 0;  // microseconds since the epoch: pcap time stamps
  bool inbound = true;        // received by the SBC, or sent by it
  bool tcp = false;
  std::string realm;          // the realm of the SBC's side that sent or received it
  Endpoint local, remote;     // the SBC's sip-port and the peer
  std::string wire;           // the message as it crossed the wire
};

struct TracedCall {
  std::uint64_t index = 0;  // 1, 2, ... in the order calls began
  std::vector<std::string> call_ids;
  std::vector<TracedMessage> messages;  // in time order
  std::uint64_t dropped = 0;            // messages past kMaxMessagesPerCall
};

class CallTrace {
 public:
  static constexpr std::size_t kMaxMessagesPerCall = 256;
  explicit CallTrace(std::size_t capacity) : capacity_(capacity) {}

  // Calls kept; lowering it forgets the oldest now; 0 turns tracing off.
  void set_capacity(std::size_t calls);
  std::size_t capacity() const { return capacity_; }

  // One message in or out. `opens_call`: an INVITE request without a To tag, which begins a
  // trace when its Call-ID is new. Any other message is kept only when its Call-ID is traced.
  void record(TracedMessage m, std::string_view call_id, bool opens_call);
  // The same in place, for the daemon: a new message of the right call for the caller to fill
  // in, or nullptr when the message is not kept. One look-up, and nothing built for a message
  // that is not kept.
  TracedMessage* add(std::string_view call_id, bool opens_call);
  // The call that has Call-ID `existing` now also has `added`; if `added` was traced as a call
  // of its own (an attended transfer's consultation), the two traces become one.
  void link(std::string_view existing, std::string_view added);

  // The first Call-ID of the traced call that has `call_id` (the caller's), or `call_id` itself:
  // HEP's correlation id, so a collector can join the legs the SBC keeps apart.
  std::string_view correlation(std::string_view call_id) const {
    auto it = by_call_id_.find(call_id);
    return it == by_call_id_.end() ? call_id : std::string_view(calls_.at(it->second).call_ids.front());
  }
  // By index ("12") or by any of the call's Call-IDs; nullptr when not kept.
  const TracedCall* find(std::string_view which) const;
  // Oldest first.
  std::vector<const TracedCall*> calls() const;

 private:
  void open(std::string_view call_id, std::uint64_t* index);
  void merge(std::uint64_t into, std::uint64_t from);
  void evict_oldest();

  std::size_t capacity_;
  std::uint64_t next_index_ = 1;
  std::map<std::uint64_t, TracedCall> calls_;                // by index, oldest first
  // Looked up by string_view, so asking about a message allocates nothing.
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, std::uint64_t, Hash, std::equal_to<>> by_call_id_;
};

// The Call-ID of a message as written on the wire ("Call-ID:" or compact "i:"), found by a
// scan of the header lines without a full parse; "" when it has none.
std::string_view call_id_of(std::string_view wire);

// An INVITE request outside any dialog (no To tag): what opens a trace.
bool opens_call(const sip::Message& m);

}  // namespace palisade::trace
