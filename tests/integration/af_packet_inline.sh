#!/bin/sh
# Real kernel interfaces: two network namespaces joined by iocwire running
# inline between two veth pairs (net_af_packet ports). Namespace A routes the
# seed IOC addresses to namespace B, which owns them; real kernel traffic
# goes through iocwire: ping (IPv4 and IPv6), a TCP connection to the seed
# IOC 95.85.246.53:443 moving 20 kB, UDP, a DNS query, a TCP connection to an
# ip:port IOC's address on another port, and traffic to a clean address.
# Checked: every connection and reply works through iocwire (forwarding),
# exactly the IOC flows are exported with the right indicator, protocol and
# end reason, the clean flows are not, and nothing is dropped or failed.
# Namespaces, veths and servers are removed afterwards, even on failure.
# Skips (exit 77) when network namespaces cannot be created (not root, or a
# container without CAP_NET_ADMIN).
. "$(dirname "$0")/lib.sh"

if [ "$(id -u)" != 0 ] || ! command -v ip > /dev/null; then
	echo "af_packet_inline: SKIP (needs root and iproute2)"
	exit 77
fi
for t in socat dig ethtool ping; do
	command -v $t > /dev/null || { echo "af_packet_inline: SKIP ($t not installed: make deps)"; exit 77; }
done

. "$src/tests/trafficgen/live_lib.sh"

s=$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')
ns_a=iocw_a_$s
ns_b=iocw_b_$s
if_a=iwa$s   # in ns_a
if_b=iwb$s   # in ns_b
port0=iwha$s # host side of if_a: iocwire port 0
port1=iwhb$s # host side of if_b: iocwire port 1

net_cleanup() {
	for ns in $ns_a $ns_b; do
		for p in $(ip netns pids "$ns" 2>/dev/null); do
			kill "$p" 2>/dev/null || true
		done
	done
	ip netns del "$ns_a" 2>/dev/null || true
	ip netns del "$ns_b" 2>/dev/null || true
	ip link del "$port0" 2>/dev/null || true
	ip link del "$port1" 2>/dev/null || true
	live_cleanup
}
trap net_cleanup EXIT

if ! ip netns add "$ns_a" 2> "$work/netns.err"; then
	echo "af_packet_inline: SKIP (cannot create a network namespace: $(cat "$work/netns.err"))"
	exit 77
fi
ip netns add "$ns_b"
ina() { ip netns exec "$ns_a" "$@"; }
inb() { ip netns exec "$ns_b" "$@"; }

ip link add "$if_a" type veth peer name "$port0"
ip link add "$if_b" type veth peer name "$port1"
ip link set "$if_a" netns "$ns_a"
ip link set "$if_b" netns "$ns_b"
# The host side is a wire: no addresses, no IPv6 autoconfiguration chatter.
for p in $port0 $port1; do
	sysctl -qw "net.ipv6.conf.$p.disable_ipv6=1"
	ip link set "$p" up
done
# No checksum offload, TSO/GSO/GRO: af_packet must see (and re-send) finished
# wire frames, not 64 kB super-packets with partial checksums.
for p in $port0 $port1; do
	ethtool -K "$p" rx off tx off tso off gso off gro off > /dev/null 2>&1 || true
done
ina ethtool -K "$if_a" rx off tx off tso off gso off gro off > /dev/null 2>&1 || true
inb ethtool -K "$if_b" rx off tx off tso off gso off gro off > /dev/null 2>&1 || true

ina ip link set lo up
ina ip addr add 10.99.0.1/24 dev "$if_a"
ina ip -6 addr add fd99::1/64 dev "$if_a" nodad
ina ip link set "$if_a" up
ina ip route add 95.85.246.53/32 via 10.99.0.2
ina ip route add 101.109.237.93/32 via 10.99.0.2
ina ip -6 route add 2001:db8:bad::/64 via fd99::2

inb ip link set lo up
inb ip addr add 10.99.0.2/24 dev "$if_b"
inb ip -6 addr add fd99::2/64 dev "$if_b" nodad
inb ip addr add 95.85.246.53/32 dev lo
inb ip addr add 101.109.237.93/32 dev lo
inb ip -6 addr add 2001:db8:bad::20/128 dev lo
inb ip link set "$if_b" up

