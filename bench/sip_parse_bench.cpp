// Parsing and serializing a typical 1 KB INVITE with SDP: Palisade's SIP core against
// libosip2 (Debian libosip2-dev) on the same bytes in the same process.
//
// "Full parse" on both sides means every header the library understands is parsed into its
// structure: osip_message_parse builds Via/From/To/Contact/Route/... objects, and
// parse_message checks every header Palisade interprets and keeps the core ones parsed.
#include <benchmark/benchmark.h>
#include <osipparser2/osip_parser.h>

#include <cstdlib>
#include <string>

#include "sip/builder.hpp"
#include "sip/message.hpp"

namespace {

const std::string kInvite =
    "INVITE sip:+15551234567@core.example.net;user=phone SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 198.51.100.20:5060;branch=z9hG4bK-524287-1---9f2a7b3c1d4e5f60;rport\r\n"
    "Via: SIP/2.0/UDP 10.0.0.15:5060;branch=z9hG4bK-d8754z-3a1f0e9c8b7a6d5e;received=203.0.113.7\r\n"
    "Max-Forwards: 69\r\n"
    "Record-Route: <sip:198.51.100.20;lr;ftag=as5f3e2d1c>\r\n"
    "Contact: <sip:alice@203.0.113.7:5060;transport=udp>\r\n"
    "To: <sip:+15551234567@core.example.net;user=phone>\r\n"
    "From: \"Alice Example\" <sip:alice@access.example.com>;tag=as5f3e2d1c\r\n"
    "Call-ID: 3c26b6f1a8e94b2fbd7e0c59a1d2e3f4@203.0.113.7\r\n"
    "CSeq: 102 INVITE\r\n"
    "Allow: INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, NOTIFY, INFO, UPDATE\r\n"
    "Supported: replaces, timer, norefersub\r\n"
    "Session-Expires: 1800;refresher=uac\r\n"
    "User-Agent: ExamplePhone/4.2.1\r\n"
    "P-Asserted-Identity: \"Alice Example\" <sip:+15557654321@access.example.com;user=phone>\r\n"
    "Content-Type: application/sdp\r\n"
    "Content-Length: 320\r\n"
    "\r\n"
    "v=0\r\n"
    "o=alice 2890844526 2890844526 IN IP4 203.0.113.7\r\n"
    "s=-\r\n"
    "c=IN IP4 203.0.113.7\r\n"
    "t=0 0\r\n"
    "m=audio 49170 RTP/AVP 0 8 18 101\r\n"
    "a=rtpmap:0 PCMU/8000\r\n"
    "a=rtpmap:8 PCMA/8000\r\n"
    "a=rtpmap:18 G729/8000\r\n"
    "a=fmtp:18 annexb=no\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n"
    "a=fmtp:101 0-16\r\n"
    "a=ptime:20\r\n"
    "a=sendrecv\r\n"
    "a=rtcp:49171 IN IP4 203.0.113.7\r\n";

struct OsipInit {
  OsipInit() { parser_init(); }
};
const OsipInit g_osip_init;

void check_message() {
  auto m = palisade::sip::parse_message(kInvite);
  if (!m || m->body().size() != 320 || kInvite.size() < 1000) std::abort();
}

void BM_Palisade_Parse(benchmark::State& state) {
  check_message();
  for (auto _ : state) {
    auto m = palisade::sip::parse_message(kInvite);
    benchmark::DoNotOptimize(m);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * kInvite.size()));
}
BENCHMARK(BM_Palisade_Parse);

void BM_Osip_Parse(benchmark::State& state) {
  for (auto _ : state) {
    osip_message_t* sip = nullptr;
    osip_message_init(&sip);
    if (osip_message_parse(sip, kInvite.data(), kInvite.size()) != 0) std::abort();
    benchmark::DoNotOptimize(sip);
    osip_message_free(sip);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * kInvite.size()));
}
BENCHMARK(BM_Osip_Parse);

void BM_Palisade_Serialize(benchmark::State& state) {
  auto m = palisade::sip::parse_message(kInvite);
  const auto out = palisade::sip::OutgoingMessage::from(*m);
  for (auto _ : state) {
    std::string wire = out.serialize();
    benchmark::DoNotOptimize(wire);
  }
}
BENCHMARK(BM_Palisade_Serialize);

void BM_Osip_Serialize(benchmark::State& state) {
  osip_message_t* sip = nullptr;
  osip_message_init(&sip);
  if (osip_message_parse(sip, kInvite.data(), kInvite.size()) != 0) std::abort();
  for (auto _ : state) {
    osip_message_force_update(sip);  // regenerate from the structure, not the cached text
    char* dest = nullptr;
    size_t len = 0;
    if (osip_message_to_str(sip, &dest, &len) != 0) std::abort();
    benchmark::DoNotOptimize(dest);
    osip_free(dest);
  }
  osip_message_free(sip);
}
BENCHMARK(BM_Osip_Serialize);

}  // namespace

BENCHMARK_MAIN();
