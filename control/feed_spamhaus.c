/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * feed_spamhaus.c - Spamhaus DROP ("Don't Route Or Peer") lists:
 *  - text (drop.txt, drop_v6.txt, edrop.txt): "1.10.16.0/20 ; SBL256894"
 *    lines, ';' comments, "; Last-Modified: <RFC 1123 date>" in the header;
 *  - JSON lines (drop_v4.json, drop_v6.json): one object per line,
 *    {"cidr":"1.10.16.0/20","sblid":"SBL256894","rir":"apnic"}, and a last
 *    {"type":"metadata","timestamp":...,"records":N,...} line.
 * Every IOC is a CIDR with threat "drop" and, as reference, the SBL record's
 * page. The list's own date (Last-Modified, or the metadata timestamp) is
 * every entry's last_seen: the entry was listed then. The metadata record
 * count is checked, so that a truncated download is noticed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "feed_parsers.h"
#include "json.h"

#define SPAMHAUS_REF_PREFIX "https://www.spamhaus.org/sbl/query/"
#define SPAMHAUS_SBL_MAX 24    /* "SBL" and digits */
#define SPAMHAUS_VALUE_MAX 128 /* longest prefix text we accept */
#define SPAMHAUS_JSON_DEPTH 4  /* records are flat objects */

/* "SBL" followed by 1 to 20 digits. */
static bool
feed_spamhaus_sbl_ok(const char *s, size_t n)
{
	size_t i;

	if (n < 4 || n > SPAMHAUS_SBL_MAX || memcmp(s, "SBL", 3) != 0)
		return false;
	for (i = 3; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* Reference URL of an SBL id into ref; "" when id is empty. @return false when id is not one.
 */
static bool
feed_spamhaus_ref(const char *id, size_t n, char *ref)
{
	ref[0] = '\0';
	if (n == 0)
		return true;
	if (!feed_spamhaus_sbl_ok(id, n))
		return false;
	memcpy(ref, SPAMHAUS_REF_PREFIX, sizeof(SPAMHAUS_REF_PREFIX) - 1);
	memcpy(ref + sizeof(SPAMHAUS_REF_PREFIX) - 1, id, n);
	ref[sizeof(SPAMHAUS_REF_PREFIX) - 1 + n] = '\0';
	return true;
}

static void
feed_spamhaus_meta(struct feed_ctx *fc, struct ioc *ioc, const char *ref, int64_t listed)
{
	feed_ioc_init(fc, ioc);
	ioc->threat = "drop";
	ioc->reference = ref;
	ioc->last_seen = listed;
}

/* ---- text ---- */

/* "Wed, 01 May 2024 10:12:56 GMT" (RFC 1123, the HTTP date of RFC 9110 section 5.6.7);
 * 0 when it is not one. */
static int64_t
feed_spamhaus_http_date(const char *s, size_t n)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	char buf[64], mon[4];
	const char *m;
	struct tm tm;
	int day, year, hh, mm, ss, used = 0;
	time_t t;

	if (n >= sizeof(buf))
		return 0;
	memcpy(buf, s, n);
	buf[n] = '\0';
	memset(&tm, 0, sizeof(tm));
	if (sscanf(buf, "%*3s, %2d %3s %4d %2d:%2d:%2d GMT%n", &day, mon, &year, &hh, &mm, &ss,
		   &used) != 6 ||
	    used == 0 || (size_t)used != strlen(buf))
		return 0;
	m = strstr(months, mon);
	if (m == NULL || (m - months) % 3 != 0 || day < 1 || day > 31 || year < 1970 || hh > 23 ||
	    mm > 59 || ss > 60)
		return 0;
	tm.tm_mday = day;
	tm.tm_mon = (int)((m - months) / 3);
	tm.tm_year = year - 1900;
	tm.tm_hour = hh;
	tm.tm_min = mm;
	tm.tm_sec = ss;
	t = timegm(&tm);
	return t > 0 ? (int64_t)t : 0;
}

/* "; Last-Modified: ..." in the header comments. */
static void
feed_spamhaus_comment(struct feed_ctx *fc, const struct feed_line *l, const char *p,
		      int64_t *listed)
{
	static const char key[] = "last-modified:";
	const char *end = l->s + l->len;

	for (p++; p < end && (*p == ' ' || *p == '\t'); p++)
		;
	if ((size_t)(end - p) < sizeof(key) - 1 || strncasecmp(p, key, sizeof(key) - 1) != 0)
		return;
	for (p += sizeof(key) - 1; p < end && *p == ' '; p++)
		;
	*listed = feed_spamhaus_http_date(p, (size_t)(end - p));
	if (*listed == 0)
		feed_warn(fc, l->no,
			  "Last-Modified is not an RFC 1123 date; entries get no "
			  "last_seen");
}

static int
feed_spamhaus_drop_line(struct feed_ctx *fc, const struct feed_line *l, const char *s,
			int64_t listed)
{
	const char *end = l->s + l->len, *semi, *v_end, *id, *id_end;
	char value[SPAMHAUS_VALUE_MAX + 1], ref[sizeof(SPAMHAUS_REF_PREFIX) + SPAMHAUS_SBL_MAX];
	char q[96];
	struct ioc ioc;
	size_t n;

	semi = memchr(s, ';', (size_t)(end - s));
	v_end = semi ? semi : end;
	while (v_end > s && (v_end[-1] == ' ' || v_end[-1] == '\t'))
		v_end--;
	id = semi ? semi + 1 : end;
	while (id < end && (*id == ' ' || *id == '\t'))
		id++;
	for (id_end = id; id_end < end && *id_end != ' ' && *id_end != '\t'; id_end++)
		;
	n = (size_t)(v_end - s);
	if (n > SPAMHAUS_VALUE_MAX || memchr(s, '\0', n) != NULL)
		return feed_bad(fc, l->no, (size_t)(s - l->s) + 1, "\"%s\" is not a CIDR prefix",
				feed_quote(s, n, q, sizeof(q)));
	if (!feed_spamhaus_ref(id, (size_t)(id_end - id), ref))
		return feed_bad(fc, l->no, (size_t)(id - l->s) + 1,
				"\"%s\" is not an SBL id (SBL and digits)",
				feed_quote(id, (size_t)(id_end - id), q, sizeof(q)));
	memcpy(value, s, n);
	value[n] = '\0';
	feed_spamhaus_meta(fc, &ioc, ref, listed);
	return feed_emit_value(fc, l->no, (size_t)(s - l->s) + 1, IOCW_IOC_CIDR, value, &ioc);
}

int
feed_spamhaus_drop_parse(struct feed_ctx *fc, const char *data, size_t len)
{
	struct feed_cursor cur;
	struct feed_line l;
	int64_t listed = 0;
	const char *s;
	int rc = 0;

	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		data += 3;
		len -= 3;
	}
	feed_cursor_init(&cur, data, len);
	while (rc == 0 && feed_cursor_next(&cur, &l)) {
		for (s = l.s; s < l.s + l.len && (*s == ' ' || *s == '\t'); s++)
			;
		if (s == l.s + l.len)
			continue;
		if (*s == ';' || *s == '#')
			feed_spamhaus_comment(fc, &l, s, &listed);
		else
			rc = feed_spamhaus_drop_line(fc, &l, s, listed);
	}
	fc->stats->nb_lines = cur.no;
	return rc;
}

