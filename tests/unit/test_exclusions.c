/* SPDX-License-Identifier: BSD-3-Clause */
/* Exclusions: YAML loading, schedules (time zones, DST, cron), host groups, evaluation. */
#include <setjmp.h>
#include <stdarg.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <arpa/inet.h>
#include <cmocka.h>

#include "contract/exclusion.h"
#include "exclusions.h"
#include "snapshot_build.h"

static struct exclusion_set *
load(const char *yaml, char *err, size_t errlen)
{
	char e[512];
	struct yaml_doc *d = yaml_doc_parse("t.yaml", yaml, strlen(yaml), e, sizeof(e));
	struct exclusion_set *s;

	assert_non_null(d);
	s = exclusions_load(d, yaml_doc_get(d, yaml_doc_root(d), "control"));
	if (s == NULL && err)
		snprintf(err, errlen, "%.*s", (int)(errlen - 1), d->err);
	yaml_doc_free(d);
	return s;
}

static uint64_t
utc(int y, int mo, int d, int h, int mi)
{
	struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi};

	return (uint64_t)timegm(&tm) * 1000000000ULL;
}

struct built {
	void *blob;
	size_t len;
	struct snapshot_view v;
};

/* A snapshot with 95.85.246.53:443 (family "RAT", feed "tf") and the given exclusions. */
static void
build(struct built *b, const struct exclusion_set *s)
{
	struct snapshot_builder *sb = snapshot_builder_new();
	struct ioc ioc;
	char err[256];

	memset(&ioc, 0, sizeof(ioc));
	ioc.type = IOCW_IOC_IP_PORT;
	ioc.family = IOCW_FAMILY_V4;
	inet_pton(AF_INET, "95.85.246.53", ioc.addr);
	ioc.port = 443;
	ioc.value = "95.85.246.53:443";
	ioc.feed = "tf";
	ioc.malware = "RAT";
	ioc.confidence = 90;
	assert_int_equal(snapshot_builder_add(sb, &ioc), 0);
	assert_int_equal(snapshot_builder_set_exclusions(sb, s), 0);
	assert_int_equal(snapshot_builder_finish(sb, 1, &b->blob, &b->len), 0);
	snapshot_builder_free(sb);
	assert_int_equal(snapshot_open(&b->v, b->blob, b->len, err, sizeof(err)), 0);
}

/* Which exclusion (name) applies to a TCP flow from @p host to the IOC at @p when, or NULL. */
static const char *
applies(const struct built *b, const char *host, uint16_t sport, uint64_t when)
{
	uint8_t ioc_addr[16] = {0}, other[16] = {0};
	struct snapshot_hit hit = {.meta = 0, .side = IOCW_SIDE_DST, .kind = SNAP_KIND_PORT};
	struct exclusion_probe p = {.family = IOCW_FAMILY_V4, .proto = 6, .sport = sport, .dport = 443,
				    .ioc_addr = ioc_addr, .ioc_port = 443, .other_addr = other, .hit = &hit,
				    .now_ns = when};
	int x;

	inet_pton(AF_INET, "95.85.246.53", ioc_addr);
	inet_pton(AF_INET, host, other);
	x = snapshot_exclusion_find(&b->v, &p);
	return x < 0 ? NULL : snapshot_string(&b->v, b->v.excl[x].name);
}

static void
test_groups_ports_and_families(void **state)
{
	struct exclusion_set *s = load("control:\n"
				       "  host_groups:\n"
				       "    helpdesk: [10.20.5.0/24, 10.99.0.7]\n"
				       "  exclusions:\n"
				       "    - name: hd\n      hosts: [helpdesk]\n      families: [Other, RAT]\n"
				       "    - name: port-only\n      ports: [5405]\n      protocols: [tcp]\n"
				       "    - name: wrong-feed\n      feeds: [nope]\n",
				       NULL, 0);
	struct built b;

	(void)state;
	assert_non_null(s);
	build(&b, s);
	assert_string_equal(applies(&b, "10.20.5.77", 50000, utc(2026, 11, 2, 9, 0)), "hd");
	assert_string_equal(applies(&b, "10.99.0.7", 50000, 0), "hd");
	assert_null(applies(&b, "10.99.0.8", 50000, 0));
	assert_string_equal(applies(&b, "10.1.1.1", 5405, 0), "port-only");
	assert_null(applies(&b, "10.1.1.1", 5406, 0));
	free(b.blob);
	exclusions_free(s);
}

