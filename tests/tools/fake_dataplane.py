#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""fake_dataplane.py - a scripted peer for the control plane's side of the
dataplane socket (dataplane/contract/ipc_proto.h), to test how iocwire-control
treats events a real dataplane never sends.

    fake_dataplane.py SOCKET [VERSION]

Listens on SOCKET (SOCK_SEQPACKET), answers the control plane's HELLO and
SNAPSHOT (acknowledged as published), then sends one EVENTS message: a valid
IPv4 match, a match of family 5, an event of type 9, a valid flow end, and
finally END. Exits 0 after END went out. With a VERSION other than the
protocol's, it answers HELLO with that version and sends only END: the control
plane must refuse to talk to it.
"""

import os
import socket
import struct
import sys

HELLO, SNAPSHOT, SNAPSHOT_ACK, EVENTS, END = 1, 2, 3, 4, 5
VERSION = 2
EVENT_SIZE = 384


def msg(kind, payload=b""):
    return struct.pack("<II", kind, len(payload)) + payload


def event(kind, family, generation, flow_id):
    """struct iocw_event: 95.85.246.53:443 <- 10.20.0.15:49152 over TCP, one packet each way."""
    head = struct.pack("<8BHHHHIBBH", kind, family, 6, 0x12, 2, 1, 0, 1 if kind == 2 else 0,
                       0, 49152, 443, 0, 0, 0, 0, 0)
    addrs = bytes([10, 20, 0, 15]) + bytes(12) + bytes([95, 85, 246, 53]) + bytes(12)
    counters = struct.pack("<8Q", generation, flow_id, 1_700_000_000 * 10**9, 1_700_000_001 * 10**9,
                           1, 1, 60, 60)
    ev = head + addrs + counters
    return ev + bytes(EVENT_SIZE - len(ev))


def main(argv):
    path = argv[1]
    version = int(argv[2]) if len(argv) > 2 else VERSION
    if os.path.exists(path):
        os.unlink(path)
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    srv.bind(path)
    srv.listen(1)
    srv.settimeout(30)
    conn, _ = srv.accept()
    conn.settimeout(30)
    generation = 0
    while True:
        data, fds, _, _ = socket.recv_fds(conn, 65536, 4)
        for fd in fds:
            os.close(fd)
        kind, _ = struct.unpack_from("<II", data)
        if kind == HELLO:
            conn.send(msg(HELLO, struct.pack("<IIQ", version, os.getpid(), 0)))
            if version != VERSION:
                conn.send(msg(END))
                conn.recv(65536)
                return 0
        elif kind == SNAPSHOT:
            _, generation = struct.unpack_from("<QQ", data, 8)
            conn.send(msg(SNAPSHOT_ACK, struct.pack("<iIQQQ", 0, 0, generation, 1, 1) + bytes(160)))
            break
    events = [event(1, 4, generation, 1), event(1, 5, generation, 2), event(9, 4, generation, 3),
              event(2, 4, generation, 1)]
    conn.send(msg(EVENTS, struct.pack("<IIQ", len(events), 0, 0) + b"".join(events)))
    conn.send(msg(END))
    conn.recv(65536)  # the control plane closes after END: wait for it
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
