/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_extract_tls.c - extract_tls_sni() on hand-built ClientHellos: TLS 1.0,
 * 1.2 and 1.3 shapes, SNI missing or duplicated, every length field wrong,
 * every cut (NEED_MORE), ClientHellos split over several records, and
 * records that are not ClientHellos.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "extract.h"
#include "test_tls_hello.h"

static struct tls_buf ext, rec, hs;

static enum extract_result
sni(const struct tls_buf *b, struct extract_name *out)
{
	return extract_tls_sni(b->b, b->len, out);
}

static void
assert_sni(const struct extract_name *out, const char *want)
{
	assert_int_equal(out->where, EXTRACT_TLS_SNI);
	assert_int_equal(out->len, strlen(want));
	assert_string_equal(out->text, want);
}

static void
assert_empty(const struct extract_name *out)
{
	assert_int_equal(out->len, 0);
	assert_int_equal(out->text[0], '\0');
}

static void
test_tls12_and_13(void **state)
{
	struct extract_name out;

	(void)state;
	ext.len = 0;
	tls_ext_typical(&ext, "Evil.Example", 0);
	tls_client_hello(&rec, &ext, &tls_hello_12);
	assert_int_equal(sni(&rec, &out), EXTRACT_OK);
	assert_sni(&out, "evil.example");

	ext.len = 0;
	tls_ext_typical(&ext, "a.evil.example", 1);
	tls_client_hello(&rec, &ext, &tls_hello_13);
	assert_int_equal(sni(&rec, &out), EXTRACT_OK);
	assert_sni(&out, "a.evil.example");

	/* TLS 1.0 client, record version 0x0301; and record version 0x0303. */
	struct tls_hello_opts o = tls_hello_12;

	o.cli_version = 0x0301;
	ext.len = 0;
	tls_ext_sni(&ext, "notevil.example");
	tls_client_hello(&rec, &ext, &o);
	assert_int_equal(sni(&rec, &out), EXTRACT_OK);
	assert_sni(&out, "notevil.example");
	o.rec_version = 0x0303;
	tls_client_hello(&rec, &ext, &o);
	assert_int_equal(sni(&rec, &out), EXTRACT_OK);
	o.rec_version = 0x0304;
	o.cli_version = 0x0304;
	tls_client_hello(&rec, &ext, &o);
	assert_int_equal(sni(&rec, &out), EXTRACT_OK);

	/* SNI as the last extension, and as the only one. */
	ext.len = 0;
	tls_ext_raw(&ext, 0x0017, "", 0);
	tls_ext_sni(&ext, "benign.example");
	tls_client_hello(&rec, &ext, &tls_hello_13);
	assert_int_equal(sni(&rec, &out), EXTRACT_OK);
	assert_sni(&out, "benign.example");
}

static void
test_sni_missing(void **state)
{
	struct extract_name out;
	struct tls_hello_opts o = tls_hello_12;

	(void)state;
	ext.len = 0;
	tls_ext_typical(&ext, NULL, 1);
	tls_client_hello(&rec, &ext, &tls_hello_13);
	assert_int_equal(sni(&rec, &out), EXTRACT_NO_NAME);
	assert_empty(&out);

	/* No extensions block at all (allowed before TLS 1.3). */
	o.no_extensions = 1;
	tls_client_hello(&rec, &ext, &o);
	assert_int_equal(sni(&rec, &out), EXTRACT_NO_NAME);

	/* An empty extensions block. */
	ext.len = 0;
	tls_client_hello(&rec, &ext, &tls_hello_12);
	assert_int_equal(sni(&rec, &out), EXTRACT_NO_NAME);

	/* server_name holding only a name type other than host_name. */
	ext.len = 0;
	tls_ext_raw(&ext, 0, "\x00\x06\x07\x00\x03xyz", 8);
	tls_client_hello(&rec, &ext, &tls_hello_12);
	assert_int_equal(sni(&rec, &out), EXTRACT_NO_NAME);
}

