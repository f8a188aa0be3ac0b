/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * feed.c - feed files: format names and detection, reading, dispatch to the
 * per-format parsers, and the helpers those parsers share (line cursor,
 * "file:line: reason" reporting, emit with metadata).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "feed.h"
#include "feed_parsers.h"
#include "json.h"

/* feed_detect() looks at most this far. */
#define FEED_DETECT_MAX (64u << 10)
/* Messages printed per feed; later bad lines are only counted (a broken 1M-line file
 * must not flood the log). */
#define FEED_ERRORS_MAX 100
/* Metadata strings that need their bad UTF-8 replaced are cut to this length. */
#define FEED_META_MAX 1024

typedef int (*feed_parse_fn)(struct feed_ctx *fc, const char *data, size_t len);

static const struct {
	const char *name;
	feed_parse_fn parse;
} feed_formats[FEED_FORMAT_COUNT] = {
    [FEED_FORMAT_AUTO] = {"auto", NULL},
    [FEED_FORMAT_THREATFOX_CSV] = {"threatfox-csv", feed_threatfox_csv_parse},
    [FEED_FORMAT_THREATFOX_JSON] = {"threatfox-json", feed_threatfox_json_parse},
    [FEED_FORMAT_THREATFOX_API] = {"threatfox-api", feed_threatfox_api_parse},
    [FEED_FORMAT_PLAIN] = {"plain", feed_plain_parse},
    [FEED_FORMAT_REPORT] = {"report", feed_report_parse},
    [FEED_FORMAT_FEODO_CSV] = {"feodo-csv", feed_feodo_csv_parse},
    [FEED_FORMAT_FEODO_TXT] = {"feodo-txt", feed_feodo_txt_parse},
    [FEED_FORMAT_SPAMHAUS_DROP] = {"spamhaus-drop", feed_spamhaus_drop_parse},
    [FEED_FORMAT_SPAMHAUS_JSON] = {"spamhaus-json", feed_spamhaus_json_parse},
    [FEED_FORMAT_MISP] = {"misp", feed_misp_parse},
    [FEED_FORMAT_MISP_FEED] = {"misp-feed", feed_misp_feed_parse},
    [FEED_FORMAT_STIX] = {"stix", feed_stix_parse},
    [FEED_FORMAT_ZEEK_INTEL] = {"zeek-intel", feed_zeek_parse},
    [FEED_FORMAT_SURICATA_IPREP] = {"suricata-iprep", feed_iprep_parse},
    [FEED_FORMAT_THREATFOX_HOSTFILE] = {"threatfox-hostfile", feed_threatfox_host_parse},
};

static const char *const feed_ioc_type_names[IOCW_IOC_TYPE_COUNT + 1] = {
    [IOCW_IOC_IP] = "ip",	  [IOCW_IOC_IP_PORT] = "ip:port", [IOCW_IOC_CIDR] = "cidr",
    [IOCW_IOC_DOMAIN] = "domain", [IOCW_IOC_URL] = "url",	  [IOCW_IOC_TYPE_COUNT] = "any",
};

const char *
feed_format_name(enum feed_format format)
{
	if ((unsigned int)format >= FEED_FORMAT_COUNT)
		return "unknown";
	return feed_formats[format].name;
}

enum feed_format
feed_format_from_name(const char *name)
{
	unsigned int i;

	for (i = FEED_FORMAT_AUTO + 1; name != NULL && i < FEED_FORMAT_COUNT; i++)
		if (strcasecmp(name, feed_formats[i].name) == 0)
			return (enum feed_format)i;
	return FEED_FORMAT_AUTO;
}

void
feed_cursor_init(struct feed_cursor *cur, const char *data, size_t len)
{
	cur->p = data;
	cur->end = data + len;
	cur->no = 0;
}

bool
feed_cursor_next(struct feed_cursor *cur, struct feed_line *line)
{
	const char *nl;

	if (cur->p >= cur->end)
		return false;
	nl = memchr(cur->p, '\n', (size_t)(cur->end - cur->p));
	line->s = cur->p;
	line->len = (size_t)((nl ? nl : cur->end) - cur->p);
	line->no = ++cur->no;
	if (line->len > 0 && line->s[line->len - 1] == '\r')
		line->len--;
	cur->p = nl ? nl + 1 : cur->end;
	return true;
}

