/* SPDX-License-Identifier: BSD-3-Clause */
/* test_feed_threatfox.c - ThreatFox CSV export, JSON export and API response. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <time.h>

#include "feed.h"
#include "test_feed_sink.h"

#define HDR15                                                                                      \
	"# \"first_seen_utc\",\"ioc_id\",\"ioc_value\",\"ioc_type\",\"threat_type\","              \
	"\"fk_malware\",\"malware_alias\",\"malware_printable\",\"last_seen_utc\","                \
	"\"confidence_level\",\"is_compromised\",\"reference\",\"tags\",\"anonymous\","            \
	"\"reporter\"\n"

/* One 15-field row with the given value, type, confidence, first seen and tags. */
#define ROW(value, type, conf, first, tags)                                                        \
	"\"" first "\", \"42\", \"" value "\", \"" type "\", \"botnet_cc\", \"win.x\", \"None\", " \
	"\"X RAT\", \"\", \"" conf "\", \"0\", \"None\", \"" tags "\", \"0\", \"abuse_ch\"\n"

static int
load_file(const char *path, enum feed_format format, bool strict, struct test_sink *sink,
	  struct feed_stats *st, struct test_capture *cap)
{
	struct feed_options opt = {.format = format, .strict = strict};

	opt.errors = test_capture_open(cap);
	memset(sink, 0, sizeof(*sink));
	return feed_load_file(path, &opt, test_sink_emit, sink, st);
}

static void
test_csv_sample(void **state)
{
	struct test_capture cap;
	struct test_sink sink;
	struct feed_stats st;
	const struct test_ioc *v;

	(void)state;
	assert_int_equal(
	    load_file("data/feeds/threatfox.csv", FEED_FORMAT_AUTO, true, &sink, &st, &cap), 0);
	assert_string_equal(test_capture_text(&cap), "");
	assert_int_equal(st.format, FEED_FORMAT_THREATFOX_CSV);
	assert_int_equal(st.nb_lines, 15);
	assert_int_equal(st.nb_iocs, 4);
	assert_int_equal(st.nb_skipped, 1);
	assert_int_equal(st.nb_bad, 0);
	v = &sink.v[0];
	assert_string_equal(v->value, "95.85.246.53:443");
	assert_string_equal(v->feed, "threatfox");
	assert_string_equal(v->malware, "NetSupportManager RAT");
	assert_string_equal(v->threat, "botnet_cc");
	assert_string_equal(v->tags, "NetSupport,RAT");
	assert_string_equal(v->reference, "https://threatfox.abuse.ch/ioc/1270001/");
	assert_int_equal(v->ioc.confidence, 100);
	assert_int_equal(v->ioc.first_seen, 1714558272);
	assert_int_equal(v->ioc.last_seen, 0);
	assert_int_equal(v->ioc.type, IOCW_IOC_IP_PORT);
	v = &sink.v[1];
	assert_string_equal(v->value, "[2001:db8::53]:8443");
	assert_string_equal(v->malware, "Cobalt Strike");
	assert_string_equal(v->reference, "https://example.org/blog/cs, part 2");
	assert_int_equal(v->ioc.confidence, 75);
	assert_int_equal(v->ioc.last_seen, 1714600800);
	v = &sink.v[2];
	assert_string_equal(v->value, "evil-cdn.example");
	assert_string_equal(v->tags, "stealer,\"quoted\"");
	assert_string_equal(v->reference, "https://threatfox.abuse.ch/ioc/1270003/");
	v = &sink.v[3];
	assert_string_equal(v->value, "http://malware.example/gate.php?id=1,2");
	assert_string_equal(v->tags, "");
	assert_int_equal(v->ioc.confidence, 25);
	test_sink_free(&sink);
	test_capture_close(&cap);
}

/* Older exports have no is_compromised column: the header says where everything is. */
static void
test_csv_old_header(void **state)
{
	struct test_capture cap;
	struct test_sink sink;
	struct feed_stats st;

	(void)state;
	assert_int_equal(
	    load_file("data/feeds/threatfox_old.csv", FEED_FORMAT_AUTO, true, &sink, &st, &cap), 0);
	assert_string_equal(test_capture_text(&cap), "");
	assert_int_equal(sink.n, 2);
	assert_int_equal(sink.v[1].ioc.confidence, 75);
	assert_string_equal(sink.v[1].reference, "https://example.org/blog/cs, part 2");
	assert_string_equal(sink.v[1].tags, "CobaltStrike");
	test_sink_free(&sink);
	test_capture_close(&cap);
}

