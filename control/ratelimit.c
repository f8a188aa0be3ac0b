/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdlib.h>

#include "ratelimit.h"

/* Slots probed per key: a key lives in one of these, or replaces the stalest. */
#define RATELIMIT_PROBES 8

struct ratelimit_slot {
	uint64_t hash; /* 0 = free */
	uint64_t last_ms;
	uint64_t milli_tokens;
};

struct ratelimit {
	uint64_t rate, burst;
	unsigned capacity;
	struct ratelimit_slot slots[];
};

uint64_t
ratelimit_hash(const char *s)
{
	uint64_t h = 14695981039346656037ull;

	for (; s != NULL && *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h ? h : 1;
}

struct ratelimit *
ratelimit_new(uint64_t rate, uint64_t burst, unsigned capacity)
{
	struct ratelimit *r;

	if (capacity < RATELIMIT_PROBES)
		capacity = RATELIMIT_PROBES;
	r = calloc(1, sizeof(*r) + capacity * sizeof(r->slots[0]));
	if (r == NULL)
		return NULL;
	r->rate = rate;
	r->burst = burst ? burst : 1;
	r->capacity = capacity;
	return r;
}

static struct ratelimit_slot *
ratelimit_slot(struct ratelimit *r, uint64_t hash, uint64_t now_ms)
{
	struct ratelimit_slot *victim = NULL;

	for (unsigned i = 0; i < RATELIMIT_PROBES; i++) {
		struct ratelimit_slot *s = &r->slots[(hash + i) % r->capacity];

		if (s->hash == hash)
			return s;
		/* A free slot wins; otherwise the key seen longest ago is forgotten. */
		if (victim == NULL || (victim->hash != 0 && (s->hash == 0 || s->last_ms < victim->last_ms)))
			victim = s;
	}
	*victim = (struct ratelimit_slot){.hash = hash, .last_ms = now_ms,
					  .milli_tokens = r->burst * 1000};
	return victim;
}

bool
ratelimit_allow(struct ratelimit *r, const char *key, uint64_t now_ms)
{
	struct ratelimit_slot *s;

	if (r->rate == 0)
		return true;
	s = ratelimit_slot(r, ratelimit_hash(key), now_ms);
	/* rate records/s = rate milli-tokens/ms; a clock that goes back adds nothing. */
	if (now_ms > s->last_ms) {
		uint64_t add = (now_ms - s->last_ms) * r->rate;

		s->milli_tokens = s->milli_tokens + add > r->burst * 1000 ? r->burst * 1000
									   : s->milli_tokens + add;
		s->last_ms = now_ms;
	}
	if (s->milli_tokens < 1000)
		return false;
	s->milli_tokens -= 1000;
	return true;
}

void
ratelimit_free(struct ratelimit *r)
{
	free(r);
}
