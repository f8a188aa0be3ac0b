/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * main.c - iocwire-trafficgen: a small deterministic DPDK traffic generator
 * for iocwire's tests and benchmarks, in the spirit of pktgen. It sends the
 * frames of tg_build.c through any DPDK port (vhost/virtio_user, memif, ring,
 * pcap, a real NIC), or writes them to a capture with --pcap-out (no EAL).
 *
 *   iocwire-trafficgen [EAL options] -- [options]    (see usage())
 *
 * The send loop runs on the main lcore: allocate a burst, build it, transmit,
 * retry what the PMD did not take (nothing is dropped by the generator), and
 * count what comes back on every port.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "feed.h"
#include "ioc.h"
#include "tg_build.h"

#define TG_BURST_MAX 64
#define TG_MAX_IOCS (1u << 20)
#define TG_POOL_SIZE 16383
#define TG_DESC 1024

struct tg_args {
	struct tg_config cfg;
	uint16_t port;
	unsigned burst;
	uint64_t count;      /**< 0: no limit */
	double duration;     /**< seconds, 0: no limit */
	double rate;         /**< packets per second, 0: as fast as the port takes them */
	double linger;       /**< seconds to keep receiving after the last packet went out */
	double stats_every;  /**< seconds between progress lines, 0: none */
	bool rx_only;
	const char *wait_for;    /**< send only once this file exists */
	const char *pcap_out;
	const char *expect;      /**< write the IOC flows in the tests' .expected format */
	const char *expect_end;  /**< end reason written in it */
};

/* Per IOC flow: what was sent, for --expect. */
struct tg_ioc_flow {
	uint32_t flow; /**< flow number + 1; 0 = nothing sent yet */
	uint64_t pkts[2], bytes[2];
};

struct tg_run {
	uint64_t sent, sent_bytes, ioc_pkts, received, alloc_failed;
	/* Frames the receiver's ring did not take when first offered (retried until it
	 * did): what a NIC in its place would have counted as missed. */
	uint64_t refused;
	struct tg_ioc_flow *ioc_flows;
};

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: iocwire-trafficgen [EAL options] -- [options]\n"
		"       iocwire-trafficgen --pcap-out FILE [options]     (no EAL, writes a capture)\n"
		"traffic:\n"
		"  --size N            frame size in bytes with FCS, 64..1522 (default 64)\n"
		"  --imix [SPEC]       size mix SIZE:WEIGHT,... (default " TG_IMIX_DEFAULT ")\n"
		"  --flows N           distinct flows, 1..%u (default 1024)\n"
		"  --hit-rate F        share of flows aimed at an IOC, 0..1 (default 0)\n"
		"  --ioc-feed FILE     IOC addresses from a feed in any format iocwire reads\n"
		"  --ioc VALUE         one IOC: 95.85.246.53, 95.85.246.53:443, [2001:db8::1]:443\n"
		"  --ipv6-share F      share of the benign flows that are IPv6 (default 0)\n"
		"  --vlan ID           802.1Q tag on every frame\n"
		"  --bidir             every second pass over a flow goes back (responder -> initiator)\n"
		"  --seed N            same seed, same packets (default 1)\n"
		"  --dst-mac MAC       destination MAC (default 02:00:00:00:00:02)\n"
		"amount and pace:\n"
		"  --count N           packets to send (default: no limit)\n"
		"  --duration S        seconds to send (default: no limit; one of the two is needed)\n"
		"  --rate PPS          packets per second, a ceiling: time lost to a stalled port is not\n"
		"                      made up in a burst (default: as fast as the port takes them)\n"
		"sending (DPDK):\n"
		"  --port N            transmit on this port (default 0); every port is received from\n"
		"  --burst N           packets per tx burst, 1..64 (default 32)\n"
		"  --rx-only           send nothing, count what arrives (until --duration or a signal)\n"
		"  --linger S          keep receiving S seconds after the last packet\n"
		"  --wait-for FILE     start sending once FILE exists (lets a test publish its IOCs first)\n"
		"  --stats S           print the rates every S seconds\n"
		"output:\n"
		"  --pcap-out FILE     write the packets to a pcap (ns timestamps at --rate, default 1 Mpps)\n"
		"  --expect FILE       write the IOC flows sent as tests/data/*.expected lines\n"
		"  --expect-end R      end reason in those lines (default shutdown)\n",
		TG_MAX_FLOWS);
}

