#!/bin/sh
# Inline mode: two net_pcap ports forward to each other; the flows of a `drop`
# feed are dropped (and reported as blocked), every other packet is forwarded
# unmodified. The port-80 flow to 95.85.246.53 matches only the dropped CIDR
# (the ip:port alert IOCs are more specific for port 443).
. "$(dirname "$0")/lib.sh"

python3 -c 'import struct,sys; sys.stdout.buffer.write(struct.pack("<IHHiIII",0xa1b2c3d4,2,4,0,0,65535,1))' \
	> "$work/empty.pcap"
printf '95.85.246.0/24\n' > "$work/block.txt"
cat > "$work/inline.yaml" <<EOF2
sensor:
  name: inline-test
dataplane:
  mode: inline
control:
  home_networks: [10.0.0.0/8]
  feeds:
    - path: $src/conf/feeds/threatfox-netsupport.md
      action: alert
    - path: $work/block.txt
      action: drop
EOF2
sock=$work/dp.sock
"$build/dataplane/iocwire-dataplane" -l 0-1 --no-pci --no-huge --no-shconf -m 512 \
	--log-level=lib.eal:warning \
	--vdev "net_pcap0,rx_pcap=$src/tests/data/seed.pcap,tx_pcap=$work/out0.pcap" \
	--vdev "net_pcap1,rx_pcap=$work/empty.pcap,tx_pcap=$work/out1.pcap" \
	-- -c "$work/inline.yaml" --replay --socket "$sock" > "$work/dp.log" 2>&1 &
dp=$!
rc=0
"$build/control/iocwire-control" run -c "$work/inline.yaml" --socket "$sock" --out "$work/inline.cef" \
	--exit-on-end --connect-timeout 30 2> "$work/ctl.log" || rc=$?
wait $dp || fail "dataplane failed: $(cat "$work/dp.log")"
[ "$rc" -eq 0 ] || fail "control failed: $(cat "$work/ctl.log")"

cat "$src/tests/data/seed.expected" > "$work/expected"
echo "TCP 10.20.0.15 49820 95.85.246.53 80 0 10 398 285 fin" >> "$work/expected"
python3 "$src/tests/tools/cef_check.py" "$work/inline.cef" "$work/expected" || fail "records differ"
[ "$(grep -c 'act=blocked' "$work/inline.cef")" -eq 2 ] || fail "the dropped flow is not reported as blocked"
grep 'act=blocked' "$work/inline.cef" | grep -q 'dpt=80 ' || fail "blocked record is not the port-80 flow"
[ "$(grep -c 'act=alert' "$work/inline.cef")" -eq 6 ] || fail "alert records"

total=$(tcpdump -nr "$src/tests/data/seed.pcap" 2>/dev/null | wc -l)
fwd=$(tcpdump -nr "$work/out1.pcap" 2>/dev/null | wc -l)
[ "$fwd" -eq $((total - 10)) ] || fail "forwarded $fwd of $total packets, expected all but the 10 dropped"
if tcpdump -nr "$work/out1.pcap" 'tcp port 80' 2>/dev/null | grep -q .; then fail "a dropped packet was forwarded"; fi
# Forwarding keeps packets unmodified: the forwarded frames equal the input minus the dropped flow.
tcpdump -nr "$src/tests/data/seed.pcap" -w "$work/want.pcap" 'not (host 95.85.246.53 and tcp port 80)' 2>/dev/null
frames() { tcpdump -xxnr "$1" 2>/dev/null | grep -v '^[0-9]' | md5sum; }
[ "$(frames "$work/want.pcap")" = "$(frames "$work/out1.pcap")" ] || fail "forwarded frames differ from the input"
grep -q "verdict-dropped 10" "$work/dp.log" || fail "dataplane summary: $(grep rx "$work/dp.log")"
echo "inline_drop: ok"
