// The transfer fixtures: a PBX on the core side (ss1) that transfers the caller (alice) to a
// target (ss2), or, attended, to carol, whom it consulted through the SBC first. Shared by the
// B2BUA's transfer tests and the call-trace tests, which draw the same calls.
#pragma once

#include "call_fixture.hpp"

namespace palisade::b2bua::testing_support {

inline const char* kTransferConfig = R"(
network-interface = ( { name = "a0"; ip-address = "10.1.0.1"; }, { name = "c0"; ip-address = "10.2.0.1"; } );
realm-config = ( { identifier = "access"; network-interfaces = ["a0"]; },
                 { identifier = "core"; network-interfaces = ["c0"]; refer-notify-provisional = "initial"; } );
sip-interface = ( { realm-id = "access"; sip-ports = ( { address = "10.1.0.1"; } ); },
                  { realm-id = "core"; sip-ports = ( { address = "10.2.0.1"; } ); } );
session-agent = ( { hostname = "ss1"; ip-address = "10.2.0.10"; realm-id = "core"; refer-call-transfer = "enabled"; },
                  { hostname = "ss2"; ip-address = "10.2.0.11"; realm-id = "core"; } );
local-policy = ( { to-address = ["1"]; source-realm = ["access"]; policy-attributes = ( { next-hop = "ss1"; realm = "core"; } ); },
                 { to-address = ["2"]; source-realm = ["access"]; policy-attributes = ( { next-hop = "ss2"; realm = "core"; } ); },
                 { to-address = ["*"]; source-realm = ["core"]; policy-attributes = ( { next-hop = "10.1.0.60"; realm = "access"; } ); } );
)";

inline std::string sdp(const std::string& origin, const std::string& addr, int port, const std::string& dir = "sendrecv") {
  return "v=0\r\no=" + origin + " IN IP4 " + addr + "\r\ns=-\r\nc=IN IP4 " + addr + "\r\nt=0 0\r\nm=audio " +
         std::to_string(port) + " RTP/AVP 0\r\na=" + dir + "\r\n";
}

