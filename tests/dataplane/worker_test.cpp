// The worker with a real EAL and real ethdev ports (rte_eth_from_rings): flows installed through
// the command ring, frames put on a port's rx ring, what leaves read off the tx rings, events
// read off the event ring. Polled by hand, so every step is deterministic.
#include <gtest/gtest.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "dpdk_plane.hpp"
#include "packet_builder.hpp"

namespace palisade::dataplane {
namespace {

using test::frame;
using test::Udp;

// One ethdev port on two rings: what the test puts on `in` the port receives; what the port
// sends lands on `out`.
struct RingPort {
  std::string name;
  rte_ring* in = nullptr;
  rte_ring* out = nullptr;
  explicit RingPort(const std::string& n) : name(n) {
    in = rte_ring_create((n + "_i").c_str(), 256, SOCKET_ID_ANY, RING_F_SP_ENQ | RING_F_SC_DEQ);
    out = rte_ring_create((n + "_o").c_str(), 256, SOCKET_ID_ANY, RING_F_SP_ENQ | RING_F_SC_DEQ);
    const int id = rte_eth_from_rings(n.c_str(), &in, 1, &out, 1, SOCKET_ID_ANY);
    EXPECT_GE(id, 0);
    char dev[RTE_ETH_NAME_MAX_LEN] = "";
    rte_eth_dev_get_name_by_port(static_cast<std::uint16_t>(id), dev);
    name = dev;  // DPDK prefixes the ring driver's name
  }
  std::vector<std::vector<std::uint8_t>> drain() {
    std::vector<std::vector<std::uint8_t>> got;
    void* m = nullptr;
    while (rte_ring_dequeue(out, &m) == 0) {
      auto* mb = static_cast<rte_mbuf*>(m);
      const auto* d = rte_pktmbuf_mtod(mb, const std::uint8_t*);
      got.emplace_back(d, d + rte_pktmbuf_data_len(mb));
      rte_pktmbuf_free(mb);
    }
    return got;
  }
};

class WorkerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static int n = 0;
    const std::string id = std::to_string(n++);
    access = std::make_unique<RingPort>("acc" + id);
    core = std::make_unique<RingPort>("core" + id);
    kernel = std::make_unique<RingPort>("kern" + id);
    pool = rte_pktmbuf_pool_create(("tpool" + id).c_str(), 511, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
    ASSERT_NE(pool, nullptr);
    PlaneConfig cfg;
    cfg.ports = {{"access", "", ""}, {"core", "", ""}};
    cfg.ports[0].name = access->name;
    cfg.ports[0].exception = kernel->name;
    cfg.ports[1].name = core->name;
    cfg.max_flows = 64;
    cfg.mbufs = 1023;
    cfg.descriptors = 64;
    cfg.launch = false;
    cfg.exception_limits = limits;
    std::string error;
    plane = DpdkPlane::create(cfg, error);
    ASSERT_NE(plane, nullptr) << error;
    a = *plane->port_of(access->name);
    c = *plane->port_of(core->name);
  }
  void TearDown() override {
    plane.reset();
    if (pool) rte_mempool_free(pool);
  }

  void put(RingPort& p, const std::vector<std::uint8_t>& f) {
    rte_mbuf* m = rte_pktmbuf_alloc(pool);
    ASSERT_NE(m, nullptr);
    std::memcpy(rte_pktmbuf_append(m, static_cast<std::uint16_t>(f.size())), f.data(), f.size());
    ASSERT_EQ(rte_ring_enqueue(p.in, m), 0);
  }

  FlowSpec fwd_spec() const {
    FlowSpec s;
    s.in_port = a;
    s.local = {parse_ip("10.0.0.1"), 20000};
    s.out_port = c;
    s.source = {parse_ip("10.1.0.1"), 30000};
    s.destination = {parse_ip("10.1.0.9"), 4000};
    s.next_hop_mac = {2, 0, 0, 0, 1, 9};
    s.latch = LatchMode::Restricted;
    s.allowed_source = parse_ip("10.0.0.9");
    return s;
  }
  FlowSpec rev_spec() const {
    FlowSpec s;
    s.in_port = c;
    s.local = {parse_ip("10.1.0.1"), 30000};
    s.out_port = a;
    s.source = {parse_ip("10.0.0.1"), 20000};
    s.destination = {parse_ip("10.0.0.9"), 5000};
    s.latch = LatchMode::Off;
    return s;
  }
  // Installs both directions, each naming the other.
  std::pair<std::int32_t, std::int32_t> install_pair() {
    const std::int32_t f = plane->reserve(), r = plane->reserve();
    FlowSpec fs = fwd_spec(), rs = rev_spec();
    fs.reverse = r;
    rs.reverse = f;
    EXPECT_TRUE(plane->install(f, fs));
    EXPECT_TRUE(plane->install(r, rs));
    return {f, r};
  }
  void poll(std::uint64_t now = 1000) { plane->worker().poll(now); }

