/* SPDX-License-Identifier: BSD-3-Clause */
/* test_feed_feodo.c - Feodo Tracker ipblocklist.csv and ipblocklist.txt. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "feed.h"
#include "test_feed_sink.h"

#define BANNER                                                                                     \
	"################################################################\n"                       \
	"# abuse.ch Feodo Tracker Botnet C2 IP Blocklist (CSV)          #\n"                       \
	"################################################################\n"
#define HEADER                                                                                     \
	"# \"first_seen_utc\",\"dst_ip\",\"dst_port\",\"c2_status\",\"last_online\",\"malware\"\n"

static void
test_csv_sample(void **state)
{
	struct feed_options opt = {0};
	struct test_capture cap;
	struct test_sink sink;
	struct feed_stats st;
	const struct test_ioc *v;

	(void)state;
	assert_int_equal(test_load_file("data/feeds/feodo_ipblocklist.csv", &opt, &sink, &st, &cap),
			 0);
	assert_string_equal(test_capture_text(&cap), "");
	assert_int_equal(st.format, FEED_FORMAT_FEODO_CSV);
	assert_int_equal(st.nb_lines, 15);
	assert_int_equal(st.nb_iocs, 5);
	assert_int_equal(st.nb_bad, 0);
	v = &sink.v[0];
	assert_string_equal(v->value, "51.178.161.32:4643");
	assert_int_equal(v->ioc.type, IOCW_IOC_IP_PORT);
	assert_int_equal(v->ioc.port, 4643);
	assert_string_equal(v->feed, "feodo_ipblocklist");
	assert_string_equal(v->malware, "Pikabot");
	assert_string_equal(v->threat, "botnet_cc");
	assert_string_equal(v->tags, "online");
	assert_string_equal(v->reference,
			    "https://feodotracker.abuse.ch/browse/host/51.178.161.32/");
	assert_int_equal(v->ioc.first_seen, 1610869486); /* 2021-01-17 07:44:46 UTC */
	assert_int_equal(v->ioc.last_seen, 1714608000);	 /* 2024-05-02 */
	assert_int_equal(v->ioc.confidence, -1);
	assert_string_equal(sink.v[2].tags, "offline");
	assert_string_equal(sink.v[3].value, "[2001:db8:c2::15]:8443");
	assert_int_equal(sink.v[3].ioc.family, IOCW_FAMILY_V6);
	assert_string_equal(sink.v[3].reference,
			    "https://feodotracker.abuse.ch/browse/host/2001:db8:c2::15/");
	/* An empty last_online is unknown, not an error. */
	assert_int_equal(sink.v[4].ioc.last_seen, 0);
	assert_string_equal(sink.v[4].malware, "BumbleBee");
	test_sink_free(&sink);
	test_capture_close(&cap);
}

static void
test_txt_sample(void **state)
{
	struct feed_options opt = {0};
	struct test_capture cap;
	struct test_sink sink;
	struct feed_stats st;

	(void)state;
	assert_int_equal(test_load_file("data/feeds/feodo_ipblocklist.txt", &opt, &sink, &st, &cap),
			 0);
	assert_string_equal(test_capture_text(&cap), "");
	assert_int_equal(st.format, FEED_FORMAT_FEODO_TXT);
	assert_int_equal(st.nb_iocs, 3);
	assert_string_equal(sink.v[0].value, "51.178.161.32");
	assert_int_equal(sink.v[0].ioc.type, IOCW_IOC_IP);
	assert_string_equal(sink.v[0].threat, "botnet_cc");
	assert_string_equal(sink.v[2].reference,
			    "https://feodotracker.abuse.ch/browse/host/198.51.100.23/");
	test_sink_free(&sink);
	test_capture_close(&cap);
}

/* The header may be a data line, not a comment, and put the columns in any order. */
static void
test_csv_header_order(void **state)
{
	static const char text[] = "dst_port,dst_ip,malware,first_seen_utc\n"
				   "443,192.0.2.10,TrickBot,2024-01-02 03:04:05\n"
				   "\"8080\" , \"192.0.2.11\" ,\"Trick, Bot\",\"\"\n";
	struct test_capture cap;
	struct test_sink sink;
	struct feed_stats st;

	(void)state;
	assert_int_equal(
	    test_load("f.csv", text, sizeof(text) - 1, FEED_FORMAT_AUTO, true, &sink, &st, &cap),
	    0);
	assert_string_equal(test_capture_text(&cap), "");
	assert_int_equal(st.format, FEED_FORMAT_FEODO_CSV);
	assert_int_equal(sink.n, 2);
	assert_string_equal(sink.v[0].value, "192.0.2.10:443");
	assert_string_equal(sink.v[0].malware, "TrickBot");
	assert_int_equal(sink.v[0].ioc.first_seen, 1704164645);
	assert_string_equal(sink.v[1].value, "192.0.2.11:8080");
	assert_string_equal(sink.v[1].malware, "Trick, Bot");
	test_sink_free(&sink);
	test_capture_close(&cap);
}

/* Bad records are reported with their position and the rest is kept; the trailer catches a
 * truncated download. */
