#!/bin/sh
# Fault: the TCP output's spool is on a full disk (a 64 kB tmpfs) while the
# collector (a real rsyslog) is down and 300 IOC flows produce 600 records,
# several times what fits. The control plane stays up, every record the spool
# could not take is counted ("refused by a full spool"), and once rsyslog is
# back every record not counted arrives exactly once. A second traffic run
# after the delivery shows the spool took records again (the full disk was
# reclaimed, not left wedged). Skips (77) where tmpfs cannot be mounted.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/export_lib.sh"
spool=$work/spool
mkdir -p "$spool"
mount -t tmpfs -o size=64k,mode=0700 tmpfs "$spool" 2>/dev/null || {
	echo "fault_spool_full: cannot mount a tmpfs here (needs root): skipped"
	exit 77
}
trap 'export_cleanup_spool' EXIT
trap 'exit 1' INT TERM # a meson timeout too: unmount
export_cleanup_spool() {
	for p in $bg_pids; do kill "$p" 2>/dev/null || true; done
	for p in $bg_pids; do wait "$p" 2>/dev/null || true; done
	bg_pids=""
	umount "$spool" 2>/dev/null || umount -l "$spool" 2>/dev/null || true
	export_cleanup
}
feed=$src/conf/feeds/threatfox-netsupport.md
# Two captures of 300 IOC flows (one packet each), different flows, so no two records are equal.
for n in 1 2; do
	"$build/tests/trafficgen/iocwire-trafficgen" --pcap-out "$work/ioc$n.pcap" --seed $n --flows 300 \
		--hit-rate 1 --count 300 --ioc-feed "$feed" > "$work/gen.out" || fail "generator: $(cat "$work/gen.out")"
done
udp=$(free_port)
tcp=$(free_port)
rsyslog_config "$work" "$udp" "$tcp"
DP_KEYS="    tcp_idle: 1s
    udp_idle: 1s
  socket: $work/dp.sock
" CTL_KEYS="  socket: $work/ctl.sock
  state_dir: $work/state
" write_config "$work/conf.yaml" spool-full "    - type: file
      path: $work/records.cef
    - type: syslog
      protocol: tcp
      host: 127.0.0.1
      port: $tcp" "    spool_dir: $spool
    reconnect_min: 100ms
    reconnect_max: 400ms"
ctl() { "$build/control/iocwire-control" "$@" -c "$work/conf.yaml"; }
refused() { ctl status | sed -n 's/.* \([0-9]*\) refused by a full spool.*/\1/p'; }

# check_once: the records rsyslog got (received.cef) arrived once each, and were exported.
check_once() {
	sort "$work/records.cef" > "$work/sorted.cef"
	[ -z "$(uniq -d "$work/sorted.cef")" ] || fail "two exported records are equal: duplicates cannot be told"
	[ -z "$(sort "$work/received.cef" | uniq -d)" ] || fail "a record arrived twice"
	[ -z "$(sort "$work/received.cef" | comm -23 - "$work/sorted.cef")" ] || fail "a record arrived that was not exported"
}

# ctl_run: the control plane (stays up across dataplanes); its log is appended to ctl.log.
ctl_run() {
	"$build/control/iocwire-control" run -c "$work/conf.yaml" --feed "$feed" --connect-timeout 30 \
		>> "$work/ctl.log" 2>&1 &
	ctl_pid=$!
	bg_pids="$bg_pids $ctl_pid"
}

# dp_run N: a dataplane reads capture N once and stays up (its flows end by idle
# timeout), from the start on the snapshot the control plane saved (so no packet goes by
# before the IOCs are loaded, and the control plane does not publish another one).
dp_run() {
	"$build/dataplane/iocwire-dataplane" -l 0-1 --no-pci --no-huge --no-shconf -m 512 \
		--log-level=lib.eal:warning --vdev "net_pcap0,rx_pcap=$work/ioc$1.pcap" \
		-- -c "$work/conf.yaml" --snapshot "$(ls -t "$work"/state/snap-*.snap | head -n 1)" > "$work/dp$1.log" 2>&1 &
	dp_pid=$!
	bg_pids="$bg_pids $dp_pid"
}
dp_stop() {
	kill -TERM "$dp_pid"
	wait "$dp_pid" || fail "the dataplane exited $?: $(tail -n 5 "$work/dp$1.log")"
	bg_pids=$(echo "$bg_pids" | sed "s/ $dp_pid\b//")
}

