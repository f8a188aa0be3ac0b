# Helpers of the tests that run the control plane as a daemon (sourced after
# lib.sh): the dataplane replays seed.pcap in a loop (net_pcap infinite_rx)
# with $work/conf.yaml, `iocwire-control run` serves its command socket, and
# both are stopped on exit, even on failure.
ctl=$build/control/iocwire-control
dp=$build/dataplane/iocwire-dataplane
dp_pid=""
d_pid=""
cleanup_procs() {
	[ -z "$d_pid" ] || kill -9 "$d_pid" 2>/dev/null || true
	[ -z "$dp_pid" ] || kill "$dp_pid" 2>/dev/null || true
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup_procs EXIT
trap 'exit 1' INT TERM # a meson timeout too: stop both processes

c() { "$ctl" "$@" -c "$work/conf.yaml"; }
status_field() { c status --json | python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))" "$1"; }
# status_true EXPR: the Python expression EXPR over the status JSON `d` is true (for wait_for).
status_true() { [ "$(status_field "$1" 2>/dev/null)" = True ]; }
wait_for() { # CONDITION-COMMAND... : retry for up to 10 s
	i=0
	while ! "$@" >/dev/null 2>&1; do
		i=$((i + 1)); [ $i -lt 100 ] || return 1; sleep 0.1
	done
}

# daemon_conf SENSOR: $work/conf.yaml for both processes, one strict feed $work/feed.txt
# ("test-feed"), records to $work/records.cef.
daemon_conf() {
	cat > "$work/conf.yaml" <<EOF
sensor:
  name: $1
dataplane:
  socket: $work/dp.sock
control:
  socket: $work/ctl.sock
  state_dir: $work/state
  reload_delay: 100ms
  feeds:
    - path: $work/feed.txt
      name: test-feed
      strict: true
  export:
    - type: file
      path: $work/records.cef
EOF
}

# daemon_start: both processes; returns once the dataplane runs the daemon's first snapshot.
daemon_start() {
	"$dp" -l 0-1 --no-pci --no-huge --no-shconf -m 512 --log-level=lib.eal:warning \
		--vdev "net_pcap0,rx_pcap=$src/tests/data/seed.pcap,infinite_rx=1" -- -c "$work/conf.yaml" \
		> "$work/dp.log" 2>&1 &
	dp_pid=$!
	"$ctl" run -c "$work/conf.yaml" > "$work/d.log" 2>&1 &
	d_pid=$!
	wait_for status_true 'd["dataplane"]["attached"]' ||
		fail "daemon never attached: $(cat "$work/d.log")"
	gen1=$(status_field 'd["snapshot"]["generation"]')
	wait_for status_true "d['dataplane']['generation'] == $gen1" ||
		fail "dataplane did not publish generation $gen1"
}

# feed_swap MESSAGE: rename a feed with one other indicator (101.109.237.93:7443) over
# feed.txt; wait until the daemon has loaded it and the old one (95.85.246.53:443) no longer
# matches; sets gen2 to the new generation, which must be above $gen1.
feed_swap() {
	printf '101.109.237.93:7443\n' > "$work/feed.new" && mv "$work/feed.new" "$work/feed.txt"
	wait_for sh -c "$ctl lookup 101.109.237.93:7443 -c $work/conf.yaml | grep -q 'feed: test-feed'" ||
		fail "$1: $(tail -n 5 "$work/d.log")"
	c lookup 95.85.246.53:443 | grep -q "no indicator matches" || fail "old IOC still matches after reload"
	gen2=$(status_field 'd["snapshot"]["generation"]')
	[ "$gen2" -gt "$gen1" ] || fail "generation did not grow"
}

# daemon_stop: SIGTERM to the daemon, then to the dataplane; both must exit 0 (so a
# LeakSanitizer report of either fails the test, which a SIGKILL at cleanup would hide).
daemon_stop() {
	for p in "$d_pid" "$dp_pid"; do
		[ -n "$p" ] || continue
		kill -TERM "$p"
		rc=0
		wait "$p" || rc=$?
		[ "$rc" -eq 0 ] || fail "process $p exited $rc: $(tail -n 20 "$work/d.log" "$work/dp.log")"
	done
	d_pid=""
	dp_pid=""
}
