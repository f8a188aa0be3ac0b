#!/bin/sh
# Fault: the control plane is killed (SIGKILL) in the middle of a reload, next
# to a live dataplane (seed.pcap in a loop). To land the kill inside the reload
# every time, the new feed arrives through a FIFO renamed over the feed file:
# the daemon's reload opens it and reads the first 1000 of 200001 indicators,
# then waits for the rest, and is killed there. The dataplane keeps its
# snapshot (same generation when a new daemon attaches) and keeps matching;
# the restarted daemon compiles the whole 200001-indicator feed and publishes
# it under load.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon_lib.sh"

printf '95.85.246.53:443\n' > "$work/feed.txt"
python3 -c "
print('95.85.246.53:443')
for i in range(200000):
    print('100.%d.%d.%d:%d' % (64 + (i >> 16), (i >> 8) & 255, i & 255, 1024 + i % 60000))" > "$work/big.txt"
daemon_conf kill-reload
daemon_start
gen=$(status_field 'd["snapshot"]["generation"]')
m1=$(status_field 'd["dataplane"]["matches"]')

# The reload reads a FIFO that holds only the start of the feed (opened read-write here,
# so the open never blocks; 1000 lines fit in the pipe, so the write never blocks).
mkfifo "$work/feed.fifo"
exec 3<> "$work/feed.fifo"
mv "$work/feed.fifo" "$work/feed.txt"
reading() { ls -l "/proc/$d_pid/fd" | grep -q "$work/feed.txt"; }
wait_for reading || fail "the daemon did not start reading the new feed: $(tail -n 5 "$work/d.log")"
head -n 1000 "$work/big.txt" >&3
kill -9 "$d_pid"
wait "$d_pid" 2>/dev/null || true
d_pid=""
exec 3>&-
[ "$(grep -c "reload (" "$work/d.log")" -eq 1 ] || fail "the killed daemon finished its reload: $(cat "$work/d.log")"
kill -0 "$dp_pid" || fail "the dataplane died with the control plane"

# Restarted with the whole feed: it finds the dataplane on the old snapshot and publishes the new one.
mv "$work/big.txt" "$work/feed.txt"
"$ctl" run -c "$work/conf.yaml" > "$work/d2.log" 2>&1 &
d_pid=$!
wait_for grep -q "attached to the dataplane" "$work/d2.log" || fail "the restarted daemon did not attach: $(cat "$work/d2.log")"
grep -q "attached to the dataplane (pid $dp_pid, snapshot $gen)" "$work/d2.log" ||
	fail "the dataplane did not keep snapshot $gen: $(grep attached "$work/d2.log")"
wait_for status_true "d['snapshot']['iocs'] == 200001 and d['dataplane']['generation'] == d['snapshot']['generation']" ||
	fail "the restarted daemon did not publish the 200001 indicators: $(tail -n 5 "$work/d2.log")"
c lookup 100.67.13.63:21023 | grep -q "feed: test-feed" || fail "a new indicator is not found"
gen2=$(status_field 'd["snapshot"]["generation"]')
[ "$gen2" -gt "$gen" ] || fail "generation $gen2 after $gen"
wait_for status_true "d['dataplane']['matches'] > $m1" || fail "the dataplane stopped matching"
daemon_stop
echo "fault_kill_reload: ok (killed mid-reload at generation $gen; restarted daemon published $gen2 with 200001 indicators)"
