/* SPDX-License-Identifier: BSD-3-Clause */
/* test_feed_iprep.c - Suricata IP reputation files and their categories file. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "feed.h"
#include "test_feed_sink.h"

static void
test_sample(void **state)
{
	struct feed_options opt = {.categories = "data/feeds/iprep_categories.txt"};
	struct test_capture cap;
	struct test_sink sink;
	struct feed_stats st;

	(void)state;
	assert_int_equal(test_load_file("data/feeds/iprep.list", &opt, &sink, &st, &cap), 0);
	assert_string_equal(
	    test_capture_text(&cap),
	    "data/feeds/iprep.list:5:13: skipped: score 0 means no reputation data\n");
	assert_int_equal(st.format, FEED_FORMAT_SURICATA_IPREP);
	assert_int_equal(st.nb_lines, 6);
	assert_int_equal(st.nb_iocs, 4);
	assert_int_equal(st.nb_skipped, 1);
	assert_string_equal(sink.v[0].value, "198.51.100.7");
	assert_string_equal(sink.v[0].threat, "BadHosts");
	assert_int_equal(sink.v[0].ioc.confidence, 80); /* 101 of 127 */
	assert_string_equal(sink.v[1].value, "203.0.113.0/24");
	assert_int_equal(sink.v[1].ioc.type, IOCW_IOC_CIDR);
	assert_string_equal(sink.v[1].threat, "CnC");
	assert_int_equal(sink.v[1].ioc.confidence, 100);
	assert_string_equal(sink.v[2].value, "2001:db8:bad::/48");
	assert_int_equal(sink.v[2].ioc.confidence, 50);
	assert_int_equal(sink.v[3].ioc.confidence, 1);
	test_sink_free(&sink);
	test_capture_close(&cap);
}

static void
test_no_categories(void **state)
{
	static const char text[] = "192.0.2.1,7,127\n";
	struct test_capture cap;
	struct test_sink sink;
	struct feed_stats st;

	(void)state;
	assert_int_equal(
	    test_load("r.list", text, sizeof(text) - 1, FEED_FORMAT_AUTO, true, &sink, &st, &cap),
	    0);
	assert_string_equal(test_capture_text(&cap),
			    "r.list: warning: no categories file (feed option categories:); the "
			    "threat is the category number\n");
	assert_string_equal(sink.v[0].threat, "category 7");
	test_sink_free(&sink);
	test_capture_close(&cap);
}

static void
test_bad_records(void **state)
{
	static const char text[] = "192.0.2.1,1\n"
				   "192.0.2.2,9,10\n"
				   "192.0.2.3,x,10\n"
				   "192.0.2.4,1,128\n"
				   "192.0.2.5,1,-1\n"
				   "evil.example,1,10\n"
				   "\"192.0.2.6\",\"1\",\"10\"\n"
				   "\"192.0.2.7,1,10\n";
	struct feed_options opt = {.format = FEED_FORMAT_AUTO,
				   .categories = "data/feeds/iprep_categories.txt"};
	struct test_capture cap;
	struct test_sink sink = {0};
	struct feed_stats st;

	(void)state;
	opt.errors = test_capture_open(&cap);
	assert_int_equal(
	    feed_load_buffer("b.list", text, sizeof(text) - 1, &opt, test_sink_emit, &sink, &st),
	    0);
	assert_string_equal(
	    test_capture_text(&cap),
	    "b.list:1: record has 2 fields, expected 3 (ip,category,score)\n"
	    "b.list:2:11: category \"9\" is not in the categories file\n"
	    "b.list:3:11: category \"x\" is not a number (0-255)\n"
	    "b.list:4:13: score \"128\" is not 0-127\n"
	    "b.list:5:13: score \"-1\" is not 0-127\n"
	    "b.list:6:1: indicator \"evil.example\" is a domain, but its type says ip\n"
	    "b.list:8:1: unterminated quoted field\n");
	assert_int_equal(sink.n, 1);
	assert_string_equal(sink.v[0].value, "192.0.2.6");
	test_sink_free(&sink);
	test_capture_close(&cap);
}

static void
test_categories_errors(void **state)
{
	static const char text[] = "192.0.2.1,1,10\n";
	struct feed_options opt = {.format = FEED_FORMAT_SURICATA_IPREP,
				   .categories = "data/feeds/missing-categories.txt"};
	struct test_capture cap;
	struct test_sink sink = {0};
	struct feed_stats st;

	(void)state;
	opt.errors = test_capture_open(&cap);
	assert_int_equal(
	    feed_load_buffer("r.list", text, sizeof(text) - 1, &opt, test_sink_emit, &sink, &st),
	    -ENOENT);
	assert_string_equal(test_capture_text(&cap),
			    "r.list: cannot read the categories file "
			    "data/feeds/missing-categories.txt: No such file or directory\n");
	test_capture_close(&cap);
	/* Messages about the categories file name it. */
	opt.categories = "data/feeds/iprep.list";
	opt.errors = test_capture_open(&cap);
	assert_int_equal(
	    feed_load_buffer("r.list", text, sizeof(text) - 1, &opt, test_sink_emit, &sink, &st),
	    0);
	assert_string_equal(
	    test_capture_text(&cap),
	    "data/feeds/iprep.list:2:1: category id \"198.51.100.7\" is not 0-255\n"
	    "data/feeds/iprep.list:3:1: category id \"203.0.113.0/24\" is not 0-255\n"
	    "data/feeds/iprep.list:4:1: category id \"2001:db8:bad::/48\" is not "
	    "0-255\n"
	    "data/feeds/iprep.list:5:1: category id \"192.0.2.1\" is not 0-255\n"
	    "data/feeds/iprep.list:6:1: category id \"198.51.100.8\" is not 0-255\n"
	    "r.list:1:11: category \"1\" is not in the categories file\n");
	test_sink_free(&sink);
	test_capture_close(&cap);
}

static void
test_detect(void **state)
{
	static const char v6[] = "# reputation\n2001:db8::/32,3,90\n";
	static const char not_iprep[] = "192.0.2.1,BadHosts,90\n";

	(void)state;
	assert_int_equal(feed_detect(v6, sizeof(v6) - 1), FEED_FORMAT_SURICATA_IPREP);
	assert_int_equal(feed_detect(not_iprep, sizeof(not_iprep) - 1), FEED_FORMAT_PLAIN);
}

static void
test_million(void **state)
{
	const size_t n = TEST_MILLION;
	char *text = malloc(n * 32 + 256), *p = text;
	size_t i;

	(void)state;
	for (i = 0; i < n; i++)
		p += sprintf(p, "10.%zu.%zu.%zu,%zu,%zu\n", i >> 16 & 255, i >> 8 & 255, i & 255,
			     1 + i % 3, 1 + i % 127);
	assert_true(test_time_parse("suricata-iprep", text, (size_t)(p - text),
				    FEED_FORMAT_SURICATA_IPREP, n, n) < TEST_PARSE_SECONDS_MAX);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sample),	cmocka_unit_test(test_no_categories),
	    cmocka_unit_test(test_bad_records), cmocka_unit_test(test_categories_errors),
	    cmocka_unit_test(test_detect),	cmocka_unit_test(test_million),
	};

	test_chdir_data();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
