/* SPDX-License-Identifier: BSD-3-Clause */
/* test_feed_misp.c - MISP event JSON and MISP feed directories. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "feed.h"
#include "test_feed_sink.h"

#define EVENT_UUID "5f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b"

static const struct test_ioc *
find(const struct test_sink *s, const char *value)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->v[i].value, value) == 0)
			return &s->v[i];
	fail_msg("no indicator %s", value);
	return NULL;
}

static void
test_event_sample(void **state)
{
	static const char *const want[] = {
	    "162.243.103.246",	     "51.178.161.32:4643",
	    "emotet-loader.example", "cdn.emotet-loader.example",
	    "198.51.100.44",	     "http://emotet-loader.example/wp-content/x.php",
	    "[2001:db8:e::1]:443",   "[2001:db8:e::1]:8080",
	};
	struct feed_options opt = {0};
	struct test_capture cap;
	struct test_sink sink;
	struct feed_stats st;
	const struct test_ioc *v;
	size_t i;

	(void)state;
	assert_int_equal(test_load_file("data/feeds/misp_event.json", &opt, &sink, &st, &cap), 0);
	assert_string_equal(test_capture_text(&cap),
			    "data/feeds/misp_event.json: warning: skipped 4 records iocwire does "
			    "not match: not to_ids 1, sha256 1, filename 1, md5 1\n");
	assert_int_equal(st.format, FEED_FORMAT_MISP);
	assert_int_equal(st.nb_lines, 13);
	assert_int_equal(st.nb_iocs, 8);
	assert_int_equal(st.nb_skipped, 4);
	assert_int_equal(sink.n, 8);
	for (i = 0; i < sink.n; i++) {
		assert_string_equal(sink.v[i].value, want[i]);
		assert_string_equal(sink.v[i].threat, "Emotet epoch 5 C2 infrastructure");
		assert_string_equal(sink.v[i].reference, EVENT_UUID);
		assert_string_equal(sink.v[i].feed, "misp_event");
	}
	v = &sink.v[0];
	assert_string_equal(v->malware, "Emotet");
	assert_string_equal(v->tags, "tlp:white,misp-galaxy:malpedia=\"Emotet\"");
	assert_int_equal(v->ioc.first_seen, 1714295700); /* 2024-04-28T09:15:00+00:00 */
	assert_int_equal(v->ioc.last_seen, 1714586400);	 /* 2024-05-01T18:00:00+00:00 */
	/* Without first/last seen: the event date, the attribute's timestamp. */
	v = &sink.v[1];
	assert_int_equal(v->ioc.type, IOCW_IOC_IP_PORT);
	assert_int_equal(v->ioc.first_seen, 1714348800); /* 2024-04-29 */
	assert_int_equal(v->ioc.last_seen, 1714557600);
	/* The attribute's own galaxy tag names the family first. */
	v = &sink.v[2];
	assert_string_equal(v->malware, "Emotet - S0367");
	assert_string_equal(v->tags,
			    "tlp:white,misp-galaxy:malpedia=\"Emotet\","
			    "misp-galaxy:mitre-malware=\"Emotet - S0367\",kill-chain:Delivery");
	assert_int_equal(sink.v[3].ioc.type, IOCW_IOC_DOMAIN);
	assert_int_equal(sink.v[4].ioc.type, IOCW_IOC_IP);
	assert_int_equal(sink.v[5].ioc.type, IOCW_IOC_URL);
	test_sink_free(&sink);
	test_capture_close(&cap);
}

/* misp_all_attributes: to_ids=false attributes are taken too. */
static void
test_event_all_attributes(void **state)
{
	struct feed_options opt = {.misp_all = true};
	struct test_capture cap;
	struct test_sink sink;
	struct feed_stats st;

	(void)state;
	assert_int_equal(test_load_file("data/feeds/misp_event.json", &opt, &sink, &st, &cap), 0);
	assert_int_equal(st.nb_iocs, 9);
	assert_int_equal(st.nb_skipped, 3);
	assert_int_equal(find(&sink, "203.0.113.50")->ioc.type, IOCW_IOC_IP);
	test_sink_free(&sink);
	test_capture_close(&cap);
}

