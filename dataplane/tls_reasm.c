/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tls_reasm.c - the two-segment ClientHello join. Buckets of TLS_REASM_WAYS
 * entries: a lookup reads one bucket, deletion just clears the slot (no
 * probing chains to repair), and a full bucket evicts its oldest entry, so a
 * flood of cut ClientHellos costs bounded memory and work.
 */
#include <errno.h>
#include <string.h>

#include "tls_reasm.h"

static uint32_t
buckets_for(uint32_t capacity)
{
	uint32_t n = 1;

	if (capacity > TLS_REASM_CAPACITY_MAX)
		capacity = TLS_REASM_CAPACITY_MAX;
	while (n * TLS_REASM_WAYS < capacity)
		n <<= 1;
	return n;
}

size_t
tls_reasm_mem_size(uint32_t capacity)
{
	return (size_t)buckets_for(capacity) * TLS_REASM_WAYS * sizeof(struct tls_reasm_entry) +
	       TLS_REASM_JOIN_MAX;
}

void
tls_reasm_init(struct tls_reasm *t, void *mem, uint32_t capacity, uint64_t max_age_ns)
{
	uint32_t buckets = buckets_for(capacity);

	memset(t, 0, sizeof(*t));
	t->slots = mem;
	t->nb_slots = buckets * TLS_REASM_WAYS;
	t->join = (uint8_t *)mem + (size_t)t->nb_slots * sizeof(struct tls_reasm_entry);
	t->mask = buckets - 1;
	t->max_age_ns = max_age_ns;
}

static uint16_t
entry_sport(const struct tls_reasm_entry *e)
{
	return e->src_is_a ? e->key.port_a : e->key.port_b;
}

static uint16_t
entry_dport(const struct tls_reasm_entry *e)
{
	return e->src_is_a ? e->key.port_b : e->key.port_a;
}

static bool
entry_too_old(const struct tls_reasm *t, const struct tls_reasm_entry *e, uint64_t now_ns)
{
	return now_ns > e->saved_ns && now_ns - e->saved_ns > t->max_age_ns;
}

static void
entry_drop(struct tls_reasm *t, struct tls_reasm_entry *e)
{
	t->filter[tls_reasm_filter_index(entry_sport(e), entry_dport(e))]--;
	t->stats.active--;
	e->in_use = 0;
}

static struct tls_reasm_entry *
bucket_of(struct tls_reasm *t, uint64_t hash)
{
	return &t->slots[(size_t)(hash & t->mask) * TLS_REASM_WAYS];
}

static struct tls_reasm_entry *
entry_find(struct tls_reasm *t, const struct flow_key *key, uint64_t hash, bool src_is_a)
{
	struct tls_reasm_entry *b = bucket_of(t, hash);

	for (unsigned w = 0; w < TLS_REASM_WAYS; w++) {
		struct tls_reasm_entry *e = &b[w];

		if (e->in_use && e->hash == hash && e->src_is_a == src_is_a &&
		    memcmp(&e->key, key, sizeof(*key)) == 0)
			return e;
	}
	return NULL;
}

