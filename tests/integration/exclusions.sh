#!/bin/sh
# Exclusions and response policy (docs/exclusions.md) on tests/data/exclusions.pcap,
# inline: a policy turns confidence >= 90 into drop; the IT-helpdesk group is
# suppressed (forwarded, counted, no record); the training VMs are tagged
# inside their Mon-Fri 08:00-18:00 Europe/Berlin window and treated like any
# host outside it; monitor_only turns the drops into would-block.
. "$(dirname "$0")/lib.sh"

printf '10.30.0.0/24\n# lab hosts\n10.30.1.7\n' > "$work/training.txt"
write_conf() { # MONITOR_ONLY
	cat > "$work/excl.yaml" <<EOF2
sensor:
  name: excl-test
dataplane:
  mode: inline
control:
  home_networks: [10.0.0.0/8]
  monitor_only: $1
  host_groups:
    it_helpdesk: [10.20.5.0/24]
    training_vms: {file: $work/training.txt}
  exclusions:
    - name: helpdesk-remote-support
      hosts: [it_helpdesk]
      families: [NetSupportManager RAT]
      mode: suppress
    - name: training-lab
      hosts: [training_vms]
      schedule: {days: [mon-fri], from: "08:00", to: "18:00", timezone: Europe/Berlin}
      mode: tag
  policy:
    - name: drop-confident-c2
      min_confidence: 90
      action: drop
  feeds:
    - path: $src/conf/feeds/threatfox-netsupport.md
EOF2
}
act_of() { # FILE SPORT -> the act= values of that flow's records
	grep -F "spt=$2 " "$1" | grep -o 'act=[a-z-]*' | sort -u | tr '\n' ' '
}

write_conf false
run_inline "$work/excl.yaml" "$src/tests/data/exclusions.pcap" enforce
python3 "$src/tests/tools/cef_check.py" "$work/enforce.cef" "$src/tests/data/exclusions.expected" ||
	fail "records differ from exclusions.expected"
[ "$(act_of "$work/enforce.cef" 50100)" = "act=blocked " ] || fail "workstation to the confident C2 not blocked"
[ "$(act_of "$work/enforce.cef" 50101)" = "act=alert " ] || fail "confidence 75 not an alert"
[ "$(act_of "$work/enforce.cef" 50103)" = "act=blocked " ] || fail "training VM outside its window not blocked"
[ "$(act_of "$work/enforce.cef" 50104)" = "act=excluded " ] || fail "training VM inside its window not tagged"
grep -F "spt=50104 " "$work/enforce.cef" | grep -q "flexString2Label=Exclusion flexString2=training-lab" ||
	fail "exclusion name missing"
if grep -q "spt=50102 " "$work/enforce.cef"; then fail "the suppressed helpdesk flow produced a record"; fi
grep -q "flows suppressed 1, excluded 1" "$work/enforce-dp.log" || fail "counters: $(grep rx "$work/enforce-dp.log")"
# Blocked flows are dropped; the helpdesk and in-window training flows are forwarded.
fwd=$(tcpdump -nr "$work/enforce-out1.pcap" 2>/dev/null | wc -l)
[ "$fwd" -eq $((65 - 13 - 13)) ] || fail "forwarded $fwd packets, expected 39"
tcpdump -nr "$work/enforce-out1.pcap" 'port 50102' 2>/dev/null | grep -q . || fail "helpdesk flow not forwarded"

# Dry run: the same drops are reported as would-block and every packet passes.
write_conf true
run_inline "$work/excl.yaml" "$src/tests/data/exclusions.pcap" monitor
[ "$(act_of "$work/monitor.cef" 50100)" = "act=would-block " ] || fail "monitor_only: not would-block"
[ "$(tcpdump -nr "$work/monitor-out1.pcap" 2>/dev/null | wc -l)" -eq 65 ] || fail "monitor_only dropped packets"

# A bad time zone or cron is refused with file:line:col.
sed -i 's#timezone: Europe/Berlin#timezone: Mars/Olympus#' "$work/excl.yaml"
rc=0; "$build/control/iocwire-control" run -c "$work/excl.yaml" > "$work/tz.out" 2>&1 || rc=$?
grep -q "excl.yaml:[0-9]*:[0-9]*: timezone: unknown zone 'Mars/Olympus'" "$work/tz.out" || fail "tz error: $(cat "$work/tz.out")"
echo "exclusions: ok"
