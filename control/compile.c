/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "compile.h"
#include "index_map.h"

static const char *const type_names[IOCW_IOC_TYPE_COUNT] = {"ip", "ip:port", "cidr", "domain", "url"};

uint64_t
compile_new_generation(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static uint64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* What every indicator passes through on its way into the builder. */
struct compile_ctx {
	struct snapshot_builder *b;
	struct compile_result *res;
	const struct control_feed *feed;
	const struct exclusion_set *excl;
	bool progress;   /* stderr is a terminal: show a running count on long compiles */
	size_t nb_seen;
	int64_t now;
	/* Removal lists: canonical values, looked up by string. */
	char **removed;
	size_t nb_removed, cap_removed;
	struct index_map removed_map;
};

static bool
removed_eq(const void *key, uint32_t idx, void *ctx)
{
	const struct compile_ctx *c = ctx;

	return strcmp(c->removed[idx], key) == 0;
}

static bool
is_removed(struct compile_ctx *c, const char *value)
{
	return c->nb_removed > 0 &&
	       index_map_find_or_insert(&c->removed_map, index_map_hash_bytes(value, strlen(value)), value,
					removed_eq, c, -1) >= 0;
}

static int
collect_removal(void *ctx, const struct ioc *ioc)
{
	struct compile_ctx *c = ctx;
	uint64_t h = index_map_hash_bytes(ioc->value, strlen(ioc->value));

	if (is_removed(c, ioc->value))
		return 0;
	if (c->nb_removed == c->cap_removed) {
		size_t cap = c->cap_removed ? c->cap_removed * 2 : 64;
		char **p = realloc(c->removed, cap * sizeof(*p));

		if (p == NULL)
			return -ENOMEM;
		c->removed = p;
		c->cap_removed = cap;
	}
	c->removed[c->nb_removed] = strdup(ioc->value);
	if (c->removed[c->nb_removed] == NULL ||
	    index_map_find_or_insert(&c->removed_map, h, ioc->value, removed_eq, c,
				     (int64_t)c->nb_removed) == -2)
		return -ENOMEM;
	c->nb_removed++;
	return 0;
}

/* Lifetime and removal checks, then into the snapshot (docs/feeds.md, "Lifetime"). */
static int
admit(void *ctx, const struct ioc *ioc)
{
	struct compile_ctx *c = ctx;
	int64_t seen = ioc->last_seen ? ioc->last_seen : ioc->first_seen;

	if (c->progress && ++c->nb_seen % 100000 == 0)
		fprintf(stderr, "\rcompiling: %zu indicators read (%s)", c->nb_seen, c->feed->path);
	if (ioc->valid_until && ioc->valid_until < c->now) {
		c->res->nb_expired++;
		return 0;
	}
	if (c->feed->max_age_s && seen && seen < c->now - (int64_t)c->feed->max_age_s) {
		c->res->nb_aged++;
		return 0;
	}
	if (is_removed(c, ioc->value)) {
		c->res->nb_removed++;
		return 0;
	}
	if (c->excl != NULL && c->excl->nb_rules > 0) {
		struct ioc with_policy = *ioc;

		with_policy.action = exclusions_policy_action(c->excl, ioc);
		return snapshot_builder_add(c->b, &with_policy);
	}
	return snapshot_builder_add(c->b, ioc);
}

static int
load_one(const struct control_feed *f, struct compile_ctx *c, FILE *report)
{
	struct snapshot_builder *b = c->b;
	struct compile_result *res = c->res;
	struct feed_options opt = {
		.format = f->format,
		.name = f->name[0] ? f->name : NULL,
		.strict = f->strict,
		.errors = report,
		.action = f->action,
		.categories = f->categories[0] ? f->categories : NULL,
		.misp_all = f->misp_all,
	};
	struct feed_stats st = {0};
	int rc;

	c->feed = f;
	snapshot_builder_set_url_prefix(b, f->url_prefix);
	rc = feed_load_file(f->path, &opt, f->remove ? collect_removal : admit, c, &st);

	res->nb_bad += st.nb_bad;
	res->nb_skipped += st.nb_skipped;
	if (rc < 0) {
		fprintf(report, "%s: feed not loaded (%s)\n", f->path, strerror(-rc));
		return rc;
	}
	fprintf(report, "%s: format %s, %zu records, %zu indicators%s, %zu bad, %zu skipped\n", f->path,
		feed_format_name(st.format), st.nb_lines, st.nb_iocs, f->remove ? " to remove" : "",
		st.nb_bad, st.nb_skipped);
	return 0;
}

int
compile_feeds(const struct control_feed *feeds, unsigned nb_feeds, uint64_t generation,
	      FILE *report, struct compile_result *res)
{
	return compile_feeds_excl(feeds, nb_feeds, generation, NULL, report, res);
}

int
compile_feeds_excl(const struct control_feed *feeds, unsigned nb_feeds, uint64_t generation,
		   const struct exclusion_set *excl, FILE *report, struct compile_result *res)
{
	uint64_t t0 = mono_ns();
	struct compile_ctx c = {.res = res, .now = (int64_t)time(NULL), .excl = excl, .progress = isatty(2)};
	int rc = 0;

	memset(res, 0, sizeof(*res));
	if (report == NULL)
		report = stderr;
	c.b = snapshot_builder_new();
	if (c.b == NULL || index_map_init(&c.removed_map, 64) < 0) {
		snapshot_builder_free(c.b);
		return -ENOMEM;
	}
	/* Removal lists first, so that they apply to every other feed whatever the order. */
	for (unsigned i = 0; i < nb_feeds && rc == 0; i++)
		if (feeds[i].remove)
			rc = load_one(&feeds[i], &c, report);
	for (unsigned i = 0; i < nb_feeds && rc == 0; i++)
		if (!feeds[i].remove)
			rc = load_one(&feeds[i], &c, report);
	if (c.progress && c.nb_seen >= 100000)
		fprintf(stderr, "\rcompiling: %zu indicators read, laying out the snapshot...\n", c.nb_seen);
	if (rc == 0 && excl != NULL)
		rc = snapshot_builder_set_exclusions(c.b, excl);
	if (rc == 0)
		rc = snapshot_builder_finish(c.b, generation, &res->blob, &res->len);
	snapshot_builder_stats(c.b, &res->build);
	snapshot_builder_free(c.b);
	for (size_t i = 0; i < c.nb_removed; i++)
		free(c.removed[i]);
	free(c.removed);
	index_map_release(&c.removed_map);
	res->compile_ns = mono_ns() - t0;
	if (rc < 0)
		return rc;

	fprintf(report, "snapshot: %zu indicators (", res->build.nb_added);
	for (int t = 0; t < IOCW_IOC_TYPE_COUNT; t++)
		fprintf(report, "%s%s %zu", t ? ", " : "", type_names[t], res->build.nb_by_type[t]);
	fprintf(report, "), %zu merged duplicates, %zu not matchable on the wire, %zu bytes, "
			"%.1f ms\n",
		res->build.nb_merged, res->build.nb_unsupported, res->len, res->compile_ns / 1e6);
	if (res->nb_expired || res->nb_aged || res->nb_removed)
		fprintf(report, "dropped: %zu expired (valid_until), %zu older than max_age, %zu removed\n",
			res->nb_expired, res->nb_aged, res->nb_removed);
	return 0;
}
