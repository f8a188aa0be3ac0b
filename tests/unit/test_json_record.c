/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_json_record.c - the JSON-lines record: CommonSecurityLog column names
 * and types for the seed flow, omitted keys, and escaping of hostile values
 * (quotes, backslashes, control characters, invalid UTF-8 -> U+FFFD).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "json_record.h"

static struct cef_event
seed_flow_end(void)
{
	struct cef_event ev = {
		.kind = CEF_KIND_FLOW_END, .vendor = "iocwire", .product = "iocwire", .version = "0.1.0",
		.dvchost = "sensor-01", .dvc = "192.0.2.10", .src = "10.20.0.15", .dst = "95.85.246.53",
		.spt = 49812, .dpt = 443, .proto = "TCP", .act = "alert", .direction = CEF_DIR_OUTBOUND,
		.rt_ms = 1793527220060, .start_ms = 1793527201000, .end_ms = 1793527220060, .cnt = 1,
		.pkts = 18, .bytes_out = 978, .bytes_in = 2106, .flow_id = 1, .end_reason = "fin",
		.tcp_flags = 0x1b, .ioc = "95.85.246.53:443", .ioc_type = "ip:port", .matched = "dst",
		.malware = "NetSupportManager RAT", .threat = "botnet_cc", .feed = "threatfox",
		.confidence = 100,
	};
	return ev;
}

static void
test_seed_record(void **state)
{
	struct cef_event ev = seed_flow_end();
	char buf[4096];
	size_t n = json_record_format(&ev, buf, sizeof(buf));

	(void)state;
	assert_int_equal(n, strlen(buf));
	assert_string_equal(buf,
		"{\"TimeGenerated\":\"2026-11-01T10:00:20.060Z\",\"DeviceVendor\":\"iocwire\","
		"\"DeviceProduct\":\"iocwire\",\"DeviceVersion\":\"0.1.0\",\"DeviceEventClassID\":\"flow-end\","
		"\"Activity\":\"Flow end: NetSupportManager RAT C2 traffic (botnet_cc)\",\"LogSeverity\":\"10\","
		"\"ReceiptTime\":\"1793527220060\",\"DeviceName\":\"sensor-01\",\"DeviceAddress\":\"192.0.2.10\","
		"\"DeviceEventCategory\":\"ioc/flow-end\",\"DeviceAction\":\"alert\","
		"\"CommunicationDirection\":\"1\",\"SourceIP\":\"10.20.0.15\",\"SourcePort\":49812,"
		"\"DestinationIP\":\"95.85.246.53\",\"DestinationPort\":443,\"Protocol\":\"TCP\","
		"\"EventCount\":1,\"SentBytes\":978,\"ReceivedBytes\":2106,"
		"\"StartTime\":\"2026-11-01T10:00:01.000Z\",\"EndTime\":\"2026-11-01T10:00:20.060Z\","
		"\"Reason\":\"fin\",\"ExtID\":\"1\","
		"\"DeviceCustomString1Label\":\"MalwareFamily\",\"DeviceCustomString1\":\"NetSupportManager RAT\","
		"\"DeviceCustomString2Label\":\"ThreatType\",\"DeviceCustomString2\":\"botnet_cc\","
		"\"DeviceCustomString3Label\":\"IndicatorValue\",\"DeviceCustomString3\":\"95.85.246.53:443\","
		"\"DeviceCustomString4Label\":\"FeedName\",\"DeviceCustomString4\":\"threatfox\","
		"\"DeviceCustomString6Label\":\"IndicatorType\",\"DeviceCustomString6\":\"ip:port\","
		"\"DeviceCustomNumber1Label\":\"Confidence\",\"FieldDeviceCustomNumber1\":100,"
		"\"DeviceCustomNumber3Label\":\"Packets\",\"FieldDeviceCustomNumber3\":18,"
		"\"FlexString1Label\":\"MatchedEndpoint\",\"FlexString1\":\"dst\","
		"\"FlexString2Label\":\"TcpFlags\",\"FlexString2\":\"SYN,ACK,PSH,FIN\"}");
}

static void
test_match_omits_flow_end_keys(void **state)
{
	struct cef_event ev = seed_flow_end();
	char buf[4096];

	(void)state;
	ev.kind = CEF_KIND_MATCH;
	ev.direction = CEF_DIR_UNKNOWN;
	ev.spt = ev.dpt = -1;
	ev.confidence = -1;
	ev.dvc = NULL;
	json_record_format(&ev, buf, sizeof(buf));
	assert_null(strstr(buf, "StartTime"));
	assert_null(strstr(buf, "Reason"));
	assert_null(strstr(buf, "Port"));
	assert_null(strstr(buf, "CommunicationDirection"));
	assert_null(strstr(buf, "DeviceAddress"));
	assert_null(strstr(buf, "Confidence"));
	assert_non_null(strstr(buf, "\"DeviceEventClassID\":\"ioc-match\""));
}

static void
test_escaping(void **state)
{
	struct cef_event ev = seed_flow_end();
	char buf[4096];

	(void)state;
	ev.malware = "q\"b\\s|p=e\nn\rr\tt\x01" "c\x7f" "d \xc3\xbc \xff\xfe \xc3( \xed\xa0\x80 \xe2\x82\xac";
	json_record_format(&ev, buf, sizeof(buf));
	assert_non_null(strstr(buf,
		"\"DeviceCustomString1\":\"q\\\"b\\\\s|p=e\\nn\\rr\\tt\\u0001c\\u007fd \xc3\xbc "
		"\\ufffd\\ufffd \\ufffd( \\ufffd\\ufffd\\ufffd \xe2\x82\xac\""));
}

static void
test_small_buffer(void **state)
{
	struct cef_event ev = seed_flow_end();
	char buf[64];
	size_t full = json_record_format(&ev, NULL, 0);

	(void)state;
	assert_true(full > sizeof(buf));
	assert_int_equal(json_record_format(&ev, buf, sizeof(buf)), full);
	assert_int_equal(strlen(buf), sizeof(buf) - 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_record),
		cmocka_unit_test(test_match_omits_flow_end_keys),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_small_buffer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
