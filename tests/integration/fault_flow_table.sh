#!/bin/sh
# Fault: the flow table is full. With flows.capacity 16, 100 IOC flows arrive
# (3 packets each): 16 are tracked and exported, every packet of the other 84
# is still matched and forwarded (the verdict does not need the table) and
# counted in flow_table_full. Once the tracked flows time out, new flows are
# tracked again: a full table is a counted, temporary condition.
. "$(dirname "$0")/lib.sh"
. "$src/tests/trafficgen/live_lib.sh"

cat > "$work/iocwire.yaml" <<EOF
sensor:
  name: iocwire-fault-flows
dataplane:
  mode: inline
  flows:
    capacity: 16
    tcp_idle: 5s
    udp_idle: 5s
control:
  state_dir: $work/state
  socket: $work/ctl.sock
  home_networks: [10.0.0.0/8, fd00::/8]
EOF
seed_feed=$src/conf/feeds/threatfox-netsupport.md
printf '185.220.101.7\n[2001:db8:bad::20]:8443\n' > "$work/extra.txt"
vhost_pair "$work/iocwire.yaml"
ctl_start "$work/iocwire.yaml" "$work/records.cef" "$seed_feed" "$work/extra.txt"
TG_EAL=$pair_eal

# Phase 1: 100 IOC flows, 3 packets each, into a table of 16.
tg --seed 3 --flows 100 --hit-rate 1 --count 300 --rate 50000 --linger 0.5 \
	--ioc-feed "$seed_feed" --ioc-feed "$work/extra.txt" > "$work/tg1.out" 2> "$work/trafficgen.log" ||
	fail "generator failed"
cat "$work/tg1.out"
dpstat_wait rx_pkts 300 20 || fail "the dataplane received $(dpstat rx_pkts) of 300"
dpsnap
created=$(snapval flows_created)
full=$(snapval flow_table_full)
tx=$(snapval tx_pkts)
tx_failed=$(snapval tx_failed)
[ "$created" -eq 16 ] || fail "$created flows tracked in a table of 16"
[ "$(snapval flows_active)" -eq 16 ] || fail "$(snapval flows_active) flows active"
[ "$(snapval matches)" -eq 300 ] || fail "matches $(snapval matches): every IOC packet must still match"
[ "$full" -eq $(((100 - 16) * 3)) ] ||
	fail "flow_table_full $full, expected 252 (3 packets of each of the 84 untracked flows)"
[ $((tx + tx_failed)) -eq 300 ] || fail "forwarded $tx + failed $tx_failed != 300"
wait_for 10 sh -c "[ \$(grep -c 'ioc-match' '$work/records.cef') -eq 16 ]" ||
	fail "$(grep -c 'ioc-match' "$work/records.cef") match records, 16 expected"

# Phase 2: the tracked flows time out (5 s idle), then new flows are tracked again.
wait_for 15 sh -c "[ \$(python3 '$tel_py' get '$dp_prefix' /iocwire/stats flows_active) -eq 0 ]" ||
	fail "tracked flows did not time out: $(dpstat flows_active) active"
tg --seed 4 --flows 10 --hit-rate 1 --count 30 --rate 50000 --linger 0.5 \
	--ioc-feed "$seed_feed" --ioc-feed "$work/extra.txt" > "$work/tg2.out" 2> "$work/trafficgen.log" ||
	fail "generator failed (second batch)"
dpstat_wait rx_pkts 330 20 || fail "the dataplane received $(dpstat rx_pkts) of 330"
[ "$(dpstat flows_created)" -eq 26 ] || fail "after the timeout: $(dpstat flows_created) flows created, 26 expected"
[ "$(dpstat flow_table_full)" -eq "$full" ] || fail "table still full after the timeouts"
dp_stop
ctl_wait
[ "$(grep -c 'ioc-match' "$work/records.cef")" -eq 26 ] || fail "match records: 26 expected"
[ "$(grep -c 'reason=idle' "$work/records.cef")" -eq 16 ] || fail "16 flows should have ended idle"
[ "$(grep -c 'reason=shutdown' "$work/records.cef")" -eq 10 ] || fail "10 flows should have ended at shutdown"
[ "$(summary dropped)" -eq 0 ] || fail "events dropped"
echo "fault_flow_table: ok (16 tracked, $full packets of untracked flows matched and counted, recovered)"
