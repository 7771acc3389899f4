#!/usr/bin/env bash
# Calls through the real sbcd in the lab (scripts/lab.sh), with SIPp on both sides and tshark
# on both of the SBC's interfaces:
#   1. 200 calls of SIPp's uac/uas complete
#   2. no address, Call-ID, tag or branch of one side appears in the SIP headers sent to the
#      other (SDP bodies still cross unchanged until media anchoring, docs/b2bua.md)
#   3. a busy callee's 486 reaches the caller; a caller's CANCEL ends a ringing call (487)
#   4. re-INVITEs from either side reach the other in its own dialog
#   4b. a reliable 183 (100rel) reaches the caller under its own RSeq; its PRACK reaches the
#       callee naming the callee's RSeq (RFC 3262)
#   5. malformed datagrams get 400 while calls go on
#   5b. UDP on one side and TCP on the other, both ways
#   6. a dead session agent is marked out of service and calls fail over to the second
#   7. SIGTERM with 20 answered calls up: all released (BYE to both sides), exit 0
# Needs root (namespaces), sipp and tshark: a missing tool fails the test, it is never skipped.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
sbcd=$(readlink -f "${1:-$top/build/bin/sbcd}")
# shellcheck source=lab_lib.sh
. "$top/tests/integration/lab_lib.sh"

# 1. plain calls, both agents up
callee uas 10.10.2.10; callee uas 10.10.2.11; sleep 0.5
caller uac 200 50; rc=$?
check "200 calls of uac/uas complete (sipp exit $rc)" '[ $rc -eq 0 ]'

# 3, 4, 4b. busy, cancel, re-INVITE, 100rel
for pair in "uac_busy uas_busy" "uac_cancel uas_ring" "uac_reinvite uas_reinvite" "uac_100rel uas_100rel"; do
  set -- $pair
  stop_callees; callee "$2" 10.10.2.10; callee uas 10.10.2.11; sleep 0.5
  caller "$1" 10 10; rc=$?
  check "$1 against $2: 10 calls as scripted (sipp exit $rc)" '[ $rc -eq 0 ]'
done

# 5. malformed datagrams while calls are in progress
stop_callees; callee uas 10.10.2.10; callee uas 10.10.2.11; sleep 0.5
caller uac 100 20 & caller_pid=$!
sleep 1
bad=0
for i in $(seq 20); do
  out=$(printf 'INVITE sip:x@10.10.1.1 SIP/2.0\nVia: SIP/2.0/UDP 10.10.1.11:6000;branch=z9hG4bKmalformed-probe-%s\nFrom: <sip:a@10.10.1.11>;tag=malformed-probe-%s\nTo: <sip:x@10.10.1.1>\nCall-ID: malformed-probe-%s\nCSeq: 1 INVITE\nMax-Forwards: 7x\nContent-Length: 0\n\n' $i $i $i |
        acc python3 "$top/tests/cli/sip_probe.py" 10.10.1.1 5060 - 2>&1)
  [ "$out" = "SIP/2.0 400 Bad Request (Max-Forwards: not a number 0-255)" ] && bad=$((bad + 1))
done
wait $caller_pid; rc=$?
check "20 malformed INVITEs each got 400 with the reason ($bad)" '[ $bad -eq 20 ]'
check "the 100 calls around them complete (sipp exit $rc)" '[ $rc -eq 0 ]'

# 5b. mixed transports: 7xxx numbers go to core-tcp (10.10.2.11:5070 over TCP)
stop_callees; callee uas 10.10.2.10
core sipp -sn uas -aa -t t1 -i 10.10.2.11 -p 5070 -nostdin -bg -trace_err >/dev/null 2>&1
sleep 0.5
timeout 120 ip netns exec pal-acc sipp -sn uac 10.10.1.1:5060 -i 10.10.1.10 -p 5060 -s 7001234 -m 20 -r 10 \
  -nostdin -timeout 60 -trace_err >udp-tcp.out 2>&1; rc=$?
check "UDP caller to a TCP callee: 20 calls (sipp exit $rc)" '[ $rc -eq 0 ]'
timeout 120 ip netns exec pal-acc sipp -sn uac -t t1 10.10.1.1:5060 -i 10.10.1.10 -p 5061 -s 15551234 -m 20 -r 10 \
  -nostdin -timeout 60 -trace_err >tcp-udp.out 2>&1; rc=$?
