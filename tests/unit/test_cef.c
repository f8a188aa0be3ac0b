/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_cef.c - cef_format() and cef_severity(): full records for the seed
 * flow, key omission, escaping (checked by an independent CEF parser written
 * here from the CEF rules, not from cef.c), long values and truncation.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cef.h"

/* ---- independent CEF parser ---------------------------------------------- */

#define PARSED_MAX_KEYS 64
#define PARSED_MAX_VAL 40000

struct parsed {
	char hdr[7][PARSED_MAX_VAL]; /* "CEF:0", vendor, product, version, signature id, name,
					severity */
	int nb_keys;
	char key[PARSED_MAX_KEYS][64];
	char *val[PARSED_MAX_KEYS];
};

static int
is_key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* A key starts at @p: [A-Za-z0-9]+ followed by '=' (never escaped in a key). */
static int
starts_key(const char *p)
{
	const char *q = p;

	while (is_key_char(*q))
		q++;
	return q > p && *q == '=';
}

/*
 * Strict parse: header fields split on unescaped '|' (escapes \| and \\ only),
 * extension split on a space that precedes "key=". Unknown escapes, raw '='
 * inside a value, raw control characters anywhere: error.
 */
static int
cef_parse(const char *rec, struct parsed *out)
{
	const char *p = rec;
	int f;

	memset(out->hdr, 0, sizeof(out->hdr));
	out->nb_keys = 0;
	for (f = 0; f < 7; f++) {
		size_t n = 0;

		while (*p != '\0' && *p != '|') {
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				return -1;
			if (*p == '\\') {
				if (p[1] != '|' && p[1] != '\\')
					return -1;
				p++;
			}
			if (n + 1 >= sizeof(out->hdr[f]))
				return -1;
			out->hdr[f][n++] = *p++;
		}
		if (*p != '|')
			return -1;
		p++;
	}
	while (*p != '\0') {
		const char *k = p;
		size_t n = 0;
		char *v;

		if (out->nb_keys == PARSED_MAX_KEYS || !starts_key(p))
			return -1;
		while (*p != '=')
			p++;
		if ((size_t)(p - k) >= sizeof(out->key[0]))
			return -1;
		memcpy(out->key[out->nb_keys], k, (size_t)(p - k));
		out->key[out->nb_keys][p - k] = '\0';
		p++;
		v = out->val[out->nb_keys];
		while (*p != '\0') {
			char c = *p;

			if ((unsigned char)c < 0x20 || c == 0x7f || c == '=')
				return -1;
			if (c == ' ' && starts_key(p + 1)) {
				p++;
				break;
			}
			if (c == '\\') {
				switch (p[1]) {
				case '\\':
				case '=':
					c = p[1];
					break;
				case 'n':
					c = '\n';
					break;
				case 'r':
					c = '\r';
					break;
				default:
					return -1;
				}
				p++;
			}
			if (n + 1 >= PARSED_MAX_VAL)
				return -1;
			v[n++] = c;
			p++;
		}
		v[n] = '\0';
		out->nb_keys++;
	}
	return 0;
}

static struct parsed *
parsed_new(void)
{
	struct parsed *ps = calloc(1, sizeof(*ps));
	int i;

	assert_non_null(ps);
	for (i = 0; i < PARSED_MAX_KEYS; i++) {
		ps->val[i] = malloc(PARSED_MAX_VAL);
		assert_non_null(ps->val[i]);
	}
	return ps;
}

static void
parsed_free(struct parsed *ps)
{
	int i;

	for (i = 0; i < PARSED_MAX_KEYS; i++)
		free(ps->val[i]);
	free(ps);
}

static const char *
parsed_get(const struct parsed *ps, const char *key)
{
	int i;

	for (i = 0; i < ps->nb_keys; i++)
		if (strcmp(ps->key[i], key) == 0)
			return ps->val[i];
	return NULL;
}

/* Format into a heap buffer of exactly the needed size, checking the snprintf contract. */
static char *
format(const struct cef_event *ev)
{
	size_t n = cef_format(ev, NULL, 0);
	char *buf = malloc(n + 1);

	assert_non_null(buf);
	assert_int_equal(cef_format(ev, buf, n + 1), n);
	assert_int_equal(strlen(buf), n);
	return buf;
}