/* Without a header the known order is used, with or without is_compromised. */
static void
test_csv_no_header(void **state)
{
	struct test_capture cap;
	struct test_sink sink;
	struct feed_stats st;

	(void)state;
	assert_int_equal(load_file("data/feeds/threatfox_noheader.csv", FEED_FORMAT_AUTO, true,
				   &sink, &st, &cap),
			 0);
	assert_string_equal(test_capture_text(&cap), "");
	assert_int_equal(st.format, FEED_FORMAT_THREATFOX_CSV);
	assert_int_equal(sink.n, 2);
	assert_string_equal(sink.v[0].tags, "NetSupport,RAT");
	assert_int_equal(sink.v[0].ioc.confidence, 100);
	assert_string_equal(sink.v[1].tags, "CobaltStrike");
	assert_int_equal(sink.v[1].ioc.confidence, 75);
	test_sink_free(&sink);
	test_capture_close(&cap);
}

static void
test_csv_bad_file(void **state)
{
	struct test_capture cap;
	struct test_sink sink;
	struct feed_stats st;

	(void)state;
	assert_int_equal(
	    load_file("data/feeds/threatfox_bad.csv", FEED_FORMAT_AUTO, false, &sink, &st, &cap),
	    0);
	assert_int_equal(st.nb_iocs, 2);
	assert_int_equal(st.nb_bad, 4);
	assert_string_equal(
	    test_capture_text(&cap),
	    "data/feeds/threatfox_bad.csv:3:35: bad indicator \"95.85.246.53:0\": "
	    "port 0 is not valid\n"
	    "data/feeds/threatfox_bad.csv:4: record has 4 fields, the header names "
	    "15\n"
	    "data/feeds/threatfox_bad.csv:5:100: confidence_level \"high\" is not a "
	    "confidence (0-100)\n"
	    "data/feeds/threatfox_bad.csv:6:51: unexpected character after a quoted "
	    "field\n"
	    "data/feeds/threatfox_bad.csv:8: warning: trailer says 9 entries, the file "
	    "has 6\n");
	assert_string_equal(sink.v[1].value, "evil-cdn.example");
	test_sink_free(&sink);
	test_capture_close(&cap);

	assert_int_equal(
	    load_file("data/feeds/threatfox_bad.csv", FEED_FORMAT_AUTO, true, &sink, &st, &cap),
	    -EINVAL);
	assert_int_equal(st.nb_iocs, 1);
	assert_int_equal(st.nb_bad, 1);
	assert_int_equal(test_count_lines(test_capture_text(&cap)), 1);
	test_sink_free(&sink);
	test_capture_close(&cap);
}

static void
test_csv_quoting(void **state)
{
	static const char text[] =
	    HDR15 "\"2024-05-01\",\"1\",\"192.0.2.1:443\",\"ip:port\",\"botnet_cc\",\"win.x\","
		  "\"None\",\"Say \"\"hi\"\", X\",\"\",\"\",\"0\",\"\",\"a,b\",\"0\",\"r\"\r\n"
		  "\"2024-05-01\", \"2\" , \"192.0.2.2:443\" ,ip:port, botnet_cc ,win.x,None,"
		  "X,,90,0,,\"multi\nline\",0,r\r\n" ROW("192.0.2.3:443", "ip:port", "100",
							 "2024-05-01", "t");
	struct test_capture cap;
	struct test_sink sink;
	struct feed_stats st;

	(void)state;
	assert_int_equal(
	    test_load("q.csv", text, sizeof(text) - 1, FEED_FORMAT_AUTO, true, &sink, &st, &cap),
	    0);
	assert_string_equal(test_capture_text(&cap), "");
	assert_int_equal(sink.n, 3);
	assert_string_equal(sink.v[0].malware, "Say \"hi\", X");
	assert_string_equal(sink.v[0].tags, "a,b");
	assert_int_equal(sink.v[0].ioc.confidence, -1);
	assert_string_equal(sink.v[0].reference, "https://threatfox.abuse.ch/ioc/1/");
	assert_string_equal(sink.v[1].value, "192.0.2.2:443");
	assert_string_equal(sink.v[1].threat, "botnet_cc");
	assert_string_equal(sink.v[1].tags, "multi\nline");
	assert_int_equal(sink.v[1].ioc.confidence, 90);
	/* Line numbers stay right after a quoted newline. */
	assert_int_equal(st.nb_lines, 5);
	test_sink_free(&sink);
	test_capture_close(&cap);
}

