// libFuzzer target: whatever parses goes through the transaction layer into the B2BUA, from
// either side of the SBC, with time moving on between messages. The input is split at
// "\n--\n" into several messages, so dialogs, CANCELs and retransmissions get built up. An
// input that starts with "M" runs with media anchored (a MediaManager over the fake plane):
// every SDP is rewritten, and transfers join, move and release media sessions.
// A crash, a sanitizer report or a leak is a finding; so is a port or flow left after the end.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "../media/fake_media_plane.hpp"
#include "../transaction/fakes.hpp"
#include "b2bua/b2bua.hpp"
#include "config/config_file.hpp"
#include "media/media_manager.hpp"

using namespace palisade;

namespace {

const config::Config& lab_config() {
  static const config::Config cfg = [] {
    auto r = config::load_config_text(R"(
network-interface = ( { name = "a0"; ip-address = "10.1.0.1"; }, { name = "c0"; ip-address = "10.2.0.1"; } );
realm-config = ( { identifier = "access"; network-interfaces = ["a0"]; },
                 { identifier = "core"; network-interfaces = ["c0"]; mm-in-realm = "enabled"; } );
steering-pool = ( { ip-address = "10.1.0.1"; start-port = 20000; end-port = 20019; realm-id = "access"; },
                  { ip-address = "10.2.0.1"; start-port = 30000; end-port = 30019; realm-id = "core"; } );
sip-interface = ( { realm-id = "access"; sip-ports = ( { address = "10.1.0.1"; } ); },
                  { realm-id = "core"; sip-ports = ( { address = "10.2.0.1"; } ); } );
session-agent = ( { hostname = "ss1"; ip-address = "10.2.0.10"; realm-id = "core"; ping-method = "OPTIONS"; ping-interval = 5; max-sessions = 3; refer-call-transfer = "enabled"; },
                  { hostname = "ss2"; ip-address = "10.2.0.11"; realm-id = "core"; } );
local-policy = ( { policy-attributes = ( { next-hop = "ss1"; realm = "core"; cost = 1; }, { next-hop = "ss2"; realm = "core"; cost = 2; } ); } );
sip-config = { trans-expire = 4; };
)", "fuzz.cfg");
    if (!r.config) __builtin_trap();
    return *r.config;
  }();
  return cfg;
}

struct FixedIds : b2bua::IdSource {
  int n = 0;
  std::string token(std::size_t hex) override { return std::to_string(++n) + std::string(hex, 'f').substr(0, hex > 4 ? hex - 4 : 0); }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  transaction::ManualTimers timers;
  transaction::RecordingSender sender;
  FixedIds ids;
  b2bua::B2bua b2bua(lab_config(),
                     {{"access", "10.1.0.1", 5060, transaction::Transport::Udp, 0},
                      {"core", "10.2.0.1", 5060, transaction::Transport::Udp, 1}},
                     ids, timers, sender);
  transaction::TransactionLayer layer(transaction::TimerConfig{}, timers, sender, b2bua);
  b2bua.attach(layer);
  b2bua.start_pings();
  media::test::FakeMediaPlane plane(64);
  media::MediaManager media(lab_config(), plane,
                            [](const std::string& realm) -> std::optional<std::uint16_t> { return realm == "access" ? 0 : 2; },
                            [](std::uint16_t, const std::string&) { return std::nullopt; });
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  const bool anchored = !rest.empty() && rest.front() == 'M';
  if (anchored) {
    rest.remove_prefix(1);
    b2bua.set_media(&media);
    media.on_media_timeout = [&b2bua](std::uint64_t call, const std::string& reason) { b2bua.end_call(call, reason); };
  }

  const transaction::Peer access{"10.1.0.50", 5062, transaction::Transport::Udp, 0};
  const transaction::Peer core{"10.2.0.10", 5060, transaction::Transport::Udp, 1};
  int n = 0;
  while (!rest.empty() && n < 16) {
    const std::size_t cut = rest.find("\n--\n");
    const std::string one(rest.substr(0, cut));
    rest = cut == std::string_view::npos ? std::string_view{} : rest.substr(cut + 4);
    auto m = sip::parse_message(std::string_view(one));
    // The top Via says which side a message comes from: a request's names its sender, a
    // response's is the SBC's own address on the side the response arrives from. The last
    // byte says how much time passes after it.
    if (m) {
      const bool from_core = m->top_via() && m->top_via()->host.substr(0, 5) == "10.2.";
      layer.receive(*m, from_core ? core : access);
    }
    timers.advance(!one.empty() ? (static_cast<unsigned char>(one.back()) * 20) : 1000);
    ++n;
  }
  b2bua.release_all();
  timers.advance(64000);
  // Every call ended: the media hook heard each end, so nothing of any call may stay.
  if (anchored && b2bua.active_calls() == 0 && (media.ports_in_use() != 0 || plane.flows() != 0)) __builtin_trap();
  return 0;
}
