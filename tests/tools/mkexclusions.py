#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""mkexclusions.py - the capture of the exclusions scenario (docs/exclusions.md).

Seed-IOC traffic (95.85.246.53:443, confidence 100; 101.109.237.93:7443,
confidence 75) from: an ordinary workstation, an IT-helpdesk host (excluded,
suppress), and a training VM inside and outside its Mon-Fri 08:00-18:00
Europe/Berlin window (excluded, tag). The capture starts on Sunday
2026-11-01 10:00 UTC; the in-window flow is on Monday 09:00 UTC (10:00 in
Berlin). Writes OUT.pcap and OUT.expected (flows that produce records).

    mkexclusions.py OUT.pcap
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mkpcap as mk  # noqa: E402


def session(cap, cli, srv, sport, dport, at, expect, note):
    s = mk.TcpSession(cap, cli, srv, sport, dport, at=at, expect=expect, note=note)
    s.handshake()
    s.send(b"\x16\x03\x01" + bytes(60))
    s.send(bytes(120), from_client=False)
    s.close_fin()
    s.close_fin(from_client=False)


def build():
    cap = mk.Capture()
    gw = "02:00:00:00:00:fe"
    c2 = mk.Host("95.85.246.53", gw)
    c2b = mk.Host("101.109.237.93", gw)
    workstation = mk.Host("10.20.0.15", "02:00:00:00:00:15")
    workstation2 = mk.Host("10.20.0.16", "02:00:00:00:00:16")
    helpdesk = mk.Host("10.20.5.10", "02:00:00:00:05:10")
    training = mk.Host("10.30.0.5", "02:00:00:00:30:05")
    session(cap, workstation, c2, 50100, 443, 1.0, True, "workstation: blocked (policy drop, conf 100)")
    session(cap, workstation2, c2b, 50101, 7443, 2.0, True, "workstation: alert (conf 75)")
    session(cap, helpdesk, c2, 50102, 443, 3.0, False, "helpdesk: suppressed, no record, forwarded")
    session(cap, training, c2, 50103, 443, 4.0, True, "training VM on Sunday: outside its window: blocked")
    session(cap, training, c2, 50104, 443, 23 * 3600.0, True,
            "training VM on Monday 10:00 Berlin: inside its window: excluded (tag), forwarded")
    return cap


def main(argv):
    return mk.scenario_main(argv, build, "exclusions.pcap - exclusions scenario (tests/integration/exclusions.sh)", __doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
