#!/bin/sh
# export_bench.sh - export throughput and latency through a real rsyslog over TCP.
#
# Builds a capture of FLOWS short TCP connections (SYN, SYN-ACK, RST) to the seed
# IOC 95.85.246.53:443 (2 records each), replays it through the real pipeline
# (iocwire-dataplane --replay + iocwire-control) with a syslog TCP output
# (RFC 5424, octet-counting) to rsyslogd on 127.0.0.1, and prints one JSON object
# per result on stdout:
#   export_tcp_records_per_s   records / (rsyslog's receive time of the last record
#                              - of the first): the export path's sustained rate
#   export_tcp_latency_p50_ms  rsyslog's receive time - the record's syslog TIMESTAMP
#   export_tcp_latency_p99_ms  (set when iocwire-control formats the record, i.e.
#                              when the dataplane's event reached the control plane)
#   export_replay_wall_s       wall time of the whole replay (EAL start included)
# In a replay the packets carry capture time, so first-packet-to-collector latency
# is not measurable here; on a live link rt is the packet's wall-clock time and
# `TimeGenerated - rt` in Sentinel measures it.
# Usage: tests/bench/export_bench.sh [BUILD_DIR] [FLOWS]   (defaults: build, 20000)
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$top/build}" && pwd)
flows=${2:-20000}
work=$(mktemp -d /tmp/iocwire-export-bench.XXXXXX)
rs_pid=""
cleanup() {
	[ -z "$rs_pid" ] || { kill "$rs_pid" 2>/dev/null; wait "$rs_pid" 2>/dev/null; } || true
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

python3 - "$top/tests/tools" "$work/bench.pcap" "$flows" <<'PY'
import sys
sys.path.insert(0, sys.argv[1])
import mkpcap as mk
cap = mk.Capture()
srv = mk.Host("95.85.246.53", "02:00:5e:00:00:01")
for i in range(int(sys.argv[3])):
    cli = mk.Host("10.%d.%d.%d" % (30 + i // 65000, (i // 250) % 260 % 256, 1 + i % 250), "02:00:00:00:00:10")
    s = mk.TcpSession(cap, cli, srv, 20000 + i % 40000, 443, at=i * 0.001)
    s.emit(True, mk.SYN)
    s.t += s.half_rtt
    s.emit(False, mk.SYN | mk.ACK)
    s.t += s.half_rtt
    s.reset(from_client=True)
cap.write(sys.argv[2])
PY
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$work/rs"
cat > "$work/rsyslog.conf" <<CONF
global(workDirectory="$work/rs" maxMessageSize="64k")
module(load="imtcp")
template(name="bench" type="string" string="%timegenerated:::date-unixtimestamp% %timegenerated:::date-rfc3339% %timereported:::date-rfc3339%\n")
ruleset(name="bench_in") { action(type="omfile" file="$work/received.log" template="bench") }
input(type="imtcp" address="127.0.0.1" port="$port" ruleset="bench_in")
CONF
rsyslogd -n -f "$work/rsyslog.conf" -i "$work/rsyslog.pid" >"$work/rsyslog.out" 2>&1 &
rs_pid=$!
for _ in $(seq 100); do
	python3 -c "import socket,sys; s=socket.socket(); sys.exit(s.connect_ex(('127.0.0.1', $port)))" && break
	sleep 0.1
done
printf 'sensor:\n  name: bench\ndataplane:\n  mode: passive\n  event_ring: 65536\ncontrol:\n  export:\n    - type: syslog\n      protocol: tcp\n      host: 127.0.0.1\n      port: %s\n  delivery:\n    drain_timeout: 60s\n' "$port" > "$work/bench.yaml"
printf '95.85.246.53:443\n' > "$work/feed.txt"
start=$(date +%s.%N)
"$build/dataplane/iocwire-dataplane" -l 0-1 --no-pci --no-huge --no-shconf -m 1024 --log-level=lib.eal:warning \
	--vdev "net_pcap0,rx_pcap=$work/bench.pcap" -- -c "$work/bench.yaml" --replay --socket "$work/dp.sock" \
	>"$work/dp.log" 2>&1 &
dp=$!
"$build/control/iocwire-control" run -c "$work/bench.yaml" --socket "$work/dp.sock" --feed "$work/feed.txt" \
	--exit-on-end --connect-timeout 60 2>"$work/ctl.err" || { cat "$work/ctl.err" >&2; exit 1; }
wait "$dp"
want=$((flows * 2))
for _ in $(seq 300); do
	[ "$(wc -l < "$work/received.log")" -ge "$want" ] && break
	sleep 0.1
done
end=$(date +%s.%N)
python3 - "$work/received.log" "$want" "$start" "$end" <<'PY'
import datetime, json, sys
def t(s):
    return datetime.datetime.fromisoformat(s).timestamp()
rows = [l.split() for l in open(sys.argv[1])]
want = int(sys.argv[2])
if len(rows) != want:
    sys.exit("export_bench: rsyslog received %d records, expected %d" % (len(rows), want))
recv = [t(r[1]) for r in rows]
lat = sorted((t(r[1]) - t(r[2])) * 1000 for r in rows)
span = max(recv) - min(recv)
out = [("export_tcp_records_per_s", round(want / span) if span > 0 else 0, "records/s"),
       ("export_tcp_latency_p50_ms", round(lat[len(lat) // 2], 3), "ms"),
       ("export_tcp_latency_p99_ms", round(lat[int(len(lat) * 0.99)], 3), "ms"),
       ("export_replay_wall_s", round(float(sys.argv[4]) - float(sys.argv[3]), 2), "s")]
for name, value, unit in out:
    print(json.dumps({"name": name, "value": value, "unit": unit}))
PY