/* Case-insensitive search of a NUL-terminated needle in a line. */
static bool
feed_line_has(const struct feed_line *l, const char *needle)
{
	size_t n = strlen(needle), i;

	for (i = 0; i + n <= l->len; i++)
		if (strncasecmp(l->s + i, needle, n) == 0)
			return true;
	return false;
}

static const char *
feed_skip_blanks(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	return p;
}

/* A Spamhaus DROP data line: "<prefix> ; SBL<digits>". */
static bool
feed_line_is_drop(const struct feed_line *l)
{
	const char *semi = memchr(l->s, ';', l->len), *p;

	if (semi == NULL || semi == l->s)
		return false;
	for (p = semi + 1; p < l->s + l->len && (*p == ' ' || *p == '\t'); p++)
		;
	return l->s + l->len - p > 3 && memcmp(p, "SBL", 3) == 0 && p[3] >= '0' && p[3] <= '9';
}

/* A hosts-file line: "127.0.0.1 name" or "0.0.0.0 name" (blanks: spaces or tabs). */
static bool
feed_line_is_hosts(const char *p, size_t rest)
{
	size_t n = rest >= 10 && memcmp(p, "127.0.0.1", 9) == 0 ? 9
		   : rest >= 8 && memcmp(p, "0.0.0.0", 7) == 0	 ? 7
								 : 0;

	return n > 0 && (p[n] == ' ' || p[n] == '\t');
}

/* A Suricata iprep line: address or prefix, category, score: "198.51.100.7,1,120". */
static bool
feed_line_is_iprep(const char *p, size_t rest)
{
	size_t i = 0, field = 0, start = 0;

	for (; i <= rest; i++) {
		char c = i < rest ? p[i] : ',';

		if (c == ',' || (c == ' ' && field == 2) || c == '\r') {
			if (i == start || ++field > 3)
				return false;
			start = i + 1;
			if (c != ',')
				break;
		} else if (field == 0 ? !(isxdigit((unsigned char)c) || c == '.' || c == ':' ||
					  c == '/')
				      : !(c >= '0' && c <= '9')) {
			return false;
		}
	}
	return field == 3;
}

/* Markers of a text format in one line; FEED_FORMAT_AUTO when the line says nothing.
 * *feodo is set by a Feodo Tracker banner: its first data line then tells CSV from text. */
static enum feed_format
feed_detect_line(const struct feed_line *l, bool *feodo)
{
	const char *p = feed_skip_blanks(l->s, l->s + l->len);
	size_t rest = l->len - (size_t)(p - l->s);

	if (rest == 0)
		return FEED_FORMAT_AUTO;
	if (feed_line_has(l, "first_seen_utc") && feed_line_has(l, "dst_ip"))
		return FEED_FORMAT_FEODO_CSV;
	if (*p == '#') {
		if (rest > 7 && strncmp(p, "#fields", 7) == 0 && (p[7] == '\t' || p[7] == ' '))
			return FEED_FORMAT_ZEEK_INTEL;
		if (feed_line_has(l, "feodo tracker"))
			*feodo = true;
		else if (feed_line_has(l, "\"ioc_value\"") ||
			 (feed_line_has(l, "threatfox") && feed_line_has(l, "csv")))
			return FEED_FORMAT_THREATFOX_CSV;
		else if (feed_line_has(l, "threatfox") && feed_line_has(l, "hostfile"))
			return FEED_FORMAT_THREATFOX_HOSTFILE;
		return FEED_FORMAT_AUTO;
	}
	if (*p == ';')
		return feed_line_has(l, "spamhaus") ? FEED_FORMAT_SPAMHAUS_DROP : FEED_FORMAT_AUTO;
	if (*feodo)
		return *p == '"' ? FEED_FORMAT_FEODO_CSV : FEED_FORMAT_FEODO_TXT;
	if (*p == '"' && (feed_line_has(l, "\",\"") || feed_line_has(l, "\", \"")))
		return FEED_FORMAT_THREATFOX_CSV;
	if (*p == '|' && feed_line_has(l, "type") && feed_line_has(l, "value"))
		return FEED_FORMAT_REPORT;
	if (memchr(p, '\t', rest) != NULL && feed_line_has(l, "\tIntel::"))
		return FEED_FORMAT_ZEEK_INTEL;
	if (feed_line_is_drop(l))
		return FEED_FORMAT_SPAMHAUS_DROP;
	if (feed_line_is_hosts(p, rest))
		return FEED_FORMAT_THREATFOX_HOSTFILE;
	if (feed_line_is_iprep(p, rest))
		return FEED_FORMAT_SURICATA_IPREP;
	return FEED_FORMAT_AUTO;
}

