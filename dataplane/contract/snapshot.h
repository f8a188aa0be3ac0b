/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * snapshot.h - read side of an IOC snapshot: full validation of a blob, and
 * the lock-free lookups the workers run on it. The hash and filter functions
 * here are also used by the control plane's builder so both sides agree.
 * Context: any thread; a struct snapshot_view is immutable once opened.
 */
#ifndef IOCWIRE_SNAPSHOT_H
#define IOCWIRE_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "contract/iocw_types.h"
#include "contract/snapshot_format.h"

/** Pointers into one validated blob. */
struct snapshot_view {
	const struct snap_header *hdr;
	uint64_t generation;
	const uint64_t *filter;
	uint64_t filter_mask; /**< words - 1 */
	unsigned filter_hashes; /**< k, bits per address (header copy: read per packet) */
	const uint64_t *v4_keys;
	const uint32_t *v4_vals;
	uint64_t v4_mask; /**< capacity - 1 */
	const struct snap_v6_entry *v6;
	uint64_t v6_mask;
	const struct snap_meta *meta;
	uint32_t nb_meta;
	const char *strings;
	uint64_t strings_size;
	const uint32_t *cidr4_index; /**< NULL when the snapshot has no IPv4 CIDR */
	const struct snap_range4 *cidr4;
	const struct snap_range6 *cidr6;
	uint64_t nb_cidr6;
	const struct snap_name *names;
	uint64_t names_mask;
	uint64_t nb_names;  /**< domain indicators in the table */
	const struct snap_url *urls;
	uint64_t nb_urls;
	const void *url_hsdb; /**< serialized Hyperscan database, NULL when no URL indicator */
	uint64_t url_hsdb_size;
	const struct snap_exclusion *excl;
	uint32_t nb_excl;
	const struct snap_excl_net *excl_nets;
	const uint16_t *excl_ports;
	const uint64_t *excl_week;
	const struct snap_tz_change *excl_tz;
	uint32_t flags; /**< SNAP_FLAG_* */
};

/**
 * Validate a snapshot blob completely (magic, version, byte order, sizes,
 * checksum, section bounds and alignment, table shapes, every value's meta
 * index and every string offset) and fill @p view.
 *
 * @param err buffer for a one-line reason on failure
 * @return 0, or -EINVAL (malformed) / -EPROTO (unsupported version) with @p err set.
 */
int snapshot_open(struct snapshot_view *view, const void *blob, size_t len, char *err,
		  size_t errlen);

/** CRC32C of a buffer (hardware instruction when the CPU has SSE4.2). */
uint32_t snapshot_crc32c(uint32_t crc, const void *data, size_t len);

/** Checksum of a whole blob as stored in its header (checksum field read as zero). */
uint32_t snapshot_checksum(const void *blob, size_t len);

/** String at @p off in the string section ("" for an invalid offset). */
const char *snapshot_string(const struct snapshot_view *view, uint32_t off);

/* ---- hashing shared with the builder ------------------------------------ */

