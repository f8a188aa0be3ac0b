#!/bin/sh
# The seed capture, replayed through the real pipeline, reaches a real rsyslog
# over UDP and TCP in every framing and header format iocwire offers; rsyslog's
# own parse of each syslog header shows the configured facility, APP-NAME,
# HOSTNAME and MSGID, and the CEF records it wrote are the ones expected for
# the capture (tests/tools/cef_check.py, an independent CEF parser). Over UDP
# with a small max_message the records are cut at a field boundary: what is
# left parses to a prefix of the full record's fields.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/export_lib.sh"
feed=$src/conf/feeds/threatfox-netsupport.md
udp=$(free_port)
tcp=$(free_port)
rsyslog_config "$work" "$udp" "$tcp"
rsyslog_start "$work" "$tcp"
got=0

# check_run NAME FORMAT FACILITY: the 6 messages of the last run, headers and records.
check_run() {
	wait_lines "$work/received.log" $((got + 6)) 20
	new_lines "$work/received.log" "$got" "$work/$1.syslog"
	got=$((got + 6))
	python3 "$src/tests/tools/syslog_extract.py" "$work/$1.syslog" "$work/$1.cef" \
		--format "$2" --facility "$3" --host sensor-syslog-test || fail "$1: syslog headers"
	python3 "$src/tests/tools/cef_check.py" "$work/$1.cef" "$src/tests/data/seed.expected" \
		--require-key dvc || fail "$1: records through rsyslog differ from seed.expected"
	cmp -s "$work/$1.cef" "$work/$1.file" || fail "$1: rsyslog wrote other records than the file output"
	echo "export_syslog: $1 ok"
}

# 1. --syslog URL (what make replay SYSLOG=... uses): RFC 5424, local4, UDP then TCP octet-counting.
write_config "$work/plain.yaml" sensor-syslog-test "    - type: stdout"
replay_to "$work/plain.yaml" "$work/udp5424.file" "$feed" --syslog "udp://127.0.0.1:$udp" 2>"$work/r1.err" ||
	fail "replay udp: $(cat "$work/r1.err")"
check_run udp5424 rfc5424 local4
replay_to "$work/plain.yaml" "$work/tcp5424.file" "$feed" --syslog "tcp://127.0.0.1:$tcp" 2>"$work/r2.err" ||
	fail "replay tcp: $(cat "$work/r2.err")"
check_run tcp5424 rfc5424 local4
grep -q "6 sent, 6 acknowledged, 1 connects, 0 disconnects, 0 spooled" "$work/r2.err" ||
	fail "tcp counters: $(cat "$work/r2.err")"

# 2. YAML outputs: TCP newline framing with RFC 3164 headers, facility local6, and a file.
write_config "$work/y.yaml" sensor-syslog-test "    - type: file
      path: $work/tcp3164.file
    - type: syslog
      protocol: tcp
      host: 127.0.0.1
      port: $tcp
      framing: newline
      format: rfc3164
      facility: local6"
run_pipeline "$work/y.yaml" "$feed" "$work/r3.err"
check_run tcp3164 rfc3164 local6

# 3. UDP with a small max_message: cut at a field boundary, counted, still parseable.
write_config "$work/small.yaml" sensor-syslog-test "    - type: syslog
      protocol: udp
      host: 127.0.0.1
      port: $udp
      max_message: 480"
run_pipeline "$work/small.yaml" "$feed" "$work/r4.err"
grep -q "6 cut to the UDP size" "$work/r4.err" || fail "cut counter: $(cat "$work/r4.err")"
wait_lines "$work/received.log" $((got + 6)) 20
new_lines "$work/received.log" "$got" "$work/small.syslog"
python3 "$src/tests/tools/syslog_extract.py" "$work/small.syslog" "$work/small.cef" \
	--host sensor-syslog-test || fail "small: syslog headers"
python3 - "$src/tests/tools" "$work/small.cef" "$work/udp5424.file" <<'PY' || fail "cut records"
import sys
sys.path.insert(0, sys.argv[1])
from cef_check import parse
full = {}
for line in open(sys.argv[3], encoding="utf-8"):
    r = parse(line.rstrip("\n"))
    full[(r["DeviceEventClassID"], r["ext"]["externalId"])] = r
n = 0
for line in open(sys.argv[2], encoding="utf-8"):
    r = parse(line.rstrip("\n"))
    f = full[(r["DeviceEventClassID"], r["ext"].get("externalId", "?"))] if "externalId" in r["ext"] else None
    keys = list(r["ext"])
    if f is None:  # externalId itself was cut: match on the flow's 5-tuple instead
        f = next(v for (c, _), v in full.items() if c == r["DeviceEventClassID"] and
                 all(v["ext"].get(k) == r["ext"].get(k) for k in ("src", "spt", "dst", "dpt")))
    assert keys == list(f["ext"])[:len(keys)], (keys, list(f["ext"]))
    assert len(keys) < len(f["ext"]), "record was not cut"
    assert all(r["ext"][k] == f["ext"][k] for k in keys), r
    assert not keys[-1].endswith("Label"), keys
    for k in ("src", "dst", "dpt", "act"):
        assert k in r["ext"], (k, keys)
    n += 1
assert n == 6, n
print("cut records: 6 prefixes of the full records, hunt fields kept")
PY
echo "export_syslog: udp cut ok"