cat > "$work/iocwire.yaml" <<EOF
sensor:
  name: iocwire-afpacket-test
dataplane:
  mode: inline
  flows:
    tcp_closed: 1s
control:
  state_dir: $work/state
  socket: $work/ctl.sock
  home_networks: [10.99.0.0/24, fd99::/64]
EOF
# The seed feed lists 95.85.246.53:443 and 101.109.237.93:7443 (ip:port); the
# plain list adds 95.85.246.53 and 2001:db8:bad::20 as ip IOCs (ping, UDP, DNS).
printf '95.85.246.53\n2001:db8:bad::20\n' > "$work/extra.txt"
afp="framecnt=16384,blocksz=65536,framesz=2048,qpairs=1"
dp_start "$work/iocwire.yaml" "net_af_packet0,iface=$port0,$afp" "net_af_packet1,iface=$port1,$afp"
ctl_start "$work/iocwire.yaml" "$work/records.cef" "$src/conf/feeds/threatfox-netsupport.md" "$work/extra.txt"

# Servers in namespace B, each bounded in time.
head -c 20000 /dev/zero | tr '\0' 'x' > "$work/payload"
inb timeout 60 socat -T 10 TCP-LISTEN:443,bind=95.85.246.53,reuseaddr,fork SYSTEM:"cat $work/payload" \
	> /dev/null 2>&1 &
inb timeout 60 socat -T 10 TCP-LISTEN:7443,bind=101.109.237.93,reuseaddr,fork SYSTEM:"echo c2-7443" \
	> /dev/null 2>&1 &
inb timeout 60 socat -T 10 TCP-LISTEN:80,bind=101.109.237.93,reuseaddr,fork SYSTEM:"echo web-80" \
	> /dev/null 2>&1 &
inb timeout 60 socat -T 10 TCP-LISTEN:8080,bind=10.99.0.2,reuseaddr,fork SYSTEM:"echo clean-8080" \
	> /dev/null 2>&1 &
cat > "$work/udp.py" <<'EOF'
# UDP: as "server ADDR PORT", answer every datagram with "udp-pong"; as "client ADDR PORT",
# send "ping" (up to 3 tries: it is UDP) and print the answer.
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
if sys.argv[1] == "server":
    s.bind((sys.argv[2], int(sys.argv[3])))
    s.settimeout(60)
    while True:
        _, peer = s.recvfrom(512)
        s.sendto(b"udp-pong", peer)
s.settimeout(2)
for _ in range(3):
    s.sendto(b"ping", (sys.argv[2], int(sys.argv[3])))
    try:
        print(s.recv(512).decode())
        break
    except socket.timeout:
        pass
EOF
inb timeout 60 python3 "$work/udp.py" server 95.85.246.53 9999 > /dev/null 2>&1 &
cat > "$work/dns.py" <<'EOF'
# One-question A responder: answers every query with 192.0.2.1 (RFC 1035 4.1).
import socket, struct, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 53))
s.settimeout(60)
while True:
    q, peer = s.recvfrom(512)
    end = 12
    while q[end] != 0:
        end += q[end] + 1
    question = q[12:end + 5]
    answer = b"\xc0\x0c" + struct.pack(">HHIH", 1, 1, 60, 4) + bytes([192, 0, 2, 1])
    s.sendto(q[:2] + struct.pack(">HHHHH", 0x8180, 1, 1, 0, 0) + question + answer, peer)
EOF
inb timeout 60 python3 "$work/dns.py" 95.85.246.53 > /dev/null 2>&1 &
sleep 0.5

# Client traffic from namespace A, through iocwire.
ina ping -c 3 -W 2 -i 0.2 95.85.246.53 > "$work/ping4.out" 2>&1 ||
	fail "ping 95.85.246.53 through iocwire: $(cat "$work/ping4.out")"