static void
test_schedule_time_zone_and_dst(void **state)
{
	struct exclusion_set *s = load("control:\n  exclusions:\n"
				       "    - name: office\n"
				       "      schedule: {days: [mon-fri], from: \"08:00\", to: \"18:00\", "
				       "timezone: Europe/Berlin}\n",
				       NULL, 0);
	struct built b;

	(void)state;
	assert_non_null(s);
	build(&b, s);
	/* Winter (UTC+1): 08:00 Berlin is 07:00 UTC. */
	assert_null(applies(&b, "10.0.0.1", 1, utc(2026, 11, 2, 6, 59)));
	assert_non_null(applies(&b, "10.0.0.1", 1, utc(2026, 11, 2, 7, 0)));
	assert_non_null(applies(&b, "10.0.0.1", 1, utc(2026, 11, 2, 16, 59)));
	assert_null(applies(&b, "10.0.0.1", 1, utc(2026, 11, 2, 17, 0)));
	/* Saturday and Sunday: never. */
	assert_null(applies(&b, "10.0.0.1", 1, utc(2026, 11, 7, 10, 0)));
	assert_null(applies(&b, "10.0.0.1", 1, utc(2026, 11, 1, 10, 0)));
	/* Summer (UTC+2) after the switch on Sunday 2026-03-29 01:00 UTC: 08:00 Berlin is 06:00 UTC. */
	assert_non_null(applies(&b, "10.0.0.1", 1, utc(2026, 3, 30, 6, 0)));
	assert_null(applies(&b, "10.0.0.1", 1, utc(2026, 3, 27, 6, 0))); /* Friday before: still UTC+1 */
	assert_non_null(applies(&b, "10.0.0.1", 1, utc(2026, 3, 27, 7, 0)));
	free(b.blob);
	exclusions_free(s);
}

static void
test_overnight_window_and_cron(void **state)
{
	uint64_t week[SNAP_WEEK_WORDS];
	struct exclusion_set *s = load("control:\n  exclusions:\n"
				       "    - name: night\n      schedule: {from: \"22:00\", to: \"02:00\"}\n"
				       "    - name: backup\n      schedule: {cron: \"30 2 * * 0\", duration: 90m}\n",
				       NULL, 0);
	struct built b;

	(void)state;
	assert_non_null(s);
	build(&b, s);
	/* Overnight: 23:30 and 01:30 UTC in, 12:00 out. */
	assert_string_equal(applies(&b, "10.0.0.1", 1, utc(2026, 11, 4, 23, 30)), "night");
	assert_string_equal(applies(&b, "10.0.0.1", 1, utc(2026, 11, 5, 1, 30)), "night");
	assert_null(applies(&b, "10.0.0.1", 1, utc(2026, 11, 5, 12, 0)));
	/* Cron: Sundays 02:30 for 90 minutes (overlaps "night" until 02:00, then only backup). */
	assert_string_equal(applies(&b, "10.0.0.1", 1, utc(2026, 11, 8, 3, 0)), "backup");
	assert_null(applies(&b, "10.0.0.1", 1, utc(2026, 11, 8, 4, 0)));
	assert_null(applies(&b, "10.0.0.1", 1, utc(2026, 11, 9, 3, 0))); /* Monday */
	free(b.blob);
	exclusions_free(s);

	assert_int_equal(exclusions_cron_week("0 2 1 * *", 60, week), -EINVAL); /* day of month */
	assert_int_equal(exclusions_cron_week("61 2 * * *", 60, week), -EINVAL);
	assert_int_equal(exclusions_cron_week("*/15 * * * 1-5", 1, week), 0);
}

static void
test_errors_name_the_place(void **state)
{
	char err[1024];

	(void)state;
	assert_null(load("control:\n  exclusions:\n    - name: x\n      hosts: [nowhere]\n", err, sizeof(err)));
	assert_non_null(strstr(err, "t.yaml:4:"));
	assert_non_null(strstr(err, "host group name, address or CIDR"));
	assert_null(load("control:\n  exclusions:\n    - name: x\n      schedule: {from: \"25:00\", to: \"1:00\"}\n",
			 err, sizeof(err)));
	assert_non_null(strstr(err, "HH:MM"));
	assert_null(load("control:\n  exclusions:\n    - hosts: [10.0.0.0/8]\n", err, sizeof(err)));
	assert_non_null(strstr(err, "needs a name"));
	assert_null(load("control:\n  policy:\n    - min_confidence: 90\n", err, sizeof(err)));
	assert_non_null(strstr(err, "action"));
}

static void
test_policy_first_rule_wins(void **state)
{
	struct exclusion_set *s = load("control:\n  policy:\n"
				       "    - {name: a, families: [RAT], min_confidence: 80, action: drop}\n"
				       "    - {name: b, types: [ip], action: drop}\n",
				       NULL, 0);
	struct ioc ioc;

	(void)state;
	assert_non_null(s);
	memset(&ioc, 0, sizeof(ioc));
	ioc.type = IOCW_IOC_IP_PORT;
	ioc.malware = "RAT";
	ioc.confidence = 90;
	ioc.action = IOCW_ACTION_ALERT;
	assert_int_equal(exclusions_policy_action(s, &ioc), IOCW_ACTION_DROP);
	ioc.confidence = 70;
	assert_int_equal(exclusions_policy_action(s, &ioc), IOCW_ACTION_ALERT);
	ioc.type = IOCW_IOC_IP;
	assert_int_equal(exclusions_policy_action(s, &ioc), IOCW_ACTION_DROP);
	exclusions_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_groups_ports_and_families),
		cmocka_unit_test(test_schedule_time_zone_and_dst),
		cmocka_unit_test(test_overnight_window_and_cron),
		cmocka_unit_test(test_errors_name_the_place),
		cmocka_unit_test(test_policy_first_rule_wins),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