/* "key" (not inside an escaped string), then blanks and ':'; with value, then "value". */
static bool
feed_json_has(const char *p, const char *end, const char *key, const char *value)
{
	size_t klen = strlen(key), vlen = value ? strlen(value) : 0;
	const char *q = p, *t;

	while ((q = memmem(q, (size_t)(end - q), key, klen)) != NULL) {
		t = q + klen;
		if (q > p && q[-1] == '\\') {
			q = t;
			continue;
		}
		t = feed_skip_blanks(t, end);
		if (t < end && *t == ':') {
			t = feed_skip_blanks(t + 1, end);
			if (value == NULL ||
			    ((size_t)(end - t) >= vlen && memcmp(t, value, vlen) == 0))
				return true;
		}
		q += klen;
	}
	return false;
}

/* {"8b4c5e3a-....": ...}: the first key of a MISP feed manifest is an event UUID. */
static bool
feed_json_uuid_key(const char *p, const char *end)
{
	size_t i;

	p = feed_skip_blanks(p + 1, end);
	if (end - p < 38 || *p != '"' || p[37] != '"')
		return false;
	for (i = 1; i <= 36; i++) {
		bool dash = i == 9 || i == 14 || i == 19 || i == 24;

		if (dash ? p[i] != '-' : !isxdigit((unsigned char)p[i]))
			return false;
	}
	return true;
}

/* JSON documents and JSON lines, told apart by the keys they use. */
static enum feed_format
feed_detect_json(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p)), *eol = nl ? nl : end;

	if (feed_json_has(p, end, "\"query_status\"", NULL))
		return FEED_FORMAT_THREATFOX_API;
	/* Spamhaus writes one compact object per line. */
	if (*p == '{' && (feed_json_has(p, eol, "\"sblid\"", NULL) ||
			  feed_json_has(p, eol, "\"type\"", "\"metadata\"")))
		return FEED_FORMAT_SPAMHAUS_JSON;
	if (feed_json_has(p, end, "\"Event\"", NULL))
		return FEED_FORMAT_MISP;
	if (feed_json_has(p, end, "\"pattern\"", NULL) ||
	    feed_json_has(p, end, "\"type\"", "\"bundle\"") ||
	    feed_json_has(p, end, "\"type\"", "\"indicator\""))
		return FEED_FORMAT_STIX;
	if (*p == '{' && feed_json_uuid_key(p, end))
		return FEED_FORMAT_MISP_FEED;
	return *p == '{' ? FEED_FORMAT_THREATFOX_JSON : FEED_FORMAT_AUTO;
}