static void
test_csv_record_errors(void **state)
{
	static const char text[] = HDR15 ROW("evil.example", "ip:port", "100", "2024-05-01", "")
	    ROW("192.0.2.1:443", "email", "100", "2024-05-01", "")
		ROW("192.0.2.1:443", "ip:port", "101", "2024-05-01", "")
		    ROW("192.0.2.1:443", "ip:port", "100", "yesterday", "")
			ROW("192.0.2.1:443", "ip:port", "100", "2024-05-01",
			    "ok") "\"2024-05-01\", \"9\", \"192.0.2.9:443";
	struct test_capture cap;
	struct test_sink sink;
	struct feed_stats st;

	(void)state;
	assert_int_equal(
	    test_load("e.csv", text, sizeof(text) - 1, FEED_FORMAT_AUTO, false, &sink, &st, &cap),
	    0);
	assert_int_equal(sink.n, 1);
	assert_string_equal(sink.v[0].tags, "ok");
	assert_int_equal(st.nb_bad, 5);
	assert_string_equal(
	    test_capture_text(&cap),
	    "e.csv:2:21: indicator \"evil.example\" is a domain, but its type says ip:port\n"
	    "e.csv:3:38: unsupported ioc_type \"email\"\n"
	    "e.csv:4:92: confidence_level \"101\" is not a confidence (0-100)\n"
	    "e.csv:5:1: first seen \"yesterday\" is not a UTC date (YYYY-MM-DD HH:MM:SS)\n"
	    "e.csv:7:20: unterminated quoted field\n");
	test_sink_free(&sink);
	test_capture_close(&cap);
}

/* A quote in a comment stays in the comment: it must not swallow the next lines. */
static void
test_csv_comment_quote(void **state)
{
	static const char text[] = HDR15 "# \"unbalanced comment\n" ROW(
	    "192.0.2.1:443", "ip:port", "100", "2024-05-01",
	    "") "# \"a\",\"b\"\n" ROW("192.0.2.2:443", "ip:port", "100", "2024-05-01", "");
	struct test_capture cap;
	struct test_sink sink;
	struct feed_stats st;

	(void)state;
	assert_int_equal(
	    test_load("c.csv", text, sizeof(text) - 1, FEED_FORMAT_AUTO, true, &sink, &st, &cap),
	    0);
	assert_string_equal(test_capture_text(&cap), "");
	assert_int_equal(sink.n, 2);
	assert_int_equal(st.nb_lines, 5);
	test_sink_free(&sink);
	test_capture_close(&cap);
}

static void
test_csv_trailer(void **state)
{
	static const char ok[] = HDR15 ROW("192.0.2.1:443", "ip:port", "100", "2024-05-01", "")
	    ROW("0123", "md5_hash", "100", "2024-05-01", "") "# Number of entries: 2\n";
	static const char bad[] = HDR15 ROW("192.0.2.1:443", "ip:port", "100", "2024-05-01",
					    "") "# Number of entries: 3\n";
	struct test_capture cap;
	struct test_sink sink;
	struct feed_stats st;

	(void)state;
	assert_int_equal(
	    test_load("t.csv", ok, sizeof(ok) - 1, FEED_FORMAT_AUTO, true, &sink, &st, &cap), 0);
	assert_string_equal(test_capture_text(&cap), "");
	assert_int_equal(st.nb_skipped, 1);
	test_sink_free(&sink);
	test_capture_close(&cap);
	/* A count mismatch is a warning, not a bad line, even in strict mode. */
	assert_int_equal(
	    test_load("t.csv", bad, sizeof(bad) - 1, FEED_FORMAT_AUTO, true, &sink, &st, &cap), 0);
	assert_int_equal(st.nb_bad, 0);
	assert_string_equal(test_capture_text(&cap),
			    "t.csv:3: warning: trailer says 3 entries, the file has 1\n");
	test_sink_free(&sink);
	test_capture_close(&cap);
}

