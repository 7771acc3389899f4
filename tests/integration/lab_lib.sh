# Shared by the lab tests: sourced after `top` and `sbcd` are set (and `lab_mode`, `lab_config`
# where the test wants `scripts/lab.sh up dpdk` and conf/lab-dpdk.cfg; `lab_config_edit`, a sed
# expression, where it wants that configuration with a change of its own). Checks the tools, brings
# the lab up (scripts/lab.sh), starts sbcd with conf/lab.cfg in pal-sbc and tshark on both of
# its interfaces (a.pcap, c.pcap in $work), and tears everything down on exit. Evidence is
# kept when a check failed.
scen=$top/tests/integration/scenarios
work=$(mktemp -d "${TMPDIR:-/tmp}/palisade-lab.XXXXXX")
fail=0
check() { if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1"; fail=1; fi; }
acc() { ip netns exec pal-acc "$@"; }
core() { ip netns exec pal-core "$@"; }
sbc() { ip netns exec pal-sbc "$@"; }
# The value of one series of sbcd's /metrics (system-config metrics-port 9464), as an integer.
metric() {
  sbc python3 -c 'import sys, urllib.request
for l in urllib.request.urlopen("http://127.0.0.1:9464/metrics", timeout=5).read().decode().splitlines():
    if l.startswith(sys.argv[1] + " "): print(int(float(l.split()[-1])))' "$1"
}

for tool in sipp tshark ip python3; do
  command -v $tool >/dev/null || { echo "FAIL: $tool is not installed (scripts/setup.sh installs it)"; exit 1; }
done
[ "$(id -u)" -eq 0 ] || { echo "FAIL: the lab needs root"; exit 1; }

cleanup() {
  pkill -f "sipp .*-i 10.10.[12]." 2>/dev/null
  pkill -f "baresip -f $work" 2>/dev/null
  [ -n "${sbcd_pid:-}" ] && kill "$sbcd_pid" 2>/dev/null
  pkill -f "tshark -i (sbc[ac]|acc0|core0) " 2>/dev/null
  sleep 0.3
  "$top/scripts/lab.sh" down
  if [ $fail -eq 0 ]; then rm -rf "$work"; else echo "evidence kept in $work"; fi
}
trap cleanup EXIT
"$top/scripts/lab.sh" down
lab_mode=${lab_mode:-kernel}
lab_config=${lab_config:-$top/conf/lab.cfg}
if [ -n "${lab_config_edit:-}" ]; then
  sed "$lab_config_edit" "$lab_config" >"$work/sbc.cfg"
  if cmp -s "$lab_config" "$work/sbc.cfg"; then echo "FAIL: lab_config_edit changed nothing in $lab_config"; exit 1; fi
  lab_config=$work/sbc.cfg
fi
"$top/scripts/lab.sh" up "$lab_mode" >/dev/null
cd "$work"

ip netns exec pal-sbc "$sbcd" --config "$lab_config" 2>sbcd.log &
sbcd_pid=$!
# The SBC's side of each link; with DPDK the peers' side, since DPDK's af_packet transmits past
# the kernel's capture taps (qdisc bypass) and a capture on sbca/sbcc would miss what it sends.
if [ "$lab_mode" = dpdk ]; then capture=("a pal-acc acc0" "c pal-core core0"); else capture=("a pal-sbc sbca" "c pal-sbc sbcc"); fi
for spec in "${capture[@]}"; do
  set -- $spec
  ip netns exec "$2" tshark -i "$3" -w "$work/$1.pcap" -f "port 5060 or port 5070" -q 2>"tshark-$1.log" &
done
for _ in $(seq 150); do grep -q started sbcd.log && [ -s tshark-a.log ] && [ -s tshark-c.log ] && break; sleep 0.1; done
check "sbcd started in the lab" 'grep -q "started as palisade-lab" sbcd.log'
[ $fail -eq 0 ] || { cat sbcd.log; exit 1; }

callee() {  # callee SCENARIO IP: a SIPp callee on the core side that also answers pings (-aa)
  local s=$1 ip=$2
  if [ "$s" = uas ]; then core sipp -sn uas -aa -i "$ip" -p 5060 -nostdin -bg -trace_err >/dev/null 2>&1
  else core sipp -sf "$scen/$s.xml" -key sbc 10.10.2.1:5060 -aa -i "$ip" -p 5060 -nostdin -bg -trace_err >/dev/null 2>&1; fi
}
caller() {  # caller SCENARIO CALLS RATE: SIPp on the access side; returns SIPp's exit status
  local s=$1 n=$2 r=$3 args t
  t=$(( n / r + 60 ))  # the calls' own time, and a minute for the slowest; 90 s at least
  [ $t -ge 90 ] || t=90
  if [ "$s" = uac ]; then args=(-sn uac); else args=(-sf "$scen/$s.xml"); fi
  timeout $(( t + 30 )) ip netns exec pal-acc sipp "${args[@]}" 10.10.1.1:5060 -i 10.10.1.10 -p 5060 -s 15551234 \
    -m "$n" -r "$r" -l 200 -nostdin -timeout "$t" -trace_err >"$s.out" 2>&1
}
# slowest_show INTERVAL N: `acli -c "show sipd"` N times, INTERVAL seconds apart, through the
# test's own run_acli; prints how many milliseconds the slowest took (the shell under load).
slowest_show() {
  local slowest=0 t0 t1 ms
  for _ in $(seq "$2"); do
    sleep "$1"
    t0=$(date +%s%N); run_acli "show sipd" >/dev/null; t1=$(date +%s%N)
    ms=$(( (t1 - t0) / 1000000 )); [ $ms -gt $slowest ] && slowest=$ms
  done
  echo $slowest
}
# counted CSV FIELD: the last value of a SIPp statistics column (cumulated counts)
counted() {
  local col
  col=$(head -1 "$1" | tr ';' '\n' | grep -n -x "$2" | cut -d: -f1)
  tail -1 "$1" | cut -d';' -f"$col"
}
# sipp_settled CSV N: waits (up to 8 s) until SIPp's statistics file counts N successful calls;
# it is written once a second, so a fixed sleep would race it
sipp_settled() {
  for _ in $(seq 80); do [ -f "$1" ] && [ "$(counted "$1" "SuccessfulCall(C)")" = "$2" ] && return 0; sleep 0.1; done
  return 1
}
stop_callees() { pkill -f "sipp .*-i 10.10.2." 2>/dev/null; sleep 0.5; }
