#!/usr/bin/env bash
# Transfers the SBC performs itself (REFER terminated, docs/transfer.md), in the lab with the
# real sbcd and SIPp as transferor (core-a, a PBX with refer-call-transfer "enabled"),
# transferee (a caller on the access side) and target (core-b, numbers 8xxx):
#   1. blind transfer: the transferor sees 202, NOTIFYs "100 Trying", "180 Ringing", "200 OK"
#      (Event refer;id=1, terminated at the end) and then BYE; the transferee sees no REFER or
#      NOTIFY, is re-INVITEd with the target's media, and its BYE reaches the target
#   2. a busy target: the final NOTIFY carries "486 Busy Here", the call stays with the
#      transferor, which hangs up itself
#   2b. precedence: core-b is a session agent with refer-call-transfer disabled in the core
#      realm where it is enabled: its REFER is proxied to the access caller, Refer-To naming
#      the SBC, and the caller's 202 and NOTIFY come back in core-b's dialog
#   2b'. the same the other way round: core-b calls an access callee and refers it; the callee's
#      NOTIFY (From/To reversed relative to the INVITE) must reach core-b in its dialog
#   2c. the other direction: a core caller that is no session agent (its realm decides:
#      enabled) transfers an access callee; the SBC performs it
#   2e. the access side transfers: an access caller (no session agent; the access realm says
#      "dynamic") transfers its core callee; the core realm's dyn-refer-term makes the SBC
#      perform it, and the target (routed from the core realm) is on the access side
#   2f. attended transfer end to end: a PBX holding a call with alice (core-a) consults carol
#      from a second line and refers her to replace the alice call; the SBC joins alice and
#      carol itself, the PBX gets its NOTIFYs and both BYEs
#   2d. field problems, each its own run: the transferor hangs up right after the 202 (the
#      transferee must stay and reach the target); the transferee answers the SBC's re-INVITE
#      with 491 (glare: retried, never fatal); the transferee was on hold when referred (the
#      target must be offered live media, sendrecv); Refer-Sub: false (no NOTIFY at all); a
#      target that never answers (final NOTIFY 408, the call stays)
#   3. a real user agent as the transferor: baresip on core-a answers the call and transfers it
#      to 8001 when told to over its ctrl_tcp interface; the transferee ends up with the target
#   4. on the wire: no REFER, NOTIFY or core address on the access side; no access address in
#      any Refer-To, Referred-By or other header on the core side
# Needs root, sipp, tshark and baresip: a missing tool fails the test, it is never skipped.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
sbcd=$(readlink -f "${1:-$top/build/bin/sbcd}")
# shellcheck source=lab_lib.sh
. "$top/tests/integration/lab_lib.sh"
command -v baresip >/dev/null || { echo "FAIL: baresip is not installed (scripts/setup.sh installs it)"; exit 1; }

# transferor SCENARIO: the PBX on core-a, in the background, its statistics in tor-SCENARIO.csv
transferor() {
  core sipp -sf "$scen/$1.xml" -key target 8001 -aa -i 10.10.2.10 -p 5060 -nostdin -bg -trace_err \
    -trace_stat -stf "$work/tor-$1.csv" -fd 1 >/dev/null 2>&1
}

# 1. blind transfer to a target that answers
transferor uas_transferor; callee uas 10.10.2.11; sleep 2.5  # pings see both agents up
caller uac_transferee 10 5; rc=$?
check "10 transferees re-INVITEd to the target and hung up there (sipp exit $rc)" '[ $rc -eq 0 ]'
check "the transferor saw 202, NOTIFY 100/180/200 and BYE in 10 calls" \
  'sipp_settled tor-uas_transferor.csv 10 && [ "$(counted tor-uas_transferor.csv "FailedCall(C)")" = 0 ]'

# 2. the target is busy: the call stays with the transferor
stop_callees; transferor uas_transferor_fail; callee uas_busy 10.10.2.11; sleep 2.5
caller uac_transferee_kept 5 5; rc=$?
check "5 transferees kept their call and were hung up by the transferor (sipp exit $rc)" '[ $rc -eq 0 ]'
check "the transferor saw NOTIFY 486 and no BYE in 5 calls" \
  'sipp_settled tor-uas_transferor_fail.csv 5 && [ "$(counted tor-uas_transferor_fail.csv "FailedCall(C)")" = 0 ]'

