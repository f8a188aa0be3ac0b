/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * json_record.c - CommonSecurityLog columns as JSON. The keys and their order
 * follow the CEF extension order of cef.c; the table in docs/cef-mapping.md
 * names both.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "json_record.h"

struct json_out {
	char *buf;
	size_t len, pos;
	bool first;
};

static void
json_put(struct json_out *o, const char *s, size_t n)
{
	if (o->pos < o->len)
		memcpy(o->buf + o->pos, s, o->pos + n < o->len ? n : o->len - o->pos);
	o->pos += n;
}

/* Length of the well-formed UTF-8 sequence at @p (RFC 3629), 0 when it is not one. */
static size_t
json_utf8_len(const unsigned char *p)
{
	size_t n;

	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4;
	else
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	/* Overlong 3-byte forms, UTF-16 surrogates, and code points past U+10FFFF. */
	if ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] > 0x9f) ||
	    (p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] > 0x8f))
		return 0;
	return n;
}

static void
json_put_string(struct json_out *o, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	char esc[8];

	json_put(o, "\"", 1);
	while (*p != '\0') {
		size_t n = *p < 0x80 ? 1 : json_utf8_len(p);

		if (*p == '"' || *p == '\\') {
			esc[0] = '\\';
			esc[1] = (char)*p;
			json_put(o, esc, 2);
		} else if (*p == '\n' || *p == '\r' || *p == '\t') {
			json_put(o, *p == '\n' ? "\\n" : *p == '\r' ? "\\r" : "\\t", 2);
		} else if (*p < 0x20 || *p == 0x7f) {
			snprintf(esc, sizeof(esc), "\\u%04x", *p);
			json_put(o, esc, 6);
		} else if (n == 0) {
			json_put(o, "\\ufffd", 6);
			n = 1;
		} else {
			json_put(o, (const char *)p, n);
			p += n;
			continue;
		}
		p++;
	}
	json_put(o, "\"", 1);
}

static void
json_key(struct json_out *o, const char *key)
{
	json_put(o, o->first ? "\"" : ",\"", o->first ? 1 : 2);
	o->first = false;
	json_put(o, key, strlen(key));
	json_put(o, "\":", 2);
}

static void
json_str(struct json_out *o, const char *key, const char *val)
{
	if (val == NULL || val[0] == '\0')
		return;
	json_key(o, key);
	json_put_string(o, val);
}

static void
json_u64(struct json_out *o, const char *key, uint64_t val)
{
	char num[24];
	int n = snprintf(num, sizeof(num), "%" PRIu64, val);

	json_key(o, key);
	json_put(o, num, (size_t)n);
}

/* A datetime column: ISO 8601 UTC with milliseconds, e.g. 2026-11-01T10:00:01.000Z. */
static void
json_time(struct json_out *o, const char *key, uint64_t ms)
{
	time_t sec = (time_t)(ms / 1000);
	char text[80];
	struct tm tm;

	if (ms == 0)
		return;
	gmtime_r(&sec, &tm);
	snprintf(text, sizeof(text), "%04d-%02d-%02dT%02d:%02d:%02d.%03uZ", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (unsigned)(ms % 1000));
	json_str(o, key, text);
}

static void
json_labeled(struct json_out *o, const char *column, const char *label, const char *val)
{
	char key[48];

	if (val == NULL || val[0] == '\0')
		return;
	snprintf(key, sizeof(key), "%sLabel", column);
	json_str(o, key, label);
	json_str(o, column, val);
}

static void
json_header(struct json_out *o, const struct cef_event *ev)
{
	bool flow_end = ev->kind == CEF_KIND_FLOW_END;
	char text[1024], num[24];

	json_time(o, "TimeGenerated", ev->rt_ms);
	json_str(o, "DeviceVendor", ev->vendor && ev->vendor[0] ? ev->vendor : "iocwire");
	json_str(o, "DeviceProduct", ev->product && ev->product[0] ? ev->product : "iocwire");
	json_str(o, "DeviceVersion", ev->version && ev->version[0] ? ev->version : "unknown");
	json_str(o, "DeviceEventClassID", flow_end ? "flow-end" : "ioc-match");
	if (cef_activity(ev, text, sizeof(text)) < sizeof(text))
		json_str(o, "Activity", text);
	snprintf(num, sizeof(num), "%d", cef_severity(ev->confidence));
	json_str(o, "LogSeverity", num);
}

