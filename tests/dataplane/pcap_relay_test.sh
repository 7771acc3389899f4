#!/usr/bin/env bash
# The fast path on net_pcap ports: crafted frames in, the relayed, punted and dropped ones
# checked byte for byte and by counter (pcap_case.py says what each frame must become).
set -euo pipefail
dp=$1
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$here/pcap_case.py" gen "$work"
"$dp" --inline -m 128 --mbufs 4095 --max-flows 64 --until-quiet 300 --stats \
  --port "a=net_pcap_a,rx_pcap=$work/a_in.pcap,tx_pcap=$work/a_out.pcap@net_pcap_punt,rx_pcap=$work/empty.pcap,tx_pcap=$work/punt.pcap" \
  --port "b=net_pcap_b,rx_pcap=$work/b_in.pcap,tx_pcap=$work/b_out.pcap" \
  --flows "$work/flows.txt" >"$work/stats.txt"
cat "$work/stats.txt"
python3 "$here/pcap_case.py" check "$work" "$work/stats.txt"
