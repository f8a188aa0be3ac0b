/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_feed_plain.c - plain indicator lists, and what every format shares:
 * format names and detection, file loading, strict vs counting mode, messages.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <time.h>

#include "feed.h"
#include "test_feed_sink.h"

static void
test_sample_file(void **state)
{
	static const char *const want[] = {
	    "95.85.246.53",	  "95.85.246.53:443",	 "101.109.237.93:7443",
	    "2001:db8::1",	  "[2001:db8::53]:8443", "198.51.100.0/24",
	    "2001:db8:1000::/36", "evil-cdn.example",	 "https://malware.example/gate.php?id=1",
	};
	struct feed_options opt = {.action = IOCW_ACTION_DROP};
	struct test_capture cap;
	struct test_sink sink = {0};
	struct feed_stats st;
	size_t i;

	(void)state;
	opt.errors = test_capture_open(&cap);
	assert_int_equal(feed_load_file("data/feeds/plain.txt", &opt, test_sink_emit, &sink, &st),
			 0);
	assert_string_equal(test_capture_text(&cap), "");
	assert_int_equal(st.format, FEED_FORMAT_PLAIN);
	assert_int_equal(st.nb_lines, 13);
	assert_int_equal(st.nb_iocs, 9);
	assert_int_equal(st.nb_bad, 0);
	assert_int_equal(sink.n, 9);
	for (i = 0; i < sink.n; i++) {
		assert_string_equal(sink.v[i].value, want[i]);
		assert_string_equal(sink.v[i].feed, "plain");
		assert_string_equal(sink.v[i].malware, "");
		assert_int_equal(sink.v[i].ioc.confidence, -1);
		assert_int_equal(sink.v[i].ioc.first_seen, 0);
		assert_int_equal(sink.v[i].ioc.action, IOCW_ACTION_DROP);
	}
	assert_int_equal(sink.v[2].ioc.type, IOCW_IOC_IP_PORT);
	assert_int_equal(sink.v[4].ioc.family, IOCW_FAMILY_V6);
	assert_int_equal(sink.v[5].ioc.type, IOCW_IOC_CIDR);
	assert_int_equal(sink.v[8].ioc.type, IOCW_IOC_URL);
	test_sink_free(&sink);
	test_capture_close(&cap);
}

static void
test_comments_and_blanks(void **state)
{
	static const char text[] = "\xef\xbb\xbf# header\n"
				   "; other comment\n"
				   "\n"
				   "   \t\n"
				   "  192.0.2.1  \n"
				   "192.0.2.2 # trailing\n"
				   "192.0.2.3\t; trailing\n"
				   "http://evil.example/#frag\n"
				   "192.0.2.4";
	struct test_capture cap;
	struct test_sink sink;
	struct feed_stats st;

	(void)state;
	assert_int_equal(
	    test_load("x.txt", text, sizeof(text) - 1, FEED_FORMAT_AUTO, true, &sink, &st, &cap),
	    0);
	assert_string_equal(test_capture_text(&cap), "");
	assert_int_equal(st.nb_lines, 9);
	assert_int_equal(sink.n, 5);
	assert_string_equal(sink.v[0].value, "192.0.2.1");
	assert_string_equal(sink.v[1].value, "192.0.2.2");
	assert_string_equal(sink.v[2].value, "192.0.2.3");
	assert_string_equal(sink.v[3].value, "http://evil.example/#frag");
	assert_string_equal(sink.v[4].value, "192.0.2.4");
	assert_string_equal(sink.v[0].feed, "x");
	test_sink_free(&sink);
	test_capture_close(&cap);
}

static void
test_crlf_and_binary(void **state)
{
	struct feed_options opt = {0};
	struct test_capture cap;
	struct test_sink sink = {0};
	struct feed_stats st;

	(void)state;
	opt.errors = test_capture_open(&cap);
	opt.name = "custom";
	assert_int_equal(
	    feed_load_file("data/feeds/plain_crlf.txt", &opt, test_sink_emit, &sink, &st), 0);
	assert_int_equal(st.nb_lines, 4);
	assert_int_equal(sink.n, 2);
	assert_string_equal(sink.v[0].value, "203.0.113.7");
	assert_string_equal(sink.v[1].value, "203.0.113.8");
	assert_string_equal(sink.v[1].feed, "custom");
	assert_string_equal(test_capture_text(&cap),
			    "data/feeds/plain_crlf.txt:2: bad indicator \"bad\\xffvalue.example\": "
			    "invalid character in domain name\n");
	test_sink_free(&sink);
	test_capture_close(&cap);
}

