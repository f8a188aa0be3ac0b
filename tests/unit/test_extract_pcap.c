/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_extract_pcap.c - tests/data/names.pcap read frame by frame the way the
 * worker reads it (pkt_parse, then the extractors in the worker's order, with
 * tls_reasm for cut ClientHellos), compared line by line with
 * tests/data/names.expected (written by tests/tools/mknames.py).
 *
 * names_from_frame() is the reference for the worker's dispatch.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "extract.h"
#include "pkt_parse.h"
#include "tls_reasm.h"

#define PCAP_PATH "data/names.pcap"
#define EXPECTED_PATH "data/names.expected"
#define MAX_LINES 256

struct lines {
	char *v[MAX_LINES];
	unsigned n;
};

static void
lines_add(struct lines *l, unsigned frame, enum extract_where where, enum extract_result res,
	  const struct extract_name *name)
{
	char buf[EXTRACT_URL_MAX + 64];

	assert_true(l->n < MAX_LINES);
	snprintf(buf, sizeof(buf), "%u %s %s %s", frame, extract_where_name(where),
		 extract_result_name(res), res == EXTRACT_OK ? name->text : "-");
	l->v[l->n++] = strdup(buf);
}

static uint32_t
rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/*
 * End of the IP datagram: Ethernet padding after it is not payload. (pkt_info
 * does not carry it; the worker needs it too, see docs/names.md.)
 */
static uint32_t
datagram_end(const uint8_t *f, uint32_t len)
{
	uint32_t off = 12;
	uint16_t type = (uint16_t)(f[off] << 8 | f[off + 1]);

	off += 2;
	while (type == 0x8100 || type == 0x88a8 || type == 0x9100) {
		type = (uint16_t)(f[off + 2] << 8 | f[off + 3]);
		off += 4;
	}
	if (type == 0x0800)
		return off + (uint32_t)(f[off + 2] << 8 | f[off + 3]);
	if (type == 0x86dd)
		return off + 40 + (uint32_t)(f[off + 4] << 8 | f[off + 5]);
	return len;
}

/* One frame through pkt_parse and the extractors, in the worker's order. */
static void
names_from_frame(struct tls_reasm *reasm, unsigned frame_no, const uint8_t *f, uint32_t len,
		 uint64_t now_ns, struct lines *out)
{
	static struct extract_name name, url;
	struct pkt_info pi;
	const uint8_t *payload;
	uint32_t plen, seq;
	enum extract_result res;

	if (pkt_parse(f, len, &pi) != PKT_PARSE_OK || !(pi.flags & PKT_FLAG_HAS_PORTS) ||
	    pi.payload_offset == 0)
		return;
	payload = f + pi.payload_offset;
	plen = datagram_end(f, len) - pi.payload_offset;
	if (plen == 0)
		return;

	if (pi.proto == 17) {
		/* Any UDP port: the DNS extractor rejects other payloads cheaply. */
		res = extract_dns_qname(payload, plen, false, &name);
		if (res != EXTRACT_NOT_APPLICABLE)
			lines_add(out, frame_no, EXTRACT_DNS, res, &name);
		return;
	}
	if (pi.proto != 6)
		return;
	if (pi.sport == 53 || pi.dport == 53) {
		res = extract_dns_qname(payload, plen, true, &name);
		if (res != EXTRACT_NOT_APPLICABLE)
			lines_add(out, frame_no, EXTRACT_DNS, res, &name);
		return;
	}

	seq = rd32(f + pi.l4_offset + 4);
	/* A segment some cut ClientHello waits for? (One filter test for most packets.) */
	if (tls_reasm_maybe(reasm, pi.sport, pi.dport)) {
		struct flow_key key;
		uint64_t hash;
		bool src_is_a = flow_key_make(&key, &hash, pi.family, pi.proto, pi.vlan, pi.src,
					      pi.dst, pi.sport, pi.dport);

		res = tls_reasm_continue(reasm, &key, hash, src_is_a, seq, payload, plen, now_ns,
					 &name);
		if (res != EXTRACT_NOT_APPLICABLE) {
			lines_add(out, frame_no, EXTRACT_TLS_SNI, res, &name);
			return;
		}
	}
	res = extract_tls_sni(payload, plen, &name);
	if (res == EXTRACT_NEED_MORE) {
		struct flow_key key;
		uint64_t hash;
		bool src_is_a = flow_key_make(&key, &hash, pi.family, pi.proto, pi.vlan, pi.src,
					      pi.dst, pi.sport, pi.dport);

		tls_reasm_save(reasm, &key, hash, src_is_a, seq, payload, plen, now_ns);
	}
	if (res != EXTRACT_NOT_APPLICABLE) {
		lines_add(out, frame_no, EXTRACT_TLS_SNI, res, &name);
		return;
	}
	res = extract_http_request(payload, plen, &name, &url);
	if (res == EXTRACT_OK) {
		if (name.len)
			lines_add(out, frame_no, EXTRACT_HTTP_HOST, res, &name);
		if (url.len)
			lines_add(out, frame_no, EXTRACT_HTTP_URL, res, &url);
	} else if (res != EXTRACT_NOT_APPLICABLE) {
		lines_add(out, frame_no, EXTRACT_HTTP_HOST, res, &name);
	}
}

