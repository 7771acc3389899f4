#!/usr/bin/env bash
# The fast path end to end on real ports: net_af_packet on the SBC's veths, a net_tap per port
# holding the SBC's address in the kernel, media relayed both ways between two namespaces, and
# latching towards an endpoint behind a masquerading NAT.
#
#   pdp-acc   10.20.1.10 (an access endpoint) on bridge br0 ----+---- sbca (DPDK port a) --+
#   pdp-nat   10.20.1.20 wan on br0; 192.168.50.1 lan (nft masquerade)                     | pdp-sbc
#   pdp-home  192.168.50.10 (an endpoint behind the NAT)                                    | taps: pal-a 10.20.1.1
#   pdp-core  10.20.2.10 (a core endpoint) ------------------------------- sbcc (port c) --+       pal-c 10.20.2.1
#
# The veths DPDK reads have no address, never answer ARP and drop by reverse-path what they
# see of the taps' traffic (lab notes), so nothing reaches the SBC's kernel except through the
# tap, and the port counters prove the path.
set -uo pipefail
dp=$1
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/palisade-dp.XXXXXX")
fail=0
check() { if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1"; fail=1; fi; }
namespaces="pdp-acc pdp-nat pdp-home pdp-core pdp-sbc"
[ "$(id -u)" -eq 0 ] || { echo "FAIL: the lab needs root"; exit 1; }
for tool in ip nft ethtool python3; do command -v $tool >/dev/null || { echo "FAIL: $tool missing (scripts/setup.sh)"; exit 1; }; done

down() {
  for ns in $namespaces; do
    if ip netns list | grep -qw "$ns"; then
      for pid in $(ip netns pids "$ns" 2>/dev/null); do kill "$pid" 2>/dev/null; done
      sleep 0.2
      ip netns del "$ns"
    fi
  done
}
cleanup() {
  [ -n "${dp_pid:-}" ] && kill "$dp_pid" 2>/dev/null && wait "$dp_pid" 2>/dev/null
  down
  if [ $fail -eq 0 ]; then rm -rf "$work"; else echo "evidence kept in $work"; fi
}
trap cleanup EXIT
down
for ns in $namespaces; do ip netns add $ns; ip -n $ns link set lo up; done
nsx() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# access segment: a bridge in pdp-acc joins the endpoint, the NAT's wan side and the SBC
nsx pdp-acc ip link add br0 type bridge
ip link add acc-sbc netns pdp-acc type veth peer name sbca netns pdp-sbc
ip link add acc-nat netns pdp-acc type veth peer name wan0 netns pdp-nat
nsx pdp-acc ip link set acc-sbc master br0
nsx pdp-acc ip link set acc-nat master br0
nsx pdp-acc ip addr add 10.20.1.10/24 dev br0
nsx pdp-nat ip addr add 10.20.1.20/24 dev wan0
ip link add lan0 netns pdp-nat type veth peer name home0 netns pdp-home
nsx pdp-nat ip addr add 192.168.50.1/24 dev lan0
nsx pdp-home ip addr add 192.168.50.10/24 dev home0
nsx pdp-nat sysctl -qw net.ipv4.ip_forward=1
nsx pdp-nat nft -f - <<'NFT'
table ip nat {
  chain post { type nat hook postrouting priority srcnat; oifname "wan0" masquerade random; }
}
NFT
ip link add sbcc netns pdp-sbc type veth peer name core0 netns pdp-core
nsx pdp-core ip addr add 10.20.2.10/24 dev core0
for pair in "pdp-acc br0" "pdp-acc acc-sbc" "pdp-acc acc-nat" "pdp-nat wan0" "pdp-nat lan0" "pdp-home home0" \
            "pdp-core core0" "pdp-sbc sbca" "pdp-sbc sbcc"; do
  set -- $pair
  nsx "$1" ip link set "$2" up
done
nsx pdp-home ip route add default via 192.168.50.1
# veth leaves UDP checksums to offload: the senders complete them (lab notes)
for pair in "pdp-acc br0" "pdp-acc acc-sbc" "pdp-nat wan0" "pdp-nat lan0" "pdp-home home0" "pdp-core core0"; do
  set -- $pair
  nsx "$1" ethtool -K "$2" tx off >/dev/null 2>&1
done
for v in sbca sbcc; do
  nsx pdp-sbc sysctl -qw net.ipv6.conf.$v.disable_ipv6=1 net.ipv4.conf.$v.arp_ignore=8 net.ipv4.conf.$v.rp_filter=1
done
nsx pdp-sbc sysctl -qw net.ipv4.conf.all.rp_filter=1 net.ipv4.ip_forward=0

cat >"$work/flows.txt" <<'FLOWS'
# 0/1: the access endpoint <-> the core endpoint, at the addresses signalling gave, next hops
# from the kernel's neighbour table of the taps (the pings below fill it)
in=a local=10.20.1.1:20000 out=c source=10.20.2.1:30000 dest=10.20.2.10:4000 mac=auto latch=restricted allowed=10.20.1.10
in=c local=10.20.2.1:30000 out=a source=10.20.1.1:20000 dest=10.20.1.10:4000 mac=auto latch=restricted allowed=10.20.2.10
# 2/3: the endpoint behind the NAT: its SDP says 192.168.50.10, its packets come from the NAT
in=a local=10.20.1.1:20002 out=c source=10.20.2.1:30002 dest=10.20.2.10:4002 latch=restricted allowed=10.20.1.20 reverse=3
in=c local=10.20.2.1:30002 out=a source=10.20.1.1:20002 dest=192.168.50.10:4002 latch=restricted allowed=10.20.2.10 reverse=2
FLOWS

ip netns exec pdp-sbc "$dp" --lcores 0,1 -m 256 --stats --echo 10.20.1.1:5060 \
  --port "a=net_af_packet_a,iface=sbca@pal-a" --port "c=net_af_packet_c,iface=sbcc@pal-c" \
  --address a=10.20.1.1/24 --address c=10.20.2.1/24 --flows "$work/flows.txt" >"$work/dp.out" 2>"$work/dp.err" &
dp_pid=$!
for _ in $(seq 100); do grep -q ready "$work/dp.out" 2>/dev/null && break; sleep 0.1; done
check "palisade-dp started with af_packet ports and taps" 'grep -q ready "$work/dp.out"'
[ $fail -eq 0 ] || { cat "$work/dp.err"; exit 1; }
check "the tap carries the SBC's access address" 'nsx pdp-sbc ip -4 -o addr show pal-a | grep -q 10.20.1.1/24'

# The exception path: ARP, ICMP and a SIP-port datagram reach the kernel through the tap, and
# the replies leave by the DPDK port.
check "the access endpoint pings the SBC through DPDK" 'nsx pdp-acc ping -c 2 -W 2 10.20.1.1 >/dev/null'
check "the core endpoint pings the SBC through DPDK" 'nsx pdp-core ping -c 2 -W 2 10.20.2.1 >/dev/null'
sleep 0.3  # palisade-dp looks the neighbours up every 100 ms
reply=$(nsx pdp-acc python3 -c '
import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("10.20.1.10", 5060)); s.settimeout(3)
s.sendto(b"OPTIONS sip:10.20.1.1 SIP/2.0", ("10.20.1.1", 5060)); print(s.recvfrom(2048)[0].decode())' 2>&1)
check "a SIP datagram reaches a socket on the tap address and is answered (got: $reply)" '[ "$reply" = "echo:OPTIONS sip:10.20.1.1 SIP/2.0" ]'

# Media both ways, and through the NAT, at the same time (5 s of 50 pps each way).
peer="python3 $here/udp_peer.py --count 250 --interval 0.02 --linger 1"
nsx pdp-core $peer --bind 10.20.2.10:4000 --to 10.20.2.1:30000 >"$work/core.out" &
nsx pdp-acc $peer --bind 10.20.1.10:4000 --to 10.20.1.1:20000 >"$work/acc.out" &
nsx pdp-core $peer --bind 10.20.2.10:4002 --to 10.20.2.1:30002 >"$work/core2.out" &
nsx pdp-home $peer --bind 192.168.50.10:4002 --to 10.20.1.1:20002 >"$work/home.out" &
# an impostor on the access segment aims at the NAT'd call's port
nsx pdp-acc python3 $here/udp_peer.py --count 50 --interval 0.02 --linger 0 --bind 10.20.1.10:4100 --to 10.20.1.1:20002 >"$work/spoof.out" &
wait $(jobs -p | grep -vw "$dp_pid") 2>/dev/null
sleep 0.5
received() { sed -n 's/.*received=\([0-9]*\).*/\1/p' "$work/$1.out"; }
sources() { sed -n 's/.*sources=\(.*\)/\1/p' "$work/$1.out"; }
cat "$work"/{acc,core,home,core2,spoof}.out
# Until both ends have spoken a direction has nowhere to go: a few first packets may be lost.
for side in acc core home core2; do
  n=$(received $side)
  check "$side received its media ($n of 250)" '[ "${n:-0}" -ge 240 ]'
done
check "the access endpoint hears the SBC's access address only" '[ "$(sources acc)" = 10.20.1.1:20000 ]'
check "the core endpoint hears the SBC's core address only" '[ "$(sources core)" = 10.20.2.1:30000 ]'
check "the endpoint behind the NAT hears the SBC (its replies went to the NAT's mapping)" '[ "$(sources home)" = 10.20.1.1:20002 ]'

kill "$dp_pid"
wait "$dp_pid" 2>/dev/null
dp_pid=
cat "$work/dp.out"
stat() { sed -n "s/^port $1 .*[ ]$2=\([0-9]*\).*/\1/p" "$work/dp.out"; }
check "flows 0 and 1 took their next hops from the taps' neighbour tables" 'grep -q "^event resolved flow=0 via pal-c$" "$work/dp.out" && grep -q "^event resolved flow=1 via pal-a$" "$work/dp.out"'
check "the NAT'd flow latched to the NAT's public address" 'grep -Eq "^event latched flow=2 remote=10.20.1.20:[0-9]+$" "$work/dp.out"'
check "the impostor's packets were dropped as wrong source" '[ "$(stat a drop_wrong_source)" -ge 45 ]'
check "media crossed DPDK: port a relayed >= 480" '[ "$(stat a relayed)" -ge 480 ]'
check "media crossed DPDK: port c relayed >= 480" '[ "$(stat c relayed)" -ge 480 ]'
check "the kernel's traffic went through the tap (punted and from_kernel on port a)" '[ "$(stat a punted)" -ge 3 ] && [ "$(stat a from_kernel)" -ge 3 ]'
check "no mbuf leaked (as many lent at the end as at the start)" 'grep -Eq "^mbufs in_use=([0-9]+) at_start=\1 " "$work/dp.out"'
exit $fail