# 2b. a session agent's "disabled" beats its realm's "enabled": proxied
stop_callees
core sipp -sf "$scen/uas_transferor_proxied.xml" -aa -i 10.10.2.11 -p 5060 -nostdin -bg -trace_err \
  -trace_stat -stf "$work/tor-proxied.csv" -fd 1 >/dev/null 2>&1
sleep 2.5
timeout 60 ip netns exec pal-acc sipp -sf "$scen/uac_refer_proxied.xml" 10.10.1.1:5060 -i 10.10.1.10 -p 5060 -s 8001 \
  -m 5 -r 5 -nostdin -timeout 30 -trace_err >proxied.out 2>&1; rc=$?
check "core-b's REFERs reached the callers with Refer-To naming the SBC; they accepted and notified (sipp exit $rc)" '[ $rc -eq 0 ]'
check "core-b saw the callers' 202 and NOTIFY in its own dialog, then their BYE, in 5 calls" \
  'sipp_settled tor-proxied.csv 5 && [ "$(counted tor-proxied.csv "FailedCall(C)")" = 0 ]'

# 2b'. core-b as the caller: the NOTIFY comes from the callee, From/To reversed
stop_callees
acc sipp -sf "$scen/uas_refer_proxied.xml" -i 10.10.1.10 -p 5060 -nostdin -bg -trace_err \
  -trace_stat -stf "$work/tee-proxied.csv" -fd 1 >/dev/null 2>&1
sleep 1
timeout 60 ip netns exec pal-core sipp -sf "$scen/uac_transferor_proxied.xml" 10.10.2.1:5060 -aa -i 10.10.2.11 -p 5060 -s 1000 \
  -m 5 -r 5 -nostdin -timeout 30 -trace_err >proxied-reversed.out 2>&1; rc=$?
check "core-b as caller got its callees' reversed NOTIFYs in its dialog (sipp exit $rc)" '[ $rc -eq 0 ]'
check "the access callees saw Refer-To naming the SBC, and their NOTIFY and BYE were answered" \
  'sipp_settled tee-proxied.csv 5 && [ "$(counted tee-proxied.csv "FailedCall(C)")" = 0 ]'
pkill -f "sipp .*-i 10.10.1.10" 2>/dev/null

# caller_transfers NAME TRANSFEREE_NS TRANSFEREE_IP TRANSFEROR_NS TRANSFEROR_IP PORT SBC NUMBER:
# a caller that is no session agent calls NUMBER and transfers its callee (uac_transferor.xml);
# the callee (uas_transferee.xml) must be re-INVITEd to the target and reach it. 5 calls.
caller_transfers() {
  local name=$1
  ip netns exec "$2" sipp -sf "$scen/uas_transferee.xml" -aa -i "$3" -p 5060 -nostdin -bg -trace_err \
    -trace_stat -stf "$work/tee-$name.csv" -fd 1 >/dev/null 2>&1
  sleep 2.5
  timeout 60 ip netns exec "$4" sipp -sf "$scen/uac_transferor.xml" "$7:5060" -i "$5" -p "$6" -s "$8" \
    -m 5 -r 5 -nostdin -timeout 30 -trace_err >"transferor-$name.out" 2>&1
  local rc=$?
  check "the $name transferor saw 202, NOTIFY 100/180/200 and BYE in 5 calls (sipp exit $rc)" '[ $rc -eq 0 ]'
  check "its callees were re-INVITEd to the target and hung up there" \
    "sipp_settled tee-$name.csv 5 && [ \"\$(counted tee-$name.csv \"FailedCall(C)\")\" = 0 ]"
  pkill -f "sipp .*-i 10.10.1.10" 2>/dev/null
}

# 2c. core -> access: the transferor is no session agent (10.10.2.11:5099): the core realm decides
stop_callees; callee uas 10.10.2.11
caller_transfers core pal-acc 10.10.1.10 pal-core 10.10.2.11 5099 10.10.2.1 1000