static void
test_bad_lines_counted(void **state)
{
	struct feed_options opt = {0};
	struct test_capture cap;
	struct test_sink sink = {0};
	struct feed_stats st;

	(void)state;
	opt.errors = test_capture_open(&cap);
	assert_int_equal(
	    feed_load_file("data/feeds/plain_bad.txt", &opt, test_sink_emit, &sink, &st), 0);
	assert_int_equal(st.nb_iocs, 2);
	assert_int_equal(st.nb_bad, 6);
	assert_string_equal(
	    test_capture_text(&cap),
	    "data/feeds/plain_bad.txt:3: bad indicator \"192.0.2.256\": IPv4 octet above 255\n"
	    "data/feeds/plain_bad.txt:4: bad indicator \"192.0.2.1:0\": port 0 is not valid\n"
	    "data/feeds/plain_bad.txt:5: bad indicator \"192.0.2.1:65536\": port above 65535\n"
	    "data/feeds/plain_bad.txt:6: bad indicator \"10.0.0.1/8\": CIDR has host bits set "
	    "beyond the prefix length\n"
	    "data/feeds/plain_bad.txt:7: bad indicator \"not a domain\": indicator contains "
	    "blanks or control characters\n"
	    "data/feeds/plain_bad.txt:8: bad indicator \"evil.example:8080\": a port is only "
	    "supported on an IP address\n");
	test_sink_free(&sink);
	test_capture_close(&cap);
}

static void
test_strict(void **state)
{
	struct feed_options opt = {.strict = true};
	struct test_capture cap;
	struct test_sink sink = {0};
	struct feed_stats st;

	(void)state;
	opt.errors = test_capture_open(&cap);
	assert_int_equal(
	    feed_load_file("data/feeds/plain_bad.txt", &opt, test_sink_emit, &sink, &st), -EINVAL);
	assert_int_equal(st.nb_iocs, 1);
	assert_int_equal(st.nb_bad, 1);
	assert_int_equal(st.nb_lines, 3);
	assert_string_equal(
	    test_capture_text(&cap),
	    "data/feeds/plain_bad.txt:3: bad indicator \"192.0.2.256\": IPv4 octet above 255\n");
	test_sink_free(&sink);
	test_capture_close(&cap);
}

static void
test_sink_error_stops(void **state)
{
	static const char text[] = "192.0.2.1\n192.0.2.2\n192.0.2.3\n";
	struct feed_options opt = {0};
	struct test_sink sink = {.stop_after = 2};
	struct feed_stats st;

	(void)state;
	assert_int_equal(
	    feed_load_buffer("x", text, sizeof(text) - 1, &opt, test_sink_emit, &sink, &st),
	    -ECANCELED);
	assert_int_equal(st.nb_iocs, 2);
	/* No sink, no stats, no options: a syntax check. */
	assert_int_equal(feed_load_buffer(NULL, text, sizeof(text) - 1, NULL, NULL, NULL, NULL), 0);
	assert_int_equal(feed_load_buffer(NULL, NULL, 0, NULL, NULL, NULL, &st), 0);
	assert_int_equal(st.format, FEED_FORMAT_PLAIN);
	test_sink_free(&sink);
}

static void
test_nul_and_long_lines(void **state)
{
	const size_t big = 100000;
	char *text = malloc(big + 64), *p = text;
	struct test_capture cap;
	struct test_sink sink;
	struct feed_stats st;

	(void)state;
	p += sprintf(p, "192.0.2.1\n");
	memcpy(p, "192.0\0.2.2\n", 11);
	p += 11;
	memset(p, 'a', big);
	p += big;
	p += sprintf(p, "\n192.0.2.3");
	assert_int_equal(test_load("big.txt", text, (size_t)(p - text), FEED_FORMAT_PLAIN, false,
				   &sink, &st, &cap),
			 0);
	assert_int_equal(sink.n, 2);
	assert_int_equal(st.nb_bad, 2);
	assert_string_equal(test_capture_text(&cap),
			    "big.txt:2: NUL byte in line\n"
			    "big.txt:3: line longer than 4096 characters\n");
	test_sink_free(&sink);
	test_capture_close(&cap);
	free(text);
}

