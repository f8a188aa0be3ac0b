/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cef.c - one flow event as a CEF record. The header fields, the key order and
 * labels, and the escaping are a contract with Sentinel queries and are
 * documented in docs/cef-mapping.md: change both together.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cef.h"

/*
 * Output cursor with snprintf semantics. Text is appended in indivisible
 * pieces (an escape pair, a whole UTF-8 sequence, a number): once a piece does
 * not fit, nothing more is written, so a truncated record never ends in half
 * an escape or half a character. @total keeps counting the full length.
 */
struct cef_out {
	char *buf;
	size_t room;  /* text bytes that fit: len - 1, or 0 */
	size_t wlen;  /* text bytes written */
	size_t total; /* length of the complete record */
	bool full;
	unsigned int nb_keys;
};

static void
cef_put(struct cef_out *o, const char *s, size_t n)
{
	if (n == 0)
		return;
	if (!o->full && n <= o->room - o->wlen) {
		memcpy(o->buf + o->wlen, s, n);
		o->wlen += n;
	} else {
		o->full = true;
	}
	o->total += n;
}

static void
cef_put_str(struct cef_out *o, const char *s)
{
	cef_put(o, s, strlen(s));
}

static bool
cef_has(const char *s)
{
	return s != NULL && s[0] != '\0';
}

/* Length of the well-formed UTF-8 sequence at @p, or 1 (a lone byte is kept as is). */
static size_t
cef_utf8_len(const unsigned char *p)
{
	size_t n, i;

	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4;
	else
		return 1;
	/* The NUL terminator is not a continuation byte, so this stops at the end. */
	for (i = 1; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 1;
	return n;
}

/*
 * CEF escaping. Header: '\' and '|'. Extension value: '\', '=', and CR/LF as
 * \r and \n. Any other control character (0x01-0x1f, 0x7f), and CR/LF in the
 * header where CEF has no escape for them, becomes '?': a value taken from the
 * wire can never start a new field or a new record.
 */
static void
cef_put_escaped(struct cef_out *o, const char *s, bool header)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p != '\0') {
		unsigned char c = *p;
		char esc[2] = {'\\', (char)c};
		size_t n;

		if (c == '\\' || (header && c == '|') || (!header && c == '=')) {
			cef_put(o, esc, 2);
		} else if (!header && (c == '\n' || c == '\r')) {
			esc[1] = c == '\n' ? 'n' : 'r';
			cef_put(o, esc, 2);
		} else if (c < 0x20 || c == 0x7f) {
			cef_put(o, "?", 1);
		} else {
			n = cef_utf8_len(p);
			cef_put(o, (const char *)p, n);
			p += n;
			continue;
		}
		p++;
	}
}

static void
cef_key(struct cef_out *o, const char *key)
{
	if (o->nb_keys++ > 0)
		cef_put(o, " ", 1);
	cef_put_str(o, key);
	cef_put(o, "=", 1);
}

static void
cef_ext_str(struct cef_out *o, const char *key, const char *val)
{
	if (!cef_has(val))
		return;
	cef_key(o, key);
	cef_put_escaped(o, val, false);
}

static void
cef_ext_u64(struct cef_out *o, const char *key, uint64_t val)
{
	char num[24];
	int n = snprintf(num, sizeof(num), "%" PRIu64, val);

	cef_key(o, key);
	cef_put(o, num, (size_t)n);
}

/* "<key>Label=<label> <key>=<val>", or nothing when @val is empty. */
static void
cef_ext_labeled(struct cef_out *o, const char *key, const char *label, const char *val)
{
	char label_key[32];

	if (!cef_has(val))
		return;
	snprintf(label_key, sizeof(label_key), "%sLabel", key);
	cef_ext_str(o, label_key, label);
	cef_ext_str(o, key, val);
}

static void
cef_ext_labeled_u64(struct cef_out *o, const char *key, const char *label, uint64_t val)
{
	char label_key[32];

	snprintf(label_key, sizeof(label_key), "%sLabel", key);
	cef_ext_str(o, label_key, label);
	cef_ext_u64(o, key, val);
}