/* ---- events -------------------------------------------------------------- */

/* Flow (a) of tests/data/seed.pcap at its first packet (docs/cef-mapping.md). */
static struct cef_event
seed_match(void)
{
	struct cef_event ev = {
	    .kind = CEF_KIND_MATCH,
	    .vendor = "iocwire",
	    .product = "iocwire",
	    .version = "0.1.0",
	    .dvchost = "sensor-01",
	    .src = "10.20.0.15",
	    .dst = "95.85.246.53",
	    .spt = 49812,
	    .dpt = 443,
	    .proto = "TCP",
	    .vlan = 0,
	    .act = "alert",
	    .direction = CEF_DIR_OUTBOUND,
	    .rt_ms = 1793527201000ULL,
	    .cnt = 1,
	    .bytes_in = 0,
	    .bytes_out = 66,
	    .flow_id = 1,
	    .tcp_flags = 0x02,
	    .ioc = "95.85.246.53:443",
	    .ioc_type = "ip:port",
	    .matched = "dst",
	    .malware = "NetSupportManager RAT",
	    .threat = "botnet_cc",
	    .feed = "threatfox",
	    .reference = "https://threatfox.abuse.ch/browse/malware/win.netsupportmanager_rat/",
	    .tags = "NetSupport,RAT",
	    .confidence = 100,
	};
	return ev;
}

static struct cef_event
seed_flow_end(void)
{
	struct cef_event ev = seed_match();

	ev.kind = CEF_KIND_FLOW_END;
	ev.rt_ms = 1793527220060ULL;
	ev.start_ms = 1793527201000ULL;
	ev.end_ms = 1793527220060ULL;
	ev.cnt = 18;
	ev.bytes_out = 978;
	ev.bytes_in = 2106;
	ev.end_reason = "fin";
	ev.tcp_flags = 0x1b;
	return ev;
}

/* Nothing known beyond what cannot be absent. */
static struct cef_event
empty_event(void)
{
	struct cef_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.spt = -1;
	ev.dpt = -1;
	ev.direction = CEF_DIR_UNKNOWN;
	ev.confidence = -1;
	return ev;
}

/* ---- tests --------------------------------------------------------------- */

static const char seed_match_record[] =
    "CEF:0|iocwire|iocwire|0.1.0|ioc-match|NetSupportManager RAT C2 traffic (botnet_cc)|10|"
    "rt=1793527201000 dvchost=sensor-01 cat=ioc/match act=alert deviceDirection=1 "
    "src=10.20.0.15 spt=49812 dst=95.85.246.53 dpt=443 proto=TCP cnt=1 out=66 in=0 "
    "externalId=1 cs1Label=MalwareFamily cs1=NetSupportManager RAT cs2Label=ThreatType "
    "cs2=botnet_cc cs3Label=IndicatorValue cs3=95.85.246.53:443 cs4Label=FeedName "
    "cs4=threatfox cs5Label=Reference "
    "cs5=https://threatfox.abuse.ch/browse/malware/win.netsupportmanager_rat/ "
    "cs6Label=IndicatorType cs6=ip:port cn1Label=Confidence cn1=100 "
    "flexString1Label=MatchedEndpoint flexString1=dst flexString2Label=TcpFlags "
    "flexString2=SYN";

static const char seed_flow_end_record[] =
    "CEF:0|iocwire|iocwire|0.1.0|flow-end|Flow end: NetSupportManager RAT C2 traffic "
    "(botnet_cc)|10|"
    "rt=1793527220060 dvchost=sensor-01 cat=ioc/flow-end act=alert deviceDirection=1 "
    "src=10.20.0.15 spt=49812 dst=95.85.246.53 dpt=443 proto=TCP cnt=18 out=978 in=2106 "
    "start=1793527201000 end=1793527220060 reason=fin "
    "externalId=1 cs1Label=MalwareFamily cs1=NetSupportManager RAT cs2Label=ThreatType "
    "cs2=botnet_cc cs3Label=IndicatorValue cs3=95.85.246.53:443 cs4Label=FeedName "
    "cs4=threatfox cs5Label=Reference "
    "cs5=https://threatfox.abuse.ch/browse/malware/win.netsupportmanager_rat/ "
    "cs6Label=IndicatorType cs6=ip:port cn1Label=Confidence cn1=100 "
    "flexString1Label=MatchedEndpoint flexString1=dst flexString2Label=TcpFlags "
    "flexString2=SYN,ACK,PSH,FIN";

