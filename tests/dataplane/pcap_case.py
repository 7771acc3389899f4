#!/usr/bin/env python3
"""The pcap test of the fast path: frames in, frames out, compared byte for byte.

  pcap_case.py gen DIR                  writes a_in.pcap, b_in.pcap, empty.pcap and flows.txt
  pcap_case.py check DIR STATS_FILE     compares a_out/b_out/punt pcaps and palisade-dp's counters

The expected frames are computed here from scratch (full checksums, not incremental), so the
test checks the relay's arithmetic against a second, independent implementation."""
import ipaddress
import struct
import sys
from pathlib import Path

MAC_PEER_A = bytes.fromhex("020000000009")  # the access endpoint (or its NAT router)
MAC_CORE = bytes.fromhex("020000000109")     # next hop of the core endpoint, given in the flow
MAC_SBC_A = bytes.fromhex("02aa00000001")     # what peers send to; the relay does not check it


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def udp4(src, dst, sport, dport, payload, ttl=64, udp_csum=True, options=b"", flags_frag=0, total_fix=None):
    s, d = ipaddress.IPv4Address(src).packed, ipaddress.IPv4Address(dst).packed
    udp_len = 8 + len(payload)
    c = 0
    if udp_csum:
        pseudo = s + d + struct.pack("!BBH", 0, 17, udp_len)
        c = csum(pseudo + struct.pack("!HHHH", sport, dport, udp_len, 0) + payload) or 0xFFFF
    udp = struct.pack("!HHHH", sport, dport, udp_len, c) + payload
    ihl = 5 + len(options) // 4
    total = total_fix if total_fix is not None else ihl * 4 + len(udp)
    hdr = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0xB8, total, 0x1234, flags_frag, ttl, 17, 0, s, d) + options
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return hdr + udp


def udp6(src, dst, sport, dport, payload, hop=64):
    s, d = ipaddress.IPv6Address(src).packed, ipaddress.IPv6Address(dst).packed
    udp_len = 8 + len(payload)
    pseudo = s + d + struct.pack("!IxxxB", udp_len, 17)
    c = csum(pseudo + struct.pack("!HHHH", sport, dport, udp_len, 0) + payload) or 0xFFFF
    udp = struct.pack("!HHHH", sport, dport, udp_len, c) + payload
    return struct.pack("!IHBB", 0x60000000, udp_len, 17, hop) + s + d + udp


def eth(dst, src, ethertype, payload):
    return dst + src + struct.pack("!H", ethertype) + payload


def rtp(seq, size=172):
    body = struct.pack("!BBHII", 0x80, 0, seq, seq * 160, 0x1234ABCD)
    return body + bytes((seq + i) & 0xFF for i in range(size - len(body)))


def write_pcap(path, frames):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i, fr in enumerate(frames):
            f.write(struct.pack("<IIII", 1700000000, i, len(fr), len(fr)) + fr)


def read_pcap(path):
    data = Path(path).read_bytes()
    out, off = [], 24
    while off + 16 <= len(data):
        _, _, incl, _ = struct.unpack("<IIII", data[off:off + 16])
        out.append(data[off + 16:off + 16 + incl])
        off += 16 + incl
    return out


FLOWS = """\
# 0: access -> core, restricted latching to the SDP address 10.0.0.9
in=a local=10.0.0.1:20000 out=b source=10.1.0.1:30000 dest=10.1.0.9:4000 mac=02:00:00:00:01:09 latch=restricted allowed=10.0.0.9 reverse=1
# 1: core -> access: where to send is what flow 0 latches (SDP said :5000; the NAT maps it to :5004)
in=b local=10.1.0.1:30000 out=a source=10.0.0.1:20000 dest=10.0.0.9:5000 latch=off
# 2: IPv6, latching from anyone
in=a local=[fd00::1]:20002 out=b source=[fd01::1]:30002 dest=[fd01::9]:4002 mac=02:00:00:00:01:09 latch=unrestricted
# 3: a destination whose MAC nobody has resolved
in=a local=10.0.0.1:20004 out=b source=10.1.0.1:30004 dest=10.1.0.9:4004 latch=off
"""