# 2e. access -> core, dynamic: the target (routed from the core realm) answers on the access side
stop_callees
acc sipp -sn uas -aa -i 10.10.1.10 -p 5060 -nostdin -bg >/dev/null 2>&1
caller_transfers access-dynamic pal-core 10.10.2.10 pal-acc 10.10.1.11 5060 10.10.1.1 15551234

# 2f. attended: line 1 (core-a, SIPp's uas) answers alice; its dialog, read from line 1's
# message log, is injected into line 2, which consults carol and refers her with Replaces
stop_callees; pkill -f "sipp .*-i 10.10.1.1" 2>/dev/null
core sipp -sn uas -aa -i 10.10.2.10 -p 5060 -nostdin -bg -trace_msg -message_file "$work/line1.msg" \
  -trace_stat -stf "$work/line1.csv" -fd 1 >/dev/null 2>&1
acc sipp -sf "$scen/uas_consulted.xml" -key rtp 6000 -i 10.10.1.10 -p 5060 -nostdin -bg -trace_err -trace_stat -stf "$work/carol.csv" -fd 1 >/dev/null 2>&1
sleep 2.5
timeout 60 ip netns exec pal-acc sipp -sf "$scen/uac_transferee.xml" 10.10.1.1:5060 -i 10.10.1.11 -p 5060 -s 15551234 -m 1 \
  -nostdin -timeout 30 -trace_err >alice.out 2>&1 & alice_pid=$!
for _ in $(seq 50); do grep -q "^ACK " line1.msg 2>/dev/null && break; sleep 0.1; done
line1() { tr -d '\r' <line1.msg | awk -v h="$1" '/^ACK /{f=1} f && index($0, h) == 1 {sub(/.*tag=/, ""); sub(/^Call-ID: /, ""); print; exit}'; }
printf 'SEQUENTIAL\n%s;%s;%s\n' "$(line1 Call-ID:)" "$(line1 To:)" "$(line1 From:)" >line1-dialog.csv
check "line 1 answered alice (dialog $(tail -1 line1-dialog.csv))" 'tail -1 line1-dialog.csv | grep -q -E "^[^;]+;[^;]+;[^;]+$"'
timeout 60 ip netns exec pal-core sipp -sf "$scen/uac_consult_transferor.xml" 10.10.2.1:5060 -i 10.10.2.10 -p 5062 -s 1000 -m 1 \
  -inf line1-dialog.csv -nostdin -timeout 30 -trace_err >line2.out 2>&1; rc=$?
check "line 2 consulted carol, referred her with Replaces, saw 202, NOTIFY 100/200 and BYE (sipp exit $rc)" '[ $rc -eq 0 ]'
wait $alice_pid; rc=$?
check "alice was re-INVITEd with carol's media and her BYE reached carol (sipp exit $rc)" '[ $rc -eq 0 ]'
check "carol was joined to alice by a re-INVITE and hung up by her" 'sipp_settled carol.csv 1'
check "line 1 was released with BYE" 'sipp_settled line1.csv 1'
pkill -f "sipp .*-i 10.10.1.1" 2>/dev/null

