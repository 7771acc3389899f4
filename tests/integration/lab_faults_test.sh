#!/usr/bin/env bash
# Overload and faults against the real sbcd with its media on DPDK (conf/lab-dpdk.cfg, the lab
# in dpdk mode), issue 8 and docs/reliability.md:
#   1. realm session-constraints: the access realm takes 20 calls at a time; of 40 SIPp calls
#      begun within a second 20 complete and 20 are refused with 503; `show sipd realms` and
#      /metrics count them; acli lifts the limit live (activate-config) and all calls pass.
#   2. the exception path's limit per source: one address floods OPTIONS at 12,000/s while SIPp
#      places 400 calls from another; the fast path drops the flood's excess before the kernel
#      (source_rate), every call completes and the shell answers promptly.
#   3. 5% and then 20% packet loss both ways on the access and the core side, with a quarter of
#      what reaches the SBC reordered (nftables and reorder.py: this kernel has no netem), during
#      1,000 calls each: every call completes or fails, and afterwards calls,
#      dialogs, transactions, anchored streams, flows and steering ports are all back to zero.
#      During the 5% run a SIGHUP with a broken file is refused and changes nothing.
#   4. a callee killed mid-call: its session agent goes out of service and the SBC ends the
#      calls on both legs with a BYE carrying a Reason once the callee's media stopped.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
sbcd=$(readlink -f "${1:-$top/build/bin/sbcd}")
acli=$(readlink -f "${2:-$top/build/bin/acli}")
lab_mode=dpdk
lab_config=$top/conf/lab-dpdk.cfg
hash=$(echo "lab-secret" | "$sbcd" --hash-password)
# The edits: an enable password; calls without RTP outlive the lab's 4 s initial guard (a lossy
# set-up can take longer) while media that stops is noticed in 2 s; one source held to 500 packets/s; Timer C at 20 s, so that a call
# whose callee gave up after ringing (SIPp's callee aborts when a retransmitted INVITE crosses
# its 200) ends within the run; the access realm constrained.
lab_config_edit="s|hostname = \"palisade-lab-dpdk\";|hostname = \"palisade-lab-dpdk\"; enable-password = \"$hash\";|;"\
"s|initial-guard-timer = 4;|initial-guard-timer = 30;|;"\
"s|subsequent-guard-timer = 4;|subsequent-guard-timer = 2;|;"\
"s|max-source-signaling-packets = 2000;|max-source-signaling-packets = 500;|;"\
"s|trans-expire = 4; };|trans-expire = 4; invite-expire = 20; };|;"\
"s|restricted-latching = \"peer-ip\"; },|restricted-latching = \"peer-ip\"; constraint-name = \"edge\"; },|;"\
"s|^sip-interface = (|session-constraints = ( { name = \"edge\"; max-inbound-sessions = 20; } );\nsip-interface = (|"
# shellcheck source=lab_lib.sh
. "$top/tests/integration/lab_lib.sh"
run_acli() { sbc "$acli" -s /run/palisade/acli.sock -c "$1"; }
# A call both of whose ends gave up on it (each SIPp aborts a call on a message it did not
# expect) is ended by the initial guard (30 s here); then its BYEs time out (4 s).
settle_s=${settle_s:-45}

