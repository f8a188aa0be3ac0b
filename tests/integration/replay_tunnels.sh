#!/bin/sh
# Overlay and mirror tunnels (tests/data/tunnels.pcap, tests/tools/mktunnels.py):
# seed-IOC sessions inside VXLAN, GRE and ERSPAN II, clean ones in VXLAN, GRE
# and GENEVE. Decapsulated by default: exactly the three inner IOC flows are
# exported (inner addresses, outer frame bytes), every frame counted as a
# decapsulated tunnel. With tunnels off in the configuration the outer
# addresses (tunnel endpoints) are matched instead: no record.
. "$(dirname "$0")/lib.sh"

feed=$src/conf/feeds/threatfox-netsupport.md
out=$work/tunnels.cef
replay "$src/tests/data/tunnels.pcap" "$out" "$feed" 2> "$work/on.log"
python3 "$src/tests/tools/cef_check.py" "$out" "$src/tests/data/tunnels.expected" ||
	fail "records differ from tunnels.expected"
frames=$(tcpdump -nr "$src/tests/data/tunnels.pcap" 2>/dev/null | grep -c '^[0-9]')
grep -q "tunnels $frames (outer only 0)" "$work/on.log" ||
	fail "expected $frames decapsulated frames: $(cat "$work/on.log")"

cat > "$work/off.yaml" <<EOF2
dataplane:
  tunnels:
    vxlan_port: 0
    geneve_port: 0
    gre: false
EOF2
IOCWIRE_BUILD=$build "$src/control/iocwire-replay" --pcap "$src/tests/data/tunnels.pcap" \
	--feed "$feed" --config "$work/off.yaml" --out "$work/off.cef" 2> "$work/off.log" ||
	fail "replay with tunnels off: $(cat "$work/off.log")"
[ ! -s "$work/off.cef" ] || fail "tunnels off: records for tunnel endpoints: $(cat "$work/off.cef")"
grep -q "tunnels 0 (outer only 0)" "$work/off.log" || fail "tunnels off: $(cat "$work/off.log")"

# A tunnel port that is also the other tunnel's is refused with file:line:col.
printf 'dataplane:\n  tunnels:\n    vxlan_port: 4789\n    geneve_port: 4789\n' > "$work/bad.yaml"
if "$build/dataplane/iocwire-dataplane" --no-huge --no-shconf -m 64 --no-pci -l 0 \
	-- -c "$work/bad.yaml" --snapshot /nonexistent > "$work/bad.log" 2>&1; then
	fail "a duplicate tunnel port was accepted"
fi
grep -q "bad.yaml:4:18: key 'geneve_port': port 4789 is already the VXLAN port" "$work/bad.log" ||
	fail "config error: $(cat "$work/bad.log")"
echo "replay_tunnels: ok"