static void
test_csv_garbage(void **state)
{
	/* Line 2 opens a quoted field (RFC 4180: "" is a quote, newlines are data) that the
	 * first quote of line 4 closes. */
	static const char text[] = "\"a\",\"b\"\n\"\"\"\n,,,,\n\"x\"y\n\0\0\0\n\"open\n";
	char *many = malloc(40 * 4 + 2), *p = many;
	struct test_capture cap;
	struct test_sink sink;
	struct feed_stats st;
	size_t i;

	(void)state;
	assert_int_equal(test_load("g.csv", text, sizeof(text) - 1, FEED_FORMAT_THREATFOX_CSV,
				   false, &sink, &st, &cap),
			 0);
	assert_int_equal(sink.n, 0);
	assert_int_equal(st.nb_bad, 4);
	assert_int_equal(st.nb_lines, 6);
	assert_string_equal(test_capture_text(&cap),
			    "g.csv:1: record has 2 fields, expected 15 (or 14)\n"
			    "g.csv:4:2: unexpected character after a quoted field\n"
			    "g.csv:5: record has 1 fields, expected 15 (or 14)\n"
			    "g.csv:6:1: unterminated quoted field\n");
	test_capture_close(&cap);
	for (i = 0; i < 40; i++)
		p += sprintf(p, "\"x\",");
	*p++ = '\n';
	assert_int_equal(test_load("m.csv", many, (size_t)(p - many), FEED_FORMAT_THREATFOX_CSV,
				   false, &sink, &st, &cap),
			 0);
	assert_string_equal(test_capture_text(&cap), "m.csv:1:129: more than 32 fields\n");
	test_capture_close(&cap);
	free(many);
}

/* Records are bounded: a 70 KiB field is reported, and parsing goes on at the next line. */
static void
test_csv_long_records(void **state)
{
	const size_t big = 70000;
	char *text = malloc(2 * big + 1024), *p = text;
	struct test_capture cap;
	struct test_sink sink;
	struct feed_stats st;

	(void)state;
	p += sprintf(p, "%s", HDR15);
	memset(p, 'a', big);
	p += big;
	p += sprintf(p, "\n\"");
	memset(p, 'b', big);
	p += big;
	p += sprintf(p, "\"\n" ROW("192.0.2.1:443", "ip:port", "100", "2024-05-01", ""));
	assert_int_equal(test_load("long.csv", text, (size_t)(p - text), FEED_FORMAT_AUTO, false,
				   &sink, &st, &cap),
			 0);
	assert_int_equal(sink.n, 1);
	assert_int_equal(st.nb_lines, 4);
	assert_string_equal(test_capture_text(&cap), "long.csv:2:1: record longer than 64 KiB\n"
						     "long.csv:3:1: record longer than 64 KiB\n");
	test_sink_free(&sink);
	test_capture_close(&cap);
	free(text);
}

static void
test_json_sample(void **state)
{
	struct test_capture cap;
	struct test_sink sink;
	struct feed_stats st;
	const struct test_ioc *v;

	(void)state;
	assert_int_equal(
	    load_file("data/feeds/threatfox.json", FEED_FORMAT_AUTO, true, &sink, &st, &cap), 0);
	assert_string_equal(test_capture_text(&cap), "");
	assert_int_equal(st.format, FEED_FORMAT_THREATFOX_JSON);
	assert_int_equal(st.nb_lines, 4);
	assert_int_equal(st.nb_iocs, 3);
	assert_int_equal(st.nb_skipped, 1);
	v = &sink.v[0];
	assert_string_equal(v->value, "95.85.246.53:443");
	assert_string_equal(v->malware, "NetSupportManager RAT");
	assert_string_equal(v->reference, "https://threatfox.abuse.ch/ioc/1270001/");
	assert_string_equal(v->tags, "NetSupport,RAT");
	assert_int_equal(v->ioc.confidence, 100);
	assert_int_equal(v->ioc.first_seen, 1714044737);
	v = &sink.v[1];
	assert_string_equal(v->reference, "https://example.org/lumma \"Q2\" report");
	assert_string_equal(v->tags, "");
	assert_int_equal(v->ioc.last_seen, 1714604400);
	v = &sink.v[2];
	assert_string_equal(v->value, "https://malware.example/d/\xc3\xa9t\xc3\xa9.exe");
	assert_int_equal(v->ioc.confidence, 25);
	assert_string_equal(v->feed, "threatfox");
	test_sink_free(&sink);
	test_capture_close(&cap);
}

