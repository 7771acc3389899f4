// sbcd: the Palisade daemon. It loads and checks its configuration, opens its sip-ports and
// runs the B2BUA on one io_context, reloads on SIGHUP (a file that does not verify is refused
// and the running configuration stays), and on SIGTERM/SIGINT releases every call (BYE, or
// 503/CANCEL while ringing) and exits, waiting at most kReleaseWait for the far ends.
#include <boost/asio.hpp>

#include <chrono>
#include <memory>

#include <csignal>
#include <functional>
#include <iostream>
#include <cstdio>
#include <cstring>
#include <string>

#include "config/config_file.hpp"
#include "config/config_writer.hpp"
#include "daemon/fast_path.hpp"
#include "daemon/log.hpp"
#include "daemon/metrics_server.hpp"
#include "daemon/mgmt_server.hpp"
#include "daemon/sip_stack.hpp"
#include "daemon/status_report.hpp"
#include "mgmt/config_store.hpp"
#include "mgmt/shell.hpp"

namespace {

using palisade::config::Config;
constexpr auto kReleaseWait = std::chrono::seconds(3);
constexpr int kConfigBackups = 5;  // save-config keeps FILE.1 .. FILE.5

constexpr const char* kUsage =
    "usage: sbcd --config FILE          run in the foreground with FILE\n"
    "       sbcd --verify-config FILE   check FILE, print each problem, exit 1 if any\n"
    "       sbcd --hash-password        read a password on stdin, print its hash for enable-password\n"
    "       sbcd --version\n"
    "       sbcd --help\n";

int verify(const std::string& path) {
  auto r = palisade::config::load_config_file(path);
  for (const auto& p : r.problems) std::fprintf(stderr, "%s\n", p.str().c_str());
  if (!r.config) return 1;
  std::printf("%s: configuration OK\n", path.c_str());
  return 0;
}

// What a new configuration changes that only a restart applies: sockets, ports and the fast path
// are opened once.
std::string restart_note(const Config& now, const Config& next) {
  const auto part = [](const Config& c) {
    Config p;
    p.media_manager = c.media_manager;
    p.phy_interfaces = c.phy_interfaces;
    p.steering_pools = c.steering_pools;
    p.network_interfaces = c.network_interfaces;
    p.system.acli_socket = c.system.acli_socket;
    p.system.acli_group = c.system.acli_group;
    p.system.metrics_address = c.system.metrics_address;
    p.system.metrics_port = c.system.metrics_port;
    return p;
  };
  if (palisade::mgmt::same_config(part(now), part(next))) return {};
  return "Changes to network-interface, phy-interface, steering-pool, media-manager or the acli and metrics sockets "
         "take effect when sbcd restarts.";
}

int hash_password() {
  std::string plain;
  if (!std::getline(std::cin, plain) || plain.empty()) {
    std::fputs("sbcd: no password on stdin\n", stderr);
    return 1;
  }
  std::printf("%s\n", palisade::mgmt::hash_password(plain).c_str());
  return 0;
}

int run(const std::string& path) {
  auto loaded = palisade::config::load_config_file(path);
  for (const auto& p : loaded.problems) palisade::log::error("config", p.str());
  if (!loaded.config) return 1;
  Config running = std::move(*loaded.config);
  palisade::log::set_level(running.system.process_log_level);

  boost::asio::io_context io;
  std::unique_ptr<palisade::daemon::FastPath> fast_path;
  std::unique_ptr<palisade::daemon::SipStack> stack;
  try {
    // The fast path first: with it, the sip-ports' addresses are on its taps.
    fast_path = palisade::daemon::FastPath::start(io, running);
    stack = std::make_unique<palisade::daemon::SipStack>(io, running);
    if (fast_path) fast_path->attach(stack->b2bua());
    stack->b2bua().clock = palisade::daemon::monotonic_ms;
  } catch (const std::exception& e) {
    palisade::log::error("sbcd", e.what());
    return 1;
  }
  // activate-config and SIGHUP apply a configuration the same way: `running` is what the B2BUA,
  // routing and media read, so replacing it takes effect with the next call.
  palisade::daemon::StatusReport* report_ptr = nullptr;
  const auto apply = [&](const Config& next) {
    palisade::mgmt::ConfigStore::Activation a{std::nullopt, restart_note(running, next)};
    std::vector<std::string> stale;
    if (auto err = stack->open_new_ports(next, &stale)) return palisade::mgmt::ConfigStore::Activation{err, ""};
    for (const auto& p : stale) a.note += std::string(a.note.empty() ? "" : "\n") + "sip-port " + p + " stays open until sbcd restarts.";
    running = next;
    report_ptr->activated();
    palisade::log::set_level(running.system.process_log_level);
    stack->call_trace().set_capacity(running.sip.call_trace_calls);
    if (auto err = stack->set_hep(running.sip)) a.note += std::string(a.note.empty() ? "" : "\n") + *err;
    stack->set_admission(running);
    stack->b2bua().reconfigured();
    return a;
  };
  palisade::daemon::StatusReport report(running, path, *stack, fast_path.get());
  report_ptr = &report;
  stack->b2bua().on_answered = [&report](std::uint64_t ms) { report.call_answered(ms); };
  palisade::mgmt::ConfigStore store(
      running, path,
      [&](const std::string& text) { return palisade::config::save_config_file(path, text, kConfigBackups); },
      [&](const Config& next) {
        auto a = apply(next);
        if (a.error) return a;
        palisade::log::notice("config", "activated version " + std::to_string(next.version) + " from the ACLI");
        if (!a.note.empty()) palisade::log::warning("config", a.note);
        return a;
      });
  std::unique_ptr<palisade::daemon::MgmtServer> mgmt;
  std::unique_ptr<palisade::daemon::MetricsServer> metrics;
  try {
    if (running.system.metrics_port)
      metrics = std::make_unique<palisade::daemon::MetricsServer>(
          io, running.system.metrics_address, static_cast<std::uint16_t>(running.system.metrics_port), report);
    if (!running.system.acli_socket.empty())
      mgmt = std::make_unique<palisade::daemon::MgmtServer>(io, running.system.acli_socket, running.system.acli_group,
                                                            store, report);
  } catch (const std::exception& e) {
    palisade::log::error("sbcd", e.what());
    return 1;
  }
  // Shutdown: release every call, then wait for the far ends at most kReleaseWait. The waiting
  // callback and its deadline live here, not in the signal handler: the timer calls it after the
  // handler has returned.
  boost::asio::steady_timer release_timer(io);
  std::chrono::steady_clock::time_point release_deadline;
  std::function<void(const boost::system::error_code&)> wait_for_release = [&](const boost::system::error_code& ec) {
    if (ec) return;
    if (stack->b2bua().active_calls() == 0 || std::chrono::steady_clock::now() >= release_deadline) {
      io.stop();
      return;
    }
    release_timer.expires_after(std::chrono::milliseconds(50));
    release_timer.async_wait(wait_for_release);
  };
  boost::asio::signal_set signals(io, SIGTERM, SIGINT, SIGHUP);
  std::function<void(const boost::system::error_code&, int)> on_signal =
      [&](const boost::system::error_code& ec, int sig) {
        if (ec) return;
        if (sig == SIGHUP) {
          auto next = palisade::config::load_config_file(path);
          if (!next.config) {
            for (const auto& p : next.problems) palisade::log::error("config", p.str());
            palisade::log::error("config", "reload refused; the running configuration stays");
          } else if (const auto a = apply(*next.config); a.error) {
            palisade::log::error("config", *a.error);
            palisade::log::error("config", "reload refused; the running configuration stays");
          } else {
            store.reloaded(running);
            palisade::log::notice("config", "reloaded " + path + " (version " + std::to_string(running.version) + ")");
            if (!a.note.empty()) palisade::log::warning("config", a.note);
          }
          signals.async_wait(on_signal);
          return;
        }
        palisade::log::notice("sbcd", std::string("stopping on ") + strsignal(sig) + ", releasing " +
                                          std::to_string(stack->b2bua().active_calls()) + " calls");
        stack->b2bua().release_all();
        release_deadline = std::chrono::steady_clock::now() + kReleaseWait;
        wait_for_release({});
      };
  signals.async_wait(on_signal);

  palisade::log::notice("sbcd", "Palisade " PALISADE_VERSION " started as " + running.system.hostname +
                                    " with " + path);
  io.run();
  palisade::log::notice("sbcd", "stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string arg = argc > 1 ? argv[1] : "";
  if (arg == "--version" && argc == 2) {
    std::printf("sbcd (Palisade SBC) %s\n", PALISADE_VERSION);
    return 0;
  }
  if ((arg == "--help" || arg == "-h") && argc == 2) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (arg == "--verify-config" && argc == 3) return verify(argv[2]);
  if (arg == "--hash-password" && argc == 2) return hash_password();
  if (arg == "--config" && argc == 3) return run(argv[2]);
  std::fputs(kUsage, stderr);
  return 2;
}
