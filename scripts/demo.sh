#!/usr/bin/env bash
# Palisade's showcase: what the product does today, end to end, on this machine.
# Each capability adds itself here when it is finished.
#
#   scripts/demo.sh            (as root on a fresh Debian 12 machine: installs and builds first)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
bin=build/bin
for tool in sipp tshark; do command -v $tool >/dev/null || { echo "demo: $tool missing; run scripts/setup.sh as root" >&2; exit 1; }; done
data=tests/data/rfc4475

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

step "Set up and build (scripts/setup.sh)"
scripts/setup.sh >/dev/null
run "$bin/sbcd" --version

step "Check the configuration before using it"
run "$bin/sbcd" --verify-config conf/sbc.cfg
tmp=$(mktemp -d)
trap 'kill "${pid:-}" 2>/dev/null || true; rm -rf "$tmp"; scripts/lab.sh down 2>/dev/null || true' EXIT
sed 's/process-log-level = "info"/process-log-level = "chatty"/' conf/sbc.cfg > "$tmp/typo.cfg"
echo "(a copy with a typo in it is refused with file, line, element and attribute:)"
run "$bin/sbcd" --verify-config "$tmp/typo.cfg" || true

step "How Palisade reads SIP: an RFC 4475 torture message (wsinv.dat)"
sed -n '1,12p' "$data/wsinv.dat" | cat -A | cut -c1-80 | sed 's/^/  | /'
echo "  | ..."
run "$bin/sipcheck" "$data/wsinv.dat"

step "Malformed input gets a reason and an offset"
run "$bin/sipcheck" "$data/badinv01.dat" || true
run "$bin/sipcheck" "$data/scalar02.dat" || true
echo "(and a well-formed request the SBC must refuse gets the answer it would send:)"
run "$bin/sipcheck" --validate "$data/bext01.dat" | tail -1 || true

step "All 49 RFC 4475 messages against the manifest"
pass=0; total=0
while IFS=$'\t' read -r file _ expected _; do
  case "$file" in \#*|"") continue ;; esac
  total=$((total + 1))
  rc=0; "$bin/sipcheck" --validate "$data/$file" >/dev/null 2>&1 || rc=$?
  case "$expected" in valid) want=0 ;; invalid) want=1 ;; *) want=2 ;; esac
  [ "$rc" -eq "$want" ] && pass=$((pass + 1))
done < "$data/MANIFEST.tsv"
echo "$pass of $total handled as RFC 4475 says (its 49 torture messages and the archive's extra test.dat)"

step "Calls through the SBC: the lab (scripts/lab.sh, docs/lab.md)"
scripts/lab.sh up
lab=$(mktemp -d)
cp conf/lab.cfg "$lab/sbc.cfg"
ip netns exec pal-sbc "$top/$bin/sbcd" --config "$lab/sbc.cfg" 2>"$lab/sbcd.log" &
pid=$!
ip netns exec pal-sbc tshark -i sbca -w "$lab/access.pcap" -f "udp port 5060" -q 2>"$lab/ts-a.log" &
ip netns exec pal-sbc tshark -i sbcc -w "$lab/core.pcap" -f "udp port 5060" -q 2>"$lab/ts-c.log" &
for _ in $(seq 50); do [ -s "$lab/ts-a.log" ] && [ -s "$lab/ts-c.log" ] && grep -q started "$lab/sbcd.log" && break; sleep 0.1; done
ip netns exec pal-core sipp -sn uas -aa -i 10.10.2.10 -p 5060 -nostdin -bg >/dev/null 2>&1 || true  # -bg exits 99
sleep 0.5
echo "$ ip netns exec pal-acc sipp -sn uac -s 15551234 -m 50 -r 25 10.10.1.1:5060   (caller 10.10.1.10 -> SBC -> callee 10.10.2.10)"
if ip netns exec pal-acc sipp -sn uac 10.10.1.1:5060 -i 10.10.1.10 -p 5060 -s 15551234 -m 50 -r 25 -nostdin \
     -timeout 60 -trace_stat -stf "$lab/uac.csv" >/dev/null 2>&1; then
  echo "50 of 50 calls completed (SIPp exit 0)"
else
  echo "some calls failed: see $lab"
fi
sleep 0.5
pkill -f "sipp .*-i 10.10.2.10" || true
sleep 0.5

