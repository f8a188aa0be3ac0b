#!/bin/sh
# The shipped capture against the shipped seed feed (ThreatFox report format):
# exactly the three seed-IOC flows are exported, each as one match and one
# flow-end record, with the IOC context the hunting queries use. Runs with
# --no-huge and, where available, with hugepages.
. "$(dirname "$0")/lib.sh"

for mem in $(mem_modes); do
	out=$work/seed-$mem.cef
	IOCWIRE_MEM=$mem replay "$src/tests/data/seed.pcap" "$out" "$src/conf/feeds/threatfox-netsupport.md"
	python3 "$src/tests/tools/cef_check.py" "$out" "$src/tests/data/seed.expected" ||
		fail "records differ from seed.expected ($mem)"
	[ "$(grep -c . "$out")" -eq 6 ] || fail "expected 6 records ($mem)"
	all_records_contain "$out" "CEF:0|iocwire|iocwire|"
	all_records_contain "$out" "cs1=NetSupportManager RAT"
	all_records_contain "$out" "cs2=botnet_cc"
	all_records_contain "$out" "act=alert"
	all_records_contain "$out" "deviceDirection=1"
	all_records_contain "$out" "dvchost=iocwire-sensor-01"
	grep -F "dst=95.85.246.53" "$out" | grep -q "cn1=100" || fail "confidence 100 for 95.85.246.53"
	grep -F "dst=101.109.237.93" "$out" | grep -q "cn1=75" || fail "confidence 75 for 101.109.237.93"
	grep -F "dst=101.109.237.93" "$out" | grep -q "cs3=101.109.237.93:7443" || fail "IOC value"
	if grep -F "dpt=80 " "$out"; then fail "port 80 flow to an ip:port IOC address was exported"; fi
	echo "replay_seed ($mem): ok"
done
