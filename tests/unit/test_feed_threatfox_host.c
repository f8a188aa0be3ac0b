/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_feed_threatfox_host.c - the ThreatFox hostfile export, and ThreatFox
 * domain and url IOCs through the CSV, JSON and API parsers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "feed.h"
#include "test_feed_sink.h"

static void
test_hostfile_sample(void **state)
{
	static const char *const want[] = {
	    "update-check.malware-cdn.example", "panel.evil-c2.example",  "stealer-drop.example",
	    "tracker.stealer-drop.example",	"xn--80ak6aa92e.example",
	};
	struct feed_options opt = {0};
	struct test_capture cap;
	struct test_sink sink;
	struct feed_stats st;
	size_t i;

	(void)state;
	assert_int_equal(
	    test_load_file("data/feeds/threatfox_hostfile.txt", &opt, &sink, &st, &cap), 0);
	assert_string_equal(test_capture_text(&cap), "");
	assert_int_equal(st.format, FEED_FORMAT_THREATFOX_HOSTFILE);
	assert_int_equal(st.nb_lines, 13);
	assert_int_equal(sink.n, 5);
	for (i = 0; i < sink.n; i++) {
		assert_string_equal(sink.v[i].value, want[i]);
		assert_int_equal(sink.v[i].ioc.type, IOCW_IOC_DOMAIN);
		assert_string_equal(sink.v[i].feed, "threatfox_hostfile");
	}
	test_sink_free(&sink);
	test_capture_close(&cap);
}

static void
test_hostfile_bad_lines(void **state)
{
	static const char text[] = "# ThreatFox IOCs: Hostfile\n"
				   "127.0.0.1 ok.example\n"
				   "evil.example\n"
				   "127.0.0.1 bad..example\n"
				   "127.0.0.1 192.0.2.1\n"
				   "::1 ip6-localhost ip6-loopback v6.example\n";
	struct test_capture cap;
	struct test_sink sink;
	struct feed_stats st;

	(void)state;
	assert_int_equal(
	    test_load("h.txt", text, sizeof(text) - 1, FEED_FORMAT_AUTO, false, &sink, &st, &cap),
	    0);
	assert_string_equal(
	    test_capture_text(&cap),
	    "h.txt:3:1: \"evil.example\" is not an address: expected \"127.0.0.1 name\"\n"
	    "h.txt:4:11: bad indicator \"bad..example\": empty label in domain name\n"
	    "h.txt:5:11: indicator \"192.0.2.1\" is a ip, but its type says domain\n");
	assert_int_equal(sink.n, 2);
	assert_string_equal(sink.v[1].value, "v6.example");
	test_sink_free(&sink);
	test_capture_close(&cap);
}

/* ThreatFox domain and url IOCs in each of its three formats. */
static void
test_domain_url_csv(void **state)
{
	static const char text[] =
	    "# \"first_seen_utc\",\"ioc_id\",\"ioc_value\",\"ioc_type\",\"threat_type\","
	    "\"fk_malware\",\"malware_alias\",\"malware_printable\",\"last_seen_utc\","
	    "\"confidence_level\",\"reference\",\"tags\",\"anonymous\",\"reporter\"\n"
	    "\"2024-05-01 10:00:00\", \"1280001\", \"update.lumma-c2.example\", \"domain\", "
	    "\"botnet_cc\", \"win.lumma\", \"None\", \"Lumma Stealer\", \"\", \"100\", \"None\", "
	    "\"Lumma\", \"0\", \"abuse_ch\"\n"
	    "\"2024-05-01 10:05:00\", \"1280002\", \"https://lumma-c2.example/api/gate.php\", "
	    "\"url\", \"payload_delivery\", \"win.lumma\", \"None\", \"Lumma Stealer\", \"\", "
	    "\"75\", \"None\", \"Lumma,stealer\", \"0\", \"abuse_ch\"\n";
	struct test_capture cap;
	struct test_sink sink;
	struct feed_stats st;

	(void)state;
	assert_int_equal(
	    test_load("tf.csv", text, sizeof(text) - 1, FEED_FORMAT_AUTO, true, &sink, &st, &cap),
	    0);
	assert_string_equal(test_capture_text(&cap), "");
	assert_int_equal(st.format, FEED_FORMAT_THREATFOX_CSV);
	assert_int_equal(sink.n, 2);
	assert_string_equal(sink.v[0].value, "update.lumma-c2.example");
	assert_int_equal(sink.v[0].ioc.type, IOCW_IOC_DOMAIN);
	assert_string_equal(sink.v[0].malware, "Lumma Stealer");
	assert_string_equal(sink.v[0].reference, "https://threatfox.abuse.ch/ioc/1280001/");
	assert_string_equal(sink.v[1].value, "https://lumma-c2.example/api/gate.php");
	assert_int_equal(sink.v[1].ioc.type, IOCW_IOC_URL);
	assert_string_equal(sink.v[1].threat, "payload_delivery");
	assert_int_equal(sink.v[1].ioc.confidence, 75);
	test_sink_free(&sink);
	test_capture_close(&cap);
}