def cases():
    """(frame arriving on port a, what must happen to it) in arrival order."""
    a, sbc = MAC_PEER_A, MAC_SBC_A
    v4 = lambda *args, **kw: eth(sbc, a, 0x0800, udp4(*args, **kw))
    out = []
    out.append((v4("10.0.0.9", "10.0.0.1", 5004, 20000, rtp(1)), "relay0"))  # latches flow 0
    for seq in range(2, 6):
        out.append((v4("10.0.0.9", "10.0.0.1", 5004, 20000, rtp(seq, 100 + seq * 30)), "relay0"))
    out.append((v4("10.0.0.66", "10.0.0.1", 5004, 20000, rtp(6)), "wrong_source"))
    out.append((v4("10.0.0.9", "10.0.0.1", 6000, 20000, rtp(7)), "wrong_source"))  # new port, no relatch
    out.append((v4("10.0.0.9", "10.0.0.1", 5060, 5060, b"OPTIONS sip:10.0.0.1 SIP/2.0\r\n\r\n"), "punt"))
    arp = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, a, bytes([10, 0, 0, 9]), bytes(6), bytes([10, 0, 0, 1]))
    out.append((eth(b"\xff" * 6, a, 0x0806, arp), "punt"))
    icmp = bytearray(udp4("10.0.0.9", "10.0.0.1", 0, 0, b"ping"))
    icmp[9] = 1  # protocol ICMP: not UDP, whatever follows
    out.append((eth(sbc, a, 0x0800, bytes(icmp)), "punt"))
    tcp = bytearray(udp4("10.0.0.9", "10.0.0.1", 5060, 20000, b"x" * 20))
    tcp[9] = 6
    out.append((eth(sbc, a, 0x0800, bytes(tcp)), "punt"))
    out.append((v4("10.0.0.9", "10.0.0.1", 5004, 20000, rtp(8), options=b"\x01\x01\x01\x00"), "punt"))  # IP options
    out.append((v4("10.0.0.9", "10.0.0.1", 5004, 20000, rtp(9), flags_frag=0x2000), "punt"))  # more fragments
    out.append((v4("10.0.0.9", "10.0.0.1", 5004, 20000, rtp(10), flags_frag=0x0010), "punt"))  # a later fragment
    good = v4("10.0.0.9", "10.0.0.1", 5004, 20000, rtp(11))
    out.append((good[:14 + 12], "malformed"))                       # cut inside the IP header
    out.append((b"\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a", "malformed"))  # shorter than Ethernet
    out.append((v4("10.0.0.9", "10.0.0.1", 5004, 20000, rtp(12), total_fix=1400), "malformed"))  # length beyond frame
    bad_udp = bytearray(good)
    struct.pack_into("!H", bad_udp, 14 + 20 + 4, 4000)  # UDP length beyond IP
    out.append((bytes(bad_udp), "malformed"))
    out.append((v4("10.0.0.9", "10.0.0.1", 5004, 20000, rtp(13), ttl=1), "ttl_exceeded"))
    out.append((v4("10.0.0.9", "10.0.0.1", 5004, 20000, rtp(14), udp_csum=False), "relay0"))  # checksum 0 stays 0
    out.append((v4("10.0.0.9", "10.0.0.1", 5004, 20004, rtp(15)), "unresolved"))
    out.append((v4("10.0.0.9", "10.0.0.1", 5004, 20006, rtp(16)), "punt"))  # no flow on that port
    v6 = eth(sbc, a, 0x86DD, udp6("fd00::9", "fd00::1", 7000, 20002, rtp(17)))
    out.append((v6, "relay2"))
    out.append((eth(sbc, a, 0x86DD, udp6("fd00::9", "fd00::1", 7000, 20002, rtp(18), hop=1)), "ttl_exceeded"))
    out.append((b"\xff" * 6 + a + b"\x81\x00\x00\x05\x08\x00" + good[14:], "punt"))  # VLAN tag
    return out


def b_frames():
    """Port b: the core endpoint answers towards the SBC's core address (flow 1)."""
    return [eth(MAC_SBC_A, MAC_CORE, 0x0800, udp4("10.1.0.9", "10.1.0.1", 4000, 30000, rtp(100 + i))) for i in range(3)]


def expected_relay(frame, src_mac, dst_mac, src, dst, sport, dport):
    """The frame as the SBC must send it, built anew from its payload."""
    etype = struct.unpack("!H", frame[12:14])[0]
    if etype == 0x0800:
        ihl = (frame[14] & 0x0F) * 4
        ttl = frame[14 + 8]
        udp = frame[14 + ihl:]
        had_csum = struct.unpack("!H", udp[6:8])[0] != 0
        payload = udp[8:struct.unpack("!H", udp[4:6])[0]]
        ip = udp4(src, dst, sport, dport, payload, ttl=ttl - 1, udp_csum=had_csum)
        # keep the original identification and TOS: rebuild only what the relay may change
        ip = bytearray(ip)
        ip[1] = frame[15]
        ip[4:6] = frame[18:20]
        ip[10:12] = b"\0\0"
        ip[10:12] = struct.pack("!H", csum(bytes(ip[:20])))
        return eth(dst_mac, src_mac, 0x0800, bytes(ip))
    hop = frame[14 + 7]
    payload = frame[14 + 40 + 8:]
    return eth(dst_mac, src_mac, 0x86DD, udp6(src, dst, sport, dport, payload, hop=hop - 1))


