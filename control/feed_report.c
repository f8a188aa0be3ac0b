/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * feed_report.c - a threat report in markdown: document-wide metadata from
 * "Malware Family:", "Source:", "Reference:" and "Tags:" lines (plain, bold
 * or list items, anywhere in the file), and IOCs from every pipe table whose
 * header names a Type and a Value column (GitHub-flavoured markdown tables;
 * other columns are found by name, in any order).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "feed_parsers.h"

#define FEED_REPORT_CELLS 32
#define FEED_REPORT_META_MAX 512

enum feed_report_col {
	REPORT_COL_TYPE = 0,
	REPORT_COL_VALUE,
	REPORT_COL_THREAT,
	REPORT_COL_FIRST_SEEN,
	REPORT_COL_LAST_SEEN,
	REPORT_COL_CONFIDENCE,
	REPORT_COL_MALWARE,
	REPORT_COL_TAGS,
	REPORT_COL_COUNT
};

enum feed_report_meta {
	REPORT_META_FAMILY = 0,
	REPORT_META_SOURCE,
	REPORT_META_REFERENCE,
	REPORT_META_TAGS,
	REPORT_META_COUNT
};

/* Column header names once lower-cased and stripped of everything but letters and digits. */
static const struct {
	const char *name;
	enum feed_report_col col;
} feed_report_headers[] = {
    {"type", REPORT_COL_TYPE},
    {"ioctype", REPORT_COL_TYPE},
    {"indicatortype", REPORT_COL_TYPE},
    {"value", REPORT_COL_VALUE},
    {"ioc", REPORT_COL_VALUE},
    {"iocvalue", REPORT_COL_VALUE},
    {"indicator", REPORT_COL_VALUE},
    {"threattype", REPORT_COL_THREAT},
    {"threat", REPORT_COL_THREAT},
    {"firstseen", REPORT_COL_FIRST_SEEN},
    {"firstseenutc", REPORT_COL_FIRST_SEEN},
    {"lastseen", REPORT_COL_LAST_SEEN},
    {"lastseenutc", REPORT_COL_LAST_SEEN},
    {"confidence", REPORT_COL_CONFIDENCE},
    {"confidencelevel", REPORT_COL_CONFIDENCE},
    {"malware", REPORT_COL_MALWARE},
    {"malwarefamily", REPORT_COL_MALWARE},
    {"tags", REPORT_COL_TAGS},
};

static const char *const feed_report_labels[REPORT_META_COUNT] = {
    [REPORT_META_FAMILY] = "malware family",
    [REPORT_META_SOURCE] = "source",
    [REPORT_META_REFERENCE] = "reference",
    [REPORT_META_TAGS] = "tags",
};

struct feed_report_cell {
	char *s; /* cleaned text, NUL-terminated, in the row buffer */
	size_t col;
};

struct feed_report {
	char meta[REPORT_META_COUNT][FEED_REPORT_META_MAX];
	int map[REPORT_COL_COUNT]; /* cell index of each column, -1 absent */
	size_t nb_header;	   /* cells in the current table's header, 0 outside a table */
	size_t nb_required;	   /* cells a row needs to reach its Type and Value columns */
	struct feed_report_cell cell[FEED_REPORT_CELLS];
	size_t nb_cells;
	char *buf; /* the current row's cells */
};

static bool
feed_report_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Cut blanks, then emphasis and code marks ('*', '`'), from both ends of s[0..*len). */
static const char *
feed_report_trim(const char *s, size_t *len)
{
	size_t n = *len;

	while (n > 0 && (feed_report_blank(*s) || *s == '*' || *s == '`')) {
		s++;
		n--;
	}
	while (n > 0 && (feed_report_blank(s[n - 1]) || s[n - 1] == '*' || s[n - 1] == '`'))
		n--;
	*len = n;
	return s;
}

/* "<url>" and "[text](url)" -> url. */
static const char *
feed_report_link(const char *s, size_t *len)
{
	const char *open;

	if (*len >= 2 && s[0] == '<' && s[*len - 1] == '>') {
		*len -= 2;
		return s + 1;
	}
	if (*len >= 4 && s[0] == '[' && s[*len - 1] == ')' &&
	    (open = memchr(s, '(', *len)) != NULL && open > s && open[-1] == ']') {
		*len = (size_t)(s + *len - 1 - (open + 1));
		return open + 1;
	}
	return s;
}

/* "**Malware Family:** X", "- Malware Family: X", "**Malware Family**: X": the first value of
 * each label wins. */
