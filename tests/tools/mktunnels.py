#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""mktunnels.py - seed-IOC sessions inside VXLAN, GRE, ERSPAN II and GENEVE,
next to clean sessions in the same tunnels. The outer addresses are tunnel
endpoints (192.0.2.0/24, no indicator): with decapsulation on (the default)
exactly the inner flows to 95.85.246.53:443 and 101.109.237.93:7443 are
exported, counted with the whole outer frames' bytes. Writes OUT.pcap and
OUT.expected (inner 5-tuples).

    mktunnels.py OUT.pcap
"""

import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mkpcap as mk  # noqa: E402

VTEP_A, VTEP_B = "192.0.2.1", "192.0.2.2"
VTEP_MAC_A, VTEP_MAC_B = "02:00:00:00:0a:01", "02:00:00:00:0a:02"
HOST_MAC, GW_MAC = "02:00:00:00:00:15", "02:00:00:00:00:fe"
ETH_P_TEB, ETH_P_ERSPAN2 = 0x6558, 0x88BE
IPPROTO_GRE = 47


def outer(payload, proto, forward, ident):
    """The tunnel endpoints' frame: A -> B for the initiator's direction."""
    a, b = (VTEP_A, VTEP_B) if forward else (VTEP_B, VTEP_A)
    ma, mb = (VTEP_MAC_A, VTEP_MAC_B) if forward else (VTEP_MAC_B, VTEP_MAC_A)
    return mk.ethernet(ma, mb, mk.ETH_P_IPV4, mk.ipv4_packet(a, b, proto, payload, ident=ident))


class Tunnel:
    """Capture-like sink for mkpcap's session helpers: every frame added goes
    out encapsulated by @wrap(frame, forward, n) in the real capture."""

    def __init__(self, cap, wrap):
        self.cap, self.wrap, self.n = cap, wrap, 0

    def flow(self, *args, **kw):
        return self.cap.flow(*args, **kw)

    def add(self, at, frame, flow=None, forward=True):
        self.n += 1
        self.cap.add(at, self.wrap(frame, forward, self.n), flow, forward)


def vxlan(frame, forward, n, vni=0x1234):
    """RFC 7348: UDP to 4789, I flag, 24-bit VNI, the whole inner Ethernet frame."""
    hdr = struct.pack("!BBHI", 0x08, 0, 0, vni << 8)
    a, b = (VTEP_A, VTEP_B) if forward else (VTEP_B, VTEP_A)
    return outer(mk.udp_datagram(a, b, 49000 + n % 64, 4789, hdr + frame), mk.IPPROTO_UDP, forward, n)


def geneve(frame, forward, n):
    """RFC 8926: UDP to 6081, one 4-byte option word, protocol 0x6558 (Ethernet)."""
    hdr = struct.pack("!BBHI", 0x01, 0, ETH_P_TEB, 0x2a << 8) + b"\x01\x02\x03\x04"
    a, b = (VTEP_A, VTEP_B) if forward else (VTEP_B, VTEP_A)
    return outer(mk.udp_datagram(a, b, 50000, 6081, hdr + frame), mk.IPPROTO_UDP, forward, n)


def gre_ip(frame, forward, n):
    """RFC 2784/2890: GRE with a key, carrying the inner IPv4 packet (no Ethernet)."""
    hdr = struct.pack("!BBHI", 0x20, 0, mk.ETH_P_IPV4, 7)
    return outer(hdr + frame[14:], IPPROTO_GRE, forward, n)


def erspan2(frame, forward, n):
    """A SPAN session's mirrored frame: GRE with a sequence number, ERSPAN type II
    header (version 1, session 5), the whole Ethernet frame. Mirrors go one way."""
    hdr = struct.pack("!BBHI", 0x10, 0, ETH_P_ERSPAN2, n)
    erspan = struct.pack("!HHI", 0x1000 | 100, 0x0005, 0)
    return outer(hdr + erspan + frame, IPPROTO_GRE, True, n)


def build():
    cap = mk.Capture()
    host = mk.Host("10.20.0.15", HOST_MAC)
    mirror_host = mk.Host("10.20.0.16", HOST_MAC)
    c2 = mk.Host("95.85.246.53", GW_MAC)
    c2_port = mk.Host("101.109.237.93", GW_MAC)
    clean = mk.Host("93.184.216.34", GW_MAC)

    s = mk.TcpSession(Tunnel(cap, vxlan), host, c2, 49152, 443, at=1.0, expect=True,
                      note="inside VXLAN: the seed ip:port IOC")
    s.handshake().send(b"\x16\x03\x01" + bytes(200)).send(bytes(300), from_client=False).close_fin()
    s = mk.TcpSession(Tunnel(cap, vxlan), host, clean, 49153, 443, at=1.5,
                      note="inside VXLAN: a clean server")
    s.handshake().send(b"GET / HTTP/1.1\r\n\r\n").close_fin()
    s = mk.TcpSession(Tunnel(cap, gre_ip), host, c2_port, 49154, 7443, at=2.0, expect=True,
                      note="inside GRE (IPv4, with a key): the second ip:port IOC")
    s.handshake().send(bytes(120)).reset()
    s = mk.TcpSession(Tunnel(cap, gre_ip), host, c2_port, 49155, 80, at=2.5,
                      note="inside GRE: the IOC address on another port")
    s.handshake().close_fin()
    s = mk.TcpSession(Tunnel(cap, erspan2), mirror_host, c2, 49156, 443, at=3.0, expect=True,
                      note="mirrored by ERSPAN II: the seed IOC")
    s.handshake().send(bytes(64)).close_fin()
    mk.udp_exchange(Tunnel(cap, geneve), host, clean, 5353, 53, at=3.5,
                    messages=[mk.dns_message(7, "example.org"),
                              mk.dns_message(7, "example.org", True, "93.184.216.34")],
                    note="inside GENEVE: DNS to a clean server")
    return cap


def main(argv):
    return mk.scenario_main(argv, build, "tunnels.pcap - seed IOCs inside VXLAN, GRE, ERSPAN II, GENEVE"
                            " (tests/integration/replay_tunnels.sh)", __doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
