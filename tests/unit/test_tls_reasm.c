/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_tls_reasm.c - the cut-ClientHello table: join in order, direction,
 * gaps, retransmissions (whole and overlapping), three segments, the join
 * buffer, limits (entry size, join size, age, bucket eviction), sequence
 * wrap-around, and the port-pair filter staying exact.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tls_reasm.h"
#include "test_tls_hello.h"

#define MS 1000000ULL
#define MAX_AGE (2000 * MS)

static struct tls_buf ext, rec;

struct flow {
	struct flow_key key;
	uint64_t hash;
	bool src_is_a;
	uint16_t sport, dport;
};

static struct flow
flow_make(uint8_t last_octet, uint16_t sport, bool reverse)
{
	uint8_t cli[16] = {10, 0, 0, last_octet}, srv[16] = {192, 0, 2, 1};
	struct flow f;

	f.sport = reverse ? 443 : sport;
	f.dport = reverse ? sport : 443;
	f.src_is_a = flow_key_make(&f.key, &f.hash, 4, 6, 0, reverse ? srv : cli,
				   reverse ? cli : srv, f.sport, f.dport);
	return f;
}

static struct tls_reasm *
table_new(uint32_t capacity)
{
	struct tls_reasm *t = calloc(1, sizeof(*t));
	void *mem = aligned_alloc(64, (tls_reasm_mem_size(capacity) + 63) / 64 * 64);

	memset(mem, 0, tls_reasm_mem_size(capacity));
	tls_reasm_init(t, mem, capacity, MAX_AGE);
	return t;
}

static void
table_free(struct tls_reasm *t)
{
	/* The filter is exact when nothing waits. */
	if (t->stats.active == 0)
		for (int i = 0; i < TLS_REASM_FILTER; i++)
			assert_int_equal(t->filter[i], 0);
	free(t->slots);
	free(t);
}

/* A ClientHello for @p name padded to about @p size bytes. */
static void
hello(const char *name, uint32_t size)
{
	static uint8_t pad[16000];

	ext.len = 0;
	tls_ext_typical(&ext, name, 1);
	tls_client_hello(&rec, &ext, &tls_hello_13);
	if (size > rec.len + 4) {
		tls_ext_raw(&ext, 0x0015, pad, size - rec.len - 4);
		tls_client_hello(&rec, &ext, &tls_hello_13);
	}
}

static enum extract_result
cont(struct tls_reasm *t, const struct flow *f, uint32_t seq, uint32_t off, uint32_t len,
     uint64_t now, struct extract_name *out)
{
	return tls_reasm_continue(t, &f->key, f->hash, f->src_is_a, seq + off, rec.b + off, len,
				  now, out);
}

static int
save(struct tls_reasm *t, const struct flow *f, uint32_t seq, uint32_t len, uint64_t now)
{
	struct extract_name out;

	/* What the worker does first: the extractor asks for more. */
	assert_int_equal(extract_tls_sni(rec.b, len, &out), EXTRACT_NEED_MORE);
	return tls_reasm_save(t, &f->key, f->hash, f->src_is_a, seq, rec.b, len, now);
}

static void
test_two_segments(void **state)
{
	struct tls_reasm *t = table_new(64);
	struct flow f = flow_make(15, 49812, false), other = flow_make(16, 49813, false);
	struct extract_name out;

	(void)state;
	hello("evil.example", 1800);
	assert_false(tls_reasm_maybe(t, f.sport, f.dport));
	assert_int_equal(save(t, &f, 1000, 1400, 0), 0);
	assert_int_equal(t->stats.active, 1);
	assert_true(tls_reasm_maybe(t, f.sport, f.dport));
	/* Another flow: nothing waits for it. */
	assert_int_equal(cont(t, &other, 5000, 1400, 100, MS, &out), EXTRACT_NOT_APPLICABLE);
	/* The continuation completes the ClientHello. */
	assert_int_equal(cont(t, &f, 1000, 1400, rec.len - 1400, MS, &out), EXTRACT_OK);
	assert_string_equal(out.text, "evil.example");
	assert_int_equal(out.where, EXTRACT_TLS_SNI);
	assert_int_equal(t->stats.saved, 1);
	assert_int_equal(t->stats.completed, 1);
	assert_int_equal(t->stats.active, 0);
	assert_false(tls_reasm_maybe(t, f.sport, f.dport));
	/* Done: a late copy of the continuation is no longer ours. */
	assert_int_equal(cont(t, &f, 1000, 1400, rec.len - 1400, MS, &out), EXTRACT_NOT_APPLICABLE);
	table_free(t);
}

