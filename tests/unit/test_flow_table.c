/* SPDX-License-Identifier: BSD-3-Clause */
/* Matched-flow table: keys, accounting, TCP close, expiry, deletion, capacity. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "flow_table.h"

#define NS 1000000000ULL

static const struct flow_timeouts timeouts = {
	.tcp_idle_ns = 300 * NS, .tcp_closed_ns = 2 * NS, .udp_idle_ns = 60 * NS, .other_idle_ns = 30 * NS};

struct collected {
	struct iocw_event ev[256];
	unsigned n;
};

static void
collect(void *ctx, const struct flow_entry *fe)
{
	struct collected *c = ctx;

	flow_entry_to_event(fe, IOCW_EVENT_FLOW_END, &c->ev[c->n++]);
}

static struct flow_table *
new_table(uint32_t capacity)
{
	struct flow_table *ft = calloc(1, sizeof(*ft));

	flow_table_init(ft, calloc(1, flow_table_mem_size(capacity)), capacity, &timeouts, 1);
	return ft;
}

static void
free_table(struct flow_table *ft)
{
	free(ft->slots);
	free(ft);
}

static void
v4(uint8_t out[16], uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	memset(out, 0, 16);
	out[0] = a, out[1] = b, out[2] = c, out[3] = d;
}

/* One packet of a flow, creating it if needed; returns the entry. */
static struct flow_entry *
packet(struct flow_table *ft, const uint8_t *src, uint16_t sport, const uint8_t *dst, uint16_t dport,
       uint8_t proto, uint8_t flags, uint32_t len, uint64_t now)
{
	struct flow_key key;
	uint64_t hash;
	bool src_is_a = flow_key_make(&key, &hash, 4, proto, 0, src, dst, sport, dport);
	struct flow_entry *fe = flow_table_lookup(ft, &key, hash);

	if (fe == NULL)
		fe = flow_table_insert(ft, &key, hash, src_is_a, now);
	if (fe != NULL)
		flow_table_account(fe, src_is_a, len, flags, now);
	return fe;
}

static void
test_both_directions_one_flow(void **state)
{
	struct flow_table *ft = new_table(64);
	uint8_t c[16], s[16];
	struct collected got = {0};
	struct flow_entry *a, *b;

	(void)state;
	v4(c, 10, 20, 0, 15);
	v4(s, 95, 85, 246, 53);
	/* Initiator is the server-side address here on purpose: key order must not matter. */
	a = packet(ft, s, 443, c, 49812, 6, 0x02, 60, 1 * NS);
	b = packet(ft, c, 49812, s, 443, 6, 0x12, 70, 2 * NS);
	assert_ptr_equal(a, b);
	assert_int_equal(ft->stats.active, 1);
	assert_int_equal(flow_table_flush(ft, IOCW_END_CAPTURE_END, collect, &got), 1);
	assert_int_equal(got.ev[0].pkts_fwd, 1);
	assert_int_equal(got.ev[0].pkts_rev, 1);
	assert_int_equal(got.ev[0].bytes_fwd, 60);
	assert_int_equal(got.ev[0].bytes_rev, 70);
	assert_int_equal(got.ev[0].sport, 443); /* initiator's view */
	assert_memory_equal(got.ev[0].src, s, 16);
	assert_int_equal(got.ev[0].end_reason, IOCW_END_CAPTURE_END);
	assert_int_equal(got.ev[0].first_ns, 1 * NS);
	assert_int_equal(got.ev[0].last_ns, 2 * NS);
	assert_int_equal(ft->stats.active, 0);
	free_table(ft);
}

static void
test_tcp_fin_both_ways_then_linger(void **state)
{
	struct flow_table *ft = new_table(64);
	uint8_t c[16], s[16];
	struct collected got = {0};

	(void)state;
	v4(c, 10, 0, 0, 1);
	v4(s, 10, 0, 0, 2);
	packet(ft, c, 1000, s, 80, 6, 0x02, 60, 1 * NS);
	packet(ft, c, 1000, s, 80, 6, 0x11, 60, 2 * NS); /* FIN from the initiator */
	assert_int_equal(flow_table_expire(ft, 10 * NS, 1000, collect, &got), 0);
	packet(ft, s, 80, c, 1000, 6, 0x11, 60, 3 * NS); /* FIN back: closed */
	packet(ft, c, 1000, s, 80, 6, 0x10, 60, 3 * NS); /* last ACK still counts */
	assert_int_equal(flow_table_expire(ft, 4 * NS, 1000, collect, &got), 0);
	assert_int_equal(flow_table_expire(ft, 5 * NS, 1000, collect, &got), 1);
	assert_int_equal(got.ev[0].end_reason, IOCW_END_FIN);
	assert_int_equal(got.ev[0].pkts_fwd + got.ev[0].pkts_rev, 4);
	assert_int_equal(got.ev[0].tcp_flags, 0x13);
	free_table(ft);
}