  std::unique_ptr<RingPort> access, core, kernel;
  ExceptionLimits limits;  // none, unless a derived fixture sets them
  rte_mempool* pool = nullptr;
  std::unique_ptr<DpdkPlane> plane;
  std::uint16_t a = 0, c = 0;
};

Udp rtp_from(const char* ip, std::uint16_t port) {
  Udp u;
  u.src = ip;
  u.sport = port;
  return u;
}

TEST_F(WorkerTest, RelaysBothWaysAfterLatchingAndReportsTheLatch) {
  auto [f, r] = install_pair();
  Udp from_core;
  from_core.src = "10.1.0.9", from_core.dst = "10.1.0.1", from_core.sport = 4000, from_core.dport = 30000;
  put(*core, frame(from_core));  // before the access side spoke: nowhere to send it yet
  poll();
  EXPECT_TRUE(access->drain().empty());
  put(*access, frame(rtp_from("10.0.0.9", 61000)));
  put(*core, frame(from_core));
  poll();
  const auto to_core = core->drain();
  ASSERT_EQ(to_core.size(), 1u);
  EXPECT_TRUE(test::checksums_ok(to_core[0]));
  EXPECT_EQ(load16(&to_core[0][kEtherLen + kIpv4Len + 2]), 4000);
  const auto to_access = access->drain();
  ASSERT_EQ(to_access.size(), 1u);
  EXPECT_EQ(load16(&to_access[0][kEtherLen + kIpv4Len + 2]), 61000);  // where the NAT said
  EXPECT_EQ(to_access[0][5], 9);                                       // the MAC it came from
  EXPECT_TRUE(std::equal(to_access[0].begin() + 6, to_access[0].begin() + 12, plane->mac(a).begin()));

  std::vector<FlowEvent> ev;
  plane->events(ev, 16);
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].type, FlowEvent::Type::Latched);
  EXPECT_EQ(ev[0].slot, f);
  EXPECT_EQ(ev[0].remote.port, 61000);
  EXPECT_EQ(to_string(ev[0].remote.ip), "10.0.0.9");
  EXPECT_EQ(plane->counters(f).packets, 1u);
  EXPECT_EQ(plane->counters(r).packets, 1u);
  const auto ports = plane->ports();
  EXPECT_EQ(ports[1].drops[static_cast<int>(DropReason::Unresolved)], 1u);
  EXPECT_EQ(ports[0].relayed, 1u);
  EXPECT_EQ(ports[0].relayed_bytes, to_core[0].size());  // the whole frame, as relayed
}

TEST_F(WorkerTest, WhatIsNotMediaReachesTheKernelAndTheKernelsRepliesLeave) {
  install_pair();
  Udp sip = rtp_from("10.0.0.9", 5060);
  sip.dport = 5060;
  put(*access, frame(sip));
  auto arp = frame({});
  arp[12] = 0x08, arp[13] = 0x06;
  put(*access, arp);
  poll();
  const auto punted = kernel->drain();
  ASSERT_EQ(punted.size(), 2u);
  EXPECT_EQ(punted[0], frame(sip));  // untouched, in order
  EXPECT_EQ(punted[1], arp);
  put(*kernel, frame(sip));  // the kernel's answer
  poll();
  EXPECT_EQ(access->drain().size(), 1u);
  const auto ports = plane->ports();
  EXPECT_EQ(ports[0].punted, 2u);
  EXPECT_EQ(ports[0].from_kernel, 1u);
}

TEST_F(WorkerTest, WrongSourcesAndGarbageAreDroppedAndCounted) {
  auto [f, r] = install_pair();
  put(*access, frame(rtp_from("10.0.0.66", 5004)));
  put(*access, std::vector<std::uint8_t>(9, 0xee));
  poll();
  EXPECT_TRUE(core->drain().empty());
  EXPECT_TRUE(kernel->drain().empty());
  const auto ports = plane->ports();
  EXPECT_EQ(ports[0].drops[static_cast<int>(DropReason::WrongSource)], 1u);
  EXPECT_EQ(ports[0].drops[static_cast<int>(DropReason::Malformed)], 1u);
  EXPECT_EQ(plane->counters(f).wrong_source, 1u);
  EXPECT_EQ(plane->mbufs_in_use(), 0u);  // every dropped mbuf went back
}