/* Threat types that name command-and-control traffic (ThreatFox, Feodo Tracker). */
static bool
cef_threat_is_c2(const char *threat)
{
	return cef_has(threat) &&
	       (strcasecmp(threat, "botnet_cc") == 0 || strcasecmp(threat, "c2") == 0);
}

/*
 * Name (-> Activity): "<malware> C2 traffic (<threat>)", "<malware> traffic
 * (<threat>)", "C2 traffic (<threat>)" or "IOC traffic"; "Flow end: " first
 * for flow-end records.
 */
static void
cef_put_field(struct cef_out *o, const char *s, bool escape)
{
	if (escape)
		cef_put_escaped(o, s, true);
	else
		cef_put_str(o, s);
}

static void
cef_put_name(struct cef_out *o, const struct cef_event *ev, bool escape)
{
	bool c2 = cef_threat_is_c2(ev->threat);

	if (ev->kind == CEF_KIND_FLOW_END)
		cef_put_str(o, "Flow end: ");
	if (cef_has(ev->malware)) {
		cef_put_field(o, ev->malware, escape);
		cef_put_str(o, c2 ? " C2 traffic" : " traffic");
	} else {
		cef_put_str(o, c2 ? "C2 traffic" : "IOC traffic");
	}
	if (cef_has(ev->threat)) {
		cef_put_str(o, " (");
		cef_put_field(o, ev->threat, escape);
		cef_put_str(o, ")");
	}
}

size_t
cef_activity(const struct cef_event *ev, char *buf, size_t len)
{
	struct cef_out o = {.buf = buf, .room = len > 0 ? len - 1 : 0};

	cef_put_name(&o, ev, false);
	if (len > 0)
		buf[o.wlen] = '\0';
	return o.total;
}

/* "SYN,ACK,PSH,FIN": connection-lifecycle order, not bit order. */
void
cef_tcp_flags_text(uint8_t flags, char *buf, size_t len)
{
	static const struct {
		uint8_t bit;
		const char *name;
	} names[] = {
	    {0x02, "SYN"}, {0x10, "ACK"}, {0x08, "PSH"}, {0x20, "URG"},
	    {0x01, "FIN"}, {0x04, "RST"}, {0x40, "ECE"}, {0x80, "CWR"},
	};
	size_t i, pos = 0;

	buf[0] = '\0';
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!(flags & names[i].bit))
			continue;
		pos +=
		    (size_t)snprintf(buf + pos, len - pos, "%s%s", pos ? "," : "", names[i].name);
	}
}

int
cef_severity(int confidence)
{
	if (confidence < 0)
		return 5;
	if (confidence > 100)
		confidence = 100;
	/* Rounded to the nearest tenth: 100 -> 10 (Very-High), 75 -> 8 (High), 50 -> 5. */
	return (confidence + 5) / 10;
}

