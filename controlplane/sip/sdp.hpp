// SDP (RFC 4566) with the offer/answer details a media relay needs (RFC 3264), rtcp
// (RFC 3605) and rtcp-mux (RFC 5761). Unlike SIP messages, a SessionDescription owns its
// strings: the SBC rewrites addresses and ports in every offer and answer it relays.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "result.hpp"

namespace palisade::sdp {

using sip::Result;

struct Origin {
  std::string username = "-";
  std::string session_id;
  std::uint64_t session_version = 0;
  std::string nettype = "IN";
  std::string addrtype = "IP4";
  std::string address;
};

struct Connection {
  std::string nettype = "IN";
  std::string addrtype = "IP4";  // IP4 or IP6
  std::string address;
  std::string suffix;  // "/ttl[/count]" of multicast addresses, kept as written
};

struct Attribute {
  std::string name;
  std::string value;
  bool has_value = false;
};

struct RtpMap {
  int payload_type = 0;
  std::string encoding;
  std::uint32_t clock_rate = 0;
  std::optional<int> channels;
};

struct Rtcp {  // a=rtcp:port [nettype addrtype address]
  std::uint16_t port = 0;
  std::optional<Connection> connection;
};

enum class Direction { SendRecv, SendOnly, RecvOnly, Inactive };
std::string_view direction_name(Direction d);

struct Media {
  std::string type;  // audio, video, image, application ...
  std::uint16_t port = 0;  // 0: stream rejected or disabled (RFC 3264 §6)
  std::optional<std::uint16_t> port_count;
  std::string proto;  // RTP/AVP, RTP/SAVP, udptl ...
  std::vector<std::string> formats;
  std::optional<std::string> information;
  std::optional<Connection> connection;
  std::vector<std::string> bandwidths;  // "AS:64"
  std::optional<std::string> key;
  std::vector<Attribute> attributes;

  const Attribute* attribute(std::string_view name) const;
  std::vector<RtpMap> rtpmaps() const;
  std::optional<std::string> fmtp(int payload_type) const;
  std::optional<std::uint32_t> ptime() const;
  std::optional<Direction> direction() const;  // only what this m-line says
  std::optional<Rtcp> rtcp() const;
  bool rtcp_mux() const;
};

struct SessionDescription {
  int version = 0;
  Origin origin;
  std::string session_name = "-";
  std::optional<std::string> information, uri;
  std::vector<std::string> emails, phones;
  std::optional<Connection> connection;
  std::vector<std::string> bandwidths;
  std::vector<std::string> times{"0 0"};  // t= lines, each followed by its r= lines below
  std::vector<std::vector<std::string>> repeats;  // repeats[i] belongs to times[i]
  std::optional<std::string> zone, key;
  std::vector<Attribute> attributes;
  std::vector<Media> media;

  // Media-level direction, else session-level, else sendrecv (RFC 4566 §6, RFC 3264 §5.1).
  Direction direction(const Media& m) const;
  // Media-level c=, else session-level c= (nullptr when neither).
  const Connection* connection_for(const Media& m) const;
  const Attribute* attribute(std::string_view name) const;
};

Result<SessionDescription> parse(std::string_view text);
std::string serialize(const SessionDescription& sd);

}  // namespace palisade::sdp