static void
test_json_errors(void **state)
{
	static const char records[] =
	    "{\n"
	    " \"1\": [42],\n"
	    " \"2\": [{\"ioc_value\": {\"x\": 1}, \"ioc_type\": \"domain\"}],\n"
	    " \"3\": {\"ioc_value\": \"ok.example\", \"ioc_type\": \"domain\"},\n"
	    " \"4\": [{\"ioc_value\": \"x.example\", \"ioc_type\": \"domain\","
	    " \"confidence_level\": 500}]\n"
	    "}";
	struct test_capture cap;
	struct test_sink sink;
	struct feed_stats st;

	(void)state;
	assert_int_equal(load_file("data/feeds/threatfox_truncated.json", FEED_FORMAT_AUTO, false,
				   &sink, &st, &cap),
			 -EINVAL);
	assert_int_equal(st.format, FEED_FORMAT_THREATFOX_JSON);
	assert_int_equal(st.nb_bad, 1);
	assert_int_equal(sink.n, 0);
	assert_string_equal(
	    test_capture_text(&cap),
	    "data/feeds/threatfox_truncated.json:26:28: invalid JSON: unexpected end "
	    "of input, expected a value\n");
	test_capture_close(&cap);

	assert_int_equal(test_load("r.json", records, sizeof(records) - 1, FEED_FORMAT_AUTO, false,
				   &sink, &st, &cap),
			 0);
	assert_int_equal(sink.n, 1);
	assert_string_equal(sink.v[0].value, "ok.example");
	assert_string_equal(sink.v[0].reference, "https://threatfox.abuse.ch/ioc/3/");
	assert_string_equal(test_capture_text(&cap),
			    "r.json:2:8: IOC record should be an object, not number\n"
			    "r.json:3:8: \"ioc_value\" should be a string, not object\n"
			    "r.json:5:8: confidence_level \"500\" is not a confidence (0-100)\n");
	test_sink_free(&sink);
	test_capture_close(&cap);

	assert_int_equal(
	    test_load("a.json", "[1]", 3, FEED_FORMAT_THREATFOX_JSON, false, &sink, &st, &cap),
	    -EINVAL);
	assert_string_equal(test_capture_text(&cap), "a.json:1:1: ThreatFox JSON export should be "
						     "an object keyed by IOC id\n");
	test_capture_close(&cap);
}

static void
test_api_sample(void **state)
{
	struct test_capture cap;
	struct test_sink sink;
	struct feed_stats st;
	const struct test_ioc *v;

	(void)state;
	assert_int_equal(
	    load_file("data/feeds/threatfox_api.json", FEED_FORMAT_AUTO, true, &sink, &st, &cap),
	    0);
	assert_string_equal(test_capture_text(&cap), "");
	assert_int_equal(st.format, FEED_FORMAT_THREATFOX_API);
	assert_int_equal(st.nb_iocs, 2);
	assert_int_equal(st.nb_skipped, 1);
	v = &sink.v[0];
	assert_string_equal(v->value, "95.85.246.53:443");
	assert_string_equal(v->malware, "NetSupportManager RAT");
	assert_string_equal(v->threat, "botnet_cc");
	assert_string_equal(v->tags, "NetSupport,RAT");
	assert_string_equal(v->reference, "https://threatfox.abuse.ch/ioc/1270001/");
	assert_int_equal(v->ioc.confidence, 100);
	assert_int_equal(v->ioc.first_seen, 1714044737);
	assert_int_equal(v->ioc.last_seen, 0);
	v = &sink.v[1];
	assert_string_equal(v->value, "101.109.237.93:7443");
	assert_string_equal(v->reference, "https://example.org/netsupport-campaign");
	assert_string_equal(v->tags, "");
	assert_int_equal(v->ioc.confidence, 75);
	assert_int_equal(v->ioc.first_seen, 1714119243);
	assert_int_equal(v->ioc.last_seen, 1714435200);
	test_sink_free(&sink);
	test_capture_close(&cap);
}

