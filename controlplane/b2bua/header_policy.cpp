#include "b2bua/header_policy.hpp"

#include "sip/charset.hpp"

namespace palisade::b2bua {

bool relayed(sip::HeaderId id) {
  using sip::HeaderId;
  switch (id) {
    case HeaderId::Accept:
    case HeaderId::AcceptEncoding:
    case HeaderId::AcceptLanguage:
    case HeaderId::AllowEvents:
    case HeaderId::ContentDisposition:
    case HeaderId::ContentEncoding:
    case HeaderId::ContentLanguage:
    case HeaderId::ContentType:
    case HeaderId::Event:
    case HeaderId::Expires:
    case HeaderId::MinSE:
    case HeaderId::Priority:
    case HeaderId::Privacy:
    case HeaderId::Reason:
    case HeaderId::ReferSub:
    case HeaderId::RetryAfter:
    case HeaderId::SessionExpires:
    case HeaderId::Subject:
    case HeaderId::SubscriptionState:
    case HeaderId::Unsupported:
      return true;
    // Allow, Supported and Require are the B2BUA's own (it offers what it implements);
    // Refer-To and Referred-By are translated, not copied; P-Asserted-Identity waits for a
    // per-realm trust setting.
    default:
      return false;
  }
}

bool relayed_into(const sip::HeaderField& h, const std::vector<std::string>& realm_relay_headers) {
  if (relayed(h.id)) return true;
  if (sip::is_leg_specific(h.id)) return false;
  const std::string_view name = h.id == sip::HeaderId::Other ? h.name : sip::canonical_name(h.id);
  for (const auto& allowed : realm_relay_headers)
    if (sip::charset::iequals(allowed, name)) return true;
  return false;
}

}  // namespace palisade::b2bua