static void
test_sni_duplicated(void **state)
{
	struct extract_name out;

	(void)state;
	/* Two server_name extensions (RFC 8446 sec. 4.2, RFC 6066). */
	ext.len = 0;
	tls_ext_sni(&ext, "benign.example");
	tls_ext_raw(&ext, 0x0017, "", 0);
	tls_ext_sni(&ext, "evil.example");
	tls_client_hello(&rec, &ext, &tls_hello_12);
	assert_int_equal(sni(&rec, &out), EXTRACT_MALFORMED);
	assert_empty(&out);

	/* Two host_name entries in one list. */
	ext.len = 0;
	tls_ext_raw(&ext, 0, "\x00\x0e\x00\x00\x04\x61\x2e\x65\x78\x00\x00\x04\x62\x2e\x65\x78",
		    16);
	tls_client_hello(&rec, &ext, &tls_hello_12);
	assert_int_equal(sni(&rec, &out), EXTRACT_MALFORMED);

	/* A host_name next to another type: fine. */
	ext.len = 0;
	tls_ext_raw(&ext, 0, "\x00\x0e\x05\x00\x04wxyz\x00\x00\x04\x61\x2e\x65\x78", 16);
	tls_client_hello(&rec, &ext, &tls_hello_12);
	assert_int_equal(sni(&rec, &out), EXTRACT_OK);
	assert_sni(&out, "a.ex");
}

static void
test_sni_bad_lists(void **state)
{
	static const struct {
		const char *data;
		uint32_t n;
	} cases[] = {
	    {"", 0},				  /* empty extension (server side only) */
	    {"\x00", 1},			  /* short list length */
	    {"\x00\x00", 2},			  /* empty list */
	    {"\x00\x06\x00\x00\x02xy", 7},	  /* list length too long */
	    {"\x00\x07\x00\x00\x02xyz", 8},	  /* list length too short */
	    {"\x00\x03\x00\x00\x00", 5},	  /* empty host_name */
	    {"\x00\x05\x00\x00\x03xy", 7},	  /* name runs past the list */
	    {"\x00\x02\x00\x00", 4},		  /* entry header cut */
	    {"\x00\x06\x00\x00\x01x\x00\x00", 8}, /* second entry cut */
	};
	struct extract_name out;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ext.len = 0;
		tls_ext_raw(&ext, 0, cases[i].data, cases[i].n);
		tls_client_hello(&rec, &ext, &tls_hello_12);
		if (sni(&rec, &out) != EXTRACT_MALFORMED)
			fail_msg("case %zu: got %s", i, extract_result_name(sni(&rec, &out)));
	}
}

static void
test_sni_text(void **state)
{
	static const uint8_t odd[] = {'E', 'v', 0x00, 'l', ' ', '/', 0xc3, 0xa9, '.', 'x'};
	char name[300];
	struct extract_name out;

	(void)state;
	/* Trailing dot: same host. */
	ext.len = 0;
	tls_ext_sni(&ext, "EVIL.example.");
	tls_client_hello(&rec, &ext, &tls_hello_12);
	assert_int_equal(sni(&rec, &out), EXTRACT_OK);
	assert_sni(&out, "evil.example");

	/* Octets outside the host-name set are escaped; a NUL cannot cut the text. */
	ext.len = 0;
	tls_ext_sni_n(&ext, odd, sizeof(odd));
	tls_client_hello(&rec, &ext, &tls_hello_12);
	assert_int_equal(sni(&rec, &out), EXTRACT_OK);
	assert_sni(&out, "ev\\000l\\032\\047\\195\\169.x");

	/* 255 bytes: accepted; 256: not a host name. */
	memset(name, 'a', sizeof(name));
	for (int i = 50; i < 255; i += 50)
		name[i] = '.';
	name[255] = '\0';
	ext.len = 0;
	tls_ext_sni(&ext, name);
	tls_client_hello(&rec, &ext, &tls_hello_12);
	assert_int_equal(sni(&rec, &out), EXTRACT_OK);
	assert_int_equal(out.len, 255);
	name[255] = 'a';
	name[256] = '\0';
	ext.len = 0;
	tls_ext_sni(&ext, name);
	tls_client_hello(&rec, &ext, &tls_hello_12);
	assert_int_equal(sni(&rec, &out), EXTRACT_MALFORMED);
}

