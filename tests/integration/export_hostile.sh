#!/bin/sh
# Hostile values from feeds (pipes, backslashes, '=', CR, LF, tab, NUL, bytes
# that are not UTF-8) go through the whole export path to a real rsyslog (TCP)
# and to a JSON-lines file; every record still parses to the same fields in
# both, and no value ever creates a key or a record. (The dataplane does not
# take strings from the wire yet: no DNS, SNI or HTTP parsing; the feed is
# where text enters today.) Also: JSON-lines rotation by size keeps `keep` files.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/export_lib.sh"
udp=$(free_port)
tcp=$(free_port)
rsyslog_config "$work" "$udp" "$tcp"
rsyslog_start "$work" "$tcp"

# A report feed (line based: no LF or NUL inside a value) and a ThreatFox JSON feed (\n, \u0000).
python3 - "$src/conf/feeds/threatfox-netsupport.md" "$work" <<'PY'
import json, sys
src = open(sys.argv[1], "rb").read()
src = src.replace(b"**Malware Family:** NetSupportManager RAT",
                  b"**Malware Family:** Evil|Rat\\x=y \xff\xfe \xc3\xbc \xc3( t\tab c\rr")
src = src.replace(b"**Reference:** https://threatfox.abuse.ch/browse/malware/win.netsupportmanager_rat/",
                  b"**Reference:** https://x.example/a?b=c&d=\\e|f cs2=injected")
open(sys.argv[2] + "/hostile.md", "wb").write(src)
feed = {"1": [{"ioc_value": "93.184.216.34:443", "ioc_type": "ip:port", "threat_type": "botnet_cc",
               "malware": "win.x", "malware_alias": None,
               "malware_printable": "J|p\\b=e\nn\rr x=1 \u00fc\u0000tail",
               "first_seen_utc": "2024-04-25 11:32:17", "last_seen_utc": None, "confidence_level": 90,
               "reference": "r\\e|f=1\nCEF:0|fake|record|", "tags": "a", "anonymous": "0", "reporter": "x"}]}
open(sys.argv[2] + "/hostile.json", "w").write(json.dumps(feed))
PY

write_config "$work/h.yaml" "hostile|sensor=1" "    - type: jsonl
      path: $work/records.jsonl
    - type: syslog
      protocol: tcp
      host: 127.0.0.1
      port: $tcp"
run_pipeline "$work/h.yaml" "$work/hostile.md" "$work/h.err" --feed "$work/hostile.json"
wait_lines "$work/received.log" 8 30
python3 "$src/tests/tools/syslog_extract.py" "$work/received.log" "$work/h.cef" --host 'hostile|sensor=1' ||
	fail "syslog headers"
[ "$(wc -l < "$work/h.cef")" -eq 8 ] || fail "expected 8 records (3 seed flows + the flow to 93.184.216.34:443), got $(wc -l < "$work/h.cef")"
PYTHONPATH=$src/tests/tools python3 "$src/tests/tools/hostile_check.py" "$work/h.cef" "$work/records.jsonl" \
	--contains 'DeviceCustomString1=Evil|Rat\\x=y ' --contains 'DeviceCustomString1= \xc3\xbc ' \
	--contains 'DeviceCustomString1= t\tab c\rr' \
	--expect 'DeviceCustomString1=J|p\\b=e\nn\rr x=1 \xc3\xbc' \
	--expect 'DeviceCustomString5=r\\e|f=1\nCEF:0|fake|record|' \
	--expect 'DeviceName=hostile|sensor=1' || fail "hostile values"
echo "export_hostile: CEF through rsyslog and JSON lines agree, nothing injected"

# Rotation: records of ~1.3 KB, 3000-byte files, keep 2: records.jsonl, .1, .2 and no .3.
write_config "$work/r.yaml" rotate "    - type: jsonl
      path: $work/rot.jsonl
      rotate_bytes: 3000
      keep: 2"
run_pipeline "$work/r.yaml" "$src/conf/feeds/threatfox-netsupport.md" "$work/r.err"
grep -q "rotations" "$work/r.err" || fail "no jsonl report: $(cat "$work/r.err")"
[ -f "$work/rot.jsonl.1" ] && [ -f "$work/rot.jsonl.2" ] && [ ! -e "$work/rot.jsonl.3" ] ||
	fail "rotated files: $(ls "$work")"
python3 - "$work" <<'PY' || fail "rotated JSON lines"
import json, os, sys
w = sys.argv[1]
recs = []
for name in ("rot.jsonl.2", "rot.jsonl.1", "rot.jsonl"):
    p = os.path.join(w, name)
    assert os.path.getsize(p) <= 3000, (name, os.path.getsize(p))
    recs += [json.loads(l) for l in open(p, encoding="utf-8")]
kept = [(r["DeviceEventClassID"], r["ExtID"]) for r in recs]
assert len(kept) == len(set(kept)) and len(kept) >= 4, kept
for r in recs:
    assert r["DeviceProduct"] == "iocwire" and r["DeviceName"] == "rotate", r
    assert r["DestinationIP"] in ("95.85.246.53", "101.109.237.93") and r["EventCount"] == 1, r
print("rotation: %d records in 3 files of at most 3000 bytes" % len(recs))
PY
echo "export_hostile: jsonl rotation ok"
