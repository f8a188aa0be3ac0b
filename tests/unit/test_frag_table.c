/* SPDX-License-Identifier: BSD-3-Clause */
/* Later fragments find the flow of their first fragment; other datagrams and old entries do not. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "frag_table.h"

#define S 1000000000ULL

static struct pkt_info
frag(uint8_t last_src_byte, uint32_t id, uint8_t proto)
{
	struct pkt_info pi;

	memset(&pi, 0, sizeof(pi));
	pi.family = 4;
	pi.proto = proto;
	pi.frag_id = id;
	pi.src[0] = 10, pi.src[3] = last_src_byte;
	pi.dst[0] = 95, pi.dst[1] = 85, pi.dst[2] = 246, pi.dst[3] = 53;
	return pi;
}

static void
test_find_and_age(void **state)
{
	struct frag_table t;
	void *mem = calloc(1, frag_table_mem_size(64));
	struct pkt_info first = frag(15, 0x1234, 17), later = first, other = frag(16, 0x1234, 17);
	struct flow_key key;
	uint64_t hash;
	const struct frag_entry *e;

	(void)state;
	frag_table_init(&t, mem, 64, 30 * S);
	flow_key_make(&key, &hash, 4, 17, 0, first.src, first.dst, 40000, 443);
	frag_table_remember(&t, &first, &key, hash, true, 1 * S);
	assert_int_equal(t.active, 1);
	e = frag_table_find(&t, &later, 2 * S);
	assert_non_null(e);
	assert_memory_equal(&e->flow, &key, sizeof(key));
	assert_int_equal(e->flow_hash, hash);
	/* Another host, another id or protocol: not this datagram. */
	assert_null(frag_table_find(&t, &other, 2 * S));
	later.frag_id = 0x1235;
	assert_null(frag_table_find(&t, &later, 2 * S));
	later = first;
	later.proto = 6;
	assert_null(frag_table_find(&t, &later, 2 * S));
	/* Aged out 30 s after the last fragment seen. */
	later = first;
	assert_non_null(frag_table_find(&t, &later, 20 * S));
	assert_null(frag_table_find(&t, &later, 51 * S));
	assert_int_equal(t.active, 0);
	assert_int_equal(t.stats.remembered, 1);
	assert_int_equal(t.stats.found, 2);
	free(mem);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_find_and_age)};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