/* Every cut of a valid ClientHello asks for more, never reads past the cut. */
static void
test_need_more_every_prefix(void **state)
{
	struct extract_name out;

	(void)state;
	ext.len = 0;
	tls_ext_typical(&ext, "evil.example", 1);
	tls_client_hello(&rec, &ext, &tls_hello_13);
	assert_int_equal(extract_tls_sni(rec.b, 0, &out), EXTRACT_NOT_APPLICABLE);
	for (uint32_t n = 1; n < rec.len; n++) {
		enum extract_result res = extract_tls_sni(rec.b, n, &out);

		if (res != EXTRACT_NEED_MORE)
			fail_msg("%u of %u bytes: got %s", n, rec.len, extract_result_name(res));
		assert_empty(&out);
	}
	assert_int_equal(sni(&rec, &out), EXTRACT_OK);
	/* Bytes after the record (the next record, e.g. early data) do not matter. */
	memcpy(rec.b + rec.len, "\x17\x03\x03\x00\x10", 5);
	assert_int_equal(extract_tls_sni(rec.b, rec.len + 5, &out), EXTRACT_OK);
}

static void
test_not_client_hello(void **state)
{
	static const char http[] = "GET / HTTP/1.1\r\nHost: evil.example\r\n\r\n";
	struct extract_name out;

	(void)state;
	ext.len = 0;
	tls_ext_sni(&ext, "evil.example");
	tls_client_hello(&rec, &ext, &tls_hello_12);

	rec.b[5] = 2; /* ServerHello */
	assert_int_equal(sni(&rec, &out), EXTRACT_NOT_APPLICABLE);
	rec.b[5] = 1;
	rec.b[0] = 23; /* application data */
	assert_int_equal(sni(&rec, &out), EXTRACT_NOT_APPLICABLE);
	rec.b[0] = 21; /* alert */
	assert_int_equal(sni(&rec, &out), EXTRACT_NOT_APPLICABLE);
	rec.b[0] = 22;
	rec.b[2] = 0; /* SSL 3.0 record */
	assert_int_equal(sni(&rec, &out), EXTRACT_NOT_APPLICABLE);
	assert_int_equal(extract_tls_sni(rec.b, 3, &out), EXTRACT_NOT_APPLICABLE);
	rec.b[2] = 5;
	assert_int_equal(sni(&rec, &out), EXTRACT_NOT_APPLICABLE);
	rec.b[2] = 1;
	rec.b[1] = 2;
	assert_int_equal(extract_tls_sni(rec.b, 2, &out), EXTRACT_NOT_APPLICABLE);
	rec.b[1] = 3;
	/* ClientHello legacy_version 3.0 and 2.0 */
	rec.b[9] = 3;
	rec.b[10] = 0;
	assert_int_equal(sni(&rec, &out), EXTRACT_NOT_APPLICABLE);
	rec.b[9] = 2;
	assert_int_equal(sni(&rec, &out), EXTRACT_NOT_APPLICABLE);
	rec.b[9] = 3;
	rec.b[10] = 3;
	assert_int_equal(sni(&rec, &out), EXTRACT_OK);

	/* SSLv2-compatible ClientHello (first byte 0x80): not parsed. */
	rec.b[0] = 0x80;
	assert_int_equal(sni(&rec, &out), EXTRACT_NOT_APPLICABLE);
	assert_int_equal(extract_tls_sni((const uint8_t *)http, sizeof(http) - 1, &out),
			 EXTRACT_NOT_APPLICABLE);
}

/* Offsets in a tls_hello_12 record built by tls_client_hello(). */
#define OFF_REC_LEN 3
#define OFF_HS_LEN 6
#define OFF_SID 43

