/* SPDX-License-Identifier: BSD-3-Clause */
/* test_feed_stix.c - STIX 2.1 bundles of indicators. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <netinet/in.h>

#include "feed.h"
#include "test_feed_sink.h"

static void
test_bundle_sample(void **state)
{
	struct feed_options opt = {0};
	struct test_capture cap;
	struct test_sink sink;
	struct feed_stats st;
	const struct test_ioc *v;

	(void)state;
	assert_int_equal(test_load_file("data/feeds/stix_bundle.json", &opt, &sink, &st, &cap), 0);
	assert_string_equal(
	    test_capture_text(&cap),
	    "data/feeds/stix_bundle.json:73:18: skipped: part of the pattern (offset 58): "
	    "file:hashes.'SHA-256' is not an indicator iocwire can match\n"
	    "data/feeds/stix_bundle.json:84:18: skipped: pattern (offset 0): qualifier REPEATS is "
	    "not supported\n"
	    "data/feeds/stix_bundle.json:88:5: skipped: pattern_type \"suricata\" is not stix\n"
	    "data/feeds/stix_bundle.json:99:5: skipped: indicator is revoked\n");
	assert_int_equal(st.format, FEED_FORMAT_STIX);
	assert_int_equal(st.nb_lines, 6);
	assert_int_equal(st.nb_iocs, 6);
	assert_int_equal(st.nb_skipped, 4);
	assert_int_equal(st.nb_bad, 0);
	/* AND of address, port and protocol: one ip:port, TCP only. */
	v = &sink.v[0];
	assert_string_equal(v->value, "198.51.100.45:8443");
	assert_int_equal(v->ioc.type, IOCW_IOC_IP_PORT);
	assert_int_equal(v->ioc.proto, IPPROTO_TCP);
	assert_string_equal(v->malware, "Cobalt Strike"); /* from the "indicates" relationship */
	assert_string_equal(v->threat, "malicious-activity,attribution");
	assert_string_equal(v->tags, "c2,cobaltstrike");
	assert_string_equal(v->reference, "https://tip.example/reports/cs-2024-17");
	assert_int_equal(v->ioc.confidence, 85);
	assert_int_equal(v->ioc.first_seen, 1713600000);  /* 2024-04-20T08:00:00Z */
	assert_int_equal(v->ioc.valid_until, 1721462400); /* 2024-07-20T08:00:00Z */
	/* OR-ed observations: three IOCs of three types, the indicator's name as family. */
	assert_string_equal(sink.v[1].value, "login-secure.phish.example");
	assert_int_equal(sink.v[1].ioc.type, IOCW_IOC_DOMAIN);
	assert_string_equal(sink.v[1].malware, "Phishing infrastructure");
	assert_string_equal(sink.v[1].reference, "indicator--c0f6d1f2-3b1a-4f32-9d7e-2f3a4b5c6d7e");
	assert_int_equal(sink.v[1].ioc.valid_until, 0);
	assert_string_equal(sink.v[2].value, "https://login-secure.phish.example/o365/");
	assert_string_equal(sink.v[3].value, "2001:db8:bad::/48");
	assert_int_equal(sink.v[3].ioc.type, IOCW_IOC_CIDR);
	/* IN: one IOC per member; the hash beside them is reported, not dropped silently. */
	assert_string_equal(sink.v[4].value, "203.0.113.10");
	assert_string_equal(sink.v[5].value, "203.0.113.11");
	assert_string_equal(sink.v[5].threat, "anomalous-activity");
	assert_int_equal(sink.v[5].ioc.confidence, -1);
	test_sink_free(&sink);
	test_capture_close(&cap);
}