static void
feed_report_meta_line(struct feed_report *rep, const struct feed_line *l)
{
	const char *p = l->s, *end = l->s + l->len, *v;
	size_t n, i;

	while (p < end && feed_report_blank(*p))
		p++;
	if (end - p >= 2 && memchr("-+*>", *p, 4) != NULL && p[1] == ' ')
		p += 2;
	while (p < end && (*p == '*' || *p == '_' || feed_report_blank(*p)))
		p++;
	for (i = 0; i < REPORT_META_COUNT; i++) {
		n = strlen(feed_report_labels[i]);
		if ((size_t)(end - p) > n && strncasecmp(p, feed_report_labels[i], n) == 0)
			break;
	}
	if (i == REPORT_META_COUNT)
		return;
	for (v = p + n; v < end && (*v == '*' || *v == '_'); v++)
		;
	if (v >= end || *v != ':')
		return;
	n = (size_t)(end - v - 1);
	v = feed_report_trim(v + 1, &n);
	v = feed_report_link(v, &n);
	if (n == 0 || rep->meta[i][0] != '\0')
		return;
	if (n >= FEED_REPORT_META_MAX)
		n = FEED_REPORT_META_MAX - 1;
	memcpy(rep->meta[i], v, n);
	rep->meta[i][n] = '\0';
}

/* "NetSupport, RAT" and "`A`, `B`" -> "NetSupport,RAT" and "A,B", in place. */
static void
feed_report_tags(char *tags)
{
	char *o = tags, *p = tags;

	for (; *p != '\0'; p++) {
		if (*p == '`')
			continue;
		if (*p == ' ' && (o == tags || o[-1] == ',' || p[1] == ',' || p[1] == ' ' ||
				  p[1] == '`' || p[1] == '\0'))
			continue;
		*o++ = *p;
	}
	*o = '\0';
}

/*
 * Split a table row into cells on unescaped '|' (GFM), cleaned of blanks,
 * emphasis and backticks, "\|" unescaped. The leading and trailing pipes
 * delimit the row.
 */
static int
feed_report_split(struct feed_report *rep, const struct feed_line *l, const char *bar)
{
	const char *p = bar + 1, *end = l->s + l->len, *s;
	char *o = rep->buf;
	size_t n;

	while (end > p && feed_report_blank(end[-1]))
		end--;
	if (end > p && end[-1] == '|' && !(end - p >= 2 && end[-2] == '\\'))
		end--;
	for (rep->nb_cells = 0; p <= end && rep->nb_cells < FEED_REPORT_CELLS; p++) {
		struct feed_report_cell *c = &rep->cell[rep->nb_cells++];

		for (s = p; p < end && !(*p == '|' && (p == s || p[-1] != '\\')); p++)
			;
		n = (size_t)(p - s);
		s = feed_report_trim(s, &n);
		c->col = (size_t)(s - l->s) + 1;
		c->s = o;
		for (; n > 0; n--, s++)
			if (!(*s == '\\' && n > 1 && s[1] == '|'))
				*o++ = *s;
		*o++ = '\0';
	}
	return p <= end ? -E2BIG : 0;
}

