/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lookup_bench.c - cycles per IPv4 address lookup for iocwire's snapshot
 * (pre-filter + hash table, batched over bursts of 32 with prefetch, as the
 * worker does) against DPDK's rte_hash bulk lookup and rte_fib (DIR-24-8) on
 * the same keys, in the same run. Prints one JSON object per result.
 *
 *   lookup_bench [EAL options] -- [--iocs N]... [--lookups K] [--hit-rate R]
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_fib.h>
#include <rte_hash.h>
#include <rte_jhash.h>
#include <rte_malloc.h>
#include <rte_prefetch.h>

#include "contract/snapshot.h"
#include "snapshot_build.h"

#define BURST 32

struct bench_keys {
	uint32_t *iocs;    /* the IOC addresses, host order */
	uint32_t *lookups; /* the addresses looked up */
	size_t nb_iocs, nb_lookups;
	size_t expected_hits;
};

static uint64_t
xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Distinct IOC addresses in 1.0.0.0-126.255.255.255; misses come from 128.0.0.0 up. */
static void
make_keys(struct bench_keys *k, size_t nb_iocs, size_t nb_lookups, double hit_rate)
{
	uint64_t seed = 0x9e3779b97f4a7c15ULL;

	k->nb_iocs = nb_iocs;
	k->nb_lookups = nb_lookups;
	k->iocs = malloc(nb_iocs * sizeof(uint32_t));
	k->lookups = malloc(nb_lookups * sizeof(uint32_t));
	k->expected_hits = 0;
	for (size_t i = 0; i < nb_iocs; i++)
		/* An odd multiplier is a bijection on 32 bits: distinct without a set. */
		k->iocs[i] = (uint32_t)((i + 1) * 2654435761u) % 0x7e000000u + 0x01000000u;
	for (size_t i = 0; i < nb_lookups; i++) {
		if ((double)(xorshift(&seed) % 1000000) < hit_rate * 1000000) {
			k->lookups[i] = k->iocs[xorshift(&seed) % nb_iocs];
			k->expected_hits++;
		} else {
			k->lookups[i] = 0x80000000u | (uint32_t)xorshift(&seed);
		}
	}
}

static void *
build_snapshot(const struct bench_keys *k, struct snapshot_view *view)
{
	struct snapshot_builder *b = snapshot_builder_new();
	void *blob, *copy;
	size_t len;
	char err[256];

	for (size_t i = 0; i < k->nb_iocs; i++) {
		struct ioc ioc = {.type = IOCW_IOC_IP, .family = IOCW_FAMILY_V4, .value = "",
				  .feed = "bench", .confidence = 80};
		uint32_t be = __builtin_bswap32(k->iocs[i]);

		memcpy(ioc.addr, &be, 4);
		snapshot_builder_add(b, &ioc);
	}
	if (snapshot_builder_finish(b, 1, &blob, &len) < 0)
		rte_exit(EXIT_FAILURE, "snapshot build failed\n");
	snapshot_builder_free(b);
	/* Same memory as the dataplane uses for a published snapshot. */
	copy = rte_malloc("bench_snapshot", len, 64);
	memcpy(copy, blob, len);
	free(blob);
	if (snapshot_open(view, copy, len, err, sizeof(err)) < 0)
		rte_exit(EXIT_FAILURE, "snapshot invalid: %s\n", err);
	return copy;
}

/* The worker's lookup: filter words prefetched for the burst, then table slots of candidates. */
static size_t
run_iocwire(const struct snapshot_view *v, const struct bench_keys *k)
{
	size_t hits = 0;

	for (size_t base = 0; base + BURST <= k->nb_lookups; base += BURST) {
		uint64_t h[BURST];
		uint8_t cand[BURST];

		for (int i = 0; i < BURST; i++) {
			h[i] = snapshot_filter_hash_v4(k->lookups[base + i]);
			rte_prefetch0(snapshot_filter_word(v, h[i]));
		}
		for (int i = 0; i < BURST; i++) {
			cand[i] = snapshot_filter_test(v, h[i]);
			if (cand[i])
				rte_prefetch0(&v->v4_keys[snapshot_mix64(snapshot_v4_key_addr(
								k->lookups[base + i])) & v->v4_mask]);
		}
		for (int i = 0; i < BURST; i++)
			if (cand[i] && snapshot_v4_find(v, snapshot_v4_key_addr(k->lookups[base + i])))
				hits++;
	}
	return hits;
}

static struct rte_hash *
build_hash(const struct bench_keys *k)
{
	struct rte_hash_parameters p = {
		.name = "bench_hash", .entries = (uint32_t)(k->nb_iocs * 2 < 64 ? 64 : k->nb_iocs * 2),
		.key_len = sizeof(uint32_t), .hash_func = rte_jhash, .socket_id = (int)rte_socket_id(),
	};
	struct rte_hash *h = rte_hash_create(&p);

	if (h == NULL)
		rte_exit(EXIT_FAILURE, "rte_hash_create failed\n");
	for (size_t i = 0; i < k->nb_iocs; i++)
		rte_hash_add_key(h, &k->iocs[i]);
	return h;
}