# 1. Collector down, disk full: 600 records; the file export gets them all, the spool what fits.
ctl_run
for _ in $(seq 100); do ls "$work"/state/snap-*.snap > /dev/null 2>&1 && break; sleep 0.1; done
ls "$work"/state/snap-*.snap > /dev/null || fail "no snapshot saved: $(cat "$work/ctl.log")"
dp_run 1
wait_lines "$work/records.cef" 600 60
dp_stop 1
n_refused=$(refused)
kill -0 "$ctl_pid" || fail "the control plane died on a full spool: $(tail -n 5 "$work/ctl.log")"
[ "${n_refused:-0}" -gt 0 ] || fail "600 records into a 64 kB spool and none refused: $(ctl status | tail -n 3)"
spooled=$(cat "$spool"/*/*.seg | grep -ao 'CEF:0|' | wc -l)
[ $((spooled + n_refused)) -eq 600 ] ||
	fail "$spooled records in the spool + $n_refused refused != 600 exported"
echo "fault_spool_full: disk full: $spooled records spooled, $n_refused refused and counted"

# 2. The collector comes back: exactly the spooled records arrive, each once.
rsyslog_start "$work" "$tcp"
wait_lines "$work/received.log" "$spooled" 30
sleep 0.5
[ "$(wc -l < "$work/received.log")" -eq "$spooled" ] || fail "more than $spooled records arrived"
python3 "$src/tests/tools/syslog_extract.py" "$work/received.log" "$work/received.cef" --host spool-full ||
	fail "syslog headers"
check_once
ctl status | grep -q "syslog tcp .* 0 spooled" || fail "spool not drained: $(ctl status | grep 'syslog tcp')"

# 2b. Killed and restarted now: the delivered records (committed while the disk was full)
# are not sent again.
kill -9 "$ctl_pid"
wait "$ctl_pid" 2>/dev/null || true
ctl_run
for _ in $(seq 100); do ctl status > /dev/null 2>&1 && break; sleep 0.1; done
ctl status | grep -q "syslog tcp .* 0 sent, .* 0 spooled" ||
	fail "after a restart, delivered records are pending again: $(ctl status | grep 'syslog tcp')"
[ "$(wc -l < "$work/received.log")" -eq "$spooled" ] || fail "records sent again after a restart"

# 3. With the collector up, 600 more records: delivered through the spool as it is
# reclaimed (what a burst cannot fit on the 64 kB disk is refused and counted), none twice.
dp_run 2
wait_lines "$work/records.cef" 1200 60
drained() { ctl status | grep -q "syslog tcp .* 0 spooled"; }
for _ in $(seq 300); do drained && break; sleep 0.1; done
drained || fail "the spool does not drain with the collector up: $(ctl status | tail -n 2)"
dp_stop 2
kill -0 "$ctl_pid" || fail "the control plane died"
refused3=$(refused)
total_refused=$((n_refused + refused3))
python3 "$src/tests/tools/syslog_extract.py" "$work/received.log" "$work/received.cef" --host spool-full ||
	fail "syslog headers"
[ "$(wc -l < "$work/received.cef")" -eq $((1200 - total_refused)) ] ||
	fail "$(wc -l < "$work/received.cef") records arrived, 1200 exported - $total_refused refused"
check_once
[ $((1200 - total_refused - spooled)) -gt 0 ] || fail "nothing delivered after the disk was full"
# SIGTERM: it exits 1 if it refused records, else 0 (and never with a sanitizer's abort).
kill -TERM "$ctl_pid"
rc=0
wait "$ctl_pid" || rc=$?
bg_pids=$(echo "$bg_pids" | sed "s/ $ctl_pid\b//")
[ "$rc" -eq "$([ "$refused3" -gt 0 ] && echo 1 || echo 0)" ] ||
	fail "the control plane exited $rc with $refused3 records refused: $(tail -n 20 "$work/ctl.log")"
tail -n 1 "$work/ctl.log" | grep -q " $refused3 refused by a full spool" || fail "exit report: $(tail -n 3 "$work/ctl.log")"
echo "fault_spool_full: ok ($spooled spooled and delivered once, $n_refused refused and counted;" \
	"then $((600 - refused3)) of 600 delivered with the collector up, the rest refused and counted)"