echo
echo "A blind transfer the SBC performs itself (docs/transfer.md): the PBX on core-a"
echo "(refer-call-transfer \"enabled\") refers the caller to 8001 on core-b."
scen=tests/integration/scenarios
ip netns exec pal-core sipp -sf "$scen/uas_transferor.xml" -key target 8001 -aa -i 10.10.2.10 -p 5060 -nostdin -bg >/dev/null 2>&1 || true
ip netns exec pal-core sipp -sn uas -aa -i 10.10.2.11 -p 5060 -nostdin -bg >/dev/null 2>&1 || true
sleep 2.5  # the pings find both agents up
tstart=$(date +%s.%N)
if ip netns exec pal-acc sipp -sf "$scen/uac_transferee.xml" 10.10.1.1:5060 -i 10.10.1.10 -p 5060 -s 15551234 -m 1 \
     -nostdin -timeout 20 >/dev/null 2>&1; then
  echo "transferred: the caller was re-INVITEd to the target and hung up there (SIPp exit 0)"
else
  echo "the transfer failed: see $lab"
fi
sleep 0.5
pkill -INT -f "tshark -i sbc[ac] " || true
pkill -f "sipp .*-i 10.10.2.1" || true
sleep 0.5
echo "Its ladder, from the captures on both sides (scripts/ladder.py; OPTIONS pings left out):"
python3 scripts/ladder.py "$lab/access.pcap" "$lab/core.pcap" --skip OPTIONS --width 24 \
  --hosts 10.10.1.10,10.10.1.1+10.10.2.1,10.10.2.10,10.10.2.11 --names "caller,SBC,PBX (core-a),target (core-b)" \
  --after "$tstart" | sed 's/^/  /'

show_invite() {  # the first INVITE on one side, headers only
  tshark -r "$1" -Y 'sip.Method == "INVITE"' -c 1 -T fields -e sip.msg_hdr 2>/dev/null |
    sed 's/\\r\\n\\r\\n.*//; s/\\r\\n/\n/g' | sed 's/^/  | /'
}
echo "The same call's INVITE as the caller sent it (access side):"
show_invite "$lab/access.pcap"
echo "... and as the callee received it (core side): new Call-ID, tags, branch, Via and Contact;"
echo "    no address, host or product name of the access side:"
show_invite "$lab/core.pcap"
echo
echo "The ACLI (docs/acli.md): sbcd serves it on a Unix socket; acli is the shell. A session agent"
echo "added, verified, saved and activated while sbcd runs:"
acli_run() {
  echo "  \$ acli -c \"$1\""
  { ip netns exec pal-sbc "$top/$bin/acli" -c "$1" 2>&1 || true; } | sed 's/^/  | /'
}
acli_run "enable; configure terminal; session-router; session-agent; hostname core-c; ip-address 10.10.2.12; realm-id core; port 99999"
acli_run "enable; configure terminal; session-router; session-agent; hostname core-c; ip-address 10.10.2.12; realm-id core; done; exit; exit; exit; verify-config; save-config; activate-config"
acli_run "show sipd agents; show sipd"
echo
echo "Call traces (docs/metrics.md): sbcd keeps the newest calls' SIP messages. The list, then the"
echo "transfer as sbcd itself draws it, every leg in one ladder, and its export as a pcap:"
echo "  \$ acli -c \"show sipd call-flow\""
traced=$(ip netns exec pal-sbc "$top/$bin/acli" -c "show sipd call-flow" 2>&1 || true)
{ echo "$traced" | head -4; echo "..."; echo "$traced" | tail -2; } | sed 's/^/  | /'
last=$(echo "$traced" | awk '$1 ~ /^[0-9]+$/ {n=$1} END {print n}')
acli_run "show sipd call-flow $last"
acli_run "enable; save-call-flow $last $lab/transfer.pcap"
echo "  \$ tshark -r transfer.pcap"
tshark -r "$lab/transfer.pcap" 2>/dev/null | head -8 | cut -c1-100 | sed 's/^/  | /'
echo "  | ..."
echo
echo "Prometheus metrics (docs/metrics.md; Grafana dashboard in docs/grafana-dashboard.json):"
echo "  \$ curl http://127.0.0.1:9464/metrics   (a few of the families)"
ip netns exec pal-sbc python3 -c 'import urllib.request
print(urllib.request.urlopen("http://127.0.0.1:9464/metrics", timeout=5).read().decode())' |
  grep -E '^palisade_(calls_(attempted|answered)_total|calls_active|transfers_total\{mode="performed",result="succeeded"|call_setup_seconds_(count|sum)|session_agent_up|sip_requests_total\{direction="in",method="INVITE")' |
  sed 's/^/  | /'
