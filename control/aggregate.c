/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "ratelimit.h"

/* The string fields of struct cef_event, deep-copied into a summary. */
static const size_t aggregate_str_fields[] = {
	offsetof(struct cef_event, vendor),    offsetof(struct cef_event, product),
	offsetof(struct cef_event, version),   offsetof(struct cef_event, dvchost),
	offsetof(struct cef_event, dvc),       offsetof(struct cef_event, src),
	offsetof(struct cef_event, dst),       offsetof(struct cef_event, proto),
	offsetof(struct cef_event, act),       offsetof(struct cef_event, end_reason),
	offsetof(struct cef_event, ioc),       offsetof(struct cef_event, ioc_type),
	offsetof(struct cef_event, matched),   offsetof(struct cef_event, malware),
	offsetof(struct cef_event, threat),    offsetof(struct cef_event, feed),
	offsetof(struct cef_event, reference), offsetof(struct cef_event, tags),
};
#define AGGREGATE_NB_STR (sizeof(aggregate_str_fields) / sizeof(aggregate_str_fields[0]))

struct aggregate_slot {
	char *key;
	uint64_t window_end_ms;
	uint64_t nb_folded;
	int next; /* next slot in the bucket chain, or the free list; -1 ends */
	struct cef_event sum;
	char *strs[AGGREGATE_NB_STR];
};

struct aggregate {
	uint64_t interval_ms, nb_folded, nb_table_full;
	unsigned capacity;
	int free_head;
	int *buckets;
	struct aggregate_slot *slots;
};

struct aggregate *
aggregate_new(uint64_t interval_ms, unsigned capacity)
{
	struct aggregate *a = calloc(1, sizeof(*a));

	if (a == NULL)
		return NULL;
	a->interval_ms = interval_ms;
	a->capacity = capacity ? capacity : 1;
	a->buckets = malloc(a->capacity * sizeof(*a->buckets));
	a->slots = calloc(a->capacity, sizeof(*a->slots));
	if (a->buckets == NULL || a->slots == NULL) {
		aggregate_free(a);
		return NULL;
	}
	for (unsigned i = 0; i < a->capacity; i++) {
		a->buckets[i] = -1;
		a->slots[i].next = i + 1 < a->capacity ? (int)i + 1 : -1;
	}
	return a;
}

/* "kind|ioc|other endpoint": the endpoint that is not the IOC. */
static void
aggregate_key(const struct cef_event *ev, char *buf, size_t len)
{
	bool dst = ev->matched != NULL && strcmp(ev->matched, "dst") == 0;
	const char *other = dst ? ev->src : ev->dst;

	snprintf(buf, len, "%d|%s|%s", (int)ev->kind, ev->ioc ? ev->ioc : "", other ? other : "");
}

static void
aggregate_copy(struct aggregate_slot *s, const struct cef_event *ev)
{
	s->sum = *ev;
	for (size_t i = 0; i < AGGREGATE_NB_STR; i++) {
		const char **f = (const char **)(void *)((char *)&s->sum + aggregate_str_fields[i]);

		s->strs[i] = *f ? strdup(*f) : NULL;
		*f = s->strs[i];
	}
}

static void
aggregate_fold(struct aggregate_slot *s, const struct cef_event *ev)
{
	struct cef_event *m = &s->sum;

	if (s->nb_folded++ == 0) {
		aggregate_copy(s, ev);
		return;
	}
	m->cnt += ev->cnt;
	m->pkts += ev->pkts;
	m->bytes_in += ev->bytes_in;
	m->bytes_out += ev->bytes_out;
	m->tcp_flags |= ev->tcp_flags;
	m->flow_id = ev->flow_id;
	if (ev->rt_ms > m->rt_ms)
		m->rt_ms = ev->rt_ms;
	if (ev->start_ms != 0 && (m->start_ms == 0 || ev->start_ms < m->start_ms))
		m->start_ms = ev->start_ms;
	if (ev->end_ms > m->end_ms)
		m->end_ms = ev->end_ms;
}

static struct aggregate_slot *
aggregate_find(struct aggregate *a, const char *key, unsigned bucket)
{
	for (int i = a->buckets[bucket]; i >= 0; i = a->slots[i].next)
		if (strcmp(a->slots[i].key, key) == 0)
			return &a->slots[i];
	return NULL;
}

enum aggregate_verdict
aggregate_offer(struct aggregate *a, const struct cef_event *ev, uint64_t now_ms)
{
	char key[512];
	unsigned bucket;
	struct aggregate_slot *s;
	int idx;

	aggregate_key(ev, key, sizeof(key));
	bucket = (unsigned)(ratelimit_hash(key) % a->capacity);
	s = aggregate_find(a, key, bucket);
	if (s != NULL && now_ms < s->window_end_ms) {
		aggregate_fold(s, ev);
		a->nb_folded++;
		return AGGREGATE_FOLDED;
	}
	if (s != NULL) /* closed but not yet expired: a new interval starts */
		return AGGREGATE_PASS;
	if (a->free_head < 0) {
		a->nb_table_full++;
		return AGGREGATE_PASS;
	}
	idx = a->free_head;
	s = &a->slots[idx];
	a->free_head = s->next;
	s->key = strdup(key);
	s->window_end_ms = now_ms + a->interval_ms;
	s->nb_folded = 0;
	s->next = a->buckets[bucket];
	a->buckets[bucket] = idx;
	return AGGREGATE_PASS;
}

static void
aggregate_slot_clear(struct aggregate_slot *s)
{
	for (size_t i = 0; i < AGGREGATE_NB_STR && s->nb_folded > 0; i++)
		free(s->strs[i]);
	free(s->key);
	s->key = NULL;
	s->nb_folded = 0;
}

static void
aggregate_release(struct aggregate *a, int idx)
{
	struct aggregate_slot *s = &a->slots[idx];

	aggregate_slot_clear(s);
	s->next = a->free_head;
	a->free_head = idx;
}

void
aggregate_expire(struct aggregate *a, uint64_t now_ms, aggregate_emit_fn emit, void *arg)
{
	for (unsigned b = 0; b < a->capacity; b++) {
		int *link = &a->buckets[b];

		while (*link >= 0) {
			int idx = *link;
			struct aggregate_slot *s = &a->slots[idx];

			if (now_ms != UINT64_MAX && now_ms < s->window_end_ms) {
				link = &s->next;
				continue;
			}
			*link = s->next;
			if (s->nb_folded > 0)
				emit(arg, &s->sum);
			aggregate_release(a, idx);
		}
	}
}

uint64_t
aggregate_nb_folded(const struct aggregate *a)
{
	return a->nb_folded;
}

uint64_t
aggregate_nb_table_full(const struct aggregate *a)
{
	return a->nb_table_full;
}

void
aggregate_free(struct aggregate *a)
{
	if (a == NULL)
		return;
	if (a->slots != NULL && a->buckets != NULL)
		for (unsigned b = 0; b < a->capacity; b++)
			for (int i = a->buckets[b]; i >= 0; i = a->slots[i].next)
				aggregate_slot_clear(&a->slots[i]);
	free(a->buckets);
	free(a->slots);
	free(a);
}