static void
set16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
test_bad_lengths(void **state)
{
	struct extract_name out;
	struct tls_hello_opts o = tls_hello_12;
	uint32_t cs_at, comp_at, ext_at;

	(void)state;
	ext.len = 0;
	tls_ext_raw(&ext, 0x0017, "", 0);
	tls_ext_sni(&ext, "evil.example");
	tls_client_hello(&rec, &ext, &o);
	assert_int_equal(sni(&rec, &out), EXTRACT_OK);
	cs_at = OFF_SID + 1;
	comp_at = cs_at + 2 + 2 * o.nb_suites;
	ext_at = comp_at + 2;

	/* Record length 0 or over 2^14. */
	set16(rec.b + OFF_REC_LEN, 0);
	assert_int_equal(sni(&rec, &out), EXTRACT_MALFORMED);
	set16(rec.b + OFF_REC_LEN, 16385);
	assert_int_equal(sni(&rec, &out), EXTRACT_MALFORMED);
	tls_client_hello(&rec, &ext, &o);

	/* Session id over 32 bytes. */
	o.sid_len = 33;
	tls_client_hello(&rec, &ext, &o);
	assert_int_equal(sni(&rec, &out), EXTRACT_MALFORMED);
	o.sid_len = 32;
	tls_client_hello(&rec, &ext, &o);
	assert_int_equal(sni(&rec, &out), EXTRACT_OK);
	o.sid_len = 0;

	/* Cipher suites: odd, zero, or past the message. */
	tls_client_hello(&rec, &ext, &o);
	set16(rec.b + cs_at, 2 * o.nb_suites - 1);
	assert_int_equal(sni(&rec, &out), EXTRACT_MALFORMED);
	set16(rec.b + cs_at, 0);
	assert_int_equal(sni(&rec, &out), EXTRACT_MALFORMED);
	set16(rec.b + cs_at, 0xfffe);
	assert_int_equal(sni(&rec, &out), EXTRACT_MALFORMED);

	/* Compression: none, or past the message. */
	tls_client_hello(&rec, &ext, &o);
	rec.b[comp_at] = 0;
	assert_int_equal(sni(&rec, &out), EXTRACT_MALFORMED);
	rec.b[comp_at] = 0xff;
	assert_int_equal(sni(&rec, &out), EXTRACT_MALFORMED);

	/* Extensions block length one short, one long. */
	tls_client_hello(&rec, &ext, &o);
	set16(rec.b + ext_at, ext.len - 1);
	assert_int_equal(sni(&rec, &out), EXTRACT_MALFORMED);
	set16(rec.b + ext_at, ext.len + 1);
	assert_int_equal(sni(&rec, &out), EXTRACT_MALFORMED);

	/* One extension's length running past the block. */
	tls_client_hello(&rec, &ext, &o);
	set16(rec.b + ext_at + 2 + 2, 1);
	assert_int_equal(sni(&rec, &out), EXTRACT_MALFORMED);

	/* Extension header cut: one stray byte at the end of the block. */
	tls_put8(&ext, 0xaa);
	tls_client_hello(&rec, &ext, &o);
	assert_int_equal(sni(&rec, &out), EXTRACT_MALFORMED);
	ext.len--;

	/* Handshake length short of the body (ends inside the cipher suites). */
	tls_client_hello(&rec, &ext, &o);
	rec.b[OFF_HS_LEN] = 0;
	set16(rec.b + OFF_HS_LEN + 1, 40);
	assert_int_equal(sni(&rec, &out), EXTRACT_MALFORMED);
	set16(rec.b + OFF_HS_LEN + 1, 10);
	assert_int_equal(sni(&rec, &out), EXTRACT_MALFORMED);
}

/* The record carries more than the ClientHello: only the message is parsed. */
static void
test_record_longer_than_message(void **state)
{
	struct extract_name out;

	(void)state;
	ext.len = 0;
	tls_ext_sni(&ext, "evil.example");
	tls_hello_message(&hs, &ext, &tls_hello_12);
	tls_put(&hs, "\x0f\x00\x00\x00", 4); /* another (empty) handshake message */
	tls_records(&rec, &hs, 0x0301, 16384);
	assert_int_equal(sni(&rec, &out), EXTRACT_OK);
	assert_sni(&out, "evil.example");
}