/* ---- JSON lines ---- */

static const struct json_limits feed_spamhaus_limits = {
    .max_depth = SPAMHAUS_JSON_DEPTH,
    .max_size = FEED_LINE_MAX,
    .max_nodes = 64,
};

/* The metadata line, wherever it is (Spamhaus writes it last): its timestamp and count. */
struct feed_spamhaus_info {
	int64_t timestamp;
	int64_t records; /* -1 when not given */
	size_t line;	 /* 0 when there is no metadata line */
};

static bool
feed_spamhaus_is_meta(const struct json_node *root)
{
	const char *type = json_string(json_object_get(root, "type"));

	return type != NULL && strcmp(type, "metadata") == 0;
}

static void
feed_spamhaus_read_meta(const struct json_node *root, size_t line, struct feed_spamhaus_info *info)
{
	if (json_int64(json_object_get(root, "timestamp"), &info->timestamp) != 0 ||
	    info->timestamp < 0)
		info->timestamp = 0;
	if (json_int64(json_object_get(root, "records"), &info->records) != 0)
		info->records = -1;
	info->line = line;
}

/* Number of the line that starts at s (1-based). */
static size_t
feed_spamhaus_line_no(const char *data, const char *s)
{
	const char *p = data, *nl;
	size_t n = 1;

	while (p < s && (nl = memchr(p, '\n', (size_t)(s - p))) != NULL) {
		n++;
		p = nl + 1;
	}
	return n;
}

