#!/usr/bin/env python3
"""Checks, in a capture of the SBC's core side, that every transferor the SBC released was
sent its BYE only after it had answered the final NOTIFY (docs/transfer.md).

    bye_after_notify.py core.pcap SBC_ADDRESS

Prints how many dialogs were checked; exits 1 naming any dialog where the BYE came first.
"""
import subprocess
import sys


def main():
    pcap, sbc = sys.argv[1], sys.argv[2]
    out = subprocess.run(
        ["tshark", "-r", pcap, "-Y", "sip", "-T", "fields", "-E", "separator=\t",
         "-e", "frame.number", "-e", "ip.src", "-e", "sip.Call-ID", "-e", "sip.Method",
         "-e", "sip.Status-Code", "-e", "sip.CSeq.method", "-e", "sip.Subscription-State"],
        capture_output=True, text=True, check=True).stdout
    final_notify_answered = {}  # Call-ID -> frame of the transferor's 200 to the final NOTIFY
    awaiting = set()            # Call-IDs with a final NOTIFY sent, not yet answered
    checked, bad = 0, []
    for line in out.splitlines():
        f = (line.split("\t") + [""] * 7)[:7]
        frame, src, call_id, method, status, cseq_method, substate = f
        if src == sbc and method == "NOTIFY" and "terminated" in substate:
            awaiting.add(call_id)
        elif src != sbc and status == "200" and cseq_method == "NOTIFY" and call_id in awaiting:
            final_notify_answered.setdefault(call_id, int(frame))
        elif src == sbc and method == "BYE" and call_id in awaiting:
            checked += 1
            if call_id not in final_notify_answered:
                bad.append(call_id)
    print(f"{checked} dialogs with a final NOTIFY and a BYE from the SBC checked")
    for call_id in bad:
        print(f"BYE before the final NOTIFY was answered in {call_id}")
    return 1 if bad or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
