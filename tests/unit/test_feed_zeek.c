/* SPDX-License-Identifier: BSD-3-Clause */
/* test_feed_zeek.c - Zeek intelligence framework files. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "feed.h"
#include "test_feed_sink.h"

#define FIELDS "#fields\tindicator\tindicator_type\tmeta.source\tmeta.desc\tmeta.url\n"

static void
test_sample(void **state)
{
	struct feed_options opt = {0};
	struct test_capture cap;
	struct test_sink sink;
	struct feed_stats st;
	const struct test_ioc *v;

	(void)state;
	assert_int_equal(test_load_file("data/feeds/zeek_intel.dat", &opt, &sink, &st, &cap), 0);
	assert_string_equal(test_capture_text(&cap),
			    "data/feeds/zeek_intel.dat: warning: skipped 2 records iocwire does "
			    "not match: Intel::FILE_HASH 1, Intel::EMAIL 1\n");
	assert_int_equal(st.format, FEED_FORMAT_ZEEK_INTEL);
	assert_int_equal(st.nb_lines, 11);
	assert_int_equal(st.nb_iocs, 6);
	assert_int_equal(st.nb_skipped, 2);
	assert_int_equal(st.nb_bad, 0);
	v = &sink.v[0];
	assert_string_equal(v->value, "198.51.100.7");
	assert_int_equal(v->ioc.type, IOCW_IOC_IP);
	assert_string_equal(v->threat, "Emotet C2");
	assert_string_equal(v->tags, "soc-blocklist");
	assert_string_equal(v->reference, "https://intel.example/ioc/1");
	assert_string_equal(v->feed, "zeek_intel");
	/* "-" is an unset field. */
	assert_string_equal(sink.v[1].value, "2001:db8:bad::10");
	assert_string_equal(sink.v[1].threat, "");
	assert_string_equal(sink.v[1].reference, "");
	assert_string_equal(sink.v[2].value, "203.0.113.0/24");
	assert_int_equal(sink.v[2].ioc.type, IOCW_IOC_CIDR);
	assert_string_equal(sink.v[3].value, "evil-domain.example");
	assert_int_equal(sink.v[3].ioc.type, IOCW_IOC_DOMAIN);
	/* Zeek writes URLs without a scheme. */
	assert_string_equal(sink.v[4].value, "http://www.evil-domain.example/gate.php?id=1");
	assert_int_equal(sink.v[4].ioc.type, IOCW_IOC_URL);
	assert_string_equal(sink.v[5].value, "https://secure.evil-domain.example/login");
	test_sink_free(&sink);
	test_capture_close(&cap);
}

static void
test_columns_and_meta(void **state)
{
	static const char text[] =
	    "#fields\tmeta.desc\tindicator_type\tindicator\tmeta.cif_confidence\tmeta.source\t"
	    "meta.cif_tags\n"
	    "C2\tIntel::ADDR\t192.0.2.1\t85\tcif\tbotnet,c2\n"
	    "(empty)\tIntel::ADDR\t192.0.2.2\t-\t-\t-\n";
	struct test_capture cap;
	struct test_sink sink;
	struct feed_stats st;

	(void)state;
	assert_int_equal(
	    test_load("c.intel", text, sizeof(text) - 1, FEED_FORMAT_AUTO, true, &sink, &st, &cap),
	    0);
	assert_string_equal(test_capture_text(&cap), "");
	assert_int_equal(sink.n, 2);
	assert_string_equal(sink.v[0].value, "192.0.2.1");
	assert_int_equal(sink.v[0].ioc.confidence, 85);
	assert_string_equal(sink.v[0].tags, "cif,botnet,c2");
	assert_string_equal(sink.v[0].threat, "C2");
	assert_int_equal(sink.v[1].ioc.confidence, -1);
	assert_string_equal(sink.v[1].threat, "");
	test_sink_free(&sink);
	test_capture_close(&cap);
}

static void
test_bad_records(void **state)
{
	static const char text[] = FIELDS "192.0.2.1\tIntel::ADDR\ts\td\n"
					  "192.0.2.2\tIntel::BOGUS\ts\td\t-\n"
					  "192.0.2.3\tADDR\ts\td\t-\n"
					  "evil.example\tIntel::ADDR\ts\td\t-\n"
					  "-\tIntel::DOMAIN\ts\td\t-\n"
					  "192.0.2.0/24\tIntel::SUBNET\ts\td\t-\n";
	static const char no_fields[] = "#separator \\x09\n192.0.2.1\tIntel::ADDR\n";
	static const char no_indicator[] = "#fields\tvalue\ttype\n192.0.2.1\tIntel::ADDR\n";
	struct test_capture cap;
	struct test_sink sink;
	struct feed_stats st;

	(void)state;
	assert_int_equal(
	    test_load("b.intel", text, sizeof(text) - 1, FEED_FORMAT_AUTO, false, &sink, &st, &cap),
	    0);
	assert_string_equal(
	    test_capture_text(&cap),
	    "b.intel:2: record has 4 fields, #fields names 5\n"
	    "b.intel:4:11: indicator_type \"ADDR\" is not an Intel:: type\n"
	    "b.intel:5:1: indicator \"evil.example\" is a domain, but its type says ip\n"
	    "b.intel:6:1: indicator is empty\n"
	    "b.intel: warning: skipped 1 record iocwire does not match: Intel::BOGUS 1\n");
	assert_int_equal(sink.n, 1);
	assert_string_equal(sink.v[0].value, "192.0.2.0/24");
	test_sink_free(&sink);
	test_capture_close(&cap);

	/* Without #fields nothing can be read: one message, and the feed fails. */
	assert_int_equal(test_load("n.intel", no_fields, sizeof(no_fields) - 1,
				   FEED_FORMAT_ZEEK_INTEL, false, &sink, &st, &cap),
			 -EINVAL);
	assert_int_equal(test_count_lines(test_capture_text(&cap)), 1);
	test_capture_close(&cap);
	assert_int_equal(test_load("i.intel", no_indicator, sizeof(no_indicator) - 1,
				   FEED_FORMAT_ZEEK_INTEL, false, &sink, &st, &cap),
			 -EINVAL);
	assert_string_equal(
	    test_capture_text(&cap),
	    "i.intel:1: #fields line names no indicator and indicator_type columns\n");
	test_capture_close(&cap);
}