static void
json_network(struct json_out *o, const struct cef_event *ev)
{
	char num[24];

	if (ev->rt_ms != 0) {
		snprintf(num, sizeof(num), "%" PRIu64, ev->rt_ms);
		json_str(o, "ReceiptTime", num);
	}
	json_str(o, "DeviceName", ev->dvchost);
	json_str(o, "DeviceAddress", ev->dvc);
	json_str(o, "DeviceEventCategory", ev->kind == CEF_KIND_FLOW_END ? "ioc/flow-end" : "ioc/match");
	json_str(o, "DeviceAction", ev->act);
	if (ev->direction == CEF_DIR_INBOUND || ev->direction == CEF_DIR_OUTBOUND)
		json_str(o, "CommunicationDirection", ev->direction == CEF_DIR_INBOUND ? "0" : "1");
	json_str(o, "SourceIP", ev->src);
	if (ev->spt >= 0 && ev->spt <= 65535)
		json_u64(o, "SourcePort", (uint64_t)ev->spt);
	json_str(o, "DestinationIP", ev->dst);
	if (ev->dpt >= 0 && ev->dpt <= 65535)
		json_u64(o, "DestinationPort", (uint64_t)ev->dpt);
	json_str(o, "Protocol", ev->proto);
	if (ev->src != NULL && strchr(ev->src, ':') != NULL)
		json_labeled(o, "DeviceCustomIPv6Address2", "Source IPv6 Address", ev->src);
	if (ev->dst != NULL && strchr(ev->dst, ':') != NULL)
		json_labeled(o, "DeviceCustomIPv6Address3", "Destination IPv6 Address", ev->dst);
}

static void
json_flow(struct json_out *o, const struct cef_event *ev)
{
	char num[24];

	json_u64(o, "EventCount", ev->cnt);
	json_u64(o, "SentBytes", ev->bytes_out);
	json_u64(o, "ReceivedBytes", ev->bytes_in);
	if (ev->kind == CEF_KIND_FLOW_END) {
		json_time(o, "StartTime", ev->start_ms);
		json_time(o, "EndTime", ev->end_ms);
		json_str(o, "Reason", ev->end_reason);
	}
	snprintf(num, sizeof(num), "%" PRIu64, ev->flow_id);
	json_str(o, "ExtID", num);
}

static void
json_number_labeled(struct json_out *o, int n, const char *label, uint64_t val)
{
	char key[48];

	snprintf(key, sizeof(key), "DeviceCustomNumber%dLabel", n);
	json_str(o, key, label);
	snprintf(key, sizeof(key), "FieldDeviceCustomNumber%d", n);
	json_u64(o, key, val);
}

static void
json_ioc(struct json_out *o, const struct cef_event *ev)
{
	char flags[40];

	json_labeled(o, "DeviceCustomString1", "MalwareFamily", ev->malware);
	json_labeled(o, "DeviceCustomString2", "ThreatType", ev->threat);
	json_labeled(o, "DeviceCustomString3", "IndicatorValue", ev->ioc);
	json_labeled(o, "DeviceCustomString4", "FeedName", ev->feed);
	json_labeled(o, "DeviceCustomString5", "Reference", ev->reference);
	json_labeled(o, "DeviceCustomString6", "IndicatorType", ev->ioc_type);
	if (ev->confidence >= 0 && ev->confidence <= 100)
		json_number_labeled(o, 1, "Confidence", (uint64_t)ev->confidence);
	if (ev->vlan != 0)
		json_number_labeled(o, 2, "VlanId", ev->vlan);
	if (ev->pkts != 0)
		json_number_labeled(o, 3, "Packets", ev->pkts);
	json_labeled(o, "FlexString1", "MatchedEndpoint", ev->matched);
	cef_tcp_flags_text(ev->tcp_flags, flags, sizeof(flags));
	json_labeled(o, "FlexString2", "TcpFlags", flags);
}

size_t
json_record_format(const struct cef_event *ev, char *buf, size_t len)
{
	struct json_out o = {.buf = buf, .len = len, .first = true};

	json_put(&o, "{", 1);
	json_header(&o, ev);
	json_network(&o, ev);
	json_flow(&o, ev);
	json_ioc(&o, ev);
	json_put(&o, "}", 1);
	if (len > 0)
		buf[o.pos < len ? o.pos : len - 1] = '\0';
	return o.pos;
}