/* RFC 8446 sec. 5.1: one handshake message over several records. */
static void
test_fragmented_records(void **state)
{
	static const uint32_t frags[] = {1, 2, 3, 4, 5, 7, 40, 100, 250};
	struct extract_name out;

	(void)state;
	ext.len = 0;
	tls_ext_typical(&ext, "a.evil.example", 1);
	tls_hello_message(&hs, &ext, &tls_hello_13);
	for (size_t i = 0; i < sizeof(frags) / sizeof(frags[0]); i++) {
		tls_records(&rec, &hs, 0x0301, frags[i]);
		if (sni(&rec, &out) != EXTRACT_OK)
			fail_msg("fragments of %u: %s", frags[i],
				 extract_result_name(sni(&rec, &out)));
		assert_sni(&out, "a.evil.example");
		for (uint32_t n = 1; n < rec.len; n++) {
			enum extract_result res = extract_tls_sni(rec.b, n, &out);

			if (res != EXTRACT_NEED_MORE)
				fail_msg("fragments of %u, %u of %u bytes: got %s", frags[i], n,
					 rec.len, extract_result_name(res));
		}
	}

	/* Another record type between the fragments. */
	tls_records(&rec, &hs, 0x0301, 100);
	rec.b[105] = 23;
	assert_int_equal(sni(&rec, &out), EXTRACT_MALFORMED);
	/* An empty record between them. */
	tls_records(&rec, &hs, 0x0301, 100);
	set16(rec.b + 105 + 3, 0);
	assert_int_equal(sni(&rec, &out), EXTRACT_MALFORMED);

	/* A fragmented ClientHello over 8 KiB: not gathered. */
	ext.len = 0;
	tls_ext_sni(&ext, "evil.example");
	{
		static uint8_t pad[9000];

		tls_ext_raw(&ext, 0x0015, pad, sizeof(pad)); /* padding */
	}
	tls_hello_message(&hs, &ext, &tls_hello_13);
	tls_records(&rec, &hs, 0x0301, 4000);
	assert_int_equal(sni(&rec, &out), EXTRACT_TRUNCATED);
	/* The same in one record (under 2^14): parsed. */
	tls_records(&rec, &hs, 0x0301, 16384);
	assert_int_equal(sni(&rec, &out), EXTRACT_OK);
}

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(extract_result_name(EXTRACT_OK), "ok");
	assert_string_equal(extract_result_name(EXTRACT_NO_NAME), "no_name");
	assert_string_equal(extract_result_name(EXTRACT_NEED_MORE), "need_more");
	assert_string_equal(extract_result_name(EXTRACT_RESULT_COUNT), "unknown");
	assert_string_equal(extract_where_name(EXTRACT_DNS), "dns");
	assert_string_equal(extract_where_name(EXTRACT_TLS_SNI), "tls.sni");
	assert_string_equal(extract_where_name(EXTRACT_HTTP_HOST), "http.host");
	assert_string_equal(extract_where_name(EXTRACT_HTTP_URL), "http.url");
	for (int r = 0; r < EXTRACT_RESULT_COUNT; r++)
		assert_string_not_equal(extract_result_name((enum extract_result)r), "unknown");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tls12_and_13),
	    cmocka_unit_test(test_sni_missing),
	    cmocka_unit_test(test_sni_duplicated),
	    cmocka_unit_test(test_sni_bad_lists),
	    cmocka_unit_test(test_sni_text),
	    cmocka_unit_test(test_need_more_every_prefix),
	    cmocka_unit_test(test_not_client_hello),
	    cmocka_unit_test(test_bad_lengths),
	    cmocka_unit_test(test_record_longer_than_message),
	    cmocka_unit_test(test_fragmented_records),
	    cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