def gen(d):
    d = Path(d)
    d.mkdir(parents=True, exist_ok=True)
    write_pcap(d / "a_in.pcap", [f for f, _ in cases()])
    write_pcap(d / "b_in.pcap", b_frames())
    write_pcap(d / "empty.pcap", [])
    (d / "flows.txt").write_text(FLOWS)


def parse_stats(path):
    ports, flows = {}, {}
    for line in Path(path).read_text().splitlines():
        w = line.split()
        if w and w[0] == "port":
            ports[w[1]] = {k: v for k, v in (x.split("=") for x in w[2:])}
        elif w and w[0] == "flow":
            flows[int(w[1])] = {k: v for k, v in (x.split("=") for x in w[2:])}
    return ports, flows


def check(d, stats):
    d = Path(d)
    ports, flows = parse_stats(stats)
    mac_a = bytes.fromhex(ports["a"]["mac"].replace(":", ""))
    mac_b = bytes.fromhex(ports["b"]["mac"].replace(":", ""))
    exp_b, exp_punt, exp_a = [], [], []
    drops = {"malformed": 0, "wrong_source": 0, "unresolved": 0, "ttl_exceeded": 0}
    for frame, fate in cases():
        if fate == "relay0":
            exp_b.append(expected_relay(frame, mac_b, MAC_CORE, "10.1.0.1", "10.1.0.9", 30000, 4000))
        elif fate == "relay2":
            exp_b.append(expected_relay(frame, mac_b, MAC_CORE, "fd01::1", "fd01::9", 30002, 4002))
        elif fate == "punt":
            exp_punt.append(frame)
        else:
            drops[fate] += 1
    for frame in b_frames():  # to where flow 0 latched: the NAT's port 5004, the MAC it came from
        exp_a.append(expected_relay(frame, mac_a, MAC_PEER_A, "10.0.0.1", "10.0.0.9", 20000, 5004))

    failures = []

    def compare(name, expected):
        got = read_pcap(d / name)
        if len(got) != len(expected):
            failures.append(f"{name}: {len(got)} frames, expected {len(expected)}")
        for i, (g, e) in enumerate(zip(got, expected)):
            if g != e:
                at = next(j for j in range(min(len(g), len(e)) + 1) if j >= min(len(g), len(e)) or g[j] != e[j])
                failures.append(f"{name} frame {i}: differs at byte {at}: got {g[at:at+8].hex()} expected {e[at:at+8].hex()}")

    compare("b_out.pcap", exp_b)
    compare("a_out.pcap", exp_a)
    compare("punt.pcap", exp_punt)
    pa = ports["a"]
    for reason, n in drops.items():
        if int(pa["drop_" + reason]) != n:
            failures.append(f"port a drop_{reason}={pa['drop_' + reason]}, expected {n}")
    if int(pa["punted"]) != len(exp_punt):
        failures.append(f"port a punted={pa['punted']}, expected {len(exp_punt)}")
    if int(pa["rx"]) != len(cases()):
        failures.append(f"port a rx={pa['rx']}, expected {len(cases())}")
    want = {0: (sum(1 for _, f in cases() if f == "relay0"), "1"), 1: (len(b_frames()), "0"), 2: (1, "1"), 3: (0, "0")}
    for slot, (packets, latched) in want.items():
        if flows[slot]["packets"] != str(packets) or flows[slot]["latched"] != latched:
            failures.append(f"flow {slot}: {flows[slot]}, expected packets={packets} latched={latched}")
    if flows[0]["wrong_source"] != "2":
        failures.append(f"flow 0 wrong_source={flows[0]['wrong_source']}, expected 2")
    for f in failures:
        print("FAIL", f)
    print(f"pcap case: {len(exp_b)} + {len(exp_a)} relayed, {len(exp_punt)} punted, {sum(drops.values())} dropped;",
          "all as expected" if not failures else f"{len(failures)} differences")
    return 1 if failures else 0


if __name__ == "__main__":
    if sys.argv[1] == "gen":
        gen(sys.argv[2])
    else:
        sys.exit(check(sys.argv[2], sys.argv[3]))