/* Look at the last non-blank line for the metadata before emitting anything. */
static void
feed_spamhaus_prescan(const char *data, size_t len, struct feed_spamhaus_info *info)
{
	const char *end = data + len, *s;
	struct json_doc *doc;

	info->records = -1;
	while (end > data &&
	       (end[-1] == '\n' || end[-1] == '\r' || end[-1] == ' ' || end[-1] == '\t'))
		end--;
	for (s = end; s > data && s[-1] != '\n'; s--)
		;
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	if (end - s < 2 || *s != '{' || (size_t)(end - s) > FEED_LINE_MAX)
		return;
	doc = json_parse_limits(s, (size_t)(end - s), &feed_spamhaus_limits, NULL);
	if (doc != NULL && feed_spamhaus_is_meta(json_root(doc)))
		feed_spamhaus_read_meta(json_root(doc), feed_spamhaus_line_no(data, s), info);
	json_doc_free(doc);
}

static int
feed_spamhaus_record(struct feed_ctx *fc, struct json_doc *doc, size_t line,
		     const struct feed_spamhaus_info *info)
{
	const struct json_node *root = json_root(doc), *cidr, *sbl, *rir;
	char ref[sizeof(SPAMHAUS_REF_PREFIX) + SPAMHAUS_SBL_MAX], q[96];
	const char *id;
	size_t col, l;
	struct ioc ioc;

	if (json_type(root) != JSON_TYPE_OBJECT)
		return feed_bad(fc, line, 1, "record should be an object, not %s",
				json_type_name(json_type(root)));
	cidr = json_object_get(root, "cidr");
	sbl = json_object_get(root, "sblid");
	rir = json_object_get(root, "rir");
	json_doc_locate(doc, cidr ? cidr : root, &l, &col);
	if (json_string(cidr) == NULL)
		return feed_bad(fc, line, col, "record has no \"cidr\" string");
	id = json_string(sbl) ? json_string(sbl) : "";
	if ((sbl != NULL && json_type(sbl) != JSON_TYPE_STRING &&
	     json_type(sbl) != JSON_TYPE_NULL) ||
	    !feed_spamhaus_ref(id, strlen(id), ref)) {
		json_doc_locate(doc, sbl, &l, &col);
		return feed_bad(fc, line, col, "\"sblid\" %s is not an SBL id (SBL and digits)",
				json_string(sbl) ? feed_quote(id, strlen(id), q, sizeof(q))
						 : json_type_name(json_type(sbl)));
	}
	feed_spamhaus_meta(fc, &ioc, ref, info->timestamp);
	ioc.tags = json_string(rir) ? json_string(rir) : "";
	json_doc_locate(doc, cidr, &l, &col);
	return feed_emit_value(fc, line, col, IOCW_IOC_CIDR, json_string(cidr), &ioc);
}

static int
feed_spamhaus_json_line(struct feed_ctx *fc, const struct feed_line *l,
			struct feed_spamhaus_info *info, size_t *nb_records)
{
	struct json_error err;
	struct json_doc *doc;
	int rc;

	if (l->len > FEED_LINE_MAX)
		return feed_bad(fc, l->no, 0, "line longer than 64 KiB");
	doc = json_parse_limits(l->s, l->len, &feed_spamhaus_limits, &err);
	if (doc == NULL)
		return feed_bad(fc, l->no, err.column, "invalid JSON: %s", err.reason);
	if (feed_spamhaus_is_meta(json_root(doc))) {
		if (l->no != info->line) {
			feed_warn(fc, l->no, "metadata record is not the last line");
			if (info->line == 0)
				feed_spamhaus_read_meta(json_root(doc), l->no, info);
		}
		rc = 0;
	} else {
		(*nb_records)++;
		rc = feed_spamhaus_record(fc, doc, l->no, info);
	}
	json_doc_free(doc);
	return rc;
}

int
feed_spamhaus_json_parse(struct feed_ctx *fc, const char *data, size_t len)
{
	struct feed_spamhaus_info info;
	struct feed_cursor cur;
	struct feed_line l;
	size_t nb_records = 0, i;
	int rc = 0;

	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		data += 3;
		len -= 3;
	}
	memset(&info, 0, sizeof(info));
	feed_spamhaus_prescan(data, len, &info);
	feed_cursor_init(&cur, data, len);
	while (rc == 0 && feed_cursor_next(&cur, &l)) {
		for (i = 0; i < l.len && (l.s[i] == ' ' || l.s[i] == '\t'); i++)
			;
		if (i < l.len)
			rc = feed_spamhaus_json_line(fc, &l, &info, &nb_records);
	}
	fc->stats->nb_lines = cur.no;
	if (rc != 0)
		return rc;
	if (info.line == 0)
		feed_warn(fc, 0, "no metadata record: the file may be truncated");
	else if (info.records >= 0 && (size_t)info.records != nb_records)
		feed_warn(fc, info.line, "metadata says %lld records, the file has %zu",
			  (long long)info.records, nb_records);
	return 0;
}
