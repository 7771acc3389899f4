#!/usr/bin/env bash
# Highest call rate with zero failed calls through sbcd, side by side in one run with
# Kamailio 5.6 as a stateful proxy with dialog tracking and topology hiding (bench/kamailio-lab.cfg),
# and with no SBC at all (SIPp to SIPp: the generator's own ceiling on this machine).
#
#   scripts/bench-cps.sh [seconds-per-step]       (as root; uses the lab of scripts/lab.sh)
#
# Each system under test is pinned to core 1 (taskset), the SIPp caller and callee to core 0.
# A step places rate*seconds calls (INVITE, 200, ACK, BYE, 200, no media) at that rate; the
# highest step SIPp completes with exit 0 (every call succeeded) is the figure. Results go to
# docs/benchmarks.md by hand, with this command.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-5}
rates=(200 400 600 800 1000 1200 1500 2000 2500 3000)
"$top/scripts/setup.sh" >/dev/null
work=$(mktemp -d)
cleanup() { pkill -f "sipp .*-i 10.10." 2>/dev/null || true; pkill -x sbcd 2>/dev/null || true; pkill -x kamailio 2>/dev/null || true; "$top/scripts/lab.sh" down; rm -rf "$work"; }
trap cleanup EXIT
"$top/scripts/lab.sh" down
"$top/scripts/lab.sh" up >/dev/null

callee() { ip netns exec pal-core taskset -c 0 sipp -sn uas -aa -i "$1" -p 5060 -nostdin -bg >/dev/null 2>&1 || true; }

# highest RATE at which TARGET (an address:port) completes every call
ceiling() {
  local target=$1 src=$2 best=0
  for r in "${rates[@]}"; do
    if timeout $((secs * 4 + 30)) ip netns exec "$src" taskset -c 0 sipp -sn uac "$target" -i "${3}" -p 5060 \
         -s 15551234 -r "$r" -m $((r * secs)) -l $((r * 4)) -nostdin -timeout $((secs * 3 + 20)) >/dev/null 2>&1; then
      best=$r
    else
      break
    fi
    sleep 1
  done
  echo "$best"
}

echo "generator: SIPp caller -> SIPp callee, no SBC (core network only)"
callee 10.10.2.10
gen=$(ceiling 10.10.2.10:5060 pal-core 10.10.2.11)
pkill -f "sipp .*-i 10.10.2.10" || true; sleep 1

echo "sbcd (conf/lab.cfg, one thread on core 1)"
callee 10.10.2.10; callee 10.10.2.11
ip netns exec pal-sbc taskset -c 1 "$top/build/bin/sbcd" --config "$top/conf/lab.cfg" 2>"$work/sbcd.log" &
sleep 1
sbc=$(ceiling 10.10.1.1:5060 pal-acc 10.10.1.10)
pkill -x sbcd || true; pkill -f "sipp .*-i 10.10.2." || true; sleep 1

echo "kamailio 5.6 (tm + rr + dialog + topoh, one worker on core 1)"
callee 10.10.2.10
ip netns exec pal-sbc taskset -c 1 kamailio -m 1024 -M 32 -f "$top/bench/kamailio-lab.cfg" -DD -E 2>"$work/kamailio.log" &
sleep 2
kam=$(ceiling 10.10.1.1:5060 pal-acc 10.10.1.10)
pkill -x kamailio || true; sleep 1

printf '\n%-42s %s\n' "system" "highest zero-failure rate (calls/s, ${secs}s steps)"
printf '%-42s %s\n' "SIPp -> SIPp (generator ceiling)" "$gen" "sbcd" "$sbc" "Kamailio 5.6 stateful + dialog + topoh" "$kam"
if [ "$kam" -gt 0 ]; then
  python3 -c "print(f'sbcd / Kamailio = {$sbc / $kam:.2f}')"
fi
[ "$sbc" -ge "$gen" ] && echo "note: sbcd reached the generator's ceiling; the real figure is higher"
true