TEST_F(WorkerTest, ModifyRepointsAndRemoveReportsFinalCounters) {
  auto [f, r] = install_pair();
  put(*access, frame(rtp_from("10.0.0.9", 5004)));
  poll();
  ASSERT_EQ(core->drain().size(), 1u);
  FlowSpec moved = fwd_spec();
  moved.reverse = r;
  moved.destination = {parse_ip("10.1.0.77"), 4400};
  ASSERT_TRUE(plane->modify(f, moved));
  put(*access, frame(rtp_from("10.0.0.9", 5004)));
  poll();
  const auto out = core->drain();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(load16(&out[0][kEtherLen + kIpv4Len + 2]), 4400);
  ASSERT_TRUE(plane->remove(f));
  put(*access, frame(rtp_from("10.0.0.9", 5004)));
  poll();
  EXPECT_TRUE(core->drain().empty());
  EXPECT_EQ(kernel->drain().size(), 1u);  // no flow any more: it is the kernel's
  std::vector<FlowEvent> ev;
  plane->events(ev, 16);
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(ev[1].type, FlowEvent::Type::Removed);
  EXPECT_EQ(ev[1].slot, f);
  EXPECT_EQ(ev[1].packets, 2u);
  EXPECT_EQ(plane->flows(), 1u);
}

TEST_F(WorkerTest, AModifiedOrNewReverseKeepsSendingWhereLatchingFoundTheParty) {
  // A party behind a NAT: its SDP says 10.0.0.9:5000, its media comes from the NAT's mapping
  // 10.0.0.9:61000 (and the MAC of the router it came through).
  auto [f, r] = install_pair();
  Udp nat = rtp_from("10.0.0.9", 61000);
  auto from_nat = frame(nat);
  from_nat[11] = 0x42;  // source MAC 02:00:00:00:00:42
  put(*access, from_nat);
  poll();
  ASSERT_EQ(core->drain().size(), 1u);
  Udp from_core;
  from_core.src = "10.1.0.9", from_core.dst = "10.1.0.1", from_core.sport = 4000, from_core.dport = 30000;
  auto expect_to_nat = [&](const char* when) {
    put(*core, frame(from_core));
    poll();
    const auto out = access->drain();
    ASSERT_EQ(out.size(), 1u) << when;
    EXPECT_EQ(load16(&out[0][kEtherLen + kIpv4Len + 2]), 61000) << when;
    EXPECT_EQ(out[0][5], 0x42) << when;
  };
  expect_to_nat("learned");
  // A re-INVITE: the control plane modifies the reverse with the SDP's address again.
  FlowSpec again = rev_spec();
  again.reverse = f;
  again.next_hop_mac = {2, 0, 0, 0, 0, 7};
  ASSERT_TRUE(plane->modify(r, again));
  expect_to_nat("after a modify");
  // An attended transfer: a new flow towards the party takes the reverse's place.
  ASSERT_TRUE(plane->remove(r));
  const std::int32_t r2 = plane->reserve();
  again.reverse = f;
  ASSERT_TRUE(plane->install(r2, again));
  FlowSpec fwd = fwd_spec();
  fwd.reverse = r2;
  ASSERT_TRUE(plane->modify(f, fwd));  // same rule: still latched
  expect_to_nat("after a reinstall");
}

TEST_F(WorkerTest, DuplicateKeysAndBadSlotsAreRefused) {
  auto [f, r] = install_pair();
  const std::int32_t dup = plane->reserve();
  ASSERT_TRUE(plane->install(dup, fwd_spec()));  // queued; the worker refuses it
  poll();
  EXPECT_EQ(plane->worker().commands_refused(), 1u);
  EXPECT_FALSE(plane->install(63, fwd_spec()));  // never reserved
  EXPECT_FALSE(plane->remove(-1));
  (void)f, (void)r;
}

TEST_F(WorkerTest, TableFullMeansNoSlot) {
  for (int i = 0; i < 64; ++i) ASSERT_GE(plane->reserve(), 0);
  EXPECT_EQ(plane->reserve(), -1);
}

