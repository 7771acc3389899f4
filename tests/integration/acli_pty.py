#!/usr/bin/env python3
"""Drives a real program on a pseudo-terminal from a script of keystrokes and expectations.

    acli_pty.py STEPS TRANSCRIPT -- COMMAND ARGS...

STEPS holds one step per line:
    > text     type text (\\t is TAB, \\r is Enter, \\\\ a backslash)
    < text     wait (5 s at most) until text appears in the output since the last '<'
    ! text     the output since the last '<' must not hold text (checked at the next '<')
    # ...      a comment
Escape sequences of the terminal are removed before matching. Exits 1 at the first unmet
expectation, naming it; the whole session is written to TRANSCRIPT either way.
"""
import fcntl, os, pty, re, select, signal, struct, sys, termios, time

ANSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Za-z0-9]|\x1b[=>]|\r|\x07|\x08")


def unescape(s):
    return s.replace("\\\\", "\0").replace("\\t", "\t").replace("\\r", "\r").replace("\0", "\\")


def main():
    steps_file, transcript_file = sys.argv[1], sys.argv[2]
    cmd = sys.argv[sys.argv.index("--") + 1:]
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm"
        os.execvp(cmd[0], cmd)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    raw = b""
    mark = 0  # where, in the cleaned output, what the next '<' searches begins
    forbidden = []

    def read_for(seconds):
        nonlocal raw
        end = time.time() + seconds
        while time.time() < end:
            r, _, _ = select.select([fd], [], [], 0.05)
            if r:
                try:
                    data = os.read(fd, 4096)
                except OSError:
                    return False
                if not data:
                    return False
                raw += data
        return True

    def clean(b):
        return ANSI.sub(b"", b).decode("utf-8", "replace")

    status, why = 0, ""
    for n, line in enumerate(open(steps_file, encoding="utf-8"), 1):
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        op, text = line[0], unescape(line[2:])
        if op == ">":
            for ch in text:  # typed, not pasted: libedit sees each key
                os.write(fd, ch.encode())
                read_for(0.02)
        elif op == "!":
            forbidden.append((n, text))
        elif op == "<":
            deadline = time.time() + 5
            while text not in clean(raw)[mark:] and time.time() < deadline:
                if not read_for(0.1):
                    break
            seen = clean(raw)[mark:]
            for fn, f in forbidden:
                if f in seen:
                    status, why = 1, f"line {fn}: '{f}' appeared"
            forbidden = []
            if status:
                break
            if text not in seen:
                status, why = 1, f"line {n}: '{text}' did not appear"
                break
            mark += seen.index(text) + len(text)
    read_for(0.3)
    with open(transcript_file, "w", encoding="utf-8") as t:
        t.write(clean(raw))
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    if status:
        print("acli_pty: " + why, file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
