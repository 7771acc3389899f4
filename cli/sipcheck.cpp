// sipcheck: shows how Palisade reads one SIP message.
//
//   sipcheck [--stream] [--validate] [FILE|-]
//
// Valid: exit 0 and a normalized dump: the start line, one header per line under its
// canonical name with the value as Palisade reads it (normalize.hpp), the body length. Invalid: exit 1 and
// "error: <reason> at offset <N>". With --validate, a request that parses is also put
// through the checks a UAS applies (missing fields, unknown extensions, ...), and the answer
// the SBC would give is printed; a refusal exits 2.
#include <cstdio>
#include <cstring>
#include <string>

#include "sip/builder.hpp"
#include "sip/limits.hpp"
#include "sip/message.hpp"
#include "sip/normalize.hpp"
#include "sip/request_validator.hpp"

namespace {

constexpr const char* kUsage = "usage: sipcheck [--stream] [--validate] [FILE|-]\n";

bool read_all(const char* path, std::string& out) {
  FILE* f = std::strcmp(path, "-") == 0 ? stdin : std::fopen(path, "rb");
  if (!f) return false;
  char buf[4096];
  std::size_t n;
  // Read one byte past the limit so that an oversized message is reported as such.
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0 && out.size() <= palisade::sip::kMaxMessageSize)
    out.append(buf, n);
  const bool ok = !std::ferror(f);
  if (f != stdin) std::fclose(f);
  return ok;
}

// Control octets (legal inside a quoted-pair, RFC 4475 §3.1.1.2) shown as \xHH so that the
// dump stays one header per line and a NUL does not cut it short.
std::string printable(const std::string& v) {
  std::string out;
  for (unsigned char c : v) {
    if (c < 0x20 || c == 0x7f) {
      char esc[5];
      std::snprintf(esc, sizeof esc, "\\x%02X", c);
      out += esc;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace palisade::sip;
  ParseOptions opt;
  bool validate = false;
  const char* path = "-";
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--stream") == 0) opt.stream = true;
    else if (std::strcmp(argv[i], "--validate") == 0) validate = true;
    else if (std::strcmp(argv[i], "--help") == 0) return std::fputs(kUsage, stdout), 0;
    else if (argv[i][0] == '-' && argv[i][1] != '\0') return std::fputs(kUsage, stderr), 2;
    else path = argv[i];
  }
  std::string data;
  if (!read_all(path, data)) {
    std::fprintf(stderr, "sipcheck: cannot read %s: %s\n", path, std::strerror(errno));
    return 2;
  }
  auto msg = parse_message(data, opt);
  if (!msg) {
    std::printf("error: %s at offset %zu\n", msg.error().reason, msg.error().offset);
    return 1;
  }
  const Message& m = *msg;
  if (m.is_request()) std::printf("%.*s %.*s SIP/2.0\n", int(m.method().size()), m.method().data(),
                                  int(m.request_uri().raw.size()), m.request_uri().raw.data());
  else std::printf("SIP/2.0 %d %.*s\n", m.status_code(), int(m.reason().size()), m.reason().data());
  for (const auto& h : m.headers()) {
    const std::string_view name = h.id == HeaderId::Other ? h.name : canonical_name(h.id);
    std::printf("%.*s: %s\n", int(name.size()), name.data(), printable(normalized_value(h)).c_str());
  }
  std::printf("body: %zu bytes\n", m.body().size());
  if (m.consumed() - (m.raw().data() - data.data()) < data.size() - (m.raw().data() - data.data()))
    std::printf("ignored: %zu trailing bytes\n", data.size() - m.consumed());
  if (validate && m.is_request()) {
    auto verdict = validate_request(m);
    if (verdict) {
      std::printf("verdict: %d %s\n", verdict->status_code, verdict->reason.c_str());
      return 2;
    }
    std::printf("verdict: accept\n");
  }
  return 0;
}
