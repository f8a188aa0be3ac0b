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
# The same prefixes from real feed formats: a Spamhaus DROP list and a STIX 2.1 bundle.
out2=$work/cidr-feeds.cef
replay "$src/tests/data/seed.pcap" "$out2" "$src/tests/data/seed_drop.txt" "$src/tests/data/seed_stix.json"
python3 "$src/tests/tools/cef_check.py" "$out2" "$src/tests/data/seed_cidr.expected" ||
	fail "Spamhaus/STIX records differ from seed_cidr.expected"
grep -F "dst=95.85.246.53 " "$out2" | grep -q "cs5=https://www.spamhaus.org/sbl/query/SBL640001" ||
	fail "Spamhaus reference"
grep -F "dst=2001:db8:ffff::80 " "$out2" | grep -q "cn1=80" || fail "STIX confidence"
echo "replay_cidr: ok"