inline std::string with_sdp(const std::string& body) {
  return "Content-Type: application/sdp\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

struct Transfer : CallFixture {
  explicit Transfer(const char* config = kTransferConfig) : CallFixture(config) {}

  sip::Message b_inv;    // the INVITE ss1 received
  std::string a_to;      // To of alice's dialog, with the SBC's tag
  const std::string alice_sdp = sdp("alice 11 1", "10.1.0.50", 4000);
  const std::string ss1_sdp = sdp("pbx 21 5", "10.2.0.10", 5000);
  const std::string ss2_sdp = sdp("target 31 1", "10.2.0.11", 6000);

  // alice calls 15551234 at ss1, which answers; alice acknowledges.
  void establish() {
    from(alice, crlf("INVITE sip:15551234@10.1.0.1 SIP/2.0\nVia: SIP/2.0/UDP 10.1.0.50:5062;branch=z9hG4bKinv1\n"
                     "From: \"Alice\" <sip:alice@10.1.0.50>;tag=alicetag\nTo: <sip:15551234@10.1.0.1>\n"
                     "Call-ID: alice-callid\nCSeq: 1 INVITE\nContact: <sip:alice@10.1.0.50:5062>\nMax-Forwards: 70\n") +
                   with_sdp(alice_sdp));
    b_inv = parsed(to(ss1).at(0));
    from(ss1, answer(200, "OK", b_inv, "ss1tag", "<sip:pbx@10.2.0.10:5060>", ss1_sdp));
    const sip::Message a_ok = parsed(to(alice).back());
    ASSERT_EQ(a_ok.status_code(), 200);
    a_to = std::string(a_ok.find(sip::HeaderId::To)->value);
    from(alice, crlf("ACK sip:10.1.0.1:5060 SIP/2.0\nVia: SIP/2.0/UDP 10.1.0.50:5062;branch=z9hG4bKack1\n"
                     "From: \"Alice\" <sip:alice@10.1.0.50>;tag=alicetag\nTo: " + a_to + "\n"
                     "Call-ID: alice-callid\nCSeq: 1 ACK\nMax-Forwards: 70\nContent-Length: 0\n\n"));
  }

  // A request from ss1 in its dialog with the SBC.
  std::string from_ss1(const std::string& method, int cseq, const std::string& extra, const std::string& body = "",
                       const std::string& type = "") {
    return crlf("" + method + " sip:10.2.0.1:5060 SIP/2.0\nVia: SIP/2.0/UDP 10.2.0.10:5060;branch=z9hG4bKss1" + method +
                std::to_string(cseq) + "\nFrom: " + std::string(b_inv.find(sip::HeaderId::To)->value) + ";tag=ss1tag\n"
                "To: " + std::string(b_inv.find(sip::HeaderId::From)->value) + "\nCall-ID: " + std::string(*b_inv.call_id()) +
                "\nCSeq: " + std::to_string(cseq) + " " + method + "\nContact: <sip:pbx@10.2.0.10:5060>\nMax-Forwards: 70\n" +
                extra + (type.empty() ? "" : "Content-Type: " + type + "\n") + "Content-Length: " +
                std::to_string(body.size()) + "\n\n") + body;
  }
  std::string from_alice(const std::string& method, int cseq) {
    return crlf(method + " sip:10.1.0.1:5060 SIP/2.0\nVia: SIP/2.0/UDP 10.1.0.50:5062;branch=z9hG4bKa" + method +
                std::to_string(cseq) + "\nFrom: \"Alice\" <sip:alice@10.1.0.50>;tag=alicetag\nTo: " + a_to +
                "\nCall-ID: alice-callid\nCSeq: " + std::to_string(cseq) + " " + method + "\nMax-Forwards: 70\nContent-Length: 0\n\n");
  }
  // A response with an SDP body.
  static std::string answer(int code, const std::string& reason, const sip::Message& req, const std::string& tag,
                            const std::string& contact, const std::string& body) {
    std::string r = response(code, reason, req, tag, "Contact: " + contact + "\nContent-Type: application/sdp\n");
    r.replace(r.find("Content-Length: 0"), 17, "Content-Length: " + std::to_string(body.size()));
    return r + body;
  }
  std::vector<sip::Message> parsed_all(const std::vector<std::string>& wires) {
    std::vector<sip::Message> out;
    for (const auto& w : wires) out.push_back(parsed(w));
    return out;
  }
  static std::string headers_of(const std::string& wire) { return wire.substr(0, wire.find("\r\n\r\n")); }
};

struct Attended : Transfer {
  explicit Attended(const char* config = kTransferConfig) : Transfer(config) {}
  const Peer carol{"10.1.0.60", 5060, Transport::Udp, 0};
  const std::string pbx2_sdp = sdp("pbx 41 3", "10.2.0.10", 5002);
  const std::string carol_sdp = sdp("carol 51 1", "10.1.0.60", 7000);
  sip::Message inv2;       // the consultation INVITE as carol got it
  std::string sbc_tag2;    // the SBC's tag in the PBX's consultation dialog

  // The PBX (ss1) consults carol through the SBC; she answers.
  void consult() {
    from(ss1, crlf("INVITE sip:carol@10.2.0.1 SIP/2.0\nVia: SIP/2.0/UDP 10.2.0.10:5060;branch=z9hG4bKpbx2\n"
                   "From: <sip:pbx@10.2.0.10>;tag=pbx2\nTo: <sip:carol@10.2.0.1>\nCall-ID: pbx-call2\nCSeq: 1 INVITE\n"
                   "Contact: <sip:pbx@10.2.0.10:5060>\nMax-Forwards: 70\n") + with_sdp(pbx2_sdp));
    inv2 = parsed(to(carol).at(0));
    from(carol, answer(200, "OK", inv2, "caroltag", "<sip:carol@10.1.0.60:5060>", carol_sdp));
    const sip::Message ok2 = parsed(to(ss1).back());
    ASSERT_EQ(ok2.status_code(), 200);
    sbc_tag2 = std::string(*ok2.to()->tag());
  }
  std::string refer_with_replaces() {
    return from_ss1("REFER", 2, "Refer-To: <sip:carol@pbx.core.example?Replaces=pbx-call2%3Bto-tag%3D" + sbc_tag2 +
                                    "%3Bfrom-tag%3Dpbx2>\n");
  }
};

}  // namespace palisade::b2bua::testing_support
