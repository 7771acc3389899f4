#!/usr/bin/env bash
# Admission under attack, against the real sbcd in the lab (docs/hardening.md). The access realm
# is untrusted (access-control-trust-level low, 100 messages/s per source, 20 malformed messages
# deny a source for 8 s). While SIPp places 160 legitimate calls from 10.10.1.10:
#   - 10.10.1.66 floods garbage and malformed INVITEs: it must be denied and get (almost) nothing back;
#   - 10.10.1.67 floods well-formed OPTIONS: it must be held to its rate;
# every legitimate call must complete, `acli -c "show sipd"` must answer promptly during the
# flood, sbcd's memory must stay bounded, `show sipd acls` and /metrics must tell the story, and
# once its deny period is over the first source is answered again. Then sipvicious scans the
# access side: it finds a SIP device and learns no product, and enumerates no extension.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
sbcd=$(readlink -f "${1:-$top/build/bin/sbcd}")
acli=$(readlink -f "${2:-$top/build/bin/acli}")
lab_config_edit='s|addr-prefix = "10.10.1.0/24";|addr-prefix = "10.10.1.0/24"; access-control-trust-level = "low"; maximum-signal-threshold = 100; invalid-signal-threshold = 20; deny-period = 8;|'
# shellcheck source=lab_lib.sh
. "$top/tests/integration/lab_lib.sh"
run_acli() { sbc "$acli" -s /run/palisade/acli.sock -c "$1"; }
rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$sbcd_pid/status"; }
for tool in svmap svwar; do command -v $tool >/dev/null || { echo "FAIL: $tool is not installed (scripts/setup.sh installs sipvicious)"; exit 1; }; done
for a in 66 67 68; do acc ip addr add 10.10.1.$a/24 dev acc0; done
# Each flooder sends 12,000 datagrams a second for the 8 s the legitimate calls take.
flood="python3 $top/tests/integration/sip_flood.py --to 10.10.1.1:5060 --seconds 8 --max 100000 --rate 12000"

callee uas 10.10.2.10; callee uas 10.10.2.11
sleep 5  # pings sent before the callees listened have expired (trans-expire 4 s)
check "the session agents are in service" '[ "$(run_acli "show sipd agents" | grep -c " in-service ")" -ge 2 ]'
rss_before=$(rss_kb)

acc $flood --bind 10.10.1.66 --kind garbage >flood-garbage.out 2>&1 &
f1=$!
acc $flood --bind 10.10.1.67 --kind options >flood-options.out 2>&1 &
f2=$!
caller uac 160 20 &
legit=$!
# The shell answers while the flood is on; an operator looks at the denials then.
first=$(slowest_show 1 3)
run_acli "show sipd acls" >acls-during.txt
then=$(slowest_show 1 2)
slowest=$(( first > then ? first : then ))
wait $legit; rc=$?
wait $f1 $f2
echo "garbage: $(cat flood-garbage.out); options: $(cat flood-options.out)"
field() { sed -n "s/.*$2=\([0-9.-]*\).*/\1/p" "$1"; }
check "160 legitimate calls completed during the flood (sipp exit $rc)" '[ $rc -eq 0 ]'
check "acli -c \"show sipd\" answered within 1 s during the flood (slowest ${slowest} ms)" '[ $slowest -lt 1000 ]'
check "the garbage flood was a flood ($(field flood-garbage.out sent) datagrams)" '[ "$(field flood-garbage.out sent)" -ge 20000 ]'
# Every other datagram is a malformed INVITE sbcd answers 400; the 20th malformed one denies.
check "its source got a few 400s, then nothing: at most 20 answers ($(field flood-garbage.out answers))" \
  '[ "$(field flood-garbage.out answers)" -ge 1 ] && [ "$(field flood-garbage.out answers)" -le 20 ]'
acls=$(cat acls-during.txt)
echo "$acls"
check "show sipd acls during the flood lists 10.10.1.66 denied in the access realm" \
  'echo "$acls" | grep -Eq "^access +10\.10\.1\.66 +[1-8] +[0-9]+$"'
