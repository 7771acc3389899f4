#!/usr/bin/env python3
"""Floods a SIP port with UDP datagrams from one source, for a bounded time and count, and
counts the answers. Kinds: 'garbage' (alternately bytes that are no SIP at all and requests
that are malformed), 'options' (well-formed OPTIONS, each with its own Call-ID).

    sip_flood.py --bind 10.10.1.66 --to 10.10.1.1:5060 --kind garbage --seconds 8 --max 200000 [--rate 12000]

Prints one line: sent=N seconds=S answers=M first_answer_s=T last_answer_s=T (S: how long the
sending took; times from the start).
"""
import argparse
import os
import socket
import time


def options(i, host, port):
    return (f"OPTIONS sip:ping@{host}:{port} SIP/2.0\r\n"
            f"Via: SIP/2.0/UDP {args.bind}:{args.port};branch=z9hG4bK-flood-{i}\r\n"
            f"From: <sip:scan@{args.bind}>;tag=f{i}\r\nTo: <sip:ping@{host}>\r\n"
            f"Call-ID: flood-{i}@{args.bind}\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\n"
            "Content-Length: 0\r\n\r\n").encode()


def garbage(i, host, port):
    if i % 2:
        return os.urandom(64)
    # Parses as far as the headers a 400 needs, then fails on Max-Forwards: answerable.
    return (f"INVITE sip:x@{host} SIP/2.0\r\nVia: SIP/2.0/UDP {args.bind}:{args.port};branch=z9hG4bK{i}\r\n"
            f"From: <sip:a@{args.bind}>;tag=g{i}\r\nTo: <sip:x@{host}>\r\nCall-ID: bad-{i}@{args.bind}\r\n"
            "CSeq: 1 INVITE\r\nMax-Forwards: seventy\r\nContent-Length: 0\r\n\r\n").encode()


p = argparse.ArgumentParser()
p.add_argument("--bind", required=True)
p.add_argument("--port", type=int, default=5099)
p.add_argument("--to", required=True)
p.add_argument("--kind", choices=["garbage", "options"], required=True)
p.add_argument("--seconds", type=float, default=8)
p.add_argument("--max", type=int, default=200000)
p.add_argument("--rate", type=float, default=0, help="datagrams per second; 0 = as fast as it can")
args = p.parse_args()
host, port = args.to.rsplit(":", 1)
port = int(port)
make = options if args.kind == "options" else garbage

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((args.bind, args.port))
s.setblocking(False)
start = time.monotonic()
sent = answers = 0
first = last = -1.0
while sent < args.max and time.monotonic() - start < args.seconds:
    if not args.rate or sent < args.rate * (time.monotonic() - start):
        try:
            s.sendto(make(sent, host, port), (host, port))
            sent += 1
        except BlockingIOError:
            pass
    else:
        time.sleep(0.0005)  # ahead of the rate: let the clock catch up
    while True:
        try:
            s.recv(65535)
        except BlockingIOError:
            break
        now = time.monotonic() - start
        answers += 1
        first = now if first < 0 else first
        last = now
sending = time.monotonic() - start
# What is still on its way back.
deadline = time.monotonic() + 1.0
s.setblocking(True)
s.settimeout(0.2)
while time.monotonic() < deadline:
    try:
        s.recv(65535)
        answers += 1
        last = time.monotonic() - start
    except socket.timeout:
        break
print(f"sent={sent} seconds={sending:.2f} answers={answers} first_answer_s={first:.2f} last_answer_s={last:.2f}")
