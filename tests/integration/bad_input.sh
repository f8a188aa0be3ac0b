#!/bin/sh
# Bad input gets a clear error naming where and why, and never a crash:
# a malformed feed line, a malformed configuration key, a corrupted or
# truncated snapshot.
. "$(dirname "$0")/lib.sh"
ctl=$build/control/iocwire-control
dp=$build/dataplane/iocwire-dataplane

# 1. Feed: bad lines are reported as file:line and counted; --strict makes them fatal.
printf '95.85.246.53:443\n300.1.2.3:80\n1.2.3.4:99999\n' > "$work/bad.txt"
rc=0; "$ctl" check "$work/bad.txt" > "$work/check.out" 2>&1 || rc=$?
[ "$rc" -eq 1 ] || fail "check of a feed with bad lines exits 1, got $rc"
grep -q "bad.txt:2:" "$work/check.out" || fail "no file:line for line 2: $(cat "$work/check.out")"
grep -q "bad.txt:3:" "$work/check.out" || fail "no file:line for line 3"
grep -q "1 indicators, 2 bad" "$work/check.out" || fail "counts: $(cat "$work/check.out")"
rc=0; "$ctl" compile --strict -o "$work/s.snap" "$work/bad.txt" > "$work/strict.out" 2>&1 || rc=$?
[ "$rc" -eq 2 ] || fail "strict compile with bad lines exits 2, got $rc"
[ ! -e "$work/s.snap" ] || fail "strict compile wrote a snapshot"
rc=0; "$ctl" check "$work/missing.txt" > "$work/missing.out" 2>&1 || rc=$?
[ "$rc" -eq 2 ] && grep -q "missing.txt" "$work/missing.out" || fail "unreadable feed"

# 2. Configuration: a wrong value and an unknown key name file:line:column.
printf 'dataplane:\n  mode: sideways\n' > "$work/mode.yaml"
printf 'control:\n  feeds:\n    - path: x\n      colour: red\n' > "$work/key.yaml"
rc=0; "$ctl" run -c "$work/key.yaml" > "$work/key.out" 2>&1 || rc=$?
grep -q "key.yaml:4:7: control.feeds\[\]: unknown key 'colour'" "$work/key.out" ||
	fail "unknown key message: $(cat "$work/key.out")"
eal="-l 0-1 --no-huge --no-shconf -m 256 --no-pci --log-level=lib.eal:error --vdev net_null0"
# shellcheck disable=SC2086
rc=0; "$dp" $eal -- -c "$work/mode.yaml" --socket "$work/dp.sock" > "$work/dpmode.out" 2>&1 || rc=$?
[ "$rc" -ne 0 ] || fail "dataplane accepted mode: sideways"
grep -q "mode.yaml:2:9: key 'mode': expected one of passive, inline, got 'sideways'" "$work/dpmode.out" ||
	fail "dataplane config message: $(cat "$work/dpmode.out")"

# 3. Snapshot: a good one loads; corrupted and truncated copies are refused with a reason.
printf '95.85.246.53:443\n' > "$work/good.txt"
"$ctl" compile -o "$work/good.snap" "$work/good.txt" 2>/dev/null || fail "compile"
cp "$work/good.snap" "$work/flip.snap"
printf '\377' | dd of="$work/flip.snap" bs=1 seek=700 conv=notrunc 2>/dev/null
head -c 500 "$work/good.snap" > "$work/short.snap"
printf 'dataplane:\n  mode: passive\n' > "$work/ok.yaml"
for snap in flip short; do
	# shellcheck disable=SC2086
	rc=0; "$dp" $eal -- -c "$work/ok.yaml" --socket "$work/dp.sock" --snapshot "$work/$snap.snap" \
		> "$work/dp-$snap.out" 2>&1 || rc=$?
	[ "$rc" -ne 0 ] || fail "dataplane accepted the $snap snapshot"
	grep -q "$snap.snap: " "$work/dp-$snap.out" || fail "no reason for $snap: $(cat "$work/dp-$snap.out")"
done
grep -q "checksum mismatch" "$work/dp-flip.out" || fail "flip: $(cat "$work/dp-flip.out")"
grep -q "truncated" "$work/dp-short.out" || fail "short: $(cat "$work/dp-short.out")"
# 4. A replay whose feed cannot be read fails at once, without leaving the dataplane waiting.
start=$(date +%s)
rc=0; IOCWIRE_BUILD=$build "$src/control/iocwire-replay" --pcap "$src/tests/data/seed.pcap" \
	--feed "$work/missing-feed.txt" --out "$work/none.cef" > "$work/replay-missing.out" 2>&1 || rc=$?
[ "$rc" -ne 0 ] || fail "replay with an unreadable feed exited 0"
[ $(( $(date +%s) - start )) -lt 20 ] || fail "replay with an unreadable feed took too long"
grep -q "missing-feed.txt" "$work/replay-missing.out" || fail "no reason for the failed replay"
echo "bad_input: ok"
