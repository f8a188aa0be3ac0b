#!/bin/sh
# run_fuzz.sh HARNESS NAME - the fuzz suite's runner for one libFuzzer harness.
#  1. replays every committed input of tests/fuzz/corpus/NAME once (the seeds
#     and the regression inputs of past findings): any crash fails;
#  2. fuzzes for FUZZ_TIME seconds (default 15) from those seeds. New inputs
#     go to a scratch directory, so the committed corpus stays small; a crash
#     is saved under tests/fuzz/artifacts/NAME/ (git-ignored) and fails.
# Prints one summary line: executions, coverage, corpus size.
set -eu
exe=$1
name=$2
src=${IOCWIRE_SRC:?set by meson}
seeds=$src/tests/fuzz/corpus/$name
budget=${FUZZ_TIME:-15}
art=$src/tests/fuzz/artifacts/$name
work=$(mktemp -d "/tmp/iocwire-fuzz-$name.XXXXXX")
trap 'rm -rf "$work"' EXIT
[ -d "$seeds" ] || { echo "FAIL: no seed corpus $seeds" >&2; exit 1; }
mkdir -p "$art" "$work/corpus"

if ! "$exe" -runs=0 -artifact_prefix="$art/" "$seeds" > "$work/replay.log" 2>&1; then
	tail -n 40 "$work/replay.log" >&2
	echo "FAIL: $name: a committed corpus input crashes (see above)" >&2
	exit 1
fi

dict=""
[ -f "$src/tests/fuzz/$name.dict" ] && dict="-dict=$src/tests/fuzz/$name.dict"
rc=0
# shellcheck disable=SC2086 # $dict is one word or none
"$exe" $dict -max_total_time="$budget" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
	-artifact_prefix="$art/" "$work/corpus" "$seeds" > "$work/fuzz.log" 2>&1 || rc=$?
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/fuzz.log")
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/fuzz.log")
cov=$(grep -o 'cov: [0-9]*' "$work/fuzz.log" | tail -n 1 | cut -d' ' -f2)
ft=$(grep -o 'ft: [0-9]*' "$work/fuzz.log" | tail -n 1 | cut -d' ' -f2)
corp=$(find "$work/corpus" "$seeds" -type f | wc -l)
if [ "$rc" -ne 0 ]; then
	tail -n 60 "$work/fuzz.log" >&2
	echo "FAIL: $name: finding saved in $art/ (reproduce: $exe $art/<file>)" >&2
	exit 1
fi
echo "fuzz $name: ${execs:-?} executions in ${budget} s (${rate:-?}/s), coverage ${cov:-?} edges ${ft:-?} features, corpus $corp inputs, no finding"