/* STIX 2.0: no pattern_type, labels are the indicator types; a bare array; one object. */
static void
test_shapes(void **state)
{
	static const char v20[] =
	    "[{\"type\": \"indicator\", \"id\": \"indicator--1\", \"labels\": "
	    "[\"malicious-activity\"],\n"
	    "  \"pattern\": \"[url:value = 'http://evil.example/a']\", \"valid_from\": "
	    "\"2017-01-01T00:00:00.000Z\"},\n"
	    " {\"type\": \"malware\", \"id\": \"malware--1\", \"name\": \"unrelated\"}]";
	static const char one[] = "{\"type\": \"indicator\", \"pattern\": \"[ipv4-addr:value = "
				  "'192.0.2.5']\", \"pattern_type\": \"stix\"}";
	struct test_capture cap;
	struct test_sink sink;
	struct feed_stats st;

	(void)state;
	assert_int_equal(
	    test_load("v20.json", v20, sizeof(v20) - 1, FEED_FORMAT_AUTO, true, &sink, &st, &cap),
	    0);
	assert_string_equal(test_capture_text(&cap), "");
	assert_int_equal(st.format, FEED_FORMAT_STIX);
	assert_int_equal(sink.n, 1);
	assert_string_equal(sink.v[0].value, "http://evil.example/a");
	assert_string_equal(sink.v[0].threat, "malicious-activity");
	assert_string_equal(sink.v[0].tags, "malicious-activity");
	assert_int_equal(sink.v[0].ioc.first_seen, 1483228800);
	test_sink_free(&sink);
	test_capture_close(&cap);

	assert_int_equal(
	    test_load("one.json", one, sizeof(one) - 1, FEED_FORMAT_AUTO, true, &sink, &st, &cap),
	    0);
	assert_int_equal(sink.n, 1);
	assert_string_equal(sink.v[0].value, "192.0.2.5");
	test_sink_free(&sink);
	test_capture_close(&cap);
}

static void
test_bad_indicators(void **state)
{
	static const char text[] =
	    "{\"type\": \"bundle\", \"objects\": [\n"
	    "{\"type\": \"indicator\", \"pattern_type\": \"stix\"},\n"
	    "{\"type\": \"indicator\", \"pattern\": \"[ipv4-addr:value = '192.0.2.1'\"},\n"
	    "{\"type\": \"indicator\", \"pattern\": \"[ipv4-addr:value = 'not an ip']\"},\n"
	    "{\"type\": \"indicator\", \"pattern\": \"[domain-name:value = '192.0.2.1']\"},\n"
	    "{\"type\": \"indicator\", \"pattern\": \"[ipv4-addr:value = '192.0.2.2']\", "
	    "\"confidence\": 101},\n"
	    "{\"type\": \"indicator\", \"pattern\": \"[ipv4-addr:value = '192.0.2.3']\", "
	    "\"valid_from\": \"2024-05-01T00:00:00Z\", \"valid_until\": "
	    "\"2024-04-01T00:00:00Z\"},\n"
	    "{\"type\": \"indicator\", \"pattern\": \"[ipv4-addr:value = '192.0.2.4']\", "
	    "\"valid_until\": \"someday\"},\n"
	    "{\"type\": \"indicator\", \"pattern\": \"[network-traffic:dst_port = 443]\"},\n"
	    "{\"type\": \"indicator\", \"pattern\": \"[network-traffic:dst_ref.value = "
	    "'192.0.2.9' AND network-traffic:dst_port = 443 AND network-traffic:protocols[*] = "
	    "'udp']\"}\n"
	    "]}";
	struct test_capture cap;
	struct test_sink sink;
	struct feed_stats st;

	(void)state;
	assert_int_equal(
	    test_load("b.json", text, sizeof(text) - 1, FEED_FORMAT_AUTO, false, &sink, &st, &cap),
	    0);
	assert_string_equal(
	    test_capture_text(&cap),
	    "b.json:2:1: indicator has no \"pattern\" string\n"
	    "b.json:3:34: invalid STIX pattern at offset 30: expected ']' to close the observation "
	    "expression\n"
	    "b.json:4:34: bad indicator \"not an ip\": indicator contains blanks or control "
	    "characters\n"
	    "b.json:5:34: indicator \"192.0.2.1\" is a ip, but its type says domain\n"
	    "b.json:6:1: confidence should be an integer 0-100\n"
	    "b.json:7:1: valid_until is not later than valid_from\n"
	    "b.json:8:1: valid_until \"someday\" is not a UTC date (YYYY-MM-DD HH:MM:SS)\n"
	    "b.json:9:34: skipped: pattern (offset 28): network-traffic port without an address\n");
	assert_int_equal(st.nb_bad, 7);
	assert_int_equal(st.nb_skipped, 1);
	assert_int_equal(sink.n, 1);
	assert_string_equal(sink.v[0].value, "192.0.2.9:443");
	assert_int_equal(sink.v[0].ioc.proto, IPPROTO_UDP);
	test_sink_free(&sink);
	test_capture_close(&cap);
}

