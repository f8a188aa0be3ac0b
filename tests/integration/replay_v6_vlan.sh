#!/bin/sh
# IPv6 and VLAN/QinQ traffic against a plain IOC list: ip and ip:port
# indicators, matched as source or destination, IPv6 extension headers,
# 802.1Q and QinQ tags. Exactly the expected flows are exported.
. "$(dirname "$0")/lib.sh"

out=$work/v6vlan.cef
replay "$src/tests/data/v6vlan.pcap" "$out" "$src/tests/data/v6vlan.txt"
python3 "$src/tests/tools/cef_check.py" "$out" "$src/tests/data/v6vlan.expected" ||
	fail "records differ from v6vlan.expected"
# The IOC was the source of the UDP flow: the record says so.
grep -F "src=2001:db8:bad::10 " "$out" | grep -q "flexString1=src" || fail "matched endpoint src"
grep -F "cs3=[2001:db8:bad::20]:8443" "$out" >/dev/null || fail "IPv6 ip:port IOC value"
grep -F "cn2=200" "$out" >/dev/null || fail "outer VLAN of the QinQ flow"
echo "replay_v6_vlan: ok"