enum feed_format
feed_detect(const char *data, size_t len)
{
	const char *end = data + (len > FEED_DETECT_MAX ? FEED_DETECT_MAX : len), *p = data;
	struct feed_cursor cur;
	struct feed_line l;
	enum feed_format f;
	bool feodo = false;

	if (end - p >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	p = feed_skip_blanks(p, end);
	if (p < end && memchr(p, '\0', (size_t)(end - p)) != NULL)
		return FEED_FORMAT_AUTO;
	if (p < end && (*p == '{' || *p == '['))
		return feed_detect_json(p, end);
	feed_cursor_init(&cur, p, (size_t)(end - p));
	while (feed_cursor_next(&cur, &l))
		if ((f = feed_detect_line(&l, &feodo)) != FEED_FORMAT_AUTO)
			return f;
	/* Any other text, including an empty file, is a plain list. */
	return feodo ? FEED_FORMAT_FEODO_TXT : FEED_FORMAT_PLAIN;
}

const char *
feed_quote(const char *s, size_t len, char *buf, size_t buflen)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, o = 0;

	/* Each byte takes at most 4 characters; keep room for "..." and the NUL. */
	for (i = 0; i < len && o + 8 <= buflen; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			buf[o++] = (char)c;
		} else if (c == '"' || c == '\\') {
			buf[o++] = '\\';
			buf[o++] = (char)c;
		} else {
			buf[o++] = '\\';
			buf[o++] = 'x';
			buf[o++] = hex[c >> 4];
			buf[o++] = hex[c & 15];
		}
	}
	if (i < len && o + 4 <= buflen) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	if (buflen > 0)
		buf[o < buflen ? o : buflen - 1] = '\0';
	return buf;
}

static void
feed_vmsg(struct feed_ctx *fc, size_t line, size_t col, const char *kind, const char *fmt,
	  va_list ap)
{
	if (col > 0)
		fprintf(fc->errors, "%s:%zu:%zu: %s", fc->path, line, col, kind);
	else if (line > 0)
		fprintf(fc->errors, "%s:%zu: %s", fc->path, line, kind);
	else
		fprintf(fc->errors, "%s: %s", fc->path, kind);
	vfprintf(fc->errors, fmt, ap);
	fputc('\n', fc->errors);
}

int
feed_bad(struct feed_ctx *fc, size_t line, size_t col, const char *fmt, ...)
{
	va_list ap;

	if (fc->stats->nb_bad++ < FEED_ERRORS_MAX || fc->strict) {
		va_start(ap, fmt);
		feed_vmsg(fc, line, col, "", fmt, ap);
		va_end(ap);
	}
	return fc->strict ? -EINVAL : 0;
}

void
feed_warn(struct feed_ctx *fc, size_t line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	feed_vmsg(fc, line, 0, "warning: ", fmt, ap);
	va_end(ap);
}

void
feed_skip(struct feed_ctx *fc, size_t line, size_t col, const char *fmt, ...)
{
	va_list ap;

	fc->stats->nb_skipped++;
	if (fc->nb_skip_msgs++ >= FEED_ERRORS_MAX)
		return;
	va_start(ap, fmt);
	feed_vmsg(fc, line, col, "skipped: ", fmt, ap);
	va_end(ap);
}

void
feed_skip_kind(struct feed_ctx *fc, const char *kind)
{
	size_t i, n;

	fc->stats->nb_skipped++;
	for (i = 0; i < FEED_SKIP_KINDS && fc->skip_kind[i].n > 0; i++) {
		if (strncmp(fc->skip_kind[i].name, kind, sizeof(fc->skip_kind[i].name) - 1) == 0) {
			fc->skip_kind[i].n++;
			return;
		}
	}
	if (i == FEED_SKIP_KINDS) {
		fc->nb_skip_other++;
		return;
	}
	n = strnlen(kind, sizeof(fc->skip_kind[i].name) - 1);
	memcpy(fc->skip_kind[i].name, kind, n);
	fc->skip_kind[i].name[n] = '\0';
	fc->skip_kind[i].n = 1;
}

