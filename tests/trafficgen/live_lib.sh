# Helpers for the tests that run live traffic through iocwire (sourced after
# tests/integration/lib.sh): start the dataplane, the control plane and
# iocwire-trafficgen as separate processes over DPDK virtual devices, read the
# dataplane's telemetry, stop everything on exit (even on failure), and show
# the processes' logs when a check fails.
#
# Memory: IOCWIRE_LIVE_MEM=nohuge (default) or huge. vhost-user/virtio-user
# share guest memory through file descriptors, so every process runs with
# --single-file-segments (without it virtio_user reports "Too many memory
# regions" and passes nothing); --no-huge works with it on DPDK 22.11.
# Each process has its own --file-prefix, so tests never share EAL state.
#
# CPU: the dataplane's worker is lcore 1; the generator and the dataplane's
# main lcore (which sleeps in poll()) share core 0.

dp_bin=$build/dataplane/iocwire-dataplane
ctl_bin=$build/control/iocwire-control
tg_bin=$build/tests/trafficgen/iocwire-trafficgen
tel_py=$src/tests/trafficgen/dp_telemetry.py
live_pids=""
dp_pid=""
ctl_pid=""
dp_prefix="iocw_dp_$$"
tg_prefix="iocw_tg_$$"

for b in "$dp_bin" "$ctl_bin" "$tg_bin"; do
	[ -x "$b" ] || fail "$b not built"
done

case "${IOCWIRE_LIVE_MEM:-nohuge}" in
huge) live_mem="-m 512 --single-file-segments" ;;
nohuge) live_mem="--no-huge -m 512 --single-file-segments" ;;
*) fail "IOCWIRE_LIVE_MEM must be huge or nohuge" ;;
esac
live_log_level="--log-level=lib.eal:error --log-level=pmd.net.vhost:error --log-level=lib.vhost.config:error"

live_cleanup() {
	for p in $live_pids; do
		kill -TERM "$p" 2>/dev/null || true
	done
	for p in $live_pids; do
		# Bounded: a process that ignores TERM for 10 s is killed.
		n=0
		while kill -0 "$p" 2>/dev/null && [ $n -lt 100 ]; do
			sleep 0.1
			n=$((n + 1))
		done
		kill -KILL "$p" 2>/dev/null || true
	done
	# With hugepages EAL keeps its page files after exit (and after a kill): they would
	# hold the pages until the next run with the same prefix, which never comes.
	rm -rf "/var/run/dpdk/$dp_prefix" "/var/run/dpdk/$tg_prefix" "/var/run/dpdk/${tg_prefix}s" "$work" \
		/dev/hugepages/"$dp_prefix"* /dev/hugepages/"$tg_prefix"*
}
trap live_cleanup EXIT
trap 'exit 1' INT TERM

