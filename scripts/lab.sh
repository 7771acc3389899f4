#!/usr/bin/env bash
# The lab: three network namespaces joined by veth pairs, addresses only inside them.
#
#   pal-acc   10.10.1.10, .11  (callers: SIPp, baresip)     -- acc0 <-> sbca --
#   pal-sbc   10.10.1.1 on sbca, 10.10.2.1 on sbcc (sbcd)   -- sbcc <-> core0 --
#   pal-core  10.10.2.10, .11  (callees: two session agents)
#
# pal-sbc does not forward IP: access and core can reach each other only through sbcd.
# `up` gives sbca/sbcc the SBC's addresses for sbcd's kernel sockets (conf/lab.cfg). `up dpdk`
# leaves them without addresses for DPDK's net_af_packet ports; sbcd puts 10.10.1.1 and
# 10.10.2.1 on its taps instead (conf/lab-dpdk.cfg), and the veths neither answer ARP nor accept
# what arrives for the taps' addresses (lab notes), so SIP reaches sbcd only through DPDK.
# In dpdk mode the access network also holds a NAT: acc0 is a bridge joining the callers, the
# SBC and the NAT's outside (pal-nat, 10.10.1.20, nftables masquerade); behind it pal-home
# (192.168.50.10) is a caller as a home router hides it.
#
#   scripts/lab.sh up [dpdk]|down|status      (as root; `up` is idempotent)
set -euo pipefail
cmd=${1:-status}
mode=${2:-kernel}
ns_acc=pal-acc ns_sbc=pal-sbc ns_core=pal-core ns_nat=pal-nat ns_home=pal-home

exists() { ip netns list | grep -qw "$1"; }

up() {
  local have=kernel
  ip -n $ns_sbc -4 -o addr show sbca 2>/dev/null | grep -q 10.10.1.1 || have=dpdk
  if exists $ns_sbc && ip -n $ns_sbc link show sbca >/dev/null 2>&1 && ip -n $ns_sbc link show sbcc >/dev/null 2>&1 &&
     [ "$have" = "$mode" ]; then
    return 0
  fi
  down
  for ns in $ns_acc $ns_sbc $ns_core; do
    ip netns add $ns
    ip -n $ns link set lo up
  done
  if [ "$mode" = kernel ]; then
    ip link add acc0 netns $ns_acc type veth peer name sbca netns $ns_sbc
  else
    ip -n $ns_acc link add acc0 type bridge
    ip link add acc-sbc netns $ns_acc type veth peer name sbca netns $ns_sbc
    ip -n $ns_acc link set acc-sbc master acc0
    ip -n $ns_acc link set acc-sbc up
    nat_up
  fi
  ip link add sbcc netns $ns_sbc type veth peer name core0 netns $ns_core
  ip -n $ns_acc addr add 10.10.1.10/24 dev acc0
  ip -n $ns_acc addr add 10.10.1.11/24 dev acc0
  if [ "$mode" = kernel ]; then
    ip -n $ns_sbc addr add 10.10.1.1/24 dev sbca
    ip -n $ns_sbc addr add 10.10.2.1/24 dev sbcc
  else
    for v in sbca sbcc; do
      ip netns exec $ns_sbc sysctl -qw net.ipv6.conf.$v.disable_ipv6=1 net.ipv4.conf.$v.arp_ignore=8 \
        net.ipv4.conf.$v.rp_filter=1
    done
    ip netns exec $ns_sbc sysctl -qw net.ipv4.conf.all.rp_filter=1
    # veth leaves UDP checksums to offload, which nothing completes on the way through DPDK
    ip netns exec $ns_acc ethtool -K acc0 tx off >/dev/null
    ip netns exec $ns_core ethtool -K core0 tx off >/dev/null
  fi
  ip -n $ns_core addr add 10.10.2.10/24 dev core0
  ip -n $ns_core addr add 10.10.2.11/24 dev core0
  for pair in "$ns_acc acc0" "$ns_sbc sbca" "$ns_sbc sbcc" "$ns_core core0"; do
    set -- $pair
    ip -n "$1" link set "$2" up
  done
  ip netns exec $ns_sbc sysctl -qw net.ipv4.ip_forward=0
}

nat_up() {  # a home router between pal-home and the access network
  for ns in $ns_nat $ns_home; do
    ip netns add $ns
    ip -n $ns link set lo up
  done
  ip link add acc-nat netns $ns_acc type veth peer name wan0 netns $ns_nat
  ip -n $ns_acc link set acc-nat master acc0
  ip link add lan0 netns $ns_nat type veth peer name home0 netns $ns_home
  ip -n $ns_nat addr add 10.10.1.20/24 dev wan0
  ip -n $ns_nat addr add 192.168.50.1/24 dev lan0
  ip -n $ns_home addr add 192.168.50.10/24 dev home0
  for pair in "$ns_acc acc-nat" "$ns_nat wan0" "$ns_nat lan0" "$ns_home home0"; do
    set -- $pair
    ip -n "$1" link set "$2" up
    ip netns exec "$1" ethtool -K "$2" tx off >/dev/null
  done
  ip -n $ns_home route add default via 192.168.50.1
  ip netns exec $ns_nat sysctl -qw net.ipv4.ip_forward=1
  ip netns exec $ns_nat nft -f - <<'NFT'
table ip nat {
  chain post { type nat hook postrouting priority srcnat; oifname "wan0" masquerade; }
}
NFT
}

down() {
  for ns in $ns_acc $ns_sbc $ns_core $ns_nat $ns_home; do
    if exists $ns; then
      # end whatever still runs in the namespace before removing it
      for pid in $(ip netns pids $ns 2>/dev/null); do kill "$pid" 2>/dev/null || true; done
      ip netns del $ns
    fi
  done
}

status() {
  for ns in $ns_acc $ns_sbc $ns_core $ns_nat $ns_home; do
    if exists $ns; then
      echo "$ns: $(ip -n $ns -4 -o addr show | awk '$2 != "lo" {print $2, $4}' | tr '\n' ' ')"
    else
      echo "$ns: absent"
    fi
  done
}

case "$cmd" in
  up) [ "$mode" = kernel ] || [ "$mode" = dpdk ] || { echo "usage: $0 up [dpdk]" >&2; exit 2; }; up; status ;;
  down) down ;;
  status) status ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
