// A traced call as a pcap file (libpcap format, link type 101: raw IPv4/IPv6) that Wireshark and
// tshark open: every message in an IP packet between the peer and the SBC's sip-port, with a
// UDP header, or a TCP segment (PSH/ACK, sequence numbers counted per direction) for messages
// that crossed TCP. Checksums are computed. Pure: bytes out, the caller writes the file.
#pragma once

#include <string>

#include "trace/call_trace.hpp"

namespace palisade::trace {

std::string pcap(const TracedCall& call);

}  // namespace palisade::trace
