#!/bin/sh
# The control plane as a daemon next to a live dataplane (seed.pcap replayed
# in a loop by net_pcap infinite_rx): status, lookup, hot reload on a feed file
# renamed over, on SIGHUP and on command; live add/remove; a broken feed keeps
# the previous snapshot; kill -9 of the daemon leaves the dataplane running,
# and the restarted daemon re-attaches without re-sending an unchanged snapshot.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon_lib.sh"

printf '95.85.246.53:443\n' > "$work/feed.txt"
daemon_conf daemon-test
daemon_start
c status | grep -q "traffic .*rx [1-9]" || fail "status shows no traffic: $(c status)"
c lookup 95.85.246.53:443 | grep -q "feed: test-feed" || fail "lookup of the seed IOC"
c lookup 101.109.237.93:7443 | grep -q "no indicator matches" || fail "lookup of an absent IOC"
wait_for grep -q "cs3=95.85.246.53:443" "$work/records.cef" || fail "no record exported"

# 1. The feed file replaced by rename (as fetch tools do): reloaded within seconds.
feed_swap "file rename did not reload"
# Written in place (an editor): reloaded too.
printf '101.109.237.93:7443\n95.85.246.53:443\n' > "$work/feed.txt"
wait_for sh -c "$ctl lookup 95.85.246.53:443 -c $work/conf.yaml | grep -q 'feed: test-feed'" ||
	fail "in-place write did not reload"

# 2. Live edits take effect when the command returns, and survive a reload.
c add 203.0.113.9 --family "Test RAT" --threat botnet_cc --confidence 90 --action drop | grep -q reloaded ||
	fail "add"
c lookup 203.0.113.9 | grep -q "malware: Test RAT" || fail "added IOC not matched"
c lookup 203.0.113.9 | grep -q "action: drop" || fail "added IOC action"
c reload | grep -q "reloaded" || fail "reload command"
c lookup 203.0.113.9 | grep -q "malware: Test RAT" || fail "added IOC lost on reload"
c remove 95.85.246.53:443 | grep -q reloaded || fail "remove"
c lookup 95.85.246.53:443 | grep -q "no indicator matches" || fail "removed IOC still matches"
c remove 203.0.113.9 >/dev/null
c lookup 203.0.113.9 | grep -q "no indicator matches" || fail "removed manual IOC still matches"

# 3. A broken feed: the reload fails with a reason, the previous snapshot stays.
gen3=$(status_field 'd["snapshot"]["generation"]')
printf '101.109.237.93:7443\nnot an indicator\n' > "$work/feed.txt.new" && mv "$work/feed.txt.new" "$work/feed.txt"
sleep 0.5
rc=0; c reload > "$work/reload.out" 2>&1 || rc=$?
[ "$rc" -eq 1 ] && grep -q "reload failed" "$work/reload.out" || fail "broken feed reload: rc $rc $(cat "$work/reload.out")"
[ "$(status_field 'd["snapshot"]["generation"]')" = "$gen3" ] || fail "a broken feed replaced the snapshot"
grep -q "feed.txt:2:" "$work/d.log" || fail "no file:line for the bad feed line"
c lookup 101.109.237.93:7443 | grep -q "feed: test-feed" || fail "matching lost after a failed reload"

# 4. SIGHUP reloads.
printf '101.109.237.93:7443\n' > "$work/feed.txt"
sleep 0.5
n=$(status_field 'len(d["reloads"])')
kill -HUP "$d_pid"
wait_for status_true "len(d['reloads']) > $n" ||
	fail "SIGHUP did not reload"

# 4b. Exclusions live in the configuration file: editing it reloads them.
c lookup 101.109.237.93:7443 --from 10.20.5.10 | grep -q "exclusion: none applies" || fail "no exclusion yet"
cat >> "$work/conf.yaml" <<EOF2
  host_groups:
    it_helpdesk: [10.20.5.0/24]
  exclusions:
    - name: helpdesk-remote-support
      hosts: [it_helpdesk]
      mode: suppress
EOF2
wait_for sh -c "$ctl lookup 101.109.237.93:7443 --from 10.20.5.10 -c $work/conf.yaml | grep -q 'exclusion: helpdesk-remote-support'" ||
	fail "exclusion added to the configuration not applied: $(tail -3 "$work/d.log")"
c lookup 101.109.237.93:7443 --from 10.20.0.15 | grep -q "decision: alert" || fail "other hosts still alert"

# 5. Garbage on the command socket: an error, the daemon lives on.
printf 'bogus\001\002' | python3 -c "
import socket,sys; s=socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET); s.connect('$work/ctl.sock')
s.send(sys.stdin.buffer.read()); print(s.recv(4096).decode(errors='replace'))" > "$work/garbage.out"
grep -q "^ERR" "$work/garbage.out" || fail "garbage got no error: $(cat "$work/garbage.out")"
c status >/dev/null || fail "daemon died after garbage"

# 6. kill -9 the daemon: the dataplane keeps forwarding and matching; a restart re-attaches.
gen=$(status_field 'd["snapshot"]["generation"]')
rx1=$(status_field 'd["dataplane"]["rx_pkts"]')
kill -9 "$d_pid"; wait "$d_pid" 2>/dev/null || true; d_pid=""
sleep 1
kill -0 "$dp_pid" || fail "dataplane died with the control plane"
"$ctl" run -c "$work/conf.yaml" > "$work/d2.log" 2>&1 &
d_pid=$!
wait_for grep -q "attached to the dataplane" "$work/d2.log" || fail "restarted daemon did not attach"
grep -q "previous snapshot $gen restored" "$work/d2.log" || fail "state not restored: $(cat "$work/d2.log")"
if grep -q "published" "$work/d2.log"; then fail "an unchanged snapshot was sent again"; fi
rx2=$(status_field 'd["dataplane"]["rx_pkts"]')
[ "$rx2" -gt "$rx1" ] || fail "dataplane stopped receiving ($rx1 -> $rx2)"
[ "$(status_field 'd["dataplane"]["generation"]')" = "$gen" ] || fail "dataplane generation changed"
daemon_stop
echo "daemon_reload: ok"
