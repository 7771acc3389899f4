#!/usr/bin/env python3
"""Prints the SIP messages of one or more captures as a ladder diagram, one column per host.

    scripts/ladder.py access.pcap core.pcap [--hosts 10.10.1.10,10.10.1.1,...] [--skip OPTIONS]

Reads the captures with tshark (merged by time); a message is drawn as an arrow from its
sender's column to its receiver's, labelled with its request method or status line. The SBC
has one address per realm: --hosts may name several addresses as one column with '+'
(e.g. 10.10.1.1+10.10.2.1).
"""
import argparse
import subprocess
import sys


def messages(pcaps):
    rows = []
    for pcap in pcaps:
        out = subprocess.run(
            ["tshark", "-r", pcap, "-Y", "sip", "-T", "fields", "-E", "separator=\t",
             "-e", "frame.time_epoch", "-e", "ip.src", "-e", "ip.dst",
             "-e", "sip.Request-Line", "-e", "sip.Status-Line", "-e", "sip.CSeq"],
            capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            f = (line.split("\t") + [""] * 6)[:6]
            if f[0]:
                rows.append(f)
    rows.sort(key=lambda r: float(r[0]))
    return rows


def label(req, status, cseq):
    if req:
        return req.split(" ")[0]
    words = status.split(" ", 2)
    method = cseq.split(" ")[-1] if cseq else ""
    return " ".join(words[1:3]) + (f" ({method})" if method else "")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("pcaps", nargs="+")
    ap.add_argument("--hosts", help="column order, comma-separated; '+' joins addresses")
    ap.add_argument("--width", type=int, default=26)
    ap.add_argument("--names", help="column titles, comma-separated, in --hosts order")
    ap.add_argument("--after", type=float, default=0.0, help="only messages from this epoch time on")
    ap.add_argument("--skip", default="", help="methods left out, with their responses (e.g. OPTIONS)")
    args = ap.parse_args()
    skip = {m for m in args.skip.split(",") if m}
    rows = [r for r in messages(args.pcaps) if (r[5].split(" ")[-1] if r[5] else "") not in skip and float(r[0]) >= args.after]
    columns = []
    if args.hosts:
        columns = [c.split("+") for c in args.hosts.split(",")]
    column_of = {a: i for i, c in enumerate(columns) for a in c}
    for r in rows:
        for a in (r[1], r[2]):
            if a not in column_of:
                column_of[a] = len(columns)
                columns.append([a])
    w = args.width
    names = args.names.split(",") if args.names else []
    titles = [names[i] if i < len(names) else c[0] for i, c in enumerate(columns)]
    print("".join(t.ljust(w) for t in titles).rstrip())
    for r in rows:
        s, d = column_of[r[1]], column_of[r[2]]
        if s == d:
            continue
        lo, hi = min(s, d), max(s, d)
        text = label(r[3], r[4], r[5])
        line = [" "] * (w * len(columns))
        for i in range(len(columns)):
            line[i * w] = "|"
        span = (hi - lo) * w - 1
        arrow = ("-" * span) if span > 0 else ""
        arrow = (arrow[:-1] + ">") if d > s else ("<" + arrow[1:])
        mid = max(1, (span - len(text)) // 2)
        arrow = arrow[:mid] + text[: max(0, span - mid - 1)] + arrow[mid + len(text):]
        for i, ch in enumerate(arrow[:span]):
            line[lo * w + 1 + i] = ch
        print("".join(line).rstrip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
