#!/bin/sh
# Domain and URL indicators on the wire: DNS query names (UDP, TCP, another
# port, IPv6 in a VLAN), TLS SNI (TLS 1.2 and 1.3, a ClientHello split over two
# segments), HTTP Host and request URL (origin and absolute form, pipelined).
# Exactly the flows that carry evil.example, a subdomain of it, or the URL
# indicator are exported, with app, dhost/request and where the name was seen.
. "$(dirname "$0")/lib.sh"

printf '# names\nevil.example\nhttp://evil.example/gate.php?id=1\n' > "$work/names.txt"
out=$work/names.cef
replay "$src/tests/data/names.pcap" "$out" "$work/names.txt"
python3 "$src/tests/tools/cef_check.py" "$out" "$src/tests/data/names.flows.expected" ||
	fail "records differ from names.flows.expected"
match() { grep "ioc-match" "$out" | grep -F "spt=$1 "; }
match 53002 | grep -q "app=DNS dhost=a.evil.example .*cs3=evil.example .*cs6=domain" || fail "DNS subdomain record"
match 53002 | grep -q "flexString1Label=SeenIn flexString1=dns" || fail "DNS where-seen"
match 50101 | grep -q "app=TLS dhost=a.evil.example .*flexString1=tls.sni" || fail "split ClientHello SNI"
match 50200 | grep -qF 'app=HTTP request=http://evil.example/gate.php?id\=1 ' || fail "HTTP URL record"
match 50200 | grep -q "cs6=url .*flexString1=http.url" || fail "URL indicator type"
match 50202 | grep -q "dhost=a.evil.example .*flexString1=http.host" || fail "pipelined request host"
if grep -q "notevil\|benign" "$out"; then fail "a non-matching name was exported"; fi
echo "replay_names: ok"
