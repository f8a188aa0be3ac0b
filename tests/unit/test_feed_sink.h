/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_feed_sink.h - helpers shared by the feed parser tests: a sink that
 * keeps a copy of every indicator, and an in-memory stream for error messages.
 * Header-only (static inline) because each test binary is built from one file.
 */
#ifndef IOCWIRE_TEST_FEED_SINK_H
#define IOCWIRE_TEST_FEED_SINK_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "feed.h"

/* Sample files are under tests/data: meson runs the tests from tests/, a person often from the
 * repository root. Accept both. */
static inline void
test_chdir_data(void)
{
	if (access("data/feeds", F_OK) != 0 && access("tests/data/feeds", F_OK) == 0 &&
	    chdir("tests") != 0)
		perror("chdir tests");
}

/** One indicator as the sink saw it, strings copied. */
struct test_ioc {
	struct ioc ioc;
	char value[IOC_VALUE_MAX];
	char feed[128], malware[128], threat[64], reference[256], tags[256];
};

struct test_sink {
	struct test_ioc *v;
	size_t n, cap;
	size_t stop_after; /**< when non-zero, return -ECANCELED once this many were taken */
};

static inline void
test_copy(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src ? src : "");
}

static inline int
test_sink_emit(void *ctx, const struct ioc *ioc)
{
	struct test_sink *s = ctx;
	struct test_ioc *t;

	if (ioc->value == NULL)
		return -EFAULT;
	if (s->stop_after && s->n == s->stop_after)
		return -ECANCELED;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->v = realloc(s->v, s->cap * sizeof(*s->v));
		if (s->v == NULL)
			return -ENOMEM;
	}
	t = &s->v[s->n++];
	t->ioc = *ioc;
	test_copy(t->value, sizeof(t->value), ioc->value);
	test_copy(t->feed, sizeof(t->feed), ioc->feed);
	test_copy(t->malware, sizeof(t->malware), ioc->malware);
	test_copy(t->threat, sizeof(t->threat), ioc->threat);
	test_copy(t->reference, sizeof(t->reference), ioc->reference);
	test_copy(t->tags, sizeof(t->tags), ioc->tags);
	return 0;
}

static inline void
test_sink_free(struct test_sink *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/** Error messages written by a parser, collected in memory. */
struct test_capture {
	FILE *f;
	char *buf;
	size_t len;
};

static inline FILE *
test_capture_open(struct test_capture *c)
{
	memset(c, 0, sizeof(*c));
	c->f = open_memstream(&c->buf, &c->len);
	return c->f;
}

/** Everything written so far, NUL-terminated. */
static inline const char *
test_capture_text(struct test_capture *c)
{
	fflush(c->f);
	return c->buf ? c->buf : "";
}

static inline void
test_capture_close(struct test_capture *c)
{
	fclose(c->f);
	free(c->buf);
	memset(c, 0, sizeof(*c));
}

/** Number of lines in a captured text. */
static inline size_t
test_count_lines(const char *text)
{
	size_t n = 0;

	for (; *text != '\0'; text++)
		n += *text == '\n';
	return n;
}

/** Parse a buffer with errors captured; returns feed_load_buffer()'s result. */
static inline int
test_load(const char *path, const char *data, size_t len, enum feed_format format, bool strict,
	  struct test_sink *sink, struct feed_stats *stats, struct test_capture *cap)
{
	struct feed_options opt = {
	    .format = format,
	    .strict = strict,
	    .errors = test_capture_open(cap),
	};

	memset(sink, 0, sizeof(*sink));
	return feed_load_buffer(path, data, len, &opt, test_sink_emit, sink, stats);
}

/* Bound on the million-record cases: a gross regression, not a benchmark. ASan+UBSan builds run
 * about ten times slower, on a machine shared with other builds. */
#if defined(__SANITIZE_ADDRESS__)
#define TEST_PARSE_SECONDS_MAX 120.0
#define TEST_MILLION 200000 /* records of the "million" cases: meson's 30 s timeout */
#else
#define TEST_PARSE_SECONDS_MAX 10.0
#define TEST_MILLION 1000000
#endif

/** Load a file with @p opt (its errors stream is replaced by a capture). */
static inline int
test_load_file(const char *path, struct feed_options *opt, struct test_sink *sink,
	       struct feed_stats *stats, struct test_capture *cap)
{
	opt->errors = test_capture_open(cap);
	memset(sink, 0, sizeof(*sink));
	return feed_load_file(path, opt, test_sink_emit, sink, stats);
}

static inline int
test_count_emit(void *ctx, const struct ioc *ioc)
{
	(void)ioc;
	(*(size_t *)ctx)++;
	return 0;
}

/**
 * Parse a generated feed of @p nb_records records with a counting sink (the
 * format detected from the content must be @p format), print how long it took,
 * and return the seconds. Errors go to stderr: there should be none.
 */
static inline double
test_time_parse(const char *what, const char *text, size_t len, enum feed_format format,
		size_t nb_records, size_t nb_iocs)
{
	struct feed_options opt = {0};
	struct timespec t0, t1;
	struct feed_stats st;
	size_t count = 0;
	double s;
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = feed_load_buffer(what, text, len, &opt, test_count_emit, &count, &st);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (rc != 0 || st.format != format || count != nb_iocs || st.nb_iocs != nb_iocs ||
	    st.nb_bad != 0 || st.nb_lines < nb_records) {
		fprintf(stderr, "%s: rc %d, format %s, %zu lines, %zu iocs, %zu bad\n", what, rc,
			feed_format_name(st.format), st.nb_lines, st.nb_iocs, st.nb_bad);
		return 1e9;
	}
	printf("%s: %zu records (%zu bytes) parsed in %.3f s\n", what, nb_records, len, s);
	return s;
}

#endif