/* "path: warning: skipped N records of types iocwire cannot match: md5 10, ..." */
static void
feed_skip_kind_summary(struct feed_ctx *fc)
{
	size_t i, total = fc->nb_skip_other;
	char q[sizeof(fc->skip_kind[0].name) * 4 + 4];

	for (i = 0; i < FEED_SKIP_KINDS; i++)
		total += fc->skip_kind[i].n;
	if (total == 0)
		return;
	fprintf(fc->errors, "%s: warning: skipped %zu record%s iocwire does not match:",
		fc->path, total, total == 1 ? "" : "s");
	/* Kind names come from the feed: quoted, so they stay printable. */
	for (i = 0; i < FEED_SKIP_KINDS && fc->skip_kind[i].n > 0; i++)
		fprintf(fc->errors, "%s %s %zu", i ? "," : "",
			feed_quote(fc->skip_kind[i].name, strlen(fc->skip_kind[i].name), q,
				   sizeof(q)),
			fc->skip_kind[i].n);
	if (fc->nb_skip_other > 0)
		fprintf(fc->errors, ", others %zu", fc->nb_skip_other);
	fputc('\n', fc->errors);
}

bool
feed_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	size_t n;

	while (p < end) {
		/* Feeds are mostly ASCII: skip it eight bytes at a time. */
		while (end - p >= 8) {
			uint64_t w;

			memcpy(&w, p, sizeof(w));
			if (w & 0x8080808080808080ull)
				break;
			p += 8;
		}
		if (p == end)
			break;
		if (*p < 0x80) {
			p++;
			continue;
		}
		if ((n = json_utf8_len(p, end)) == 0)
			return false;
		p += n;
	}
	return true;
}

/* Metadata text for the sink: as is when valid UTF-8, else a copy in buf with each byte of
 * an ill-formed sequence replaced by '?' (cut to the buffer). */
static const char *
feed_meta_clean(const char *s, char *buf, size_t buflen)
{
	const unsigned char *p = (const unsigned char *)s, *end;
	size_t len, n, o = 0;

	if (s == NULL)
		return NULL;
	len = strlen(s);
	if (feed_utf8_valid(s, len))
		return s;
	end = p + len;
	while (p < end && o + 5 < buflen) {
		n = *p < 0x80 ? 1 : json_utf8_len(p, end);
		if (n == 0) {
			buf[o++] = '?';
			p++;
		} else {
			memcpy(buf + o, p, n);
			o += n;
			p += n;
		}
	}
	buf[o] = '\0';
	return buf;
}

void
feed_ioc_init(struct feed_ctx *fc, struct ioc *ioc)
{
	ioc_init(ioc);
	ioc->feed = fc->name;
	ioc->action = fc->action;
}

/* Lower-case name without blanks, '-' and '_', so "IP:Port", "ip_port" and "SHA256 hash" compare.
 */
static void
feed_type_normalise(const char *name, char *out, size_t len)
{
	size_t o = 0;

	for (; *name != '\0' && o + 1 < len; name++)
		if (*name != ' ' && *name != '-' && *name != '_' && *name != '\t')
			out[o++] = (char)(*name >= 'A' && *name <= 'Z' ? *name - 'A' + 'a' : *name);
	out[o] = '\0';
}

int
feed_type_from_name(const char *name, enum iocw_ioc_type *type)
{
	static const struct {
		const char *name;
		enum iocw_ioc_type type;
	} names[] = {
	    {"", IOCW_IOC_TYPE_COUNT},	  {"ip", IOCW_IOC_IP},
	    {"ipv4", IOCW_IOC_IP},	  {"ipv6", IOCW_IOC_IP},
	    {"ipaddress", IOCW_IOC_IP},	  {"ipdst", IOCW_IOC_IP},
	    {"ipsrc", IOCW_IOC_IP},	  {"ip:port", IOCW_IOC_IP_PORT},
	    {"ipport", IOCW_IOC_IP_PORT}, {"cidr", IOCW_IOC_CIDR},
	    {"subnet", IOCW_IOC_CIDR},	  {"netblock", IOCW_IOC_CIDR},
	    {"domain", IOCW_IOC_DOMAIN},  {"hostname", IOCW_IOC_DOMAIN},
	    {"fqdn", IOCW_IOC_DOMAIN},	  {"url", IOCW_IOC_URL},
	    {"uri", IOCW_IOC_URL},
	};
	static const char *const hashes[] = {"md5",    "sha1",	 "sha224",  "sha256", "sha384",
					     "sha512", "ssdeep", "imphash", "tlsh"};
	char norm[32];
	size_t i;

	feed_type_normalise(name, norm, sizeof(norm));
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(norm, names[i].name) == 0) {
			*type = names[i].type;
			return 0;
		}
	}
	for (i = 0; i < sizeof(hashes) / sizeof(hashes[0]); i++)
		if (strcmp(norm, hashes[i]) == 0)
			return 1;
	/* "md5_hash", "sha256_hash", "sha3_384_hash", "SHA256 hash", ... */
	return strstr(norm, "hash") != NULL ? 1 : -EINVAL;
}

