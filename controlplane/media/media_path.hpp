// Media bypass ("media release", as Oracle admins know it): whether a call's media is anchored
// in the SBC or left to flow directly between its parties, from their realms' mm-in-realm,
// mm-in-network and mm-same-ip. Pure: the decision table of docs/media.md, row by row.
#pragma once

#include <string>
#include <string_view>

#include "config/model.hpp"

namespace palisade::media {

enum class MediaPath { Anchored, Released };

struct MediaPathDecision {
  MediaPath path = MediaPath::Anchored;
  std::string why;  // for the log and `show` commands
};

// One party of the call: its realm and the address its signalling comes from (behind a NAT,
// the NAT's public address).
struct CallParty {
  std::string realm;
  std::string signalling_ip;
};

MediaPathDecision decide_media_path(const config::Config& cfg, const CallParty& a, const CallParty& b);

}  // namespace palisade::media
