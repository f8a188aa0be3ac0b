# Shared helpers of the integration tests (sourced). Meson passes
# IOCWIRE_SRC (source tree) and IOCWIRE_BUILD (build tree).
set -eu
src=${IOCWIRE_SRC:?set by meson}
build=${IOCWIRE_BUILD:?set by meson}
work=$(mktemp -d /tmp/iocwire-test.XXXXXX)
trap 'rm -rf "$work"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

# Memory modes to run: nohuge always; huge too when hugepages are mounted and free.
mem_modes() {
	free_pages=$(awk '/HugePages_Free/ {print $2}' /proc/meminfo)
	if grep -qs ' /dev/hugepages hugetlbfs' /proc/mounts && [ "${free_pages:-0}" -ge 256 ]; then
		echo "nohuge huge"
	else
		echo "hugepages not available here: only the --no-huge path runs" >&2
		echo "nohuge"
	fi
}

# replay PCAP OUT FEED... : the real pipeline through the project's own script.
replay() {
	pcap=$1 out=$2
	shift 2
	feeds=""
	for f in "$@"; do feeds="$feeds --feed $f"; done
	# shellcheck disable=SC2086
	IOCWIRE_BUILD=$build "$src/control/iocwire-replay" --pcap "$pcap" $feeds --out "$out"
}

# Assert that every record line in FILE contains TEXT.
all_records_contain() {
	file=$1 text=$2
	n=$(grep -c . "$file" || true)
	m=$(grep -cF -- "$text" "$file" || true)
	[ "$n" -gt 0 ] && [ "$n" -eq "$m" ] || fail "$m of $n records contain '$text'"
}

# run_inline CONFIG CAPTURE NAME: the real pipeline in inline mode over two
# net_pcap ports (port 0 reads CAPTURE, port 1 an empty capture); what port 1
# sends is $work/NAME-out1.pcap, the records $work/NAME.cef, the dataplane's
# log $work/NAME-dp.log.
run_inline() {
	[ -f "$work/empty.pcap" ] || python3 -c 'import struct,sys; sys.stdout.buffer.write(struct.pack("<IHHiIII",0xa1b2c3d4,2,4,0,0,65535,1))' \
		> "$work/empty.pcap"
	sock=$work/dp.sock
	"$build/dataplane/iocwire-dataplane" -l 0-1 --no-pci --no-huge --no-shconf -m 512 \
		--log-level=lib.eal:warning \
		--vdev "net_pcap0,rx_pcap=$2,tx_pcap=$work/$3-out0.pcap" \
		--vdev "net_pcap1,rx_pcap=$work/empty.pcap,tx_pcap=$work/$3-out1.pcap" \
		-- -c "$1" --replay --socket "$sock" > "$work/$3-dp.log" 2>&1 &
	inline_dp=$!
	inline_rc=0
	"$build/control/iocwire-control" run -c "$1" --socket "$sock" --out "$work/$3.cef" \
		--exit-on-end --connect-timeout 30 2> "$work/$3-ctl.log" || inline_rc=$?
	wait $inline_dp || fail "dataplane failed: $(cat "$work/$3-dp.log")"
	[ "$inline_rc" -eq 0 ] || fail "control failed: $(cat "$work/$3-ctl.log")"
}