static void
feed_report_normalise(const char *s, char *out, size_t len)
{
	size_t o = 0;

	for (; *s != '\0' && o + 1 < len; s++) {
		if ((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9'))
			out[o++] = *s;
		else if (*s >= 'A' && *s <= 'Z')
			out[o++] = (char)(*s - 'A' + 'a');
	}
	out[o] = '\0';
}

/* A header row names a Type and a Value column: map every column we know. */
static bool
feed_report_header(struct feed_report *rep)
{
	char norm[32];
	size_t i, k;

	for (k = 0; k < REPORT_COL_COUNT; k++)
		rep->map[k] = -1;
	for (i = 0; i < rep->nb_cells; i++) {
		feed_report_normalise(rep->cell[i].s, norm, sizeof(norm));
		for (k = 0; k < sizeof(feed_report_headers) / sizeof(feed_report_headers[0]); k++)
			if (strcmp(norm, feed_report_headers[k].name) == 0 &&
			    rep->map[feed_report_headers[k].col] < 0)
				rep->map[feed_report_headers[k].col] = (int)i;
	}
	if (rep->map[REPORT_COL_TYPE] < 0 || rep->map[REPORT_COL_VALUE] < 0)
		return false;
	rep->nb_header = rep->nb_cells;
	rep->nb_required = (size_t)(rep->map[REPORT_COL_TYPE] > rep->map[REPORT_COL_VALUE]
					? rep->map[REPORT_COL_TYPE]
					: rep->map[REPORT_COL_VALUE]) +
			   1;
	return true;
}

/* |---|:---:| */
static bool
feed_report_separator(const struct feed_report *rep)
{
	size_t i;

	for (i = 0; i < rep->nb_cells; i++)
		if (rep->cell[i].s[0] == '\0' ||
		    strspn(rep->cell[i].s, "-: ") != strlen(rep->cell[i].s))
			return false;
	return true;
}

/* Text of a column in the current row ("" when the table has none), and its column in *pos. */
static const char *
feed_report_cell(const struct feed_report *rep, enum feed_report_col col, size_t *pos)
{
	int i = rep->map[col];
	bool have = i >= 0 && (size_t)i < rep->nb_cells;

	if (pos != NULL)
		*pos = have ? rep->cell[i].col : 0;
	return have ? rep->cell[i].s : "";
}

static int
feed_report_row(struct feed_ctx *fc, struct feed_report *rep, size_t line)
{
	size_t ct, cv, cc, cf, cl;
	const char *type = feed_report_cell(rep, REPORT_COL_TYPE, &ct);
	const char *value = feed_report_cell(rep, REPORT_COL_VALUE, &cv);
	const char *conf = feed_report_cell(rep, REPORT_COL_CONFIDENCE, &cc);
	const char *first = feed_report_cell(rep, REPORT_COL_FIRST_SEEN, &cf);
	const char *last = feed_report_cell(rep, REPORT_COL_LAST_SEEN, &cl);
	const char *malware = feed_report_cell(rep, REPORT_COL_MALWARE, NULL);
	const char *tags = feed_report_cell(rep, REPORT_COL_TAGS, NULL);
	enum iocw_ioc_type want;
	struct ioc ioc;
	char q[96];
	int rc;

	/* GFM pads short rows with empty cells, but Type and Value must be there. */
	if (rep->nb_cells < rep->nb_required)
		return feed_bad(fc, line, 0,
				"table row too short: %zu cells, Type and Value need %zu",
				rep->nb_cells, rep->nb_required);
	rc = feed_type_from_name(type, &want);
	if (rc == 1) {
		fc->stats->nb_skipped++;
		return 0;
	}
	if (rc < 0)
		return feed_bad(fc, line, ct, "unsupported indicator type \"%s\"",
				feed_quote(type, strlen(type), q, sizeof(q)));
	feed_ioc_init(fc, &ioc);
	ioc.threat = feed_report_cell(rep, REPORT_COL_THREAT, NULL);
	ioc.malware = malware[0] ? malware : rep->meta[REPORT_META_FAMILY];
	ioc.tags = tags[0] ? tags : rep->meta[REPORT_META_TAGS];
	ioc.reference = rep->meta[REPORT_META_REFERENCE];
	if ((rc = feed_field_confidence(fc, line, cc, "confidence", conf, &ioc.confidence)) != 0 ||
	    (rc = feed_field_time(fc, line, cf, "first seen", first, &ioc.first_seen)) != 0 ||
	    (rc = feed_field_time(fc, line, cl, "last seen", last, &ioc.last_seen)) != 0)
		return rc < 0 ? rc : 0;
	return feed_emit_value(fc, line, cv, want, value, &ioc);
}

/* One line of the second pass: table header, separator, data row, or the end of a table. */
static int
feed_report_table_line(struct feed_ctx *fc, struct feed_report *rep, const struct feed_line *l)
{
	const char *p = l->s, *end = l->s + l->len;

	while (p < end && feed_report_blank(*p))
		p++;
	if (p == end || *p != '|') {
		rep->nb_header = 0;
		return 0;
	}
	if (l->len > FEED_LINE_MAX)
		return rep->nb_header ? feed_bad(fc, l->no, 0, "table row longer than 64 KiB") : 0;
	if (feed_report_split(rep, l, p) < 0)
		return rep->nb_header ? feed_bad(fc, l->no, 0, "table row with more than %d cells",
						 FEED_REPORT_CELLS)
				      : 0;
	if (rep->nb_header == 0) {
		feed_report_header(rep);
		return 0;
	}
	if (feed_report_separator(rep))
		return 0;
	return feed_report_row(fc, rep, l->no);
}

/* First pass: document metadata, wherever it is written. */
static void
feed_report_meta(struct feed_report *rep, const char *data, size_t len)
{
	struct feed_cursor cur;
	struct feed_line l;

	feed_cursor_init(&cur, data, len);
	while (feed_cursor_next(&cur, &l))
		if (l.len <= FEED_REPORT_META_MAX * 2)
			feed_report_meta_line(rep, &l);
	if (rep->meta[REPORT_META_REFERENCE][0] == '\0' &&
	    strncasecmp(rep->meta[REPORT_META_SOURCE], "http", 4) == 0)
		memcpy(rep->meta[REPORT_META_REFERENCE], rep->meta[REPORT_META_SOURCE],
		       FEED_REPORT_META_MAX);
	feed_report_tags(rep->meta[REPORT_META_TAGS]);
}

int
feed_report_parse(struct feed_ctx *fc, const char *data, size_t len)
{
	struct feed_report *rep;
	struct feed_cursor cur;
	struct feed_line l;
	int rc = 0;

	rep = calloc(1, sizeof(*rep));
	if (rep == NULL)
		return -ENOMEM;
	/* A row's cells never outgrow the row, plus one NUL each. */
	rep->buf = malloc(FEED_LINE_MAX + FEED_REPORT_CELLS + 1);
	if (rep->buf == NULL) {
		rc = -ENOMEM;
		goto out_free_rep;
	}
	feed_report_meta(rep, data, len);
	feed_cursor_init(&cur, data, len);
	while (rc == 0 && feed_cursor_next(&cur, &l))
		rc = feed_report_table_line(fc, rep, &l);
	fc->stats->nb_lines = cur.no;
	free(rep->buf);
out_free_rep:
	free(rep);
	return rc;
}
