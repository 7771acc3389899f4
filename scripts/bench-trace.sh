#!/usr/bin/env bash
# What call tracing costs the control plane: sbcd's own CPU time per call (user + system, from
# /proc) for the same SIPp load with sip-config call-trace-calls 100 (the default) and 0 (off),
# alternated in one run so both see the same machine. The figure is the ratio.
#
#   scripts/bench-trace.sh [calls-per-run] [rate] [rounds]     (as root; uses the lab)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
calls=${1:-6000} rate=${2:-1000} rounds=${3:-3}
"$top/scripts/setup.sh" >/dev/null
work=$(mktemp -d)
cleanup() { pkill -f "sipp .*-i 10.10." 2>/dev/null || true; pkill -x sbcd 2>/dev/null || true; "$top/scripts/lab.sh" down; rm -rf "$work"; }
trap cleanup EXIT
"$top/scripts/lab.sh" down
"$top/scripts/lab.sh" up >/dev/null
tick=$(getconf CLK_TCK)

# CPU seconds sbcd spent on `calls` calls with the given call-trace-calls.
run() {
  sed "s/^sip-config = {/sip-config = { call-trace-calls = $1;/" "$top/conf/lab.cfg" >"$work/sbc.cfg"
  grep -q "call-trace-calls = $1" "$work/sbc.cfg" || { echo "bench-trace: cannot set call-trace-calls" >&2; exit 1; }
  ip netns exec pal-core taskset -c 0 sipp -sn uas -aa -i 10.10.2.10 -p 5060 -nostdin -bg >/dev/null 2>&1 || true
  ip netns exec pal-core taskset -c 0 sipp -sn uas -aa -i 10.10.2.11 -p 5060 -nostdin -bg >/dev/null 2>&1 || true
  ip netns exec pal-sbc taskset -c 1 "$top/build/bin/sbcd" --config "$work/sbc.cfg" 2>"$work/sbcd.log" &
  local pid=$!
  sleep 1.5
  local before after
  before=$(awk '{print $14 + $15}' /proc/$pid/stat)
  ip netns exec pal-acc taskset -c 0 sipp -sn uac 10.10.1.1:5060 -i 10.10.1.10 -p 5060 -s 15551234 -r "$rate" \
    -m "$calls" -l $((rate * 4)) -nostdin -timeout 60 >/dev/null 2>&1 || { echo "bench-trace: calls failed" >&2; exit 1; }
  after=$(awk '{print $14 + $15}' /proc/$pid/stat)
  kill $pid; wait $pid 2>/dev/null || true
  pkill -f "sipp .*-i 10.10.2." || true; sleep 0.5
  awk -v a="$after" -v b="$before" -v t="$tick" 'BEGIN { printf "%.3f\n", (a - b) / t }'
}

on=0 off=0
for r in $(seq "$rounds"); do
  a=$(run 100); b=$(run 0)
  echo "round $r: tracing on ${a}s, off ${b}s of sbcd CPU for $calls calls at $rate/s"
  on=$(awk -v x="$on" -v y="$a" 'BEGIN { print x + y }'); off=$(awk -v x="$off" -v y="$b" 'BEGIN { print x + y }')
done
awk -v on="$on" -v off="$off" -v n=$((rounds * calls)) 'BEGIN {
  printf "sbcd CPU per call: tracing on %.1f us, off %.1f us, ratio on/off %.2f\n", on * 1e6 / n, off * 1e6 / n, on / off }'
