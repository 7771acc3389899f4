// libFuzzer target: ACLI command lines, one per input line, run, completed and helped in one
// session (superuser from the start). Whatever is typed, the engine must not crash, and a
// save-config it accepts must write a file that loads back to the same configuration.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "config/config_file.hpp"
#include "mgmt/shell.hpp"

using namespace palisade;

namespace {
struct NoStatus : mgmt::StatusSource {
  mgmt::Status status() const override { return {}; }
};
const char* kBase = R"(
network-interface = ( { name = "n0"; ip-address = "10.0.1.1"; } );
realm-config = ( { identifier = "r0"; network-interfaces = [ "n0" ]; } );
sip-interface = ( { realm-id = "r0"; sip-ports = ( { address = "10.0.1.1"; } ); } );
session-agent = ( { hostname = "a0"; ip-address = "10.0.1.9"; realm-id = "r0"; } );
)";
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const config::Config base = *config::load_config_text(kBase, "base").config;
  NoStatus status;
  mgmt::ConfigStore* store_ptr = nullptr;
  mgmt::ConfigStore store(
      base, "fuzz.cfg",
      [&](const std::string& text) -> std::optional<std::string> {
        auto back = config::load_config_text(text, "saved");
        if (!back.config || !mgmt::same_config(*back.config, store_ptr->candidate())) std::abort();
        return std::nullopt;
      },
      [](const config::Config&) { return mgmt::ConfigStore::Activation{}; });
  store_ptr = &store;
  mgmt::Session s(store, status);
  s.execute("enable");
  std::string_view in(reinterpret_cast<const char*>(data), size);
  int lines = 0;
  while (!in.empty() && ++lines < 64) {
    const std::size_t nl = in.find('\n');
    const std::string line(in.substr(0, nl));
    in = nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);
    s.complete(line);
    s.help(line);
    s.execute(line);
    s.prompt();
    if (s.closed()) break;
  }
  return 0;
}
