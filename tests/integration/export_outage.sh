#!/bin/sh
# The collector goes away and comes back; no record is lost and none arrives
# twice, and they arrive in order. Against a real rsyslog over TCP, with one
# spool directory for the three runs:
#  A. rsyslog up: run A's records are delivered;
#  B. rsyslog stopped: run B1's records go to the spool (iocwire-control keeps
#     trying to reconnect with backoff) and iocwire-control is killed with
#     SIGKILL; rsyslog is started again and run B2 sends B1's records first,
#     then its own. rsyslog ends up with A, B1, B2: 18 records, each once.
# (A collector that goes away in the middle of a connection is covered by
# tests/unit/test_transport_tcp.c against a real TCP listener.)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/export_lib.sh"
feed=$src/conf/feeds/threatfox-netsupport.md
udp=$(free_port)
tcp=$(free_port)
rsyslog_config "$work" "$udp" "$tcp"
delivery="    spool_dir: $work/spool
    reconnect_min: 100ms
    reconnect_max: 400ms
    drain_timeout: 20s"

# check_records NAME FROM SENSOR: messages FROM+1..FROM+6 are the seed's records, once each.
check_records() {
	sed -n "$(($2 + 1)),$(($2 + 6))p" "$work/received.log" > "$work/$1.syslog"
	python3 "$src/tests/tools/syslog_extract.py" "$work/$1.syslog" "$work/$1.cef" --host "$3" ||
		fail "$1: syslog headers"
	python3 "$src/tests/tools/cef_check.py" "$work/$1.cef" "$src/tests/data/seed.expected" ||
		fail "$1: records differ from seed.expected (lost or duplicated)"
}

# A. Collector up: the records of run 1 are delivered (and acknowledged).
write_config "$work/a.yaml" outage-a "    - type: file
      path: $work/a.file
    - type: syslog
      protocol: tcp
      host: 127.0.0.1
      port: $tcp" "$delivery"
rsyslog_start "$work" "$tcp"
run_pipeline "$work/a.yaml" "$feed" "$work/a.err"
wait_lines "$work/received.log" 6 30
grep -q "6 sent, 6 acknowledged, 1 connects, 0 disconnects, 0 spooled" "$work/a.err" ||
	fail "A: counters: $(grep 'syslog tcp' "$work/a.err")"
check_records a 0 outage-a
echo "export_outage: A (collector up) ok"

# B. Collector down for a whole run, iocwire-control killed with records in the spool.
rsyslog_stop
write_config "$work/b1.yaml" outage-b1 "    - type: file
      path: $work/b1.file
    - type: syslog
      protocol: tcp
      host: 127.0.0.1
      port: $tcp" "$delivery"
sed "s/outage-b1/outage-b2/; s/b1.file/b2.file/" "$work/b1.yaml" > "$work/b2.yaml"
"$build/dataplane/iocwire-dataplane" -l 0-1 --no-pci --no-huge --no-shconf -m 1024 \
	--log-level=lib.eal:warning --vdev "net_pcap0,rx_pcap=$src/tests/data/seed.pcap" \
	-- -c "$work/b1.yaml" --replay --socket "$work/dp.sock" >"$work/b1.dp" 2>&1 &
dp_pid=$!
"$build/control/iocwire-control" run -c "$work/b1.yaml" --socket "$work/dp.sock" --feed "$feed" \
	--exit-on-end --connect-timeout 60 2>"$work/b1.err" &
ctl_pid=$!
bg_pids="$dp_pid $ctl_pid"
wait_lines "$work/b1.file" 6 30
kill -9 "$ctl_pid"
kill "$dp_pid" 2>/dev/null || true
wait "$ctl_pid" "$dp_pid" 2>/dev/null || true
bg_pids=""
n=$(cat "$work"/spool/tcp_127.0.0.1_"$tcp"/*.seg | grep -ao 'CEF:0|' | wc -l)
[ "$n" -eq 6 ] || fail "B: $n records in the spool after the crash, expected 6"
rsyslog_start "$work" "$tcp"
before=$(wc -l < "$work/received.log")
run_pipeline "$work/b2.yaml" "$feed" "$work/b2.err"
wait_lines "$work/received.log" $((before + 12)) 30
sleep 0.5
[ "$(wc -l < "$work/received.log")" -eq $((before + 12)) ] || fail "B: more than 12 records arrived"
check_records b1 "$before" outage-b1
check_records b2 $((before + 6)) outage-b2
cmp -s "$work/b1.cef" "$work/b1.file" || fail "B: spooled records out of order"
echo "export_outage: B (records spooled across a crash of iocwire-control) ok"
