// libFuzzer target: the SIP message parser in datagram and stream modes, the typed accessors
// and the request validator over whatever parsed, and the serializer's round trip.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "sip/builder.hpp"
#include "sip/message.hpp"
#include "sip/multipart.hpp"
#include "sip/request_validator.hpp"

using namespace palisade::sip;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  for (bool stream : {false, true}) {
    ParseOptions opt;
    opt.stream = stream;
    auto m = parse_message(in, opt);
    if (!m) {
      if (m.error().offset > in.size()) std::abort();  // offsets must point into the input
      continue;
    }
    // Everything the parser accepted must be readable through the typed API.
    (void)m->vias();
    (void)m->contacts();
    (void)m->routes();
    (void)m->record_routes();
    (void)m->refer_to();
    (void)m->replaces();
    if (auto rt = m->refer_to()) (void)embedded_replaces(*rt);
    (void)m->event();
    (void)m->subscription_state();
    (void)find_body(*m, "application", "sdp");
    if (m->is_request()) (void)validate_request(*m);
    // And what it serializes must parse again.
    const std::string wire = OutgoingMessage::from(*m).serialize();
    auto again = parse_message(std::string_view(wire));
    if (!again && !m->content_length_conflict()) std::abort();
  }
  return 0;
}