/* Broken documents: a syntax error, a nesting bomb, truncation. */
static void
test_bad_documents(void **state)
{
	static const char truncated[] = "{\"type\": \"bundle\", \"objects\": [{\"type\": \"indi";
	static const char wrong[] = "{\"type\": \"bundle\", \"objects\": 5}";
	char bomb[4096];
	struct test_capture cap;
	struct test_sink sink;
	struct feed_stats st;
	size_t i, n = 0;

	(void)state;
	assert_int_equal(test_load("t.json", truncated, sizeof(truncated) - 1, FEED_FORMAT_STIX,
				   false, &sink, &st, &cap),
			 -EINVAL);
	assert_string_equal(test_capture_text(&cap),
			    "t.json:1:41: invalid JSON: unterminated string\n");
	test_capture_close(&cap);

	n += (size_t)sprintf(bomb, "{\"type\": \"bundle\", \"objects\": ");
	for (i = 0; i < 1000; i++)
		bomb[n++] = '[';
	assert_int_equal(test_load("bomb.json", bomb, n, FEED_FORMAT_AUTO, false, &sink, &st, &cap),
			 -EINVAL);
	assert_string_equal(test_capture_text(&cap),
			    "bomb.json:1:94: invalid JSON: nesting deeper than 64 levels\n");
	test_capture_close(&cap);

	assert_int_equal(test_load("w.json", wrong, sizeof(wrong) - 1, FEED_FORMAT_STIX, false,
				   &sink, &st, &cap),
			 0);
	assert_int_equal(sink.n, 0);
	test_capture_close(&cap);
}

static void
test_detect(void **state)
{
	static const char bundle[] =
	    "{\"type\": \"bundle\", \"id\": \"bundle--1\", \"objects\": []}";
	static const char array[] = "[{\"type\": \"indicator\"}]";

	(void)state;
	assert_int_equal(feed_detect(bundle, sizeof(bundle) - 1), FEED_FORMAT_STIX);
	assert_int_equal(feed_detect(array, sizeof(array) - 1), FEED_FORMAT_STIX);
	assert_int_equal(feed_format_from_name("stix"), FEED_FORMAT_STIX);
}

/* 100k indicators with a relationship each: relationships are looked up, not scanned. */
static void
test_large_bundle(void **state)
{
	const size_t n = 100000;
	char *text = malloc(n * 400 + 256), *p = text;
	size_t i;

	(void)state;
	p += sprintf(p, "{\"type\": \"bundle\", \"objects\": [\n{\"type\": \"malware\", \"id\": "
			"\"malware--1\", \"name\": \"X\"}");
	for (i = 0; i < n; i++)
		p += sprintf(
		    p,
		    ",\n{\"type\": \"indicator\", \"id\": \"indicator--%zu\", \"pattern\": "
		    "\"[ipv4-addr:value = '10.%zu.%zu.%zu']\", \"pattern_type\": \"stix\", "
		    "\"valid_from\": \"2024-05-01T00:00:00Z\"},\n{\"type\": "
		    "\"relationship\", \"relationship_type\": \"indicates\", \"source_ref\": "
		    "\"indicator--%zu\", \"target_ref\": \"malware--1\"}",
		    i, i >> 16 & 255, i >> 8 & 255, i & 255, i);
	p += sprintf(p, "]}\n");
	assert_true(test_time_parse("stix 100k indicators", text, (size_t)(p - text),
				    FEED_FORMAT_STIX, n, n) < TEST_PARSE_SECONDS_MAX);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_bundle_sample),  cmocka_unit_test(test_shapes),
	    cmocka_unit_test(test_bad_indicators), cmocka_unit_test(test_bad_documents),
	    cmocka_unit_test(test_detect),	   cmocka_unit_test(test_large_bundle),
	};

	test_chdir_data();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
