#!/bin/sh
# The virtio path: iocwire-trafficgen sends through DPDK's virtio PMD (the
# driver that runs inside a VM) into iocwire over vhost-user, with the
# control plane attached; then the dataplane is stopped with SIGTERM and the
# exported records are checked flow by flow against what the generator sent:
# every IOC flow (IPv4 and IPv6, ip and ip:port IOCs, VLAN, both directions,
# IMIX sizes) exactly once as a match and a flow-end record with end reason
# 'shutdown' and exact packet and byte totals; nothing for the benign flows;
# every packet received, none malformed, every IOC packet matched.
#
# Three pairings:
#  inline_vhost    iocwire inline between two net_vhost ports; the generator
#                  sends on one net_virtio_user and gets every packet back on
#                  the other (forwarding checked too);
#  passive_virtio  iocwire on net_virtio_user in server mode, the generator on
#                  net_vhost as client (the reverse pairing);
#  passive_vhost   iocwire passive on net_vhost, the generator on net_virtio_user.
. "$(dirname "$0")/lib.sh"
. "$src/tests/trafficgen/live_lib.sh"

for mode in passive inline; do
	cat > "$work/$mode.yaml" <<EOF
sensor:
  name: iocwire-virtio-test
dataplane:
  mode: $mode
control:
  state_dir: $work/state
  socket: $work/ctl.sock
  home_networks: [10.0.0.0/8, fd00::/8]
EOF
done
printf '185.220.101.7\n[2001:db8:bad::20]:8443\n' > "$work/extra.txt"
seed_feed=$src/conf/feeds/threatfox-netsupport.md
count=20000

# pairing NAME MODE DATAPLANE_VDEVS GENERATOR_VDEVS (space-separated lists)
# The dataplane starts first (as vhost-user server, or as virtio_user server
# waiting for its client), then the generator, which holds its packets until
# the control plane has published the IOC snapshot.
pairing() {
	name=$1 mode=$2 gen_vdevs=""
	for v in $4; do gen_vdevs="$gen_vdevs --vdev $v"; done
	rm -f "$work/go"
	DP_WAIT="workers\|waiting for client connection"
	# shellcheck disable=SC2086 # one --vdev per word
	dp_start "$work/$mode.yaml" $3
	TG_EAL=$gen_vdevs
	tg_bg "$work/$name.tg" --seed 11 --flows 500 --hit-rate 0.04 \
		--ipv6-share 0.25 --imix --vlan 7 --bidir --count $count --duration 20 --rate 200000 --linger 1 \
		--ioc-feed "$seed_feed" --ioc-feed "$work/extra.txt" --expect "$work/$name.expected" \
		--expect-end shutdown --wait-for "$work/go"
	dp_started
	ctl_start "$work/$mode.yaml" "$work/$name.cef" "$seed_feed" "$work/extra.txt"
	touch "$work/go"
	dpstat_wait rx_pkts 1 10 || fail "$name: the dataplane received nothing in 10 s"
	tg_wait
	cat "$work/$name.tg"
	[ "$(tg_field sent "$work/$name.tg")" -eq $count ] ||
		fail "$name: in 20 s the dataplane took $(tg_field sent "$work/$name.tg") of $count packets"
	ioc_pkts=$(tg_field ioc_pkts "$work/$name.tg")
	[ "$ioc_pkts" -eq 800 ] || fail "$name: 20 IOC flows x 40 packets expected, generator says $ioc_pkts"
	dpstat_wait rx_pkts $count 30 ||
		fail "$name: the dataplane received $(dpstat rx_pkts) of $count packets"
	dpsnap
	[ "$(snapval matches)" -eq "$ioc_pkts" ] || fail "$name: matches $(snapval matches), IOC packets $ioc_pkts"
	[ "$(snapval flows_active)" -eq 20 ] || fail "$name: $(snapval flows_active) flows tracked, 20 expected"
	if [ "$mode" = inline ]; then
		# Every frame forwarded, or counted as not (TX ring full while the generator lagged).
		tx=$(snapval tx_pkts)
		tx_failed=$(snapval tx_failed)
		[ $((tx + tx_failed)) -eq $count ] || fail "$name: forwarded $tx + failed $tx_failed != $count"
		[ "$(tg_field received "$work/$name.tg")" -eq "$tx" ] ||
			fail "$name: the generator got $(tg_field received "$work/$name.tg") back of $tx forwarded"
		[ "$tx_failed" -eq 0 ] || echo "virtio_vhost ($name): $tx_failed frames not forwarded (TX ring full), counted"
	fi
	dp_stop
	ctl_wait
	grep -q '20 match records, 20 flow-end records, 0 events dropped' "$work/control.log" ||
		fail "$name: control plane summary: $(grep records "$work/control.log")"
	[ "$(summary rx)" -eq $count ] || fail "$name: exit summary rx $(summary rx)"
	[ "$(summary malformed)" -eq 0 ] || fail "$name: malformed packets"
	[ "$(summary dropped)" -eq 0 ] || fail "$name: events dropped"
	python3 "$src/tests/tools/cef_check.py" "$work/$name.cef" "$work/$name.expected" ||
		fail "$name: records differ from what the generator sent"
	grep -F "cs3=95.85.246.53:443" "$work/$name.cef" | grep -q "dvchost=iocwire-virtio-test" ||
		fail "$name: seed IOC 95.85.246.53:443 not exported"
	grep -F "src=fd00:" "$work/$name.cef" | grep -q "deviceDirection=1" || fail "$name: IPv6 outbound flows"
	rm -f "$work"/*.sock
	echo "virtio_vhost ($name, ${IOCWIRE_LIVE_MEM:-nohuge}): ok"
}

pairing inline_vhost inline \
	"net_vhost0,iface=$work/v0.sock,queues=1 net_vhost1,iface=$work/v1.sock,queues=1" \
	"net_virtio_user0,path=$work/v0.sock,queues=1,queue_size=1024 net_virtio_user1,path=$work/v1.sock,queues=1,queue_size=1024"
pairing passive_virtio passive "net_virtio_user0,path=$work/vu.sock,queues=1,queue_size=1024,server=1" \
	"net_vhost0,iface=$work/vu.sock,queues=1,client=1"
pairing passive_vhost passive "net_vhost0,iface=$work/vh.sock,queues=1" \
	"net_virtio_user0,path=$work/vh.sock,queues=1,queue_size=1024"
