#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""gen_traffic.py - reproducible benchmark captures and IOC tables.

Captures (classic pcap, Ethernet): UDP/IPv4 frames of a fixed size (64-byte
frames: 60 bytes captured, the FCS is not) or an IMIX (7:4:1 of 64, 570 and
1518 bytes), with a given number of distinct flows; a given share of packets
goes to "hit" addresses (198.18.0.0/15, benchmark range of RFC 2544) that the
IOC tables list, every other destination is in 100.64.0.0/10, which no table
lists. IOC tables mix ip and ip:port indicators from 203.0.0.0/8 and
2001:db8::/32 as filler, plus the hit addresses unless told otherwise.

    gen_traffic.py capture OUT.pcap --packets N --flows F --hit-rate R [--imix] [--seed S]
    gen_traffic.py iocs OUT.txt --count N [--no-hits]
"""
import argparse
import random
import struct
import sys

HIT_ADDRESSES = 1000  # 198.18.0.1 .. 198.18.3.232


def hit_address(i):
    return (198 << 24) | (18 << 16) | (i + 1)


def checksum(hdr):
    s = sum(struct.unpack("!10H", hdr))
    s = (s & 0xFFFF) + (s >> 16)
    s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def frame(src, dst, sport, dport, size):
    """One Ethernet/IPv4/UDP frame of `size` bytes on the wire (size - 4 captured)."""
    cap_len = size - 4
    ip_len = cap_len - 14
    ip = bytearray(struct.pack("!BBHHHBBHII", 0x45, 0, ip_len, 0, 0x4000, 64, 17, 0, src, dst))
    struct.pack_into("!H", ip, 10, checksum(bytes(ip)))
    udp = struct.pack("!HHHH", sport, dport, ip_len - 20, 0)
    eth = b"\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00"
    return eth + bytes(ip) + udp + bytes(ip_len - 28)


def write_capture(path, packets, flows, hit_rate, imix, seed):
    rnd = random.Random(seed)
    sizes = [64] * 7 + [570] * 4 + [1518] if imix else [64]
    # Each flow: (src, dst, sport, dport); hits are whole flows, so a flow matches or not.
    flow_list = []
    nb_hit = int(round(flows * hit_rate))
    for i in range(flows):
        src = (10 << 24) | rnd.getrandbits(24)
        if i < nb_hit:
            dst = hit_address(rnd.randrange(HIT_ADDRESSES))
        else:
            dst = (100 << 24) | (64 << 16) | rnd.getrandbits(22)
        flow_list.append((src, dst, 1024 + rnd.getrandbits(15), 443))
    rnd.shuffle(flow_list)
    ts = 1793527200  # 2026-11-01T10:00:00Z
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for n in range(packets):
            src, dst, sport, dport = flow_list[n % flows]
            data = frame(src, dst, sport, dport, sizes[n % len(sizes)])
            f.write(struct.pack("<IIII", ts + n // 1000000, n % 1000000, len(data), len(data)))
            f.write(data)


def write_iocs(path, count, hits):
    rnd = random.Random(7)
    lines = []
    if hits:
        for i in range(min(HIT_ADDRESSES, count)):
            a = hit_address(i)
            lines.append("%d.%d.%d.%d" % (a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255))
    seen = set()
    while len(lines) < count:
        a = (203 << 24) | rnd.getrandbits(24)
        kind = rnd.random()
        if kind < 0.1:
            text = "[2001:db8:%x:%x::%x]:%d" % (rnd.getrandbits(16), rnd.getrandbits(16),
                                             rnd.getrandbits(16), 1 + rnd.getrandbits(15))
        elif kind < 0.6:
            text = "%d.%d.%d.%d:%d" % (a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255,
                                       1 + rnd.getrandbits(15))
        else:
            text = "%d.%d.%d.%d" % (a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255)
        if text not in seen:
            seen.add(text)
            lines.append(text)
    with open(path, "w") as f:
        f.write("# benchmark IOC table: %d indicators\n" % count)
        f.write("\n".join(lines) + "\n")


def bench_domain(i, hit):
    """Names of the name benchmarks: hits are in the indicator tables, misses never are."""
    return ("c2-%d.bad-example.org" % i) if hit else ("www%d.good-example.com" % i)


def dns_query(name, qid):
    q = b"".join(bytes([len(l)]) + l.encode() for l in name.split(".")) + b"\0"
    return struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0) + q + struct.pack("!HH", 1, 1)


def client_hello(name):
    host = name.encode()
    sni = struct.pack("!HBH", len(host) + 3, 0, len(host)) + host
    ext = struct.pack("!HH", 0, len(sni)) + sni
    body = (b"\x03\x03" + bytes(32) + b"\x00" + struct.pack("!H", 4) + b"\x13\x01\x13\x02" + b"\x01\x00" +
            struct.pack("!H", len(ext)) + ext)
    hs = b"\x01" + struct.pack("!I", len(body))[1:] + body
    return b"\x16\x03\x01" + struct.pack("!H", len(hs)) + hs


def l4_frame(src, dst, proto, l4, payload):
    ip_len = 20 + len(l4) + len(payload)
    ip = bytearray(struct.pack("!BBHHHBBHII", 0x45, 0, ip_len, 0, 0x4000, 64, proto, 0, src, dst))
    struct.pack_into("!H", ip, 10, checksum(bytes(ip)))
    frame = b"\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00" + bytes(ip) + l4 + payload
    return frame + bytes(max(0, 60 - len(frame)))


def write_names_capture(path, packets, kind, hit_rate, seed):
    """DNS queries (UDP 53) or TLS ClientHellos (TCP 443, one segment), some for indicator names."""
    rnd = random.Random(seed)
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for n in range(packets):
            hit = rnd.random() < hit_rate
            name = bench_domain(rnd.randrange(1000 if hit else 1000000), hit)
            src = (10 << 24) | rnd.getrandbits(24)
            dst = (100 << 24) | (64 << 16) | rnd.getrandbits(22)
            sport = 1024 + rnd.getrandbits(15)
            if kind == "dns":
                payload = dns_query(name, n & 0xFFFF)
                l4 = struct.pack("!HHHH", sport, 53, 8 + len(payload), 0)
                data = l4_frame(src, dst, 17, l4, payload)
            else:
                payload = client_hello(name)
                l4 = struct.pack("!HHIIBBHHH", sport, 443, 1, 1, 0x50, 0x18, 64240, 0, 0)
                data = l4_frame(src, dst, 6, l4, payload)
            f.write(struct.pack("<IIII", 1793527200 + n // 1000000, n % 1000000, len(data), len(data)))
            f.write(data)


def write_domains(path, count):
    with open(path, "w") as f:
        f.write("# benchmark domain indicators: %d\n" % count)
        for i in range(count):
            f.write(bench_domain(i, True) + "\n" if i < 1000 else "filler-%d.bad-example.net\n" % i)


def write_mixed(path, count):
    """A SOC-scale mix: IPv4 and IPv6 addresses, ip:port, CIDRs and domains."""
    rnd = random.Random(11)
    seen = set()
    with open(path, "w") as f:
        f.write("# mixed benchmark indicators: %d\n" % count)
        while len(seen) < count:
            k = rnd.random()
            a = rnd.getrandbits(32)
            q = "%d.%d.%d.%d" % (a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255)
            if k < 0.35:
                text = q
            elif k < 0.60:
                text = "%s:%d" % (q, 1 + rnd.getrandbits(15))
            elif k < 0.70:
                text = "2001:db8:%x:%x::%x" % (rnd.getrandbits(16), rnd.getrandbits(16), rnd.getrandbits(16))
            elif k < 0.80:
                plen = 16 + rnd.getrandbits(3)
                net = a & (0xFFFFFFFF << (32 - plen)) & 0xFFFFFFFF
                text = "%d.%d.%d.%d/%d" % (net >> 24, (net >> 16) & 255, (net >> 8) & 255, net & 255, plen)
            else:
                text = "h%x-%x.example%d.net" % (rnd.getrandbits(32), rnd.getrandbits(16), rnd.getrandbits(6))
            if text not in seen:
                seen.add(text)
                f.write(text + "\n")


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("capture")
    c.add_argument("out")
    c.add_argument("--packets", type=int, required=True)
    c.add_argument("--flows", type=int, required=True)
    c.add_argument("--hit-rate", type=float, default=0.001)
    c.add_argument("--imix", action="store_true")
    c.add_argument("--seed", type=int, default=1)
    n = sub.add_parser("names")
    n.add_argument("out")
    n.add_argument("--kind", choices=["dns", "tls"], required=True)
    n.add_argument("--packets", type=int, default=65536)
    n.add_argument("--hit-rate", type=float, default=0.001)
    n.add_argument("--seed", type=int, default=3)
    dm = sub.add_parser("domains")
    dm.add_argument("out")
    dm.add_argument("--count", type=int, required=True)
    i = sub.add_parser("iocs")
    i.add_argument("out")
    i.add_argument("--count", type=int, required=True)
    i.add_argument("--no-hits", action="store_true")
    i.add_argument("--mixed", action="store_true", help="IPv4, IPv6, ip:port, CIDR and domains")
    a = ap.parse_args(argv)
    if a.cmd == "names":
        write_names_capture(a.out, a.packets, a.kind, a.hit_rate, a.seed)
    elif a.cmd == "domains":
        write_domains(a.out, a.count)
    elif a.cmd == "capture":
        write_capture(a.out, a.packets, a.flows, a.hit_rate, a.imix, a.seed)
    elif a.mixed:
        write_mixed(a.out, a.count)
    else:
        write_iocs(a.out, a.count, not a.no_hits)


if __name__ == "__main__":
    main(sys.argv[1:])
