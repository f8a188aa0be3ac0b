/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include "contract/snapshot.h"
#include "frag_table.h"

size_t
frag_table_mem_size(uint32_t capacity)
{
	uint32_t n = 16;

	while (n < capacity)
		n <<= 1;
	return n * sizeof(struct frag_entry);
}

void
frag_table_init(struct frag_table *t, void *mem, uint32_t capacity, uint64_t max_age_ns)
{
	uint32_t n = (uint32_t)(frag_table_mem_size(capacity) / sizeof(struct frag_entry));

	memset(t, 0, sizeof(*t));
	t->slots = mem;
	t->mask = n - 1;
	t->max_age_ns = max_age_ns;
}

static uint32_t
slot_of(const struct frag_table *t, const struct pkt_info *pi)
{
	uint64_t a, b;

	memcpy(&a, pi->src, 8);
	memcpy(&b, pi->dst + 8, 8);
	return (uint32_t)(snapshot_mix64(a ^ snapshot_mix64(b ^ ((uint64_t)pi->frag_id << 8 | pi->proto))) &
			  t->mask);
}

void
frag_table_remember(struct frag_table *t, const struct pkt_info *pi, const struct flow_key *key, uint64_t hash,
		    bool src_is_a, uint64_t now_ns)
{
	struct frag_entry *e = &t->slots[slot_of(t, pi)];

	if (!e->in_use)
		t->active++;
	else if (now_ns - e->seen_ns < t->max_age_ns)
		t->stats.overwritten++;
	e->in_use = 1;
	e->family = pi->family;
	e->proto = pi->proto;
	e->src_is_a = src_is_a;
	e->id = pi->frag_id;
	memcpy(e->src, pi->src, 16);
	memcpy(e->dst, pi->dst, 16);
	e->seen_ns = now_ns;
	e->flow_hash = hash;
	e->flow = *key;
	t->stats.remembered++;
}

const struct frag_entry *
frag_table_find(struct frag_table *t, const struct pkt_info *pi, uint64_t now_ns)
{
	struct frag_entry *e = &t->slots[slot_of(t, pi)];

	if (!e->in_use || e->id != pi->frag_id || e->proto != pi->proto || e->family != pi->family ||
	    memcmp(e->src, pi->src, 16) != 0 || memcmp(e->dst, pi->dst, 16) != 0)
		return NULL;
	if (now_ns > e->seen_ns && now_ns - e->seen_ns >= t->max_age_ns) {
		e->in_use = 0;
		t->active--;
		return NULL;
	}
	e->seen_ns = now_ns; /* a datagram's fragments keep it alive */
	t->stats.found++;
	return e;
}
