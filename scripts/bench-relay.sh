#!/usr/bin/env bash
# The fast path's relay rate against dpdk-testpmd on the same vdevs, in one run (the machines
# are shared and noisy: compare the ratios). Both sides forward between two net_ring loopback
# ports on one worker lcore (lcore 1) while lcore 0 keeps packets in flight.
#
#   scripts/bench-relay.sh [seconds]        (figures go into docs/benchmarks.md)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-5}
"$top/scripts/setup.sh" >/dev/null
dp="$top/build/bin/palisade-dp"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# testpmd: --tx-first puts one burst per port in flight; both ports' Rx-pps at the last report
testpmd_rate() {
  timeout -s INT $((secs + 3)) dpdk-testpmd --no-huge --no-pci --no-shconf --no-telemetry -m 1024 -l 0-1 \
    --vdev=net_ring0 --vdev=net_ring1 --log-level='*:error' -- --forward-mode="$1" --tx-first --stats-period 1 \
    --total-num-mbufs=16384 >"$out/tp-$1.txt" 2>&1 || true
  grep 'Rx-pps:' "$out/tp-$1.txt" | tail -2 | awk '{s += $2} END {printf "%.3f", s / 1e6}'
}

printf '%-44s %10s %10s\n' "forwarder (one worker lcore, 2 net_ring ports)" "Mpps" "cyc/pkt"
declare -A mpps
for mode in io macswap 5tswap; do
  mpps[$mode]=$(testpmd_rate $mode)
  printf '%-44s %10s %10s\n' "dpdk-testpmd --forward-mode=$mode" "${mpps[$mode]}" "-"
done
for flows in 10000 100000; do
  line=$("$dp" --bench-chain $flows --seconds "$secs" --in-flight 512 --lcores 0,1 -m 512 2>/dev/null | grep '^bench ')
  echo "$line" >"$out/pal-$flows.txt"
  rate=$(sed -n 's/.* mpps=\([0-9.]*\).*/\1/p' <<<"$line")
  cyc=$(sed -n 's/.* cycles_per_packet=\([0-9.]*\).*/\1/p' <<<"$line")
  per=$(sed -n 's/.* table_bytes_per_flow=\([0-9]*\).*/\1/p' <<<"$line")
  mpps[pal$flows]=$rate
  printf '%-44s %10s %10s   (%s bytes of table per flow)\n' "palisade relay, $flows flows" "$rate" "$cyc" "$per"
done
for flows in 10000 100000; do
  for mode in io macswap 5tswap; do
    awk -v a="${mpps[pal$flows]}" -v b="${mpps[$mode]}" -v f=$flows -v m=$mode \
      'BEGIN {printf "palisade at %6d flows / testpmd %-8s = %.3f\n", f, m, a / b}'
  done
done
