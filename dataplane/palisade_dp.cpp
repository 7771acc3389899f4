// palisade-dp: the fast path alone, with flows from a file. It serves the pcap test (net_pcap in,
// net_pcap out, byte-for-byte), the lab test (net_af_packet ports, taps with addresses, a UDP
// echo on a tap address) and the relay benchmark, so each of them runs the product's own code.
//
//   palisade-dp --port NAME=DEVARGS[@EXCEPTION] ... [--address NAME=IP/LEN] [--flows FILE]
//               [--inline] [--lcores MAIN,WORKER] [-m MB] [--mbufs N] [--max-flows N]
//               [--until-quiet MS | --seconds S] [--echo IP:PORT] [--stats]
//   palisade-dp --bench-chain FLOWS [--seconds S] [--lcores MAIN,WORKER] [--in-flight N]
//
// A flow line: in=NAME local=IP:PORT out=NAME source=IP:PORT dest=IP:PORT [mac=MAC|auto]
//              [latch=off|restricted|unrestricted] [allowed=IP] [relatch] [reverse=LINE]
//              [initial-guard=S] [subsequent-guard=S] [time-limit=S]
// Flows take slots in line order from 0; `reverse` names another line's slot.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <rte_cycles.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_ring.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <algorithm>
#include <map>
#include <random>
#include <sstream>

#include "dpdk_plane.hpp"
#include "kernel_interface.hpp"

using namespace palisade::dataplane;

namespace {

volatile std::sig_atomic_t g_stop = 0;
void on_signal(int) { g_stop = 1; }

[[noreturn]] void die(const std::string& why) {
  std::fprintf(stderr, "palisade-dp: %s\n", why.c_str());
  std::exit(1);
}

Endpoint endpoint(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos) die("'" + text + "' is not IP:PORT");
  std::string host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  Endpoint e{parse_ip(host), static_cast<std::uint16_t>(std::stoul(text.substr(colon + 1)))};
  if (e.ip.family == 0) die("'" + host + "' is not an IP address");
  return e;
}

std::array<std::uint8_t, 6> mac(const std::string& text) {
  std::array<std::uint8_t, 6> m{};
  unsigned b[6];
  if (std::sscanf(text.c_str(), "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]) != 6) die("bad MAC " + text);
  for (int i = 0; i < 6; ++i) m[i] = static_cast<std::uint8_t>(b[i]);
  return m;
}

struct Options {
  PlaneConfig plane;
  std::map<std::string, std::string> addresses;  // port name -> IP/LEN on its tap
  std::map<std::string, std::string> taps;       // port name -> tap interface
  std::string flows, echo;
  bool stats = false;
  unsigned main_lcore = 0, memory = 256;
  int quiet_ms = -1;
  double seconds = -1;
  std::uint32_t bench_flows = 0, in_flight = 64;
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) die(a + " needs a value");
      return argv[++i];
    };
    if (a == "--port") {
      const std::string v = next();
      const auto eq = v.find('=');
      if (eq == std::string::npos) die("--port NAME=DEVARGS[@EXCEPTION]");
      PortConfig pc{v.substr(0, eq), v.substr(eq + 1), ""};
      if (const auto at = pc.device.find('@'); at != std::string::npos) {
        pc.exception = pc.device.substr(at + 1);
        pc.device = pc.device.substr(0, at);
        if (pc.exception.rfind("net_", 0) != 0) o.taps[pc.name] = pc.exception;
      }
      o.plane.ports.push_back(pc);
    } else if (a == "--address") {
      const std::string v = next();
      const auto eq = v.find('=');
      if (eq == std::string::npos) die("--address NAME=IP/LEN");
      o.addresses[v.substr(0, eq)] = v.substr(eq + 1);
    } else if (a == "--flows") o.flows = next();
    else if (a == "--inline") o.plane.launch = false;
    else if (a == "--lcores") {
      const std::string v = next();
      o.main_lcore = static_cast<unsigned>(std::stoul(v));
      o.plane.worker_lcore = static_cast<unsigned>(std::stoul(v.substr(v.find(',') + 1)));
    } else if (a == "-m") o.memory = static_cast<unsigned>(std::stoul(next()));
    else if (a == "--mbufs") o.plane.mbufs = static_cast<std::uint32_t>(std::stoul(next()));
    else if (a == "--max-flows") o.plane.max_flows = static_cast<std::uint32_t>(std::stoul(next()));
    else if (a == "--until-quiet") o.quiet_ms = std::stoi(next());
    else if (a == "--seconds") o.seconds = std::stod(next());
    else if (a == "--echo") o.echo = next();
    else if (a == "--stats") o.stats = true;
    else if (a == "--bench-chain") o.bench_flows = static_cast<std::uint32_t>(std::stoul(next()));
    else if (a == "--in-flight") o.in_flight = static_cast<std::uint32_t>(std::stoul(next()));
    else die("unknown option " + a);
  }
  if (o.bench_flows) {
    if (!o.plane.ports.empty()) die("--bench-chain makes its own ports");
    o.plane.ports = {{"ring0", "", ""}, {"ring1", "", ""}};
    o.plane.max_flows = o.bench_flows;
    if (o.seconds < 0) o.seconds = 5;
  }
  if (o.plane.ports.empty()) die("no --port");
  const unsigned worker = o.plane.launch ? o.plane.worker_lcore : o.main_lcore;
  o.plane.eal_args = default_eal_args(o.main_lcore, worker, o.memory);
  return o;
}

