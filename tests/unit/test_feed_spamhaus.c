/* SPDX-License-Identifier: BSD-3-Clause */
/* test_feed_spamhaus.c - Spamhaus DROP lists: text and JSON lines. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "feed.h"
#include "test_feed_sink.h"

#define LISTED 1714558376 /* Wed, 01 May 2024 10:12:56 GMT */

static void
test_text_sample(void **state)
{
	struct feed_options opt = {0};
	struct test_capture cap;
	struct test_sink sink;
	struct feed_stats st;
	size_t i;

	(void)state;
	assert_int_equal(test_load_file("data/feeds/spamhaus_drop.txt", &opt, &sink, &st, &cap), 0);
	assert_string_equal(test_capture_text(&cap), "");
	assert_int_equal(st.format, FEED_FORMAT_SPAMHAUS_DROP);
	assert_int_equal(st.nb_lines, 9);
	assert_int_equal(st.nb_iocs, 5);
	for (i = 0; i < sink.n; i++) {
		assert_int_equal(sink.v[i].ioc.type, IOCW_IOC_CIDR);
		assert_string_equal(sink.v[i].threat, "drop");
		assert_int_equal(sink.v[i].ioc.last_seen, LISTED);
	}
	assert_string_equal(sink.v[0].value, "1.10.16.0/20");
	assert_int_equal(sink.v[0].ioc.prefix_len, 20);
	assert_string_equal(sink.v[0].reference, "https://www.spamhaus.org/sbl/query/SBL256894");
	assert_string_equal(sink.v[4].value, "223.254.0.0/16");
	test_sink_free(&sink);
	test_capture_close(&cap);
}

static void
test_json_sample(void **state)
{
	struct feed_options opt = {0};
	struct test_capture cap;
	struct test_sink sink;
	struct feed_stats st;

	(void)state;
	assert_int_equal(test_load_file("data/feeds/spamhaus_drop_v4.json", &opt, &sink, &st, &cap),
			 0);
	assert_string_equal(test_capture_text(&cap), "");
	assert_int_equal(st.format, FEED_FORMAT_SPAMHAUS_JSON);
	assert_int_equal(st.nb_iocs, 3);
	assert_string_equal(sink.v[2].value, "2.56.192.0/22");
	assert_string_equal(sink.v[2].tags, "ripencc");
	assert_string_equal(sink.v[2].reference, "https://www.spamhaus.org/sbl/query/SBL459831");
	assert_int_equal(sink.v[2].ioc.last_seen, LISTED);
	test_sink_free(&sink);
	test_capture_close(&cap);

	assert_int_equal(test_load_file("data/feeds/spamhaus_drop_v6.json", &opt, &sink, &st, &cap),
			 0);
	assert_string_equal(test_capture_text(&cap), "");
	assert_int_equal(st.nb_iocs, 2);
	assert_string_equal(sink.v[0].value, "2001:678:738::/48");
	assert_int_equal(sink.v[0].ioc.family, IOCW_FAMILY_V6);
	assert_int_equal(sink.v[1].ioc.prefix_len, 29);
	test_sink_free(&sink);
	test_capture_close(&cap);
}

static void
test_text_bad_lines(void **state)
{
	static const char text[] = "; Spamhaus DROP List\n"
				   "; Last-Modified: sometime\n"
				   "192.0.2.0/24 ; SBL1\n"
				   "192.0.2.1/24 ; SBL2\n"
				   "198.51.100.0/24 ; XYZ3\n"
				   "203.0.113.0/24\n"
				   "evil.example ; SBL4\n";
	struct test_capture cap;
	struct test_sink sink;
	struct feed_stats st;

	(void)state;
	assert_int_equal(
	    test_load("d.txt", text, sizeof(text) - 1, FEED_FORMAT_AUTO, false, &sink, &st, &cap),
	    0);
	assert_int_equal(st.format, FEED_FORMAT_SPAMHAUS_DROP);
	assert_string_equal(
	    test_capture_text(&cap),
	    "d.txt:2: warning: Last-Modified is not an RFC 1123 date; entries get no last_seen\n"
	    "d.txt:4:1: bad indicator \"192.0.2.1/24\": CIDR has host bits set beyond the prefix "
	    "length\n"
	    "d.txt:5:19: \"XYZ3\" is not an SBL id (SBL and digits)\n"
	    "d.txt:7:1: indicator \"evil.example\" is a domain, but its type says cidr\n");
	/* A prefix without an SBL id is still a DROP entry. */
	assert_int_equal(sink.n, 2);
	assert_string_equal(sink.v[1].value, "203.0.113.0/24");
	assert_string_equal(sink.v[1].reference, "");
	assert_int_equal(sink.v[0].ioc.last_seen, 0);
	test_sink_free(&sink);
	test_capture_close(&cap);
}