/* The separator directive is honoured; the Zeek default is a tab. */
static void
test_separator(void **state)
{
	static const char text[] = "#separator \\x2c\n"
				   "#fields,indicator,indicator_type\n"
				   "192.0.2.9,Intel::ADDR\n";
	struct test_capture cap;
	struct test_sink sink;
	struct feed_stats st;

	(void)state;
	assert_int_equal(test_load("s.intel", text, sizeof(text) - 1, FEED_FORMAT_ZEEK_INTEL, true,
				   &sink, &st, &cap),
			 0);
	assert_string_equal(test_capture_text(&cap), "");
	assert_int_equal(sink.n, 1);
	assert_string_equal(sink.v[0].value, "192.0.2.9");
	test_sink_free(&sink);
	test_capture_close(&cap);
}

/* Invalid UTF-8 in an indicator, a huge line, binary garbage: reported, never taken. */
static void
test_hostile_input(void **state)
{
	static const char text[] = FIELDS "www.evil.example/\xff\xfe\tIntel::URL\ts\td\t-\n"
					  "\x00\x01\x02\tIntel::ADDR\ts\td\t-\n"
					  "192.0.2.1\tIntel::ADDR\tok\t\xc3"
					  "(bad meta\t-\n";
	const size_t huge = 100000;
	char *big = malloc(sizeof(FIELDS) + huge + 64), *p = big;
	struct test_capture cap;
	struct test_sink sink;
	struct feed_stats st;

	(void)state;
	/* Binary data is not detected as anything; given the format, each line is judged. */
	assert_int_equal(feed_detect(text, sizeof(text) - 1), FEED_FORMAT_AUTO);
	assert_int_equal(test_load("u.intel", text, sizeof(text) - 1, FEED_FORMAT_ZEEK_INTEL, false,
				   &sink, &st, &cap),
			 0);
	assert_string_equal(
	    test_capture_text(&cap),
	    "u.intel:2:1: bad indicator \"http://www.evil.example/\\xff\\xfe\": not "
	    "valid UTF-8\n"
	    "u.intel:3:1: NUL byte in indicator\n");
	/* Metadata keeps what is readable. */
	assert_int_equal(sink.n, 1);
	assert_string_equal(sink.v[0].threat, "?(bad meta");
	test_sink_free(&sink);
	test_capture_close(&cap);

	p += sprintf(p, FIELDS);
	memset(p, 'a', huge);
	p += huge;
	p += sprintf(p, "\tIntel::DOMAIN\ts\td\t-\n192.0.2.2\tIntel::ADDR\ts\td\t-\n");
	assert_int_equal(
	    test_load("h.intel", big, (size_t)(p - big), FEED_FORMAT_AUTO, false, &sink, &st, &cap),
	    0);
	assert_string_equal(test_capture_text(&cap), "h.intel:2: line longer than 64 KiB\n");
	assert_int_equal(sink.n, 1);
	test_sink_free(&sink);
	test_capture_close(&cap);
	free(big);
}

static void
test_detect(void **state)
{
	static const char headerless[] = "# my intel\n192.0.2.1\tIntel::ADDR\tsrc\n";

	(void)state;
	assert_int_equal(feed_detect(FIELDS, sizeof(FIELDS) - 1), FEED_FORMAT_ZEEK_INTEL);
	assert_int_equal(feed_detect(headerless, sizeof(headerless) - 1), FEED_FORMAT_ZEEK_INTEL);
	assert_int_equal(feed_format_from_name("zeek-intel"), FEED_FORMAT_ZEEK_INTEL);
}

static void
test_million(void **state)
{
	const size_t n = TEST_MILLION;
	char *text = malloc(n * 96 + 256), *p = text;
	size_t i;

	(void)state;
	p += sprintf(p, FIELDS);
	for (i = 0; i < n; i++)
		p += i & 1 ? sprintf(p, "10.%zu.%zu.%zu\tIntel::ADDR\tsoc\tC2 server\t-\n",
				     i >> 16 & 255, i >> 8 & 255, i & 255)
			   : sprintf(p,
				     "host%zu.evil.example\tIntel::DOMAIN\tsoc\tphishing\t"
				     "https://intel.example/%zu\n",
				     i, i);
	assert_true(test_time_parse("zeek-intel", text, (size_t)(p - text), FEED_FORMAT_ZEEK_INTEL,
				    n, n) < TEST_PARSE_SECONDS_MAX);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sample),	  cmocka_unit_test(test_columns_and_meta),
	    cmocka_unit_test(test_bad_records),	  cmocka_unit_test(test_separator),
	    cmocka_unit_test(test_hostile_input), cmocka_unit_test(test_detect),
	    cmocka_unit_test(test_million),
	};

	test_chdir_data();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
