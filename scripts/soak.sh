#!/usr/bin/env bash
# Soak: sbcd (the optimized build) with its media on DPDK in the lab (conf/lab-dpdk.cfg) carries
# calls with media and transfers at a steady rate for MINUTES, while its resident memory is
# sampled every 10 s. Fails when the RSS grows by more than BOUND_MB from the end of the first
# tenth of the run (warm-up: pools, tables and allocator caches settle), when a call fails, or
# when anything a call holds (calls, dialogs, anchored streams, flows, steering ports) is left
# at the end. Writes the samples to soak-rss.csv in the current directory.
#
#   scripts/soak.sh [MINUTES=30] [CALLS_PER_S=10] [TRANSFERS_PER_S=1] [BOUND_MB=8]   (as root)
#
# Plain calls: SIPp plays sip-tester's G.711 pcap (236 packets) to 8002 on core-b, which echoes
# it (-rtp_echo); each lasts 8 s. Transfers: a caller reaches the PBX on core-a, which answers
# and REFERs it to 8001 on core-b; the SBC performs the transfer (media anchored, no re-INVITE
# to the caller), and the caller hangs up at the target 3 s after the answer.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
minutes=${1:-30} cps=${2:-10} tps=${3:-1} bound_mb=${4:-8}
secs=$((minutes * 60))
sbcd=$top/build/bin/sbcd
scen=$top/tests/integration/scenarios
[ -x "$sbcd" ] || "$top/scripts/setup.sh" >/dev/null
out=$PWD
work=$(mktemp -d)
cleanup() {
  pkill -f "sipp .*-i 10.10.[12]." 2>/dev/null || true
  [ -n "${sbcd_pid:-}" ] && kill "$sbcd_pid" 2>/dev/null || true
  sleep 0.5
  "$top/scripts/lab.sh" down
  rm -rf "$work"
}
trap cleanup EXIT
"$top/scripts/lab.sh" down
"$top/scripts/lab.sh" up dpdk >/dev/null
cd "$work"
cp /usr/share/sip-tester/g711a.pcap .
metric() {
  ip netns exec pal-sbc python3 -c 'import sys, urllib.request
for l in urllib.request.urlopen("http://127.0.0.1:9464/metrics", timeout=5).read().decode().splitlines():
    if l.startswith(sys.argv[1] + " "): print(int(float(l.split()[-1])))' "$1"
}

ip netns exec pal-sbc "$sbcd" --config "$top/conf/lab-dpdk.cfg" 2>sbcd.log &
sbcd_pid=$!
for _ in $(seq 150); do grep -q started sbcd.log && break; sleep 0.1; done
ip netns exec pal-core sipp -sf "$scen/uas_transferor.xml" -key target 8001 -i 10.10.2.10 -p 5060 -aa -nostdin -bg >/dev/null 2>&1 || true  # -bg: SIPp exits non-zero as it forks
ip netns exec pal-core sipp -sn uas -rtp_echo -i 10.10.2.11 -p 5060 -aa -nostdin -bg >/dev/null 2>&1 || true  # -bg: SIPp exits non-zero as it forks
sleep 5  # pings sent before the callees listened have expired; both agents in service
free_pairs=$(metric palisade_steering_port_pairs_free)

echo "soak: $minutes min, $cps calls/s with media and $tps transfers/s; RSS bound +$bound_mb MB after warm-up"
ip netns exec pal-acc sipp -sf "$scen/uac_pcap.xml" 10.10.1.1:5060 -i 10.10.1.10 -p 5060 -s 8002 \
  -r "$cps" -m $((cps * secs)) -l $((cps * 20)) -nostdin -recv_timeout 30000 -trace_err \
  -trace_stat -stf calls.csv -fd 10 >calls.out 2>&1 &
calls=$!
ip netns exec pal-acc sipp -sf "$scen/uac_media.xml" -key rtp 4000 -d 3000 10.10.1.1:5060 -i 10.10.1.11 -p 5060 \
  -s 15551234 -r "$tps" -m $((tps * secs)) -l $((tps * 30)) -nostdin -recv_timeout 30000 -trace_err \
  -trace_stat -stf transfers.csv -fd 10 >transfers.out 2>&1 &
transfers=$!

echo "seconds,rss_kb,calls_active,flows_active" >"$out/soak-rss.csv"
start=$(date +%s)
while kill -0 $calls 2>/dev/null || kill -0 $transfers 2>/dev/null; do
  now=$(( $(date +%s) - start ))
  rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$sbcd_pid/status")
  echo "$now,$rss,$(metric palisade_calls_active),$(metric palisade_media_flows_active)" >>"$out/soak-rss.csv"
  sleep 10
done
rc_calls=0 rc_transfers=0
wait $calls || rc_calls=$?
wait $transfers || rc_transfers=$?
sleep 10  # the last calls' BYE transactions end

counted() {  # counted CSV FIELD: the last cumulated value of a SIPp statistics column
  local col
  col=$(head -1 "$1" | tr ';' '\n' | grep -n -x "$2" | cut -d: -f1)
  tail -1 "$1" | cut -d';' -f"$col"
}
ok_calls=$(counted calls.csv "SuccessfulCall(C)") failed_calls=$(counted calls.csv "FailedCall(C)")
ok_transfers=$(counted transfers.csv "SuccessfulCall(C)") failed_transfers=$(counted transfers.csv "FailedCall(C)")
performed=$(metric 'palisade_transfers_total{mode="performed",result="succeeded"}' || echo "?")
left="calls $(metric palisade_calls_active), dialogs $(metric palisade_sip_dialogs_active), streams $(metric palisade_media_streams_anchored), flows $(metric palisade_media_flows_active), free pairs $(metric palisade_steering_port_pairs_free) of $free_pairs"

read -r warm peak last < <(python3 - "$out/soak-rss.csv" <<'PY'
import csv, sys
rows = [(int(r["seconds"]), int(r["rss_kb"])) for r in csv.DictReader(open(sys.argv[1]))]
end = rows[-1][0]
after = [kb for s, kb in rows if s >= end / 10]
print(after[0], max(after), rows[-1][1])
PY
)
growth_kb=$((peak - warm))
echo "calls with media: $ok_calls completed, $failed_calls failed (sipp exit $rc_calls)"
echo "transfers: $ok_transfers completed, $failed_transfers failed (sipp exit $rc_transfers); sbcd performed $performed"
echo "RSS: $warm KB after warm-up, peak $peak KB, last $last KB: grew $growth_kb KB (bound $((bound_mb * 1024)) KB)"
echo "left at the end: $left"
fail=0
[ "$failed_calls" = 0 ] && [ "$failed_transfers" = 0 ] && [ $rc_calls = 0 ] && [ $rc_transfers = 0 ] || { echo "FAIL: calls failed"; fail=1; }
[ $growth_kb -le $((bound_mb * 1024)) ] || { echo "FAIL: RSS grew beyond the bound"; fail=1; }
[ "$left" = "calls 0, dialogs 0, streams 0, flows 0, free pairs $free_pairs of $free_pairs" ] || { echo "FAIL: something was left"; fail=1; }
grep -E "^(error|critical)" sbcd.log | head -5 || true
[ $fail = 0 ] && echo "soak: passed"
exit $fail