struct FlowLine {
  FlowSpec spec;
  std::string in, out;
  bool auto_mac = false;
};

std::vector<FlowLine> read_flows(const std::string& path) {
  std::vector<FlowLine> out;
  std::ifstream f(path);
  if (!f) die("cannot read " + path);
  std::string line;
  int n = 0;
  while (std::getline(f, line)) {
    ++n;
    if (line.empty() || line[0] == '#') continue;
    FlowLine fl;
    std::istringstream words(line);
    std::string w;
    while (words >> w) {
      const auto eq = w.find('=');
      const std::string k = w.substr(0, eq), v = eq == std::string::npos ? "" : w.substr(eq + 1);
      if (k == "in") fl.in = v;
      else if (k == "out") fl.out = v;
      else if (k == "local") fl.spec.local = endpoint(v);
      else if (k == "source") fl.spec.source = endpoint(v);
      else if (k == "dest") fl.spec.destination = endpoint(v);
      else if (k == "mac") {
        if (v == "auto") fl.auto_mac = true;
        else fl.spec.next_hop_mac = mac(v);
      } else if (k == "latch") {
        fl.spec.latch = v == "off" ? LatchMode::Off : v == "unrestricted" ? LatchMode::Unrestricted : LatchMode::Restricted;
      } else if (k == "allowed") fl.spec.allowed_source = parse_ip(v);
      else if (k == "relatch") fl.spec.relatch = true;
      else if (k == "reverse") fl.spec.reverse = std::stoi(v);
      else if (k == "initial-guard") fl.spec.initial_guard_s = static_cast<std::uint32_t>(std::stoul(v));
      else if (k == "subsequent-guard") fl.spec.subsequent_guard_s = static_cast<std::uint32_t>(std::stoul(v));
      else if (k == "time-limit") fl.spec.time_limit_s = static_cast<std::uint32_t>(std::stoul(v));
      else die(path + ":" + std::to_string(n) + ": unknown field " + k);
    }
    if (fl.in.empty() || fl.out.empty() || fl.spec.local.ip.family == 0 || fl.spec.source.ip.family == 0)
      die(path + ":" + std::to_string(n) + ": a flow needs in, out, local and source");
    out.push_back(fl);
  }
  return out;
}

// A UDP socket on a tap address that answers every datagram with "echo:" + the datagram: the
// proof that what is not media reaches the kernel and what the kernel sends leaves by the port.
int open_echo(const std::string& where) {
  const Endpoint e = endpoint(where);
  const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(e.port);
  std::memcpy(&a.sin_addr, e.ip.bytes.data(), 4);
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) die("cannot bind the echo socket on " + where);
  return fd;
}

void echo_once(int fd) {
  char buf[2048];
  sockaddr_in from{};
  socklen_t len = sizeof from;
  const ssize_t n = recvfrom(fd, buf + 5, sizeof buf - 5, 0, reinterpret_cast<sockaddr*>(&from), &len);
  if (n <= 0) return;
  std::memcpy(buf, "echo:", 5);
  sendto(fd, buf, static_cast<std::size_t>(n) + 5, 0, reinterpret_cast<sockaddr*>(&from), len);
}