/* A broken file does not flood the log: 100 messages, then one summary line. */
static void
test_error_cap(void **state)
{
	char *text = malloc(150 * 8 + 1), *p = text;
	struct test_capture cap;
	struct test_sink sink;
	struct feed_stats st;
	size_t i;

	(void)state;
	for (i = 0; i < 150; i++)
		p += sprintf(p, "bad%03zu\n", i);
	assert_int_equal(test_load("bad.txt", text, (size_t)(p - text), FEED_FORMAT_PLAIN, false,
				   &sink, &st, &cap),
			 0);
	assert_int_equal(st.nb_bad, 150);
	assert_int_equal(test_count_lines(test_capture_text(&cap)), 101);
	assert_non_null(strstr(test_capture_text(&cap),
			       "bad.txt: 150 bad lines in all, only the first 100 shown\n"));
	test_sink_free(&sink);
	test_capture_close(&cap);
	free(text);
}

static void
test_load_file_errors(void **state)
{
	struct feed_options opt = {0};
	struct test_capture cap;
	struct feed_stats st = {.nb_iocs = 7};

	(void)state;
	opt.errors = test_capture_open(&cap);
	assert_int_equal(feed_load_file("data/feeds/missing.txt", &opt, NULL, NULL, &st), -ENOENT);
	assert_int_equal(st.nb_iocs, 0);
	assert_int_equal(feed_load_file("data/feeds", &opt, NULL, NULL, &st), -EISDIR);
	assert_string_equal(test_capture_text(&cap),
			    "data/feeds/missing.txt: cannot read feed: No such file or directory\n"
			    "data/feeds: cannot read feed: Is a directory\n");
	test_capture_close(&cap);
}

static void
test_format_names(void **state)
{
	static const char *const names[] = {"threatfox-csv", "threatfox-json", "threatfox-api",
					    "plain", "report"};
	unsigned int i;

	(void)state;
	for (i = 0; i < 5; i++) {
		assert_string_equal(feed_format_name((enum feed_format)(i + 1)), names[i]);
		assert_int_equal(feed_format_from_name(names[i]), i + 1);
	}
	assert_int_equal(feed_format_from_name("PLAIN"), FEED_FORMAT_PLAIN);
	assert_int_equal(feed_format_from_name("csv"), FEED_FORMAT_AUTO);
	assert_int_equal(feed_format_from_name("auto"), FEED_FORMAT_AUTO);
	assert_int_equal(feed_format_from_name(NULL), FEED_FORMAT_AUTO);
	assert_string_equal(feed_format_name(FEED_FORMAT_AUTO), "auto");
	assert_string_equal(feed_format_name(FEED_FORMAT_COUNT), "unknown");
	assert_string_equal(feed_format_name((enum feed_format) - 1), "unknown");
}

static void
test_detect(void **state)
{
#define DETECT(s) feed_detect(s, sizeof(s) - 1)
	(void)state;
	assert_int_equal(DETECT("192.0.2.1\n# comment\n"), FEED_FORMAT_PLAIN);
	assert_int_equal(DETECT("# just comments\n"), FEED_FORMAT_PLAIN);
	assert_int_equal(DETECT(""), FEED_FORMAT_PLAIN);
	assert_int_equal(DETECT("# \"first_seen_utc\",\"ioc_id\",\"ioc_value\"\n"),
			 FEED_FORMAT_THREATFOX_CSV);
	assert_int_equal(DETECT("##########\n# ThreatFox IOCs: CSV export #\n"),
			 FEED_FORMAT_THREATFOX_CSV);
	assert_int_equal(DETECT("\"2024-05-01 10:11:12\", \"1\", \"192.0.2.1:443\"\n"),
			 FEED_FORMAT_THREATFOX_CSV);
	assert_int_equal(DETECT("\"2024-05-01 10:11:12\",\"1\",\"192.0.2.1:443\"\n"),
			 FEED_FORMAT_THREATFOX_CSV);
	assert_int_equal(DETECT("\xef\xbb\xbf \n{\"1\": [{\"ioc_value\": \"x\"}]}"),
			 FEED_FORMAT_THREATFOX_JSON);
	assert_int_equal(DETECT("{\"query_status\": \"ok\", \"data\": []}"),
			 FEED_FORMAT_THREATFOX_API);
	assert_int_equal(DETECT("# Report\n\n| Type | Value |\n|---|---|\n"), FEED_FORMAT_REPORT);
	assert_int_equal(DETECT("[1, 2]"), FEED_FORMAT_AUTO);
	assert_int_equal(DETECT("\x7f"
				"ELF\x02\x01\x01\0\0\0"),
			 FEED_FORMAT_AUTO);
#undef DETECT
}

