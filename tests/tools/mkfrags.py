#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""mkfrags.py - fragmented datagrams to a seed ip:port IOC and to a clean host.

The IOC is 95.85.246.53:443 (ip:port): only the first fragment of a datagram
carries the ports, so the later ones must be tied to its flow by the
datagram's identification. Writes OUT.pcap and OUT.expected.

    mkfrags.py OUT.pcap
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mkpcap as mk  # noqa: E402

CLIENT_MAC = "02:00:00:00:00:15"
GW_MAC = "02:00:00:00:00:fe"


def fragmented(cap, flow, src, dst, sport, dport, at, ident, size):
    """One UDP datagram of @size payload bytes in 1480-byte IPv4 fragments."""
    dgram = mk.udp_datagram(src, dst, sport, dport, bytes((i * 7) & 0xFF for i in range(size)))
    off = 0
    while off < len(dgram):
        part = dgram[off:off + 1480]
        more = off + len(part) < len(dgram)
        ip = mk.ipv4_packet(src, dst, mk.IPPROTO_UDP, part, ident=ident, dont_fragment=False,
                            more_fragments=more, frag_offset=off)
        cap.add(at, mk.ethernet(CLIENT_MAC, GW_MAC, mk.ETH_P_IPV4, ip), flow)
        at += 0.0001
        off += len(part)


def build():
    cap = mk.Capture()
    evil = cap.flow(mk.IPPROTO_UDP, "10.20.0.15", 40000, "95.85.246.53", 443, 0, True,
                    "3 fragments to the seed ip:port IOC, then an unfragmented reply")
    fragmented(cap, evil, "10.20.0.15", "95.85.246.53", 40000, 443, 1.0, 0x1234, 4000)
    reply = mk.ipv4_packet("95.85.246.53", "10.20.0.15", mk.IPPROTO_UDP,
                           mk.udp_datagram("95.85.246.53", "10.20.0.15", 443, 40000, b"ok" * 20))
    cap.add(1.2, mk.ethernet(GW_MAC, CLIENT_MAC, mk.ETH_P_IPV4, reply), evil, forward=False)
    clean = cap.flow(mk.IPPROTO_UDP, "10.20.0.15", 40001, "93.184.216.34", 443, 0, False,
                     "3 fragments to a clean address: no record, forwarded")
    fragmented(cap, clean, "10.20.0.15", "93.184.216.34", 40001, 443, 2.0, 0x1234, 4000)
    return cap


def main(argv):
    return mk.scenario_main(argv, build, "frags.pcap - IPv4 fragments (tests/integration/fragments.sh)", __doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
