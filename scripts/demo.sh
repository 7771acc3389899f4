#!/usr/bin/env bash
# Palisade's showcase: what the product does today, end to end, on this machine.
# Each capability adds itself here when it is finished.
#
#   scripts/demo.sh            (as root on a fresh Debian 12 machine: installs and builds first)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
bin=build/bin
data=tests/data/rfc4475

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

step "Set up and build (scripts/setup.sh)"
scripts/setup.sh >/dev/null
run "$bin/sbcd" --version

step "Check the configuration before using it"
run "$bin/sbcd" --verify-config conf/sbc.cfg
tmp=$(mktemp -d)
trap 'kill "${pid:-}" 2>/dev/null || true; rm -rf "$tmp"' EXIT
sed 's/process-log-level = "info"/process-log-level = "chatty"/' conf/sbc.cfg > "$tmp/typo.cfg"
echo "(a copy with a typo in it is refused with file, line, element and attribute:)"
run "$bin/sbcd" --verify-config "$tmp/typo.cfg" || true

step "Run the daemon, reload it, stop it"
cp conf/sbc.cfg "$tmp/sbc.cfg"
"$bin/sbcd" --config "$tmp/sbc.cfg" 2>"$tmp/sbcd.log" &
pid=$!
for _ in $(seq 50); do grep -q started "$tmp/sbcd.log" && break; sleep 0.1; done
echo "sbcd running as pid $pid"
cp "$tmp/typo.cfg" "$tmp/sbc.cfg"
kill -HUP "$pid"; sleep 0.3
echo "(SIGHUP with a broken file: refused, the running configuration stays)"
kill -0 "$pid" && echo "sbcd still running"
kill -TERM "$pid"; wait "$pid"
echo "sbcd exited with status $?; its log:"
sed 's/^/  | /' "$tmp/sbcd.log"
pid=

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

if [ "${PALISADE_DEMO_BENCH:-1}" = 1 ]; then
  step "Parse and serialize speed against libosip2 (scripts/bench-sip.sh)"
  scripts/bench-sip.sh 5
fi