/* Broken lines, a truncated file (no metadata), a record count that does not match. */
static void
test_json_bad_lines(void **state)
{
	static const char text[] =
	    "{\"cidr\":\"192.0.2.0/24\",\"sblid\":\"SBL1\",\"rir\":\"arin\"}\n"
	    "{\"cidr\":\"192.0.2.0/24\",\"sblid\":\n"
	    "{\"cidr\":42,\"sblid\":\"SBL2\"}\n"
	    "{\"cidr\":\"198.51.100.0/24\",\"sblid\":7}\n"
	    "[1,2]\n"
	    "{\"cidr\":\"203.0.113.0/24\",\"x\":[[[[[[1]]]]]]}\n"
	    "{\"cidr\":\"2001:db8::/32\",\"sblid\":\"SBL3\"}\n";
	static const char counted[] =
	    "{\"cidr\":\"192.0.2.0/24\",\"sblid\":\"SBL1\"}\n"
	    "{\"type\":\"metadata\",\"timestamp\":1714558376,\"records\":2}\n";
	struct test_capture cap;
	struct test_sink sink;
	struct feed_stats st;

	(void)state;
	assert_int_equal(
	    test_load("d.json", text, sizeof(text) - 1, FEED_FORMAT_AUTO, false, &sink, &st, &cap),
	    0);
	assert_int_equal(st.format, FEED_FORMAT_SPAMHAUS_JSON);
	assert_string_equal(test_capture_text(&cap),
			    "d.json:2:32: invalid JSON: unexpected end of input, expected a value\n"
			    "d.json:3:9: record has no \"cidr\" string\n"
			    "d.json:4:35: \"sblid\" number is not an SBL id (SBL and digits)\n"
			    "d.json:5:1: record should be an object, not array\n"
			    "d.json:6:33: invalid JSON: nesting deeper than 4 levels\n"
			    "d.json: warning: no metadata record: the file may be truncated\n");
	assert_int_equal(sink.n, 2);
	assert_string_equal(sink.v[1].value, "2001:db8::/32");
	assert_int_equal(sink.v[1].ioc.last_seen, 0);
	test_sink_free(&sink);
	test_capture_close(&cap);

	assert_int_equal(test_load("c.json", counted, sizeof(counted) - 1, FEED_FORMAT_AUTO, false,
				   &sink, &st, &cap),
			 0);
	assert_string_equal(test_capture_text(&cap),
			    "c.json:2: warning: metadata says 2 records, the file has 1\n");
	assert_int_equal(sink.v[0].ioc.last_seen, LISTED);
	test_sink_free(&sink);
	test_capture_close(&cap);
}

static void
test_detect(void **state)
{
	static const char drop_nobanner[] = "192.0.2.0/24 ; SBL123\n";
	static const char json_meta_first[] = "{\"type\":\"metadata\",\"records\":0}\n";
	static const char plain_semicolon[] = "; my own list\n192.0.2.0/24\n";

	(void)state;
	assert_int_equal(feed_detect(drop_nobanner, sizeof(drop_nobanner) - 1),
			 FEED_FORMAT_SPAMHAUS_DROP);
	assert_int_equal(feed_detect(json_meta_first, sizeof(json_meta_first) - 1),
			 FEED_FORMAT_SPAMHAUS_JSON);
	assert_int_equal(feed_detect(plain_semicolon, sizeof(plain_semicolon) - 1),
			 FEED_FORMAT_PLAIN);
}

static void
test_million(void **state)
{
	const size_t n = TEST_MILLION;
	char *text = malloc(n * 80 + 256), *p = text;
	size_t i;

	(void)state;
	p += sprintf(p, "; Spamhaus DROP List\n; Last-Modified: Wed, 01 May 2024 10:12:56 GMT\n");
	for (i = 0; i < n; i++)
		p += sprintf(p, "10.%zu.%zu.0/24 ; SBL%zu\n", i >> 16 & 255, i >> 8 & 255, i);
	assert_true(test_time_parse("spamhaus-drop", text, (size_t)(p - text),
				    FEED_FORMAT_SPAMHAUS_DROP, n, n) < TEST_PARSE_SECONDS_MAX);
	p = text;
	for (i = 0; i < n; i++)
		p += sprintf(
		    p, "{\"cidr\":\"10.%zu.%zu.0/24\",\"sblid\":\"SBL%zu\",\"rir\":\"arin\"}\n",
		    i >> 16 & 255, i >> 8 & 255, i);
	p += sprintf(p, "{\"type\":\"metadata\",\"timestamp\":1714558376,\"records\":%zu}\n", n);
	assert_true(test_time_parse("spamhaus-json", text, (size_t)(p - text),
				    FEED_FORMAT_SPAMHAUS_JSON, n, n) < TEST_PARSE_SECONDS_MAX);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_text_sample),	   cmocka_unit_test(test_json_sample),
	    cmocka_unit_test(test_text_bad_lines), cmocka_unit_test(test_json_bad_lines),
	    cmocka_unit_test(test_detect),	   cmocka_unit_test(test_million),
	};

	test_chdir_data();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
