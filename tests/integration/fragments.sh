#!/bin/sh
# IPv4 fragments: the later fragments of a datagram to an ip:port indicator
# carry no ports; they are tied to the flow of their first fragment (by the
# datagram's identification), counted in it, and dropped with it inline.
. "$(dirname "$0")/lib.sh"

out=$work/frags.cef
replay "$src/tests/data/frags.pcap" "$out" "$src/conf/feeds/threatfox-netsupport.md"
python3 "$src/tests/tools/cef_check.py" "$out" "$src/tests/data/frags.expected" ||
	fail "fragment flow records differ from frags.expected"

cat > "$work/drop.yaml" <<EOF2
dataplane:
  mode: inline
control:
  feeds:
    - path: $src/conf/feeds/threatfox-netsupport.md
      action: drop
EOF2
run_inline "$work/drop.yaml" "$src/tests/data/frags.pcap" drop
fwd=$(tcpdump -nr "$work/drop-out1.pcap" 2>/dev/null | wc -l)
[ "$fwd" -eq 3 ] || fail "forwarded $fwd packets: expected only the 3 clean fragments"
if tcpdump -nr "$work/drop-out1.pcap" 'host 95.85.246.53' 2>/dev/null | grep -q .; then
	fail "a fragment of the blocked datagram was forwarded"
fi
grep -q "verdict-dropped 4" "$work/drop-dp.log" || fail "summary: $(grep rx "$work/drop-dp.log")"
echo "fragments: ok"
