/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_snapshot.c - libFuzzer harness for the snapshot validator
 * snapshot_open() (dataplane/contract/snapshot.c): the input is a hostile
 * snapshot blob, as a compromised or buggy control plane, or a tampered
 * file, could hand to the dataplane.
 *
 * Each input is tried twice: as it is, and with its CRC32C recomputed, so
 * that mutations get past the checksum and reach the section, table, meta
 * and string checks. Whatever snapshot_open() accepts must then be safe for
 * the lock-free lookups the workers run without any check of their own:
 * every stored key is probed (the probing loops must terminate), every
 * matched value's metadata and strings are read, and random endpoints go
 * through the full matching path. ASan turns any read outside the blob into
 * a crash; the blob is an exact-size heap copy.
 *
 * Seeds: tests/fuzz/corpus/snapshot, real `iocwire-control compile` output.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contract/snapshot.h"
#include "contract/snapshot_match.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define fuzz_check(cond)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "invariant broken: %s\n", #cond);                          \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

/* Read everything a worker or the control plane reads for one hit. */
static void
touch_hit(const struct snapshot_view *v, const struct snapshot_hit *hit, uint8_t family)
{
	const struct snap_meta *m;
	size_t total = 0;

	fuzz_check(hit->meta < v->nb_meta);
	fuzz_check(hit->side == IOCW_SIDE_SRC || hit->side == IOCW_SIDE_DST);
	m = &v->meta[hit->meta];
	total += strlen(snapshot_string(v, m->feed)) + strlen(snapshot_string(v, m->malware)) +
		 strlen(snapshot_string(v, m->threat)) + strlen(snapshot_string(v, m->reference)) +
		 strlen(snapshot_string(v, m->tags));
	fuzz_check(total <= 5 * v->strings_size);
	fuzz_check(m->action <= IOCW_ACTION_DROP);
	/* The control plane rebuilds the network from it: it must fit the family. */
	fuzz_check(hit->kind != SNAP_KIND_CIDR || hit->prefix_len <= (family == IOCW_FAMILY_V4 ? 32 : 128));
}

static void
probe_v4(const struct snapshot_view *v, uint32_t a, uint32_t b, uint16_t sp, uint16_t dp, uint8_t proto)
{
	struct snapshot_probe p = {.family = IOCW_FAMILY_V4, .proto = proto, .has_ports = true,
				   .sport = sp, .dport = dp, .src4 = a, .dst4 = b};
	struct snapshot_hit hit;

	if (snapshot_match(v, &p, &hit))
		touch_hit(v, &hit, IOCW_FAMILY_V4);
	/* The worker's staged form: filter first, then the address-level values. */
	if (snapshot_match_resolve(v, &p, snapshot_v4_find(v, snapshot_v4_key_addr(a)),
				   snapshot_v4_find(v, snapshot_v4_key_addr(b)), &hit))
		touch_hit(v, &hit, IOCW_FAMILY_V4);
}

static void
probe_v6(const struct snapshot_view *v, const struct snap_v6_entry *e, uint16_t port, uint8_t proto)
{
	struct snapshot_probe p = {.family = IOCW_FAMILY_V6, .proto = proto, .has_ports = true,
				   .sport = 1234, .dport = port};
	struct snapshot_hit hit;

	p.src6[0] = p.dst6[0] = e->hi;
	p.src6[1] = p.dst6[1] = e->lo;
	if (snapshot_match(v, &p, &hit))
		touch_hit(v, &hit, IOCW_FAMILY_V6);
}

static void
exercise(const struct snapshot_view *v, const uint8_t *data, size_t size)
{
	fuzz_check(v->filter_mask + 1 != 0 && v->v4_mask + 1 != 0 && v->v6_mask + 1 != 0);
	/* Every stored key, looked up as the workers would. */
	for (uint64_t i = 0; i <= v->v4_mask; i++) {
		uint64_t key = v->v4_keys[i];
		uint32_t addr = (uint32_t)key;

		if (key == 0)
			continue;
		(void)snapshot_v4_find(v, key);
		probe_v4(v, addr, addr, (uint16_t)(key >> 32), (uint16_t)(key >> 32), (uint8_t)(key >> 48));
		probe_v4(v, addr, addr, (uint16_t)(key >> 32), (uint16_t)(key >> 32), 6);
	}
	for (uint64_t i = 0; i <= v->v6_mask; i++) {
		const struct snap_v6_entry *e = &v->v6[i];

		if (e->tag == 0)
			continue;
		(void)snapshot_v6_find(v, e->hi, e->lo, e->tag);
		probe_v6(v, e, (uint16_t)e->tag, (uint8_t)(e->tag >> 16));
	}
	/* CIDR ranges: each start, the address before it, and the one after. */
	for (uint64_t i = 0; v->cidr4_index != NULL && i < v->hdr->sections[SNAP_SEC_CIDR4_RANGES].count; i++) {
		uint32_t s = v->cidr4[i].start;

		probe_v4(v, s, s - 1, 80, 443, 6);
		probe_v4(v, s + 1, s + 1, 80, 443, 17);
	}
	for (uint64_t i = 0; i < v->nb_cidr6; i++) {
		struct snap_v6_entry e = {.hi = __builtin_bswap64(v->cidr6[i].start_hi),
					  .lo = __builtin_bswap64(v->cidr6[i].start_lo)};

		probe_v6(v, &e, 443, 6);
		e.lo = __builtin_bswap64(v->cidr6[i].start_lo - 1);
		probe_v6(v, &e, 53, 17);
	}
	/* Endpoints taken from the input itself. */
	for (size_t off = 0; off + 12 <= size && off < 4096; off += 12) {
		uint32_t a, b, ports;

		memcpy(&a, data + off, 4);
		memcpy(&b, data + off + 4, 4);
		memcpy(&ports, data + off + 8, 4);
		probe_v4(v, a, b, (uint16_t)ports, (uint16_t)(ports >> 16), (uint8_t)(ports >> 8));
	}
	for (uint32_t i = 0; i < v->nb_meta; i++)
		(void)strlen(snapshot_string(v, v->meta[i].reference));
	(void)snapshot_string(v, UINT32_MAX);
}

static void
try_open(uint8_t *blob, size_t size)
{
	struct snapshot_view view;
	char err[256];
	int rc;

	memset(err, 0, sizeof(err));
	rc = snapshot_open(&view, blob, size, err, sizeof(err));
	if (rc != 0) {
		fuzz_check(rc < 0);
		fuzz_check(err[0] != '\0' && memchr(err, '\0', sizeof(err)) != NULL);
		return;
	}
	fuzz_check(view.hdr == (const void *)blob);
	exercise(&view, blob, size);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* malloc gives 16-byte alignment: the validator requires 8. Exact size for ASan. */
	uint8_t *blob = malloc(size ? size : 1);

	if (blob == NULL)
		return 0;
	memcpy(blob, data, size);
	try_open(blob, size);
	if (size >= sizeof(struct snap_header)) {
		struct snap_header *h = (struct snap_header *)blob;

		h->checksum = snapshot_checksum(blob, size);
		try_open(blob, size);
	}
	free(blob);
	return 0;
}