int
feed_confidence_parse(const char *text, int *out)
{
	const char *p = text, *digits;
	int v = 0;

	while (*p == ' ' || *p == '\t')
		p++;
	for (digits = p; *p >= '0' && *p <= '9' && p - digits < 4; p++)
		v = v * 10 + (*p - '0');
	if (p == digits) {
		*out = -1;
		return *p == '\0' ? 0 : -EINVAL;
	}
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '%')
		p++;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != '\0' || v > 100)
		return -EINVAL;
	*out = v;
	return 0;
}

int
feed_field_confidence(struct feed_ctx *fc, size_t line, size_t col, const char *label,
		      const char *text, int *out)
{
	char q[96];
	int rc;

	if (feed_confidence_parse(text, out) == 0)
		return 0;
	rc = feed_bad(fc, line, col, "%s \"%s\" is not a confidence (0-100)", label,
		      feed_quote(text, strlen(text), q, sizeof(q)));
	return rc < 0 ? rc : 1;
}

int
feed_field_time(struct feed_ctx *fc, size_t line, size_t col, const char *label, const char *text,
		int64_t *out)
{
	size_t i, n = strnlen(text, sizeof(fc->time_cache[0].text));
	char q[96];
	int rc;

	/* timegm() is most of a record's cost; a feed's dates repeat. */
	for (i = 0; i < 2 && n < sizeof(fc->time_cache[0].text); i++) {
		if (fc->time_cache[i].t != 0 && memcmp(fc->time_cache[i].text, text, n + 1) == 0) {
			*out = fc->time_cache[i].t;
			return 0;
		}
	}
	*out = text[0] != '\0' ? ioc_parse_time(text) : 0;
	if (*out != 0 && n < sizeof(fc->time_cache[0].text)) {
		i = fc->time_next++ & 1;
		memcpy(fc->time_cache[i].text, text, n + 1);
		fc->time_cache[i].t = *out;
	}
	if (*out != 0 || text[0] == '\0')
		return 0;
	rc = feed_bad(fc, line, col, "%s \"%s\" is not a UTC date (YYYY-MM-DD HH:MM:SS)", label,
		      feed_quote(text, strlen(text), q, sizeof(q)));
	return rc < 0 ? rc : 1;
}

static bool
feed_type_ok(enum iocw_ioc_type want, enum iocw_ioc_type got)
{
	/* A bare address is a one-host prefix, and a prefix is a set of addresses. */
	if (want == IOCW_IOC_IP || want == IOCW_IOC_CIDR)
		return got == IOCW_IOC_IP || got == IOCW_IOC_CIDR;
	return want == IOCW_IOC_TYPE_COUNT || want == got;
}

