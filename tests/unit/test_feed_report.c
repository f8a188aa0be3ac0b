/* SPDX-License-Identifier: BSD-3-Clause */
/* test_feed_report.c - markdown threat reports, and the shipped seed feed. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "feed.h"
#include "test_feed_sink.h"

#define SEED_MD "../conf/feeds/threatfox-netsupport.md"
#define SEED_CSV "../conf/feeds/threatfox-netsupport.csv"
#define NETSUPPORT_REF "https://threatfox.abuse.ch/browse/malware/win.netsupportmanager_rat/"

static int
load_file(const char *path, bool strict, struct test_sink *sink, struct feed_stats *st,
	  struct test_capture *cap)
{
	struct feed_options opt = {.strict = strict};

	opt.errors = test_capture_open(cap);
	memset(sink, 0, sizeof(*sink));
	return feed_load_file(path, &opt, test_sink_emit, sink, st);
}

static void
check_seed(const struct test_sink *sink)
{
	const struct test_ioc *v = sink->v;

	assert_int_equal(sink->n, 2);
	assert_string_equal(v[0].value, "95.85.246.53:443");
	assert_string_equal(v[1].value, "101.109.237.93:7443");
	assert_int_equal(v[0].ioc.type, IOCW_IOC_IP_PORT);
	assert_int_equal(v[0].ioc.family, IOCW_FAMILY_V4);
	assert_int_equal(v[0].ioc.port, 443);
	assert_int_equal(v[1].ioc.port, 7443);
	assert_int_equal(v[0].ioc.confidence, 100);
	assert_int_equal(v[1].ioc.confidence, 75);
	assert_int_equal(v[0].ioc.first_seen, 1714044737);
	assert_int_equal(v[1].ioc.first_seen, 1714119243);
	for (size_t i = 0; i < 2; i++) {
		assert_string_equal(v[i].feed, "threatfox-netsupport");
		assert_string_equal(v[i].malware, "NetSupportManager RAT");
		assert_string_equal(v[i].threat, "botnet_cc");
		assert_string_equal(v[i].reference, NETSUPPORT_REF);
		assert_string_equal(v[i].tags, "NetSupport,RAT");
		assert_int_equal(v[i].ioc.last_seen, 0);
	}
}

/* The shipped seed feed, in both of its forms, says the same thing. */
static void
test_seed_feed(void **state)
{
	struct test_capture cap;
	struct test_sink sink;
	struct feed_stats st;

	(void)state;
	assert_int_equal(load_file(SEED_MD, true, &sink, &st, &cap), 0);
	assert_string_equal(test_capture_text(&cap), "");
	assert_int_equal(st.format, FEED_FORMAT_REPORT);
	assert_int_equal(st.nb_bad, 0);
	assert_int_equal(st.nb_skipped, 0);
	check_seed(&sink);
	test_sink_free(&sink);
	test_capture_close(&cap);

	assert_int_equal(load_file(SEED_CSV, true, &sink, &st, &cap), 0);
	assert_string_equal(test_capture_text(&cap), "");
	assert_int_equal(st.format, FEED_FORMAT_THREATFOX_CSV);
	check_seed(&sink);
	test_sink_free(&sink);
	test_capture_close(&cap);
}

static void
test_sample_report(void **state)
{
	struct test_capture cap;
	struct test_sink sink;
	struct feed_stats st;
	const struct test_ioc *v;
	size_t i;

	(void)state;
	assert_int_equal(load_file("data/feeds/report.md", true, &sink, &st, &cap), 0);
	assert_string_equal(test_capture_text(&cap), "");
	assert_int_equal(st.format, FEED_FORMAT_REPORT);
	assert_int_equal(st.nb_lines, 21);
	assert_int_equal(st.nb_iocs, 4);
	assert_int_equal(st.nb_skipped, 1);
	v = sink.v;
	assert_string_equal(v[0].value, "198.51.100.23:443");
	assert_int_equal(v[0].ioc.confidence, 100);
	assert_int_equal(v[0].ioc.first_seen, 1714384800);
	assert_string_equal(v[1].value, "cdn-update.example");
	assert_int_equal(v[1].ioc.type, IOCW_IOC_DOMAIN);
	assert_int_equal(v[1].ioc.confidence, 75);
	assert_int_equal(v[1].ioc.first_seen, 1714348800);
	assert_string_equal(v[2].value, "https://cdn-update.example/jquery-3.3.1.min.js");
	assert_string_equal(v[2].threat, "payload_delivery");
	assert_int_equal(v[2].ioc.first_seen, 1714478400);
	assert_string_equal(v[3].value, "[2001:db8::beef]:8443");
	assert_int_equal(v[3].ioc.first_seen, 1714550400);
	for (i = 0; i < sink.n; i++) {
		assert_string_equal(v[i].malware, "Cobalt Strike");
		/* No Reference: line, so the Source link is the reference. */
		assert_string_equal(v[i].reference,
				    "https://threatfox.abuse.ch/browse/malware/win.cobalt_strike/");
		assert_string_equal(v[i].tags, "CobaltStrike,BEACON");
		assert_string_equal(v[i].feed, "report");
	}
	test_sink_free(&sink);
	test_capture_close(&cap);
}

