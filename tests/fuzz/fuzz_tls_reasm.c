/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_tls_reasm.c - libFuzzer harness for tls_reasm. The input is a list of
 * operations on a small table (2 buckets of 4, so evictions happen):
 *
 *   u8 op, u8 flow, u32 seq (big endian), u16 len, len bytes of payload
 *   op & 3: 0 save, 1 continue, 2 expire (budget = seq & 0xffff),
 *           3 advance the clock by seq microseconds
 *   flow: bits 0-3 pick one of 16 flows, bit 4 the reverse direction
 *
 * Every operation also advances the clock by 1 us. After each, the table's
 * bookkeeping is checked against its slots: active count, filter counters,
 * entry sizes; results and names follow the extract_name contract.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_extract_check.h"
#include "tls_reasm.h"

#define CAPACITY 8
#define MAX_AGE_NS 1000000000ULL

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Slots against the counters; @p full also recounts the whole port-pair filter. */
static void
check_table(const struct tls_reasm *t, bool full)
{
	uint64_t active = 0, filter_sum = 0;
	uint32_t filter[TLS_REASM_FILTER];

	if (full)
		memset(filter, 0, sizeof(filter));
	for (uint32_t i = 0; i < t->nb_slots; i++) {
		const struct tls_reasm_entry *e = &t->slots[i];
		uint16_t sport, dport;

		if (!e->in_use)
			continue;
		active++;
		fuzz_check(e->len <= TLS_REASM_BUF);
		sport = e->src_is_a ? e->key.port_a : e->key.port_b;
		dport = e->src_is_a ? e->key.port_b : e->key.port_a;
		if (full)
			filter[tls_reasm_filter_index(sport, dport)]++;
		fuzz_check(tls_reasm_maybe(t, sport, dport));
	}
	fuzz_check(active == t->stats.active);
	if (!full)
		return;
	for (uint32_t i = 0; i < TLS_REASM_FILTER; i++) {
		fuzz_check(filter[i] == t->filter[i]);
		filter_sum += t->filter[i];
	}
	fuzz_check(filter_sum == active);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct extract_name out;
	struct tls_reasm t;
	void *mem = calloc(1, tls_reasm_mem_size(CAPACITY));
	uint64_t now = 1000;
	size_t pos = 0;

	if (mem == NULL)
		return 0;
	tls_reasm_init(&t, mem, CAPACITY, MAX_AGE_NS);
	while (size - pos >= 8) {
		uint8_t op = data[pos], fl = data[pos + 1];
		uint32_t seq = (uint32_t)data[pos + 2] << 24 | (uint32_t)data[pos + 3] << 16 |
			       (uint32_t)data[pos + 4] << 8 | data[pos + 5];
		uint32_t len = (uint32_t)data[pos + 6] << 8 | data[pos + 7];
		uint8_t cli[16] = {10, 0, 0, (uint8_t)(fl & 15)}, srv[16] = {192, 0, 2, 1};
		uint16_t cport = (uint16_t)(40000 + (fl & 3));
		bool rev = fl & 16;
		struct flow_key key;
		uint64_t hash;
		bool src_is_a;
		uint8_t *payload;
		enum extract_result res;

		pos += 8;
		if (len > size - pos)
			len = (uint32_t)(size - pos);
		/* Exact-size copy: reads past the segment hit ASan's redzone. */
		payload = malloc(len ? len : 1);
		if (payload == NULL)
			break;
		memcpy(payload, data + pos, len);
		pos += len;
		src_is_a = flow_key_make(&key, &hash, 4, 6, 0, rev ? srv : cli, rev ? cli : srv,
					 rev ? 443 : cport, rev ? cport : 443);
		now += 1000;
		switch (op & 3) {
		case 0: {
			int rc = tls_reasm_save(&t, &key, hash, src_is_a, seq, payload, len, now);

			fuzz_check(rc == 0 || (rc < 0 && len > TLS_REASM_BUF));
			break;
		}
		case 1:
			out.where = EXTRACT_TLS_SNI;
			out.len = 0;
			out.truncated = 0;
			out.text[0] = '\0';
			res = tls_reasm_continue(&t, &key, hash, src_is_a, seq, payload, len, now,
						 &out);
			fuzz_check_name(&out, EXTRACT_TLS_SNI,
					res == EXTRACT_OK ? res : EXTRACT_MALFORMED);
			if (res == EXTRACT_OK)
				fuzz_check_host_text(&out, 0);
			break;
		case 2:
			tls_reasm_expire(&t, now, seq & 0xffff);
			break;
		default:
			now += (uint64_t)seq * 1000;
			break;
		}
		free(payload);
		check_table(&t, false);
	}
	check_table(&t, true);
	free(mem);
	return 0;
}