int
feed_emit_value(struct feed_ctx *fc, size_t line, size_t col, enum iocw_ioc_type want,
		const char *value, struct ioc *ioc)
{
	char canon[IOC_VALUE_MAX], q[96], meta[4][FEED_META_MAX];
	const char *reason;
	uint8_t proto = ioc->proto;
	size_t vlen = strnlen(value, FEED_LINE_MAX);
	int rc;

	if (ioc_parse(value, ioc, canon, &reason) < 0)
		return feed_bad(fc, line, col, "bad indicator \"%s\": %s",
				feed_quote(value, vlen, q, sizeof(q)), reason);
	/* Names are ASCII by then; a URL keeps its path verbatim. */
	if (!feed_utf8_valid(canon, strlen(canon)))
		return feed_bad(fc, line, col, "bad indicator \"%s\": not valid UTF-8",
				feed_quote(value, vlen, q, sizeof(q)));
	if (!feed_type_ok(want, ioc->type))
		return feed_bad(fc, line, col, "indicator \"%s\" is a %s, but its type says %s",
				feed_quote(canon, strlen(canon), q, sizeof(q)),
				feed_ioc_type_names[ioc->type], feed_ioc_type_names[want]);
	if (ioc->type == IOCW_IOC_IP_PORT)
		ioc->proto = proto;
	ioc->malware = feed_meta_clean(ioc->malware, meta[0], sizeof(meta[0]));
	ioc->threat = feed_meta_clean(ioc->threat, meta[1], sizeof(meta[1]));
	ioc->reference = feed_meta_clean(ioc->reference, meta[2], sizeof(meta[2]));
	ioc->tags = feed_meta_clean(ioc->tags, meta[3], sizeof(meta[3]));
	rc = fc->emit != NULL ? fc->emit(fc->emit_ctx, ioc) : 0;
	if (rc < 0)
		return rc;
	fc->stats->nb_iocs++;
	return 0;
}

/* "dir/threatfox-netsupport.md" -> "threatfox-netsupport". */
static const char *
feed_base_name(const char *path, char *buf, size_t len)
{
	const char *base = strrchr(path, '/'), *dot;
	size_t n;

	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	n = dot != NULL && dot != base ? (size_t)(dot - base) : strlen(base);
	if (n >= len)
		n = len - 1;
	memcpy(buf, base, n);
	buf[n] = '\0';
	return n > 0 ? buf : "feed";
}

int
feed_load_buffer(const char *path, const char *data, size_t len, const struct feed_options *opt,
		 feed_emit_fn emit, void *ctx, struct feed_stats *stats)
{
	static const struct feed_options defaults = {.format = FEED_FORMAT_AUTO};
	struct feed_stats local;
	struct feed_ctx fc;
	enum feed_format format;
	char name[256];
	int rc;

	opt = opt ? opt : &defaults;
	stats = stats ? stats : &local;
	if (data == NULL) { /* an empty feed; pointer arithmetic on NULL is undefined */
		data = "";
		len = 0;
	}
	memset(stats, 0, sizeof(*stats));
	memset(&fc, 0, sizeof(fc));
	fc.path = path ? path : "<buffer>";
	fc.strict = opt->strict;
	fc.action = opt->action;
	fc.errors = opt->errors ? opt->errors : stderr;
	fc.emit = emit;
	fc.emit_ctx = ctx;
	fc.stats = stats;
	fc.opt = opt;
	fc.name = opt->name ? opt->name : feed_base_name(fc.path, name, sizeof(name));
	format = opt->format != FEED_FORMAT_AUTO ? opt->format : feed_detect(data, len);
	stats->format = format;
	if (format <= FEED_FORMAT_AUTO || format >= FEED_FORMAT_COUNT) {
		fprintf(fc.errors, "%s: cannot tell the feed format (binary data?); set one of",
			fc.path);
		for (format = FEED_FORMAT_AUTO + 1; format < FEED_FORMAT_COUNT; format++)
			fprintf(fc.errors, " %s", feed_formats[format].name);
		fputc('\n', fc.errors);
		return -EINVAL;
	}
	rc = feed_formats[format].parse(&fc, data, len);
	feed_skip_kind_summary(&fc);
	if (stats->nb_bad > FEED_ERRORS_MAX && !fc.strict)
		fprintf(fc.errors, "%s: %zu bad lines in all, only the first %d shown\n", fc.path,
			stats->nb_bad, FEED_ERRORS_MAX);
	if (fc.nb_skip_msgs > FEED_ERRORS_MAX)
		fprintf(fc.errors, "%s: %zu records skipped with a reason, only the first %d shown\n",
			fc.path, fc.nb_skip_msgs, FEED_ERRORS_MAX);
	return rc;
}

