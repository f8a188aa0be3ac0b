#!/usr/bin/env python3
"""Hostile feed values through the whole export path: CEF (as rsyslog wrote it) and JSON lines.

For every CEF record (parsed by cef_check.py's independent parser) there must be the
JSON-lines record of the same DeviceEventClassID and ExtID, and the free-text
fields must carry the same value in both, under the documented rules: CEF turns
control characters other than CR and LF into '?', JSON escapes them; bytes that
are not UTF-8 stay raw in CEF and become U+FFFD in JSON. Every CEF key must be one
iocwire writes (a value must never create a key), and --expect FIELD=VALUE pins
a JSON value (after the feed parser) to what the test put in the feed, --contains
COLUMN=TEXT a part of one (the feed parser's own policy for bytes that are not UTF-8
is not this check's business).
Usage: hostile_check.py RECORDS.cef RECORDS.jsonl [--expect COLUMN=VALUE]... [--contains COLUMN=TEXT]...
"""
import json
import re
import sys

from cef_check import parse

KEYS = {"rt", "dvchost", "dvc", "cat", "act", "deviceDirection", "src", "spt", "dst", "dpt", "proto",
        "c6a2", "c6a2Label", "c6a3", "c6a3Label", "cnt", "out", "in", "start", "end", "reason",
        "externalId", "cn1", "cn1Label", "cn2", "cn2Label", "cn3", "cn3Label", "flexString1",
        "flexString1Label", "flexString2", "flexString2Label"} | \
       {"cs%d%s" % (i, s) for i in range(1, 7) for s in ("", "Label")}
PAIRS = {"cs1": "DeviceCustomString1", "cs2": "DeviceCustomString2", "cs3": "DeviceCustomString3",
         "cs4": "DeviceCustomString4", "cs5": "DeviceCustomString5", "src": "SourceIP",
         "dst": "DestinationIP", "act": "DeviceAction"}
CTRL = re.compile("[\x00-\x09\x0b\x0c\x0e-\x1f\x7f]")


def cef_view_of(json_value):
    """What CEF carries for a value JSON carries exactly (U+FFFD aside)."""
    return CTRL.sub("?", json_value)


def main(argv):
    expects = [a.split("=", 1) for i, a in enumerate(argv) if i > 0 and argv[i - 1] == "--expect"]
    contains = [a.split("=", 1) for i, a in enumerate(argv) if i > 0 and argv[i - 1] == "--contains"]
    errors = []
    jrecs = {}
    with open(argv[2], encoding="utf-8") as f:
        for line in f:
            j = json.loads(line)
            jrecs[(j["DeviceEventClassID"], j["ExtID"])] = j
    n = 0
    with open(argv[1], "rb") as f:
        for line in f:
            text = line.rstrip(b"\n").decode("utf-8", "replace")
            rec = parse(text)
            ext = rec["ext"]
            bad = set(ext) - KEYS
            if bad:
                errors.append("unknown CEF keys %s in %r" % (sorted(bad), text[:160]))
            j = jrecs.get((rec["DeviceEventClassID"], ext.get("externalId")))
            if j is None:
                errors.append("no JSON record for %s %s" % (rec["DeviceEventClassID"], ext.get("externalId")))
                continue
            for k, col in PAIRS.items():
                if (k in ext) != (col in j) or (k in ext and ext[k] != cef_view_of(j[col])):
                    errors.append("%s: CEF %r, JSON %r" % (k, ext.get(k), j.get(col)))
            if rec["Activity"] != cef_view_of(j["Activity"]).replace("\r", "?").replace("\n", "?"):
                errors.append("Activity: CEF %r, JSON %r" % (rec["Activity"], j["Activity"]))
            n += 1
    for pins, same in ((expects, True), (contains, False)):
        for col, want in pins:
            text = want.encode().decode("unicode_escape").encode("latin-1").decode("utf-8", "replace")
            if not any((j.get(col) == text) if same else (text in j.get(col, "")) for j in jrecs.values()):
                errors.append("no JSON record has %s %s %r: %r" % (col, "==" if same else "containing",
                              text, [j.get(col) for j in jrecs.values()]))
    if n == 0 or n != len(jrecs):
        errors.append("%d CEF records, %d JSON records" % (n, len(jrecs)))
    if errors:
        print("\n".join(errors))
        return 1
    print("hostile_check: %d records, same fields in CEF and JSON, no injected key" % n)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