check "TCP caller to a UDP callee: 20 calls (sipp exit $rc)" '[ $rc -eq 0 ]'

# 6. core-a dies: pings take it out of service, calls go to core-b
stop_callees; callee uas 10.10.2.11
for _ in $(seq 100); do grep -q "session-agent core-a out of service" sbcd.log && break; sleep 0.1; done
check "a dead agent is marked out of service" 'grep -q "session-agent core-a out of service" sbcd.log'
caller uac 20 10; rc=$?
check "calls fail over to core-b (sipp exit $rc)" '[ $rc -eq 0 ]'
callee uas 10.10.2.10
for _ in $(seq 100); do grep -q "session-agent core-a in service" sbcd.log && break; sleep 0.1; done
check "and it comes back when it answers again" 'grep -q "session-agent core-a in service" sbcd.log'

# 7. shutdown while calls are up: every call released, exit 0 (the release wait used to crash)
stop_callees; callee uas 10.10.2.10; callee uas 10.10.2.11; sleep 0.5
timeout 60 ip netns exec pal-acc sipp -sn uac 10.10.1.1:5060 -i 10.10.1.10 -p 5060 -s 15551234 -m 20 -r 20 -d 30000 \
  -nostdin -timeout 40 >long.out 2>&1 &
long_pid=$!
sleep 3
kill -TERM $sbcd_pid; wait $sbcd_pid; rc=$?; sbcd_pid=
check "SIGTERM with calls up exits 0 (status $rc)" '[ $rc -eq 0 ]'
check "it released the 20 answered calls" 'grep -q "releasing 20 calls" sbcd.log'
check "and stopped" 'grep -q "notice sbcd: stopped" sbcd.log'
kill $long_pid 2>/dev/null; wait $long_pid 2>/dev/null
check "sbcd logged no error" '! grep -q "^error" sbcd.log'

# 2. topology hiding, on everything captured above.
# An identifier that is short and all hex digits can turn up inside the SBC's random hex
# tokens by chance; only those that could not are searched for.
distinctive() { grep -E '.{6,}' | grep -E '[^0-9a-fA-F]|.{12,}' | sort -u; }
pkill -INT -f "tshark -i sbc[ac] "; sleep 1
for side in a c; do tshark -r $side.pcap -Y sip -T fields -e sip.msg_hdr 2>/dev/null | sed 's/\\r\\n\\r\\n.*//' >$side.hdr; done
check "captures hold the traffic of both sides" '[ $(wc -l <a.hdr) -gt 1000 ] && [ $(wc -l <c.hdr) -gt 1000 ]'
tshark -r a.pcap -Y "sip && ip.src==10.10.1.10" -T fields -e sip.Call-ID -e sip.from.tag -e sip.Via.branch 2>/dev/null |
  tr '\t,' '\n\n' | distinctive >a.ids
tshark -r c.pcap -Y "sip && (ip.src==10.10.2.10 || ip.src==10.10.2.11)" -T fields -e sip.Call-ID -e sip.from.tag -e sip.to.tag -e sip.Via.branch 2>/dev/null |
  tr '\t,' '\n\n' | distinctive >c.ids
tshark -r c.pcap -Y "sip && ip.dst==10.10.2.10" -T fields -e sip.Call-ID 2>/dev/null | sort -u | grep -v '^$' >c.callids
check "identifiers collected ($(wc -l <a.ids) access, $(wc -l <c.ids) core)" '[ $(wc -l <a.ids) -gt 500 ] && [ $(wc -l <c.ids) -gt 200 ]'
check "no access Call-ID, tag or branch in core headers" '! grep -q -F -f a.ids c.hdr'
check "no core Call-ID, tag or branch in access headers" '! grep -q -F -f <(grep -v -x -F -f a.ids c.ids) a.hdr'
check "no SBC core-leg Call-ID in access headers" '! grep -q -F -f c.callids a.hdr'
check "no access address in core headers" '! grep -q "10\.10\.1\." c.hdr'
check "no core address in access headers" '! grep -q "10\.10\.2\." a.hdr'

exit $fail