static int
parse_mac(const char *s, uint8_t mac[6])
{
	unsigned v[6];

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]) != 6)
		return -EINVAL;
	for (int i = 0; i < 6; i++) {
		if (v[i] > 0xff)
			return -EINVAL;
		mac[i] = (uint8_t)v[i];
	}
	return 0;
}

/* --- IOCs: any feed format iocwire reads, or values on the command line --- */

struct ioc_list {
	struct tg_ioc *v;
	uint32_t nb, cap;
	uint32_t nb_unusable; /**< domains, URLs: not an address to send to */
};

static int
ioc_list_add(void *ctx, const struct ioc *ioc)
{
	struct ioc_list *l = ctx;
	struct tg_ioc *t;

	if (ioc->type != IOCW_IOC_IP && ioc->type != IOCW_IOC_IP_PORT && ioc->type != IOCW_IOC_CIDR) {
		l->nb_unusable++;
		return 0;
	}
	if (l->nb == l->cap) {
		uint32_t cap = l->cap ? l->cap * 2 : 64;
		struct tg_ioc *v;

		if (cap > TG_MAX_IOCS)
			return -E2BIG;
		v = realloc(l->v, cap * sizeof(*v));
		if (v == NULL)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	t = &l->v[l->nb++];
	memset(t, 0, sizeof(*t));
	t->family = ioc->family;
	memcpy(t->addr, ioc->addr, 16);
	if (ioc->type == IOCW_IOC_IP_PORT) {
		t->port = ioc->port;
		t->proto = ioc->proto;
	} else if (ioc->type == IOCW_IOC_CIDR) {
		/* An address inside the prefix: the network address + 1 where there is room. */
		unsigned bits = ioc->family == IOCW_FAMILY_V4 ? 32 : 128;

		if (ioc->prefix_len < bits)
			t->addr[bits / 8 - 1] |= 1;
	}
	return 0;
}

static int
ioc_list_add_value(struct ioc_list *l, const char *text)
{
	char canon[IOC_VALUE_MAX];
	const char *reason = "";
	struct ioc ioc;

	ioc_init(&ioc);
	if (ioc_parse(text, &ioc, canon, &reason) < 0) {
		fprintf(stderr, "iocwire-trafficgen: --ioc %s: %s\n", text, reason);
		return -EINVAL;
	}
	return ioc_list_add(l, &ioc);
}

static int
ioc_list_add_feed(struct ioc_list *l, const char *path)
{
	struct feed_options opt = {.format = FEED_FORMAT_AUTO};
	struct feed_stats st;
	int rc = feed_load_file(path, &opt, ioc_list_add, l, &st);

	if (rc < 0)
		fprintf(stderr, "iocwire-trafficgen: %s: %s\n", path, strerror(-rc));
	return rc;
}

/* --- arguments --------------------------------------------------------- */

static int
parse_double(const char *s, double min, double max, double *out)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || *end != '\0' || !(v >= min && v <= max))
		return -EINVAL;
	*out = v;
	return 0;
}

static int
parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (end == s || *end != '\0' || errno != 0 || v < min || v > max || s[0] == '-')
		return -EINVAL;
	*out = v;
	return 0;
}

enum {
	OPT_SIZE = 256, OPT_IMIX, OPT_FLOWS, OPT_HIT, OPT_FEED, OPT_IOC, OPT_V6, OPT_VLAN, OPT_BIDIR,
	OPT_SEED, OPT_DMAC, OPT_COUNT, OPT_DURATION, OPT_RATE, OPT_PORT, OPT_BURST, OPT_RXONLY,
	OPT_LINGER, OPT_STATS, OPT_PCAP, OPT_EXPECT, OPT_EXPECT_END, OPT_WAIT_FOR, OPT_HELP,
};

