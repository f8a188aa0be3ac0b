#!/usr/bin/env python3
"""Read a DPDK process's telemetry (the dataplane's /iocwire/* commands and
DPDK's own /ethdev/*), for the live-traffic tests.

    dp_telemetry.py get  PREFIX COMMAND [KEY]         print the JSON, or one value
    dp_telemetry.py kv   PREFIX COMMAND               print "key value" lines (one consistent read)
    dp_telemetry.py wait PREFIX COMMAND KEY MIN SECS   wait until KEY >= MIN (exit 1 on timeout)

PREFIX is the process's EAL --file-prefix; the socket is
/var/run/dpdk/PREFIX/dpdk_telemetry.v2 (or $XDG_RUNTIME_DIR/dpdk/... when not root).
"""
import json
import os
import socket
import sys
import time


def socket_path(prefix):
    base = "/var/run/dpdk" if os.geteuid() == 0 else os.path.join(
        os.environ.get("XDG_RUNTIME_DIR", "/tmp"), "dpdk")
    return os.path.join(base, prefix, "dpdk_telemetry.v2")


def query(prefix, command):
    with socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET) as s:
        s.connect(socket_path(prefix))
        json.loads(s.recv(1 << 16).decode())  # greeting: version, pid, max_output_len
        s.send(command.encode())
        reply = json.loads(s.recv(1 << 20).decode())
    # The reply is {"/cmd": value}; the key is the command without its parameter.
    return next(iter(reply.values()))


def main(argv):
    if len(argv) >= 4 and argv[1] == "get":
        data = query(argv[2], argv[3])
        print(data[argv[4]] if len(argv) > 4 else json.dumps(data, indent=1, sort_keys=True))
        return 0
    if len(argv) == 4 and argv[1] == "kv":
        for key, value in sorted(query(argv[2], argv[3]).items()):
            if not isinstance(value, (dict, list)):
                print(key, value)
        return 0
    if len(argv) == 7 and argv[1] == "wait":
        prefix, command, key, want, secs = argv[2], argv[3], argv[4], int(argv[5]), float(argv[6])
        deadline = time.monotonic() + secs
        value = None
        while time.monotonic() < deadline:
            try:
                value = query(prefix, command)[key]
                if value >= want:
                    print(value)
                    return 0
            except (OSError, ValueError, KeyError):
                pass
            time.sleep(0.1)
        print("timeout: %s %s = %s, waited for %d" % (command, key, value, want), file=sys.stderr)
        return 1
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
