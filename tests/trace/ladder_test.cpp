// Call traces of real calls: the B2BUA and transaction layer run a blind and an attended
// transfer from SIP text (the transfer fixtures), the trace records what crossed each side as
// sbcd's SipStack does, and the ladder of the blind transfer must match its golden file
// (tests/data/trace/blind_transfer.ladder; PALISADE_UPDATE_GOLDEN=1 rewrites it after a
// deliberate change, to be reviewed in the diff).
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "../b2bua/transfer_fixture.hpp"
#include "trace/ladder.hpp"
#include "trace/pcap_export.hpp"

namespace palisade::trace {
namespace {

using namespace b2bua::testing_support;

constexpr std::uint64_t kNoon = 1796385600ull * 1000000;  // 2026-12-04 12:00:00 UTC

// Records like sbcd: each message in or out with the SBC side it crossed; 20 ms pass before
// each message a peer sends, 1 ms before each the SBC sends.
template <class Fixture>
struct Traced : Fixture {
  CallTrace trace{10};
  std::uint64_t clock_us = 0;
  Traced() {
    this->b2bua.on_leg_added = [this](const std::string& a, const std::string& b) { trace.link(a, b); };
    this->heard = [this](const Peer& p, const std::string& text) {
      clock_us += 20000;
      record(true, p, text);
    };
    this->sender.observe = [this](const Peer& p, std::string_view wire) {
      clock_us += 1000;
      record(false, p, wire);
    };
  }
  void record(bool inbound, const Peer& p, std::string_view wire) {
    TracedMessage m;
    m.mono_us = clock_us, m.wall_us = kNoon + clock_us, m.inbound = inbound;
    m.realm = p.socket == 0 ? "access" : "core";
    m.local = {p.socket == 0 ? "10.1.0.1" : "10.2.0.1", 5060};
    m.remote = {p.address, p.port};
    m.wire = std::string(wire);
    auto parsed = sip::parse_message(m.wire);
    ASSERT_TRUE(parsed.ok()) << m.wire;
    trace.record(std::move(m), *parsed->call_id(), opens_call(*parsed));
  }
};

struct TracedTransfer : Traced<Transfer> {
  // docs/transfer.md's blind transfer, from alice's INVITE to her BYE to the target.
  void blind_transfer() {
    establish();
    from(ss1, from_ss1("REFER", 2, "Refer-To: <sip:2000@pbx.core.example>\n"));
    from(ss1, response(200, "OK", parsed(to(ss1).back()), ""));  // the NOTIFY of 100 Trying
    const sip::Message t_inv = parsed(to(ss2).back());
    from(ss2, response(180, "Ringing", t_inv, "ss2tag"));
    from(ss2, answer(200, "OK", t_inv, "ss2tag", "<sip:target@10.2.0.11:5060>", ss2_sdp));
    from(alice, answer(200, "OK", parsed(to(alice).back()), "", "<sip:alice@10.1.0.50:5062>", alice_sdp));
    from(ss1, response(200, "OK", parsed(to(ss1).back()), ""));  // the final NOTIFY
    from(ss1, response(200, "OK", parsed(to(ss1).back()), ""));  // the SBC's BYE
    from(alice, from_alice("BYE", 2));
    from(ss2, response(200, "OK", parsed(to(ss2).back()), ""));
  }
};

std::string golden_path() { return std::string(PALISADE_TESTDATA_DIR) + "/trace/blind_transfer.ladder"; }

TEST_F(TracedTransfer, BlindTransferLadderMatchesTheGolden) {
  blind_transfer();
  ASSERT_EQ(b2bua.active_calls(), 0u);
  ASSERT_EQ(trace.calls().size(), 1u);  // three Call-IDs, one call
  const TracedCall& call = *trace.calls()[0];
  EXPECT_EQ(call.call_ids.size(), 3u);
  EXPECT_EQ(call.messages.size(), sender.sent.size() + 12);  // everything sent and the 12 messages fed in
  const std::string text = ladder(call);
  if (std::getenv("PALISADE_UPDATE_GOLDEN")) std::ofstream(golden_path()) << text;
  std::ifstream in(golden_path());
  ASSERT_TRUE(in) << golden_path();
  std::stringstream golden;
  golden << in.rdbuf();
  EXPECT_EQ(text, golden.str()) << "the ladder now reads:\n" << text;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) EXPECT_LE(line.size(), 80u) << line;
}

TEST_F(TracedTransfer, ListNamesTheCallersAndTheOutcome) {
  blind_transfer();
  const std::string list = call_list(trace.calls(), trace.capacity());
  EXPECT_NE(list.find("    1  12:00:00  alice             15551234             3    "), std::string::npos) << list;
  EXPECT_NE(list.find("200 OK"), std::string::npos) << list;
  EXPECT_EQ(call_list({}, 0), "Call tracing is off (sip-config call-trace-calls 0).\n");
}

struct TracedAttended : Traced<Attended> {};

TEST_F(TracedAttended, JoiningTheConsultationMakesOneTrace) {
  establish();
  consult();
  ASSERT_EQ(trace.calls().size(), 2u);  // two calls through the SBC so far
  from(ss1, refer_with_replaces());
  ASSERT_EQ(trace.calls().size(), 1u);
  const TracedCall& c = *trace.calls()[0];
  EXPECT_EQ(c.index, 1u);
  EXPECT_NE(trace.find("pbx-call2"), nullptr);
  EXPECT_EQ(trace.find("pbx-call2"), trace.find("alice-callid"));
  const std::string text = ladder(c);
  // carol's column sits on the access side next to alice's, the PBX's on the core side.
  EXPECT_NE(text.find("  A  peer in access          10.1.0.50:5062\n"
                      "  B  peer in access          10.1.0.60:5060\n"
                      "  C  SBC in access           10.1.0.1:5060\n"
                      "  D  SBC in core             10.2.0.1:5060\n"
                      "  E  peer in core            10.2.0.10:5060\n"),
            std::string::npos)
      << text;
  // The consultation INVITE: from the PBX (E) to the SBC's core side (D), then to carol (B).
  EXPECT_NE(text.find("|                |                |                |<----INVITE-----|"), std::string::npos) << text;
  EXPECT_NE(text.find("|                |<----INVITE-----|                |                |"), std::string::npos) << text;
}

// ---- pcap -------------------------------------------------------------------------------

std::uint32_t le32(const std::string& b, std::size_t at) {
  std::uint32_t v;
  std::memcpy(&v, b.data() + at, 4);
  return v;
}
std::uint16_t be16(const std::string& b, std::size_t at) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(b[at]) << 8 | static_cast<unsigned char>(b[at + 1]));
}
std::uint32_t be32(const std::string& b, std::size_t at) {
  return static_cast<std::uint32_t>(be16(b, at)) << 16 | be16(b, at + 2);
}
// One's-complement sum of 16-bit words; a packet whose checksum is right sums to 0xffff.
std::uint32_t fold(std::uint64_t sum) {
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint32_t>(sum);
}
std::uint64_t words(const std::string& b, std::size_t from, std::size_t n) {
  std::uint64_t s = 0;
  for (std::size_t i = 0; i < n; i += 2)
    s += i + 1 < n ? be16(b, from + i) : static_cast<std::uint32_t>(static_cast<unsigned char>(b[from + i]) << 8);
  return s;
}

