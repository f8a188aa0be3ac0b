/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * flow_table.c - matched-flow tracking for one worker. Linear probing keeps a
 * lookup to one or two cache lines; deletion shifts later entries back
 * (Knuth's algorithm R) so there are no tombstones to clean up.
 */
#include <string.h>

#include "contract/snapshot.h"
#include "flow_table.h"

#define TCP_FIN 0x01
#define TCP_RST 0x04

static uint64_t
slots_for(uint32_t capacity)
{
	uint64_t n = 16;

	/* Keep the load at or under 3/4 of the slots. */
	while (n * 3 / 4 < capacity)
		n <<= 1;
	return n;
}

size_t
flow_table_mem_size(uint32_t capacity)
{
	return slots_for(capacity) * sizeof(struct flow_entry);
}

void
flow_table_init(struct flow_table *ft, void *mem, uint32_t capacity, const struct flow_timeouts *to,
		uint64_t id_base)
{
	memset(ft, 0, sizeof(*ft));
	ft->slots = mem;
	ft->mask = slots_for(capacity) - 1;
	ft->capacity_limit = capacity;
	ft->timeouts = *to;
	ft->next_id = id_base;
}

static int
endpoint_cmp(const uint8_t a[16], uint16_t pa, const uint8_t b[16], uint16_t pb)
{
	int c = memcmp(a, b, 16);

	if (c != 0)
		return c;
	return (int)pa - (int)pb;
}

bool
flow_key_make(struct flow_key *key, uint64_t *hash, uint8_t family, uint8_t proto, uint16_t vlan,
	      const uint8_t src[16], const uint8_t dst[16], uint16_t sport, uint16_t dport)
{
	bool src_is_a = endpoint_cmp(src, sport, dst, dport) <= 0;
	uint64_t w[4];

	memset(key, 0, sizeof(*key));
	key->family = family;
	key->proto = proto;
	key->vlan = vlan;
	key->port_a = src_is_a ? sport : dport;
	key->port_b = src_is_a ? dport : sport;
	memcpy(key->addr_a, src_is_a ? src : dst, 16);
	memcpy(key->addr_b, src_is_a ? dst : src, 16);

	memcpy(w, key->addr_a, 16);
	memcpy(w + 2, key->addr_b, 16);
	*hash = snapshot_mix64(w[0] ^ snapshot_mix64(w[1] ^ snapshot_mix64(w[2] ^ snapshot_mix64(w[3]))) ^
			       ((uint64_t)family << 56 | (uint64_t)proto << 48 | (uint64_t)vlan << 32 |
				(uint64_t)key->port_a << 16 | key->port_b));
	return src_is_a;
}

struct flow_entry *
flow_table_lookup(struct flow_table *ft, const struct flow_key *key, uint64_t hash)
{
	for (uint64_t i = hash & ft->mask;; i = (i + 1) & ft->mask) {
		struct flow_entry *fe = &ft->slots[i];

		if (!fe->in_use)
			return NULL;
		if (fe->hash == hash && memcmp(&fe->key, key, sizeof(*key)) == 0)
			return fe;
	}
}

struct flow_entry *
flow_table_insert(struct flow_table *ft, const struct flow_key *key, uint64_t hash, bool src_is_a,
		  uint64_t now_ns)
{
	uint64_t i;

	if (ft->stats.active >= ft->capacity_limit) {
		ft->stats.table_full++;
		return NULL;
	}
	for (i = hash & ft->mask; ft->slots[i].in_use; i = (i + 1) & ft->mask)
		;
	struct flow_entry *fe = &ft->slots[i];
	memset(fe, 0, sizeof(*fe));
	fe->key = *key;
	fe->hash = hash;
	fe->in_use = 1;
	fe->init_is_a = src_is_a;
	fe->flow_id = ft->next_id++;
	fe->first_ns = now_ns;
	fe->last_ns = now_ns;
	ft->stats.created++;
	ft->stats.active++;
	return fe;
}

void
flow_table_account(struct flow_entry *fe, bool src_is_a, uint32_t bytes, uint8_t tcp_flags,
		   uint64_t now_ns)
{
	unsigned dir = src_is_a == (bool)fe->init_is_a ? 0 : 1;

	fe->pkts[dir]++;
	fe->bytes[dir] += bytes;
	if (now_ns > fe->last_ns)
		fe->last_ns = now_ns;
	if (fe->key.proto != 6)
		return;
	fe->tcp_flags |= tcp_flags;
	if (fe->closed)
		return;
	if (tcp_flags & TCP_RST) {
		fe->closed = 1;
		fe->end_reason = IOCW_END_RST;
	} else if (tcp_flags & TCP_FIN) {
		fe->fin_mask |= 1u << dir;
		if (fe->fin_mask == 3) {
			fe->closed = 1;
			fe->end_reason = IOCW_END_FIN;
		}
	}
}

static uint64_t
timeout_of(const struct flow_table *ft, const struct flow_entry *fe)
{
	if (fe->closed)
		return ft->timeouts.tcp_closed_ns;
	switch (fe->key.proto) {
	case 6:
		return ft->timeouts.tcp_idle_ns;
	case 17:
		return ft->timeouts.udp_idle_ns;
	default:
		return ft->timeouts.other_idle_ns;
	}
}

/* Remove slot @p i and shift the following cluster back so lookups stay correct. */
static void
remove_slot(struct flow_table *ft, uint64_t i)
{
	uint64_t j = i;

	for (;;) {
		j = (j + 1) & ft->mask;
		if (!ft->slots[j].in_use)
			break;
		uint64_t home = ft->slots[j].hash & ft->mask;
		/* Move j into the hole at i unless j's home lies cyclically in (i, j]. */
		bool stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
		if (!stays) {
			ft->slots[i] = ft->slots[j];
			i = j;
		}
	}
	ft->slots[i].in_use = 0;
	ft->stats.active--;
	ft->stats.ended++;
}

static void
end_flow(struct flow_table *ft, uint64_t i, uint8_t reason, flow_end_fn fn, void *ctx)
{
	struct flow_entry *fe = &ft->slots[i];

	if (!fe->closed || fe->end_reason == IOCW_END_NONE)
		fe->end_reason = reason;
	fn(ctx, fe);
	remove_slot(ft, i);
}

uint32_t
flow_table_expire(struct flow_table *ft, uint64_t now_ns, uint32_t budget, flow_end_fn fn, void *ctx)
{
	uint32_t ended = 0;
	uint64_t i = ft->expire_cursor & ft->mask;

	if (ft->stats.active == 0)
		return 0;
	while (budget-- > 0) {
		struct flow_entry *fe = &ft->slots[i];

		/* After a removal slot i holds a shifted entry: look at it again. */
		if (fe->in_use && now_ns > fe->last_ns && now_ns - fe->last_ns >= timeout_of(ft, fe)) {
			end_flow(ft, i, fe->closed ? fe->end_reason : IOCW_END_IDLE, fn, ctx);
			ended++;
			continue;
		}
		i = (i + 1) & ft->mask;
	}
	ft->expire_cursor = i;
	return ended;
}

uint32_t
flow_table_flush(struct flow_table *ft, uint8_t reason, flow_end_fn fn, void *ctx)
{
	uint32_t ended = 0;

	for (uint64_t i = 0; i <= ft->mask && ft->stats.active > 0;) {
		if (ft->slots[i].in_use) {
			end_flow(ft, i, reason, fn, ctx);
			ended++;
			continue;
		}
		i++;
	}
	return ended;
}

void
flow_entry_to_event(const struct flow_entry *fe, uint8_t type, struct iocw_event *ev)
{
	const struct flow_key *k = &fe->key;

	memset(ev, 0, sizeof(*ev));
	ev->type = type;
	ev->family = k->family;
	ev->proto = k->proto;
	ev->tcp_flags = fe->tcp_flags;
	ev->side = fe->side;
	ev->kind = fe->kind;
	ev->action = fe->action;
	ev->end_reason = type == IOCW_EVENT_FLOW_END ? fe->end_reason : IOCW_END_NONE;
	ev->vlan = k->vlan;
	ev->sport = fe->init_is_a ? k->port_a : k->port_b;
	ev->dport = fe->init_is_a ? k->port_b : k->port_a;
	memcpy(ev->src, fe->init_is_a ? k->addr_a : k->addr_b, 16);
	memcpy(ev->dst, fe->init_is_a ? k->addr_b : k->addr_a, 16);
	ev->meta = fe->meta;
	ev->prefix_len = fe->prefix_len;
	ev->exclusion = fe->exclusion;
	ev->name_where = fe->name_where;
	ev->name_ioc = fe->name_ioc;
	ev->generation = fe->generation;
	ev->flow_id = fe->flow_id;
	ev->first_ns = fe->first_ns;
	ev->last_ns = fe->last_ns;
	ev->pkts_fwd = fe->pkts[0];
	ev->pkts_rev = fe->pkts[1];
	ev->bytes_fwd = fe->bytes[0];
	ev->bytes_rev = fe->bytes[1];
}