static int
parse_args(int argc, char **argv, struct tg_args *a, struct ioc_list *iocs)
{
	static const struct option opts[] = {
		{"size", required_argument, NULL, OPT_SIZE},
		{"imix", optional_argument, NULL, OPT_IMIX},
		{"flows", required_argument, NULL, OPT_FLOWS},
		{"hit-rate", required_argument, NULL, OPT_HIT},
		{"ioc-feed", required_argument, NULL, OPT_FEED},
		{"ioc", required_argument, NULL, OPT_IOC},
		{"ipv6-share", required_argument, NULL, OPT_V6},
		{"vlan", required_argument, NULL, OPT_VLAN},
		{"bidir", no_argument, NULL, OPT_BIDIR},
		{"seed", required_argument, NULL, OPT_SEED},
		{"dst-mac", required_argument, NULL, OPT_DMAC},
		{"count", required_argument, NULL, OPT_COUNT},
		{"duration", required_argument, NULL, OPT_DURATION},
		{"rate", required_argument, NULL, OPT_RATE},
		{"port", required_argument, NULL, OPT_PORT},
		{"burst", required_argument, NULL, OPT_BURST},
		{"rx-only", no_argument, NULL, OPT_RXONLY},
		{"linger", required_argument, NULL, OPT_LINGER},
		{"stats", required_argument, NULL, OPT_STATS},
		{"pcap-out", required_argument, NULL, OPT_PCAP},
		{"expect", required_argument, NULL, OPT_EXPECT},
		{"expect-end", required_argument, NULL, OPT_EXPECT_END},
		{"wait-for", required_argument, NULL, OPT_WAIT_FOR},
		{"help", no_argument, NULL, OPT_HELP},
		{NULL, 0, NULL, 0},
	};
	uint64_t v;
	int c, rc = 0;

	optind = 1;
	while (rc == 0 && (c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case OPT_SIZE:
			rc = parse_u64(optarg, TG_MIN_FRAME, TG_MAX_FRAME, &v);
			a->cfg.sizes[0].frame = (uint16_t)v;
			a->cfg.sizes[0].weight = 1;
			a->cfg.nb_sizes = 1;
			break;
		case OPT_IMIX: rc = tg_parse_sizes(&a->cfg, optarg ? optarg : TG_IMIX_DEFAULT); break;
		case OPT_FLOWS:
			rc = parse_u64(optarg, 1, TG_MAX_FLOWS, &v);
			a->cfg.nb_flows = (uint32_t)v;
			break;
		case OPT_HIT: rc = parse_double(optarg, 0, 1, &a->cfg.hit_rate); break;
		case OPT_FEED: rc = ioc_list_add_feed(iocs, optarg); break;
		case OPT_IOC: rc = ioc_list_add_value(iocs, optarg); break;
		case OPT_V6: rc = parse_double(optarg, 0, 1, &a->cfg.ipv6_share); break;
		case OPT_VLAN:
			rc = parse_u64(optarg, 1, 4095, &v);
			a->cfg.vlan = (uint16_t)v;
			break;
		case OPT_BIDIR: a->cfg.bidir = true; break;
		case OPT_SEED: rc = parse_u64(optarg, 0, UINT64_MAX, &a->cfg.seed); break;
		case OPT_DMAC:
			rc = parse_mac(optarg, a->cfg.dst_mac);
			break;
		case OPT_COUNT: rc = parse_u64(optarg, 1, UINT64_MAX, &a->count); break;
		case OPT_DURATION: rc = parse_double(optarg, 0.001, 1e7, &a->duration); break;
		case OPT_RATE: rc = parse_double(optarg, 1, 1e9, &a->rate); break;
		case OPT_PORT:
			rc = parse_u64(optarg, 0, RTE_MAX_ETHPORTS - 1, &v);
			a->port = (uint16_t)v;
			break;
		case OPT_BURST:
			rc = parse_u64(optarg, 1, TG_BURST_MAX, &v);
			a->burst = (unsigned)v;
			break;
		case OPT_RXONLY: a->rx_only = true; break;
		case OPT_LINGER: rc = parse_double(optarg, 0, 3600, &a->linger); break;
		case OPT_STATS: rc = parse_double(optarg, 0.1, 3600, &a->stats_every); break;
		case OPT_PCAP: a->pcap_out = optarg; break;
		case OPT_EXPECT: a->expect = optarg; break;
		case OPT_EXPECT_END: a->expect_end = optarg; break;
		case OPT_WAIT_FOR: a->wait_for = optarg; break;
		case OPT_HELP: usage(stdout); exit(EXIT_SUCCESS);
		default: return -EINVAL;
		}
		if (rc < 0 && c != OPT_FEED && c != OPT_IOC)
			fprintf(stderr, "iocwire-trafficgen: bad value for --%s: '%s'\n",
				opts[c - OPT_SIZE].name, optarg ? optarg : "");
	}
	if (rc < 0)
		return rc;
	if (optind != argc) {
		fprintf(stderr, "iocwire-trafficgen: unexpected argument '%s'\n", argv[optind]);
		return -EINVAL;
	}
	if (!a->rx_only && a->count == 0 && a->duration == 0) {
		fprintf(stderr, "iocwire-trafficgen: say how much to send: --count N or --duration S\n");
		return -EINVAL;
	}
	return 0;
}