static void
test_feed_directory(void **state)
{
	struct feed_options opt = {0};
	struct test_capture cap;
	struct test_sink sink;
	struct feed_stats st;
	const struct test_ioc *v;

	(void)state;
	assert_int_equal(test_load_file("data/feeds/misp_feed/", &opt, &sink, &st, &cap), 0);
	assert_string_equal(test_capture_text(&cap),
			    "data/feeds/misp_feed/manifest.json: warning: skipped 1 record iocwire "
			    "does not match: email-src 1\n");
	assert_int_equal(st.format, FEED_FORMAT_MISP_FEED);
	assert_int_equal(st.nb_lines, 4);
	assert_int_equal(st.nb_iocs, 3);
	v = find(&sink, "https://qakbot-drop.example/download/invoice.zip");
	assert_string_equal(v->feed, "misp_feed");
	assert_string_equal(v->malware, "QakBot");
	assert_string_equal(v->threat, "QakBot distribution sites");
	assert_string_equal(v->reference, "4f8d2e10-7c3a-4b5e-9f61-0a1b2c3d4e5f");
	assert_int_equal(find(&sink, "192.0.2.0/28")->ioc.type, IOCW_IOC_CIDR);
	v = find(&sink, "login-microsoft.phish.example");
	assert_string_equal(v->tags, "tlp:green");
	assert_string_equal(v->malware, "");
	test_sink_free(&sink);
	test_capture_close(&cap);

	/* The manifest file itself is detected and reads its directory's events. */
	opt.name = NULL;
	assert_int_equal(
	    test_load_file("data/feeds/misp_feed/manifest.json", &opt, &sink, &st, &cap), 0);
	assert_int_equal(st.format, FEED_FORMAT_MISP_FEED);
	assert_int_equal(st.nb_iocs, 3);
	test_sink_free(&sink);
	test_capture_close(&cap);
}

/* A manifest naming a file that is not there, or a key that is not a UUID (never a path). */
static void
test_feed_manifest_errors(void **state)
{
	static const char manifest[] = "{\"00000000-0000-4000-8000-000000000000\": {},\n"
				       " \"../../etc/passwd\": {}}";
	struct test_capture cap;
	struct test_sink sink;
	struct feed_stats st;

	(void)state;
	assert_int_equal(test_load("data/feeds/misp_feed/manifest.json", manifest,
				   sizeof(manifest) - 1, FEED_FORMAT_AUTO, false, &sink, &st, &cap),
			 0);
	assert_int_equal(st.format, FEED_FORMAT_MISP_FEED);
	assert_string_equal(
	    test_capture_text(&cap),
	    "data/feeds/misp_feed/manifest.json:1:42: cannot read event file "
	    "data/feeds/misp_feed/00000000-0000-4000-8000-000000000000.json: No such file or "
	    "directory\n"
	    "data/feeds/misp_feed/manifest.json:2:22: manifest key \"../../etc/passwd\" is not an "
	    "event UUID\n");
	assert_int_equal(sink.n, 0);
	test_capture_close(&cap);
}

