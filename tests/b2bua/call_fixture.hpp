// The B2BUA test fixture: a real TransactionLayer, a manual clock and a recording sender;
// calls are driven with SIP bytes from both sides.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "../sip/test_util.hpp"
#include "../transaction/fakes.hpp"
#include "b2bua/b2bua.hpp"
#include "config/config_file.hpp"

namespace palisade::b2bua::testing_support {

using test::crlf;
using test::keep;
using transaction::Peer;
using transaction::Transport;

struct CountingIds : IdSource {
  int n = 0;
  std::string token(std::size_t hex) override {
    std::string s = "id" + std::to_string(++n);
    return s + std::string(hex > s.size() ? hex - s.size() : 0, 'x');
  }
};

// A B2BUA on a real TransactionLayer, fed SIP text from peers and recording what it sends.
struct CallFixture : ::testing::Test {
  explicit CallFixture(const char* config_text)
      : cfg([config_text] {
          auto r = config::load_config_text(config_text, "b2bua.cfg");
          EXPECT_TRUE(r.config) << r.problems.at(0).str();
          return *r.config;
        }()) {
    b2bua.attach(layer);
  }
  config::Config cfg;
  transaction::ManualTimers timers;
  transaction::RecordingSender sender;
  CountingIds ids;
  B2bua b2bua{cfg,
              {{"access", "10.1.0.1", 5060, Transport::Udp, 0}, {"core", "10.2.0.1", 5060, Transport::Udp, 1}},
              ids, timers, sender};
  transaction::TransactionLayer layer{transaction::TimerConfig{}, timers, sender, b2bua};
  Peer alice{"10.1.0.50", 5062, Transport::Udp, 0};
  Peer ss1{"10.2.0.10", 5060, Transport::Udp, 1};
  Peer ss2{"10.2.0.11", 5060, Transport::Udp, 1};


  std::function<void(const Peer&, const std::string&)> heard;  // sees each message fed in
  void from(const Peer& p, const std::string& text) {
    if (heard) heard(p, text);
    auto m = sip::parse_message(keep(text));
    ASSERT_TRUE(m.ok()) << sip::describe(m.error()) << "\n" << text;
    layer.receive(*m, p);
  }
  // Messages sent to `p` since index `since`.
  std::vector<std::string> to(const Peer& p, std::size_t since = 0) {
    std::vector<std::string> out;
    for (std::size_t i = since; i < sender.sent.size(); ++i)
      if (sender.sent[i].first.address == p.address && sender.sent[i].first.port == p.port) out.push_back(sender.sent[i].second);
    return out;
  }
  static std::string first_line(const std::string& m) { return m.substr(0, m.find("\r\n")); }
  static sip::Message parsed(const std::string& wire) {
    auto m = sip::parse_message(keep(wire));
    EXPECT_TRUE(m.ok()) << wire;
    return *m;
  }
};

// The caller's INVITE, as a phone behind the access network writes it.
inline const std::string kInvite = crlf(
    "INVITE sip:15551234@10.1.0.1 SIP/2.0\n"
    "Via: SIP/2.0/UDP 10.1.0.50:5062;branch=z9hG4bKphone1;rport\n"
    "Record-Route: <sip:edge.access.example;lr>\n"
    "From: \"Alice\" <sip:alice@phone.access.example>;tag=alicetag\n"
    "To: <sip:15551234@10.1.0.1>\n"
    "Call-ID: alice-secret-callid@10.1.0.50\n"
    "CSeq: 101 INVITE\n"
    "Contact: <sip:alice@10.1.0.50:5062>\n"
    "Max-Forwards: 70\n"
    "User-Agent: PhoneOS 1.2\n"
    "X-Internal: 10.1.0.99\n"
    "Subject: hello\n"
    "Content-Type: application/sdp\n"
    "Content-Length: 5\n\nv=0\n");

inline std::string response(int code, const std::string& reason, const sip::Message& req, const std::string& to_tag,
                     const std::string& extra = "") {
  std::string s = "SIP/2.0 " + std::to_string(code) + " " + reason + "\n";
  for (const auto& h : req.headers())
    if (h.id == sip::HeaderId::Via || h.id == sip::HeaderId::From || h.id == sip::HeaderId::CallId ||
        h.id == sip::HeaderId::CSeq)
      s += std::string(sip::canonical_name(h.id)) + ": " + std::string(h.value) + "\n";
  s += "To: " + std::string(req.find(sip::HeaderId::To)->value) + (to_tag.empty() ? "" : ";tag=" + to_tag) + "\n";
  s += extra + "Content-Length: 0\n\n";
  return crlf(s);
}

// A header's value, or "<absent>", so that a missing header fails the check instead of the run.
inline std::string header(const sip::Message& m, sip::HeaderId id) {
  const auto* h = m.find(id);
  return h ? std::string(h->value) : "<absent>";
}

inline void expect_no_leak(const std::vector<std::string>& sent, const std::vector<std::string>& secrets) {
  for (const auto& m : sent)
    for (const auto& s : secrets) EXPECT_EQ(m.find(s), std::string::npos) << "'" << s << "' leaked in:\n" << m;
}


}  // namespace palisade::b2bua::testing_support