int
tls_reasm_save(struct tls_reasm *t, const struct flow_key *key, uint64_t hash, bool src_is_a,
	       uint32_t seq, const uint8_t *payload, uint32_t len, uint64_t now_ns)
{
	struct tls_reasm_entry *e = entry_find(t, key, hash, src_is_a);

	if (len > TLS_REASM_BUF) {
		t->stats.too_big++;
		return -EMSGSIZE;
	}
	if (e == NULL) {
		struct tls_reasm_entry *b = bucket_of(t, hash);

		/* A free way, else an expired one, else the oldest. */
		for (unsigned w = 0; w < TLS_REASM_WAYS && e == NULL; w++)
			if (!b[w].in_use)
				e = &b[w];
		for (unsigned w = 0; w < TLS_REASM_WAYS && e == NULL; w++)
			if (entry_too_old(t, &b[w], now_ns)) {
				e = &b[w];
				t->stats.expired++;
			}
		if (e == NULL) {
			e = &b[0];
			for (unsigned w = 1; w < TLS_REASM_WAYS; w++)
				if (b[w].saved_ns < e->saved_ns)
					e = &b[w];
			t->stats.evicted++;
		}
		if (e->in_use)
			entry_drop(t, e);
		e->key = *key;
		e->hash = hash;
		e->src_is_a = src_is_a;
		e->in_use = 1;
		t->filter[tls_reasm_filter_index(entry_sport(e), entry_dport(e))]++;
		t->stats.active++;
	}
	e->saved_ns = now_ns;
	e->next_seq = seq + len;
	e->len = (uint16_t)len;
	memcpy(e->data, payload, len);
	t->stats.saved++;
	return 0;
}

enum extract_result
tls_reasm_continue(struct tls_reasm *t, const struct flow_key *key, uint64_t hash, bool src_is_a,
		   uint32_t seq, const uint8_t *payload, uint32_t len, uint64_t now_ns,
		   struct extract_name *out)
{
	struct tls_reasm_entry *e = entry_find(t, key, hash, src_is_a);
	enum extract_result res;
	int32_t delta;

	if (e == NULL)
		return EXTRACT_NOT_APPLICABLE;
	if (entry_too_old(t, e, now_ns)) {
		t->stats.expired++;
		entry_drop(t, e);
		return EXTRACT_NOT_APPLICABLE;
	}
	/* Serial-number arithmetic (RFC 1982): negative means "before next_seq". */
	delta = (int32_t)(seq - e->next_seq);
	if (delta > 0) {
		t->stats.out_of_order++;
		entry_drop(t, e);
		return EXTRACT_TRUNCATED;
	}
	if (delta < 0) {
		uint32_t old = (uint32_t) - (int64_t)delta;

		if (old >= len) {
			if (len != 0)
				t->stats.retransmits++;
			return EXTRACT_NEED_MORE;
		}
		/* Repacketized retransmission: skip what we already hold. */
		payload += old;
		len -= old;
	}
	if (len == 0)
		return EXTRACT_NEED_MORE;

	if (len <= (uint32_t)TLS_REASM_BUF - e->len) {
		/* Fits the entry: join in place, keep waiting if still short. */
		memcpy(e->data + e->len, payload, len);
		e->len = (uint16_t)(e->len + len);
		e->next_seq += len;
		res = extract_tls_sni(e->data, e->len, out);
		if (res == EXTRACT_NEED_MORE) {
			t->stats.appended++;
			return res;
		}
	} else {
		uint32_t take = (uint32_t)TLS_REASM_JOIN_MAX - e->len;

		if (take > len)
			take = len;
		memcpy(t->join, e->data, e->len);
		memcpy(t->join + e->len, payload, take);
		res = extract_tls_sni(t->join, e->len + take, out);
		if (res == EXTRACT_NEED_MORE) {
			t->stats.overflow++;
			entry_drop(t, e);
			return EXTRACT_TRUNCATED;
		}
	}
	t->stats.completed++;
	entry_drop(t, e);
	return res;
}

uint32_t
tls_reasm_expire(struct tls_reasm *t, uint64_t now_ns, uint32_t budget)
{
	uint32_t dropped = 0;

	if (t->stats.active == 0)
		return 0;
	if (budget > t->nb_slots)
		budget = t->nb_slots;
	for (uint32_t i = 0; i < budget; i++) {
		struct tls_reasm_entry *e = &t->slots[t->expire_cursor];

		t->expire_cursor = (t->expire_cursor + 1) & (t->nb_slots - 1);
		if (e->in_use && entry_too_old(t, e, now_ns)) {
			t->stats.expired++;
			entry_drop(t, e);
			dropped++;
		}
	}
	return dropped;
}
