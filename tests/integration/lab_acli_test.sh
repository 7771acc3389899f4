#!/usr/bin/env bash
# The ACLI as an admin uses it, against the real sbcd in the lab:
#   1. the real acli on a pseudo-terminal: enable with the configured password (not echoed),
#      a new realm, sip-interface (a new sip-port), session agent and local policy typed with
#      TAB and `?` along the way; a wrong value refused with its reason, the candidate unchanged
#   2. verify-config, save-config (the file written loads, the previous one kept as .1),
#      activate-config
#   3. SIPp calls to 55xxx then reach the new session agent through the new sip-port, sbcd not
#      restarted; show sipd agents lists it with its sessions
#   4. acli -c: plain output, exit status 1 at a refused command; show commands answer
#   5. SIGHUP with a broken file: refused, the running configuration and its version stay
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
sbcd=$(readlink -f "${1:-$top/build/bin/sbcd}")
acli=$(readlink -f "${2:-$top/build/bin/acli}")
cfgdir=$(mktemp -d "${TMPDIR:-/tmp}/palisade-acli.XXXXXX")
hash=$(echo "lab-secret" | "$sbcd" --hash-password)
sock=$cfgdir/acli.sock
sed "s|hostname = \"palisade-lab\";|hostname = \"palisade-lab\"; acli-socket = \"$sock\"; enable-password = \"$hash\";|" \
  "$top/conf/lab.cfg" >"$cfgdir/sbc.cfg"
lab_config=$cfgdir/sbc.cfg
# shellcheck source=lab_lib.sh
. "$top/tests/integration/lab_lib.sh"
trap 'cleanup; rm -rf "$cfgdir"' EXIT
check "the enable-password hash is a SHA-512 crypt" '[[ "$hash" == \$6\$* ]]'
run_acli() { ip netns exec pal-sbc "$acli" -s "$sock" "$@"; }

# The new session agent: SIPp on the core side, on a port nothing routes to before.
ip netns exec pal-core sipp -sn uas -i 10.10.2.11 -p 5090 -m 10 -nostdin -trace_err >uas-new.out 2>&1 &
uas_pid=$!
callee uas 10.10.2.10; callee uas 10.10.2.11
sleep 0.5

# 1. typed at a terminal
cat >steps.txt <<'STEPS'
< palisade-lab> 
> en\t
< enable 
> \r
< Password: 
> lab-secret\r
! lab-secret
< palisade-lab# 
> conf\tt\t\r
< palisade-lab(configure)# 
> media\t\r
< palisade-lab(media-manager)# 
> realm-config\r
> identifier peer\r
> network-interfaces core\t
< core0 
> \r
> mm-in-r\t
< mm-in-realm 
> dis\t\r
> done\r
< mm-in-realm                   disabled
> exit\r
> exit\r
< palisade-lab(configure)# 
> session-r\t\r
< palisade-lab(session-router)# 
> sip-i\t\r
< palisade-lab(sip-interface)# 
> realm-id pe\t
< realm-id peer 
> \r
> sip-ports\r
< palisade-lab(sip-ports)# 
> ?
< transport-protocol
> address 10.10.2.1\r
> port 5062\r
> done\r
> exit\r
> done\r
< port                        5062
> exit\r
> session-agent\r
> hostname peer-pbx\r
> ip-address 10.10.2.11\r
> port 5090\r
> realm-id peer\r
> port 99999\r
< session-agent port: must be from 1 to 65535
> show\r
< port                          5090
> done\r
> exit\r
> local-policy\r
> to-address 55\r
> source-realm access\r
> policy-attributes\r
> next-hop peer\t
< next-hop peer-pbx 
> \r
> realm peer\r
> done\r
> exit\r
> done\r
> exit\r
> exit\r
> exit\r
< palisade-lab# 
> verify-config\r
< Verification successful
> save-config\r
< Saved configuration version 1
> activate-config\r
< Activated configuration version 1
> display-running-cfg-version\r
< Running configuration version is 1
> exit\r
STEPS
python3 "$top/tests/integration/acli_pty.py" steps.txt transcript.txt -- ip netns exec pal-sbc "$acli" -s "$sock"; rc=$?
check "typed at a terminal with TAB and ?: configured, verified, saved, activated (transcript.txt)" '[ $rc -eq 0 ]'
[ $rc -eq 0 ] || cat transcript.txt

