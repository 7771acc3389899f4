#!/usr/bin/env python3
"""Sends SIP to HOST PORT and prints the first line of each answer (or 'no answer').

    sip_probe.py HOST PORT FILE|-          one UDP datagram
    sip_probe.py --tcp HOST PORT FILE|-    the bytes on one TCP connection, in one write;
                                           every answer's first line, then 'closed' if the
                                           SBC closed the connection
LF line ends are turned into CRLF.
"""
import socket
import sys

args = sys.argv[1:]
tcp = args[0] == "--tcp"
if tcp:
    args = args[1:]
host, port, src = args[0], int(args[1]), args[2]
text = sys.stdin.read() if src == "-" else open(src).read()
data = text.replace("\r\n", "\n").replace("\n", "\r\n").encode()
if tcp:
    s = socket.create_connection((host, port), timeout=2.0)
    s.sendall(data)
    got = b""
    try:
        while True:
            chunk = s.recv(65535)
            if not chunk:
                got += b"\x00closed"
                break
            got += chunk
    except socket.timeout:
        pass
    for part in got.split(b"\r\n\r\n"):
        if part.startswith(b"SIP/2.0"):
            print(part.decode(errors="replace").split("\r\n", 1)[0])
    if got.endswith(b"\x00closed"):
        print("closed")
    if not got:
        print("no answer")
    sys.exit(0)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(2.0)
s.bind(("0.0.0.0", 0))
s.sendto(data, (host, port))
try:
    answer, _ = s.recvfrom(65535)
    print(answer.decode(errors="replace").split("\r\n", 1)[0])
except socket.timeout:
    print("no answer")