static inline uint64_t
snapshot_mix64(uint64_t x)
{
	/* Murmur3 finaliser: full avalanche, a few cycles. */
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

static inline uint64_t
snapshot_v4_key_addr(uint32_t addr)
{
	return SNAP_KIND_ADDR << 62 | addr;
}

static inline uint64_t
snapshot_v4_key_port(uint32_t addr, uint16_t port, uint8_t proto)
{
	return SNAP_KIND_PORT << 62 | (uint64_t)proto << 48 | (uint64_t)port << 32 | addr;
}

static inline uint32_t
snapshot_v6_tag(uint64_t kind, uint16_t port, uint8_t proto)
{
	return (uint32_t)(kind << 30) | (uint32_t)proto << 16 | port;
}

static inline uint64_t
snapshot_v6_hash(uint64_t hi, uint64_t lo, uint32_t tag)
{
	return snapshot_mix64(hi ^ snapshot_mix64(lo ^ ((uint64_t)tag << 17)));
}

/** Hash of an address for the pre-filter (family 4: addr in host order in lo). */
static inline uint64_t
snapshot_filter_hash_v4(uint32_t addr)
{
	return snapshot_mix64(0x9e3779b97f4a7c15ULL ^ addr);
}

static inline uint64_t
snapshot_filter_hash_v6(uint64_t hi, uint64_t lo)
{
	return snapshot_mix64(hi ^ snapshot_mix64(lo));
}

/* The filter is a blocked Bloom filter with one 64-bit word per address: the
 * word is chosen by the low hash bits, k bits inside it by 6-bit slices of the
 * high bits. One cache access per check. The compiler writes
 * SNAP_FILTER_HASHES; that k is unrolled (a loop costs the worker a few
 * cycles per address), others take the loop. */
#define SNAP_FILTER_HASHES 3
_Static_assert(SNAP_FILTER_HASHES == 3, "snapshot_filter_bits() unrolls three slices");

static inline uint64_t
snapshot_filter_bit(uint64_t h, unsigned i)
{
	return 1ULL << ((h >> (40 + 6 * i)) & 63);
}

static inline uint64_t
snapshot_filter_bits(uint64_t h, unsigned k)
{
	uint64_t bits = 0;

	if (__builtin_expect(k == SNAP_FILTER_HASHES, 1))
		return snapshot_filter_bit(h, 0) | snapshot_filter_bit(h, 1) | snapshot_filter_bit(h, 2);
	for (unsigned i = 0; i < k; i++)
		bits |= snapshot_filter_bit(h, i);
	return bits;
}

static inline const uint64_t *
snapshot_filter_word(const struct snapshot_view *v, uint64_t h)
{
	return &v->filter[h & v->filter_mask];
}

/* The test on the filter's parts, for loops that keep them in registers. */
static inline bool
snapshot_filter_match(const uint64_t *filter, uint64_t mask, unsigned k, uint64_t h)
{
	uint64_t bits = snapshot_filter_bits(h, k);
	return (filter[h & mask] & bits) == bits;
}

static inline bool
snapshot_filter_test(const struct snapshot_view *v, uint64_t h)
{
	return snapshot_filter_match(v->filter, v->filter_mask, v->filter_hashes, h);
}

/* ---- lookups (worker hot path) ------------------------------------------ */

/** Value stored for an IPv4 key, or 0 when absent. */
static inline uint32_t
snapshot_v4_find(const struct snapshot_view *v, uint64_t key)
{
	uint64_t i = snapshot_mix64(key) & v->v4_mask;
	for (;;) {
		uint64_t k = v->v4_keys[i];
		if (k == key)
			return v->v4_vals[i];
		if (k == 0)
			return 0;
		i = (i + 1) & v->v4_mask;
	}
}

static inline uint32_t
snapshot_v6_find(const struct snapshot_view *v, uint64_t hi, uint64_t lo, uint32_t tag)
{
	uint64_t i = snapshot_v6_hash(hi, lo, tag) & v->v6_mask;
	for (;;) {
		const struct snap_v6_entry *e = &v->v6[i];
		if (e->tag == tag && e->hi == hi && e->lo == lo)
			return e->val;
		if (e->tag == 0)
			return 0;
		i = (i + 1) & v->v6_mask;
	}
}

/** Value of the longest IPv4 CIDR covering @p addr (host order), 0 when none. */
static inline uint32_t
snapshot_cidr4_find(const struct snapshot_view *v, uint32_t addr)
{
	uint32_t lo, hi;

	if (v->cidr4_index == NULL)
		return 0;
	lo = v->cidr4_index[addr >> 16];
	hi = v->cidr4_index[(addr >> 16) + 1];
	if (lo == hi)
		return 0;
	/* The slice starts at the /16 boundary, so its first range covers addr or precedes it. */
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (v->cidr4[mid].start <= addr)
			lo = mid;
		else
			hi = mid;
	}
	return v->cidr4[lo].val;
}

/** IPv6 CIDR value for an address given as a 128-bit number (hi, lo); 0 when none. */
static inline uint32_t
snapshot_cidr6_find(const struct snapshot_view *v, uint64_t hi64, uint64_t lo64)
{
	uint64_t lo = 0, hi = v->nb_cidr6;

	if (hi == 0)
		return 0;
	while (hi - lo > 1) {
		uint64_t mid = lo + (hi - lo) / 2;
		const struct snap_range6 *r = &v->cidr6[mid];

		if (r->start_hi < hi64 || (r->start_hi == hi64 && r->start_lo <= lo64))
			lo = mid;
		else
			hi = mid;
	}
	const struct snap_range6 *r = &v->cidr6[lo];
	if (r->start_hi > hi64 || (r->start_hi == hi64 && r->start_lo > lo64))
		return 0;
	return r->val;
}

