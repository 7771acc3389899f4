#!/usr/bin/env python3
"""Holds back frames so that they arrive out of order: nftables' netdev egress hook on a lab
interface dup's a random share of what it sends to a veth (and drops the original); this reads
each frame off the veth's other end, keeps it for a random --min..--max milliseconds and sends
it out of the lab interface again with SO_MARK --mark, which the hook lets pass. Frames that
were sent after it overtake it: reordering, which the kernel here cannot do (no sch_netem).
The hook sees a UDP datagram before its checksum is filled in (left to offload), so the copy's
checksum is computed here.

    reorder.py --tap imp-b --out acc-sbc --mark 0x42 --min 10 --max 60
"""
import argparse
import heapq
import random
import select
import signal
import socket
import sys
import time

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4

p = argparse.ArgumentParser()
p.add_argument("--tap", required=True)
p.add_argument("--out", required=True)
p.add_argument("--mark", type=lambda s: int(s, 0), default=0x42)
p.add_argument("--min", type=float, default=10)
p.add_argument("--max", type=float, default=60)
args = p.parse_args()

rx = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
rx.bind((args.tap, 0))
tx = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
tx.setsockopt(socket.SOL_SOCKET, socket.SO_MARK, args.mark)
tx.bind((args.out, 0))
def ones_complement(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data), 2))
    while total >> 16:
        total = (total & 0xffff) + (total >> 16)
    return total


def with_udp_checksum(frame):
    """The frame with its UDP checksum (IPv4 or IPv6) computed; other frames unchanged."""
    etype = int.from_bytes(frame[12:14], "big")
    if etype == 0x0800 and frame[23] == 17:
        l4 = 14 + (frame[14] & 0x0f) * 4
        length = int.from_bytes(frame[16:18], "big") - (l4 - 14)
        pseudo = frame[26:34] + b"\0\x11" + length.to_bytes(2, "big")
    elif etype == 0x86dd and frame[20] == 17:
        l4 = 54
        length = int.from_bytes(frame[18:20], "big")
        pseudo = frame[22:54] + length.to_bytes(4, "big") + b"\0\0\0\x11"
    else:
        return frame
    udp = bytearray(frame[l4:l4 + length])
    udp[6:8] = b"\0\0"
    csum = 0xffff - ones_complement(pseudo + bytes(udp))
    udp[6:8] = (csum or 0xffff).to_bytes(2, "big")
    return frame[:l4] + bytes(udp) + frame[l4 + length:]


held = []  # (due, n, frame)
n = 0


def done(*_):
    print(f"held back {n} frames", flush=True)
    sys.exit(0)


signal.signal(signal.SIGTERM, done)
while True:
    now = time.monotonic()
    while held and held[0][0] <= now:
        tx.send(heapq.heappop(held)[2])
    timeout = max(0.0, held[0][0] - now) if held else None
    if not select.select([rx], [], [], timeout)[0]:
        continue
    frame, addr = rx.recvfrom(65535)
    if addr[2] == PACKET_OUTGOING:
        continue
    n += 1
    heapq.heappush(held, (time.monotonic() + random.uniform(args.min, args.max) / 1000, n, with_udp_checksum(frame)))