static void
test_bad_rows(void **state)
{
	struct test_capture cap;
	struct test_sink sink;
	struct feed_stats st;

	(void)state;
	assert_int_equal(load_file("data/feeds/report_bad.md", false, &sink, &st, &cap), 0);
	assert_int_equal(st.nb_iocs, 2);
	assert_int_equal(st.nb_bad, 5);
	assert_string_equal(
	    test_capture_text(&cap),
	    "data/feeds/report_bad.md:6:13: bad indicator \"192.0.2.10:0\": port 0 is not valid\n"
	    "data/feeds/report_bad.md:7:30: confidence \"very high\" is not a confidence "
	    "(0-100)\n"
	    "data/feeds/report_bad.md:8:37: first seen \"yesterday\" is not a UTC date "
	    "(YYYY-MM-DD HH:MM:SS)\n"
	    "data/feeds/report_bad.md:9:3: unsupported indicator type \"email\"\n"
	    "data/feeds/report_bad.md:10: table row too short: 1 cells, Type and Value need 2\n");
	assert_string_equal(sink.v[1].value, "good.example");
	assert_string_equal(sink.v[1].malware, "Test Family");
	assert_int_equal(sink.v[1].ioc.confidence, 80);
	test_sink_free(&sink);
	test_capture_close(&cap);

	assert_int_equal(load_file("data/feeds/report_bad.md", true, &sink, &st, &cap), -EINVAL);
	assert_int_equal(st.nb_iocs, 1);
	assert_int_equal(test_count_lines(test_capture_text(&cap)), 1);
	test_sink_free(&sink);
	test_capture_close(&cap);
}

static void
test_table_shapes(void **state)
{
	static const char text[] =
	    "Some prose. Malware Family: not a label line\n"
	    "* Malware Family: Plain Family\n"
	    "> Reference: <https://example.org/r>\n"
	    "Tags: a , b\n"
	    "\n"
	    "| Indicator | Notes |\n"
	    "|---|---|\n"
	    "| 192.0.2.99 | a table without a type column is not an IOC table |\n"
	    "\n"
	    "  |**VALUE**|extra|**ioc type**|confidence level|\n"
	    "  |:--|--|--:|--|\n"
	    "  |192[.]0[.]2[.]1|x \\| y|IPv4| 60 % |\n"
	    "  |`evil[.]example`||hostname||\n"
	    "  |198.51.100.0/24||ip||\n"
	    "  |192.0.2.5|||\n"
	    "not a table line\n"
	    "| 192.0.2.6 | ip |\n";
	struct test_capture cap;
	struct test_sink sink;
	struct feed_stats st;

	(void)state;
	assert_int_equal(test_load("shapes.md", text, sizeof(text) - 1, FEED_FORMAT_AUTO, false,
				   &sink, &st, &cap),
			 0);
	assert_int_equal(st.format, FEED_FORMAT_REPORT);
	assert_int_equal(sink.n, 4);
	assert_string_equal(sink.v[0].value, "192.0.2.1");
	assert_int_equal(sink.v[0].ioc.confidence, 60);
	assert_string_equal(sink.v[0].malware, "Plain Family");
	assert_string_equal(sink.v[0].reference, "https://example.org/r");
	assert_string_equal(sink.v[0].tags, "a,b");
	assert_string_equal(sink.v[1].value, "evil.example");
	assert_int_equal(sink.v[1].ioc.confidence, -1);
	assert_string_equal(sink.v[2].value, "198.51.100.0/24");
	/* An empty type cell: the value says what it is. */
	assert_string_equal(sink.v[3].value, "192.0.2.5");
	assert_string_equal(test_capture_text(&cap), "");
	test_sink_free(&sink);
	test_capture_close(&cap);
}

static void
test_long_row(void **state)
{
	const size_t big = 70000;
	char *text = malloc(big + 256), *p = text;
	struct test_capture cap;
	struct test_sink sink;
	struct feed_stats st;

	(void)state;
	p += sprintf(p, "| Type | Value |\n|---|---|\n| domain | ");
	memset(p, 'a', big);
	p += big;
	p += sprintf(p, " |\n| domain | ok.example |\n");
	assert_int_equal(test_load("long.md", text, (size_t)(p - text), FEED_FORMAT_AUTO, false,
				   &sink, &st, &cap),
			 0);
	assert_int_equal(sink.n, 1);
	assert_string_equal(test_capture_text(&cap), "long.md:3: table row longer than 64 KiB\n");
	test_sink_free(&sink);
	test_capture_close(&cap);
	free(text);
}

static void
test_no_table(void **state)
{
	static const char text[] = "# Report\n\n**Malware Family:** X\n\nNo indicators yet.\n";
	struct test_capture cap;
	struct test_sink sink;
	struct feed_stats st;

	(void)state;
	assert_int_equal(test_load("empty.md", text, sizeof(text) - 1, FEED_FORMAT_REPORT, true,
				   &sink, &st, &cap),
			 0);
	assert_int_equal(st.nb_iocs, 0);
	assert_int_equal(st.nb_lines, 5);
	assert_string_equal(test_capture_text(&cap), "");
	test_capture_close(&cap);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_seed_feed), cmocka_unit_test(test_sample_report),
	    cmocka_unit_test(test_bad_rows),  cmocka_unit_test(test_table_shapes),
	    cmocka_unit_test(test_long_row),  cmocka_unit_test(test_no_table),
	};

	test_chdir_data();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
