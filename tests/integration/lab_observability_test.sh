#!/usr/bin/env bash
# Observability of the real sbcd in the lab:
#   1. Prometheus: a real Prometheus server (Debian's) in the SBC's namespace scrapes sbcd's
#      /metrics every second while SIPp places calls; its HTTP API must show the call and SIP
#      counters risen by exactly the calls placed, and promtool must accept a scrape.
#   2. Call traces: acli lists the traced calls, draws one as a ladder, and save-call-flow
#      exports it as a pcap in which tshark finds exactly the messages that the captures on
#      the SBC's two interfaces show for that call's Call-IDs.
#   3. HEPv3: sbcd sends every SIP message to a real Kamailio with sipcapture as collector
#      (tests/integration/kamailio-hep.cfg); what Kamailio decoded for that call is what the
#      wire showed, and it received every datagram sbcd counts as sent.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
sbcd=$(readlink -f "${1:-$top/build/bin/sbcd}")
acli=$(readlink -f "${2:-$top/build/bin/acli}")
for tool in prometheus promtool; do
  command -v $tool >/dev/null || { echo "FAIL: $tool is not installed (scripts/setup.sh installs it)"; exit 1; }
done
command -v kamailio >/dev/null || { echo "FAIL: kamailio is not installed (scripts/setup.sh installs it)"; exit 1; }
# conf/lab.cfg with HEP export to the collector on the SBC namespace's own loopback.
lab_config_edit='s/^sip-config = {/sip-config = { hep-address = "127.0.0.1"; hep-port = 9060; hep-capture-id = 42;/'
# shellcheck source=lab_lib.sh
. "$top/tests/integration/lab_lib.sh"
mkdir -p "$work/hepdb"
sed "s|/tmp/palisade-hep-db|$work/hepdb|" "$top/tests/integration/kamailio-hep.cfg" >kamailio-hep.cfg
fetch() { sbc python3 -c 'import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1], timeout=5).read().decode())' "$1"; }
# The value of an instant query, or "none".
query() {
  sbc python3 - "$1" <<'PY'
import json, sys, urllib.parse, urllib.request
url = "http://127.0.0.1:9090/api/v1/query?query=" + urllib.parse.quote(sys.argv[1])
r = json.load(urllib.request.urlopen(url, timeout=5))["data"]["result"]
print(r[0]["value"][1] if r else "none")
PY
}

cat >prometheus.yml <<'YML'
global: { scrape_interval: 1s, evaluation_interval: 1s }
scrape_configs:
  - job_name: palisade
    static_configs: [ { targets: [ "127.0.0.1:9464" ] } ]
YML
sbc prometheus --config.file=prometheus.yml --storage.tsdb.path="$work/tsdb" --web.listen-address=127.0.0.1:9090 \
  >prometheus.log 2>&1 &
prom_pid=$!
ip netns exec pal-sbc kamailio -f kamailio-hep.cfg -DD -E -m 64 >kamailio-hep.log 2>&1 &
kam_pid=$!
trap 'kill $prom_pid $kam_pid 2>/dev/null; cleanup' EXIT
for _ in $(seq 50); do grep -q 'HEP|' kamailio-hep.log && break; sleep 0.1; done  # the first OPTIONS pings
check "sbcd exports HEP and Kamailio decodes it" 'grep -q "HEPv3 export to 127.0.0.1:9060" sbcd.log && grep -q "^.*HEP|OPTIONS|" kamailio-hep.log'
check "sbcd serves /metrics" 'grep -q "Prometheus metrics on http://127.0.0.1:9464/metrics" sbcd.log'

# Prometheus is up and has scraped sbcd once.
for _ in $(seq 60); do [ "$(query 'up{job="palisade"}' 2>/dev/null)" = 1 ] && break; sleep 0.5; done
check "Prometheus scrapes sbcd (up == 1)" '[ "$(query "up{job=\"palisade\"}")" = 1 ]'
before=$(query 'palisade_calls_attempted_total')
check "before the calls: no call attempted ($before)" '[ "$before" = 0 ]'