# uac NAME CALLS RATE [SIPp arguments]: SIPp's built-in caller from 10.10.1.10; prints
# "SUCCESSFUL FAILED" as SIPp counted them. A call waiting 60 s for a message fails (a final
# response the loss took every copy of).
uac() {
  local name=$1 n=$2 r=$3; shift 3
  timeout 300 ip netns exec pal-acc sipp -sn uac 10.10.1.1:5060 -i 10.10.1.10 -p 5060 -s 15551234 -m "$n" -r "$r" \
    -l 400 -nostdin -recv_timeout 60000 -trace_stat -stf "$name.csv" -fd 1 -trace_err "$@" >"$name.out" 2>&1
  python3 - "$name.csv" <<'PY'
import csv, sys
rows = [r for r in csv.reader(open(sys.argv[1]), delimiter=';') if r]
h, last = rows[0], rows[-1]
print(last[h.index('SuccessfulCall(C)')], last[h.index('FailedCall(C)')])
PY
}
# Everything a call holds is back to zero (or, for steering ports, back to what was free).
# Transactions: core-a's OPTIONS pings (every 2 s, each kept for Timer K, T4 = 5 s) keep up to
# three alive at any time.
settled() {
  for _ in $(seq "$settle_s"); do
    [ "$(metric palisade_calls_active)" = 0 ] && [ "$(metric palisade_sip_dialogs_active)" = 0 ] &&
      [ "$(metric palisade_sip_transactions_active)" -le 3 ] && [ "$(metric palisade_media_streams_anchored)" = 0 ] &&
      [ "$(metric palisade_media_flows_active)" = 0 ] && [ "$(metric palisade_steering_port_pairs_free)" = "$free_pairs" ] &&
      return 0
    sleep 1
  done
  echo "left: calls $(metric palisade_calls_active) dialogs $(metric palisade_sip_dialogs_active)" \
    "transactions $(metric palisade_sip_transactions_active) streams $(metric palisade_media_streams_anchored)" \
    "flows $(metric palisade_media_flows_active) free pairs $(metric palisade_steering_port_pairs_free) of $free_pairs"
  return 1
}
# impair NS DEV PERMILLE: frames lost at random both ways on DEV (nftables numgen in the
# netdev ingress and egress hooks), and a quarter of what DEV sends held back 10-60 ms
# (reorder.py) so later frames overtake it. This kernel has no sch_netem; its netfilter does.
impair() {
  local ns=$1 dev=$2 loss=$3
  ip -n "$ns" link add "imp-$dev" type veth peer name "imq-$dev"
  for l in "imp-$dev" "imq-$dev"; do
    ip netns exec "$ns" sysctl -qw "net.ipv6.conf.$l.disable_ipv6=1"
    ip -n "$ns" link set "$l" up
  done
  ip netns exec "$ns" nft -f - <<EOF
table netdev impair {
  chain out {
    type filter hook egress device "$dev" priority 0; policy accept;
    meta mark 0x42 accept
    numgen random mod 1000 < $loss counter drop
    numgen random mod 100 < 25 dup to "imp-$dev" drop
  }
  chain in {
    type filter hook ingress device "$dev" priority 0; policy accept;
    numgen random mod 1000 < $loss counter drop
  }
}
EOF
  ip netns exec "$ns" python3 "$top/tests/integration/reorder.py" --tap "imq-$dev" --out "$dev" --mark 0x42 >"reorder-$dev.out" &
  reorderers="${reorderers:-} $!"
}
repair() {  # prints the frames it lost
  local ns=$1 dev=$2
  ip netns exec "$ns" nft list table netdev impair | awk '/counter packets/ { for (i = 1; i <= NF; i++) if ($i == "packets") n += $(i + 1) } END { print n + 0 }'
  ip netns exec "$ns" nft delete table netdev impair 2>/dev/null
  ip -n "$ns" link del "imp-$dev" 2>/dev/null
}

callee uas 10.10.2.10; callee uas 10.10.2.11
sleep 5  # pings sent before the callees listened have expired (trans-expire 4 s)
check "core-a is in service" 'run_acli "show sipd agents" | grep -Eq "^core-a .* in-service "'
free_pairs=$(metric palisade_steering_port_pairs_free)
check "sbcd reports its free steering port pairs ($free_pairs)" '[ "${free_pairs:-0}" -gt 0 ]'

# ---- 1. realm session-constraints ----------------------------------------------------------
# 40 calls begun within a second, each lasting 3 s: the first 20 fill the realm.
read -r ok failed < <(uac constrained 40 40 -d 3000)
echo "constrained: $ok successful, $failed failed"
check "max-inbound-sessions 20: 20 of 40 calls complete and 20 are refused" '[ "$ok" = 20 ] && [ "$failed" = 20 ]'
check "the refused calls were answered 5xx" '[ "$(metric "palisade_sip_responses_total{class=\"5xx\",direction=\"out\",method=\"INVITE\",realm=\"access\"}")" = 20 ]'
realms=$(run_acli "show sipd realms")
echo "$realms"
check "show sipd realms: access names edge and refused 20, nothing in progress" \
  'echo "$realms" | grep -Eq "^access +edge +0 +0 +20 +0 +20 "'
