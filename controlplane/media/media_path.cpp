#include "media/media_path.hpp"

#include <algorithm>

namespace palisade::media {

namespace {
const config::RealmConfig* realm_of(const config::Config& cfg, const std::string& id) {
  for (const auto& r : cfg.realms)
    if (r.identifier == id) return &r;
  return nullptr;
}
bool share_interface(const config::RealmConfig& x, const config::RealmConfig& y) {
  return std::any_of(x.network_interfaces.begin(), x.network_interfaces.end(), [&](const std::string& n) {
    return std::find(y.network_interfaces.begin(), y.network_interfaces.end(), n) != y.network_interfaces.end();
  });
}
}  // namespace

MediaPathDecision decide_media_path(const config::Config& cfg, const CallParty& a, const CallParty& b) {
  const config::RealmConfig* ra = realm_of(cfg, a.realm);
  const config::RealmConfig* rb = realm_of(cfg, b.realm);
  if (!ra || !rb) return {MediaPath::Anchored, "a realm is not configured: anchored"};
  if (ra == rb) {
    if (!ra->mm_in_realm) return {MediaPath::Released, "both parties in realm " + a.realm + " (mm-in-realm disabled)"};
    if (!ra->mm_same_ip && !a.signalling_ip.empty() && a.signalling_ip == b.signalling_ip)
      return {MediaPath::Released, "both parties behind " + a.signalling_ip + " in realm " + a.realm + " (mm-same-ip disabled)"};
    return {MediaPath::Anchored, "within realm " + a.realm + " (mm-in-realm enabled)"};
  }
  // Realms on one network-interface reach each other without the SBC; anchoring stays the rule
  // unless both of them let it go.
  if (share_interface(*ra, *rb) && !ra->mm_in_network && !rb->mm_in_network)
    return {MediaPath::Released, "realms " + a.realm + " and " + b.realm + " share a network-interface (mm-in-network disabled)"};
  return {MediaPath::Anchored, "between realms " + a.realm + " and " + b.realm};
}

}  // namespace palisade::media
