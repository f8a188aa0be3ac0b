/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * feed_feodo.c - abuse.ch Feodo Tracker botnet C2 blocklists:
 *  - ipblocklist.csv: a '#' banner, the column header
 *    "first_seen_utc","dst_ip","dst_port","c2_status","last_online","malware"
 *    (quoted or not, columns found by name), quoted records -> ip:port IOCs;
 *  - ipblocklist.txt: a '#' banner, then one IP per line -> ip IOCs.
 * Every IOC is a botnet C2: threat "botnet_cc", reference the host's page on
 * feodotracker.abuse.ch. "# Number of entries: N" / "# END N entries"
 * trailers are checked, so that a truncated download is noticed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "feed_parsers.h"

#define FEODO_REF_PREFIX "https://feodotracker.abuse.ch/browse/host/"
/* Longest address text we build a reference or an ip:port from. */
#define FEODO_ADDR_MAX 64

enum feed_feodo_col {
	FEODO_COL_FIRST_SEEN = 0,
	FEODO_COL_IP,
	FEODO_COL_PORT,
	FEODO_COL_STATUS,
	FEODO_COL_LAST_ONLINE,
	FEODO_COL_MALWARE,
	FEODO_COL_COUNT
};

/* Header names, which are also the column order of a file without a header. */
static const char *const feed_feodo_names[FEODO_COL_COUNT] = {
    [FEODO_COL_FIRST_SEEN] = "first_seen_utc",
    [FEODO_COL_IP] = "dst_ip",
    [FEODO_COL_PORT] = "dst_port",
    [FEODO_COL_STATUS] = "c2_status",
    [FEODO_COL_LAST_ONLINE] = "last_online",
    [FEODO_COL_MALWARE] = "malware",
};

/* Trailers: "# Number of entries: 13" (CSV) and "# END 13 entries" (text). */
static bool
feed_feodo_trailer(const struct feed_line *l, size_t *count)
{
	static const char *const prefixes[] = {"number of entries:", "end "};
	const char *p = l->s + 1, *end = l->s + l->len;
	size_t i, n = 0, plen;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	for (i = 0; i < 2; i++) {
		plen = strlen(prefixes[i]);
		if ((size_t)(end - p) > plen && strncasecmp(p, prefixes[i], plen) == 0)
			break;
	}
	if (i == 2)
		return false;
	for (p += plen; p < end && *p == ' '; p++)
		;
	if (p == end || *p < '0' || *p > '9')
		return false;
	for (; p < end && *p >= '0' && *p <= '9' && n < ((size_t)1 << 48); p++)
		n = n * 10 + (size_t)(*p - '0');
	*count = n;
	return true;
}

static void
feed_feodo_check_trailer(struct feed_ctx *fc, size_t trailer_line, size_t trailer_count,
			 size_t nb_records)
{
	if (trailer_line != 0 && trailer_count != nb_records)
		feed_warn(fc, trailer_line, "trailer says %zu entries, the file has %zu",
			  trailer_count, nb_records);
}

/* Metadata every Feodo IOC carries; ref receives the host page of address ip. */
static void
feed_feodo_meta(struct feed_ctx *fc, struct ioc *ioc, const char *ip, char *ref)
{
	size_t n = strlen(ip);

	feed_ioc_init(fc, ioc);
	ioc->threat = "botnet_cc";
	if (n == 0 || n > FEODO_ADDR_MAX)
		return;
	/* Once per record: plain copies, not snprintf(). */
	memcpy(ref, FEODO_REF_PREFIX, sizeof(FEODO_REF_PREFIX) - 1);
	memcpy(ref + sizeof(FEODO_REF_PREFIX) - 1, ip, n);
	memcpy(ref + sizeof(FEODO_REF_PREFIX) - 1 + n, "/", 2);
	ioc->reference = ref;
}

/* ---- ipblocklist.csv ---- */

struct feed_feodo_csv {
	struct feed_csv csv;
	int map[FEODO_COL_COUNT]; /* column of each field, -1 when absent */
	size_t nb_cols;		  /* columns a record must have */
	size_t nb_records;
	size_t trailer_line, trailer_count;
};

