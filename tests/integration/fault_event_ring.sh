#!/bin/sh
# Fault: a worker's event ring overflows. The dataplane runs inline with a
# 64-entry event ring, its snapshot loaded from a file and no control plane
# attached, while 500 IOC flows start: the ring keeps what fits and counts
# the rest (events_dropped); packets keep flowing, every IOC packet is still
# matched and forwarded. A control plane attached later exports exactly the
# queued events and reports the dataplane's drop count; at shutdown the
# flow-end events that do not fit are counted too. Nothing is lost without
# being counted: records exported + events dropped = 2 events per flow.
. "$(dirname "$0")/lib.sh"
. "$src/tests/trafficgen/live_lib.sh"

cat > "$work/iocwire.yaml" <<EOF
sensor:
  name: iocwire-fault-ring
dataplane:
  mode: inline
  event_ring: 64
control:
  state_dir: $work/state
  socket: $work/ctl.sock
  home_networks: [10.0.0.0/8, fd00::/8]
EOF
seed_feed=$src/conf/feeds/threatfox-netsupport.md
printf '185.220.101.7\n[2001:db8:bad::20]:8443\n' > "$work/extra.txt"
"$ctl_bin" compile -o "$work/seed.snap" "$seed_feed" "$work/extra.txt" 2> "$work/compile.log" ||
	fail "compile: $(cat "$work/compile.log")"
DP_EXTRA_ARGS="--snapshot $work/seed.snap"
vhost_pair "$work/iocwire.yaml"
DP_EXTRA_ARGS=""

# 1000 flows, half of them IOC flows, 2 packets each: 500 match events for a 64-entry ring.
TG_EAL=$pair_eal
tg --seed 5 --flows 1000 --hit-rate 0.5 --ipv6-share 0.2 --count 2000 --rate 100000 --linger 1 \
	--ioc-feed "$seed_feed" --ioc-feed "$work/extra.txt" > "$work/tg.out" 2> "$work/trafficgen.log" ||
	fail "generator failed"
cat "$work/tg.out"
ioc_pkts=$(tg_field ioc_pkts "$work/tg.out")
[ "$ioc_pkts" -eq 1000 ] || fail "500 IOC flows x 2 packets expected, generator says $ioc_pkts"
dpstat_wait rx_pkts 2000 20 || fail "the dataplane received $(dpstat rx_pkts) of 2000"
kill -0 "$dp_pid" || fail "the dataplane died"
dpsnap
[ "$(snapval matches)" -eq 1000 ] || fail "matches $(snapval matches), 1000 IOC packets sent"
# Forwarded, or counted as not forwarded (a TX ring full when the generator lags on a busy CPU).
tx=$(snapval tx_pkts)
tx_failed=$(snapval tx_failed)
[ $((tx + tx_failed)) -eq 2000 ] || fail "forwarded $tx + failed $tx_failed != 2000 received"
[ "$(tg_field received "$work/tg.out")" -eq "$tx" ] ||
	fail "the generator got $(tg_field received "$work/tg.out") back, the dataplane sent $tx"
[ "$(snapval flows_created)" -eq 500 ] || fail "$(snapval flows_created) flows tracked, 500 expected"
# Per port and per queue (/iocwire/port,N): port 0 received all, its queues add up; port 1 sent what was forwarded.
python3 - "$tel_py" "$dp_prefix" "$tx" <<'PY' || fail "/iocwire/port counters"
import subprocess, sys, json
tel, prefix, tx = sys.argv[1], sys.argv[2], int(sys.argv[3])
port = [json.loads(subprocess.check_output([sys.executable, tel, "get", prefix, "/iocwire/port,%d" % i]))
        for i in (0, 1)]
assert port[0]["rx_pkts"] == 2000 and sum(port[0]["rx_queue_pkts"]) == 2000, port[0]
assert port[1]["tx_pkts"] == tx and sum(port[1]["tx_queue_pkts"]) == tx, port[1]
assert port[0]["imissed"] == 0 and port[0]["rx_nombuf"] == 0, port[0]
PY
queued=$(snapval events)
dropped=$(snapval events_dropped)
[ "$queued" -gt 0 ] && [ "$queued" -le 64 ] || fail "$queued events queued in a 64-entry ring"
[ $((queued + dropped)) -eq 500 ] || fail "queued $queued + dropped $dropped != 500 match events"

# A control plane attaches late: it gets what waited in the ring, and the drop count.
ctl_start "$work/iocwire.yaml" "$work/records.cef" "$seed_feed" "$work/extra.txt"
wait_for 10 sh -c "[ \$(grep -c . '$work/records.cef') -ge $queued ]" ||
	fail "the late control plane got $(grep -c . "$work/records.cef") of $queued queued events"
dp_stop
ctl_wait
events=$(summary events)
dropped=$(summary dropped)
records=$(grep -c . "$work/records.cef")
matches=$(grep -c '|ioc-match|' "$work/records.cef")
[ "$matches" -eq "$queued" ] || fail "$matches match records, $queued were queued"
[ "$records" -eq "$events" ] || fail "$records records exported, the dataplane queued $events events"
[ $((events + dropped)) -eq 1000 ] ||
	fail "events $events + dropped $dropped != 1000 (500 match + 500 flow-end): some were lost uncounted"
grep -q "$dropped events dropped by the dataplane" "$work/control.log" ||
	fail "the control plane does not report the $dropped dropped events: $(grep dropped "$work/control.log")"
echo "fault_event_ring: ok ($events events exported, $dropped dropped and counted, of 1000)"
