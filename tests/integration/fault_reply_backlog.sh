#!/bin/sh
# Fault: a control plane attaches while thousands of events wait in the
# workers' rings and reads its socket late (tests/tools/slow_control.py). The
# dataplane fills the socket with EVENTS; its reply to the SNAPSHOT that comes
# next must still arrive (it waits for room, a bounded time) and the snapshot
# is published: a reply lost behind events left the control plane waiting for
# an acknowledgement forever.
. "$(dirname "$0")/lib.sh"
. "$src/tests/trafficgen/live_lib.sh"

seed_feed=$src/conf/feeds/threatfox-netsupport.md
"$ctl_bin" compile -o "$work/first.snap" "$seed_feed" 2> "$work/compile.log" || fail "compile: $(cat "$work/compile.log")"
# 3000 IOC flows, one packet each: 3000 match events, far more than a socket buffer holds.
"$tg_bin" --pcap-out "$work/iocs.pcap" --flows 3000 --hit-rate 1 --count 3000 --ioc-feed "$seed_feed" \
	> "$work/tg.out" 2>&1 || fail "generator: $(cat "$work/tg.out")"
cat > "$work/iocwire.yaml" <<EOF2
dataplane:
  mode: passive
EOF2
DP_EXTRA_ARGS="--snapshot $work/first.snap"
dp_start "$work/iocwire.yaml" "net_pcap0,rx_pcap=$work/iocs.pcap"
DP_EXTRA_ARGS=""
dpstat_wait events 3000 20 || fail "events queued: $(dpstat events) of 3000"

# A control plane of another release (protocol version 1) is answered with an ERROR, not HELLO.
python3 - "$work/dp.sock" > "$work/v1.out" <<'PY' || fail "version 1 HELLO: $(cat "$work/v1.out")"
import socket, struct, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.connect(sys.argv[1])
s.send(struct.pack("<IIIIQ", 1, 16, 1, 0, 0))
s.settimeout(5)
reply = s.recv(65536)
kind, _ = struct.unpack_from("<II", reply)
print(kind, reply[12:].split(b"\0")[0].decode())
sys.exit(0 if kind == 6 and b"protocol version 1, this dataplane speaks 2" in reply else 1)
PY

sleep 1 # a new compile, a newer generation (seconds and a counter)
"$ctl_bin" compile -o "$work/second.snap" "$seed_feed" 2>> "$work/compile.log" || fail "second compile"
python3 "$src/tests/tools/slow_control.py" "$work/dp.sock" "$work/second.snap" > "$work/slow.out" 2>&1 ||
	fail "no acknowledgement behind the queued events: $(cat "$work/slow.out")"
gen=$(python3 -c 'import struct,sys; print(struct.unpack_from("<Q", open(sys.argv[1], "rb").read(), 24)[0])' \
	"$work/second.snap")
grep -q "^ack 0 $gen\$" "$work/slow.out" || fail "acknowledgement: $(cat "$work/slow.out")"
events=$(sed -n 's/^events //p' "$work/slow.out")
[ "$events" -gt 0 ] || fail "no events came before the acknowledgement: the socket was never full"
[ "$(python3 "$tel_py" get "$dp_prefix" /iocwire/snapshot generation)" = "$gen" ] ||
	fail "the dataplane does not run generation $gen"
kill -0 "$dp_pid" || fail "the dataplane died"
echo "fault_reply_backlog: ok (acknowledged generation $gen after $events queued events)"
