/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * feed_zeek.c - Zeek intelligence framework files (the input framework's
 * format read by Intel::read_files): a "#fields" line naming the columns,
 * tab-separated records, "-" for an unset field and "(empty)" for an empty
 * one; other '#' lines ("#separator \x09", "#set_separator ,", "#types",
 * "#close") are directives or comments.
 *
 * Columns are found by name: indicator and indicator_type are required;
 * meta.desc -> threat, meta.url -> reference, meta.source (+ meta.cif_tags)
 * -> tags, meta.cif_confidence -> confidence. Types: Intel::ADDR (an
 * address), Intel::SUBNET (a prefix), Intel::DOMAIN, Intel::URL (written
 * without a scheme, as Zeek's HTTP analyzer sees it: "http://" is added).
 * Other Intel:: types (hashes, e-mail, software, ...) are counted as skipped.
 */
#include <errno.h>
#include <string.h>

#include "feed_parsers.h"

#define ZEEK_FIELDS 32
/* Longest indicator text handed to ioc_parse(), "http://" included. */
#define ZEEK_VALUE_MAX (4 * IOC_VALUE_MAX)
#define ZEEK_TAGS_MAX 512

enum feed_zeek_col {
	ZEEK_COL_INDICATOR = 0,
	ZEEK_COL_TYPE,
	ZEEK_COL_SOURCE,
	ZEEK_COL_DESC,
	ZEEK_COL_URL,
	ZEEK_COL_CIF_CONFIDENCE,
	ZEEK_COL_CIF_TAGS,
	ZEEK_COL_COUNT
};

static const char *const feed_zeek_names[ZEEK_COL_COUNT] = {
    [ZEEK_COL_INDICATOR] = "indicator",	   [ZEEK_COL_TYPE] = "indicator_type",
    [ZEEK_COL_SOURCE] = "meta.source",	   [ZEEK_COL_DESC] = "meta.desc",
    [ZEEK_COL_URL] = "meta.url",	   [ZEEK_COL_CIF_CONFIDENCE] = "meta.cif_confidence",
    [ZEEK_COL_CIF_TAGS] = "meta.cif_tags",
};

/* Intel::Type values iocwire can match (Zeek base/frameworks/intel/main.zeek). */
static const struct {
	const char *name;
	enum iocw_ioc_type type;
} feed_zeek_types[] = {
    {"Intel::ADDR", IOCW_IOC_IP},
    {"Intel::SUBNET", IOCW_IOC_CIDR},
    {"Intel::DOMAIN", IOCW_IOC_DOMAIN},
    {"Intel::URL", IOCW_IOC_URL},
};

struct feed_zeek {
	char sep;		 /* field separator, '\t' unless "#separator" says */
	int map[ZEEK_COL_COUNT]; /* column of each field, -1 when absent */
	size_t nb_cols;		 /* columns "#fields" names, 0 before it */
	const char *field[ZEEK_FIELDS];
	size_t len[ZEEK_FIELDS];
	size_t col[ZEEK_FIELDS];
	size_t nb_fields;
};

/* Split s[0..len) at sep into z->field[]; false when there are too many fields. */
static bool
feed_zeek_split(struct feed_zeek *z, const char *s, size_t len)
{
	const char *p = s, *end = s + len, *f;

	z->nb_fields = 0;
	for (;;) {
		if (z->nb_fields == ZEEK_FIELDS)
			return false;
		f = memchr(p, z->sep, (size_t)(end - p));
		z->field[z->nb_fields] = p;
		z->len[z->nb_fields] = (size_t)((f ? f : end) - p);
		z->col[z->nb_fields] = (size_t)(p - s) + 1;
		z->nb_fields++;
		if (f == NULL)
			return true;
		p = f + 1;
	}
}

/* "#separator \x09" (the only escape Zeek writes there) or a literal character. */
static void
feed_zeek_separator(struct feed_ctx *fc, struct feed_zeek *z, const struct feed_line *l)
{
	const char *p = l->s + 10, *end = l->s + l->len;
	unsigned int v = 0, i;

	while (p < end && *p == ' ')
		p++;
	if (end - p == 4 && p[0] == '\\' && p[1] == 'x') {
		for (i = 2; i < 4; i++) {
			char c = p[i] | 0x20;

			if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
				break;
			v = v * 16 + (unsigned int)(c <= '9' ? c - '0' : c - 'a' + 10);
		}
		if (i == 4 && v != 0 && v != '\n' && v != '\r') {
			z->sep = (char)v;
			return;
		}
	} else if (end - p == 1 && *p != '\n') {
		z->sep = *p;
		return;
	}
	feed_warn(fc, l->no, "cannot read the #separator line; fields stay tab-separated");
}

/* "#fields<sep>indicator<sep>indicator_type<sep>meta.source..." */
static int
feed_zeek_fields(struct feed_ctx *fc, struct feed_zeek *z, const struct feed_line *l)
{
	unsigned int c;
	size_t i;

	if (!feed_zeek_split(z, l->s, l->len) || z->nb_fields < 3)
		return feed_bad(fc, l->no, 0, "#fields line should name 2 to %d columns",
				ZEEK_FIELDS - 1);
	for (c = 0; c < ZEEK_COL_COUNT; c++) {
		z->map[c] = -1;
		for (i = 1; i < z->nb_fields; i++)
			if (z->len[i] == strlen(feed_zeek_names[c]) &&
			    memcmp(z->field[i], feed_zeek_names[c], z->len[i]) == 0)
				z->map[c] = (int)i - 1;
	}
	if (z->map[ZEEK_COL_INDICATOR] < 0 || z->map[ZEEK_COL_TYPE] < 0) {
		z->nb_cols = 0;
		feed_bad(fc, l->no, 0,
			 "#fields line names no indicator and indicator_type columns");
		return -EINVAL;
	}
	z->nb_cols = z->nb_fields - 1;
	return 0;
}

/* Field c of the current record into buf as a C string: "" for "-" and "(empty)". A text
 * that does not fit is cut when cut is set (metadata), else refused.
 * @return false when refused. */
static bool
feed_zeek_text(const struct feed_zeek *z, enum feed_zeek_col c, char *buf, size_t buflen, bool cut)
{
	const char *s;
	size_t n;

	buf[0] = '\0';
	if (z->map[c] < 0)
		return true;
	s = z->field[z->map[c]];
	n = z->len[z->map[c]];
	if ((n == 1 && s[0] == '-') || (n == 7 && memcmp(s, "(empty)", 7) == 0))
		return true;
	if (n >= buflen && cut)
		n = buflen - 1;
	if (n >= buflen || memchr(s, '\0', n) != NULL)
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return true;
}

static size_t
feed_zeek_col_of(const struct feed_zeek *z, enum feed_zeek_col c)
{
	return z->map[c] >= 0 ? z->col[z->map[c]] : 0;
}

/* What indicator_type asks for. @return 0, 1 when well-formed but not matchable, -1 unknown. */
static int
feed_zeek_type(const char *s, size_t n, enum iocw_ioc_type *type)
{
	size_t i;

	for (i = 0; i < sizeof(feed_zeek_types) / sizeof(feed_zeek_types[0]); i++) {
		if (n == strlen(feed_zeek_types[i].name) &&
		    memcmp(s, feed_zeek_types[i].name, n) == 0) {
			*type = feed_zeek_types[i].type;
			return 0;
		}
	}
	return n > 7 && memcmp(s, "Intel::", 7) == 0 ? 1 : -1;
}

static int
feed_zeek_record(struct feed_ctx *fc, struct feed_zeek *z, const struct feed_line *l)
{
	char value[ZEEK_VALUE_MAX + 8], desc[1024], url[IOC_VALUE_MAX];
	char source[256], cif_tags[256], conf[16], tags[ZEEK_TAGS_MAX], q[96];
	size_t tcol, vcol = feed_zeek_col_of(z, ZEEK_COL_INDICATOR);
	enum iocw_ioc_type want;
	struct ioc ioc;
	const char *t;
	size_t tn, o;
	int rc;

	if (!feed_zeek_split(z, l->s, l->len) || z->nb_fields != z->nb_cols)
		return feed_bad(fc, l->no, 0, "record has %s%zu fields, #fields names %zu",
				z->nb_fields == ZEEK_FIELDS ? "more than " : "", z->nb_fields,
				z->nb_cols);
	t = z->field[z->map[ZEEK_COL_TYPE]];
	tn = z->len[z->map[ZEEK_COL_TYPE]];
	tcol = feed_zeek_col_of(z, ZEEK_COL_TYPE);
	rc = feed_zeek_type(t, tn, &want);
	if (rc < 0)
		return feed_bad(fc, l->no, tcol, "indicator_type \"%s\" is not an Intel:: type",
				feed_quote(t, tn, q, sizeof(q)));
	if (rc == 1) {
		memcpy(value, t, tn < 31 ? tn : 31);
		value[tn < 31 ? tn : 31] = '\0';
		feed_skip_kind(fc, value);
		return 0;
	}
	/* A scheme-less URL is what Zeek's HTTP analyzer matches ("host/path"). */
	o = 0;
	if (want == IOCW_IOC_URL && memmem(z->field[z->map[ZEEK_COL_INDICATOR]],
					   z->len[z->map[ZEEK_COL_INDICATOR]], "://", 3) == NULL) {
		memcpy(value, "http://", 7);
		o = 7;
	}
	if (!feed_zeek_text(z, ZEEK_COL_INDICATOR, value + o, sizeof(value) - o, false)) {
		if (z->len[z->map[ZEEK_COL_INDICATOR]] < ZEEK_VALUE_MAX)
			return feed_bad(fc, l->no, vcol, "NUL byte in indicator");
		return feed_bad(fc, l->no, vcol, "indicator longer than %d characters",
				ZEEK_VALUE_MAX);
	}
	if (value[o] == '\0')
		return feed_bad(fc, l->no, vcol, "indicator is empty");
	if (!feed_zeek_text(z, ZEEK_COL_DESC, desc, sizeof(desc), true) ||
	    !feed_zeek_text(z, ZEEK_COL_URL, url, sizeof(url), true) ||
	    !feed_zeek_text(z, ZEEK_COL_SOURCE, source, sizeof(source), true) ||
	    !feed_zeek_text(z, ZEEK_COL_CIF_TAGS, cif_tags, sizeof(cif_tags), true) ||
	    !feed_zeek_text(z, ZEEK_COL_CIF_CONFIDENCE, conf, sizeof(conf), true))
		return feed_bad(fc, l->no, 0, "a meta field holds a NUL byte");
	feed_ioc_init(fc, &ioc);
	ioc.threat = desc;
	ioc.reference = url;
	if (source[0] != '\0' && cif_tags[0] != '\0') {
		snprintf(tags, sizeof(tags), "%s,%s", source, cif_tags);
		ioc.tags = tags;
	} else {
		ioc.tags = source[0] != '\0' ? source : cif_tags;
	}
	rc = feed_field_confidence(fc, l->no, feed_zeek_col_of(z, ZEEK_COL_CIF_CONFIDENCE),
				   "meta.cif_confidence", conf, &ioc.confidence);
	if (rc != 0)
		return rc < 0 ? rc : 0;
	return feed_emit_value(fc, l->no, vcol, want, value, &ioc);
}

int
feed_zeek_parse(struct feed_ctx *fc, const char *data, size_t len)
{
	struct feed_cursor cur;
	struct feed_zeek z;
	struct feed_line l;
	int rc = 0;

	memset(&z, 0, sizeof(z));
	z.sep = '\t';
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		data += 3;
		len -= 3;
	}
	feed_cursor_init(&cur, data, len);
	while (rc == 0 && feed_cursor_next(&cur, &l)) {
		if (l.len == 0)
			continue;
		if (l.s[0] == '#') {
			if (l.len > 10 && memcmp(l.s, "#separator", 10) == 0 && l.s[10] == ' ')
				feed_zeek_separator(fc, &z, &l);
			else if (l.len > 7 && memcmp(l.s, "#fields", 7) == 0 && l.s[7] == z.sep)
				rc = feed_zeek_fields(fc, &z, &l);
			continue;
		}
		if (l.len > FEED_LINE_MAX) {
			rc = feed_bad(fc, l.no, 0, "line longer than 64 KiB");
			continue;
		}
		if (z.nb_cols == 0) {
			feed_bad(fc, l.no, 0,
				 "record before the #fields line (Zeek intel files start with "
				 "\"#fields<TAB>indicator<TAB>indicator_type...\")");
			rc = -EINVAL;
			break;
		}
		rc = feed_zeek_record(fc, &z, &l);
	}
	fc->stats->nb_lines = cur.no;
	return rc;
}
