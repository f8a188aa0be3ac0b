#!/bin/sh
# Fault: a feed file is deleted while the control plane runs as a daemon next
# to a live dataplane (seed.pcap in a loop). The reload that the deletion
# triggers fails with the file's name in `status`; the last good snapshot stays
# loaded in both processes (same generation, lookup still finds the IOC) and
# the dataplane keeps matching with it. Recreating the file is picked up
# without a command, and the new indicators are published. (A feed replaced by
# a broken one is daemon_reload's step 3.)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon_lib.sh"

printf '95.85.246.53:443\n' > "$work/feed.txt"
daemon_conf feed-deleted
daemon_start
c lookup 95.85.246.53:443 | grep -q "feed: test-feed" || fail "lookup of the seed IOC"
gen=$(status_field 'd["snapshot"]["generation"]')
nreloads=$(status_field 'len(d["reloads"])')

# 1. Deleted: a failed reload naming the file; the snapshot and its matching stay.
rm "$work/feed.txt"
wait_for status_true "len(d['reloads']) > $nreloads" ||
	fail "the deletion triggered no reload: $(tail -n 5 "$work/d.log")"
[ "$(status_field 'd["reloads"][-1]["status"] != 0')" = True ] || fail "a reload without the feed succeeded"
status_field 'd["reloads"][-1]["error"] + d["feeds_report"]' | grep -q "$work/feed.txt" ||
	fail "status does not name the missing file: $(c status)"
c status > "$work/status.txt"
grep -q "FAIL .*previous snapshot kept" "$work/status.txt" && grep -q "feed.txt: feed not loaded (No such file" \
	"$work/status.txt" || fail "status text does not show the failed reload and the file: $(cat "$work/status.txt")"
[ "$(status_field 'd["snapshot"]["generation"]')" = "$gen" ] || fail "the snapshot changed without its feed"
[ "$(status_field 'd["dataplane"]["generation"]')" = "$gen" ] || fail "the dataplane's snapshot changed"
c lookup 95.85.246.53:443 | grep -q "feed: test-feed" || fail "the last good snapshot lost the IOC"
m1=$(status_field 'd["dataplane"]["matches"]')
wait_for status_true "d['dataplane']['matches'] > $m1" ||
	fail "the dataplane stopped matching after the feed was deleted ($m1 matches)"
kill -0 "$d_pid" && kill -0 "$dp_pid" || fail "a process died"

# 2. Recreated (with another indicator): reloaded without a command.
gen1=$gen
feed_swap "the recreated feed was not loaded"
wait_for status_true "d['dataplane']['generation'] == $gen2" ||
	fail "the dataplane did not get generation $gen2"
[ "$(status_field 'd["reloads"][-1]["status"]')" = 0 ] || fail "the last reload is not a success"
daemon_stop
echo "fault_feed_deleted: ok (generation $gen kept while the feed was missing, $gen2 after it came back)"