static void
test_undetectable(void **state)
{
	static const char bin[] = "\x00\x01\x02garbage";
	struct test_capture cap;
	struct test_sink sink;
	struct feed_stats st;

	(void)state;
	assert_int_equal(
	    test_load("blob.bin", bin, sizeof(bin) - 1, FEED_FORMAT_AUTO, false, &sink, &st, &cap),
	    -EINVAL);
	assert_int_equal(st.format, FEED_FORMAT_AUTO);
	assert_non_null(strstr(test_capture_text(&cap), "blob.bin: cannot tell the feed format"));
	test_capture_close(&cap);
	/* A format given explicitly is used even on binary content. */
	assert_int_equal(
	    test_load("blob.bin", bin, sizeof(bin) - 1, FEED_FORMAT_PLAIN, false, &sink, &st, &cap),
	    0);
	assert_int_equal(st.nb_bad, 1);
	assert_string_equal(test_capture_text(&cap), "blob.bin:1: NUL byte in line\n");
	test_capture_close(&cap);
}

static double
elapsed(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static int
count_emit(void *ctx, const struct ioc *ioc)
{
	(void)ioc;
	(*(size_t *)ctx)++;
	return 0;
}

/* A million lines of mixed indicators, parsed in linear time. */
static void
test_million_lines(void **state)
{
	const size_t n = 1000000;
	char *text = malloc(n * 48), *p = text;
	struct feed_options opt = {.format = FEED_FORMAT_PLAIN};
	struct feed_stats st;
	struct timespec t0;
	size_t i, count = 0;
	double s;

	(void)state;
	for (i = 0; i < n; i++) {
		switch (i % 4) {
		case 0:
			p += sprintf(p, "10.%zu.%zu.%zu\n", i >> 16 & 255, i >> 8 & 255, i & 255);
			break;
		case 1:
			p += sprintf(p, "10.%zu.%zu.%zu:%zu\n", i >> 16 & 255, i >> 8 & 255,
				     i & 255, i % 65535 + 1);
			break;
		case 2:
			p += sprintf(p, "host%zu[.]evil[.]example\n", i);
			break;
		default:
			p += sprintf(p, "2001:db8::%zx\n", i & 0xffff);
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(
	    feed_load_buffer("big", text, (size_t)(p - text), &opt, count_emit, &count, &st), 0);
	s = elapsed(&t0);
	assert_int_equal(count, n);
	assert_int_equal(st.nb_iocs, n);
	print_message("1M plain lines (%zu bytes) parsed in %.3f s\n", (size_t)(p - text), s);
	assert_true(s < TEST_PARSE_SECONDS_MAX);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sample_file),
	    cmocka_unit_test(test_comments_and_blanks),
	    cmocka_unit_test(test_crlf_and_binary),
	    cmocka_unit_test(test_bad_lines_counted),
	    cmocka_unit_test(test_strict),
	    cmocka_unit_test(test_sink_error_stops),
	    cmocka_unit_test(test_nul_and_long_lines),
	    cmocka_unit_test(test_error_cap),
	    cmocka_unit_test(test_load_file_errors),
	    cmocka_unit_test(test_format_names),
	    cmocka_unit_test(test_detect),
	    cmocka_unit_test(test_undetectable),
	    cmocka_unit_test(test_million_lines),
	};

	test_chdir_data();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