TEST(PcapExport, EveryMessageIsAnIpPacketWithRightChecksums) {
  TracedCall c;
  auto add = [&](bool in, bool tcp, std::string local, std::string remote, std::string wire) {
    TracedMessage m;
    m.wall_us = kNoon + c.messages.size() * 1500, m.inbound = in, m.tcp = tcp;
    m.local = {std::move(local), 5060}, m.remote = {std::move(remote), 5070};
    m.wire = std::move(wire);
    c.messages.push_back(std::move(m));
  };
  add(true, false, "10.1.0.1", "10.1.0.50", "INVITE sip:a@b SIP/2.0\r\n\r\n");
  add(false, true, "10.2.0.1", "10.2.0.10", "INVITE sip:x@y SIP/2.0\r\n\r\nodd");
  add(true, true, "10.2.0.1", "10.2.0.10", "SIP/2.0 200 OK\r\n\r\n");
  add(false, true, "10.2.0.1", "10.2.0.10", "ACK sip:x@y SIP/2.0\r\n\r\n");
  add(false, false, "2001:db8::1", "2001:db8::50", "BYE sip:a@b SIP/2.0\r\n\r\n");
  const std::string p = pcap(c);
  ASSERT_GE(p.size(), 24u);
  EXPECT_EQ(le32(p, 0), 0xa1b2c3d4u);
  EXPECT_EQ(le32(p, 20), 101u);  // raw IP

  std::size_t at = 24;
  std::vector<std::string> payloads;
  std::uint32_t tcp_out_seq = 0;
  for (std::size_t i = 0; i < c.messages.size(); ++i) {
    ASSERT_LE(at + 16, p.size());
    EXPECT_EQ(le32(p, at), 1796385600u);
    EXPECT_EQ(le32(p, at + 4), i * 1500);
    const std::size_t len = le32(p, at + 8);
    const std::size_t ip = at + 16;
    ASSERT_LE(ip + len, p.size());
    const bool v6 = (static_cast<unsigned char>(p[ip]) >> 4) == 6;
    const std::size_t ip_len = v6 ? 40 : 20, l4 = ip + ip_len, alen = v6 ? 16 : 4;
    if (!v6) {
      EXPECT_EQ(fold(words(p, ip, 20)), 0xffffu) << "IPv4 header checksum of packet " << i;
    }
    const std::uint8_t proto = static_cast<std::uint8_t>(p[ip + (v6 ? 6 : 9)]);
    const std::size_t seg = len - ip_len;
    const std::uint64_t pseudo = words(p, ip + (v6 ? 8 : 12), 2 * alen) + proto + seg;
    EXPECT_EQ(fold(pseudo + words(p, l4, seg)), 0xffffu) << "transport checksum of packet " << i;
    EXPECT_EQ(proto, c.messages[i].tcp ? 6 : 17);
    const std::uint16_t sport = be16(p, l4), dport = be16(p, l4 + 2);
    EXPECT_EQ(sport, c.messages[i].inbound ? 5070 : 5060);
    EXPECT_EQ(dport, c.messages[i].inbound ? 5060 : 5070);
    const std::size_t hdr = proto == 6 ? 20 : 8;
    if (proto == 6 && !c.messages[i].inbound) {
      if (tcp_out_seq) {
        EXPECT_EQ(be32(p, l4 + 4), tcp_out_seq);  // counts the bytes sent before
      }
      tcp_out_seq = be32(p, l4 + 4) + static_cast<std::uint32_t>(seg - hdr);
    }
    payloads.push_back(p.substr(l4 + hdr, seg - hdr));
    at = ip + len;
  }
  EXPECT_EQ(at, p.size());
  for (std::size_t i = 0; i < c.messages.size(); ++i) EXPECT_EQ(payloads[i], c.messages[i].wire);
}

}  // namespace
}  // namespace palisade::trace
