#!/usr/bin/env bash
# Concurrent calls with media that sbcd's one worker lcore carries without loss, in the DPDK lab
# (scripts/lab.sh up dpdk, conf/lab-dpdk.cfg with a 2-minute initial guard: net_af_packet ports
# on the lab's veths).
#
#   scripts/bench-media-load.sh [seconds-per-step] [calls ...]     (as root)
#
# Each step starts a fresh sbcd (so call i holds steering pair i on each side), sets up N calls
# with SIPp (uac_media/uas_media: the SDP names one media address per side), then bench/rtp_load
# sends 200-byte RTP at 50 packets/s per call each way for the step's seconds, to each call's
# steering port, and counts what comes back by the SBC port it comes from. Reported per step:
# what was offered, what the worker relayed and what was delivered (packets a second), where
# packets were lost (before the worker: the kernel's veth and af_packet; after it), the worker's
# busy share (polls that found packets, from /metrics) and how far a generator fell behind its
# schedule. The baseline in the same run is the offered load.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-10}
shift || true
steps=("$@")
[ ${#steps[@]} -gt 0 ] || steps=(250 500 1000 2000 3000 4000)
"$top/scripts/setup.sh" >/dev/null
[ -x "$top/build/bin/rtp_load" ] || { echo "bench-media-load: build first (scripts/test.sh or cmake --build build)" >&2; exit 1; }
work=$(mktemp -d)
scen=$top/tests/integration/scenarios
cleanup() {
  pkill -f "sipp .*-i 10.10." 2>/dev/null || true
  pkill -x rtp_load 2>/dev/null || true
  pkill -x sbcd 2>/dev/null || true
  "$top/scripts/lab.sh" down
  rm -rf "$work"
}
trap cleanup EXIT
metric() {
  ip netns exec pal-sbc python3 -c 'import sys, urllib.request
for l in urllib.request.urlopen("http://127.0.0.1:9464/metrics", timeout=5).read().decode().splitlines():
    if l.startswith(sys.argv[1] + " "): print(int(float(l.split()[-1])))' "$1"
}
# The sum of every series of a metric family.
family_sum() {
  ip netns exec pal-sbc python3 -c 'import sys, urllib.request
t = 0
for l in urllib.request.urlopen("http://127.0.0.1:9464/metrics", timeout=5).read().decode().splitlines():
    if l.startswith(sys.argv[1] + "{") or l.startswith(sys.argv[1] + " "): t += float(l.split()[-1])
print(int(t))' "$1"
}
field() { sed -n "s/.*$2=\([0-9]*\).*/\1/p" "$1"; }

# The lab's 4 s initial guard would end the first calls before the last are up: 2 minutes here.
sed 's/initial-guard-timer = 4;/initial-guard-timer = 120;/' "$top/conf/lab-dpdk.cfg" >"$work/sbc.cfg"
cmp -s "$top/conf/lab-dpdk.cfg" "$work/sbc.cfg" && { echo "bench-media-load: the guard edit changed nothing" >&2; exit 1; }
"$top/scripts/lab.sh" down
"$top/scripts/lab.sh" up dpdk >/dev/null
printf '%6s %10s %10s %10s %9s %9s %8s %8s\n' calls offered/s relayed/s delivered lost_in lost_out busy% late_ms
for n in "${steps[@]}"; do
  ip netns exec pal-sbc "$top/build/bin/sbcd" --config "$work/sbc.cfg" 2>"$work/sbcd.log" &
  sbcd=$!
  for _ in $(seq 100); do grep -q started "$work/sbcd.log" && break; sleep 0.1; done
  ip netns exec pal-core sipp -sf "$scen/uas_media.xml" -key rtp 5000 -key reason BYE -i 10.10.2.10 -p 5060 -aa -nostdin \
    -bg >/dev/null 2>&1 || true
  sleep 2.5  # core-a pinged up
  hold=$(( secs + 8 + n / 400 ))
  ip netns exec pal-acc sipp -sf "$scen/uac_media.xml" -key rtp 4000 -d $((hold * 1000)) 10.10.1.1:5060 -i 10.10.1.10 \
    -p 5060 -s 15551234 -m "$n" -r 400 -l "$n" -nostdin -timeout $((hold + 30)) >"$work/uac.out" 2>&1 &
  uac=$!
  for _ in $(seq 300); do [ "$(metric palisade_media_streams_anchored)" = "$n" ] && break; sleep 0.1; done
  up=$(metric palisade_media_streams_anchored)
  b0=$(metric 'palisade_worker_polls_total{lcore="1",result="busy"}'); i0=$(metric 'palisade_worker_polls_total{lcore="1",result="idle"}')
  ip netns exec pal-acc "$top/build/bin/rtp_load" --bind 10.10.1.10:4000 --to 10.10.1.1 --first 20000 --streams "$n" \
    --seconds "$secs" >"$work/a.out" &
  a=$!
  ip netns exec pal-core "$top/build/bin/rtp_load" --bind 10.10.2.10:5000 --to 10.10.2.1 --first 30000 --streams "$n" \
    --seconds "$secs" >"$work/b.out" &
  wait $a $!
  b1=$(metric 'palisade_worker_polls_total{lcore="1",result="busy"}'); i1=$(metric 'palisade_worker_polls_total{lcore="1",result="idle"}')
  relayed=$(family_sum palisade_port_relayed_packets_total)
  dropped=$(family_sum palisade_port_dropped_packets_total)
  wait $uac || true
  kill -TERM $sbcd 2>/dev/null; wait $sbcd 2>/dev/null || true
  pkill -f "sipp .*-i 10.10.2." 2>/dev/null || true
  sleep 1
  sa=$(field "$work/a.out" sent); ra=$(field "$work/a.out" received)
  sb=$(field "$work/b.out" sent); rb=$(field "$work/b.out" received)
  late=$(( $(field "$work/a.out" late_ms) > $(field "$work/b.out" late_ms) ? $(field "$work/a.out" late_ms) : $(field "$work/b.out" late_ms) ))
  busy=$(python3 -c "print(f'{100 * ($b1 - $b0) / max(1, ($b1 - $b0) + ($i1 - $i0)):.1f}')")
  if [ "$up" != "$n" ]; then
    printf '%6s %s\n' "$n" "only $up calls came up; stopping (logs kept in $work)"
    trap - EXIT
    pkill -f "sipp .*-i 10.10." 2>/dev/null || true
    "$top/scripts/lab.sh" down
    exit 1
  fi
  # lost_in: sent, never reached the worker (the kernel's veth and af_packet); lost_out: the
  # worker relayed it (or dropped it: counted here too), the generator never got it.
  printf '%6s %10s %10s %10s %9s %9s %8s %8s\n' "$n" $(( (sa + sb) / secs )) $(( relayed / secs )) $(( (ra + rb) / secs )) \
    $(( sa + sb - relayed - dropped )) $(( relayed - ra - rb )) "$busy" "$late"
  grep -E "dataplane: stopping" -A2 "$work/sbcd.log" | tail -2 | sed 's/^/         /' >&2
done