// The mbufs the pool lends when nothing is in flight: the least seen over 50 ms. Rx rings (a
// tap's) hold theirs for good; a packet crossing at the moment of one reading (a tap's ARP or
// router solicitation) is not a leak, so a single reading would make a flaky baseline.
std::uint64_t settled_mbufs(const DpdkPlane& plane) {
  std::uint64_t least = plane.mbufs_in_use();
  for (int i = 0; i < 10; ++i) {
    usleep(5000);
    least = std::min(least, plane.mbufs_in_use());
  }
  return least;
}

// `idle_mbufs`: what the pool lent at start, before traffic (settled_mbufs); anything above it
// at the end, settled the same way, is a leak.
void print_stats(const DpdkPlane& plane, std::size_t flows, const std::vector<FlowEvent>& events, std::uint64_t idle_mbufs) {
  for (const PortStats& p : plane.ports()) {
    const auto& m = plane.mac(p.id);
    std::printf("port %s mac=%02x:%02x:%02x:%02x:%02x:%02x rx=%lu tx=%lu relayed=%lu punted=%lu from_kernel=%lu", p.name.c_str(), m[0], m[1], m[2], m[3], m[4], m[5], p.rx, p.tx, p.relayed,
                p.punted, p.from_kernel);
    for (std::size_t r = 0; r < p.drops.size(); ++r)
      std::printf(" drop_%s=%lu", drop_reason_name(static_cast<DropReason>(r)), p.drops[r]);
    std::printf("\n");
  }
  for (std::size_t s = 0; s < flows; ++s) {
    const FlowCounters c = plane.counters(static_cast<std::int32_t>(s));
    std::printf("flow %zu packets=%lu bytes=%lu wrong_source=%lu latched=%d\n", s, c.packets, c.bytes, c.wrong_source,
                c.latched ? 1 : 0);
  }
  for (const FlowEvent& e : events) {
    if (e.type == FlowEvent::Type::Latched)
      std::printf(e.remote.ip.family == 6 ? "event latched flow=%d remote=[%s]:%u\n" : "event latched flow=%d remote=%s:%u\n", e.slot,
                  to_string(e.remote.ip).c_str(), e.remote.port);
    else if (e.type == FlowEvent::Type::Idle)
      std::printf("event idle flow=%d reason=%u packets=%lu\n", e.slot, e.idle, e.packets);
  }
  std::printf("mbufs in_use=%lu at_start=%lu total=%u\n", settled_mbufs(plane), idle_mbufs, plane.mbufs_total());
}

// Two loopback ports (each transmits into its own receive ring) and a chain of flows in a
// random order, alternating between the ports: flow i rewrites a packet so that it becomes the
// input of flow i+1. Packets circulate through the full path (classify, bulk lookup, latch check,
// rewrite, checksums, counters, tx) until their TTL runs out; the main lcore tops the rings up
// so that `in_flight` packets are always on their way, like testpmd's --tx-first.
void make_bench_ports(PlaneConfig& plane) {
  plane.ports.clear();
  for (const char* name : {"ring0", "ring1"}) {
    rte_ring* r = rte_ring_create((std::string(name) + "_loop").c_str(), 4096, SOCKET_ID_ANY, 0);
    const int id = r ? rte_eth_from_rings(name, &r, 1, &r, 1, SOCKET_ID_ANY) : -1;
    if (id < 0) die("cannot create bench ring ports");
    char dev[RTE_ETH_NAME_MAX_LEN] = "";
    rte_eth_dev_get_name_by_port(static_cast<std::uint16_t>(id), dev);
    plane.ports.push_back({dev, "", ""});  // DPDK names it after the ring driver
  }
}

Endpoint bench_address(std::uint32_t i) {
  // 10.(64 + i / 65536 % 64).(i / 256 % 256).(i % 256), ports from 20000: distinct keys
  Endpoint e;
  e.ip.family = 4;
  e.ip.bytes[0] = 10;
  e.ip.bytes[1] = static_cast<std::uint8_t>(64 + (i >> 16) % 64);
  e.ip.bytes[2] = static_cast<std::uint8_t>(i >> 8);
  e.ip.bytes[3] = static_cast<std::uint8_t>(i);
  e.port = static_cast<std::uint16_t>(20000 + 2 * (i % 20000));
  return e;
}