check "/metrics: palisade_realm_sessions_refused_total{realm=\"access\"} = 20" \
  '[ "$(metric "palisade_realm_sessions_refused_total{realm=\"access\"}")" = 20 ]'
check "sbcd logged the refusal once, naming the limit" '[ "$(grep -c "calls from realm access refused with 503: max-inbound-sessions" sbcd.log)" = 1 ]'
out=$(run_acli "enable; lab-secret; configure terminal; session-router; session-constraints; select edge; state disabled; done; exit; exit; exit; save-config; activate-config" 2>&1); rc=$?
check "acli disables the constraint and activates it live (exit $rc)" '[ $rc -eq 0 ] && echo "$out" | grep -q "Activated configuration version"'
[ $rc -eq 0 ] || echo "$out"
read -r ok failed < <(uac unconstrained 40 40 -d 3000)
check "with the constraint disabled all 40 calls complete ($ok, $failed failed)" '[ "$ok" = 40 ] && [ "$failed" = 0 ]'
check "everything is back to zero after the constrained runs" settled

# ---- 2. a flood against the exception path --------------------------------------------------
acc ip addr add 10.10.1.66/24 dev acc0
dropped0=$(metric 'palisade_port_dropped_packets_total{port="access0",reason="source_rate"}')
acc python3 "$top/tests/integration/sip_flood.py" --bind 10.10.1.66 --to 10.10.1.1:5060 --kind options --seconds 8 \
  --max 100000 --rate 12000 >flood.out 2>&1 &
flood=$!
uac flooded 400 50 >flooded.result &
legit=$!
slowest=$(slowest_show 1.2 5)
wait $flood; wait $legit
read -r ok failed <flooded.result
echo "flood: $(cat flood.out)"
dropped=$(( $(metric 'palisade_port_dropped_packets_total{port="access0",reason="source_rate"}') - dropped0 ))
check "400 calls complete during the flood ($ok, $failed failed)" '[ "$ok" = 400 ] && [ "$failed" = 0 ]'
check "the fast path dropped the flood's excess before the kernel ($dropped source_rate drops)" '[ "$dropped" -ge 40000 ]'
answers=$(sed -n 's/.*answers=\([0-9]*\).*/\1/p' flood.out)
check "the flooder got at most its 500/s answered ($answers in 8 s)" '[ "${answers:-99999}" -le 4600 ] && [ "${answers:-0}" -ge 1000 ]'
check "acli -c \"show sipd\" answered within 1 s during the flood (slowest ${slowest} ms)" '[ $slowest -lt 1000 ]'
check "everything is back to zero after the flood" settled

# ---- 3. loss and reordering -----------------------------------------------------------------
loss_run() {  # loss_run PERCENT: 1,000 calls through PERCENT% loss with reordering
  local pct=$1
  for side in "pal-acc acc-sbc" "pal-core core0"; do impair $side $((pct * 10)); done
  uac "loss$pct" 1000 50 >"loss$pct.result" &
  local run=$!
  if [ "$pct" = 5 ]; then  # a broken configuration arrives mid-run
    sleep 6
    cp "$lab_config" good.cfg
    echo 'session-agent = ( { hostname = "x"; port = 0; } );' >>"$lab_config"
    kill -HUP "$sbcd_pid"
    sleep 1
    cp good.cfg "$lab_config"
  fi
  wait $run
  kill $reorderers 2>/dev/null; wait $reorderers 2>/dev/null; reorderers=
  lost=0
  for side in "pal-acc acc-sbc" "pal-core core0"; do lost=$((lost + $(repair $side))); done
  held=$(cat reorder-acc-sbc.out reorder-core0.out | awk '{ n += $3 } END { print n + 0 }')
  read -r ok failed <"loss$pct.result"
  echo "loss $pct%: $ok successful, $failed failed; $lost frames lost, $held held back"
}
version0=$(metric palisade_config_version)
loss_run 5
check "5% loss: all 1,000 calls ended, completed or failed ($ok + $failed; $lost frames lost, $held reordered)" \
  '[ $((ok + failed)) = 1000 ] && [ "$ok" -ge 980 ] && [ "$lost" -ge 500 ] && [ "$held" -ge 1000 ]'
