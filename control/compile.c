/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "compile.h"

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

static int
load_one(const struct control_feed *f, struct snapshot_builder *b, FILE *report,
	 struct compile_result *res)
{
	struct feed_options opt = {
		.format = f->format,
		.name = f->name[0] ? f->name : NULL,
		.strict = f->strict,
		.errors = report,
		.action = f->action,
	};
	struct feed_stats st = {0};
	int rc = feed_load_file(f->path, &opt, snapshot_builder_add, b, &st);

	res->nb_bad += st.nb_bad;
	res->nb_skipped += st.nb_skipped;
	if (rc < 0) {
		fprintf(report, "%s: feed not loaded (%s)\n", f->path, strerror(-rc));
		return rc;
	}
	fprintf(report, "%s: format %s, %zu records, %zu indicators, %zu bad, %zu skipped\n", f->path,
		feed_format_name(st.format), st.nb_lines, st.nb_iocs, st.nb_bad, st.nb_skipped);
	return 0;
}

int
compile_feeds(const struct control_feed *feeds, unsigned nb_feeds, uint64_t generation,
	      FILE *report, struct compile_result *res)
{
	uint64_t t0 = mono_ns();
	struct snapshot_builder *b;
	int rc = 0;

	memset(res, 0, sizeof(*res));
	if (report == NULL)
		report = stderr;
	b = snapshot_builder_new();
	if (b == NULL)
		return -ENOMEM;
	for (unsigned i = 0; i < nb_feeds && rc == 0; i++)
		rc = load_one(&feeds[i], b, report, res);
	if (rc == 0)
		rc = snapshot_builder_finish(b, generation, &res->blob, &res->len);
	snapshot_builder_stats(b, &res->build);
	snapshot_builder_free(b);
	res->compile_ns = mono_ns() - t0;
	if (rc < 0)
		return rc;

	fprintf(report, "snapshot: %zu indicators (", res->build.nb_added);
	for (int t = 0; t < IOCW_IOC_TYPE_COUNT; t++)
		fprintf(report, "%s%s %zu", t ? ", " : "", type_names[t], res->build.nb_by_type[t]);
	fprintf(report, "), %zu merged duplicates, %zu not matchable by this version, %zu bytes, "
			"%.1f ms\n",
		res->build.nb_merged, res->build.nb_unsupported, res->len, res->compile_ns / 1e6);
	return 0;
}
