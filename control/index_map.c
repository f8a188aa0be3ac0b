/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdlib.h>

#include "contract/snapshot.h"
#include "index_map.h"

int
index_map_init(struct index_map *m, uint64_t capacity_hint)
{
	uint64_t cap = 64;

	while (cap < capacity_hint * 2)
		cap <<= 1;
	m->slots = calloc(cap, sizeof(*m->slots));
	m->hashes = calloc(cap, sizeof(*m->hashes));
	if (m->slots == NULL || m->hashes == NULL) {
		index_map_release(m);
		return -ENOMEM;
	}
	m->mask = cap - 1;
	m->count = 0;
	return 0;
}

void
index_map_release(struct index_map *m)
{
	free(m->slots);
	free(m->hashes);
	m->slots = NULL;
	m->hashes = NULL;
}

static void
place(uint32_t *slots, uint64_t *hashes, uint64_t mask, uint64_t hash, uint32_t value)
{
	uint64_t i = hash & mask;

	while (slots[i] != 0)
		i = (i + 1) & mask;
	slots[i] = value;
	hashes[i] = hash;
}

static int
grow(struct index_map *m)
{
	uint64_t cap = (m->mask + 1) * 2;
	uint32_t *slots = calloc(cap, sizeof(*slots));
	uint64_t *hashes = calloc(cap, sizeof(*hashes));

	if (slots == NULL || hashes == NULL) {
		free(slots);
		free(hashes);
		return -ENOMEM;
	}
	for (uint64_t i = 0; i <= m->mask; i++)
		if (m->slots[i] != 0)
			place(slots, hashes, cap - 1, m->hashes[i], m->slots[i]);
	index_map_release(m);
	m->slots = slots;
	m->hashes = hashes;
	m->mask = cap - 1;
	return 0;
}

int64_t
index_map_find_or_insert(struct index_map *m, uint64_t hash, const void *key, index_map_eq_fn eq,
			 void *ctx, int64_t insert_idx)
{
	uint64_t i = hash & m->mask;

	for (; m->slots[i] != 0; i = (i + 1) & m->mask)
		if (m->hashes[i] == hash && eq(key, m->slots[i] - 1, ctx))
			return m->slots[i] - 1;
	if (insert_idx < 0)
		return -1;
	/* Keep the load under one half so probe chains stay short. */
	if ((m->count + 1) * 2 > m->mask + 1) {
		if (grow(m) < 0)
			return -2;
	}
	place(m->slots, m->hashes, m->mask, hash, (uint32_t)insert_idx + 1);
	m->count++;
	return -1;
}

uint64_t
index_map_hash_bytes(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return snapshot_mix64(h);
}