static void
test_seed_match_record(void **state)
{
	struct cef_event ev = seed_match();
	char *rec;

	(void)state;
	rec = format(&ev);
	assert_string_equal(rec, seed_match_record);
	free(rec);
}

static void
test_seed_flow_end_record(void **state)
{
	struct cef_event ev = seed_flow_end();
	char *rec;

	(void)state;
	rec = format(&ev);
	assert_string_equal(rec, seed_flow_end_record);
	free(rec);
}

/* Same event, other data: the record parses back to the same fields. */
static void
test_seed_parses(void **state)
{
	struct cef_event ev = seed_flow_end();
	struct parsed *ps = parsed_new();
	char *rec = format(&ev);

	(void)state;
	assert_int_equal(cef_parse(rec, ps), 0);
	assert_string_equal(ps->hdr[0], "CEF:0");
	assert_string_equal(ps->hdr[4], "flow-end");
	assert_string_equal(ps->hdr[6], "10");
	assert_int_equal(ps->nb_keys, 35);
	assert_string_equal(parsed_get(ps, "cs1"), "NetSupportManager RAT");
	assert_string_equal(parsed_get(ps, "reason"), "fin");
	assert_null(parsed_get(ps, "c6a2"));
	assert_null(parsed_get(ps, "cn2"));
	assert_null(parsed_get(ps, "msg"));
	free(rec);
	parsed_free(ps);
}

/* Flow-end-only keys stay off match records even when the caller fills them. */
static void
test_match_has_no_flow_end_keys(void **state)
{
	struct cef_event ev = seed_flow_end();
	struct parsed *ps = parsed_new();
	char *rec;

	(void)state;
	ev.kind = CEF_KIND_MATCH;
	rec = format(&ev);
	assert_int_equal(cef_parse(rec, ps), 0);
	assert_string_equal(ps->hdr[4], "ioc-match");
	assert_string_equal(ps->hdr[5], "NetSupportManager RAT C2 traffic (botnet_cc)");
	assert_null(parsed_get(ps, "start"));
	assert_null(parsed_get(ps, "end"));
	assert_null(parsed_get(ps, "reason"));
	assert_string_equal(parsed_get(ps, "cat"), "ioc/match");
	free(rec);
	parsed_free(ps);
}

static void
test_omitted_keys(void **state)
{
	struct cef_event ev = empty_event();
	char *rec;

	(void)state;
	rec = format(&ev);
	assert_string_equal(rec, "CEF:0|iocwire|iocwire|unknown|ioc-match|IOC traffic|5|"
				 "cat=ioc/match cnt=0 out=0 in=0 externalId=0");
	free(rec);

	/* Empty strings count as unknown, like NULL. */
	ev.vendor = ev.product = ev.version = ev.dvchost = ev.src = ev.dst = "";
	ev.proto = ev.act = ev.end_reason = ev.ioc = ev.ioc_type = ev.matched = "";
	ev.malware = ev.threat = ev.feed = ev.reference = ev.tags = "";
	ev.kind = CEF_KIND_FLOW_END;
	rec = format(&ev);
	assert_string_equal(rec, "CEF:0|iocwire|iocwire|unknown|flow-end|Flow end: IOC traffic|5|"
				 "cat=ioc/flow-end cnt=0 out=0 in=0 externalId=0");
	free(rec);

	/* Out-of-range ports and confidence are unknown too. */
	ev = empty_event();
	ev.spt = 65536;
	ev.dpt = -7;
	ev.confidence = 101;
	ev.direction = (enum cef_direction)5;
	rec = format(&ev);
	assert_string_equal(rec, "CEF:0|iocwire|iocwire|unknown|ioc-match|IOC traffic|10|"
				 "cat=ioc/match cnt=0 out=0 in=0 externalId=0");
	free(rec);
}