int run_bench(DpdkPlane& plane, const Options& o) {
  const std::uint32_t n = o.bench_flows;
  std::vector<std::uint32_t> order(n);
  for (std::uint32_t i = 0; i < n; ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), std::mt19937(2026));
  std::uint16_t port[2];
  for (int p = 0; p < 2; ++p) port[p] = *plane.port_of(o.plane.ports[static_cast<std::size_t>(p)].name);
  std::vector<std::int32_t> slots(n);
  for (std::uint32_t i = 0; i < n; ++i) slots[i] = plane.reserve();
  for (std::uint32_t k = 0; k < n; ++k) {
    const std::uint32_t i = order[k], next = order[(k + 1) % n];
    FlowSpec s;
    s.in_port = port[k % 2];
    s.out_port = port[(k + 1) % 2];
    s.local = bench_address(i);
    s.source = bench_address(i);
    s.source.ip.bytes[0] = 172;
    s.destination = bench_address(next);
    s.next_hop_mac = {2, 0, 0, 0, 0, 1};
    // Each flow hears only from its predecessor: it latches once, and every packet after
    // that goes through the latch check, as in a call.
    s.latch = LatchMode::Unrestricted;
    while (!plane.install(slots[i], s)) usleep(100);  // the command ring is full: the worker drains it
  }
  // 200-byte frames (158 bytes of RTP), TTL 255, aimed at the chain's first flow.
  rte_mempool* pool = rte_pktmbuf_pool_create("bench_gen", 4095, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
  if (!pool) die("cannot create the generator's pool");
  rte_ring* first = rte_ring_lookup("ring0_loop");
  auto inject = [&](std::uint32_t count) {
    for (std::uint32_t c = 0; c < count; ++c) {
      rte_mbuf* m = rte_pktmbuf_alloc(pool);
      if (!m) return;
      auto* f = reinterpret_cast<std::uint8_t*>(rte_pktmbuf_append(m, 200));
      std::memset(f, 0, 200);
      f[0] = 2, f[6] = 2, f[12] = 0x08;
      std::uint8_t* ip = f + 14;
      ip[0] = 0x45, ip[8] = 255, ip[9] = 17;
      store16(ip + 2, 186);
      const Endpoint src = {parse_ip("172.31.0.1"), 4000}, dst = bench_address(order[0]);
      std::memcpy(ip + 12, src.ip.bytes.data(), 4);
      std::memcpy(ip + 16, dst.ip.bytes.data(), 4);
      store16(ip + 10, fold(sum16(ip, 20)));
      store16(ip + 20, src.port);
      store16(ip + 22, dst.port);
      store16(ip + 24, 166);
      ip[28] = 0x80;
      store16(ip + 26, 0);  // no UDP checksum: the incremental update still runs on the IP header
      if (rte_ring_enqueue(first, m) != 0) {
        rte_pktmbuf_free(m);
        return;
      }
    }
  };
  while (plane.pending_commands()) usleep(1000);  // every flow installed before traffic starts
  const std::uint64_t hz = rte_get_tsc_hz();
  auto relayed = [&] {
    std::uint64_t r = 0;
    for (const PortStats& p : plane.ports()) r += p.relayed;
    return r;
  };
  usleep(200000);
  const std::uint64_t busy0 = plane.worker().busy_polls(), idle0 = plane.worker().idle_polls();
  const std::uint64_t r0 = relayed(), t0 = rte_rdtsc();
  while (static_cast<double>(rte_rdtsc() - t0) / static_cast<double>(hz) < o.seconds) {
    const std::uint64_t lent = rte_mempool_in_use_count(pool);
    if (lent < o.in_flight) inject(static_cast<std::uint32_t>(o.in_flight - lent));
    usleep(100);
  }
  const std::uint64_t r1 = relayed(), t1 = rte_rdtsc();
  const double secs = static_cast<double>(t1 - t0) / static_cast<double>(hz);
  const double pps = static_cast<double>(r1 - r0) / secs;
  const std::uint64_t busy = plane.worker().busy_polls() - busy0, idle = plane.worker().idle_polls() - idle0;
  std::printf("bench flows=%u seconds=%.2f relayed=%lu mpps=%.3f cycles_per_packet=%.1f busy_ratio=%.3f "
              "table_bytes_per_flow=%.0f refused=%lu\n",
              n, secs, r1 - r0, pps / 1e6, static_cast<double>(hz) / pps,
              busy + idle ? static_cast<double>(busy) / static_cast<double>(busy + idle) : 0.0,
              static_cast<double>(plane.table_bytes()) / n, plane.worker().commands_refused());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o = parse(argc, argv);
  std::string error;
  if (!start_eal(o.plane.eal_args, error)) die(error);
  if (o.bench_flows) make_bench_ports(o.plane);
  auto plane = DpdkPlane::create(o.plane, error);
  if (!plane) die(error);
  if (o.bench_flows) {
    const int rc = run_bench(*plane, o);
    plane.reset();
    return rc;
  }
  for (const auto& [name, cidr] : o.addresses) {
    const auto tap = o.taps.find(name);
    if (tap == o.taps.end()) die("--address " + name + ": that port has no tap");
    const auto slash = cidr.find('/');
    const unsigned len = slash == std::string::npos ? 32 : static_cast<unsigned>(std::stoul(cidr.substr(slash + 1)));
    if (!set_interface_address(tap->second, cidr.substr(0, slash), len, error)) die(error);
  }
  std::vector<FlowLine> lines;
  if (!o.flows.empty()) lines = read_flows(o.flows);
  std::vector<std::int32_t> slots;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::int32_t s = plane->reserve();
    if (s < 0) die("more flows than --max-flows");
    slots.push_back(s);
  }
  // The file names slots by line; reserve() hands them out from 0 up on a fresh plane.
  for (std::size_t i = 0; i < lines.size(); ++i) {
    FlowLine& fl = lines[i];
    const auto in = plane->port_of(fl.in), out = plane->port_of(fl.out);
    if (!in || !out) die("flow " + std::to_string(i) + ": no port " + (in ? fl.out : fl.in));
    fl.spec.in_port = *in;
    fl.spec.out_port = *out;
    if (fl.spec.reverse >= 0) fl.spec.reverse = slots.at(static_cast<std::size_t>(fl.spec.reverse));
    while (!plane->install(slots[i], fl.spec))
      if (!o.plane.launch) plane->worker().poll(rte_rdtsc());  // the ring is full: let the worker drain it
  }
  // mac=auto: the next hop's MAC from the kernel's neighbour table of the egress tap, which the
  // ARP it answers and asks through the port fills; looked up again until it is known.
  std::vector<std::size_t> unresolved;
  for (std::size_t i = 0; i < lines.size(); ++i)
    if (lines[i].auto_mac) unresolved.push_back(i);
  std::vector<std::string> resolved_log;
  auto resolve = [&] {
    std::erase_if(unresolved, [&](std::size_t i) {
      FlowLine& fl = lines[i];
      const auto m = neighbour_mac(o.taps[fl.out], to_string(fl.spec.destination.ip));
      if (!m || !plane->modify(slots[i], (fl.spec.next_hop_mac = *m, fl.spec))) return false;
      resolved_log.push_back("event resolved flow=" + std::to_string(slots[i]) + " via " + o.taps[fl.out]);
      return true;
    });
  };
  resolve();
  std::uint64_t last_resolve = rte_rdtsc();
  std::signal(SIGTERM, on_signal);
  std::signal(SIGINT, on_signal);
  const int echo = o.echo.empty() ? -1 : open_echo(o.echo);
  std::vector<FlowEvent> events;
  const std::uint64_t hz = rte_get_tsc_hz(), start = rte_rdtsc();
  std::uint64_t last_rx_total = 0, last_change = start;
  const std::uint64_t idle_mbufs = settled_mbufs(*plane);
  std::printf("ready\n");
  std::fflush(stdout);
  while (!g_stop) {
    const std::uint64_t now = rte_rdtsc();
    if (!o.plane.launch) plane->worker().poll(now);
    else usleep(1000);
    if (echo >= 0) echo_once(echo);
    plane->events(events, 1024);
    if (!unresolved.empty() && now - last_resolve > hz / 10) {
      resolve();
      last_resolve = now;
    }
    if (o.seconds >= 0 && static_cast<double>(now - start) / static_cast<double>(hz) >= o.seconds) break;
    if (o.quiet_ms >= 0) {
      std::uint64_t rx = 0;
      for (const PortStats& p : plane->ports()) rx += p.rx + p.from_kernel;
      if (rx != last_rx_total) {
        last_rx_total = rx;
        last_change = now;
      } else if (static_cast<double>(now - last_change) * 1000.0 / static_cast<double>(hz) >= o.quiet_ms) {
        break;
      }
    }
  }
  if (!o.plane.launch) plane->worker().poll(rte_rdtsc());
  plane->events(events, 1 << 20);
  if (o.stats) {
    print_stats(*plane, lines.size(), events, idle_mbufs);
    for (const auto& line : resolved_log) std::printf("%s\n", line.c_str());
  }
  if (echo >= 0) close(echo);
  plane.reset();
  return 0;
}
