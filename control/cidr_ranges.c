/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cidr_ranges.h"

struct range_out {
	struct cidr_range *r;
	size_t n, cap;
	int err;
};

static int
prefix_cmp(const void *a, const void *b)
{
	const struct cidr_prefix *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return (int)x->len - (int)y->len; /* the wider prefix opens first */
}

/* Set the value from @p pos on, merging with what is already there. */
static void
emit(struct range_out *o, cidr_u128 pos, uint32_t val)
{
	if (o->n > 0 && o->r[o->n - 1].start == pos) {
		o->r[o->n - 1].val = val;
		if (o->n > 1 && o->r[o->n - 2].val == val)
			o->n--;
		return;
	}
	if ((o->n > 0 && o->r[o->n - 1].val == val) || (o->n == 0 && val == 0))
		return;
	if (o->n == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 64;
		struct cidr_range *p = realloc(o->r, cap * sizeof(*p));

		if (p == NULL) {
			o->err = -ENOMEM;
			return;
		}
		o->r = p;
		o->cap = cap;
	}
	o->r[o->n].start = pos;
	o->r[o->n].val = val;
	o->n++;
}

long
cidr_ranges_flatten(struct cidr_prefix *p, size_t n, struct cidr_range **out)
{
	/* Prefixes nest at most 129 deep (one per length). */
	const struct cidr_prefix *stack[130];
	struct range_out o = {0};
	size_t depth = 0;

	qsort(p, n, sizeof(*p), prefix_cmp);
	for (size_t i = 0; i <= n; i++) {
		/* Close every open prefix that ends before this one starts (all of them at the end). */
		while (depth > 0 && (i == n || stack[depth - 1]->end < p[i].start)) {
			const struct cidr_prefix *t = stack[--depth];

			if (t->end != ~(cidr_u128)0)
				emit(&o, t->end + 1, depth ? stack[depth - 1]->val : 0);
		}
		if (i == n)
			break;
		/* Equal start and length cannot happen (the builder merged duplicates). */
		stack[depth++] = &p[i];
		emit(&o, p[i].start, p[i].val);
	}
	if (o.err) {
		free(o.r);
		return o.err;
	}
	*out = o.r;
	return (long)o.n;
}

static int
push_piece(struct snap_range4 **pieces, size_t *n, size_t *cap, uint32_t start, uint32_t val)
{
	if (*n > 0 && (*pieces)[*n - 1].val == val && ((*pieces)[*n - 1].start >> 16) == (start >> 16))
		return 0;
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 256;
		struct snap_range4 *p = realloc(*pieces, c * sizeof(*p));

		if (p == NULL)
			return -ENOMEM;
		*pieces = p;
		*cap = c;
	}
	(*pieces)[*n].start = start;
	(*pieces)[*n].val = val;
	(*n)++;
	return 0;
}

long
cidr_ranges_index_v4(const struct cidr_range *r, size_t n, uint32_t *index,
		     struct snap_range4 **pieces)
{
	bool *used = calloc(SNAP_CIDR4_BUCKETS, sizeof(*used));
	size_t np = 0, cap = 0, j = 0;

	*pieces = NULL;
	if (used == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		uint64_t end = (i + 1 < n ? (uint64_t)r[i + 1].start : 1ULL << 32) - 1;

		for (uint64_t b = (uint64_t)r[i].start >> 16; r[i].val && b <= end >> 16; b++)
			used[b] = true;
	}
	for (uint32_t b = 0; b < SNAP_CIDR4_BUCKETS; b++) {
		uint64_t base = (uint64_t)b << 16, top = base + 65536;

		index[b] = (uint32_t)np;
		if (!used[b])
			continue;
		while (j + 1 < n && r[j + 1].start <= base)
			j++;
		/* Each slice starts at its /16 with the value in force there. */
		if (push_piece(pieces, &np, &cap, (uint32_t)base, r[j].start <= base ? r[j].val : 0) < 0)
			goto out_nomem;
		for (size_t k = j; k < n && r[k].start < top; k++)
			if (r[k].start > base && push_piece(pieces, &np, &cap, (uint32_t)r[k].start, r[k].val) < 0)
				goto out_nomem;
	}
	index[SNAP_CIDR4_BUCKETS] = (uint32_t)np;
	free(used);
	return (long)np;

out_nomem:
	free(used);
	free(*pieces);
	*pieces = NULL;
	return -ENOMEM;
}
