/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * feed_csv.c - the CSV record splitter every comma-separated feed format uses
 * (ThreatFox, Feodo Tracker, Suricata iprep and its categories file):
 * RFC 4180 quoting, blanks around fields ignored as the abuse.ch exports
 * need, bounded records, positions for every field, and resynchronisation at
 * the next line after a malformed record.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "feed_parsers.h"

int
feed_csv_init(struct feed_csv *csv, const char *data, size_t len)
{
	memset(csv, 0, sizeof(*csv));
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		data += 3;
		len -= 3;
	}
	csv->p = csv->line_start = data;
	csv->end = data + len;
	csv->line = 1;
	/* Decoded fields are never longer than the record, plus one NUL per field. */
	csv->scratch = malloc(FEED_LINE_MAX + FEED_CSV_FIELDS + 1);
	return csv->scratch != NULL ? 0 : -ENOMEM;
}

void
feed_csv_fini(struct feed_csv *csv)
{
	free(csv->scratch);
	csv->scratch = NULL;
}

static int
feed_csv_fail(struct feed_csv *csv, const char *at, size_t line, size_t col, const char *why)
{
	csv->err = why;
	csv->err_at = at;
	csv->err_line = line;
	csv->err_col = col;
	return -EINVAL;
}

/* Error at p, on the current line. */
static int
feed_csv_fail_here(struct feed_csv *csv, const char *p, const char *why)
{
	return feed_csv_fail(csv, p, csv->line, (size_t)(p - csv->line_start) + 1, why);
}

static void
feed_csv_newline(struct feed_csv *csv, const char *nl)
{
	csv->line++;
	csv->line_start = nl + 1;
}

/* Quoted field starting at open; "" is a literal quote and newlines are data (RFC 4180
 * section 2). */
static int
feed_csv_quoted(struct feed_csv *csv, const struct feed_csv_field *fld, const char *open, char **o)
{
	const char *p = open + 1;

	for (;; p++) {
		if (p >= csv->lim)
			return feed_csv_fail(csv, open, fld->line, fld->col,
					     csv->lim < csv->rec_end ? "record longer than 64 KiB"
								     : "unterminated quoted field");
		if (*p == '"' && p + 1 < csv->lim && p[1] == '"')
			p++;
		else if (*p == '"')
			break;
		else if (*p == '\n')
			feed_csv_newline(csv, p);
		*(*o)++ = *p;
	}
	for (p++; p < csv->lim && (*p == ' ' || *p == '\t' || *p == '\r'); p++)
		;
	if (p < csv->lim && *p != ',' && *p != '\n')
		return feed_csv_fail_here(csv, p, "unexpected character after a quoted field");
	csv->p = p;
	return 0;
}

/* One field at csv->p into *o. */
static int
feed_csv_field(struct feed_csv *csv, char **o)
{
	struct feed_csv_field *fld = &csv->field[csv->nb_fields++];
	const char *p = csv->p, *s;
	char *out = *o;

	while (p < csv->lim && (*p == ' ' || *p == '\t'))
		p++;
	fld->s = out;
	fld->line = csv->line;
	fld->col = (size_t)(p - csv->line_start) + 1;
	if (p < csv->lim && *p == '"') {
		if (feed_csv_quoted(csv, fld, p, &out) < 0)
			return -EINVAL;
	} else {
		for (s = p; p < csv->lim && *p != ',' && *p != '\n'; p++)
			;
		if (p == csv->lim && csv->lim < csv->rec_end)
			return feed_csv_fail_here(csv, s, "record longer than 64 KiB");
		csv->p = p;
		while (p > s && (p[-1] == ' ' || p[-1] == '\t' || p[-1] == '\r'))
			p--;
		memcpy(out, s, (size_t)(p - s));
		out += p - s;
	}
	*out++ = '\0';
	*o = out;
	return 0;
}

int
feed_csv_split(struct feed_csv *csv, const char *end)
{
	char *o = csv->scratch;

	csv->nb_fields = 0;
	csv->rec_end = end;
	csv->lim = (size_t)(end - csv->p) > FEED_LINE_MAX ? csv->p + FEED_LINE_MAX : end;
	for (;;) {
		if (csv->nb_fields == FEED_CSV_FIELDS)
			return feed_csv_fail_here(csv, csv->p, "more than 32 fields");
		if (feed_csv_field(csv, &o) < 0)
			return -EINVAL;
		if (csv->p >= end)
			return 0;
		if (*csv->p == '\n') {
			feed_csv_newline(csv, csv->p);
			csv->p++;
			return 0;
		}
		csv->p++; /* ',' */
	}
}

/* After a bad record, go on at the line after the one the error points at. */
static void
feed_csv_resync(struct feed_csv *csv)
{
	const char *nl = memchr(csv->err_at, '\n', (size_t)(csv->end - csv->err_at));

	csv->p = nl ? nl + 1 : csv->end;
	csv->line = csv->err_line + (nl != NULL);
	csv->line_start = nl ? csv->p : csv->line_start;
}

int
feed_csv_record(struct feed_ctx *fc, struct feed_csv *csv)
{
	int rc;

	if (feed_csv_split(csv, csv->end) == 0)
		return 1;
	rc = feed_bad(fc, csv->err_line, csv->err_col, "%s", csv->err);
	feed_csv_resync(csv);
	return rc;
}

bool
feed_csv_blank_line(struct feed_csv *csv)
{
	const char *p = csv->p;

	while (p < csv->end && (*p == ' ' || *p == '\t' || *p == '\r'))
		p++;
	if (p < csv->end && *p != '\n')
		return false;
	csv->p = p < csv->end ? p + 1 : p;
	if (p < csv->end)
		feed_csv_newline(csv, p);
	return true;
}

void
feed_csv_raw_line(struct feed_csv *csv, struct feed_line *line)
{
	const char *nl = memchr(csv->p, '\n', (size_t)(csv->end - csv->p));

	line->s = csv->p;
	line->len = (size_t)((nl ? nl : csv->end) - csv->p);
	line->no = csv->line;
	if (line->len > 0 && line->s[line->len - 1] == '\r')
		line->len--;
	csv->p = nl ? nl + 1 : csv->end;
	if (nl)
		feed_csv_newline(csv, nl);
}

size_t
feed_csv_nb_lines(const struct feed_csv *csv)
{
	return csv->line - 1 + (csv->line_start < csv->end);
}