/* The fields of the current record name the columns when one of them is "dst_ip". */
static bool
feed_feodo_csv_header(struct feed_feodo_csv *fe)
{
	unsigned int c;
	size_t i;
	bool found = false;

	for (i = 0; i < fe->csv.nb_fields; i++)
		found = found || strcasecmp(fe->csv.field[i].s, "dst_ip") == 0;
	if (!found)
		return false;
	for (c = 0; c < FEODO_COL_COUNT; c++) {
		fe->map[c] = -1;
		for (i = 0; i < fe->csv.nb_fields; i++)
			if (strcasecmp(fe->csv.field[i].s, feed_feodo_names[c]) == 0)
				fe->map[c] = (int)i;
	}
	fe->nb_cols = fe->csv.nb_fields;
	return true;
}

/* A '#' line: the trailer, a commented header ("# first_seen_utc,dst_ip,..."), or banner. */
static void
feed_feodo_csv_comment(struct feed_feodo_csv *fe)
{
	struct feed_csv *csv = &fe->csv;
	const char *next, *next_start;
	struct feed_line l;
	size_t next_line;

	feed_csv_raw_line(csv, &l);
	if (feed_feodo_trailer(&l, &fe->trailer_count)) {
		fe->trailer_line = l.no;
		return;
	}
	if (l.len < 8 || memmem(l.s, l.len, "dst_ip", 6) == NULL)
		return;
	/* Split the comment's text, then put the cursor back after the line. */
	next = csv->p;
	next_line = csv->line;
	next_start = csv->line_start;
	csv->p = l.s + 1;
	csv->line = l.no;
	csv->line_start = l.s;
	if (feed_csv_split(csv, l.s + l.len) == 0)
		feed_feodo_csv_header(fe);
	csv->p = next;
	csv->line = next_line;
	csv->line_start = next_start;
}

/* "1.2.3.4" + "443" -> "1.2.3.4:443" ("[v6]:443" for IPv6), into out. */
static int
feed_feodo_ip_port(struct feed_ctx *fc, const struct feed_csv_field *ip,
		   const struct feed_csv_field *port, char *out)
{
	size_t n = strlen(ip->s), k = strlen(port->s), i;
	bool v6 = memchr(ip->s, ':', n) != NULL;
	char q[96];
	int rc;

	for (i = 0; i < k && port->s[i] >= '0' && port->s[i] <= '9'; i++)
		;
	if (k == 0 || k > 5 || i < k || atoi(port->s) < 1 || atoi(port->s) > 65535) {
		rc = feed_bad(fc, port->line, port->col, "dst_port \"%s\" is not a port (1-65535)",
			      feed_quote(port->s, k, q, sizeof(q)));
		return rc < 0 ? rc : 1;
	}
	if (n == 0 || n > FEODO_ADDR_MAX) {
		rc = feed_bad(fc, ip->line, ip->col, "dst_ip \"%s\" is not an address",
			      feed_quote(ip->s, n, q, sizeof(q)));
		return rc < 0 ? rc : 1;
	}
	i = 0;
	if (v6)
		out[i++] = '[';
	memcpy(out + i, ip->s, n);
	i += n;
	if (v6)
		out[i++] = ']';
	out[i++] = ':';
	memcpy(out + i, port->s, k + 1);
	return 0;
}

static const struct feed_csv_field *
feed_feodo_col(const struct feed_feodo_csv *fe, enum feed_feodo_col c)
{
	static const struct feed_csv_field none = {.s = ""};

	return fe->map[c] >= 0 ? &fe->csv.field[fe->map[c]] : &none;
}

static int
feed_feodo_csv_emit(struct feed_ctx *fc, struct feed_feodo_csv *fe, size_t line)
{
	const struct feed_csv_field *ip = feed_feodo_col(fe, FEODO_COL_IP);
	const struct feed_csv_field *port = feed_feodo_col(fe, FEODO_COL_PORT);
	const struct feed_csv_field *fs = feed_feodo_col(fe, FEODO_COL_FIRST_SEEN);
	const struct feed_csv_field *lo = feed_feodo_col(fe, FEODO_COL_LAST_ONLINE);
	char ref[sizeof(FEODO_REF_PREFIX) + FEODO_ADDR_MAX + 2];
	char value[FEODO_ADDR_MAX + 16];
	struct ioc ioc;
	int rc;

	if (fe->csv.nb_fields != fe->nb_cols)
		return feed_bad(fc, line, 0, "record has %zu fields, expected %zu",
				fe->csv.nb_fields, fe->nb_cols);
	feed_feodo_meta(fc, &ioc, ip->s, ref);
	ioc.malware = feed_feodo_col(fe, FEODO_COL_MALWARE)->s;
	ioc.tags = feed_feodo_col(fe, FEODO_COL_STATUS)->s;
	if ((rc = feed_field_time(fc, fs->line, fs->col, "first_seen_utc", fs->s,
				  &ioc.first_seen)) != 0 ||
	    (rc = feed_field_time(fc, lo->line, lo->col, "last_online", lo->s, &ioc.last_seen)) !=
		0)
		return rc < 0 ? rc : 0;
	if (port->s[0] == '\0')
		return feed_emit_value(fc, ip->line, ip->col, IOCW_IOC_IP, ip->s, &ioc);
	if ((rc = feed_feodo_ip_port(fc, ip, port, value)) != 0)
		return rc < 0 ? rc : 0;
	return feed_emit_value(fc, ip->line, ip->col, IOCW_IOC_IP_PORT, value, &ioc);
}