# 2. the saved file
check "the saved file verifies and carries version 1" '"$sbcd" --verify-config "$cfgdir/sbc.cfg" >/dev/null && grep -q "^config-version = 1;" "$cfgdir/sbc.cfg"'
check "the previous file is kept as sbc.cfg.1" 'cmp -s "$cfgdir/sbc.cfg.1" <(sed "s|hostname = \"palisade-lab\";|hostname = \"palisade-lab\"; acli-socket = \"$sock\"; enable-password = \"$hash\";|" "$top/conf/lab.cfg")'
check "the new sip-port opened without a restart" 'grep -q "listening on 10.10.2.1:5062/UDP in realm peer" sbcd.log && [ $(grep -c "started as" sbcd.log) -eq 1 ]'

# 3. calls reach the new agent
timeout 60 ip netns exec pal-acc sipp -sn uac 10.10.1.1:5060 -i 10.10.1.10 -p 5060 -s 5551234 -m 10 -r 10 \
  -nostdin -timeout 30 -trace_err >uac-new.out 2>&1; rc=$?
check "10 calls to 55xxx complete (sipp exit $rc)" '[ $rc -eq 0 ]'
timeout 10 tail --pid=$uas_pid -f /dev/null
if kill -0 $uas_pid 2>/dev/null; then kill $uas_pid; rc=timeout; else wait $uas_pid; rc=$?; fi
check "the new session agent answered all 10 (its sipp exit $rc)" '[ $rc -eq 0 ]'
check "sbcd was not restarted" 'kill -0 $sbcd_pid'
out=$(run_acli -c "show sipd agents")
# The rate averages the last ten whole seconds: the 10 calls of the last seconds, up to 1.0/s.
check "show sipd agents lists peer-pbx in service with 10 sessions, lately at a rate" \
  'echo "$out" | grep -Eq "^peer-pbx +peer +10.10.2.11:5090 +in-service +0 +- +10 +(0\.[1-9]|1\.0)$"'
[ $fail -eq 0 ] || echo "$out"

# 4. scripted use
out=$(run_acli -c "show sipd"); rc=$?
check "acli -c show sipd: exit 0, the 10 sessions and their INVITEs counted" \
  '[ $rc -eq 0 ] && echo "$out" | grep -Eq "^Sessions +0 +[0-9]+ +10 +10$" && echo "$out" | grep -Eq "^INVITE +in +10 "'
[ $fail -eq 0 ] || echo "$out"
out=$(run_acli -c "enable; lab-secret; configure terminal; session-router; session-agent; select peer-pbx; port 0; done" 2>&1); rc=$?
check "acli -c stops at a refused command with exit 1 and the reason" '[ $rc -eq 1 ] && echo "$out" | grep -q "port: must be from 1 to 65535"'
out=$(run_acli -c "show running-config session-agent peer-pbx")
check "the running configuration kept port 5090" 'echo "$out" | grep -Eq "^  port +5090$"'
out=$(printf 'enable\nwrong\n' | run_acli 2>&1); rc=$?
check "a wrong password is refused" '[ $rc -eq 1 ] && echo "$out" | grep -q "wrong password"'
check "the socket is mode 0660" '[ "$(stat -c %a "$sock")" = 660 ]'

# 5. SIGHUP with a broken file
cp "$cfgdir/sbc.cfg" "$cfgdir/good.cfg"
echo 'session-agent = ( { hostname = "x"; port = 0; } );' >>"$cfgdir/sbc.cfg"
kill -HUP $sbcd_pid; sleep 1
check "SIGHUP with a broken file is refused, naming the line" 'grep -q "reload refused" sbcd.log && grep -Eq "sbc.cfg:[0-9]+: " sbcd.log'
out=$(run_acli -c "enable; lab-secret; display-running-cfg-version")
check "and version 1 still runs" 'echo "$out" | grep -q "Running configuration version is 1"'
cp "$cfgdir/good.cfg" "$cfgdir/sbc.cfg"

[ $fail -eq 0 ] && echo "lab_acli: all checks passed"
exit $fail
