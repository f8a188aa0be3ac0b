#!/usr/bin/env python3
"""Check how rsyslog parsed iocwire's syslog messages and extract the CEF records.

Input: the file written by the rsyslog template of tests/integration/export_lib.sh,
one message per line: "facility severity app-name procid msgid hostname
protocol-version timegenerated|MSG". Every line must show the facility, APP-NAME
and HOSTNAME iocwire was configured with, the RFC 5424 protocol version 1 (or 0
for RFC 3164), a MSGID equal to the CEF DeviceEventClassID (RFC 5424 only), and a
MSG that starts with "CEF:0|". The MSG parts are written to OUT, one per line,
bytes unchanged, for cef_check.py.
Usage: syslog_extract.py RECEIVED OUT --facility local4 --host NAME --format rfc5424|rfc3164
"""
import argparse
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("received")
    ap.add_argument("out")
    ap.add_argument("--facility", default="local4")
    ap.add_argument("--host", required=True)
    ap.add_argument("--format", choices=["rfc5424", "rfc3164"], default="rfc5424")
    a = ap.parse_args()
    errors, records = [], []
    with open(a.received, "rb") as f:
        lines = [l.rstrip(b"\n") for l in f if l.strip()]
    for n, line in enumerate(lines, 1):
        # Seven space-free fields, then "timegenerated|MSG" (HOSTNAME itself may hold a '|').
        parts = line.split(b" ", 7)
        last, sep, msg = parts[-1].partition(b"|")
        fields = [p.decode("ascii", "replace") for p in parts[:-1] + [last]]
        if not sep or len(fields) != 8:
            errors.append("line %d: not the test template: %r" % (n, line[:120]))
            continue
        fac, sev, app, procid, msgid, host, version, _ = fields
        msg = msg.lstrip(b" ")
        want_version = "1" if a.format == "rfc5424" else "0"
        if fac != a.facility or app != "iocwire" or host != a.host or version != want_version:
            errors.append("line %d: facility %s app %s host %s version %s" % (n, fac, app, host, version))
        if not procid.isdigit() or not sev.isdigit() or int(sev) > 7:
            errors.append("line %d: procid %s severity %s" % (n, procid, sev))
        if not msg.startswith(b"CEF:0|"):
            errors.append("line %d: MSG is not CEF: %r" % (n, msg[:80]))
            continue
        cls = msg.split(b"|")[4].decode("ascii", "replace")
        if a.format == "rfc5424" and msgid != cls:
            errors.append("line %d: MSGID %s, DeviceEventClassID %s" % (n, msgid, cls))
        records.append(msg)
    with open(a.out, "wb") as f:
        for r in records:
            f.write(r + b"\n")
    if errors:
        print("\n".join(errors))
        return 1
    print("syslog_extract: %d messages, headers as configured" % len(records))
    return 0


if __name__ == "__main__":
    sys.exit(main())
