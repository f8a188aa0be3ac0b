#!/bin/sh
# Fault: the control plane is killed (SIGKILL) while traffic flows. The
# dataplane keeps running on its snapshot and keeps matching (the match
# counter still rises, events wait in the workers' rings); a new control plane
# attaches, publishes its snapshot under load and exports the flows that
# started while none was attached. At the end every IOC packet was matched
# (no verdict lost across the kill or the snapshot swap) and no event was
# exported twice. Events that were already in the killed process's socket
# are lost without an acknowledgement to count them: the test prints how many.
. "$(dirname "$0")/lib.sh"
. "$src/tests/trafficgen/live_lib.sh"

cat > "$work/iocwire.yaml" <<EOF
sensor:
  name: iocwire-fault-ctl
dataplane:
  mode: inline
control:
  state_dir: $work/state
  socket: $work/ctl.sock
  home_networks: [10.0.0.0/8, fd00::/8]
EOF
seed_feed=$src/conf/feeds/threatfox-netsupport.md
printf '185.220.101.7\n[2001:db8:bad::20]:8443\n' > "$work/extra.txt"
vhost_pair "$work/iocwire.yaml"
ctl_start "$work/iocwire.yaml" "$work/records1.cef" "$seed_feed" "$work/extra.txt"
ctl1=$ctl_pid

# 600000 flows at 40 kpps: a new flow every packet for 15 s, 6000 of them IOC flows; the
# control plane is killed after 1 s of traffic.
TG_EAL=$pair_eal
tg_bg "$work/tg.out" --seed 9 --flows 600000 --hit-rate 0.01 --ipv6-share 0.2 --rate 40000 \
	--duration 15 --linger 1 --ioc-feed "$seed_feed" --ioc-feed "$work/extra.txt"
dpstat_wait rx_pkts 40000 30 || fail "traffic did not start"
kill -KILL "$ctl1"
wait "$ctl1" 2>/dev/null || true
live_pids=$(echo "$live_pids" | sed "s/ $ctl1\b//")
m1=$(dpstat matches)
kill -0 "$dp_pid" || fail "the dataplane died with its control plane"
dpstat_wait matches $((m1 + 1)) 10 ||
	fail "the dataplane stopped matching after the control plane died ($m1 -> $(dpstat matches); rx $(dpstat rx_pkts); generator: $(tail -n 2 "$work/trafficgen.log"))"
grep -q 'control plane disconnected' "$work/dataplane.log" || fail "the dataplane did not notice the loss"

# A new control plane attaches and publishes a new snapshot while traffic flows (its own
# state directory: it compiles a new generation instead of restoring the last one).
cp "$work/control.log" "$work/control1.log"
sed "s|state_dir: .*|state_dir: $work/state2|" "$work/iocwire.yaml" > "$work/iocwire2.yaml"
ctl_start "$work/iocwire2.yaml" "$work/records2.cef" "$seed_feed" "$work/extra.txt"
grep -q 'snapshot .* published' "$work/control.log" || fail "the new control plane published nothing"
tg_wait
cat "$work/tg.out"
ioc_pkts=$(tg_field ioc_pkts "$work/tg.out")
sent=$(tg_field sent "$work/tg.out")
dpstat_wait rx_pkts "$sent" 20 || fail "the dataplane received $(dpstat rx_pkts) of $sent"
dpsnap
[ "$(snapval matches)" -eq "$ioc_pkts" ] ||
	fail "matches $(snapval matches), $ioc_pkts IOC packets sent: verdicts lost across the kill or the swap"
flows=$(snapval flows_created)
dp_stop
ctl_wait
r1=$(grep -c . "$work/records1.cef" || true)
r2=$(grep -c . "$work/records2.cef" || true)
m2rec=$(grep -c '|ioc-match|' "$work/records2.cef" || true)
dropped=$(summary dropped)
events=$(summary events)
[ "$m2rec" -gt 0 ] || fail "the new control plane exported no match record"
# Each flow: one match and one flow-end event; exported (either process), dropped, or lost.
[ "$events" -eq $((2 * flows - dropped)) ] ||
	fail "$events events queued + $dropped dropped != 2 x $flows flows"
lost=$((events - r1 - r2))
[ "$lost" -ge 0 ] || fail "more records ($r1 + $r2) than events ($events): duplicates"
if cat "$work/records1.cef" "$work/records2.cef" | grep -o 'externalId=[0-9]* ' | sort |
	uniq -c | awk '$1 > 2 {found = 1} END {exit !found}'; then
	fail "a flow was exported more than once"
fi
echo "fault_control_kill: ok ($flows IOC flows; $r1 records before the kill, $r2 after;" \
	"$dropped events dropped and counted; $lost in flight to the killed process, uncounted)"