check "... and not the legitimate caller or the OPTIONS flooder" '! echo "$acls" | grep -Eq "10\.10\.1\.(10|67) "'
check "... and its table counts the drops" 'echo "$acls" | grep -Eq "^access +policed +[0-9]+ +[1-9][0-9]{3,} +[1-9][0-9]{3,} +1 +[0-9]+$"'
sent=$(field flood-options.out sent); answered=$(field flood-options.out answers)
took=$(field flood-options.out seconds)
# The bucket: 100 at once, then 100 a second while the flood lasted (and its last replies).
most=$(awk -v t="$took" 'BEGIN { printf "%d", 100 + 100 * (t + 1.5) }')
check "the OPTIONS flood ($sent sent in $took s) was held to its rate: $answered answered, 100 to $most" \
  '[ "$sent" -ge 20000 ] && [ "$answered" -ge 100 ] && [ "$answered" -le "$most" ]'
# Much of a flood dies in the kernel's socket buffer before sbcd reads it; what sbcd read and
# dropped is still in the thousands.
check "/metrics counts the drops over the rate and from the denied source" \
  '[ "$(metric "palisade_admission_messages_total{realm=\"access\",verdict=\"rate_limited\"}")" -ge 5000 ] &&
   [ "$(metric "palisade_admission_messages_total{realm=\"access\",verdict=\"denied\"}")" -ge 5000 ] &&
   [ "$(metric "palisade_admission_denials_total{realm=\"access\"}")" -ge 1 ]'
check "the core realm (trusted) policed nothing" \
  '[ "$(metric "palisade_admission_messages_total{realm=\"core\",verdict=\"rate_limited\"}")" = 0 ]'
rss_after=$(rss_kb)
check "sbcd's memory stayed bounded (${rss_before} kB -> ${rss_after} kB, less than 32 MB more)" \
  '[ $((rss_after - rss_before)) -lt 32768 ]'

# The deny period (8 s) ends: the source is answered again.
sleep 3
acc python3 "$top/tests/integration/sip_flood.py" --bind 10.10.1.66 --to 10.10.1.1:5060 --kind options --seconds 0.5 --max 1 \
  >after-deny.out
check "after its deny period the source is answered again ($(cat after-deny.out))" '[ "$(field after-deny.out answers)" = 1 ]'

# ---- a scanner (sipvicious; only ever pointed at the lab's own address) ----------------------
scan=(-b 10.10.1.68 -x 10.10.1.68)
acc timeout 60 svmap "${scan[@]}" -p 5060 10.10.1.1 >svmap.out 2>&1
acc timeout 60 svmap "${scan[@]}" -p 5060 -m INVITE 10.10.1.1 >svmap-invite.out 2>&1
acc timeout 120 svwar "${scan[@]}" -p 5060 -e100-130 10.10.1.1 >svwar.out 2>&1
cat svmap.out svmap-invite.out; tail -2 svwar.out
check "svmap finds the SBC and no product name (User Agent unknown), by OPTIONS and by INVITE" \
  'grep -Eq "^\| 10\.10\.1\.1:5060 +\| unknown +\|$" svmap.out && grep -Eq "^\| 10\.10\.1\.1:5060 +\| unknown +\|$" svmap-invite.out'
check "svwar enumerates no extension: every one gets the same answer" 'grep -q "found nothing" svwar.out && ! grep -Eq "^\| [0-9]+ +\|" svwar.out'
pkill -f "tshark -i (sbc[ac]|acc0|core0) " 2>/dev/null; sleep 1
# The headers only: this lab's config does not anchor media, so the core callee's SDP crosses as
# it is (media release); with anchoring (integration.lab_dpdk) the SDP names only the SBC.
tshark -r a.pcap -Y "ip.dst == 10.10.1.68 && sip" -T fields -e sip.msg_hdr 2>/dev/null | sed 's/\\r\\n\\r\\n.*//' >to-scanner.txt
check "the headers the scanner got ($(wc -l <to-scanner.txt) messages) name nothing of the core and no software" \
  '[ -s to-scanner.txt ] && ! grep -Eq "10\.10\.2\.|Server:|User-Agent:|[Pp]alisade" to-scanner.txt'
check "sbcd is still up" 'kill -0 $sbcd_pid'

[ $fail -eq 0 ] && echo "lab_hardening: all checks passed"
exit $fail
