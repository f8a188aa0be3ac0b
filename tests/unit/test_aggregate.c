/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_aggregate.c - folding per (kind, IOC, other endpoint) and interval:
 * the first record passes, the rest make one summary with EventCount and sums.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "aggregate.h"

struct sink {
	int nb;
	struct cef_event last;
	char malware[64], src[64];
};

static void
collect(void *arg, const struct cef_event *ev)
{
	struct sink *s = arg;

	s->nb++;
	s->last = *ev;
	/* The summary's strings live until the call returns: copy what is checked. */
	snprintf(s->malware, sizeof(s->malware), "%s", ev->malware);
	snprintf(s->src, sizeof(s->src), "%s", ev->src);
}

static struct cef_event
flow(const char *src, uint64_t id, uint64_t t)
{
	struct cef_event ev = {
		.kind = CEF_KIND_FLOW_END, .src = src, .dst = "95.85.246.53", .spt = 40000, .dpt = 443,
		.ioc = "95.85.246.53:443", .matched = "dst", .malware = "NetSupportManager RAT",
		.cnt = 1, .pkts = 3, .bytes_out = 100, .bytes_in = 50, .flow_id = id,
		.rt_ms = t, .start_ms = t - 10, .end_ms = t, .tcp_flags = 0x02, .confidence = 100,
	};
	return ev;
}

static void
test_fold_and_summary(void **state)
{
	struct aggregate *a = aggregate_new(1000, 64);
	struct sink s = {0};
	char src[8][16];

	(void)state;
	for (int i = 0; i < 8; i++) {
		struct cef_event ev;

		snprintf(src[i], sizeof(src[i]), "10.0.0.1");
		ev = flow(src[i], 100 + (uint64_t)i, 5000 + (uint64_t)i);
		if (i == 3)
			ev.tcp_flags = 0x04;
		assert_int_equal(aggregate_offer(a, &ev, 5000 + (uint64_t)i),
				 i == 0 ? AGGREGATE_PASS : AGGREGATE_FOLDED);
		memset(src[i], 'x', sizeof(src[i]) - 1); /* the aggregator must have copied */
	}
	aggregate_expire(a, 5999, collect, &s);
	assert_int_equal(s.nb, 0); /* interval still open */
	aggregate_expire(a, 6000, collect, &s);
	assert_int_equal(s.nb, 1);
	assert_int_equal(s.last.cnt, 7);
	assert_int_equal(s.last.pkts, 21);
	assert_int_equal(s.last.bytes_out, 700);
	assert_int_equal(s.last.bytes_in, 350);
	assert_int_equal(s.last.start_ms, 4991);
	assert_int_equal(s.last.end_ms, 5007);
	assert_int_equal(s.last.flow_id, 107);
	assert_int_equal(s.last.tcp_flags, 0x06);
	assert_string_equal(s.malware, "NetSupportManager RAT");
	assert_string_equal(s.src, "10.0.0.1");
	assert_int_equal(aggregate_nb_folded(a), 7);
	/* After the interval the key starts over: the next record passes at once. */
	struct cef_event ev = flow("10.0.0.1", 200, 7000);
	assert_int_equal(aggregate_offer(a, &ev, 7000), AGGREGATE_PASS);
	aggregate_free(a);
}

static void
test_keys(void **state)
{
	struct aggregate *a = aggregate_new(1000, 64);
	struct cef_event x = flow("10.0.0.1", 1, 100), y = flow("10.0.0.2", 2, 100);
	struct cef_event m = flow("10.0.0.1", 3, 100);
	struct sink s = {0};

	(void)state;
	m.kind = CEF_KIND_MATCH;
	assert_int_equal(aggregate_offer(a, &x, 100), AGGREGATE_PASS);
	assert_int_equal(aggregate_offer(a, &y, 100), AGGREGATE_PASS); /* other endpoint */
	assert_int_equal(aggregate_offer(a, &m, 100), AGGREGATE_PASS); /* other kind */
	assert_int_equal(aggregate_offer(a, &x, 101), AGGREGATE_FOLDED);
	/* Nothing folded for y and m: closing their intervals emits nothing for them. */
	aggregate_expire(a, UINT64_MAX, collect, &s);
	assert_int_equal(s.nb, 1);
	aggregate_free(a);
}

static void
test_table_full_passes(void **state)
{
	struct aggregate *a = aggregate_new(1000, 2);
	struct cef_event p = flow("10.0.0.1", 1, 100), q = flow("10.0.0.2", 2, 100);
	struct cef_event r = flow("10.0.0.3", 3, 100);

	(void)state;
	assert_int_equal(aggregate_offer(a, &p, 100), AGGREGATE_PASS);
	assert_int_equal(aggregate_offer(a, &q, 100), AGGREGATE_PASS);
	assert_int_equal(aggregate_offer(a, &r, 100), AGGREGATE_PASS);
	assert_int_equal(aggregate_offer(a, &r, 100), AGGREGATE_PASS); /* never folded, counted */
	assert_int_equal(aggregate_nb_table_full(a), 2);
	assert_int_equal(aggregate_offer(a, &p, 101), AGGREGATE_FOLDED);
	aggregate_free(a); /* frees open intervals with folded records too (ASan checks) */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fold_and_summary),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_table_full_passes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
