/* SPDX-License-Identifier: BSD-3-Clause */
/* Feed-set compile: lifetime (max_age, valid_until), removal lists, merging across feeds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <cmocka.h>

#include "compile.h"
#include "contract/snapshot_match.h"

static char dir[64];

static const char *
write_file(const char *name, const char *text)
{
	static char path[8][128];
	static int next;
	char *p = path[next++ % 8];
	FILE *f;

	snprintf(p, 128, "%s/%s", dir, name);
	f = fopen(p, "w");
	fputs(text, f);
	fclose(f);
	return p;
}

static struct control_feed
feed(const char *path)
{
	struct control_feed f;

	memset(&f, 0, sizeof(f));
	snprintf(f.path, sizeof(f.path), "%s", path);
	return f;
}

static bool
matches(const struct compile_result *res, const char *dst, uint16_t dport)
{
	struct snapshot_view v;
	struct snapshot_probe p = {.family = IOCW_FAMILY_V4, .proto = 6, .has_ports = true,
				   .sport = 40000, .dport = dport};
	struct snapshot_hit hit;
	struct in_addr a;
	char err[128];

	assert_int_equal(snapshot_open(&v, res->blob, res->len, err, sizeof(err)), 0);
	inet_pton(AF_INET, "10.0.0.1", &a);
	p.src4 = ntohl(a.s_addr);
	inet_pton(AF_INET, dst, &a);
	p.dst4 = ntohl(a.s_addr);
	return snapshot_match(&v, &p, &hit);
}

static void
test_removal_list_applies_to_every_feed(void **state)
{
	struct control_feed feeds[] = {
		feed(write_file("a.txt", "1.2.3.4\n5.6.7.8:443\n")),
		feed(write_file("b.txt", "9.9.9.9\n")),
		feed(write_file("rm.txt", "# incident closed\n5.6.7.8:443\n9.9.9.9\n")),
	};
	struct compile_result res;
	FILE *report = fopen("/dev/null", "w");

	(void)state;
	feeds[2].remove = true;
	assert_int_equal(compile_feeds(feeds, 3, 1, report, &res), 0);
	assert_int_equal(res.nb_removed, 2);
	assert_int_equal(res.build.nb_added, 1);
	assert_true(matches(&res, "1.2.3.4", 80));
	assert_false(matches(&res, "5.6.7.8", 443));
	assert_false(matches(&res, "9.9.9.9", 80));
	free(res.blob);
	fclose(report);
}

static void
test_max_age_drops_old_indicators(void **state)
{
	const char *csv =
		"# \"first_seen_utc\",\"ioc_id\",\"ioc_value\",\"ioc_type\",\"threat_type\",\"fk_malware\","
		"\"malware_alias\",\"malware_printable\",\"last_seen_utc\",\"confidence_level\",\"reference\","
		"\"tags\",\"anonymous\",\"reporter\"\n"
		"\"2020-01-01 00:00:00\", \"1\", \"95.85.246.53:443\", \"ip:port\", \"botnet_cc\", \"x\", \"None\","
		" \"Old\", \"2020-01-02 00:00:00\", \"100\", \"None\", \"\", \"0\", \"r\"\n"
		"\"2099-01-01 00:00:00\", \"2\", \"101.109.237.93:7443\", \"ip:port\", \"botnet_cc\", \"x\", \"None\","
		" \"New\", \"\", \"100\", \"None\", \"\", \"0\", \"r\"\n";
	struct control_feed feeds[] = {feed(write_file("tf.csv", csv))};
	struct compile_result res;
	FILE *report = fopen("/dev/null", "w");

	(void)state;
	feeds[0].max_age_s = 30 * 86400;
	assert_int_equal(compile_feeds(feeds, 1, 1, report, &res), 0);
	assert_int_equal(res.nb_aged, 1);
	assert_false(matches(&res, "95.85.246.53", 443));
	assert_true(matches(&res, "101.109.237.93", 7443));
	free(res.blob);

	/* Without max_age both stay. */
	feeds[0].max_age_s = 0;
	assert_int_equal(compile_feeds(feeds, 1, 1, report, &res), 0);
	assert_int_equal(res.nb_aged, 0);
	assert_true(matches(&res, "95.85.246.53", 443));
	free(res.blob);
	fclose(report);
}

static void
test_broken_feed_fails_the_whole_compile(void **state)
{
	struct control_feed feeds[] = {feed(write_file("ok.txt", "1.2.3.4\n")),
				       feed(write_file("bad.txt", "1.2.3.4\n999.1.1.1\n"))};
	struct compile_result res;
	FILE *report = fopen("/dev/null", "w");

	(void)state;
	feeds[1].strict = true;
	assert_true(compile_feeds(feeds, 2, 1, report, &res) < 0);
	assert_null(res.blob);
	feeds[1] = feed("/nonexistent/feed.txt");
	assert_true(compile_feeds(feeds, 2, 1, report, &res) < 0);
	assert_null(res.blob);
	fclose(report);
}

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/iocw-compile-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_removal_list_applies_to_every_feed),
		cmocka_unit_test(test_max_age_drops_old_indicators),
		cmocka_unit_test(test_broken_feed_fails_the_whole_compile),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
