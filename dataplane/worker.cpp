#include "worker.hpp"

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>
#include <rte_ring_elem.h>

#include "relay.hpp"

namespace palisade::dataplane {

namespace {
constexpr std::uint32_t kCommandsPerPoll = 32;  // bounded, so a flood of set-ups cannot starve media
// Guards have a resolution of seconds: the flows' timers are swept at the pace of the whole
// table once a second, in slices at most every millisecond, so the sweep costs the same at any
// packet rate (perf: 64 entries a pass took 17% of the worker's cycles).
constexpr std::uint64_t kScanSlicesPerSecond = 1000;
}  // namespace

Worker::Worker(FlowTable& table, std::vector<WorkerPort> ports, const std::array<std::array<std::uint8_t, 6>, kMaxPorts>& macs,
               rte_ring* commands, rte_ring* events, std::uint64_t hz, ExceptionLimits limits)
    : table_(table),
      ports_(std::move(ports)),
      macs_(macs),
      commands_(commands),
      events_(events),
      hz_(hz),
      sources_(TickRate::of(limits.per_source, hz)),
      port_rate_(TickRate::of(limits.per_port, hz)) {}

void Worker::run(const std::atomic<bool>& stop) {
  while (!stop.load(std::memory_order_relaxed)) poll(rte_rdtsc());
  flush();
}

void Worker::poll(std::uint64_t now) {
  commands(now);
  std::uint32_t got = 0;
  for (const WorkerPort& p : ports_) {
    got += rx_media(p, now);
    got += rx_kernel(p);
  }
  flush();
  scan_idle(now);
  (got ? busy_ : idle_).add(1);
}

void Worker::commands(std::uint64_t now) {
  Command c;
  for (std::uint32_t i = 0; i < kCommandsPerPoll; ++i) {
    if (rte_ring_dequeue_elem(commands_, &c, sizeof c) != 0) return;
    switch (c.op) {
      case Command::Op::Install:
        if (c.spec.out_port >= kMaxPorts || !table_.add(c.slot, make_key(c.spec.in_port, c.spec.local))) {
          refused_.add(1);
          break;
        }
        load_entry(table_.entry(c.slot), c.spec, macs_[c.spec.out_port].data(), now, hz_, false);
        follow_reverse(c.slot);
        break;
      case Command::Op::Modify:
        if (c.spec.out_port >= kMaxPorts || c.slot < 0 || static_cast<std::uint32_t>(c.slot) >= table_.capacity() ||
            !table_.active(c.slot)) {
          refused_.add(1);
          break;
        }
        load_entry(table_.entry(c.slot), c.spec, macs_[c.spec.out_port].data(), now, hz_, true);
        follow_reverse(c.slot);
        break;
      case Command::Op::Remove: {
        if (c.slot < 0 || static_cast<std::uint32_t>(c.slot) >= table_.capacity() || !table_.active(c.slot)) {
          refused_.add(1);
          break;
        }
        const FlowEntry& e = table_.entry(c.slot);
        FlowEvent ev;
        ev.type = FlowEvent::Type::Removed;
        ev.slot = c.slot;
        ev.packets = e.packets.get();
        ev.bytes = e.bytes.get();
        table_.erase(c.slot);
        emit(ev);
        break;
      }
    }
  }
}

inline FlowEntry* Worker::reverse_of(const FlowEntry& e) {
  return e.reverse >= 0 && static_cast<std::uint32_t>(e.reverse) < table_.capacity() && table_.active(e.reverse)
             ? &table_.entry(e.reverse)
             : nullptr;
}

void Worker::follow_reverse(std::int32_t slot) {
  FlowEntry& e = table_.entry(slot);
  if (const FlowEntry* rev = reverse_of(e)) follow_latch(e, *rev);
}

std::uint16_t Worker::rx_media(const WorkerPort& p, std::uint64_t now) {
  rte_mbuf* pkts[kBurst];
  const std::uint16_t n = rte_eth_rx_burst(p.id, 0, pkts, kBurst);
  if (n == 0) return 0;
  PortCounters& pc = counters_[p.id];
  pc.rx.add(n);

  // Classify the burst and look its UDP datagrams up in one bulk call; then act on every
  // packet in arrival order, so what the kernel receives keeps the order it was sent in.
  FlowKey keys[kBurst];
  const FlowKey* key_ptrs[kBurst];
  ParsedFrame parsed[kBurst];
  FrameClass cls[kBurst];
  std::uint32_t k = 0;
  for (std::uint16_t i = 0; i < n; ++i) {
    if (i + 1 < n) rte_prefetch0(rte_pktmbuf_mtod(pkts[i + 1], void*));
    rte_mbuf* m = pkts[i];
    const auto* f = rte_pktmbuf_mtod(m, const std::uint8_t*);
    // A chained mbuf is not media (RTP fits one segment): the kernel gets it whole.
    cls[i] = m->nb_segs == 1 ? classify(f, rte_pktmbuf_data_len(m), parsed[i]) : FrameClass::Punt;
    if (cls[i] == FrameClass::Udp) {
      const std::uint8_t* dst = f + parsed[i].l3 + (parsed[i].family == 4 ? 16 : 24);
      keys[k] = make_key(p.id, dst, parsed[i].family, load16(f + parsed[i].l4 + 2));
      key_ptrs[k] = &keys[k];
      ++k;
    }
  }
  std::int32_t slots[kBurst];
  const std::uint64_t hits = table_.lookup(key_ptrs, k, slots);
  std::uint32_t j = 0;
  for (std::uint16_t i = 0; i < n; ++i) {
    rte_mbuf* m = pkts[i];
    if (cls[i] == FrameClass::Malformed) {
      drop(p.id, DropReason::Malformed, m);
      continue;
    }
    if (cls[i] == FrameClass::Punt || !(hits & (1ull << j++))) {
      punt(p, m, now);  // not UDP, or UDP to an address that is no flow: SIP, DNS, a stray
      continue;
    }
    const std::int32_t slot = slots[j - 1];
    FlowEntry& e = table_.entry(slot);
    FlowEntry* rev = reverse_of(e);
    const RelayResult r = relay(e, rev, rte_pktmbuf_mtod(m, std::uint8_t*), parsed[i], rte_pktmbuf_data_len(m), now);
    if (r.latched_now) {
      FlowEvent ev;
      ev.type = FlowEvent::Type::Latched;
      ev.slot = slot;
      ev.in_port = p.id;
      ev.remote.ip.family = e.family;
      std::memcpy(ev.remote.ip.bytes.data(), e.remote_ip, 16);
      ev.remote.port = load16(reinterpret_cast<const std::uint8_t*>(&e.remote_port));
      emit(ev);
    }
    if (r.forward) {
      pc.relayed.add(1);
      pc.relayed_bytes.add(rte_pktmbuf_data_len(m));
      send(e.out_port, m);
    } else {
      drop(p.id, r.reason, m);
    }
  }
  return n;
}

std::uint16_t Worker::rx_kernel(const WorkerPort& p) {
  if (p.exception == kNoPort) return 0;
  rte_mbuf* pkts[kBurst];
  const std::uint16_t n = rte_eth_rx_burst(p.exception, 0, pkts, kBurst);
  counters_[p.id].from_kernel.add(n);
  for (std::uint16_t i = 0; i < n; ++i) send(p.id, pkts[i]);
  return n;
}

void Worker::punt(const WorkerPort& p, rte_mbuf* m, std::uint64_t now) {
  if (p.exception != kNoPort && policed(p, rte_pktmbuf_mtod(m, const std::uint8_t*), rte_pktmbuf_data_len(m), now))
    return rte_pktmbuf_free(m);
  counters_[p.id].punted.add(1);
  if (p.exception == kNoPort) return drop(p.id, DropReason::NotMedia, m);
  send(p.exception, m);
}

bool Worker::policed(const WorkerPort& p, const std::uint8_t* f, std::uint32_t len, std::uint64_t now) {
  // The source's own limit first: a flooder's excess must not use up the port's share.
  if (sources_.limited() && len >= kEtherLen) {
    const std::uint16_t type = load16(f + 12);
    const bool v4 = type == kEtherIpv4 && len >= kEtherLen + kIpv4Len;
    const bool v6 = type == kEtherIpv6 && len >= kEtherLen + kIpv6Len;
    if ((v4 || v6) && !sources_.admit(f + kEtherLen + (v4 ? 12 : 8), v4 ? 4 : 6, now)) {
      counters_[p.id].drops[static_cast<int>(DropReason::SourceRate)].add(1);
      return true;
    }
  }
  if (port_rate_.limited() && !port_buckets_[p.id].take(now, port_rate_.cost, port_rate_.depth)) {
    counters_[p.id].drops[static_cast<int>(DropReason::SignalingRate)].add(1);
    return true;
  }
  return false;
}

void Worker::drop(std::uint16_t port, DropReason why, rte_mbuf* m) {
  counters_[port].drops[static_cast<int>(why)].add(1);
  rte_pktmbuf_free(m);
}

void Worker::send(std::uint16_t port, rte_mbuf* m) {
  TxQueue& q = tx_[port];
  q.pkts[q.n++] = m;
  if (q.n == kBurst) transmit(port);
}

void Worker::transmit(std::uint16_t port) {
  TxQueue& q = tx_[port];
  const std::uint16_t sent = rte_eth_tx_burst(port, 0, q.pkts.data(), q.n);
  counters_[port].tx.add(sent);
  for (std::uint16_t i = sent; i < q.n; ++i) drop(port, DropReason::TxFull, q.pkts[i]);
  q.n = 0;
}

void Worker::flush() {
  // Every pass ends with its queues sent, so a trickle of packets waits at most one pass.
  for (std::uint16_t port = 0; port < kMaxPorts; ++port)
    if (tx_[port].n) transmit(port);
}

void Worker::scan_idle(std::uint64_t now) {
  const std::uint64_t elapsed = now - last_scan_;
  if (elapsed < hz_ / kScanSlicesPerSecond) return;
  last_scan_ = now;
  const std::uint32_t cap = table_.capacity();
  const std::uint64_t due = cap * elapsed / hz_ + 1;  // the share of the table this much time asks for
  const std::uint32_t slice = due > cap ? cap : static_cast<std::uint32_t>(due);
  for (std::uint32_t i = 0; i < slice && i < cap; ++i) {
    const std::int32_t s = static_cast<std::int32_t>(scan_cursor_);
    scan_cursor_ = scan_cursor_ + 1 == cap ? 0 : scan_cursor_ + 1;
    if (!table_.active(s)) continue;
    FlowEntry& e = table_.entry(s);
    if (const std::uint8_t due = idle_due(e, now)) {
      e.reported |= due;
      FlowEvent ev;
      ev.type = FlowEvent::Type::Idle;
      ev.idle = due;
      ev.slot = s;
      ev.packets = e.packets.get();
      ev.bytes = e.bytes.get();
      emit(ev);
    }
  }
}

void Worker::emit(FlowEvent e) {
  if (rte_ring_enqueue_elem(events_, &e, sizeof e) != 0) events_lost_.add(1);
}

}  // namespace palisade::dataplane