echo
echo "Admission (docs/hardening.md): the access realm made untrusted from the shell, then a source"
echo "sends 3,000 malformed datagrams; after 20 it is denied and ignored, and nothing is answered:"
acli_run "enable; configure terminal; media-manager; realm-config; select access; access-control-trust-level low; maximum-signal-threshold 100; invalid-signal-threshold 20; deny-period 60; done; exit; exit; exit; save-config; activate-config"
ip netns exec pal-acc ip addr add 10.10.1.66/24 dev acc0
echo "  \$ sip_flood.py --bind 10.10.1.66 --to 10.10.1.1:5060 --kind garbage --max 3000"
ip netns exec pal-acc python3 tests/integration/sip_flood.py --bind 10.10.1.66 --to 10.10.1.1:5060 --kind garbage \
  --max 3000 --seconds 3 --rate 3000 | sed 's/^/  | /'
acli_run "show sipd acls"
echo "Realm constraints (docs/hardening.md): at most 5 calls from access at a time, set from the"
echo "shell; 10 calls of 3 s begun at once: 5 complete, 5 are answered 503 with Retry-After:"
acli_run "enable; configure terminal; session-router; session-constraints; name edge; max-inbound-sessions 5; done; exit; exit; media-manager; realm-config; select access; constraint-name edge; done; exit; exit; exit; save-config; activate-config"
ip netns exec pal-core sipp -sn uas -aa -i 10.10.2.10 -p 5060 -nostdin -bg >/dev/null 2>&1 || true  # -bg exits 99
sleep 2.5  # core-a's next ping finds it answering
ip netns exec pal-acc sipp -sn uac 10.10.1.1:5060 -i 10.10.1.11 -p 5060 -s 15551234 -m 10 -r 100 -d 3000 -nostdin \
  -timeout 30 >/dev/null 2>&1 || true
acli_run "show sipd realms"
pkill -f "sipp .*-i 10.10.2.10" || true
echo "A reload with a broken file (SIGHUP) is refused; the running configuration stays:"
sed -i 's/trans-expire = 4/trans-expire = forty/' "$lab/sbc.cfg"
kill -HUP $pid; sleep 0.3
kill -0 $pid && echo "  sbcd still running"
kill -TERM $pid; wait $pid || true
pid=
echo "sbcd's log:"
sed 's/^/  | /' "$lab/sbcd.log"
scripts/lab.sh down
rm -rf "$lab"

step "A call with audio through the DPDK fast path (scripts/lab.sh up dpdk, conf/lab-dpdk.cfg)"
scripts/lab.sh up dpdk
lab=$(mktemp -d)
echo "media-manager enabled: sbcd owns sbca/sbcc through net_af_packet, steering pools anchor the media"
ip netns exec pal-sbc "$top/$bin/sbcd" --config conf/lab-dpdk.cfg 2>"$lab/sbcd.log" &
pid=$!
# on the peers' side: DPDK's af_packet transmits past the SBC-side capture taps
ip netns exec pal-acc tshark -i acc0 -w "$lab/access.pcap" -f "udp port 5060" -q 2>"$lab/ts-a.log" &
ip netns exec pal-core tshark -i core0 -w "$lab/core.pcap" -f "udp port 5060" -q 2>"$lab/ts-c.log" &
for _ in $(seq 100); do [ -s "$lab/ts-a.log" ] && [ -s "$lab/ts-c.log" ] && grep -q started "$lab/sbcd.log" && break; sleep 0.1; done
echo "$ ip netns exec pal-sbc ip -4 -br addr    (the veths have no address; the taps hold the SBC's)"
ip netns exec pal-sbc ip -4 -br addr | sed 's/^/  /'
scen=tests/integration/scenarios
ip netns exec pal-core sipp -sf "$scen/uas_media.xml" -key rtp 5000 -key reason BYE -i 10.10.2.10 -p 5060 -aa -nostdin \
  -bg >/dev/null 2>&1 || true