static inline uint32_t
snapshot_range_meta(uint32_t val)
{
	return (val & SNAP_RANGE_META_MASK) - 1;
}

static inline uint8_t
snapshot_range_prefix_len(uint32_t val)
{
	return (uint8_t)(val >> 24);
}

/* ---- domain names ------------------------------------------------------- */

/* Prefetch without depending on DPDK (this header is shared with the control plane). */
static inline void
snapshot_prefetch(const void *p)
{
	__builtin_prefetch(p, 0, 3);
}

#define SNAPSHOT_MAX_LABELS 128

static inline uint64_t
snapshot_name_step(uint64_t h, uint8_t c)
{
	return (h ^ c) * 0x100000001b3ULL;
}

/**
 * Hashes of every label-aligned suffix of @p name (lower-case, no trailing
 * dot), longest (the whole name) first, in one backward pass.
 * @return number of suffixes written (at most @p max).
 */
static inline unsigned
snapshot_name_suffixes(const char *name, unsigned len, uint64_t *hashes, uint16_t *starts, unsigned max)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	unsigned n = 0;

	for (unsigned i = len; i-- > 0;) {
		h = snapshot_name_step(h, (uint8_t)name[i]);
		if ((i == 0 || name[i - 1] == '.') && n < max) {
			hashes[n] = snapshot_mix64(h ^ (len - i));
			starts[n] = (uint16_t)i;
			n++;
		}
	}
	/* Collected shortest first; callers want the most specific first. */
	for (unsigned a = 0, b = n ? n - 1 : 0; a < b; a++, b--) {
		uint64_t th = hashes[a];
		uint16_t ts = starts[a];

		hashes[a] = hashes[b];
		hashes[b] = th;
		starts[a] = starts[b];
		starts[b] = ts;
	}
	return n;
}

/** Hash of a whole name, as snapshot_name_suffixes() gives it for the name itself. */
static inline uint64_t
snapshot_name_hash(const char *name, unsigned len)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (unsigned i = len; i-- > 0;)
		h = snapshot_name_step(h, (uint8_t)name[i]);
	return snapshot_mix64(h ^ len);
}

/** Slot of the domain indicator equal to name[0..len), or NULL. */
static inline const struct snap_name *
snapshot_name_find(const struct snapshot_view *v, uint64_t hash, const char *name, unsigned len)
{
	for (uint64_t i = hash & v->names_mask;; i = (i + 1) & v->names_mask) {
		const struct snap_name *e = &v->names[i];

		if (e->val == 0)
			return NULL;
		if (e->hash == hash && strncmp(v->strings + e->str, name, len) == 0 &&
		    v->strings[e->str + len] == '\0')
			return e;
	}
}

/**
 * The most specific domain indicator covering @p name (the name itself or a
 * parent domain), or NULL. @p name must be lower-case without a trailing dot.
 */
static inline const struct snap_name *
snapshot_domain_match(const struct snapshot_view *v, const char *name, unsigned len)
{
	uint64_t hashes[SNAPSHOT_MAX_LABELS];
	uint16_t starts[SNAPSHOT_MAX_LABELS];
	unsigned n;

	if (v->nb_names == 0 || len == 0)
		return NULL;
	n = snapshot_name_suffixes(name, len, hashes, starts, SNAPSHOT_MAX_LABELS);
	for (unsigned i = 0; i < n; i++)
		snapshot_prefetch(snapshot_filter_word(v, hashes[i]));
	for (unsigned i = 0; i < n; i++) {
		const struct snap_name *e;

		/* Domain names are in the address pre-filter too: most suffixes stop here. */
		if (!snapshot_filter_test(v, hashes[i]))
			continue;
		e = snapshot_name_find(v, hashes[i], name + starts[i], len - starts[i]);
		if (e != NULL)
			return e;
	}
	return NULL;
}

/** Meta index of a stored value; only valid when (val & SNAP_VAL_META_MASK) != 0. */
static inline uint32_t
snapshot_value_meta(uint32_t val)
{
	return (val & SNAP_VAL_META_MASK) - 1;
}

#endif