int
feed_feodo_csv_parse(struct feed_ctx *fc, const char *data, size_t len)
{
	struct feed_feodo_csv fe;
	unsigned int c;
	size_t line;
	int rc = 0;

	memset(&fe, 0, sizeof(fe));
	if (feed_csv_init(&fe.csv, data, len) < 0)
		return -ENOMEM;
	for (c = 0; c < FEODO_COL_COUNT; c++)
		fe.map[c] = (int)c;
	fe.nb_cols = FEODO_COL_COUNT;
	while (rc == 0 && fe.csv.p < fe.csv.end) {
		if (feed_csv_blank_line(&fe.csv))
			continue;
		if (*fe.csv.p == '#') {
			feed_feodo_csv_comment(&fe);
			continue;
		}
		line = fe.csv.line;
		rc = feed_csv_record(fc, &fe.csv);
		if (rc != 1) {
			fe.nb_records++;
			continue;
		}
		rc = 0;
		/* A header line comes before the data. */
		if (fe.nb_records > 0 || !feed_feodo_csv_header(&fe)) {
			fe.nb_records++;
			rc = feed_feodo_csv_emit(fc, &fe, line);
		}
	}
	fc->stats->nb_lines = feed_csv_nb_lines(&fe.csv);
	if (rc == 0)
		feed_feodo_check_trailer(fc, fe.trailer_line, fe.trailer_count, fe.nb_records);
	feed_csv_fini(&fe.csv);
	return rc;
}

/* ---- ipblocklist.txt ---- */

static int
feed_feodo_txt_line(struct feed_ctx *fc, const struct feed_line *l)
{
	char ip[FEODO_ADDR_MAX + 1], ref[sizeof(FEODO_REF_PREFIX) + FEODO_ADDR_MAX + 2], q[96];
	const char *s = l->s, *end = l->s + l->len;
	struct ioc ioc;
	size_t n;

	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	n = (size_t)(end - s);
	if (n > FEODO_ADDR_MAX || memchr(s, '\0', n) != NULL)
		return feed_bad(fc, l->no, (size_t)(s - l->s) + 1, "\"%s\" is not an IP address",
				feed_quote(s, n, q, sizeof(q)));
	memcpy(ip, s, n);
	ip[n] = '\0';
	feed_feodo_meta(fc, &ioc, ip, ref);
	return feed_emit_value(fc, l->no, (size_t)(s - l->s) + 1, IOCW_IOC_IP, ip, &ioc);
}

int
feed_feodo_txt_parse(struct feed_ctx *fc, const char *data, size_t len)
{
	size_t nb_records = 0, trailer_line = 0, trailer_count = 0, i;
	struct feed_cursor cur;
	struct feed_line l;
	int rc = 0;

	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		data += 3;
		len -= 3;
	}
	feed_cursor_init(&cur, data, len);
	while (rc == 0 && feed_cursor_next(&cur, &l)) {
		for (i = 0; i < l.len && (l.s[i] == ' ' || l.s[i] == '\t'); i++)
			;
		if (i == l.len)
			continue;
		if (l.s[i] == '#') {
			if (feed_feodo_trailer(&l, &trailer_count))
				trailer_line = l.no;
			continue;
		}
		nb_records++;
		rc = feed_feodo_txt_line(fc, &l);
	}
	fc->stats->nb_lines = cur.no;
	if (rc == 0)
		feed_feodo_check_trailer(fc, trailer_line, trailer_count, nb_records);
	return rc;
}