/* --- results ------------------------------------------------------------ */

static void
account(struct tg_run *run, const struct tg_pkt_desc *d)
{
	run->sent++;
	run->sent_bytes += d->len;
	if (d->ioc_rank != TG_NOT_IOC) {
		struct tg_ioc_flow *f = &run->ioc_flows[d->ioc_rank];

		run->ioc_pkts++;
		f->flow = d->flow + 1;
		f->pkts[d->reverse]++;
		f->bytes[d->reverse] += d->len;
	}
}

static const char *
proto_name(uint8_t proto)
{
	return proto == 6 ? "TCP" : proto == 17 ? "UDP" : proto == 132 ? "SCTP" : "?";
}

/* One line per IOC flow sent: proto src spt dst dpt vlan pkts bytes_out bytes_in end_reason. */
static int
write_expect(const struct tg_args *a, const struct tg_gen *g, const struct tg_run *run)
{
	FILE *f = fopen(a->expect, "w");

	if (f == NULL) {
		fprintf(stderr, "iocwire-trafficgen: %s: %s\n", a->expect, strerror(errno));
		return -errno;
	}
	fprintf(f, "# iocwire-trafficgen --seed %" PRIu64 ": %u IOC flows of %u\n", g->cfg.seed,
		g->nb_ioc_flows, g->cfg.nb_flows);
	fprintf(f, "# columns: proto src spt dst dpt vlan pkts bytes_src_to_dst bytes_dst_to_src end_reason\n");
	for (uint32_t r = 0; r < g->nb_ioc_flows; r++) {
		const struct tg_ioc_flow *t = &run->ioc_flows[r];
		struct tg_flow fl;
		char src[64], dst[64];

		if (t->flow == 0)
			continue;
		tg_flow_get(g, t->flow - 1, &fl);
		ioc_addr_format(fl.family, fl.src, src, sizeof(src));
		ioc_addr_format(fl.family, fl.dst, dst, sizeof(dst));
		fprintf(f, "%s %s %u %s %u %u %" PRIu64 " %" PRIu64 " %" PRIu64 " %s\n",
			proto_name(fl.proto), src, fl.sport, dst, fl.dport, g->cfg.vlan,
			t->pkts[0] + t->pkts[1], t->bytes[0], t->bytes[1],
			a->expect_end ? a->expect_end : "shutdown");
	}
	return fclose(f) == 0 ? 0 : -errno;
}

static void
print_summary(const struct tg_gen *g, const struct tg_run *run, double secs)
{
	double mpps = secs > 0 ? run->sent / secs / 1e6 : 0;
	/* On the wire a frame also takes 8 bytes of preamble and a 12-byte gap, plus its FCS. */
	double gbps = secs > 0 ? (run->sent_bytes + run->sent * 24.0) * 8 / secs / 1e9 : 0;

	printf("iocwire-trafficgen: sent=%" PRIu64 " bytes=%" PRIu64 " seconds=%.3f mpps=%.3f "
	       "gbps=%.3f received=%" PRIu64 " ioc_pkts=%" PRIu64 " ioc_flows=%u flows=%u "
	       "alloc_failed=%" PRIu64 " refused=%" PRIu64 "\n",
	       run->sent, run->sent_bytes, secs, mpps, gbps, run->received, run->ioc_pkts,
	       g->nb_ioc_flows, g->cfg.nb_flows, run->alloc_failed, run->refused);
	fflush(stdout);
}

