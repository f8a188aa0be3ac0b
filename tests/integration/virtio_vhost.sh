#!/bin/sh
# The virtio path: iocwire-trafficgen sends through DPDK's virtio PMD (the
# driver that runs inside a VM) into iocwire's vhost-user port, with the
# control plane attached, then the dataplane is stopped with SIGTERM and the
# exported records are checked flow by flow against what the generator sent:
# every IOC flow (IPv4 and IPv6, ip and ip:port IOCs, VLAN, both directions,
# IMIX sizes) exactly once as a match and a flow-end record with end reason
# 'shutdown' and exact packet and byte totals; nothing for the benign flows;
# every packet received, none malformed, every IOC packet matched.
#
# Both pairings run: iocwire on net_vhost (server) with the generator on
# net_virtio_user, and iocwire on net_virtio_user in server mode with the
# generator on net_vhost as client.
. "$(dirname "$0")/lib.sh"
. "$src/tests/trafficgen/live_lib.sh"

cat > "$work/iocwire.yaml" <<EOF
sensor:
  name: iocwire-virtio-test
dataplane:
  mode: passive
control:
  home_networks: [10.0.0.0/8, fd00::/8]
EOF
printf '185.220.101.7\n[2001:db8:bad::20]:8443\n' > "$work/extra.txt"
seed_feed=$src/conf/feeds/threatfox-netsupport.md
count=20000

# pairing NAME DATAPLANE_VDEV GENERATOR_VDEV
pairing() {
	name=$1
	dp_start "$work/iocwire.yaml" "$2"
	ctl_start "$work/iocwire.yaml" "$work/$name.cef" "$seed_feed" "$work/extra.txt"
	TG_EAL="--vdev $3" tg --seed 11 --flows 500 --hit-rate 0.04 --ipv6-share 0.25 --imix --vlan 7 \
		--bidir --count $count --rate 200000 --ioc-feed "$seed_feed" --ioc-feed "$work/extra.txt" \
		--expect "$work/$name.expected" --expect-end shutdown > "$work/$name.tg" 2> "$work/trafficgen.log" ||
		fail "$name: generator failed"
	cat "$work/$name.tg"
	[ "$(tg_field sent "$work/$name.tg")" -eq $count ] || fail "$name: generator sent less than $count"
	ioc_pkts=$(tg_field ioc_pkts "$work/$name.tg")
	[ "$ioc_pkts" -eq 1600 ] || fail "$name: 20 IOC flows x 80 packets expected, generator says $ioc_pkts"
	dpstat_wait rx_pkts $count 30 || fail "$name: the dataplane did not receive $count packets"
	[ "$(dpstat matches)" -eq "$ioc_pkts" ] || fail "$name: matches $(dpstat matches), IOC packets $ioc_pkts"
	[ "$(dpstat flows_active)" -eq 20 ] || fail "$name: $(dpstat flows_active) flows tracked, 20 expected"
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
	echo "virtio_vhost ($name, ${IOCWIRE_LIVE_MEM:-nohuge}): ok"
}

pairing vhost "net_vhost0,iface=$work/vhost.sock,queues=1" "net_virtio_user0,path=$work/vhost.sock,queues=1"
pairing virtio_server "net_virtio_user0,path=$work/vu.sock,queues=1,server=1" \
	"net_vhost0,iface=$work/vu.sock,queues=1,client=1"
