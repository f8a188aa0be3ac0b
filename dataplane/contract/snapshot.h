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
 * high bits. One cache access per check. */
static inline uint64_t
snapshot_filter_bits(uint64_t h, unsigned k)
{
	uint64_t bits = 0;
	for (unsigned i = 0; i < k; i++)
		bits |= 1ULL << ((h >> (40 + 6 * i)) & 63);
	return bits;
}

static inline const uint64_t *
snapshot_filter_word(const struct snapshot_view *v, uint64_t h)
{
	return &v->filter[h & v->filter_mask];
}

static inline bool
snapshot_filter_test(const struct snapshot_view *v, uint64_t h)
{
	uint64_t bits = snapshot_filter_bits(h, (unsigned)v->hdr->filter_hashes);
	return (*snapshot_filter_word(v, h) & bits) == bits;
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

/** Meta index of a stored value; only valid when (val & SNAP_VAL_META_MASK) != 0. */
static inline uint32_t
snapshot_value_meta(uint32_t val)
{
	return (val & SNAP_VAL_META_MASK) - 1;
}

#endif