/* --- capture output (no EAL) ------------------------------------------- */

static int
run_pcap(const struct tg_args *a, const struct tg_gen *g, struct tg_run *run)
{
	/* pcap with nanosecond timestamps (magic a1b23c4d), link type Ethernet. */
	const struct {
		uint32_t magic;
		uint16_t major, minor;
		int32_t zone;
		uint32_t sigfigs, snaplen, linktype;
	} fh = {0xa1b23c4d, 2, 4, 0, 0, 65535, 1};
	double rate = a->rate > 0 ? a->rate : 1e6;
	uint64_t count = a->count ? a->count : (uint64_t)(a->duration * rate);
	/* A fixed start time keeps the file byte-identical from run to run. */
	const uint64_t t0_ns = 1714000000ULL * 1000000000ULL;
	uint8_t buf[TG_MAX_FRAME];
	FILE *f = fopen(a->pcap_out, "wb");
	int rc = 0;

	if (f == NULL) {
		fprintf(stderr, "iocwire-trafficgen: %s: %s\n", a->pcap_out, strerror(errno));
		return -errno;
	}
	setvbuf(f, NULL, _IOFBF, 1 << 20);
	fwrite(&fh, sizeof(fh), 1, f);
	for (uint64_t seq = 0; seq < count && !stop; seq++) {
		struct tg_pkt_desc d;
		uint16_t len = tg_build(g, seq, buf, &d);
		uint64_t ts = t0_ns + (uint64_t)((double)seq * 1e9 / rate);
		uint32_t rec[4] = {(uint32_t)(ts / 1000000000ULL), (uint32_t)(ts % 1000000000ULL), len, len};

		if (fwrite(rec, sizeof(rec), 1, f) != 1 || fwrite(buf, len, 1, f) != 1) {
			rc = -EIO;
			break;
		}
		account(run, &d);
	}
	if (fclose(f) != 0 || rc < 0) {
		fprintf(stderr, "iocwire-trafficgen: %s: write failed\n", a->pcap_out);
		return -EIO;
	}
	return 0;
}

/* --- DPDK ports ---------------------------------------------------------- */

static int
port_start(uint16_t pid, struct rte_mempool *mp)
{
	struct rte_eth_conf conf = {0};
	uint16_t rxd = TG_DESC, txd = TG_DESC;
	int rc = rte_eth_dev_configure(pid, 1, 1, &conf);

	if (rc == 0)
		rc = rte_eth_dev_adjust_nb_rx_tx_desc(pid, &rxd, &txd);
	if (rc == 0)
		rc = rte_eth_rx_queue_setup(pid, 0, rxd, rte_eth_dev_socket_id(pid), NULL, mp);
	if (rc == 0)
		rc = rte_eth_tx_queue_setup(pid, 0, txd, rte_eth_dev_socket_id(pid), NULL);
	if (rc == 0)
		rc = rte_eth_dev_start(pid);
	if (rc == 0)
		rte_eth_promiscuous_enable(pid);
	return rc;
}

static void
poll_rx(struct tg_run *run)
{
	struct rte_mbuf *pkts[TG_BURST_MAX];
	uint16_t pid;

	/* A few bursts per port at most: some PMDs (net_null) always have packets to give. */
	RTE_ETH_FOREACH_DEV(pid) {
		for (int i = 0; i < 4; i++) {
			uint16_t nb = rte_eth_rx_burst(pid, 0, pkts, TG_BURST_MAX);

			run->received += nb;
			rte_pktmbuf_free_bulk(pkts, nb);
			if (nb < TG_BURST_MAX)
				break;
		}
	}
}

