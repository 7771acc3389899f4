#!/usr/bin/env python3
"""Sends one command to a baresip over its ctrl_tcp module and prints the answer.

    baresip_ctl.py HOST PORT COMMAND [PARAMS]     e.g. ... 10.10.2.10 4444 transfer sip:8001@10.10.2.1

ctrl_tcp speaks netstrings holding JSON ({"command", "params", "token"}); the exit status is 0
when baresip answered "ok": true.
"""
import json
import socket
import sys


def main():
    host, port, command = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    params = sys.argv[4] if len(sys.argv) > 4 else ""
    body = json.dumps({"command": command, "params": params, "token": "lab"}).encode()
    with socket.create_connection((host, port), timeout=5) as s:
        s.sendall(str(len(body)).encode() + b":" + body + b",")
        reply = read_netstring(s)
    print(reply)
    try:
        return 0 if json.loads(reply).get("ok") else 1
    except ValueError:
        return 1


def read_netstring(s):
    """The first netstring's payload: "<length>:<payload>,"."""
    head = b""
    while not head.endswith(b":"):
        ch = s.recv(1)
        if not ch:
            return ""
        head += ch
    n = int(head[:-1])
    payload = b""
    while len(payload) < n:
        chunk = s.recv(n - len(payload))
        if not chunk:
            break
        payload += chunk
    return payload.decode(errors="replace")


if __name__ == "__main__":
    sys.exit(main())
