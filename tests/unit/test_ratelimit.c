/* SPDX-License-Identifier: BSD-3-Clause */
/* test_ratelimit.c - token bucket per IOC: burst, refill, independent keys, forgetting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "ratelimit.h"

static void
test_burst_then_rate(void **state)
{
	struct ratelimit *r = ratelimit_new(2, 3, 64); /* 2/s, burst 3 */
	int allowed = 0;

	(void)state;
	for (int i = 0; i < 10; i++)
		allowed += ratelimit_allow(r, "95.85.246.53:443", 1000);
	assert_int_equal(allowed, 3);
	/* 499 ms later: 0.998 tokens, still nothing; at 500 ms one token. */
	assert_false(ratelimit_allow(r, "95.85.246.53:443", 1499));
	assert_true(ratelimit_allow(r, "95.85.246.53:443", 1500));
	assert_false(ratelimit_allow(r, "95.85.246.53:443", 1500));
	/* A long pause refills to the burst, not beyond. */
	allowed = 0;
	for (int i = 0; i < 10; i++)
		allowed += ratelimit_allow(r, "95.85.246.53:443", 100000);
	assert_int_equal(allowed, 3);
	/* A clock that goes back adds nothing and breaks nothing. */
	assert_false(ratelimit_allow(r, "95.85.246.53:443", 50));
	ratelimit_free(r);
}

static void
test_keys_independent(void **state)
{
	struct ratelimit *r = ratelimit_new(1, 1, 64);

	(void)state;
	assert_true(ratelimit_allow(r, "a", 0));
	assert_false(ratelimit_allow(r, "a", 0));
	assert_true(ratelimit_allow(r, "b", 0));
	assert_false(ratelimit_allow(r, "b", 0));
	ratelimit_free(r);
}

static void
test_unlimited(void **state)
{
	struct ratelimit *r = ratelimit_new(0, 1, 8);

	(void)state;
	for (int i = 0; i < 1000; i++)
		assert_true(ratelimit_allow(r, "x", 0));
	ratelimit_free(r);
}

static void
test_full_table_forgets_stalest(void **state)
{
	struct ratelimit *r = ratelimit_new(1, 1, 8); /* 8 slots: all probed by every key */
	char key[16];

	(void)state;
	assert_true(ratelimit_allow(r, "old", 0));
	assert_false(ratelimit_allow(r, "old", 0));
	for (int i = 0; i < 8; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		assert_true(ratelimit_allow(r, key, 10 + (uint64_t)i));
	}
	/* "old" was the least recently seen: forgotten, it starts with a full bucket again. */
	assert_true(ratelimit_allow(r, "old", 20));
	ratelimit_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_burst_then_rate),
		cmocka_unit_test(test_keys_independent),
		cmocka_unit_test(test_unlimited),
		cmocka_unit_test(test_full_table_forgets_stalest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
