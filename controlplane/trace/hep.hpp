// HEPv3 (the Homer Encapsulation Protocol, version 3): each SIP message in or out, with its
// addresses, ports, time and a correlation id, as one datagram for a capture server (Homer,
// Kamailio's sipcapture, heplify-server). Pure: bytes out; sbcd's SipStack sends them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace palisade::trace {

struct HepMessage {
  std::string_view source_ip, destination_ip;  // IPv4 or IPv6 text, one family
  std::uint16_t source_port = 0, destination_port = 0;
  bool tcp = false;
  std::uint64_t wall_us = 0;  // microseconds since the epoch
  std::uint32_t capture_id = 0;
  std::string_view correlation;  // chunk 17: lets the collector join a call's legs
  std::string_view payload;      // the SIP message
};

// The datagram, or "" when an address does not parse or the message would not fit one
// (HEP's length field is 16 bits).
std::string hep3(const HepMessage& m);

}  // namespace palisade::trace