/* restSearch answers, arrays of events, odd attribute values. */
static void
test_shapes_and_errors(void **state)
{
	static const char rest[] =
	    "{\"response\": [{\"Event\": {\"info\": \"one\", \"uuid\": \"u1\", \"Attribute\": ["
	    "{\"type\": \"ip-src|port\", \"to_ids\": 1, \"value\": \"192.0.2.1|8080\"}]}},\n"
	    "{\"Event\": {\"info\": \"two\", \"Attribute\": [\n"
	    "{\"type\": \"ip-dst|port\", \"to_ids\": true, \"value\": \"192.0.2.2\"},\n"
	    "{\"type\": \"domain|ip\", \"to_ids\": true, \"value\": \"a.example|b.example\"},\n"
	    "{\"type\": \"url\", \"to_ids\": true},\n"
	    "{\"to_ids\": true, \"value\": \"x\"},\n"
	    "[1],\n"
	    "{\"type\": \"ip-dst\", \"to_ids\": true, \"value\": \"2001:db8::1\", \"first_seen\": "
	    "\"soon\"},\n"
	    "{\"type\": \"domain\", \"to_ids\": \"0\", \"value\": \"skipped.example\"}]}}]}";
	static const char array[] = "[{\"Event\": {\"Attribute\": [{\"type\": \"hostname\", "
				    "\"to_ids\": true, \"value\": \"h.example\"}]}}]";
	static const char not_misp[] = "{\"Event\": 5}";
	struct test_capture cap;
	struct test_sink sink;
	struct feed_stats st;

	(void)state;
	assert_int_equal(
	    test_load("r.json", rest, sizeof(rest) - 1, FEED_FORMAT_AUTO, false, &sink, &st, &cap),
	    0);
	assert_int_equal(st.format, FEED_FORMAT_MISP);
	assert_string_equal(
	    test_capture_text(&cap),
	    "r.json:3:1: value \"192.0.2.2\" should be \"address|port\"\n"
	    "r.json:4:1: indicator \"b.example\" is a domain, but its type says ip\n"
	    "r.json:5:1: attribute has no \"value\" string\n"
	    "r.json:6:1: attribute has no \"type\" string\n"
	    "r.json:7:1: attribute should be an object, not array\n"
	    "r.json:8:1: first_seen \"soon\" is not a UTC date (YYYY-MM-DD HH:MM:SS)\n"
	    "r.json: warning: skipped 1 record iocwire does not match: not to_ids 1\n");
	assert_int_equal(sink.n, 2);
	assert_string_equal(sink.v[0].value, "192.0.2.1:8080");
	assert_string_equal(sink.v[0].reference, "u1");
	/* The domain half of a domain|ip is taken even when the address half is bad. */
	assert_string_equal(sink.v[1].value, "a.example");
	assert_string_equal(sink.v[1].threat, "two");
	test_sink_free(&sink);
	test_capture_close(&cap);

	assert_int_equal(
	    test_load("a.json", array, sizeof(array) - 1, FEED_FORMAT_AUTO, true, &sink, &st, &cap),
	    0);
	assert_int_equal(sink.n, 1);
	test_sink_free(&sink);
	test_capture_close(&cap);

	assert_int_equal(test_load("n.json", not_misp, sizeof(not_misp) - 1, FEED_FORMAT_AUTO,
				   false, &sink, &st, &cap),
			 0);
	assert_string_equal(test_capture_text(&cap),
			    "n.json:1:11: event should be an object, not number\n");
	test_capture_close(&cap);
}

static void
test_detect(void **state)
{
	static const char event[] = "{\"Event\": {}}";
	static const char manifest[] =
	    "{\"4f8d2e10-7c3a-4b5e-9f61-0a1b2c3d4e5f\": {\"info\": \"x\"}}";
	static const char rest[] = "{\"response\": [{\"Event\": {}}]}";

	(void)state;
	assert_int_equal(feed_detect(event, sizeof(event) - 1), FEED_FORMAT_MISP);
	assert_int_equal(feed_detect(rest, sizeof(rest) - 1), FEED_FORMAT_MISP);
	assert_int_equal(feed_detect(manifest, sizeof(manifest) - 1), FEED_FORMAT_MISP_FEED);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_event_sample),      cmocka_unit_test(test_event_all_attributes),
	    cmocka_unit_test(test_feed_directory),    cmocka_unit_test(test_feed_manifest_errors),
	    cmocka_unit_test(test_shapes_and_errors), cmocka_unit_test(test_detect),
	};

	test_chdir_data();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