static void
test_name_fallbacks(void **state)
{
	static const struct {
		const char *malware, *threat, *name;
	} cases[] = {
	    {"Emotet", "payload_delivery", "Emotet traffic (payload_delivery)"},
	    {"Emotet", NULL, "Emotet traffic"},
	    {NULL, "botnet_cc", "C2 traffic (botnet_cc)"},
	    {"", "BOTNET_CC", "C2 traffic (BOTNET_CC)"},
	    {NULL, "c2", "C2 traffic (c2)"},
	    {NULL, "spam", "IOC traffic (spam)"},
	    {"Cobalt|Strike", "botnet\\cc", "Cobalt|Strike traffic (botnet\\cc)"},
	};
	struct parsed *ps = parsed_new();
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cef_event ev = empty_event();
		char *rec;

		ev.malware = cases[i].malware;
		ev.threat = cases[i].threat;
		rec = format(&ev);
		assert_int_equal(cef_parse(rec, ps), 0);
		assert_string_equal(ps->hdr[5], cases[i].name);
		free(rec);
	}
	parsed_free(ps);
}

static void
test_severity(void **state)
{
	(void)state;
	assert_int_equal(cef_severity(-1), 5);
	assert_int_equal(cef_severity(-100), 5);
	assert_int_equal(cef_severity(0), 0);
	assert_int_equal(cef_severity(4), 0);
	assert_int_equal(cef_severity(5), 1);
	assert_int_equal(cef_severity(25), 3);
	assert_int_equal(cef_severity(50), 5);
	assert_int_equal(cef_severity(75), 8);
	assert_int_equal(cef_severity(94), 9);
	assert_int_equal(cef_severity(95), 10);
	assert_int_equal(cef_severity(100), 10);
	assert_int_equal(cef_severity(1000), 10);
}

static void
test_severity_in_header(void **state)
{
	struct cef_event ev = seed_match();
	struct parsed *ps = parsed_new();
	char *rec;

	(void)state;
	ev.confidence = 75;
	rec = format(&ev);
	assert_int_equal(cef_parse(rec, ps), 0);
	assert_string_equal(ps->hdr[6], "8");
	assert_string_equal(parsed_get(ps, "cn1"), "75");
	free(rec);
	ev.confidence = -1;
	rec = format(&ev);
	assert_int_equal(cef_parse(rec, ps), 0);
	assert_string_equal(ps->hdr[6], "5");
	assert_null(parsed_get(ps, "cn1"));
	assert_null(parsed_get(ps, "cn1Label"));
	free(rec);
	parsed_free(ps);
}

static void
test_ipv6_vlan_fields(void **state)
{
	struct cef_event ev = seed_match();
	struct parsed *ps = parsed_new();
	char *rec;

	(void)state;
	ev.src = "2001:db8:1::100";
	ev.dst = "2001:db8:bad::20";
	ev.spt = 41000;
	ev.dpt = 8443;
	ev.vlan = 200;
	ev.ioc = "[2001:db8:bad::20]:8443";
	ev.flow_id = UINT64_MAX;
	rec = format(&ev);
	assert_non_null(strstr(rec,
			       " src=2001:db8:1::100 spt=41000 dst=2001:db8:bad::20 dpt=8443 "
			       "proto=TCP c6a2Label=Source IPv6 Address c6a2=2001:db8:1::100 "
			       "c6a3Label=Destination IPv6 Address c6a3=2001:db8:bad::20 cnt=1 "));
	assert_non_null(strstr(rec, " externalId=18446744073709551615 "));
	assert_non_null(strstr(rec, " cn1=100 cn2Label=VlanId cn2=200 flexString1Label="));
	assert_int_equal(cef_parse(rec, ps), 0);
	assert_string_equal(parsed_get(ps, "cs3"), "[2001:db8:bad::20]:8443");
	free(rec);

	/* Mixed: only the IPv6 side gets its c6a key (cannot happen in one flow, but the
	 * decision is per field). */
	ev.src = "192.0.2.50";
	rec = format(&ev);
	assert_null(strstr(rec, "c6a2"));
	assert_non_null(strstr(rec, "c6a3=2001:db8:bad::20"));
	free(rec);
	parsed_free(ps);
}