static void
test_direction(void **state)
{
	struct tls_reasm *t = table_new(64);
	struct flow f = flow_make(15, 49812, false), back = flow_make(15, 49812, true);
	struct extract_name out;

	(void)state;
	hello("evil.example", 1800);
	assert_memory_equal(&f.key, &back.key, sizeof(f.key)); /* one flow, two directions */
	assert_int_equal(save(t, &f, 1000, 1400, 0), 0);
	assert_int_equal(cont(t, &back, 1000, 1400, rec.len - 1400, MS, &out),
			 EXTRACT_NOT_APPLICABLE);
	assert_int_equal(cont(t, &f, 1000, 1400, rec.len - 1400, MS, &out), EXTRACT_OK);
	table_free(t);
}

static void
test_gap_and_retransmits(void **state)
{
	struct tls_reasm *t = table_new(64);
	struct flow f = flow_make(15, 49812, false);
	struct extract_name out;

	(void)state;
	hello("a.evil.example", 1800);
	/* A gap: the segment after next came first. */
	assert_int_equal(save(t, &f, 7, 1000, 0), 0);
	assert_int_equal(cont(t, &f, 7, 1200, 100, MS, &out), EXTRACT_TRUNCATED);
	assert_int_equal(t->stats.out_of_order, 1);
	assert_int_equal(t->stats.active, 0);

	/* The first segment again (retransmitted), an empty ACK, then the rest. */
	assert_int_equal(save(t, &f, 7, 1000, 0), 0);
	assert_int_equal(cont(t, &f, 7, 0, 1000, MS, &out), EXTRACT_NEED_MORE);
	assert_int_equal(cont(t, &f, 7, 500, 500, MS, &out), EXTRACT_NEED_MORE);
	assert_int_equal(cont(t, &f, 7, 1000, 0, MS, &out), EXTRACT_NEED_MORE);
	assert_int_equal(t->stats.retransmits, 2);
	/* Repacketized: starts 300 bytes back, carries the rest. */
	assert_int_equal(cont(t, &f, 7, 700, rec.len - 700, MS, &out), EXTRACT_OK);
	assert_string_equal(out.text, "a.evil.example");

	/* A retransmitted first segment replaces the waiting one. */
	assert_int_equal(save(t, &f, 7, 1000, 0), 0);
	assert_int_equal(save(t, &f, 7, 1000, 0), 0);
	assert_int_equal(t->stats.active, 1);
	assert_int_equal(cont(t, &f, 7, 1000, rec.len - 1000, MS, &out), EXTRACT_OK);
	table_free(t);
}

