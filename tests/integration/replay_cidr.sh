#!/bin/sh
# CIDR indicators (IPv4 and IPv6, plain list): every flow to an address inside
# a prefix is exported, whatever its port, with the prefix as the indicator.
. "$(dirname "$0")/lib.sh"

out=$work/cidr.cef
replay "$src/tests/data/seed.pcap" "$out" "$src/tests/data/seed_cidr.txt"
python3 "$src/tests/tools/cef_check.py" "$out" "$src/tests/data/seed_cidr.expected" ||
	fail "records differ from seed_cidr.expected"
all_records_contain "$out" "cs6=cidr"
grep -F "dst=95.85.246.53 " "$out" | grep -q "cs3=95.85.246.0/24" || fail "IPv4 prefix as indicator"
grep -F "dst=2001:db8:ffff::80 " "$out" | grep -q "cs3=2001:db8:ffff::/48" || fail "IPv6 prefix as indicator"
echo "replay_cidr: ok"
