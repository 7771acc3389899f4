#!/usr/bin/env bash
# sipcheck as an operator runs it: exit codes, the dump, the error line, stdin.
set -u
sipcheck=$1 data=$2
fail=0
check() { if ! eval "$2"; then echo "FAIL: $1"; fail=1; fi; }

out=$("$sipcheck" "$data/esc01.dat"); rc=$?
check "valid message exits 0" '[ $rc -eq 0 ]'
check "start line first" '[ "$(echo "$out" | head -1)" = "INVITE sip:sips%3Auser%40example.com@example.net SIP/2.0" ]'
check "compact i: shown as Call-ID" 'echo "$out" | grep -qx "Call-ID: esc01.239409asdfakjkn23onasd0-3234"'
check "compact C: shown as Content-Type" 'echo "$out" | grep -qx "Content-Type: application/sdp"'
check "folded Contact unfolded" 'echo "$out" | grep -qx "Contact: <sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31>"'
check "body length last" '[ "$(echo "$out" | tail -1)" = "body: 150 bytes" ]'

out=$("$sipcheck" "$data/wsinv.dat"); rc=$?
check "values shown as read: folded, spaced To" 'echo "$out" | grep -qx "To: <sip:vivekg@chair-dnrc.example.com>;tag=1918181833n"'
check "values shown as read: Max-Forwards 0068" 'echo "$out" | grep -qx "Max-Forwards: 68"'
check "values shown as read: two Vias in one field" 'echo "$out" | grep -qx "Via: SIP/2.0/TCP spindle.example.com;branch=z9hG4bK9ikj8, SIP/2.0/UDP 192.168.255.111;branch=z9hG4bK30239"'

out=$("$sipcheck" "$data/badvers.dat"); rc=$?
check "invalid message exits 1" '[ $rc -eq 1 ]'
check "error line with offset" '[ "$out" = "error: SIP version is not 2.0 at offset 33" ]'

out=$("$sipcheck" - < "$data/dblreq.dat"); rc=$?
check "stdin works" '[ $rc -eq 0 ] && echo "$out" | head -1 | grep -q "^REGISTER "'
check "trailing octets reported" 'echo "$out" | grep -qx "ignored: 450 trailing bytes"'

out=$("$sipcheck" --validate "$data/insuf.dat"); rc=$?
check "--validate refusal exits 2" '[ $rc -eq 2 ]'
check "--validate says why" 'echo "$out" | grep -qx "verdict: 400 Missing To"'

out=$(printf 'SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n' | "$sipcheck" --stream -); rc=$?
check "--stream parses a framed message" '[ $rc -eq 0 ]'
out=$(printf 'SIP/2.0 200 OK\r\n\r\n' | "$sipcheck" --stream -); rc=$?
check "--stream needs Content-Length" '[ $rc -eq 1 ] && echo "$out" | grep -q "Content-Length is required"'

"$sipcheck" /nonexistent 2>/dev/null; rc=$?
check "unreadable file exits 2" '[ $rc -eq 2 ]'

[ $fail -eq 0 ] && echo "sipcheck: all checks passed"
exit $fail