sleep 0.5
# media_call RTP SBC_ACCESS_PORT CORE_PEER SBC_CORE_PORT PACKETS MS OUT_A OUT_C: a SIPp call
# from 10.10.1.10 lasting MS, while a media endpoint on each side (udp_peer.py) sends PACKETS
# of RTP, 50 a second, to the SBC port its SDP named
media_call() {
  local peer="python3 tests/dataplane/udp_peer.py --count $5 --interval 0.02 --linger 1" a c
  ip netns exec pal-acc $peer --bind "10.10.1.10:$1" --to "10.10.1.1:$2" >"$lab/$7" &
  a=$!
  ip netns exec pal-core $peer --bind "$3" --to "10.10.2.1:$4" >"$lab/$8" &
  c=$!
  if ip netns exec pal-acc sipp -sf "$scen/uac_media.xml" -key rtp "$1" -d "$6" 10.10.1.1:5060 -i 10.10.1.10 -p 5060 \
       -s 15551234 -m 1 -nostdin -timeout 30 >/dev/null 2>&1; then echo "  the call completed (SIPp exit 0)"
  else echo "  the call failed: see $lab"; fi
  wait $a $c
}
echo "caller 10.10.1.10 (media :4000) -> SBC -> callee 10.10.2.10 (media :5000), 6 s, RTP both ways:"
media_call 4000 20000 10.10.2.10:5000 30000 250 6000 acc.out core.out
echo "  caller's media endpoint: $(cat "$lab/acc.out")"
echo "  callee's media endpoint: $(cat "$lab/core.out")"
sleep 0.5
pkill -INT -f "tshark -i (acc0|core0) " || true
pkill -f "sipp .*-i 10.10.2.10" || true
sleep 0.5
sdp_of() { tshark -r "$1" -Y 'sip.Method == "INVITE"' -T fields -e sdp.connection_info -e sdp.media 2>/dev/null | head -1; }
echo "  the INVITE's SDP as the caller sent it:     $(sdp_of "$lab/access.pcap")"
echo "  ... and as the callee got it from the SBC:  $(sdp_of "$lab/core.pcap")"
echo "A blind transfer with the media anchored: the PBX (core-a) answers and refers the caller to 8001"
echo "on core-b; the SBC calls the target with the caller's media at the port that faced the PBX,"
echo "and its answer only re-points the flows: the caller keeps sending to the same SBC port."
ip netns exec pal-core sipp -sf "$scen/uas_transferor.xml" -key target 8001 -aa -i 10.10.2.10 -p 5060 -nostdin -bg \
  >/dev/null 2>&1 || true
ip netns exec pal-core sipp -sf "$scen/uas_media.xml" -key rtp 6100 -key reason BYE -i 10.10.2.11 -p 5060 -aa -nostdin \
  -bg >/dev/null 2>&1 || true
sleep 2.5  # the PBX is pinged up
media_call 4002 20002 10.10.2.11:6100 30002 400 9000 transferee.out target.out
echo "  transferee's media endpoint: $(cat "$lab/transferee.out")"
echo "  target's media endpoint:     $(cat "$lab/target.out")"
grep -E "REFER performed|transferred to" "$lab/sbcd.log" | sed 's/^/  /'
pkill -f "sipp .*-i 10.10.2.1[01]" || true
echo "  \$ acli -c \"show interfaces; show mbcd\""
ip netns exec pal-sbc "$top/$bin/acli" -c "show interfaces; show mbcd" 2>&1 | sed 's/^/  | /'
kill -TERM $pid; wait $pid || true
pid=
echo "sbcd's log of it (latching, the call's packet counts, the ports' counters):"
grep -E "latched|media:|dataplane: stopping" "$lab/sbcd.log" | sed 's/; /\n    /g' | sed 's/^/  /'
scripts/lab.sh down
rm -rf "$lab"

if [ "${PALISADE_DEMO_BENCH:-1}" = 1 ]; then
  step "Parse and serialize speed against libosip2 (scripts/bench-sip.sh)"
  scripts/bench-sip.sh 5
  step "Relay speed against dpdk-testpmd on the same ports (scripts/bench-relay.sh)"
  scripts/bench-relay.sh 2
fi
