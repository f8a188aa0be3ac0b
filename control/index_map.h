/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * index_map.h - an open-addressing set of indices into a caller-owned array,
 * looked up by hash and an equality callback. The builder uses it to intern
 * strings, share metadata records and merge duplicate indicators without a
 * separate hash table per kind. Context: control process.
 */
#ifndef IOCWIRE_INDEX_MAP_H
#define IOCWIRE_INDEX_MAP_H

#include <stdbool.h>
#include <stdint.h>

/** Does element @p idx of the caller's array equal the key being looked up? */
typedef bool (*index_map_eq_fn)(const void *key, uint32_t idx, void *ctx);

struct index_map {
	uint32_t *slots;   /**< idx + 1; 0 = empty */
	uint64_t *hashes;  /**< hash of each slot's element, for growth without rehash callbacks */
	uint64_t mask;
	uint64_t count;
};

int index_map_init(struct index_map *m, uint64_t capacity_hint);
void index_map_release(struct index_map *m);

/**
 * Find the element equal to @p key. Returns its index, or -1 when absent;
 * when absent and @p insert_idx >= 0, inserts @p insert_idx under @p hash.
 * Returns -2 when growing the table failed (ENOMEM).
 */
int64_t index_map_find_or_insert(struct index_map *m, uint64_t hash, const void *key,
				 index_map_eq_fn eq, void *ctx, int64_t insert_idx);

/** FNV-1a-then-mix hash of bytes. */
uint64_t index_map_hash_bytes(const void *data, size_t len);

#endif
