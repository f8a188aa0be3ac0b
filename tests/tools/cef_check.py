#!/usr/bin/env python3
"""Check iocwire's CEF records against a capture's .expected file.

An independent CEF parser (ArcSight CEF rules: header fields split on
unescaped '|', extension split on unescaped 'key=' boundaries) turns each
record into CommonSecurityLog columns, then:
  * every record must parse, with the header and keys iocwire promises;
  * each flow must have exactly one match record and one flow-end record,
    tied by externalId;
  * the flow-end records, written as the .expected columns
    (proto src spt dst dpt vlan pkts bytes_out bytes_in end_reason; pkts from cn3
    "Packets", since cnt is EventCount: 1 per flow record), must equal
    the expected set exactly: no missing flow, no extra flow.
Usage: cef_check.py RECORDS EXPECTED [--require-key K]...
"""
import re
import sys

# CEF extension key -> CommonSecurityLog column (Microsoft's mapping) for the keys we check.
COLUMNS = {
    "src": "SourceIP", "dst": "DestinationIP", "spt": "SourcePort", "dpt": "DestinationPort",
    "proto": "Protocol", "act": "DeviceAction", "cnt": "EventCount", "in": "ReceivedBytes",
    "out": "SentBytes", "rt": "ReceiptTime", "dvchost": "DeviceName", "externalId": "ExtID",
    "deviceDirection": "CommunicationDirection", "start": "StartTime", "end": "EndTime",
    "reason": "Reason", "cn2": "DeviceCustomNumber2", "cn3": "DeviceCustomNumber3",
    "cs3": "DeviceCustomString3",
}
HEADER = ["Version", "DeviceVendor", "DeviceProduct", "DeviceVersion", "DeviceEventClassID",
          "Activity", "LogSeverity"]
REQUIRED = ["src", "dst", "proto", "act", "cnt", "cn3", "rt", "dvchost", "externalId", "cs3", "cs4",
            "cs6"]


def split_header(line):
    fields, cur, i = [], [], 0
    while i < len(line) and len(fields) < 7:
        c = line[i]
        if c == "\\" and i + 1 < len(line) and line[i + 1] in "|\\":
            cur.append(line[i + 1])
            i += 2
            continue
        if c == "|":
            fields.append("".join(cur))
            cur = []
        else:
            cur.append(c)
        i += 1
    if len(fields) != 7:
        raise ValueError("header has %d fields, expected 7" % len(fields))
    return fields, line[i:]


KEY_RE = re.compile(r"(?:^| )([A-Za-z0-9_]+)=")


def unescape_value(v):
    out, i = [], 0
    while i < len(v):
        if v[i] == "\\" and i + 1 < len(v):
            nxt = v[i + 1]
            out.append({"n": "\n", "r": "\r", "=": "=", "\\": "\\"}.get(nxt, "\\" + nxt))
            i += 2
        else:
            out.append(v[i])
            i += 1
    return "".join(out)


def split_extension(ext):
    # A key starts after a space (or at the start) and is followed by '=' that is not escaped.
    starts = []
    for m in KEY_RE.finditer(ext):
        eq = m.end() - 1
        # '=' escaped by an odd number of backslashes is data, not a key boundary.
        bs = 0
        j = eq - 1
        while j >= 0 and ext[j] == "\\":
            bs += 1
            j -= 1
        if bs % 2 == 0:
            starts.append((m.start(1), m.group(1), m.end()))
    fields = {}
    for n, (_, key, vstart) in enumerate(starts):
        vend = starts[n + 1][0] - 1 if n + 1 < len(starts) else len(ext)
        if key in fields:
            raise ValueError("key %s twice" % key)
        fields[key] = unescape_value(ext[vstart:vend])
    return fields


def parse(line):
    if not line.startswith("CEF:"):
        raise ValueError("not a CEF record")
    header, ext = split_header(line[4:])
    rec = dict(zip(HEADER, header))
    rec["ext"] = split_extension(ext)
    return rec


def main(argv):
    records_path, expected_path = argv[1], argv[2]
    required = REQUIRED + [argv[i + 1] for i, a in enumerate(argv) if a == "--require-key"]
    errors = []
    matches, ends = {}, {}
    with open(records_path, encoding="utf-8", errors="strict") as f:
        lines = [l.rstrip("\n") for l in f if l.strip()]
    for n, line in enumerate(lines, 1):
        try:
            rec = parse(line)
        except ValueError as e:
            errors.append("record %d: %s: %s" % (n, e, line))
            continue
        ext = rec["ext"]
        missing = [k for k in required if k not in ext]
        if missing:
            errors.append("record %d lacks %s" % (n, ",".join(missing)))
            continue
        fid = ext["externalId"]
        cls = rec["DeviceEventClassID"]
        bucket = matches if cls == "ioc-match" else ends if cls == "flow-end" else None
        if bucket is None:
            errors.append("record %d: unknown DeviceEventClassID %s" % (n, cls))
            continue
        if fid in bucket:
            errors.append("record %d: second %s record for flow %s" % (n, cls, fid))
        bucket[fid] = rec
    if set(matches) != set(ends):
        errors.append("flows with a match record but no flow-end (or the reverse): %s"
                      % sorted(set(matches) ^ set(ends)))
    got = []
    for fid, rec in ends.items():
        e = rec["ext"]
        got.append(" ".join([e["proto"], e["src"], e.get("spt", "0"), e["dst"], e.get("dpt", "0"),
                             e.get("cn2", "0"), e["cn3"], e.get("out", "0"), e.get("in", "0"),
                             e.get("reason", "")]))
    with open(expected_path, encoding="utf-8") as f:
        want = [l.strip() for l in f if l.strip() and not l.startswith("#")]
    for line in sorted(set(want) - set(got)):
        errors.append("missing flow: " + line)
    for line in sorted(set(got) - set(want)):
        errors.append("unexpected flow: " + line)
    if errors:
        print("\n".join(errors))
        return 1
    print("cef_check: %d records, %d flows, all as expected" % (len(lines), len(got)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
