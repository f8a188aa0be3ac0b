#!/bin/sh
# Inline mode: two net_pcap ports forward to each other; the flows of a `drop`
# feed are dropped (and reported as blocked), every other packet is forwarded
# unmodified. The port-80 flow to 95.85.246.53 matches only the dropped CIDR
# (the ip:port alert IOCs are more specific for port 443).
. "$(dirname "$0")/lib.sh"

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
run_inline "$work/inline.yaml" "$src/tests/data/seed.pcap" inline

cat "$src/tests/data/seed.expected" > "$work/expected"
echo "TCP 10.20.0.15 49820 95.85.246.53 80 0 10 398 285 fin" >> "$work/expected"
python3 "$src/tests/tools/cef_check.py" "$work/inline.cef" "$work/expected" || fail "records differ"
[ "$(grep -c 'act=blocked' "$work/inline.cef")" -eq 2 ] || fail "the dropped flow is not reported as blocked"
grep 'act=blocked' "$work/inline.cef" | grep -q 'dpt=80 ' || fail "blocked record is not the port-80 flow"
[ "$(grep -c 'act=alert' "$work/inline.cef")" -eq 6 ] || fail "alert records"

total=$(tcpdump -nr "$src/tests/data/seed.pcap" 2>/dev/null | wc -l)
fwd=$(tcpdump -nr "$work/inline-out1.pcap" 2>/dev/null | wc -l)
[ "$fwd" -eq $((total - 10)) ] || fail "forwarded $fwd of $total packets, expected all but the 10 dropped"
if tcpdump -nr "$work/inline-out1.pcap" 'tcp port 80' 2>/dev/null | grep -q .; then fail "a dropped packet was forwarded"; fi
# Forwarding keeps packets unmodified: the forwarded frames equal the input minus the dropped flow.
tcpdump -nr "$src/tests/data/seed.pcap" -w "$work/want.pcap" 'not (host 95.85.246.53 and tcp port 80)' 2>/dev/null
frames() { tcpdump -xxnr "$1" 2>/dev/null | grep -v '^[0-9]' | md5sum; }
[ "$(frames "$work/want.pcap")" = "$(frames "$work/inline-out1.pcap")" ] || fail "forwarded frames differ from the input"
grep -q "verdict-dropped 10" "$work/inline-dp.log" || fail "dataplane summary: $(grep rx "$work/inline-dp.log")"
echo "inline_drop: ok"
