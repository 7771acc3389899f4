#!/usr/bin/env bash
# Runs one libFuzzer target for a bounded time over a copy of its seed corpus (the checked-in
# seeds are never modified). Any crash, sanitizer report or leak fails the test; the input that
# caused it is left in the work directory for `sipcheck` or the target itself to replay.
set -eu
target=$1 seeds=$2 seconds=$3
work=$(mktemp -d "${TMPDIR:-/tmp}/palisade-fuzz.XXXXXX")
mkdir -p "$work/corpus"
cp -r "$seeds"/. "$work/corpus/"
cd "$work"
if "$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
     -print_final_stats=1 corpus > fuzz.log 2>&1; then
  grep -E "^stat::number_of_executed_units|^Done" fuzz.log || true
  rm -rf "$work"
  exit 0
fi
tail -n 60 fuzz.log
echo "fuzzer finding kept in $work"
exit 1