ina ping -6 -c 3 -W 2 -i 0.2 2001:db8:bad::20 > "$work/ping6.out" 2>&1 || fail "ping -6 through iocwire"
ina ping -c 2 -W 2 -i 0.2 10.99.0.2 > /dev/null 2>&1 || fail "ping to the clean address"
got=$(ina socat -T 5 -u TCP:95.85.246.53:443,connect-timeout=5 - | wc -c)
[ "$got" -eq 20000 ] || fail "TCP 95.85.246.53:443: got $got of 20000 bytes through iocwire"
[ "$(ina socat -T 5 -u TCP:101.109.237.93:7443,connect-timeout=5 -)" = c2-7443 ] || fail "TCP :7443"
[ "$(ina socat -T 5 -u TCP:101.109.237.93:80,connect-timeout=5 -)" = web-80 ] || fail "TCP :80"
[ "$(ina socat -T 5 -u TCP:10.99.0.2:8080,connect-timeout=5 -)" = clean-8080 ] || fail "TCP clean :8080"
[ "$(ina python3 "$work/udp.py" client 95.85.246.53 9999)" = udp-pong ] || fail "UDP 95.85.246.53:9999"
answer=$(ina dig +time=2 +tries=2 +short @95.85.246.53 c2.evil.example A) || fail "DNS query"
[ "$answer" = 192.0.2.1 ] || fail "DNS answer through iocwire: '$answer'"

sleep 1.5 # FIN both ways + tcp_closed (1 s): the TCP flows end as 'fin'
tx_failed=$(dpstat tx_failed)
dp_stop
ctl_wait
rx=$(summary rx)
tx=$(summary tx)
[ "$tx_failed" -eq 0 ] || fail "$tx_failed frames could not be forwarded"
[ "$rx" -eq "$tx" ] || fail "inline: rx $rx but tx $tx (no drop feed: every frame must go through)"

rec=$work/records.cef
flow_end() { grep '|flow-end|' "$rec" | grep -F -- "$1"; }
# ICMP to the ip IOC: one flow, 3 requests + 3 replies.
flow_end "dst=95.85.246.53 " | grep -F "proto=ICMP " | grep -q "cn3=6 " || fail "ICMP flow to 95.85.246.53"
flow_end "dst=2001:db8:bad::20 " | grep -F "proto=ICMPv6 " | grep -q "cs3=2001:db8:bad::20 " ||
	fail "ICMPv6 flow to 2001:db8:bad::20"
# TCP 443: the ip:port IOC wins over the ip IOC, the whole payload is counted, closed by FIN.
line=$(flow_end "dpt=443 ") || fail "no flow-end for TCP 443"
echo "$line" | grep -F "cs3=95.85.246.53:443 " | grep -F "reason=fin " | grep -q "cs1=NetSupportManager RAT" ||
	fail "TCP 443 record: $line"
in_bytes=$(echo "$line" | sed -n 's/.* in=\([0-9]*\) .*/\1/p')
[ "$in_bytes" -gt 20000 ] || fail "TCP 443: $in_bytes bytes from the server, 20000 sent"
flow_end "dpt=7443 " | grep -q "cs3=101.109.237.93:7443 " || fail "TCP 7443 (ip:port IOC)"
flow_end "dpt=9999 " | grep -F "proto=UDP " | grep -q "cs3=95.85.246.53 " || fail "UDP to the ip IOC"
flow_end "dpt=53 " | grep -q "proto=UDP " || fail "DNS query to the ip IOC"
# Not IOC flows: the ip:port IOC's address on another port, and the clean address.
if grep -F "dpt=80 " "$rec"; then fail "101.109.237.93:80 exported (ip:port IOC on another port)"; fi
if grep -F "10.99.0.2" "$rec"; then fail "traffic to the clean address exported"; fi
# One match and one flow-end record per flow: ICMP, ICMPv6, 443, 7443, UDP 9999, DNS.
[ "$(grep -c '|ioc-match|' "$rec")" -eq 6 ] || fail "$(grep -c '|ioc-match|' "$rec") match records, 6 expected"
[ "$(grep -c '|flow-end|' "$rec")" -eq 6 ] || fail "$(grep -c '|flow-end|' "$rec") flow-end records, 6 expected"
echo "af_packet_inline: ok (rx $rx = tx $tx frames through iocwire)"
