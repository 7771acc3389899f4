// libFuzzer target: Refer-To and Replaces values as a REFER or an INVITE carries them.
//
// The input is tried as a Refer-To field (name-addr parsed, then judged performable or not the
// way the SBC does before it transfers) and as a Replaces field. What the SBC builds back from
// a parsed value must parse to the same value: a Replaces written into an INVITE, and the same
// Replaces escaped into a Refer-To URI and taken out again (attended transfer, RFC 3891 §5).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "refer/refer_policy.hpp"
#include "sip/headers.hpp"

using namespace palisade;

namespace {

bool same(const sip::Replaces& a, const sip::Replaces& b) {
  return a.call_id == b.call_id && a.to_tag == b.to_tag && a.from_tag == b.from_tag && a.early_only == b.early_only;
}

// A Replaces the SBC writes must read back as itself, bare and inside a Refer-To URI.
void round_trip(const sip::Replaces& r) {
  const std::string value = refer::replaces_value(r);
  auto again = sip::parse_replaces(value);
  if (!again || !same(*again, r)) std::abort();
  const std::string refer_to = "<sip:target@example.net?Replaces=" + refer::escape_uri_header(value) + ">";
  auto na = sip::parse_name_addr(refer_to);
  if (!na) std::abort();
  const refer::ReferTarget t = refer::analyze_refer_to(*na);
  if (!t.performable || !t.replaces || !same(*t.replaces, r)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  if (auto na = sip::parse_name_addr(in)) {
    const refer::ReferTarget t = refer::analyze_refer_to(*na);
    if (t.performable && !t.why.empty()) std::abort();
    if (!t.performable && t.why.empty()) std::abort();  // a refusal always says why
    if (t.replaces) round_trip(*t.replaces);
  } else if (na.error().offset > in.size()) {
    std::abort();
  }
  if (auto r = sip::parse_replaces(in)) round_trip(*r);
  return 0;
}
