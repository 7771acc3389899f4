#!/usr/bin/env python3
"""Sends one UDP datagram to HOST PORT and prints the first line of the answer (or 'no answer').

    sip_probe.py HOST PORT FILE|-    (the datagram, with LF line ends turned into CRLF)
"""
import socket
import sys

host, port, src = sys.argv[1], int(sys.argv[2]), sys.argv[3]
text = sys.stdin.read() if src == "-" else open(src).read()
data = text.replace("\r\n", "\n").replace("\n", "\r\n").encode()
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(2.0)
s.bind(("0.0.0.0", 0))
s.sendto(data, (host, port))
try:
    answer, _ = s.recvfrom(65535)
    print(answer.decode(errors="replace").split("\r\n", 1)[0])
except socket.timeout:
    print("no answer")
