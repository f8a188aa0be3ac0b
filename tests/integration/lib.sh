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
