#!/usr/bin/env python3
"""Write the seed corpora of fuzz_ipc_server and fuzz_cef (binary inputs whose
layout the harnesses document), deterministically.

    tests/fuzz/mkcorpus.py [--snapshot tests/fuzz/corpus/snapshot/seed_netsupport.snap]

The snapshot seeds (tests/fuzz/corpus/snapshot/*.snap) are real
`iocwire-control compile` output; see docs/testing.md.
"""
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# contract/ipc_proto.h
HELLO, SNAPSHOT, EVENTS, ERROR, STATS_REQ = 1, 2, 4, 6, 7
IPC_PROTO_VERSION = 2  # dataplane/contract/ipc_proto.h: the dataplane refuses another
# fuzz_ipc_server.c record flags
FIX_LEN, MEMFD, FIX_CRC, FIX_SIZE, TWO_FDS, EV, HANGUP = 1, 2, 4, 8, 16, 32, 128


def event(etype=1, family=4, proto=6, flags=0x18, side=2, kind=2, action=0, end=0, vlan=0,
          sport=49812, dport=443, meta=0, src=b"\x0a\x14\x00\x0f", dst=b"\x5f\x55\xf6\x35",
          gen=1, flow_id=0x0100000000000001, first=1714000000_000000000, last=1714000001_000000000,
          pkts=(3, 2), nbytes=(300, 200), prefix_len=0):
    """struct iocw_event, 120 bytes, little endian."""
    return struct.pack("<8B4HIB3x16s16s8Q", etype, family, proto, flags, side, kind, action, end,
                       vlan, sport, dport, 0, meta, prefix_len, src.ljust(16, b"\0"),
                       dst.ljust(16, b"\0"), gen, flow_id, first, last, pkts[0], pkts[1],
                       nbytes[0], nbytes[1])


def record(flags, msg, blob=None, events=None):
    out = struct.pack("<BH", flags, len(msg)) + msg
    if flags & MEMFD:
        out += struct.pack("<H", len(blob)) + blob
    if flags & EV:
        out += struct.pack("<B", len(events)) + b"".join(events)
    return out


def msg(mtype, payload):
    return struct.pack("<II", mtype, len(payload)) + payload


def write(corpus, name, data):
    d = os.path.join(HERE, "corpus", corpus)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def main(argv):
    snap_path = os.path.join(HERE, "corpus", "snapshot", "seed_netsupport.snap")
    if "--snapshot" in argv:
        snap_path = argv[argv.index("--snapshot") + 1]
    with open(snap_path, "rb") as f:
        snap = f.read()
    hello = msg(HELLO, struct.pack("<IIQ", IPC_PROTO_VERSION, 4242, 0))
    snapshot = msg(SNAPSHOT, struct.pack("<QQ", len(snap), 1))
    evs = [event(), event(etype=2, end=1), event(family=6, src=b"\x20\x01\x0d\xb8" + b"\0" * 11 + b"\x10",
                                                 dst=b"\x20\x01\x0d\xb8" + b"\0" * 11 + b"\x20")]

    write("ipc_server", "hello", record(0, hello))
    write("ipc_server", "snapshot_hello", record(MEMFD, snapshot, snap) + record(0, hello))
    write("ipc_server", "snapshot_fixsize_crc", record(MEMFD | FIX_SIZE | FIX_CRC | FIX_LEN, snapshot, snap))
    write("ipc_server", "snapshot_no_fd", record(0, snapshot))
    write("ipc_server", "snapshot_short_fd", record(MEMFD, snapshot, snap[:500]))
    # Regressions (dataplane/ipc_server.c): the second descriptor of a message leaked; a
    # descriptor sent with an empty message (read as end of file) leaked.
    write("ipc_server", "regression-two-fds", record(MEMFD | TWO_FDS, snapshot, snap))
    write("ipc_server", "regression-empty-message-with-fd", record(MEMFD, b"", snap[:59]) + record(0, hello))
    write("ipc_server", "hello_events", record(0, hello) + record(EV, hello, events=evs))
    write("ipc_server", "unknown_type", record(FIX_LEN, msg(99, b"x" * 40)))
    write("ipc_server", "wrong_len", record(0, struct.pack("<II", HELLO, 1000) + b"\0" * 16))
    write("ipc_server", "oversized", record(FIX_LEN, msg(HELLO, b"\0" * 2000)))
    write("ipc_server", "hangup_reconnect",
          record(MEMFD | HANGUP, snapshot, snap) + record(0, hello) + record(MEMFD, snapshot, snap))
    write("ipc_server", "stats_req", record(0, hello) + record(0, msg(STATS_REQ, b"")) +
          record(MEMFD, snapshot, snap) + record(0, msg(STATS_REQ, b"")))
    write("ipc_server", "error_from_client", record(FIX_LEN, msg(ERROR, struct.pack("<i124s", -5, b"boom"))))

    # fuzz_cef: byte 0 picks the path (0 strings, 1 event + snapshot, 2 event alone), 1-2 the cut.
    nums = struct.pack("<BBHHHBB", 1, 0, 49812, 443, 42, 100, 0x1b) + struct.pack("<QQBB", 1714000000123, 77, 1, 5)
    nums = nums.ljust(32, b"\0")
    strs = [b"iocwire", b"iocwire", b"0.1.0", b"sensor-01", b"192.0.2.1", b"10.20.0.15", b"95.85.246.53",
            b"TCP", b"alert", b"fin", b"95.85.246.53:443", b"ip:port", b"dst", b"NetSupportManager RAT",
            b"botnet_cc", b"threatfox"]
    write("cef", "strings_plain", struct.pack("<BH", 0, 4096) + nums + b"\0".join(strs))
    hostile = list(strs)
    hostile[0] = b"ven|dor\\"
    hostile[13] = b"Evil|RAT act=blocked\nCEF:0|x"
    hostile[14] = b"c2\\=1 \r\x01\x7f"
    hostile[10] = "caf\u00e9.example/\u20ac".encode()
    write("cef", "strings_hostile", struct.pack("<BH", 0, 61) + nums + b"\0".join(hostile))
    write("cef", "strings_utf8_cut", struct.pack("<BH", 0, 90) + nums +
          b"\0".join([b"\xe2\x82\xac" * 30] * 16))
    for i, ev in enumerate(evs):
        write("cef", "event_view_%d" % i, struct.pack("<BH", 1, 200 + i) + ev)
        write("cef", "event_alone_%d" % i, struct.pack("<BH", 2, 0) + ev)
    # Regression: a CIDR event with prefix_len 200 overflowed event_record.c's 16-byte network buffer.
    write("cef", "regression-event_record-cidr-prefix-200",
          struct.pack("<BH", 1, 9999) + event(meta=0xffffffff, kind=3, prefix_len=200))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