static void
test_api_status(void **state)
{
	static const char numeric_id[] =
	    "{\"query_status\": \"ok\", \"data\": [{\"id\": 12345, \"ioc\": \"192.0.2.1:80\","
	    " \"ioc_type\": \"ip:port\", \"confidence_level\": 50, \"tags\": [\"a\", 7, \"b\"]}]}";
	static const char illegal[] = "{\"query_status\": \"illegal_search_term\", \"data\": null}";
	static const char no_data[] = "{\"query_status\": \"ok\"}";
	struct test_capture cap;
	struct test_sink sink;
	struct feed_stats st;

	(void)state;
	assert_int_equal(load_file("data/feeds/threatfox_api_noresult.json", FEED_FORMAT_AUTO, true,
				   &sink, &st, &cap),
			 0);
	assert_int_equal(st.nb_iocs, 0);
	assert_string_equal(test_capture_text(&cap), "");
	test_capture_close(&cap);

	assert_int_equal(test_load("n.json", numeric_id, sizeof(numeric_id) - 1, FEED_FORMAT_AUTO,
				   true, &sink, &st, &cap),
			 0);
	assert_string_equal(sink.v[0].reference, "https://threatfox.abuse.ch/ioc/12345/");
	assert_string_equal(sink.v[0].tags, "a,b");
	test_sink_free(&sink);
	test_capture_close(&cap);

	assert_int_equal(test_load("i.json", illegal, sizeof(illegal) - 1, FEED_FORMAT_AUTO, false,
				   &sink, &st, &cap),
			 -EINVAL);
	assert_string_equal(test_capture_text(&cap),
			    "i.json:1:18: ThreatFox API query_status is not \"ok\"\n");
	test_capture_close(&cap);

	assert_int_equal(test_load("d.json", no_data, sizeof(no_data) - 1, FEED_FORMAT_AUTO, false,
				   &sink, &st, &cap),
			 -EINVAL);
	assert_string_equal(test_capture_text(&cap),
			    "d.json:1:1: ThreatFox API answer has no \"data\" array\n");
	test_capture_close(&cap);
}

static int
count_emit(void *ctx, const struct ioc *ioc)
{
	(void)ioc;
	(*(size_t *)ctx)++;
	return 0;
}

/* A million CSV records parse in linear time with no per-record allocation. */
static void
test_csv_million(void **state)
{
	const size_t n = 1000000;
	char *text = malloc(n * 220 + sizeof(HDR15)), *p = text;
	struct feed_options opt = {0};
	struct timespec t0, t1;
	struct feed_stats st;
	size_t i, count = 0;
	double s;

	(void)state;
	p += sprintf(p, "%s", HDR15);
	for (i = 0; i < n; i++)
		p += sprintf(
		    p,
		    "\"2024-05-01 10:11:12\", \"%zu\", \"10.%zu.%zu.%zu:443\", \"ip:port\", "
		    "\"botnet_cc\", \"win.x\", \"None\", \"X RAT\", \"\", \"75\", \"0\", "
		    "\"None\", \"a,b\", \"0\", \"abuse_ch\"\n",
		    i, i >> 16 & 255, i >> 8 & 255, i & 255);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(
	    feed_load_buffer("big.csv", text, (size_t)(p - text), &opt, count_emit, &count, &st),
	    0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	assert_int_equal(count, n);
	assert_int_equal(st.format, FEED_FORMAT_THREATFOX_CSV);
	print_message("1M CSV records (%zu bytes) parsed in %.3f s\n", (size_t)(p - text), s);
	assert_true(s < TEST_PARSE_SECONDS_MAX);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_csv_sample),	      cmocka_unit_test(test_csv_old_header),
	    cmocka_unit_test(test_csv_no_header),     cmocka_unit_test(test_csv_bad_file),
	    cmocka_unit_test(test_csv_quoting),	      cmocka_unit_test(test_csv_record_errors),
	    cmocka_unit_test(test_csv_comment_quote), cmocka_unit_test(test_csv_trailer),
	    cmocka_unit_test(test_csv_garbage),	      cmocka_unit_test(test_csv_long_records),
	    cmocka_unit_test(test_json_sample),	      cmocka_unit_test(test_json_errors),
	    cmocka_unit_test(test_api_sample),	      cmocka_unit_test(test_api_status),
	    cmocka_unit_test(test_csv_million),
	};

	test_chdir_data();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
