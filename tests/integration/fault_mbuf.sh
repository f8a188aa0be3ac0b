#!/bin/sh
# Fault: a tiny mbuf pool (dataplane.mbufs). iocwire runs passive on a
# net_virtio_user port in server mode (the driver keeps its whole RX ring
# filled with mbufs from the pool, as a NIC does); the generator sends from
# net_vhost as client, so a dataplane that cannot take a packet pushes back
# on the sender instead of dropping it.
#  1. A pool barely larger than the RX ring (1100 mbufs for 1024 descriptors,
#     no per-lcore cache): every packet of an IMIX burst at full speed is
#     received, parsed and matched; the process stays up and exits cleanly;
#     mbuf allocation failures, if any, are counted (rx_nombuf), never silent.
#  2. A pool smaller than the RX ring (1023 mbufs): the dataplane must either
#     refuse the configuration at start, naming dataplane.mbufs, or still
#     deliver the packets; a port that starts and delivers nothing is a failure.
# The generator stays connected until the dataplane has stopped.
. "$(dirname "$0")/lib.sh"
. "$src/tests/trafficgen/live_lib.sh"

seed_feed=$src/conf/feeds/threatfox-netsupport.md
"$ctl_bin" compile -o "$work/seed.snap" "$seed_feed" 2> "$work/compile.log" || fail "compile"

# run_pool MBUFS COUNT: dataplane with that pool, generator sending COUNT packets (then lingering).
run_pool() {
	rm -f "$work/vu.sock" "$work/go"
	cat > "$work/pool.yaml" <<EOF
dataplane:
  mode: passive
  mbufs: $1
  mbuf_cache: 0
  rx_desc: 1024
EOF
	DP_WAIT="workers\\|waiting for client connection"
	DP_EXTRA_ARGS="--snapshot $work/seed.snap"
	dp_start "$work/pool.yaml" "net_virtio_user0,path=$work/vu.sock,queues=1,queue_size=1024,server=1"
	DP_EXTRA_ARGS=""
	TG_EAL="--vdev net_vhost0,iface=$work/vu.sock,queues=1,client=1"
	tg_bg "$work/tg.out" --seed 21 --flows 5000 --hit-rate 0.01 --imix --count "$2" \
		--ioc-feed "$seed_feed" --linger 60 --wait-for "$work/go"
	# Either the dataplane starts (its port got the client) or it refuses the pool.
	wait_for 30 sh -c "grep -q 'workers' '$work/dataplane.log' || ! kill -0 $dp_pid" ||
		fail "the dataplane neither started nor exited"
	touch "$work/go"
}

# 1. A tight pool: everything received, matched, counted.
run_pool 1100 100000
dpstat_wait rx_pkts 100000 30 || fail "received $(dpstat rx_pkts) of 100000 with 1100 mbufs"
dpsnap
[ "$(snapval parse_ok)" -eq 100000 ] || fail "parsed $(snapval parse_ok) of 100000"
nombuf=$(python3 "$tel_py" get "$dp_prefix" /ethdev/stats,0 rx_nombuf)
dp_stop
[ "$(summary rx)" -eq 100000 ] || fail "exit summary: rx $(summary rx)"
kill -TERM "$tg_pid"
tg_wait
matched=$(summary matches)
ioc_pkts=$(tg_field ioc_pkts "$work/tg.out")
[ "$matched" -eq "$ioc_pkts" ] || fail "matches $matched, IOC packets $ioc_pkts"
echo "fault_mbuf (1100 mbufs): ok (100000 packets received and counted, rx_nombuf $nombuf)"

# 2. A pool smaller than the RX ring.
run_pool 1023 20000
if ! kill -0 "$dp_pid" 2>/dev/null; then
	rc=0
	wait "$dp_pid" || rc=$?
	[ "$rc" -ne 0 ] || fail "the dataplane exited 0 instead of refusing the pool"
	grep -q 'mbufs' "$work/dataplane.log" || fail "the refusal does not name dataplane.mbufs"
	echo "fault_mbuf (1023 mbufs): ok (refused at start)"
	exit 0
fi
if ! dpstat_wait rx_pkts 20000 10; then
	nombuf=$(python3 "$tel_py" get "$dp_prefix" /ethdev/stats,0 rx_nombuf)
	fail "dataplane.mbufs 1023 is smaller than the 1024-descriptor RX ring it must fill: the port" \
		"started but delivered $(dpstat rx_pkts) of 20000 packets (rx_nombuf $nombuf); the" \
		"dataplane should refuse such a pool at start"
fi
dp_stop
echo "fault_mbuf (1023 mbufs): ok (every packet received)"