static void
test_three_segments_and_join(void **state)
{
	struct tls_reasm *t = table_new(64);
	struct flow f = flow_make(15, 49812, false);
	struct extract_name out;

	(void)state;
	/* 536-byte MSS: three segments, joined in the entry. */
	hello("evil.example", 1500);
	assert_int_equal(save(t, &f, 100, 536, 0), 0);
	assert_int_equal(cont(t, &f, 100, 536, 536, MS, &out), EXTRACT_NEED_MORE);
	assert_int_equal(t->stats.appended, 1);
	assert_int_equal(cont(t, &f, 100, 1072, rec.len - 1072, MS, &out), EXTRACT_OK);
	assert_string_equal(out.text, "evil.example");

	/* Over TLS_REASM_BUF in total: joined in the scratch buffer. */
	hello("b.evil.example", 3000);
	assert_true(rec.len > TLS_REASM_BUF);
	assert_int_equal(save(t, &f, 100, 1460, 0), 0);
	assert_int_equal(cont(t, &f, 100, 1460, rec.len - 1460, MS, &out), EXTRACT_OK);
	assert_string_equal(out.text, "b.evil.example");

	/* A continuation longer than needed (the next record follows): fine. */
	hello("c.evil.example", 1800);
	memset(rec.b + rec.len, 0x17, 3000);
	assert_int_equal(save(t, &f, 100, 1460, 0), 0);
	assert_int_equal(cont(t, &f, 100, 1460, rec.len - 1460 + 3000, MS, &out), EXTRACT_OK);
	assert_string_equal(out.text, "c.evil.example");

	/* Longer than TLS_REASM_JOIN_MAX: given up. */
	hello("d.evil.example", 12000);
	assert_int_equal(save(t, &f, 100, 1460, 0), 0);
	assert_int_equal(cont(t, &f, 100, 1460, 8000, MS, &out), EXTRACT_TRUNCATED);
	assert_int_equal(t->stats.overflow, 1);
	assert_int_equal(t->stats.active, 0);
	table_free(t);
}

static void
test_limits(void **state)
{
	struct tls_reasm *t = table_new(64);
	struct flow f = flow_make(15, 49812, false);
	struct extract_name out;

	(void)state;
	/* A first segment bigger than an entry. */
	hello("evil.example", 5000);
	assert_int_equal(save(t, &f, 1, TLS_REASM_BUF + 1, 0), -EMSGSIZE);
	assert_int_equal(t->stats.too_big, 1);
	assert_int_equal(t->stats.active, 0);
	assert_int_equal(save(t, &f, 1, TLS_REASM_BUF, 0), 0);
	assert_int_equal(cont(t, &f, 1, TLS_REASM_BUF, rec.len - TLS_REASM_BUF, MS, &out),
			 EXTRACT_OK);

	/* Too old when the continuation comes. */
	hello("evil.example", 1800);
	assert_int_equal(save(t, &f, 1, 1400, 10 * MS), 0);
	assert_int_equal(cont(t, &f, 1, 1400, rec.len - 1400, 10 * MS + MAX_AGE + 1, &out),
			 EXTRACT_NOT_APPLICABLE);
	assert_int_equal(t->stats.expired, 1);
	assert_int_equal(t->stats.active, 0);

	/* Exactly at the limit: still joined. */
	assert_int_equal(save(t, &f, 1, 1400, 10 * MS), 0);
	assert_int_equal(cont(t, &f, 1, 1400, rec.len - 1400, 10 * MS + MAX_AGE, &out), EXTRACT_OK);
	table_free(t);
}

static void
test_expire(void **state)
{
	struct tls_reasm *t = table_new(4096);
	struct extract_name out;
	uint32_t dropped = 0;

	(void)state;
	hello("evil.example", 1800);
	for (int i = 0; i < 100; i++) {
		struct flow f = flow_make((uint8_t)i, (uint16_t)(40000 + i), false);

		assert_int_equal(save(t, &f, 1, 1400, i < 50 ? 0 : MAX_AGE), 0);
	}
	assert_int_equal(t->stats.active, 100);
	/* Budget-limited sweep, resumed where it stopped. */
	for (uint32_t i = 0; i < t->nb_slots; i += 64)
		dropped += tls_reasm_expire(t, MAX_AGE + 1, 64);
	assert_int_equal(dropped, 50);
	assert_int_equal(t->stats.active, 50);
	assert_int_equal(t->stats.expired, 50);
	for (int i = 0; i < 100; i++) {
		struct flow f = flow_make((uint8_t)i, (uint16_t)(40000 + i), false);

		assert_int_equal(cont(t, &f, 1, 1400, rec.len - 1400, MAX_AGE + 1, &out),
				 i < 50 ? EXTRACT_NOT_APPLICABLE : EXTRACT_OK);
	}
	assert_int_equal(t->stats.active, 0);
	assert_int_equal(tls_reasm_expire(t, 100 * MAX_AGE, 1000), 0);
	table_free(t);
}

