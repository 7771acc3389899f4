#!/usr/bin/env bash
# Benchmarks the SIP core against libosip2 in one binary and one run, and reports each side's
# median over interleaved repetitions and the ratio (the machines are shared and noisy; only
# the ratio is compared across runs). Figures go into docs/benchmarks.md.
#
#   scripts/bench-sip.sh [repetitions]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
reps=${1:-15}
"$top/scripts/setup.sh" >/dev/null
bench="$top/build/bin/sip_parse_bench"
json=$(mktemp)
trap 'rm -f "$json"' EXIT
"$bench" --benchmark_repetitions="$reps" --benchmark_enable_random_interleaving=true \
  --benchmark_min_time=0.2 --benchmark_format=json > "$json" 2>/dev/null
python3 - "$json" <<'PY'
import json, statistics, sys
runs = json.load(open(sys.argv[1]))["benchmarks"]
t = {}
for r in runs:
    if r.get("run_type") == "iteration":
        t.setdefault(r["run_name"], []).append(r["real_time"])
med = {k: statistics.median(v) for k, v in t.items()}
print(f"{'benchmark':24} {'median ns/msg':>14} {'runs':>5}")
for k in sorted(med):
    print(f"{k:24} {med[k]:14.0f} {len(t[k]):5}")
for op in ("Parse", "Serialize"):
    ours, base = med[f"BM_Palisade_{op}"], med[f"BM_Osip_{op}"]
    print(f"{op.lower()}: Palisade is {base / ours:.1f}x faster than libosip2")
PY
