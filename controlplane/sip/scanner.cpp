#include "scanner.hpp"

namespace palisade::sip {

std::string_view trim_lws(std::string_view v) {
  Scanner sc(v);
  sc.skip_lws();
  v.remove_prefix(sc.pos());
  while (!v.empty()) {
    const char c = v.back();
    if (charset::is_ws(c)) {
      v.remove_suffix(1);
    } else if (c == '\n' && v.size() >= 2 && v[v.size() - 2] == '\r') {
      v.remove_suffix(2);  // only reachable for a fold whose WS was already trimmed
    } else {
      break;
    }
  }
  return v;
}

}  // namespace palisade::sip