static size_t
run_hash(const struct rte_hash *h, const struct bench_keys *k)
{
	size_t hits = 0;

	for (size_t base = 0; base + BURST <= k->nb_lookups; base += BURST) {
		const void *keys[BURST];
		int32_t pos[BURST];

		for (int i = 0; i < BURST; i++)
			keys[i] = &k->lookups[base + i];
		rte_hash_lookup_bulk(h, keys, BURST, pos);
		for (int i = 0; i < BURST; i++)
			hits += pos[i] >= 0;
	}
	return hits;
}

static struct rte_fib *
build_fib(const struct bench_keys *k)
{
	struct rte_fib_conf conf = {
		.type = RTE_FIB_DIR24_8, .default_nh = 0, .max_routes = (uint32_t)k->nb_iocs + 16,
		.dir24_8 = {.nh_sz = RTE_FIB_DIR24_8_4B, .num_tbl8 = (uint32_t)k->nb_iocs + 16},
	};
	struct rte_fib *f = rte_fib_create("bench_fib", (int)rte_socket_id(), &conf);

	if (f == NULL)
		rte_exit(EXIT_FAILURE, "rte_fib_create failed\n");
	for (size_t i = 0; i < k->nb_iocs; i++)
		rte_fib_add(f, k->iocs[i], 32, 1);
	return f;
}

static size_t
run_fib(struct rte_fib *f, const struct bench_keys *k)
{
	size_t hits = 0;

	for (size_t base = 0; base + BURST <= k->nb_lookups; base += BURST) {
		uint64_t nh[BURST];

		rte_fib_lookup_bulk(f, &k->lookups[base], nh, BURST);
		for (int i = 0; i < BURST; i++)
			hits += nh[i] != 0;
	}
	return hits;
}

static void
report(const char *what, size_t nb_iocs, uint64_t cycles, size_t lookups, size_t hits, size_t want)
{
	printf("{\"name\": \"lookup_%s_%zu\", \"value\": %.1f, \"unit\": \"cycles/lookup\", "
	       "\"iocs\": %zu, \"hits\": %zu, \"expected_hits\": %zu}\n",
	       what, nb_iocs, (double)cycles / (double)lookups, nb_iocs, hits, want);
	if (hits != want) {
		fprintf(stderr, "lookup_bench: %s found %zu hits, expected %zu\n", what, hits, want);
		exit(EXIT_FAILURE);
	}
}

/* Best of three runs: the steady state, not the first cold pass. */
#define TIME_BEST(out_cycles, out_hits, expr)                                                   \
	do {                                                                                    \
		out_cycles = UINT64_MAX;                                                        \
		for (int rep = 0; rep < 3; rep++) {                                             \
			uint64_t t0 = rte_rdtsc_precise();                                      \
			out_hits = (expr);                                                      \
			uint64_t dt = rte_rdtsc_precise() - t0;                                 \
			out_cycles = dt < out_cycles ? dt : out_cycles;                         \
		}                                                                               \
	} while (0)

int
main(int argc, char **argv)
{
	size_t sizes[8], nb_sizes = 0, lookups = 4u << 20;
	double hit_rate = 0.001;
	int rc = rte_eal_init(argc, argv), c;

	if (rc < 0)
		rte_exit(EXIT_FAILURE, "EAL init failed\n");
	argc -= rc;
	argv += rc;
	static const struct option opts[] = {{"iocs", required_argument, NULL, 'n'},
					     {"lookups", required_argument, NULL, 'k'},
					     {"hit-rate", required_argument, NULL, 'r'},
					     {NULL, 0, NULL, 0}};
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'n' && nb_sizes < 8)
			sizes[nb_sizes++] = strtoull(optarg, NULL, 0);
		else if (c == 'k')
			lookups = strtoull(optarg, NULL, 0);
		else if (c == 'r')
			hit_rate = strtod(optarg, NULL);
		else
			rte_exit(EXIT_FAILURE, "usage: lookup_bench [EAL] -- [--iocs N]... [--lookups K] [--hit-rate R]\n");
	}
	if (nb_sizes == 0) {
		sizes[nb_sizes++] = 1000;
		sizes[nb_sizes++] = 100000;
		sizes[nb_sizes++] = 1000000;
	}
	for (size_t s = 0; s < nb_sizes; s++) {
		struct bench_keys k;
		struct snapshot_view view;
		void *snap;
		struct rte_hash *h;
		struct rte_fib *f;
		uint64_t cyc;
		size_t hits;

		make_keys(&k, sizes[s], lookups, hit_rate);
		snap = build_snapshot(&k, &view);
		h = build_hash(&k);
		f = build_fib(&k);
		TIME_BEST(cyc, hits, run_iocwire(&view, &k));
		report("iocwire", k.nb_iocs, cyc, lookups, hits, k.expected_hits);
		TIME_BEST(cyc, hits, run_hash(h, &k));
		report("rte_hash", k.nb_iocs, cyc, lookups, hits, k.expected_hits);
		TIME_BEST(cyc, hits, run_fib(f, &k));
		report("rte_fib", k.nb_iocs, cyc, lookups, hits, k.expected_hits);
		fflush(stdout);
		rte_fib_free(f);
		rte_hash_free(h);
		rte_free(snap);
		free(k.iocs);
		free(k.lookups);
	}
	rte_eal_cleanup();
	return 0;
}
