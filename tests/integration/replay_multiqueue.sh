#!/bin/sh
# Several RX queues and workers: net_pcap has no RSS, so each capture is one
# queue (rx_pcap given twice) and each worker owns one queue. Two workers
# share the machine's second core (lcore map 0@0,1@1,2@1). Every flow of both
# captures is exported exactly once, with per-worker flow ids kept distinct.
. "$(dirname "$0")/lib.sh"

out=$work/mq.cef
cat "$src/tests/data/seed.expected" "$src/tests/data/v6vlan.expected" > "$work/both.expected"
IOCWIRE_LCORES=0@0,1@1,2@1 IOCWIRE_VERBOSE=1 IOCWIRE_BUILD=$build "$src/control/iocwire-replay" \
	--pcap "$src/tests/data/seed.pcap" --pcap "$src/tests/data/v6vlan.pcap" \
	--feed "$src/conf/feeds/threatfox-netsupport.md" --feed "$src/tests/data/v6vlan.txt" \
	--out "$out" 2> "$work/log"
grep -q "2 workers, 1 ports x 2 rx queues" "$work/log" || fail "not 2 workers x 2 queues: $(cat "$work/log")"
python3 "$src/tests/tools/cef_check.py" "$out" "$work/both.expected" || fail "records differ"
# Flow ids carry the worker index in their top byte: both workers produced records.
ids=$(grep -o 'externalId=[0-9]*' "$out" | sort -u | wc -l)
[ "$ids" -eq 7 ] || fail "expected 7 distinct flow ids, got $ids"
echo "replay_multiqueue: ok"
