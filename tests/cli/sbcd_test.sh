#!/usr/bin/env bash
# sbcd's skeleton as an admin meets it: --version, --help, --verify-config, a run that ends
# cleanly on SIGTERM, and a SIGHUP with a broken file that is refused.
set -u
sbcd=$1 conf=$2
fail=0
check() { if ! eval "$2"; then echo "FAIL: $1"; fail=1; fi; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

out=$("$sbcd" --version); rc=$?
check "--version" '[ $rc -eq 0 ] && echo "$out" | grep -Eq "^sbcd \(Palisade SBC\) [0-9]+\.[0-9]+\.[0-9]+$"'
out=$("$sbcd" --help); rc=$?
check "--help lists --verify-config" '[ $rc -eq 0 ] && echo "$out" | grep -q -- "--verify-config FILE"'
"$sbcd" --bogus 2>/dev/null; rc=$?
check "unknown option exits 2" '[ $rc -eq 2 ]'

for f in "$conf"/*.cfg; do
  out=$("$sbcd" --verify-config "$f" 2>&1); rc=$?
  check "shipped $(basename "$f") verifies" '[ $rc -eq 0 ]'
done

printf 'system-config = {\n  hostname = "ok";\n  process-log-level = "chatty";\n};\n' > "$tmp/bad.cfg"
out=$("$sbcd" --verify-config "$tmp/bad.cfg" 2>&1); rc=$?
check "bad config exits 1" '[ $rc -eq 1 ]'
check "problem names file:line: element.attribute" \
  '[ "$out" = "$tmp/bad.cfg:3: system-config.process-log-level: must be one of debug, info, notice, warning, error" ]'

cp "$conf/sbc.cfg" "$tmp/run.cfg"
"$sbcd" --config "$tmp/run.cfg" 2>"$tmp/log" &
pid=$!
for _ in $(seq 50); do grep -q "started" "$tmp/log" && break; sleep 0.1; done
check "daemon starts" 'grep -q "started as" "$tmp/log"'
cp "$tmp/bad.cfg" "$tmp/run.cfg"
kill -HUP $pid
for _ in $(seq 50); do grep -q "reload refused" "$tmp/log" && break; sleep 0.1; done
check "SIGHUP with a broken file is refused" 'grep -q "reload refused; the running configuration stays" "$tmp/log"'
check "daemon survives the refused reload" 'kill -0 $pid 2>/dev/null'
kill -TERM $pid
wait $pid; rc=$?
check "SIGTERM exits 0" '[ $rc -eq 0 ]'
check "stop is logged" 'grep -q "stopped" "$tmp/log"'

[ $fail -eq 0 ] && echo "sbcd: all checks passed"
exit $fail
