#include "mgmt/sip_traffic.hpp"

#include <cctype>

namespace palisade::mgmt {

std::size_t SipTraffic::index(std::string_view method) {
  for (std::size_t i = 0; i + 1 < kMethods.size(); ++i)
    if (kMethods[i] == method) return i;
  return kMethods.size() - 1;
}

namespace {
// The CSeq header's method, searched case-insensitively at line starts.
std::string_view cseq_method(std::string_view m) {
  for (std::size_t pos = m.find('\n'); pos != std::string_view::npos && pos + 6 < m.size(); pos = m.find('\n', pos + 1)) {
    std::string_view line = m.substr(pos + 1, m.find('\n', pos + 1) - pos - 1);
    if (line.size() < 5) {
      if (line.empty() || line == "\r") break;  // end of headers
      continue;
    }
    bool cseq = true;
    for (std::size_t i = 0; i < 4; ++i) cseq = cseq && std::tolower(static_cast<unsigned char>(line[i])) == "cseq"[i];
    if (!cseq) continue;
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) return {};
    std::string_view v = line.substr(colon + 1);
    std::size_t sp = v.find_first_of(" \t", v.find_first_not_of(" \t"));
    if (sp == std::string_view::npos) return {};
    v = v.substr(v.find_first_not_of(" \t", sp));
    return v.substr(0, v.find_first_of(" \t\r"));
  }
  return {};
}
}  // namespace

void SipTraffic::wire(Direction d, std::string_view m) {
  if (m.starts_with("SIP/2.0 ") && m.size() >= 11) {
    const std::string_view code = m.substr(8, 3);
    int status = 0;
    for (char c : code) status = status * 10 + (std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : 0);
    response(d, cseq_method(m), status);
    return;
  }
  request(d, m.substr(0, m.find(' ')));
}

std::vector<MethodRow> SipTraffic::rows() const {
  std::vector<MethodRow> out;
  for (std::size_t i = 0; i < kMethods.size(); ++i) {
    MethodRow r;
    r.method = std::string(kMethods[i]);
    r.requests_in = requests_[In][i], r.requests_out = requests_[Out][i];
    r.responses_in = responses_[In][i], r.responses_out = responses_[Out][i];
    std::uint64_t any = r.requests_in + r.requests_out;
    for (int c = 0; c < 6; ++c) any += r.responses_in[static_cast<std::size_t>(c)] + r.responses_out[static_cast<std::size_t>(c)];
    if (any) out.push_back(std::move(r));
  }
  return out;
}

}  // namespace palisade::mgmt