static void
maybe_print_stats(const struct tg_args *a, const struct tg_run *run, uint64_t now, uint64_t hz,
		  uint64_t *next, uint64_t *last_sent, uint64_t *last_rx)
{
	double secs;

	if (a->stats_every == 0 || now < *next)
		return;
	secs = a->stats_every;
	fprintf(stderr, "iocwire-trafficgen: tx %.3f Mpps, rx %.3f Mpps, sent %" PRIu64 ", received %" PRIu64 "\n",
		(run->sent - *last_sent) / secs / 1e6, (run->received - *last_rx) / secs / 1e6, run->sent,
		run->received);
	*last_sent = run->sent;
	*last_rx = run->received;
	*next = now + (uint64_t)(a->stats_every * hz);
}

/*
 * Send until the count, the duration or a signal. Packets the PMD does not
 * take stay pending and are offered again (in order), so every packet built
 * is either sent or, at a stop, freed and not counted.
 */
static void
send_loop(const struct tg_args *a, const struct tg_gen *g, struct rte_mempool *mp, struct tg_run *run,
	  double *secs)
{
	struct rte_mbuf *pend[TG_BURST_MAX];
	struct tg_pkt_desc desc[TG_BURST_MAX];
	uint16_t nb_pend = 0, off = 0;
	bool first_offer = false;
	uint64_t hz = rte_get_tsc_hz(), t0 = rte_rdtsc(), seq = 0;
	uint64_t end = a->duration > 0 ? t0 + (uint64_t)(a->duration * hz) : UINT64_MAX;
	uint64_t next_stats = t0 + (uint64_t)(a->stats_every * hz), last_sent = 0, last_rx = 0;
	uint64_t now = t0, sched = t0; /* sched: when packet 0 was due under --rate */

	while (!stop && (now = rte_rdtsc()) < end) {
		maybe_print_stats(a, run, now, hz, &next_stats, &last_sent, &last_rx);
		if (a->rx_only) {
			poll_rx(run);
			continue;
		}
		if (nb_pend == off) {
			uint64_t want = a->burst;

			if (a->count && a->count - seq < want)
				want = a->count - seq;
			if (a->rate > 0) {
				/* Token bucket on the TSC: never ahead of rate * elapsed. */
				uint64_t allowed = (uint64_t)((double)(now - sched) / hz * a->rate) + 1;
				uint64_t credit = (uint64_t)(a->rate / 100) + a->burst;

				/* Behind by more than 10 ms (a peer that stalled): resume at the rate
				 * instead of catching up in one long burst. */
				if (allowed > seq + credit) {
					sched = now - (uint64_t)((double)seq / a->rate * hz);
					allowed = seq + 1;
				}
				want = allowed > seq ? RTE_MIN(want, allowed - seq) : 0;
			}
			if (want == 0) {
				if (a->count && seq == a->count)
					break;
				poll_rx(run);
				continue;
			}
			if (rte_pktmbuf_alloc_bulk(mp, pend, (unsigned)want) != 0) {
				run->alloc_failed++;
				poll_rx(run);
				continue;
			}
			for (uint16_t i = 0; i < want; i++) {
				uint16_t len = tg_build(g, seq++, rte_pktmbuf_mtod(pend[i], uint8_t *), &desc[i]);

				pend[i]->data_len = len;
				pend[i]->pkt_len = len;
			}
			nb_pend = (uint16_t)want;
			off = 0;
			first_offer = true;
		}
		{
			uint16_t n = rte_eth_tx_burst(a->port, 0, pend + off, nb_pend - off);

			if (first_offer)
				run->refused += nb_pend - n;
			first_offer = false;
			for (uint16_t i = 0; i < n; i++)
				account(run, &desc[off + i]);
			off += n;
		}
		poll_rx(run);
	}
	*secs = (double)(now - t0) / hz;
	if (off < nb_pend)
		rte_pktmbuf_free_bulk(pend + off, nb_pend - off);
	if (a->linger > 0) {
		uint64_t until = rte_rdtsc() + (uint64_t)(a->linger * hz);

		while (!stop && rte_rdtsc() < until)
			poll_rx(run);
	}
}