# On failure, show what each process said.
fail() {
	echo "FAIL: $*" >&2
	if [ -n "$dp_pid" ] && kill -0 "$dp_pid" 2>/dev/null; then
		echo "--- dataplane /iocwire/stats ---" >&2
		python3 "$tel_py" get "$dp_prefix" /iocwire/stats 2>&1 | tr -d '\n' | tr -s ' ' >&2
		echo >&2
	fi
	for f in "$work"/*.log; do
		[ -f "$f" ] || continue
		echo "--- $(basename "$f") (last 25 lines) ---" >&2
		tail -n 25 "$f" >&2
	done
	exit 1
}

# wait_for SECONDS COMMAND...: poll every 0.1 s until COMMAND succeeds.
wait_for() {
	secs=$1
	shift
	n=0
	while ! "$@" 2>/dev/null; do
		n=$((n + 1))
		[ $n -lt $((secs * 10)) ] || return 1
		sleep 0.1
	done
}

# dp_start CONFIG VDEV...: the dataplane on lcores 0-1, its ports given as --vdev arguments.
dp_start() {
	cfg=$1
	shift
	vdevs=""
	for v in "$@"; do vdevs="$vdevs --vdev $v"; done
	# Emptied here, not by the background job's redirection: that one runs later, and the
	# wait below would find the previous run's start-up line in the old log.
	: > "$work/dataplane.log"
	# shellcheck disable=SC2086 # option lists
	"$dp_bin" -l 0-1 --no-pci $live_mem --file-prefix "$dp_prefix" $live_log_level $vdevs \
		-- -c "$cfg" --socket "$work/dp.sock" ${DP_EXTRA_ARGS:-} >> "$work/dataplane.log" 2>&1 &
	dp_pid=$!
	live_pids="$live_pids $dp_pid"
	# A virtio_user port in server mode waits in EAL probe for its vhost-user client.
	wait_for 30 grep -q "${DP_WAIT:-iocwire-dataplane: .* workers}" "$work/dataplane.log" ||
		fail "the dataplane did not start"
}

# dp_started: wait for the dataplane's start-up line (after dp_start with DP_WAIT set).
dp_started() {
	wait_for 30 grep -q 'iocwire-dataplane: .* workers' "$work/dataplane.log" ||
		fail "the dataplane did not start"
}

# vhost_pair CONFIG: the dataplane between two net_vhost ports (inline: 0 <-> 1), and in
# $pair_eal the generator's two net_virtio_user ports (sends on port 0, gets back on port 1).
vhost_pair() {
	dp_start "$1" "net_vhost0,iface=$work/v0.sock,queues=1" "net_vhost1,iface=$work/v1.sock,queues=1"
	pair_eal="--vdev net_virtio_user0,path=$work/v0.sock,queues=1,queue_size=1024"
	pair_eal="$pair_eal --vdev net_virtio_user1,path=$work/v1.sock,queues=1,queue_size=1024"
}

# ctl_start CONFIG OUT FEED...: the control plane attached to the dataplane; waits for the snapshot.
ctl_start() {
	cfg=$1 out=$2
	shift 2
	feeds=""
	for f in "$@"; do feeds="$feeds --feed $f"; done
	: > "$work/control.log"
	# shellcheck disable=SC2086
	"$ctl_bin" run -c "$cfg" --socket "$work/dp.sock" $feeds --out "$out" --connect-timeout 30 \
		>> "$work/control.log" 2>&1 &
	ctl_pid=$!
	live_pids="$live_pids $ctl_pid"
	# Published, or attached to a dataplane that already runs the same indicators.
	wait_for 30 grep -q 'snapshot .* published\|(unchanged)' "$work/control.log" ||
		fail "the control plane did not publish its snapshot"
	wait_for 30 grep -q 'snapshot .* published\|attached to the dataplane' "$work/control.log" ||
		fail "the control plane did not attach"
}

# tg ARGS...: iocwire-trafficgen in the foreground on lcore 0; EAL options come from $TG_EAL.
tg() {
	# shellcheck disable=SC2086
	"$tg_bin" -l 0 --no-pci $live_mem --file-prefix "${TG_PREFIX:-$tg_prefix}" $live_log_level \
		${TG_EAL:-} -- "$@"
}

# tg_bg OUT ARGS...: the same in the background (result line to OUT, log to trafficgen.log);
# sets tg_pid. Give it --wait-for "$work/go" and `touch "$work/go"` when the IOCs are published.
tg_bg() {
	out=$1
	shift
	# The binary itself in the background (not the tg function), so $! is its pid.
	# shellcheck disable=SC2086
	"$tg_bin" -l 0 --no-pci $live_mem --file-prefix "${TG_PREFIX:-$tg_prefix}" $live_log_level \
		${TG_EAL:-} -- "$@" > "$out" 2> "$work/trafficgen.log" &
	tg_pid=$!
	live_pids="$live_pids $tg_pid"
}

# tg_wait: wait for the background generator; fails if it failed.
tg_wait() {
	rc=0
	wait "$tg_pid" || rc=$?
	live_pids=$(echo "$live_pids" | sed "s/ $tg_pid\b//")
	[ "$rc" -eq 0 ] || fail "the generator exited $rc: $(cat "$work"/*.tg "$work"/tg*.out 2>/dev/null | tail -n 2)"
}

# dpstat KEY [COMMAND]: one dataplane telemetry value (default command /iocwire/stats).
dpstat() {
	python3 "$tel_py" get "$dp_prefix" "${2:-/iocwire/stats}" "$1"
}

# dpsnap: read every dataplane counter at once (one telemetry call); snapval KEY reads one of them.
dpsnap() {
	python3 "$tel_py" kv "$dp_prefix" /iocwire/stats > "$work/stats.kv" || fail "telemetry read failed"
}
snapval() {
	sed -n "s/^$1 //p" "$work/stats.kv"
}

# dpstat_wait KEY MIN SECONDS: until the dataplane's counter reaches MIN.
dpstat_wait() {
	python3 "$tel_py" wait "$dp_prefix" /iocwire/stats "$1" "$2" "$3" > /dev/null
}

# dp_stop: SIGTERM (flushes open flows as 'shutdown' flow-end events) and wait; 0 if it exited 0.
dp_stop() {
	kill -TERM "$dp_pid"
	rc=0
	wait "$dp_pid" || rc=$?
	live_pids=$(echo "$live_pids" | sed "s/ $dp_pid\b//")
	[ "$rc" -ne 141 ] || fail "the dataplane died of SIGPIPE (exit 141) while stopping: DPDK's" \
		"vhost-user/virtio-user code writes to a socket whose peer has gone; the dataplane must ignore SIGPIPE"
	[ "$rc" -eq 0 ] || fail "the dataplane exited $rc"
}

# ctl_wait: once the dataplane has gone (and its last events were exported),
# stop the control plane: SIGTERM, at most 10 s to finish its outputs; it must
# exit 0 (a LeakSanitizer or other sanitizer report makes it exit otherwise).
ctl_wait() {
	sleep 0.5
	kill -TERM "$ctl_pid" 2>/dev/null || true
	wait_for 10 sh -c "! kill -0 $ctl_pid" || fail "the control plane did not stop on SIGTERM"
	rc=0
	wait "$ctl_pid" || rc=$?
	live_pids=$(echo "$live_pids" | sed "s/ $ctl_pid\b//")
	[ "$rc" -eq 0 ] || fail "the control plane exited $rc"
}

# summary FIELD: a number from the dataplane's exit summary line
# ("rx N pkts ..., matches N, events N (dropped N), ...").
summary() {
	line=$(grep '^iocwire-dataplane: rx' "$work/dataplane.log") || fail "no exit summary"
	case "$1" in
	rx) echo "$line" | sed -n 's/.* rx \([0-9]*\) pkts.*/\1/p' ;;
	tx) echo "$line" | sed -n 's/.*, tx \([0-9]*\),.*/\1/p' ;;
	matches) echo "$line" | sed -n 's/.* matches \([0-9]*\),.*/\1/p' ;;
	events) echo "$line" | sed -n 's/.* events \([0-9]*\) (.*/\1/p' ;;
	dropped) echo "$line" | sed -n 's/.* (dropped \([0-9]*\)).*/\1/p' ;;
	malformed) echo "$line" | sed -n 's/.* malformed \([0-9]*\),.*/\1/p' ;;
	*) fail "summary: unknown field $1" ;;
	esac
}

# tg_field KEY FILE: a key=value from the generator's result line.
tg_field() {
	sed -n "s/.* $1=\([0-9.]*\).*/\1/p" "$2"
}