static void
test_domain_url_json(void **state)
{
	static const char json[] =
	    "{\"1280001\": [{\"ioc_value\": \"Update.Lumma-C2.example\", \"ioc_type\": \"domain\","
	    " \"threat_type\": \"botnet_cc\", \"malware\": \"win.lumma\", \"malware_printable\":"
	    " \"Lumma Stealer\", \"first_seen_utc\": \"2024-05-01 10:00:00\", \"confidence_level\":"
	    " 100, \"tags\": \"Lumma\"}],\n"
	    " \"1280002\": [{\"ioc_value\": \"hxxps://lumma-c2[.]example/api/gate.php\","
	    " \"ioc_type\": \"url\", \"threat_type\": \"payload_delivery\", \"malware\":"
	    " \"win.lumma\", \"malware_printable\": \"Lumma Stealer\", \"confidence_level\": "
	    "75}],\n"
	    " \"1280003\": [{\"ioc_value\": \"https://lumma-c2.example/\", \"ioc_type\": "
	    "\"domain\"}]}\n";
	static const char api[] =
	    "{\"query_status\": \"ok\", \"data\": [\n"
	    " {\"id\": \"1280001\", \"ioc\": \"update.lumma-c2.example\", \"ioc_type\": \"domain\","
	    " \"threat_type\": \"botnet_cc\", \"malware_printable\": \"Lumma Stealer\","
	    " \"confidence_level\": 100, \"first_seen\": \"2024-05-01 10:00:00 UTC\","
	    " \"tags\": [\"Lumma\", \"stealer\"]},\n"
	    " {\"id\": \"1280002\", \"ioc\": \"https://lumma-c2.example/api/gate.php\","
	    " \"ioc_type\": \"url\", \"threat_type\": \"payload_delivery\", \"confidence_level\": "
	    "75,"
	    " \"tags\": null}]}\n";
	struct test_capture cap;
	struct test_sink sink;
	struct feed_stats st;

	(void)state;
	assert_int_equal(
	    test_load("tf.json", json, sizeof(json) - 1, FEED_FORMAT_AUTO, false, &sink, &st, &cap),
	    0);
	assert_int_equal(st.format, FEED_FORMAT_THREATFOX_JSON);
	assert_string_equal(
	    test_capture_text(&cap),
	    "tf.json:3:14: indicator \"https://lumma-c2.example/\" is a url, but its "
	    "type says domain\n");
	assert_int_equal(sink.n, 2);
	assert_string_equal(sink.v[0].value, "update.lumma-c2.example");
	assert_string_equal(sink.v[0].reference, "https://threatfox.abuse.ch/ioc/1280001/");
	assert_string_equal(sink.v[1].value, "https://lumma-c2.example/api/gate.php");
	test_sink_free(&sink);
	test_capture_close(&cap);

	assert_int_equal(test_load("tf_api.json", api, sizeof(api) - 1, FEED_FORMAT_AUTO, true,
				   &sink, &st, &cap),
			 0);
	assert_string_equal(test_capture_text(&cap), "");
	assert_int_equal(st.format, FEED_FORMAT_THREATFOX_API);
	assert_int_equal(sink.n, 2);
	assert_int_equal(sink.v[0].ioc.type, IOCW_IOC_DOMAIN);
	assert_string_equal(sink.v[0].tags, "Lumma,stealer");
	assert_int_equal(sink.v[0].ioc.first_seen, 1714557600);
	assert_int_equal(sink.v[1].ioc.type, IOCW_IOC_URL);
	assert_string_equal(sink.v[1].tags, "");
	test_sink_free(&sink);
	test_capture_close(&cap);
}

static void
test_detect(void **state)
{
	static const char bare[] = "0.0.0.0 evil.example\n";
	static const char banner[] = "# ThreatFox IOCs: Hostfile\n# nothing yet\n";

	(void)state;
	assert_int_equal(feed_detect(bare, sizeof(bare) - 1), FEED_FORMAT_THREATFOX_HOSTFILE);
	assert_int_equal(feed_detect(banner, sizeof(banner) - 1), FEED_FORMAT_THREATFOX_HOSTFILE);
	assert_int_equal(feed_format_from_name("threatfox-hostfile"),
			 FEED_FORMAT_THREATFOX_HOSTFILE);
}

static void
test_million(void **state)
{
	const size_t n = TEST_MILLION;
	char *text = malloc(n * 48 + 256), *p = text;
	size_t i;

	(void)state;
	p += sprintf(p, "# ThreatFox IOCs: Hostfile\n");
	for (i = 0; i < n; i++)
		p += sprintf(p, "127.0.0.1\thost%zu.malware-cdn.example\n", i);
	assert_true(test_time_parse("threatfox-hostfile", text, (size_t)(p - text),
				    FEED_FORMAT_THREATFOX_HOSTFILE, n, n) < TEST_PARSE_SECONDS_MAX);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_hostfile_sample), cmocka_unit_test(test_hostfile_bad_lines),
	    cmocka_unit_test(test_domain_url_csv),  cmocka_unit_test(test_domain_url_json),
	    cmocka_unit_test(test_detect),	    cmocka_unit_test(test_million),
	};

	test_chdir_data();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