# 2d. field problems: transfer_run TRANSFEROR TRANSFEREE TARGET, 3 calls each; every party's
# scenario checks its own view and must end with 3 successful calls
transfer_run() {
  stop_callees
  core sipp -sf "$scen/$1.xml" -key target 8001 -aa -i 10.10.2.10 -p 5060 -nostdin -bg -trace_err -trace_stat -stf "$work/tor-$1.csv" -fd 1 >/dev/null 2>&1
  if [ "$3" = uas ]; then callee uas 10.10.2.11
  else core sipp -sf "$scen/$3.xml" -aa -i 10.10.2.11 -p 5060 -nostdin -bg -trace_err -trace_stat -stf "$work/tgt-$3.csv" -fd 1 >/dev/null 2>&1; fi
  sleep 2.5
  caller "$2" 3 3; local rc=$?
  [ $rc -eq 0 ] && sipp_settled "tor-$1.csv" 3 && [ "$(counted "tor-$1.csv" "FailedCall(C)")" = 0 ] &&
    { [ "$3" = uas ] || { sipp_settled "tgt-$3.csv" 3 && [ "$(counted "tgt-$3.csv" "FailedCall(C)")" = 0 ]; }; }
}
transfer_run uas_transferor_hangup uac_transferee uas; rc=$?
check "a transferor hanging up right after the 202 leaves the transferee to reach the target" '[ $rc -eq 0 ]'
transfer_run uas_transferor uac_transferee_glare uas; rc=$?
check "a re-INVITE met with 491 is retried after the back-off; the transfer completes" '[ $rc -eq 0 ]'
transfer_run uas_transferor_hold uac_transferee_held uas_target_sendrecv; rc=$?
check "a transferee held when referred: the target is offered live media (sendrecv)" '[ $rc -eq 0 ]'
transfer_run uas_transferor_norefersub uac_transferee uas; rc=$?
check "Refer-Sub: false: the 202 says so, no NOTIFY comes, the transferor is released" '[ $rc -eq 0 ]'
transfer_run uas_transferor_timeout uac_transferee_kept uas_silent; rc=$?
check "a target that never answers: final NOTIFY 408, the call stays with the transferor" '[ $rc -eq 0 ]'

# 3. baresip as the transferor, driven through ctrl_tcp (its audio from a generated tone file)
stop_callees; callee uas 10.10.2.11
mkdir -p "$work/baresip"
python3 -c "import math, struct, wave
w = wave.open('$work/baresip/tone.wav', 'wb'); w.setnchannels(1); w.setsampwidth(2); w.setframerate(8000)
w.writeframes(b''.join(struct.pack('<h', int(8000 * math.sin(2 * math.pi * 440 * i / 8000))) for i in range(8000)))"
cat >"$work/baresip/config" <<CFG
poll_method epoll
sip_listen 10.10.2.10:5060
sip_trans_def udp
audio_player aufile,$work/baresip/heard.wav
audio_source aufile,$work/baresip/tone.wav
audio_alert aufile,$work/baresip/alert.wav
module_path /usr/lib/baresip/modules
module g711.so
module aufile.so
module_app account.so
module_app menu.so
module_app ctrl_tcp.so
ctrl_tcp_listen 10.10.2.10:4444
rtp_ports 20000-20100
CFG
echo "<sip:15551234@10.10.2.10>;regint=0;answermode=auto" >"$work/baresip/accounts"
ip netns exec pal-core baresip -f "$work/baresip" >baresip.log 2>&1 &  # not through core(): $! must be baresip
baresip_pid=$!
sleep 3  # listening, and pinged back into service
caller uac_transferee 1 1 & transferee_pid=$!
for _ in $(seq 50); do grep -q "Call established" baresip.log && break; sleep 0.1; done
check "baresip answered the call through the SBC" 'grep -q "Call established" baresip.log'
core python3 "$top/tests/integration/baresip_ctl.py" 10.10.2.10 4444 transfer sip:8001@10.10.2.1 >baresip-ctl.out; rc=$?
check "baresip took the transfer command (exit $rc)" '[ $rc -eq 0 ]'
wait $transferee_pid; rc=$?
check "the transferee was connected to the target and hung up there (sipp exit $rc)" '[ $rc -eq 0 ]'
check "baresip reported no transfer failure" '! tr "\r" "\n" <baresip.log | grep -q "transfer failed"'
kill $baresip_pid 2>/dev/null; wait $baresip_pid 2>/dev/null