TEST_F(WorkerTest, GuardTimersBecomeIdleEvents) {
  const std::uint64_t hz = rte_get_tsc_hz();
  const std::int32_t f = plane->reserve();
  FlowSpec s = fwd_spec();
  s.initial_guard_s = 1;
  ASSERT_TRUE(plane->install(f, s));
  poll(10 * hz);
  for (int i = 0; i < 2; ++i) poll(10 * hz + hz / 2);  // within the guard: nothing
  std::vector<FlowEvent> ev;
  plane->events(ev, 16);
  EXPECT_TRUE(ev.empty());
  poll(12 * hz);
  plane->events(ev, 16);
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].type, FlowEvent::Type::Idle);
  EXPECT_EQ(ev[0].idle, static_cast<std::uint8_t>(Idle::InitialGuard));
  poll(20 * hz);
  ev.clear();
  plane->events(ev, 16);
  EXPECT_TRUE(ev.empty());  // reported once
}

TEST_F(WorkerTest, Ipv6RelaysToo) {
  const std::int32_t f = plane->reserve();
  FlowSpec s;
  s.in_port = a;
  s.local = {parse_ip("fd00::1"), 20002};
  s.out_port = c;
  s.source = {parse_ip("fd01::1"), 30002};
  s.destination = {parse_ip("fd01::9"), 4002};
  s.next_hop_mac = {2, 0, 0, 0, 1, 9};
  s.latch = LatchMode::Unrestricted;
  ASSERT_TRUE(plane->install(f, s));
  Udp u;
  u.src = "fd00::9", u.dst = "fd00::1", u.sport = 7000, u.dport = 20002;
  put(*access, frame(u));
  poll();
  const auto out = core->drain();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_TRUE(test::checksums_ok(out[0]));
  EXPECT_EQ(out[0][kEtherLen + 7], 63);
}

// The exception path under a flood: 3 packets a second from one source, 5 through the port.
struct PolicedWorkerTest : WorkerTest {
  PolicedWorkerTest() { limits = {3, 5}; }
  void sip_from(const char* ip, int n) {
    Udp u = rtp_from(ip, 5060);
    u.dport = 5060;
    for (int i = 0; i < n; ++i) put(*access, frame(u));
  }
};

TEST_F(PolicedWorkerTest, EachSourceAndEachPortIsHeldToItsRateAndTheRestIsCounted) {
  const std::uint64_t hz = rte_get_tsc_hz(), t0 = 100 * hz;
  sip_from("10.0.0.9", 6);  // a flooder: its first second's worth passes
  poll(t0);
  EXPECT_EQ(kernel->drain().size(), 3u);
  sip_from("10.0.0.8", 3);  // another source: its own bucket, but the port has 2 left
  poll(t0 + 1);
  EXPECT_EQ(kernel->drain().size(), 2u);
  auto ports = plane->ports();
  EXPECT_EQ(ports[0].punted, 5u);
  EXPECT_EQ(ports[0].drops[static_cast<int>(DropReason::SourceRate)], 3u);
  EXPECT_EQ(ports[0].drops[static_cast<int>(DropReason::SignalingRate)], 1u);
  EXPECT_EQ(plane->mbufs_in_use(), 0u);  // the policed mbufs went back

  // A third of a second later one packet a source has come back, and the port has room.
  sip_from("10.0.0.9", 2);
  poll(t0 + hz / 3 + 2);
  EXPECT_EQ(kernel->drain().size(), 1u);
  // A second later the source has its whole second again.
  sip_from("10.0.0.9", 4);
  poll(t0 + 2 * hz);
  EXPECT_EQ(kernel->drain().size(), 3u);
}

TEST_F(PolicedWorkerTest, AnIpv6SourceIsHeldToItsRateToo) {
  Udp u;
  u.src = "fd00::66", u.dst = "fd00::1", u.sport = 5060, u.dport = 5060;
  for (int i = 0; i < 5; ++i) put(*access, frame(u));
  poll(100 * rte_get_tsc_hz());
  EXPECT_EQ(kernel->drain().size(), 3u);
  EXPECT_EQ(plane->ports()[0].drops[static_cast<int>(DropReason::SourceRate)], 2u);
}

TEST_F(PolicedWorkerTest, MediaOfAFlowIsNeverPoliced) {
  install_pair();
  for (int i = 0; i < 20; ++i) put(*access, frame(rtp_from("10.0.0.9", 61000)));
  poll(100 * rte_get_tsc_hz());
  EXPECT_EQ(core->drain().size(), 20u);
  const auto ports = plane->ports();
  EXPECT_EQ(ports[0].drops[static_cast<int>(DropReason::SourceRate)], 0u);
}

}  // namespace
}  // namespace palisade::dataplane