int
feed_read_file(const char *path, char **out, size_t *out_len)
{
	size_t cap, len = 0;
	struct stat st;
	char *buf, *nbuf;
	ssize_t n;
	int fd, rc;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		rc = -errno;
		goto out_close;
	}
	if (S_ISDIR(st.st_mode) || (S_ISREG(st.st_mode) && (uint64_t)st.st_size > FEED_FILE_MAX)) {
		rc = S_ISDIR(st.st_mode) ? -EISDIR : -EFBIG;
		goto out_close;
	}
	cap = S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 64u << 10;
	buf = malloc(cap);
	if (buf == NULL) {
		rc = -ENOMEM;
		goto out_close;
	}
	for (;;) {
		if (len + 1 == cap) {
			if (cap > FEED_FILE_MAX) {
				rc = -EFBIG;
				goto out_free;
			}
			nbuf = realloc(buf, cap * 2);
			if (nbuf == NULL) {
				rc = -ENOMEM;
				goto out_free;
			}
			buf = nbuf;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = -errno;
			goto out_free;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	close(fd);
	*out = buf;
	*out_len = len;
	return 0;
out_free:
	free(buf);
out_close:
	close(fd);
	return rc;
}

/* A directory is loaded as a MISP feed when it holds a manifest.json. */
static bool
feed_dir_is_misp(const char *path)
{
	char manifest[4096 + sizeof("/manifest.json")];
	size_t n = strlen(path);

	if (n >= 4096)
		return false;
	memcpy(manifest, path, n);
	memcpy(manifest + n, "/manifest.json", sizeof("/manifest.json"));
	return access(manifest, F_OK) == 0;
}

/* A MISP feed directory: its manifest.json, parsed as misp-feed under the directory's name. */
static int
feed_load_dir(const char *path, const struct feed_options *opt, feed_emit_fn emit, void *ctx,
	      struct feed_stats *stats)
{
	FILE *errors = opt && opt->errors ? opt->errors : stderr;
	struct feed_options o = {.format = FEED_FORMAT_MISP_FEED};
	char manifest[4096 + sizeof("/manifest.json")], name[4096], base[256];
	size_t n = strlen(path), len = 0;
	char *data = NULL;
	int rc;

	if (opt != NULL)
		o = *opt;
	while (n > 1 && path[n - 1] == '/')
		n--;
	if (o.format != FEED_FORMAT_AUTO && o.format != FEED_FORMAT_MISP_FEED) {
		fprintf(errors, "%s: a directory can only be a misp-feed, not %s\n", path,
			feed_format_name(o.format));
		return -EISDIR;
	}
	o.format = FEED_FORMAT_MISP_FEED;
	if (n >= sizeof(name))
		return -ENAMETOOLONG;
	memcpy(name, path, n);
	name[n] = '\0';
	memcpy(manifest, name, n);
	memcpy(manifest + n, "/manifest.json", sizeof("/manifest.json"));
	if (o.name == NULL)
		o.name = feed_base_name(name, base, sizeof(base));
	rc = feed_read_file(manifest, &data, &len);
	if (rc < 0) {
		fprintf(errors, "%s: cannot read MISP feed manifest: %s\n", manifest, strerror(-rc));
		if (stats != NULL)
			memset(stats, 0, sizeof(*stats));
		return rc;
	}
	rc = feed_load_buffer(manifest, data, len, &o, emit, ctx, stats);
	free(data);
	return rc;
}

int
feed_load_file(const char *path, const struct feed_options *opt, feed_emit_fn emit, void *ctx,
	       struct feed_stats *stats)
{
	FILE *errors = opt && opt->errors ? opt->errors : stderr;
	char *data = NULL;
	struct stat st;
	size_t len = 0;
	int rc;

	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode) && feed_dir_is_misp(path))
		return feed_load_dir(path, opt, emit, ctx, stats);
	rc = feed_read_file(path, &data, &len);
	if (rc < 0) {
		fprintf(errors, "%s: cannot read feed: %s\n", path, strerror(-rc));
		if (stats != NULL)
			memset(stats, 0, sizeof(*stats));
		return rc;
	}
	rc = feed_load_buffer(path, data, len, opt, emit, ctx, stats);
	free(data);
	return rc;
}
