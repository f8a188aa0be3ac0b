# Helpers of the export_* integration tests (sourced after lib.sh): a real
# rsyslogd in the foreground on 127.0.0.1, with a configuration written into
# the test's own temporary directory, stopped by the test's EXIT trap even on
# failure. Needs the Debian package rsyslog (make deps installs it).
rsyslogd_bin=$(command -v rsyslogd || echo /usr/sbin/rsyslogd)
[ -x "$rsyslogd_bin" ] || fail "rsyslogd not found: install the Debian package rsyslog (make deps)"

rs_pid=""
bg_pids=""
export_cleanup() {
	for p in $bg_pids; do kill "$p" 2>/dev/null || true; done
	rsyslog_stop
	rm -rf "$work"
}
trap export_cleanup EXIT

# A free TCP/UDP port on 127.0.0.1 (the kernel picks it; both protocols free).
free_port() {
	python3 -c 'import socket
while True:
    t = socket.socket(); t.bind(("127.0.0.1", 0)); p = t.getsockname()[1]
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        u.bind(("127.0.0.1", p)); print(p); break
    except OSError:
        pass
    finally:
        u.close(); t.close()'
}

# rsyslog_config DIR UDP_PORT TCP_PORT: imudp and imtcp on 127.0.0.1 into DIR/received.log,
# one line per message: "facility severity app-name procid msgid hostname protocol-version
# timegenerated|MSG", so the test sees how rsyslog itself parsed our syslog header.
rsyslog_config() {
	dir=$1 udp=$2 tcp=$3
	mkdir -p "$dir/rs"
	cat > "$dir/rsyslog.conf" <<CONF
global(workDirectory="$dir/rs" maxMessageSize="64k")
module(load="imudp")
module(load="imtcp")
template(name="iocwire_raw" type="string"
	string="%syslogfacility-text% %syslogseverity% %app-name% %procid% %msgid% %hostname% %protocol-version% %timegenerated:::date-rfc3339%|%msg%\n")
ruleset(name="iocwire_in") {
	action(type="omfile" file="$dir/received.log" template="iocwire_raw" asyncWriting="off" flushOnTXEnd="on")
}
input(type="imudp" address="127.0.0.1" port="$udp" ruleset="iocwire_in")
input(type="imtcp" address="127.0.0.1" port="$tcp" ruleset="iocwire_in")
CONF
}

# rsyslog_start DIR TCP_PORT: start rsyslogd in the foreground (-n) and wait until TCP listens.
rsyslog_start() {
	dir=$1 tcp=$2
	"$rsyslogd_bin" -n -f "$dir/rsyslog.conf" -i "$dir/rsyslog.pid" >>"$dir/rsyslog.out" 2>&1 &
	rs_pid=$!
	for _ in $(seq 100); do
		if python3 -c "import socket,sys; s=socket.socket(); s.settimeout(0.2); sys.exit(s.connect_ex(('127.0.0.1', $tcp)))" 2>/dev/null; then
			return 0
		fi
		kill -0 "$rs_pid" 2>/dev/null || fail "rsyslogd exited: $(cat "$dir/rsyslog.out")"
		sleep 0.1
	done
	fail "rsyslogd does not listen on 127.0.0.1:$tcp: $(cat "$dir/rsyslog.out")"
}

# rsyslog_stop: SIGTERM, wait for it to exit (it writes out what it received).
rsyslog_stop() {
	[ -n "$rs_pid" ] || return 0
	kill "$rs_pid" 2>/dev/null || true
	wait "$rs_pid" 2>/dev/null || true
	rs_pid=""
}

# wait_lines FILE N SECONDS: until FILE has at least N lines.
wait_lines() {
	for _ in $(seq $(($3 * 10))); do
		[ "$(cat "$1" 2>/dev/null | wc -l)" -ge "$2" ] && return 0
		sleep 0.1
	done
	fail "$1: $(cat "$1" 2>/dev/null | wc -l) lines after $3 s, expected $2"
}

# write_config FILE SENSOR EXPORT_ITEMS [DELIVERY_KEYS]: a complete configuration
# for both processes; EXPORT_ITEMS are YAML list items indented by 4, DELIVERY_KEYS
# mapping keys indented by 4. $DP_KEYS (lines after dataplane.flows.tcp_closed: indented
# by 4 for flows keys, then by 2 for dataplane keys) and $CTL_KEYS (indented by 2) are
# added to the dataplane and control sections.
write_config() {
	{
		printf 'sensor:\n  name: %s\n  address: 192.0.2.10\n' "$2"
		printf 'dataplane:\n  mode: passive\n  flows:\n    tcp_closed: %s\n%s' "${TCP_CLOSED:-2s}" "${DP_KEYS:-}"
		printf 'control:\n%s  home_networks: [10.0.0.0/8]\n  export:\n%s\n' "${CTL_KEYS:-}" "$3"
		[ -z "${4:-}" ] || printf '  delivery:\n%s\n' "$4"
	} > "$1"
}

# replay_to CONFIG OUT FEED [ARGS...]: the project's replay script with a configuration.
replay_to() {
	cfg=$1 out=$2 feed=$3
	shift 3
	IOCWIRE_BUILD=$build "$src/control/iocwire-replay" --config "$cfg" --pcap "$src/tests/data/seed.pcap" \
		--feed "$feed" --out "$out" "$@"
}

# new_lines FILE FROM OUT: lines FROM+1.. of FILE into OUT (the messages of one run).
new_lines() {
	tail -n +"$(($2 + 1))" "$1" > "$3"
}

# run_pipeline CONFIG FEED ERR [CONTROL_ARGS...]: the two processes as the README shows,
# in replay mode, with the configured outputs (no --out); control's stderr into ERR.
run_pipeline() {
	cfg=$1 feed=$2 err=$3
	shift 3
	"$build/dataplane/iocwire-dataplane" -l 0-1 --no-pci --no-huge --no-shconf -m 1024 \
		--log-level=lib.eal:warning --vdev "net_pcap0,rx_pcap=$src/tests/data/seed.pcap" \
		-- -c "$cfg" --replay --socket "$work/dp.sock" >"$err.dp" 2>&1 &
	dp_pid=$!
	bg_pids="$bg_pids $dp_pid"
	rc=0
	"$build/control/iocwire-control" run -c "$cfg" --socket "$work/dp.sock" --feed "$feed" \
		--exit-on-end --connect-timeout 60 "$@" 2>"$err" || rc=$?
	[ "$rc" -eq 0 ] || kill "$dp_pid" 2>/dev/null || true
	wait "$dp_pid" || [ "$rc" -ne 0 ] || fail "dataplane: $(cat "$err.dp")"
	[ "$rc" -eq 0 ] || fail "iocwire-control exited $rc: $(cat "$err")"
}