static void
test_tcp_flags_text(void **state)
{
	static const struct {
		uint8_t flags;
		const char *text;
	} cases[] = {
	    {0x02, "SYN"},
	    {0x12, "SYN,ACK"},
	    {0x11, "ACK,FIN"},
	    {0x14, "ACK,RST"},
	    {0xff, "SYN,ACK,PSH,URG,FIN,RST,ECE,CWR"},
	};
	struct parsed *ps = parsed_new();
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cef_event ev = seed_match();
		char *rec;

		ev.tcp_flags = cases[i].flags;
		rec = format(&ev);
		assert_int_equal(cef_parse(rec, ps), 0);
		assert_string_equal(parsed_get(ps, "flexString2"), cases[i].text);
		assert_string_equal(parsed_get(ps, "flexString2Label"), "TcpFlags");
		free(rec);
	}
	parsed_free(ps);
}

/* Escaping rules, checked on the literal record text. */
static void
test_escaping_literal(void **state)
{
	struct cef_event ev = empty_event();
	char *rec;

	(void)state;
	ev.vendor = "a|b\\c=d";
	ev.product = "p\r\nq";
	ev.version = "1\x01"
		     "2\x7f";
	ev.malware = "m=|\\";
	ev.threat = "t";
	ev.dvchost = "h|=\\\r\n\t\x1f.";
	rec = format(&ev);
	assert_string_equal(rec, "CEF:0|a\\|b\\\\c=d|p??q|1?2?|ioc-match|m=\\|\\\\ traffic (t)|5|"
				 "dvchost=h|\\=\\\\\\r\\n??. cat=ioc/match cnt=0 out=0 in=0 "
				 "externalId=0 cs1Label=MalwareFamily cs1=m\\=|\\\\ "
				 "cs2Label=ThreatType cs2=t");
	free(rec);
}

static const char *const hostile[] = {
    "a=b",
    "=",
    "\\",
    "trailing\\",
    "\\=",
    "x \\ y",
    "evil| pipe||",
    "line1\nline2\r\nline3",
    " cs1=forged act=allow",
    "x act=allow",
    "  two  spaces  ",
    "CEF:0|v|p|1|sig|name|10|src=6.6.6.6",
    "na\xc3\xafve \xe2\x9c\x93 \xf0\x9f\x98\x80",
    "tab\tnul-ish\x01\x1f del\x7f",
    "\xff\xfe lone bytes \x80",
};

/* What a control character becomes. */
static void
expect_text(const char *in, char *out)
{
	for (; *in != '\0'; in++, out++) {
		unsigned char c = (unsigned char)*in;

		*out = ((c < 0x20 && c != '\n' && c != '\r') || c == 0x7f) ? '?' : *in;
	}
	*out = '\0';
}

static void
expect_header_text(const char *in, char *out)
{
	for (; *in != '\0'; in++, out++) {
		unsigned char c = (unsigned char)*in;

		*out = (c < 0x20 || c == 0x7f) ? '?' : *in;
	}
	*out = '\0';
}

/* Hostile values in every string field survive a round trip field for field. */
static void
test_hostile_round_trip(void **state)
{
	struct parsed *ps = parsed_new();
	char want[256], name[600];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		struct cef_event ev = seed_flow_end();
		const char *h = hostile[i];
		char *rec;

		ev.vendor = ev.product = ev.version = h;
		ev.dvchost = ev.act = ev.proto = ev.end_reason = h;
		ev.ioc = ev.ioc_type = ev.matched = ev.malware = ev.feed = ev.reference = h;
		ev.threat = "botnet_cc";
		rec = format(&ev);
		if (cef_parse(rec, ps) != 0)
			fail_msg("value %zu: record does not parse: %s", i, rec);

		expect_header_text(h, want);
		assert_string_equal(ps->hdr[1], want);
		assert_string_equal(ps->hdr[2], want);
		assert_string_equal(ps->hdr[3], want);
		snprintf(name, sizeof(name), "Flow end: %s C2 traffic (botnet_cc)", want);
		assert_string_equal(ps->hdr[5], name);

		expect_text(h, want);
		assert_string_equal(parsed_get(ps, "dvchost"), want);
		assert_string_equal(parsed_get(ps, "act"), want);
		assert_string_equal(parsed_get(ps, "proto"), want);
		assert_string_equal(parsed_get(ps, "reason"), want);
		assert_string_equal(parsed_get(ps, "cs1"), want);
		assert_string_equal(parsed_get(ps, "cs3"), want);
		assert_string_equal(parsed_get(ps, "cs4"), want);
		assert_string_equal(parsed_get(ps, "cs5"), want);
		assert_string_equal(parsed_get(ps, "cs6"), want);
		assert_string_equal(parsed_get(ps, "flexString1"), want);
		/* Nothing was injected: every key is one we write, each once. */
		assert_int_equal(ps->nb_keys, 35);
		assert_string_equal(parsed_get(ps, "src"), "10.20.0.15");
		assert_string_equal(parsed_get(ps, "cat"), "ioc/flow-end");
		/* One record: no raw line break anywhere. */
		assert_null(strchr(rec, '\n'));
		assert_null(strchr(rec, '\r'));
		free(rec);
	}
	parsed_free(ps);
}