static void
test_eviction(void **state)
{
	/* Capacity 4: one bucket of four ways; every flow lands in it. */
	struct tls_reasm *t = table_new(4);
	struct flow f[6];
	struct extract_name out;

	(void)state;
	assert_int_equal(t->nb_slots, TLS_REASM_WAYS);
	assert_int_equal(tls_reasm_mem_size(4),
			 TLS_REASM_WAYS * sizeof(struct tls_reasm_entry) + TLS_REASM_JOIN_MAX);
	hello("evil.example", 1800);
	for (int i = 0; i < 6; i++) {
		f[i] = flow_make((uint8_t)(i + 1), (uint16_t)(50000 + i), false);
		assert_int_equal(save(t, &f[i], 1, 1400, (uint64_t)i * MS), 0);
	}
	/* The two oldest made room for the last two. */
	assert_int_equal(t->stats.evicted, 2);
	assert_int_equal(t->stats.active, 4);
	for (int i = 0; i < 6; i++)
		assert_int_equal(cont(t, &f[i], 1, 1400, rec.len - 1400, 10 * MS, &out),
				 i < 2 ? EXTRACT_NOT_APPLICABLE : EXTRACT_OK);
	/* An expired way is reused before a live one is evicted. */
	for (int i = 0; i < 4; i++)
		assert_int_equal(save(t, &f[i], 1, 1400, i == 0 ? 0 : MAX_AGE), 0);
	assert_int_equal(save(t, &f[4], 1, 1400, MAX_AGE + 1), 0);
	assert_int_equal(t->stats.expired, 1);
	assert_int_equal(t->stats.evicted, 2);
	table_free(t);
}

static void
test_seq_wrap(void **state)
{
	struct tls_reasm *t = table_new(16);
	struct flow f = flow_make(9, 33333, false);
	struct extract_name out;
	const uint32_t seq = 0xffffff00u;

	(void)state;
	hello("evil.example", 1800);
	assert_int_equal(save(t, &f, seq, 1400, 0), 0);
	/* seq + 1400 wraps past zero. */
	assert_int_equal(cont(t, &f, seq, 1400, rec.len - 1400, MS, &out), EXTRACT_OK);
	/* Overlap across the wrap. */
	assert_int_equal(save(t, &f, seq, 1400, 0), 0);
	assert_int_equal(cont(t, &f, seq, 200, rec.len - 200, MS, &out), EXTRACT_OK);
	table_free(t);
}

/* What the joined bytes say, whatever it is, is the answer. */
static void
test_joined_results(void **state)
{
	struct tls_reasm *t = table_new(16);
	struct flow f = flow_make(9, 33333, false);
	struct extract_name out;

	(void)state;
	ext.len = 0;
	tls_ext_sni(&ext, "evil.example");
	tls_ext_raw(&ext, 0x0015, rec.b, 1500);
	tls_ext_sni(&ext, "evil.example");
	tls_client_hello(&rec, &ext, &tls_hello_13);
	assert_int_equal(save(t, &f, 1, 1400, 0), 0);
	assert_int_equal(cont(t, &f, 1, 1400, rec.len - 1400, MS, &out), EXTRACT_MALFORMED);
	assert_int_equal(out.len, 0);
	assert_int_equal(t->stats.completed, 1);

	hello(NULL, 1800);
	assert_int_equal(save(t, &f, 1, 1400, 0), 0);
	assert_int_equal(cont(t, &f, 1, 1400, rec.len - 1400, MS, &out), EXTRACT_NO_NAME);
	assert_int_equal(t->stats.active, 0);
	table_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_two_segments),
	    cmocka_unit_test(test_direction),
	    cmocka_unit_test(test_gap_and_retransmits),
	    cmocka_unit_test(test_three_segments_and_join),
	    cmocka_unit_test(test_limits),
	    cmocka_unit_test(test_expire),
	    cmocka_unit_test(test_eviction),
	    cmocka_unit_test(test_seq_wrap),
	    cmocka_unit_test(test_joined_results),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
