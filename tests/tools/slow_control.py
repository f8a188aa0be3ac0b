#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""slow_control.py - a control plane that reads its dataplane socket late, to
test that the dataplane's replies are not lost behind queued events.

    slow_control.py SOCKET SNAPSHOT

Connects, sends HELLO, reads nothing for 1 s (the dataplane fills the socket
with queued EVENTS), sends SNAPSHOT (SNAPSHOT's bytes in a memfd), still reads
nothing for 0.5 s, then reads everything. Prints "ack STATUS GENERATION" and
"events N"; exits 0 when the acknowledgement arrived, 1 otherwise.
"""

import os
import socket
import struct
import sys
import time

HELLO, SNAPSHOT, SNAPSHOT_ACK, EVENTS = 1, 2, 3, 4


def msg(kind, payload=b""):
    return struct.pack("<II", kind, len(payload)) + payload


def main(argv):
    blob = open(argv[2], "rb").read()
    generation = struct.unpack_from("<Q", blob, 24)[0]  # struct snap_header.generation
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.connect(argv[1])
    s.send(msg(HELLO, struct.pack("<IIQ", 2, os.getpid(), 0)))
    time.sleep(1.0)
    fd = os.memfd_create("slow-control-snapshot")
    os.write(fd, blob)
    socket.send_fds(s, [msg(SNAPSHOT, struct.pack("<QQ", len(blob), generation))], [fd])
    os.close(fd)
    time.sleep(0.5)
    s.settimeout(5)
    events = 0
    try:
        while True:
            data = s.recv(1 << 17)
            if not data:
                break
            kind, _ = struct.unpack_from("<II", data)
            if kind == EVENTS:
                events += struct.unpack_from("<I", data, 8)[0]
            elif kind == SNAPSHOT_ACK:
                status, _, gen = struct.unpack_from("<iIQ", data, 8)
                print("ack %d %d" % (status, gen))
                print("events %d" % events)
                return 0 if status == 0 else 1
    except socket.timeout:
        pass
    print("events %d" % events)
    print("no acknowledgement", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