# The callees answer sbcd's OPTIONS pings. A ping sent before a callee listened times out after
# trans-expire (4 s in conf/lab.cfg) and marks its agent down: let those expire, then wait until
# both agents are in service again, so no call meets an agent taken down by a stale ping.
callee uas 10.10.2.10; callee uas 10.10.2.11
sleep 5
for _ in $(seq 60); do [ "$(query "sum(palisade_session_agent_up{agent=~\"core-a|core-b\"})")" = 2 ] && break; sleep 0.5; done
check "both session agents are in service before the calls" '[ "$(query "sum(palisade_session_agent_up{agent=~\"core-a|core-b\"})")" = 2 ]'
caller uac 30 15; rc=$?
check "30 calls complete (sipp exit $rc)" '[ $rc -eq 0 ]'

# Wait for a scrape after the last call ended.
for _ in $(seq 40); do [ "$(query 'palisade_calls_answered_total')" = 30 ] && [ "$(query 'palisade_calls_active')" = 0 ] && break; sleep 0.5; done
check "calls attempted rose by 30" '[ "$(query palisade_calls_attempted_total)" = 30 ]'
check "calls answered rose by 30" '[ "$(query palisade_calls_answered_total)" = 30 ]'
check "no call active after them" '[ "$(query palisade_calls_active)" = 0 ]'
check "30 INVITEs in from the access realm" '[ "$(query "palisade_sip_requests_total{method=\"INVITE\",direction=\"in\",realm=\"access\"}")" = 30 ]'
check "30 INVITEs out to the core realm" '[ "$(query "palisade_sip_requests_total{method=\"INVITE\",direction=\"out\",realm=\"core\"}")" = 30 ]'
check "30 2xx to INVITE out to the access realm" '[ "$(query "palisade_sip_responses_total{method=\"INVITE\",class=\"2xx\",direction=\"out\",realm=\"access\"}")" = 30 ]'
check "30 BYEs in (SIPp's uac hangs up)" '[ "$(query "sum(palisade_sip_requests_total{method=\"BYE\",direction=\"in\"})")" = 30 ]'
check "the set-up histogram counted 30 calls" '[ "$(query palisade_call_setup_seconds_count)" = 30 ]'
check "both session agents are up" '[ "$(query "sum(palisade_session_agent_up{agent=~\"core-a|core-b\"})")" = 2 ]'
check "OPTIONS pings are counted" '[ "$(query "palisade_session_agent_pings_total{agent=\"core-a\"}")" != none ] && [ "$(query "palisade_session_agent_pings_total{agent=\"core-a\"}")" -gt 0 ]'

fetch http://127.0.0.1:9464/metrics >scrape.txt
out=$(promtool check metrics <scrape.txt 2>&1); rc=$?
check "promtool check metrics accepts a scrape (exit $rc)" '[ $rc -eq 0 ] && [ -z "$out" ]'
[ -z "$out" ] || echo "$out"

# ---- call traces ------------------------------------------------------------------------
run_acli() { sbc "$acli" -s /run/palisade/acli.sock -c "$1"; }
list=$(run_acli "show sipd call-flow"); rc=$?
echo "$list" | head -4
check "show sipd call-flow lists the 30 calls (exit $rc)" '[ $rc -eq 0 ] && echo "$list" | grep -q "^Calls traced: 30 "'
check "each traced call names its caller, callee, two legs and its answer" \
  '[ "$(echo "$list" | grep -cE "^ +[0-9]+  [0-9:]{8}  sipp +15551234 +2 +[0-9]+  200 OK$")" = 30 ]'
ladder=$(run_acli "show sipd call-flow 5"); rc=$?
echo "$ladder"
check "the ladder of call 5 (exit $rc) has the four parties" \
  'echo "$ladder" | grep -q "A  peer in access          10.10.1.10:5060" && echo "$ladder" | grep -q "B  SBC in access           10.10.1.1:5060" &&
   echo "$ladder" | grep -q "C  SBC in core             10.10.2.1:5060" && echo "$ladder" | grep -qE "D  peer in core            10.10.2.1[01]:5060"'
check "... the INVITE crossing both sides and the BYE" \
  'echo "$ladder" | grep -q "|-----INVITE---->|" && echo "$ladder" | grep -q "|-----INVITE---->|$" && echo "$ladder" | grep -q "|------BYE------>|"'
check "... and no line wider than 80 columns" '[ "$(echo "$ladder" | awk "length(\$0) > 80" | wc -l)" = 0 ]'
out=$(run_acli "save-call-flow 5 $work/call5.pcap" 2>&1); rc=$?
check "save-call-flow is refused in user mode (exit $rc)" '[ $rc -eq 1 ]'
out=$(run_acli "enable; save-call-flow 5 $work/call5.pcap"); rc=$?
check "save-call-flow writes the pcap (exit $rc): $out" '[ $rc -eq 0 ] && [ -s "$work/call5.pcap" ]'

# What crossed the wire for call 5's Call-IDs, from the captures, against the export.
ids=$(echo "$ladder" | sed -n 's/^  leg [0-9]*: Call-ID //p')
pkill -f "tshark -i (sbc[ac]|acc0|core0) " 2>/dev/null; sleep 1
fields=(-T fields -E separator=/ -e sip.Call-ID -e sip.CSeq -e sip.Request-Line -e sip.Status-Line)
filter="sip && ($(echo "$ids" | sed 's/.*/sip.Call-ID == "&"/' | paste -sd'|' | sed 's/|/ || /g'))"
for f in a c; do tshark -r "$f.pcap" -Y "$filter" "${fields[@]}"; done | sort >wire.txt
tshark -r call5.pcap -Y sip "${fields[@]}" | sort >export.txt
tshark -r call5.pcap -Y "not sip" -T fields -e frame.number >not-sip.txt
check "tshark reads the export: $(wc -l <export.txt) SIP messages, every frame SIP" '[ -s export.txt ] && [ ! -s not-sip.txt ]'
check "the export holds every message the wire showed for the call ($(wc -l <wire.txt) on the wire)" \
  '[ "$(wc -l <wire.txt)" -ge 10 ] && diff wire.txt export.txt'
check "tshark finds no bad checksum in the export" \
  '[ -z "$(tshark -r call5.pcap -o udp.check_checksum:TRUE -o ip.check_checksum:TRUE -Y "udp.checksum.status == 0 || ip.checksum.status == 0" -T fields -e frame.number)" ]'

# ---- HEPv3 -------------------------------------------------------------------------------
# Each message as "HEP|method-or-status|CSeq method|Call-ID|source", from the wire and from Kamailio.
hep_fields=(-T fields -E separator="|" -e sip.Method -e sip.Status-Code -e sip.CSeq.method -e sip.Call-ID -e ip.src -e udp.srcport)
for f in a c; do tshark -r "$f.pcap" -Y sip "${hep_fields[@]}"; done |
  awk -F'|' '{ print "HEP|" ($1 != "" ? $1 : $2) "|" $3 "|" $4 "|" $5 ":" $6 }' | sort >hep-wire-all.txt
sed -n 's/.*\(HEP|[^|]*|[^|]*|[^|]*|[^|]*\)$/\1/p' kamailio-hep.log | sort >hep-kamailio-all.txt
of_call() { awk -F'|' 'NR == FNR { want[$0] = 1; next } ($4 in want)' <(echo "$ids") "$1"; }
of_calls() { awk -F'|' '$3 != "OPTIONS"' "$1"; }
of_call hep-wire-all.txt >hep-wire.txt; of_call hep-kamailio-all.txt >hep-kamailio.txt
check "Kamailio decoded call 5's $(wc -l <hep-kamailio.txt) messages as the wire showed them: method or status, CSeq, Call-ID, source" \
  '[ "$(wc -l <hep-wire.txt)" -ge 10 ] && diff hep-wire.txt hep-kamailio.txt'
of_calls hep-wire-all.txt >hep-wire-calls.txt; of_calls hep-kamailio-all.txt >hep-kamailio-calls.txt
check "... and every message of the 30 calls ($(wc -l <hep-kamailio-calls.txt) of $(wc -l <hep-wire-calls.txt) on the wire)" \
  '[ "$(wc -l <hep-wire-calls.txt)" -ge 300 ] && diff -q hep-wire-calls.txt hep-kamailio-calls.txt'
# Pings go on meanwhile, and the first ones left before Kamailio listened: it can have received
# no more than sbcd sent, and no datagram failed to leave.
got=$(grep -c 'HEP|' kamailio-hep.log)
sent=$(metric 'palisade_hep_datagrams_total{result="sent"}'); failed=$(metric 'palisade_hep_datagrams_total{result="failed"}')
check "sbcd counted $sent HEP datagrams sent, none failed; Kamailio got $got" '[ "$failed" = 0 ] && [ "$got" -le "$sent" ] && [ "$got" -gt 400 ]'

[ $fail -eq 0 ] && echo "lab_observability: all checks passed"
exit $fail