static void
test_rst_and_idle_timeouts(void **state)
{
	struct flow_table *ft = new_table(64);
	uint8_t a[16], b[16];
	struct collected got = {0};

	(void)state;
	v4(a, 10, 0, 0, 1);
	v4(b, 10, 0, 0, 2);
	packet(ft, a, 1, b, 2, 6, 0x04, 60, 1 * NS);  /* RST */
	packet(ft, a, 53, b, 53, 17, 0, 80, 1 * NS);  /* UDP */
	packet(ft, a, 0, b, 0, 1, 0, 98, 1 * NS);     /* ICMP */
	assert_int_equal(flow_table_expire(ft, 4 * NS, 1000, collect, &got), 1);
	assert_int_equal(got.ev[0].end_reason, IOCW_END_RST);
	assert_int_equal(flow_table_expire(ft, 32 * NS, 1000, collect, &got), 1);
	assert_int_equal(got.ev[1].proto, 1);
	assert_int_equal(got.ev[1].end_reason, IOCW_END_IDLE);
	assert_int_equal(flow_table_expire(ft, 62 * NS, 1000, collect, &got), 1);
	assert_int_equal(got.ev[2].proto, 17);
	assert_int_equal(ft->stats.active, 0);
	free_table(ft);
}

static void
test_capacity_and_deletion_keep_lookups_right(void **state)
{
	struct flow_table *ft = new_table(100);
	struct collected got = {0};
	uint8_t a[16], b[16];

	(void)state;
	v4(a, 10, 0, 0, 1);
	v4(b, 10, 0, 0, 2);
	for (uint16_t p = 1; p <= 100; p++)
		assert_non_null(packet(ft, a, p, b, 80, 17, 0, 60, p < 50 ? 1 * NS : 100 * NS));
	/* Full: the 101st flow is refused and counted. */
	assert_null(packet(ft, a, 101, b, 80, 17, 0, 60, 1 * NS));
	assert_int_equal(ft->stats.table_full, 1);
	/* Expire the first 49 (idle since 1 s); the rest must still be found afterwards. */
	for (int i = 0; i < 64 && got.n < 49; i++)
		flow_table_expire(ft, 70 * NS, 16, collect, &got);
	assert_int_equal(got.n, 49);
	for (uint16_t p = 50; p <= 100; p++) {
		struct flow_key key;
		uint64_t hash;

		flow_key_make(&key, &hash, 4, 17, 0, a, b, p, 80);
		assert_non_null(flow_table_lookup(ft, &key, hash));
	}
	assert_int_equal(ft->stats.active, 51);
	free_table(ft);
}

static void
test_vlan_separates_flows(void **state)
{
	struct flow_key k1, k2;
	uint64_t h1, h2;
	uint8_t a[16], b[16];

	(void)state;
	v4(a, 1, 1, 1, 1);
	v4(b, 2, 2, 2, 2);
	flow_key_make(&k1, &h1, 4, 6, 100, a, b, 1, 2);
	flow_key_make(&k2, &h2, 4, 6, 200, a, b, 1, 2);
	assert_memory_not_equal(&k1, &k2, sizeof(k1));
	assert_true(flow_key_make(&k1, &h1, 4, 6, 0, a, b, 1, 2));
	assert_false(flow_key_make(&k2, &h2, 4, 6, 0, b, a, 2, 1));
	assert_memory_equal(&k1, &k2, sizeof(k1));
	assert_int_equal(h1, h2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_both_directions_one_flow),
		cmocka_unit_test(test_tcp_fin_both_ways_then_linger),
		cmocka_unit_test(test_rst_and_idle_timeouts),
		cmocka_unit_test(test_capacity_and_deletion_keep_lookups_right),
		cmocka_unit_test(test_vlan_separates_flows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
