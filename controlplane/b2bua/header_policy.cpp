#include "b2bua/header_policy.hpp"

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

}  // namespace palisade::b2bua
