// libFuzzer target: message/sipfrag bodies as NOTIFYs carry them.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "sip/sipfrag.hpp"

using namespace palisade::sip;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  auto f = parse_sipfrag(in);
  if (!f) {
    if (f.error().offset > in.size()) std::abort();
    return 0;
  }
  if (f->is_response()) {
    const std::string rebuilt = build_sipfrag(f->status_code(), f->reason());
    auto again = parse_sipfrag(std::string_view(rebuilt));
    if (!again || again->status_code() != f->status_code()) std::abort();
  }
  return 0;
}