size_t
cef_format(const struct cef_event *ev, char *buf, size_t len)
{
	struct cef_out o = {.buf = buf, .room = len > 0 ? len - 1 : 0};
	bool flow_end = ev->kind == CEF_KIND_FLOW_END;
	char num[8];
	char flags[40];

	/* Header: CEF:Version|Vendor|Product|Version|SignatureID|Name|Severity| */
	cef_put_str(&o, "CEF:0|");
	cef_put_escaped(&o, cef_has(ev->vendor) ? ev->vendor : "iocwire", true);
	cef_put_str(&o, "|");
	cef_put_escaped(&o, cef_has(ev->product) ? ev->product : "iocwire", true);
	cef_put_str(&o, "|");
	cef_put_escaped(&o, cef_has(ev->version) ? ev->version : "unknown", true);
	cef_put_str(&o, flow_end ? "|flow-end|" : "|ioc-match|");
	cef_put_name(&o, ev, true);
	snprintf(num, sizeof(num), "|%d|", cef_severity(ev->confidence));
	cef_put_str(&o, num);

	/* Extension, in the order documented in docs/cef-mapping.md. */
	if (ev->rt_ms != 0)
		cef_ext_u64(&o, "rt", ev->rt_ms);
	cef_ext_str(&o, "dvchost", ev->dvchost);
	cef_ext_str(&o, "dvc", ev->dvc);
	cef_ext_str(&o, "cat", flow_end ? "ioc/flow-end" : "ioc/match");
	cef_ext_str(&o, "act", ev->act);
	if (ev->direction == CEF_DIR_INBOUND || ev->direction == CEF_DIR_OUTBOUND)
		cef_ext_u64(&o, "deviceDirection", (uint64_t)ev->direction);
	cef_ext_str(&o, "src", ev->src);
	if (ev->spt >= 0 && ev->spt <= 65535)
		cef_ext_u64(&o, "spt", (uint64_t)ev->spt);
	cef_ext_str(&o, "dst", ev->dst);
	if (ev->dpt >= 0 && ev->dpt <= 65535)
		cef_ext_u64(&o, "dpt", (uint64_t)ev->dpt);
	cef_ext_str(&o, "proto", ev->proto);
	cef_ext_str(&o, "app", ev->app);
	cef_ext_str(&o, "dhost", ev->dhost);
	cef_ext_str(&o, "request", ev->request);
	/* src/dst keep IPv6 too (SourceIP/DestinationIP are what hunts query);
	 * the c6a* copies fill Sentinel's IPv6-typed columns. */
	if (cef_has(ev->src) && strchr(ev->src, ':') != NULL)
		cef_ext_labeled(&o, "c6a2", "Source IPv6 Address", ev->src);
	if (cef_has(ev->dst) && strchr(ev->dst, ':') != NULL)
		cef_ext_labeled(&o, "c6a3", "Destination IPv6 Address", ev->dst);
	cef_ext_u64(&o, "cnt", ev->cnt);
	cef_ext_u64(&o, "out", ev->bytes_out);
	cef_ext_u64(&o, "in", ev->bytes_in);
	if (flow_end) {
		if (ev->start_ms != 0)
			cef_ext_u64(&o, "start", ev->start_ms);
		if (ev->end_ms != 0)
			cef_ext_u64(&o, "end", ev->end_ms);
		cef_ext_str(&o, "reason", ev->end_reason);
	}
	cef_ext_u64(&o, "externalId", ev->flow_id);
	cef_ext_labeled(&o, "cs1", "MalwareFamily", ev->malware);
	cef_ext_labeled(&o, "cs2", "ThreatType", ev->threat);
	cef_ext_labeled(&o, "cs3", "IndicatorValue", ev->ioc);
	cef_ext_labeled(&o, "cs4", "FeedName", ev->feed);
	cef_ext_labeled(&o, "cs5", "Reference", ev->reference);
	cef_ext_labeled(&o, "cs6", "IndicatorType", ev->ioc_type);
	if (ev->confidence >= 0 && ev->confidence <= 100)
		cef_ext_labeled_u64(&o, "cn1", "Confidence", (uint64_t)ev->confidence);
	if (ev->vlan != 0)
		cef_ext_labeled_u64(&o, "cn2", "VlanId", ev->vlan);
	if (ev->pkts != 0)
		cef_ext_labeled_u64(&o, "cn3", "Packets", ev->pkts);
	/* A name match says where the name was seen; an address match, which endpoint matched. */
	if (ev->seen_in != NULL)
		cef_ext_labeled(&o, "flexString1", "SeenIn", ev->seen_in);
	else
		cef_ext_labeled(&o, "flexString1", "MatchedEndpoint", ev->matched);
	/* An excluded flow names its exclusion there instead of the TCP flags (docs/cef-mapping.md). */
	if (ev->exclusion != NULL && ev->exclusion[0] != '\0') {
		cef_ext_labeled(&o, "flexString2", "Exclusion", ev->exclusion);
	} else if (ev->tcp_flags != 0) {
		cef_tcp_flags_text(ev->tcp_flags, flags, sizeof(flags));
		cef_ext_labeled(&o, "flexString2", "TcpFlags", flags);
	}

	if (len > 0)
		buf[o.wlen] = '\0';
	return o.total;
}