check "the broken file's SIGHUP was refused, naming the line" 'grep -q "reload refused" sbcd.log && grep -Eq "sbc.cfg:[0-9]+: " sbcd.log'
check "the running configuration stayed at version $version0" '[ "$(metric palisade_config_version)" = "$version0" ]'
check "after 5% loss calls, dialogs, transactions, streams, flows and steering ports are back to zero" settled
loss_run 20
check "20% loss: all 1,000 calls ended, completed or failed ($ok + $failed; $lost frames lost, $held reordered)" \
  '[ $((ok + failed)) = 1000 ] && [ "$ok" -ge 850 ] && [ "$lost" -ge 2000 ] && [ "$held" -ge 1000 ]'
check "after 20% loss calls, dialogs, transactions, streams, flows and steering ports are back to zero" settled
check "sbcd is still up" 'kill -0 $sbcd_pid'

# ---- 4. a callee killed mid-call --------------------------------------------------------------
stop_callees
cp /usr/share/sip-tester/g711a.pcap .
core sipp -sn uas -rtp_echo -aa -i 10.10.2.10 -p 5060 -nostdin -bg >/dev/null 2>&1
sleep 3  # core-a answers pings again
ended0=$(metric palisade_media_idle_calls_ended_total)
log0=$(wc -l <sbcd.log)
timeout 60 ip netns exec pal-acc sipp -sf "$scen/uac_pcap_released.xml" 10.10.1.1:5060 -i 10.10.1.10 -p 5060 -s 15551234 \
  -m 5 -r 10 -nostdin -timeout 40 -trace_err >released.out 2>&1 &
released=$!
sleep 1.5
active=$(metric palisade_calls_active)
pkill -KILL -f "sipp -sn uas -rtp_echo -aa -i 10.10.2.10"
wait $released; rc=$?
# The calls' media counts are logged once their BYEs towards the dead callee have timed out.
for _ in $(seq 20); do [ "$(tail -n +"$log0" sbcd.log | grep -c "media: stream 0 A->B")" -ge 5 ] && break; sleep 0.5; done
for _ in $(seq 20); do grep -q "session-agent core-a out of service" <(tail -n +"$log0" sbcd.log) && break; sleep 0.5; done
check "5 calls were up when the callee died ($active)" '[ "$active" = 5 ]'
check "the SBC ended each with a BYE carrying a Reason to the caller (sipp exit $rc)" '[ $rc -eq 0 ]'
check "sbcd counted 5 calls ended for lack of media" '[ $(( $(metric palisade_media_idle_calls_ended_total) - ended0 )) = 5 ]'
# The callers play 236 packets; a call ended because its callee's media stopped ends while
# its caller still talks (ending only once both had gone quiet would let all 236 through).
talking=$(tail -n +"$log0" sbcd.log | grep -o "media: call [0-9]* media: stream 0 A->B [0-9]* packets" | awk '$8 > 0 && $8 < 236' | wc -l)
check "each call ended while its caller was still talking ($talking of 5)" '[ "$talking" = 5 ]'
check "core-a went out of service (pings unanswered)" 'run_acli "show sipd agents" | grep -Eq "^core-a .* out-of-service " && tail -n +"$log0" sbcd.log | grep -q "session-agent core-a out of service (no answer to OPTIONS)"'
check "nothing of the calls is left" settled

[ $fail -eq 0 ] && echo "lab_faults: all checks passed"
exit $fail
