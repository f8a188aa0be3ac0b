/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_syslog_frame.c - syslog headers (RFC 5424 fields, PRI, RFC 3164),
 * TCP framing (RFC 6587 octet-counting, newline) and the field-boundary cut
 * of CEF records for UDP.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "syslog_frame.h"

static const struct timespec ts = {.tv_sec = 1793527201, .tv_nsec = 123456789};

static void
test_rfc5424_header(void **state)
{
	struct syslog_frame f = {.format = EXPORT_FORMAT_RFC5424, .facility = 20,
				 .hostname = "sensor-01", .pid = 4242};
	char buf[256];
	size_t n = syslog_frame_header(&f, 2, "ioc-match", &ts, buf, sizeof(buf));

	(void)state;
	/* PRI = 20 * 8 + 2 = 162; VERSION 1; UTC with microseconds; STRUCTURED-DATA "-". */
	assert_string_equal(buf, "<162>1 2026-11-01T10:00:01.123456Z sensor-01 iocwire 4242 ioc-match - ");
	assert_int_equal(n, strlen(buf));
}

static void
test_hostname_and_msgid_tokens(void **state)
{
	struct syslog_frame f = {.format = EXPORT_FORMAT_RFC5424, .facility = 0, .hostname = "my host\t1",
				 .pid = 1};
	char buf[256];

	(void)state;
	syslog_frame_header(&f, 5, "", &ts, buf, sizeof(buf));
	assert_string_equal(buf, "<5>1 2026-11-01T10:00:01.123456Z my_host_1 iocwire 1 - - ");
	f.hostname = "";
	syslog_frame_header(&f, 7, "a-very-long-message-id-longer-than-32", &ts, buf, sizeof(buf));
	assert_string_equal(buf, "<7>1 2026-11-01T10:00:01.123456Z - iocwire 1 a-very-long-message-id-longer-th - ");
}

static void
test_rfc3164_header(void **state)
{
	struct syslog_frame f = {.format = EXPORT_FORMAT_RFC3164, .facility = 22, .hostname = "s1", .pid = 7};
	char buf[256];

	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	syslog_frame_header(&f, 4, "ignored", &ts, buf, sizeof(buf));
	/* 22 * 8 + 4 = 180; "Nov  1": the day is space-padded (RFC 3164 4.1.2). */
	assert_string_equal(buf, "<180>Nov  1 10:00:01 s1 iocwire[7]: ");
}

static void
test_severity_map(void **state)
{
	(void)state;
	assert_int_equal(syslog_frame_severity(10), 2);
	assert_int_equal(syslog_frame_severity(9), 2);
	assert_int_equal(syslog_frame_severity(8), 3);
	assert_int_equal(syslog_frame_severity(5), 4);
	assert_int_equal(syslog_frame_severity(3), 5);
	assert_int_equal(syslog_frame_severity(0), 5);
}

static void
test_stream_framing(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(syslog_frame_stream(EXPORT_FRAMING_OCTET, "<13>1 - x", 9, buf, sizeof(buf)), 11);
	assert_memory_equal(buf, "9 <13>1 - x", 11);
	assert_int_equal(syslog_frame_stream(EXPORT_FRAMING_NEWLINE, "abc", 3, buf, sizeof(buf)), 4);
	assert_memory_equal(buf, "abc\n", 4);
	assert_int_equal(syslog_frame_stream(EXPORT_FRAMING_OCTET, "abcdef", 6, buf, 8), 0);
}

#define REC "CEF:0|iocwire|iocwire|0.1.0|ioc-match|A \\| b|10|rt=1 src=10.0.0.1 msg=x\\=y cs1Label=MalwareFamily cs1=Evil RAT dst=1.2.3.4"

static void
test_cut_cef(void **state)
{
	size_t len = strlen(REC);
	const char *src = strstr(REC, " src=");
	const char *msg = strstr(REC, " msg=");
	const char *label = strstr(REC, " cs1Label=");

	(void)state;
	assert_int_equal(syslog_frame_cut_cef(REC, len, len), len);
	assert_int_equal(syslog_frame_cut_cef(REC, len, len + 10), len);
	/* One byte short: the last field goes. */
	assert_int_equal(syslog_frame_cut_cef(REC, len, len - 1), (size_t)(strstr(REC, " dst=") - REC));
	/* Inside cs1: cs1Label goes with it, never a label without its value. */
	assert_int_equal(syslog_frame_cut_cef(REC, len, (size_t)(strstr(REC, " cs1=") - REC) + 3),
			 (size_t)(label - REC));
	/* Inside msg's value, where "y" follows an escaped '=': not a key, cut before msg. */
	assert_int_equal(syslog_frame_cut_cef(REC, len, (size_t)(msg - REC) + 8), (size_t)(msg - REC));
	assert_int_equal(syslog_frame_cut_cef(REC, len, (size_t)(src - REC) + 3), (size_t)(src - REC));
	/* Not even the header and the first key: nothing. */
	assert_int_equal(syslog_frame_cut_cef(REC, len, 20), 0);
	assert_int_equal(syslog_frame_cut_cef(REC, len, (size_t)(src - REC) - 1), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc5424_header),
		cmocka_unit_test(test_hostname_and_msgid_tokens),
		cmocka_unit_test(test_rfc3164_header),
		cmocka_unit_test(test_severity_map),
		cmocka_unit_test(test_stream_framing),
		cmocka_unit_test(test_cut_cef),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
