#!/usr/bin/env bash
# Call set-up rate with media anchored in the DPDK fast path, against the same sbcd with SDP
# crossing unanchored on kernel sockets, in one run (compare the ratio: the machines are
# shared and noisy).
#
#   scripts/bench-media.sh [seconds-per-step]      (as root; uses the lab of scripts/lab.sh)
#
# Both runs put sbcd's control thread on core 0 beside the SIPp caller and callee: with the
# fast path, core 1 belongs to its polling worker (media-manager worker-lcore), so the kernel
# run keeps core 1 idle too. Each call takes steering ports and four flows (RTP and RTCP each
# way), rewrites its offer and answer, and releases everything at its BYE; no RTP is sent. A
# step places rate*seconds calls; the highest step SIPp completes with exit 0 is the figure.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-5}
rates=(200 400 600 800 1000 1200 1500 2000 2500 3000)
"$top/scripts/setup.sh" >/dev/null
work=$(mktemp -d)
cleanup() { pkill -f "sipp .*-i 10.10." 2>/dev/null || true; pkill -x sbcd 2>/dev/null || true; "$top/scripts/lab.sh" down; rm -rf "$work"; }
trap cleanup EXIT

ceiling() {
  local best=0
  for r in "${rates[@]}"; do
    if timeout $((secs * 4 + 30)) ip netns exec pal-acc taskset -c 0 sipp -sn uac 10.10.1.1:5060 -i 10.10.1.10 -p 5060 \
         -s 15551234 -r "$r" -m $((r * secs)) -l $((r * 4)) -nostdin -timeout $((secs * 3 + 20)) >/dev/null 2>&1; then
      best=$r
    else
      break
    fi
    sleep 1
  done
  echo "$best"
}

run() {  # run MODE CONFIG: the ceiling of sbcd with CONFIG in the lab's MODE
  "$top/scripts/lab.sh" down
  "$top/scripts/lab.sh" up "$1" >/dev/null
  ip netns exec pal-core taskset -c 0 sipp -sn uas -aa -i 10.10.2.10 -p 5060 -nostdin -bg >/dev/null 2>&1 || true
  # with the fast path, EAL itself pins the control thread to main-lcore 0 and the worker to 1
  local pin=(taskset -c 0)
  [ "$1" = dpdk ] && pin=()
  ip netns exec pal-sbc "${pin[@]}" "$top/build/bin/sbcd" --config "$2" 2>"$work/sbcd-$1.log" &
  for _ in $(seq 100); do grep -q started "$work/sbcd-$1.log" && break; sleep 0.1; done
  sleep 2.5  # the session agent pinged up
  ceiling
  pkill -x sbcd || true
  sleep 1
  grep -E "media: stopping" "$work/sbcd-$1.log" >&2 || true
  pkill -f "sipp .*-i 10.10.2." || true
  sleep 0.5
}

echo "sbcd, SDP unanchored on kernel sockets (conf/lab.cfg)" >&2
plain=$(run kernel "$top/conf/lab.cfg")
echo "sbcd, media anchored in the DPDK fast path (conf/lab-dpdk.cfg)" >&2
anchored=$(run dpdk "$top/conf/lab-dpdk.cfg")
printf '\n%-52s %s\n' "sbcd" "highest zero-failure rate (calls/s, ${secs}s steps)"
printf '%-52s %s\n' "kernel sockets, SDP unanchored (conf/lab.cfg)" "$plain" \
  "DPDK fast path, media anchored (conf/lab-dpdk.cfg)" "$anchored"
[ "$plain" -gt 0 ] && python3 -c "print(f'anchored / unanchored = {$anchored / $plain:.2f}')"
true