static void
test_csv_bad_records(void **state)
{
	static const char text[] = BANNER HEADER
	    "\"2024-01-01 00:00:00\",\"192.0.2.1\",\"70000\",\"online\",\"2024-05-01\",\"X\"\n"
	    "\"2024-01-01 00:00:00\",\"192.0.2.2\",\"443\",\"online\",\"yesterday\",\"X\"\n"
	    "\"2024-01-01 00:00:00\",\"192.0.2.3\",\"443\",\"online\"\n"
	    "\"2024-01-01 00:00:00\",\"evil.example\",\"443\",\"online\",\"2024-05-01\",\"X\"\n"
	    "\"2024-01-01 00:00:00\",\"192.0.2.5\",\"443\",\"online\",\"2024-05-01\",\"X\"x\n"
	    "\"2024-01-01 00:00:00\",\"192.0.2.6\",\"443\",\"online\",\"2024-05-01\",\"multi\n"
	    "line \"\"family\"\"\"\n"
	    "\"2024-01-01 "
	    "00:00:00\",\"192.0.2.7\",\"443\",\"online\",\"2024-05-01\",\"unterminated\n"
	    "# Number of entries: 9\n";
	struct test_capture cap;
	struct test_sink sink;
	struct feed_stats st;

	(void)state;
	assert_int_equal(
	    test_load("b.csv", text, sizeof(text) - 1, FEED_FORMAT_AUTO, false, &sink, &st, &cap),
	    0);
	assert_string_equal(
	    test_capture_text(&cap),
	    "b.csv:5:35: dst_port \"70000\" is not a port (1-65535)\n"
	    "b.csv:6:50: last_online \"yesterday\" is not a UTC date (YYYY-MM-DD HH:MM:SS)\n"
	    "b.csv:7: record has 4 fields, expected 6\n"
	    "b.csv:8:23: bad indicator \"evil.example:443\": a port is only supported on an IP "
	    "address\n"
	    "b.csv:9:66: unexpected character after a quoted field\n"
	    "b.csv:12:63: unterminated quoted field\n"
	    "b.csv:13: warning: trailer says 9 entries, the file has 7\n");
	assert_int_equal(st.nb_bad, 6);
	assert_int_equal(sink.n, 1);
	assert_string_equal(sink.v[0].value, "192.0.2.6:443");
	assert_string_equal(sink.v[0].malware, "multi\nline \"family\"");
	test_sink_free(&sink);
	test_capture_close(&cap);
}

static void
test_txt_bad_and_trailer(void **state)
{
	static const char text[] = "# abuse.ch Feodo Tracker Botnet C2 IP Blocklist\n"
				   "192.0.2.1\n"
				   "  192.0.2.2\t\n"
				   "192.0.2.0/24\n"
				   "not-an-ip\n"
				   "# END 5 entries\n";
	struct test_capture cap;
	struct test_sink sink;
	struct feed_stats st;

	(void)state;
	assert_int_equal(
	    test_load("t.txt", text, sizeof(text) - 1, FEED_FORMAT_AUTO, false, &sink, &st, &cap),
	    0);
	assert_int_equal(st.format, FEED_FORMAT_FEODO_TXT);
	assert_string_equal(
	    test_capture_text(&cap),
	    "t.txt:5:1: bad indicator \"not-an-ip\": domain name needs at least two labels\n"
	    "t.txt:6: warning: trailer says 5 entries, the file has 4\n");
	/* A prefix is a set of addresses: accepted where an ip is expected. */
	assert_int_equal(sink.n, 3);
	assert_string_equal(sink.v[1].value, "192.0.2.2");
	assert_int_equal(sink.v[2].ioc.type, IOCW_IOC_CIDR);
	test_sink_free(&sink);
	test_capture_close(&cap);
}

/* Without the banner, a plain list of addresses stays a plain list. */
static void
test_detect(void **state)
{
	static const char csv[] = BANNER "\"2024-01-01 00:00:00\",\"192.0.2.1\",\"443\"\n";
	static const char txt[] = BANNER "192.0.2.1\n";
	static const char plain[] = "# my list\n192.0.2.1\n";

	(void)state;
	assert_int_equal(feed_detect(csv, sizeof(csv) - 1), FEED_FORMAT_FEODO_CSV);
	assert_int_equal(feed_detect(txt, sizeof(txt) - 1), FEED_FORMAT_FEODO_TXT);
	assert_int_equal(feed_detect(BANNER, sizeof(BANNER) - 1), FEED_FORMAT_FEODO_TXT);
	assert_int_equal(feed_detect(plain, sizeof(plain) - 1), FEED_FORMAT_PLAIN);
	assert_int_equal(feed_format_from_name("feodo-csv"), FEED_FORMAT_FEODO_CSV);
	assert_string_equal(feed_format_name(FEED_FORMAT_FEODO_TXT), "feodo-txt");
}

static void
test_million(void **state)
{
	const size_t n = TEST_MILLION;
	char *text = malloc(n * 96 + 256), *p = text;
	size_t i;

	(void)state;
	p += sprintf(p, BANNER HEADER);
	for (i = 0; i < n; i++)
		p += sprintf(p,
			     "\"2024-05-01 10:11:12\",\"10.%zu.%zu.%zu\",\"443\",\"online\","
			     "\"2024-05-02\",\"Emotet\"\n",
			     i >> 16 & 255, i >> 8 & 255, i & 255);
	assert_true(test_time_parse("feodo-csv", text, (size_t)(p - text), FEED_FORMAT_FEODO_CSV, n,
				    n) < TEST_PARSE_SECONDS_MAX);
	p = text + sprintf(text, BANNER);
	for (i = 0; i < n; i++)
		p += sprintf(p, "10.%zu.%zu.%zu\n", i >> 16 & 255, i >> 8 & 255, i & 255);
	assert_true(test_time_parse("feodo-txt", text, (size_t)(p - text), FEED_FORMAT_FEODO_TXT, n,
				    n) < TEST_PARSE_SECONDS_MAX);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_csv_sample),
	    cmocka_unit_test(test_txt_sample),
	    cmocka_unit_test(test_csv_header_order),
	    cmocka_unit_test(test_csv_bad_records),
	    cmocka_unit_test(test_txt_bad_and_trailer),
	    cmocka_unit_test(test_detect),
	    cmocka_unit_test(test_million),
	};

	test_chdir_data();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