check "sbcd logged each decision and outcome" \
  '[ "$(grep -c "REFER performed (session-agent core-a refer-call-transfer enabled)" sbcd.log)" -eq 31 ] &&
   [ "$(grep -c "REFER proxied (session-agent core-b refer-call-transfer disabled)" sbcd.log)" -eq 10 ] &&
   [ "$(grep -c "REFER performed (realm core refer-call-transfer enabled)" sbcd.log)" -eq 6 ] &&
   [ "$(grep -c "REFER performed (realm access refer-call-transfer dynamic, egress realm core dyn-refer-term enabled)" sbcd.log)" -eq 5 ] &&
   [ "$(grep -c "transferred to 8001" sbcd.log)" -eq 33 ] &&
   [ "$(grep -c "transfer to 8001 failed: 408 Request Timeout" sbcd.log)" -eq 3 ] && [ "$(grep -c "transferred to alice" sbcd.log)" -eq 1 ] && [ "$(grep -c "transfer to 8001 failed: 486 Busy Here" sbcd.log)" -eq 5 ]'
check "sbcd logged no error" '! grep -q "^error" sbcd.log'

# 4. what crossed, from the captures
pkill -INT -f "tshark -i sbc[ac] "; sleep 1
for side in a c; do tshark -r $side.pcap -Y sip -T fields -e sip.msg_hdr 2>/dev/null | sed 's/\\r\\n\\r\\n.*//' >$side.hdr; done
requests() { tshark -r "$1" -Y "sip.Method == \"$2\"" 2>/dev/null | wc -l; }
check "the core side carried the 41 REFERs and their NOTIFYs" '[ "$(requests c.pcap REFER)" -ge 41 ] && [ "$(requests c.pcap NOTIFY)" -ge 90 ]'
refer_calls() { tshark -r "$1" -Y 'sip.Method == "REFER"' -T fields -e sip.Call-ID 2>/dev/null | sort -u | wc -l; }
check "the only REFERs on the access side are the 10 proxied ones and the 5 the access caller sent" '[ "$(refer_calls a.pcap)" -eq 15 ]'
check "no core address in access headers" '! grep -q "10\.10\.2\." a.hdr'
check "no access address in core headers (Refer-To, Referred-By included)" '! grep -q "10\.10\.1\." c.hdr'
# baresip's own dialog: its REFER, the final NOTIFY it was sent and the BYE that released it
bcid=$(tshark -r c.pcap -Y 'sip.Method == "REFER" && sip.User-Agent contains "baresip"' -T fields -e sip.Call-ID 2>/dev/null | head -1)
in_baresip_dialog() { tshark -r c.pcap -Y "sip.Call-ID == \"$bcid\" && $1" 2>/dev/null | wc -l; }
check "baresip got the final NOTIFY (200 OK, terminated) and the SBC's BYE" \
  '[ -n "$bcid" ] && [ "$(in_baresip_dialog "sip.Method == \"NOTIFY\" && frame contains \"SIP/2.0 200 OK\" && sip.Subscription-State contains \"terminated\"")" -ge 1 ] &&
   [ "$(in_baresip_dialog "sip.Method == \"BYE\" && ip.src == 10.10.2.1")" -ge 1 ]'
python3 "$top/tests/integration/bye_after_notify.py" c.pcap 10.10.2.1 >bye-order.out; rc=$?
check "every BYE from the SBC into a NOTIFYed dialog came after the final NOTIFY was answered ($(head -1 bye-order.out))" '[ $rc -eq 0 ]'
# Refer-To, Replaces and Referred-By name nothing of the other side: no address (above) and no Call-ID
call_ids() { tshark -r "$1" -Y sip -T fields -e sip.Call-ID 2>/dev/null | grep -v '^$' | sort -u; }
transfer_headers() { grep -o -E '(Refer-To|Replaces|Referred-By): [^\]*' "$1"; }
call_ids a.pcap >a.callids; call_ids c.pcap >c.callids
check "no core Call-ID in an access Refer-To, Replaces or Referred-By" '! transfer_headers a.hdr | grep -q -F -f c.callids'
check "no access Call-ID in a core Refer-To, Replaces or Referred-By" '! transfer_headers c.hdr | grep -q -F -f a.callids'
check "the access side saw Refer-To headers to check ($(transfer_headers a.hdr | grep -c Refer-To))" '[ "$(transfer_headers a.hdr | grep -c Refer-To)" -ge 10 ]'
check "Referred-By names the SBC on the target's side" 'grep -q "Referred-By: <sip:[^@]*@10\.10\.2\.1>" c.hdr'

exit $fail
