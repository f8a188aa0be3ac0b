# Thin wrapper around meson/ninja and the project's scripts. Every target that
# needs the toolchain first makes sure the Debian packages are installed.
#   make demo      build and replay the shipped capture against the seed feed
#   make test      unit, integration and qa (live-traffic) suites, then again under ASan+UBSan,
#                  the fuzz harnesses for FUZZ_TEST_TIME s each and a DURATION=120 s soak
#   make replay PCAP=file.pcap FEEDS="feed1 feed2" [OUT=records.cef] [SYSLOG=udp://HOST:PORT|tcp://HOST:PORT]
#   make bench     throughput and lookup benchmarks -> build/bench/report.{json,md,png}
#   make fuzz      every libFuzzer harness for FUZZ_TIME seconds (clang build in build-fuzz)
#   make soak      DURATION seconds of traffic, reloads and collector restarts on the ASan build
BUILD ?= build
ASAN_BUILD ?= build-asan
MESON_TEST_OPTS ?= --print-errorlogs
FUZZ_BUILD ?= build-fuzz
FUZZ_TIME ?= 60
FUZZ_TEST_TIME ?= 15
DURATION ?= 120
CI_SOAK_DURATION ?= 120

DEB_PACKAGES = build-essential pkg-config meson ninja-build python3 \
	dpdk dpdk-dev libdpdk-dev libhyperscan-dev libyaml-dev libcmocka-dev libpcap-dev \
	clang libclang-rt-14-dev rsyslog \
	iproute2 iputils-ping ethtool socat netcat-openbsd dnsutils

.PHONY: qa all deps hugepages build asan test unit integration demo replay bench clean fuzz-build fuzz soak

all: build

# Install what is missing: with apt-get when root, otherwise print the command and stop.
deps:
	@missing=""; for p in $(DEB_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "installing:$$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null || exit 1; \
		else \
			echo "missing Debian packages; run as root:"; \
			echo "  apt-get update && apt-get install -y$$missing"; exit 1; \
		fi; \
	fi

# Reserve 2 MiB hugepages and mount hugetlbfs when root; harmless when it cannot.
hugepages:
	@if [ "$$(id -u)" = 0 ]; then \
		cur=$$(cat /proc/sys/vm/nr_hugepages 2>/dev/null || echo 0); \
		[ "$$cur" -ge 512 ] || echo 512 > /proc/sys/vm/nr_hugepages 2>/dev/null || true; \
		mkdir -p /dev/hugepages; \
		grep -qs ' /dev/hugepages hugetlbfs' /proc/mounts || mount -t hugetlbfs nodev /dev/hugepages 2>/dev/null || true; \
	fi; \
	echo "hugepages free: $$(awk '/HugePages_Free/ {print $$2}' /proc/meminfo) (else --no-huge is used)"

$(BUILD)/build.ninja:
	meson setup $(BUILD)

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

$(ASAN_BUILD)/build.ninja:
	meson setup $(ASAN_BUILD) -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug

asan: deps $(ASAN_BUILD)/build.ninja
	ninja -C $(ASAN_BUILD)

unit: build
	meson test -C $(BUILD) --suite unit $(MESON_TEST_OPTS)

integration: build hugepages
	meson test -C $(BUILD) --suite integration $(MESON_TEST_OPTS)

test: build hugepages asan fuzz-build
	meson test -C $(BUILD) --num-processes 1 $(MESON_TEST_OPTS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		meson test -C $(ASAN_BUILD) --num-processes 1 $(MESON_TEST_OPTS)
	FUZZ_TIME=$(FUZZ_TEST_TIME) meson test -C $(FUZZ_BUILD) --suite fuzz $(MESON_TEST_OPTS)
	$(MAKE) soak DURATION=$(CI_SOAK_DURATION)

# libFuzzer harnesses (tests/fuzz/): a clang build of its own, with -Dfuzz=true.
$(FUZZ_BUILD)/build.ninja:
	CC=clang meson setup $(FUZZ_BUILD) -Dfuzz=true -Db_lundef=false

fuzz-build: deps $(FUZZ_BUILD)/build.ninja
	ninja -C $(FUZZ_BUILD)

# Each harness replays its corpus, then fuzzes FUZZ_TIME seconds (two at a time on two cores).
fuzz: fuzz-build
	FUZZ_TIME=$(FUZZ_TIME) meson test -C $(FUZZ_BUILD) --suite fuzz --timeout-multiplier 0 $(MESON_TEST_OPTS)
	@grep -h '^fuzz ' $(FUZZ_BUILD)/meson-logs/testlog.txt || true

# Traffic through vhost-user into the ASan+UBSan dataplane for DURATION seconds (tests/soak/soak.sh).
soak: asan hugepages
	DURATION=$(DURATION) IOCWIRE_BUILD=$(abspath $(ASAN_BUILD)) IOCWIRE_SRC=$(CURDIR) tests/soak/soak.sh

demo: build hugepages
	@IOCWIRE_BUILD=$(abspath $(BUILD)) control/iocwire-replay --pcap tests/data/seed.pcap \
		--feed conf/feeds/threatfox-netsupport.md

replay: build
	@[ -n "$(PCAP)" ] || { echo 'usage: make replay PCAP=file.pcap FEEDS="feed ..." [OUT=file] [SYSLOG=udp://H:P|tcp://H:P]'; exit 2; }
	@[ -n "$(FEEDS)" ] || { echo 'usage: make replay PCAP=file.pcap FEEDS="feed ..." [OUT=file] [SYSLOG=udp://H:P|tcp://H:P]'; exit 2; }
	@IOCWIRE_BUILD=$(abspath $(BUILD)) control/iocwire-replay --pcap $(PCAP) \
		$(foreach f,$(FEEDS),--feed $(f)) $(if $(OUT),--out $(OUT)) $(if $(SYSLOG),--syslog $(SYSLOG))

# Benchmarks are not tests: they report figures and targets, they do not fail on them.
# They need more hugepages than the tests (the captures are held in mbufs).
bench: build
	@if [ "$$(id -u)" = 0 ]; then \
		dpkg-query -W -f='$${Status}' python3-matplotlib 2>/dev/null | grep -q 'install ok installed' || \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-matplotlib >/dev/null || true; \
		dpkg-query -W -f='$${Status}' tcpdump 2>/dev/null | grep -q 'install ok installed' || \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tcpdump >/dev/null || true; \
		cur=$$(cat /proc/sys/vm/nr_hugepages); [ "$$cur" -ge 1024 ] || echo 1024 > /proc/sys/vm/nr_hugepages; \
	fi
	$(MAKE) hugepages
	@# Debian's python3 has python3-matplotlib for the plot; a python3 earlier on PATH may not.
	$$( [ -x /usr/bin/python3 ] && echo /usr/bin/python3 || echo python3 ) tests/bench/run_bench.py \
		--build $(BUILD) --out $(BUILD)/bench $(BENCH_OPTS)

# Shortcut: only the live-traffic suite (virtio/vhost, af_packet on veths, faults under traffic), also part of `make test`.
qa: build hugepages
	meson test -C $(BUILD) --suite qa $(MESON_TEST_OPTS)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