static void
read_expected(struct lines *l)
{
	FILE *fp = fopen(EXPECTED_PATH, "r");
	char buf[2048];

	assert_non_null(fp);
	while (fgets(buf, sizeof(buf), fp)) {
		buf[strcspn(buf, "\n")] = '\0';
		if (buf[0] == '#' || buf[0] == '\0')
			continue;
		assert_true(l->n < MAX_LINES);
		l->v[l->n++] = strdup(buf);
	}
	fclose(fp);
}

static void
lines_free(struct lines *l)
{
	for (unsigned i = 0; i < l->n; i++)
		free(l->v[i]);
	l->n = 0;
}

static void
test_names_pcap(void **state)
{
	static uint8_t frame[65536];
	struct lines got = {0}, want = {0};
	struct tls_reasm reasm;
	uint8_t ghdr[24], rhdr[16];
	unsigned frame_no = 0;
	void *mem = calloc(1, tls_reasm_mem_size(64));
	FILE *fp = fopen(PCAP_PATH, "rb");

	(void)state;
	assert_non_null(fp);
	assert_non_null(mem);
	tls_reasm_init(&reasm, mem, 64, 2000000000ULL);
	assert_int_equal(fread(ghdr, 1, sizeof(ghdr), fp), sizeof(ghdr));
	assert_memory_equal(ghdr, "\xd4\xc3\xb2\xa1", 4); /* little-endian, microseconds */
	while (fread(rhdr, 1, sizeof(rhdr), fp) == sizeof(rhdr)) {
		uint32_t sec, usec, caplen;

		memcpy(&sec, rhdr, 4);
		memcpy(&usec, rhdr + 4, 4);
		memcpy(&caplen, rhdr + 8, 4);
		assert_true(caplen <= sizeof(frame));
		assert_int_equal(fread(frame, 1, caplen, fp), caplen);
		names_from_frame(&reasm, ++frame_no, frame, caplen,
				 (uint64_t)sec * 1000000000ULL + (uint64_t)usec * 1000ULL, &got);
	}
	fclose(fp);
	read_expected(&want);

	for (unsigned i = 0; i < got.n || i < want.n; i++) {
		const char *g = i < got.n ? got.v[i] : "(none)";
		const char *w = i < want.n ? want.v[i] : "(none)";

		if (strcmp(g, w) != 0)
			fail_msg("line %u: got \"%s\", want \"%s\"", i + 1, g, w);
	}
	assert_int_equal(got.n, want.n);
	assert_true(want.n >= 20);
	/* The split ClientHello was joined and nothing is left waiting. */
	assert_int_equal(reasm.stats.saved, 1);
	assert_int_equal(reasm.stats.completed, 1);
	assert_int_equal(reasm.stats.active, 0);
	lines_free(&got);
	lines_free(&want);
	free(mem);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_names_pcap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
