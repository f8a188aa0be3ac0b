#!/bin/sh
# Events a dataplane never sends (an unknown address family, an unknown event
# type), from a scripted peer (tests/tools/fake_dataplane.py): the control
# plane skips and counts them and exports the valid match and flow-end around
# them; nothing is exported without addresses. A dataplane that speaks another
# protocol version is refused.
. "$(dirname "$0")/lib.sh"

python3 "$src/tests/tools/fake_dataplane.py" "$work/dp.sock" 2> "$work/fake.log" &
fake=$!
i=0
while [ ! -S "$work/dp.sock" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
"$build/control/iocwire-control" run -c "$src/conf/iocwire.yaml" --socket "$work/dp.sock" \
	--feed "$src/conf/feeds/threatfox-netsupport.md" --out "$work/out.cef" --exit-on-end \
	--connect-timeout 10 2> "$work/ctl.log" || fail "control plane failed: $(cat "$work/ctl.log")"
wait $fake || fail "fake dataplane: $(cat "$work/fake.log")"
grep -q "1 match records, 1 flow-end records, 0 events dropped by the dataplane, 0 records too long, 2 malformed events skipped" \
	"$work/ctl.log" || fail "summary: $(cat "$work/ctl.log")"
[ "$(grep -c . "$work/out.cef")" -eq 2 ] || fail "expected 2 records: $(cat "$work/out.cef")"
all_records_contain "$work/out.cef" "src=10.20.0.15 "
all_records_contain "$work/out.cef" "dst=95.85.246.53 "

# A dataplane of another release (protocol version 1): refused, nothing sent to it.
python3 "$src/tests/tools/fake_dataplane.py" "$work/dp1.sock" 1 2> "$work/fake1.log" &
fake=$!
i=0
while [ ! -S "$work/dp1.sock" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
"$build/control/iocwire-control" run -c "$src/conf/iocwire.yaml" --socket "$work/dp1.sock" \
	--feed "$src/conf/feeds/threatfox-netsupport.md" --out "$work/out1.cef" --exit-on-end \
	--connect-timeout 10 2> "$work/ctl1.log" || true
wait $fake || fail "fake dataplane (version 1): $(cat "$work/fake1.log")"
grep -q "the dataplane speaks protocol version 1, this control plane 2" "$work/ctl1.log" ||
	fail "version mismatch not reported: $(cat "$work/ctl1.log")"
if grep -q "published" "$work/ctl1.log"; then fail "a snapshot went to a dataplane of another release"; fi
echo "bad_events: ok"