static void
test_long_values(void **state)
{
	struct cef_event ev = seed_match();
	struct parsed *ps = parsed_new();
	size_t n = 10000, i, len;
	char *big = malloc(n + 1), *rec;

	(void)state;
	assert_non_null(big);
	for (i = 0; i < n; i++)
		big[i] = "ab=\\ |\n"[i % 7];
	big[n] = '\0';
	ev.reference = big;
	ev.malware = big;
	len = cef_format(&ev, NULL, 0);
	rec = format(&ev);
	assert_int_equal(strlen(rec), len);
	assert_int_equal(cef_parse(rec, ps), 0);
	assert_string_equal(parsed_get(ps, "cs5"), big);
	assert_string_equal(parsed_get(ps, "cs1"), big);
	free(rec);
	free(big);
	parsed_free(ps);
}

/* Count the backslashes that end @s[0..n). */
static size_t
trailing_backslashes(const char *s, size_t n)
{
	size_t k = 0;

	while (k < n && s[n - 1 - k] == '\\')
		k++;
	return k;
}

static void
test_truncation(void **state)
{
	struct cef_event ev = seed_flow_end();
	char *full, *buf;
	size_t n, len;

	(void)state;
	ev.malware = "a\\b|c";
	ev.reference = "r=\\\n\xe2\x9c\x93z";
	full = format(&ev);
	n = strlen(full);
	buf = malloc(n + 2);
	assert_non_null(buf);

	/* len 0 with a NULL buffer only sizes; len 0 with a buffer writes nothing. */
	assert_int_equal(cef_format(&ev, NULL, 0), n);
	buf[0] = 'X';
	assert_int_equal(cef_format(&ev, buf, 0), n);
	assert_int_equal(buf[0], 'X');

	for (len = 1; len <= n + 1; len++) {
		size_t w;

		memset(buf, 'X', n + 2);
		assert_int_equal(cef_format(&ev, buf, len), n);
		w = strlen(buf);
		assert_true(w < len);
		assert_memory_equal(buf, full, w);
		assert_int_equal(buf[len], 'X'); /* nothing past the buffer */
		/* Never a dangling escape or half a UTF-8 character. */
		assert_int_equal(trailing_backslashes(buf, w) % 2, 0);
		assert_true(w == 0 || ((unsigned char)buf[w - 1] & 0xc0) != 0xc0);
		if (w > 0 && (unsigned char)buf[w - 1] >= 0x80)
			assert_int_equal((unsigned char)buf[w - 1], 0x93);
		/* It stops at most one piece short of the room (the longest piece is a
		 * 20-digit number). */
		assert_true(w + 20 >= len - 1);
		if (len == n + 1)
			assert_string_equal(buf, full);
	}
	free(buf);
	free(full);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_seed_match_record),
	    cmocka_unit_test(test_seed_flow_end_record),
	    cmocka_unit_test(test_seed_parses),
	    cmocka_unit_test(test_match_has_no_flow_end_keys),
	    cmocka_unit_test(test_omitted_keys),
	    cmocka_unit_test(test_name_fallbacks),
	    cmocka_unit_test(test_severity),
	    cmocka_unit_test(test_severity_in_header),
	    cmocka_unit_test(test_ipv6_vlan_fields),
	    cmocka_unit_test(test_tcp_flags_text),
	    cmocka_unit_test(test_escaping_literal),
	    cmocka_unit_test(test_hostile_round_trip),
	    cmocka_unit_test(test_long_values),
	    cmocka_unit_test(test_truncation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
