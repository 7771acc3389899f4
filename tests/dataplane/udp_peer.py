#!/usr/bin/env python3
"""A media endpoint for the data-plane lab: sends COUNT RTP-sized datagrams from BIND to TO
every INTERVAL seconds while counting what it receives, then prints one line:
  sent=N received=M sources=IP:PORT[,IP:PORT...]
Received datagrams are counted until LINGER seconds after the last send."""
import argparse
import socket
import struct
import time

ap = argparse.ArgumentParser()
ap.add_argument("--bind", required=True)
ap.add_argument("--to", required=True)
ap.add_argument("--count", type=int, default=200)
ap.add_argument("--interval", type=float, default=0.01)
ap.add_argument("--linger", type=float, default=1.0)
ap.add_argument("--size", type=int, default=172)
a = ap.parse_args()

def addr(s):
    host, port = s.rsplit(":", 1)
    return host, int(port)

sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.bind(addr(a.bind))
sock.setblocking(False)
to = addr(a.to)
received, sources = 0, set()
deadline_send = time.monotonic()
sent = 0
end = None
while True:
    now = time.monotonic()
    if sent < a.count and now >= deadline_send:
        body = struct.pack("!BBHII", 0x80, 0, sent, sent * 160, 0xC0FFEE) + bytes(a.size - 12)
        sock.sendto(body, to)
        sent += 1
        deadline_send = now + a.interval
        if sent == a.count:
            end = now + a.linger
    try:
        while True:
            data, src = sock.recvfrom(4096)
            received += 1
            sources.add("%s:%d" % src)
    except BlockingIOError:
        pass
    if end is not None and now >= end:
        break
    time.sleep(0.001)
print("sent=%d received=%d sources=%s" % (sent, received, ",".join(sorted(sources)) or "-"))
