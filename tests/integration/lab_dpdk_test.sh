#!/usr/bin/env bash
# sbcd with its DPDK fast path in the lab (scripts/lab.sh up dpdk, conf/lab-dpdk.cfg): the
# SBC's veths belong to net_af_packet ports and carry no address; sbcd puts its addresses on the
# ports' taps, where its sip-ports bind.
#   1. sbcd starts the fast path from media-manager and phy-interface, the taps hold the
#      network-interfaces' addresses, the veths none
#   2. 100 calls of SIPp's uac/uas complete through it, and an OPTIONS to the SBC is answered
#   3. a malformed INVITE gets 400 through the same path
#   4. on SIGTERM sbcd logs the ports' counters: every SIP datagram was punted by the worker
#      to the kernel, and every answer came back from the kernel through the port
# Needs root, sipp and tshark: a missing tool fails the test, it is never skipped.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
sbcd=$(readlink -f "${1:-$top/build/bin/sbcd}")
lab_mode=dpdk
lab_config=$top/conf/lab-dpdk.cfg
# shellcheck source=lab_lib.sh
. "$top/tests/integration/lab_lib.sh"

check "the fast path runs on lcore 1 with both ports" 'grep -q "fast path running on lcore 1 with 2 ports" sbcd.log'
check "the access tap holds 10.10.1.1" 'ip netns exec pal-sbc ip -4 -o addr show pal-access0 | grep -q "10.10.1.1/24"'
check "the core tap holds 10.10.2.1" 'ip netns exec pal-sbc ip -4 -o addr show pal-core0 | grep -q "10.10.2.1/24"'
check "the veths DPDK reads have no address" '[ -z "$(ip netns exec pal-sbc ip -4 -o addr show sbca; ip netns exec pal-sbc ip -4 -o addr show sbcc)" ]'

callee uas 10.10.2.10; sleep 0.5
caller uac 100 20; rc=$?
check "100 calls of uac/uas complete through the fast path (sipp exit $rc)" '[ $rc -eq 0 ]'

options=$(printf 'OPTIONS sip:10.10.1.1 SIP/2.0\nVia: SIP/2.0/UDP 10.10.1.11:6000;branch=z9hG4bKdpdk-options\nFrom: <sip:probe@10.10.1.11>;tag=dpdk1\nTo: <sip:10.10.1.1>\nCall-ID: dpdk-options-1\nCSeq: 1 OPTIONS\nMax-Forwards: 70\nContent-Length: 0\n\n' |
  acc python3 "$top/tests/cli/sip_probe.py" 10.10.1.1 5060 - 2>&1)
check "an OPTIONS to the SBC is answered 200 (got: $options)" '[ "$options" = "SIP/2.0 200 OK" ]'
bad=$(printf 'INVITE sip:x@10.10.1.1 SIP/2.0\nVia: SIP/2.0/UDP 10.10.1.11:6000;branch=z9hG4bKdpdk-bad\nFrom: <sip:a@10.10.1.11>;tag=dpdk2\nTo: <sip:x@10.10.1.1>\nCall-ID: dpdk-bad-1\nCSeq: 1 INVITE\nMax-Forwards: 7x\nContent-Length: 0\n\n' |
  acc python3 "$top/tests/cli/sip_probe.py" 10.10.1.1 5060 - 2>&1)
check "a malformed INVITE gets 400 (got: $bad)" '[[ "$bad" == "SIP/2.0 400 "* ]]'

stop_callees
kill "$sbcd_pid"; wait "$sbcd_pid"; rc=$?; sbcd_pid=
check "sbcd exits 0 and stops the fast path (exit $rc)" '[ $rc -eq 0 ] && grep -q "dataplane: stopping" sbcd.log'
counter() { sed -n "s/.*dataplane: stopping.* $1 [^;]*[ ]$2=\([0-9]*\).*/\1/p" sbcd.log; }
# per call the caller sends INVITE, ACK, BYE and hears 100, 180, 200, 200 (3 in, 4 out); the
# callee hears INVITE, ACK, BYE and answers 180, 200, 200 (3 out, 3 in)
acc_punted=$(counter access0 punted) acc_back=$(counter access0 from_kernel)
core_punted=$(counter core0 punted) core_back=$(counter core0 from_kernel)
check "the access port punted every SIP request to the kernel ($acc_punted >= 302)" '[ "${acc_punted:-0}" -ge 302 ]'
check "the kernel's answers left by the access port ($acc_back >= 402)" '[ "${acc_back:-0}" -ge 402 ]'
check "the core port punted the callee's answers ($core_punted >= 300)" '[ "${core_punted:-0}" -ge 300 ]'
check "the SBC's requests to the callee left by the core port ($core_back >= 300)" '[ "${core_back:-0}" -ge 300 ]'
check "the fast path dropped nothing" '! grep "dataplane: stopping" sbcd.log | grep -Eq "dropped=[1-9]"'
[ $fail -eq 0 ] || grep -v "^tap_\|qdisc\|eth_dev_tap" sbcd.log | tail -20
exit $fail