static int
run_dpdk(const struct tg_args *a, struct tg_gen *g, struct tg_run *run, double *secs)
{
	struct rte_mempool *mp;
	struct rte_ether_addr mac;
	uint16_t pid;

	if (rte_eth_dev_count_avail() == 0) {
		fprintf(stderr, "iocwire-trafficgen: no port: give one with --vdev or -a PCI\n");
		return -ENODEV;
	}
	if (!rte_eth_dev_is_valid_port(a->port)) {
		fprintf(stderr, "iocwire-trafficgen: --port %u: no such port (%u probed)\n", a->port,
			rte_eth_dev_count_avail());
		return -ENODEV;
	}
	mp = rte_pktmbuf_pool_create("tg_mbufs", TG_POOL_SIZE, 256, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				     (int)rte_socket_id());
	if (mp == NULL) {
		fprintf(stderr, "iocwire-trafficgen: mempool: %s\n", rte_strerror(rte_errno));
		return -ENOMEM;
	}
	RTE_ETH_FOREACH_DEV(pid) {
		int rc = port_start(pid, mp);

		if (rc != 0) {
			fprintf(stderr, "iocwire-trafficgen: port %u: %s\n", pid, rte_strerror(-rc));
			return rc;
		}
	}
	if (rte_eth_macaddr_get(a->port, &mac) == 0)
		memcpy(g->cfg.src_mac, mac.addr_bytes, 6);
	/* Ports are up (a vhost-user peer may be waiting for us); received packets still count. */
	while (a->wait_for != NULL && access(a->wait_for, F_OK) != 0 && !stop) {
		poll_rx(run);
		rte_delay_us_sleep(1000);
	}
	send_loop(a, g, mp, run, secs);
	RTE_ETH_FOREACH_DEV(pid) {
		rte_eth_dev_stop(pid);
		rte_eth_dev_close(pid);
	}
	return 0;
}

static bool
has_arg(int argc, char **argv, const char *arg)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], arg) == 0)
			return true;
	return false;
}

int
main(int argc, char **argv)
{
	static const uint8_t def_dst[6] = {0x02, 0, 0, 0, 0, 0x02}, def_src[6] = {0x02, 0, 0, 0, 0, 0x01};
	struct tg_args a = {.port = 0, .burst = 32};
	struct ioc_list iocs = {0};
	struct tg_run run = {0};
	struct tg_gen g;
	bool pcap = has_arg(argc, argv, "--pcap-out");
	char err[256];
	double secs = 0;
	int rc;

	a.cfg.seed = 1;
	a.cfg.nb_flows = 1024;
	a.cfg.sizes[0] = (struct tg_size){64, 1};
	a.cfg.nb_sizes = 1;
	memcpy(a.cfg.src_mac, def_src, 6);
	memcpy(a.cfg.dst_mac, def_dst, 6);
	/* A capture needs no EAL: everything is an application option then. */
	if (!pcap) {
		rc = rte_eal_init(argc, argv);
		if (rc < 0) {
			fprintf(stderr, "iocwire-trafficgen: EAL: %s\n", rte_strerror(rte_errno));
			return EXIT_FAILURE;
		}
		argc -= rc;
		argv += rc;
	}
	if (parse_args(argc, argv, &a, &iocs) < 0) {
		usage(stderr);
		return 2;
	}
	a.cfg.iocs = iocs.v;
	a.cfg.nb_iocs = iocs.nb;
	if (tg_gen_init(&g, &a.cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "iocwire-trafficgen: %s\n", err);
		return 2;
	}
	if (iocs.nb_unusable)
		fprintf(stderr, "iocwire-trafficgen: %u IOCs are names or URLs: not used\n", iocs.nb_unusable);
	run.ioc_flows = calloc(g.nb_ioc_flows ? g.nb_ioc_flows : 1, sizeof(*run.ioc_flows));
	if (run.ioc_flows == NULL)
		return EXIT_FAILURE;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	if (pcap) {
		struct timespec t0, t1;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		rc = run_pcap(&a, &g, &run);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		secs = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	} else {
		rc = run_dpdk(&a, &g, &run, &secs);
	}
	if (rc == 0 && a.expect)
		rc = write_expect(&a, &g, &run);
	if (rc == 0)
		print_summary(&g, &run, secs);
	free(run.ioc_flows);
	free(iocs.v);
	if (!pcap)
		rte_eal_cleanup();
	return rc == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
