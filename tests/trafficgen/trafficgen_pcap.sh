#!/bin/sh
# iocwire-trafficgen --pcap-out, replayed through the real pipeline
# (control/iocwire-replay): the capture is byte-identical for the same seed,
# and iocwire exports exactly the IOC flows the generator aimed at, with the
# packet and byte totals the generator counted (IMIX, VLAN, IPv6, both
# directions, ip and ip:port IOCs, from two feed formats).
. "$(dirname "$0")/../integration/lib.sh"
tg=$build/tests/trafficgen/iocwire-trafficgen
[ -x "$tg" ] || fail "$tg not built"

printf '# extra IOCs: an ip IOC and an IPv6 ip:port IOC\n185.220.101.7\n[2001:db8:bad::20]:8443\n' > "$work/extra.txt"
feeds="$src/conf/feeds/threatfox-netsupport.md $work/extra.txt"
gen() {
	"$tg" --pcap-out "$1" --seed 42 --flows 2000 --hit-rate 0.02 --imix --vlan 42 --ipv6-share 0.3 \
		--bidir --count 10000 --ioc-feed "$src/conf/feeds/threatfox-netsupport.md" \
		--ioc-feed "$work/extra.txt" --expect "$2" --expect-end capture_end
}
gen "$work/a.pcap" "$work/a.expected" > "$work/gen.out" || fail "generator: $(cat "$work/gen.out")"
gen "$work/b.pcap" "$work/b.expected" > /dev/null || fail "generator (second run)"
cmp -s "$work/a.pcap" "$work/b.pcap" || fail "same seed, different captures"
grep -q ' ioc_flows=40 flows=2000 ' "$work/gen.out" || fail "IOC flows: $(cat "$work/gen.out")"
[ "$(grep -vc '^#' "$work/a.expected")" -eq 40 ] || fail "expected 40 IOC flows in $work/a.expected"
ioc_pkts=$(sed -n 's/.* ioc_pkts=\([0-9]*\) .*/\1/p' "$work/gen.out")
[ "$ioc_pkts" -eq 200 ] || fail "IOC packets: $ioc_pkts, expected 200 (40 flows x 5 passes)"

# shellcheck disable=SC2086
replay "$work/a.pcap" "$work/a.cef" $feeds 2> "$work/replay.err" || fail "replay: $(cat "$work/replay.err")"
python3 "$src/tests/tools/cef_check.py" "$work/a.cef" "$work/a.expected" ||
	fail "records differ from the generator's expectation"
[ "$(grep -c 'ioc-match' "$work/a.cef")" -eq 40 ] || fail "40 match records"
grep -q "matches $ioc_pkts," "$work/replay.err" ||
	fail "the dataplane matched other than $ioc_pkts packets: $(cat "$work/replay.err")"
grep -q "rx 10000 pkts" "$work/replay.err" || fail "rx count: $(cat "$work/replay.err")"
grep -q "malformed 0," "$work/replay.err" || fail "generated frames counted as malformed"
grep -F "cs3=[2001:db8:bad::20]:8443" "$work/a.cef" | grep -q "proto=TCP" || fail "IPv6 ip:port IOC (any protocol: TCP sent)"
grep -F "cs3=185.220.101.7 " "$work/a.cef" > /dev/null || fail "ip IOC flows"
echo "trafficgen_pcap: ok"
