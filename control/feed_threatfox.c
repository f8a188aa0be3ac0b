/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * feed_threatfox.c - abuse.ch ThreatFox feeds: the CSV export (header-driven,
 * RFC 4180 quoting), the JSON export (object keyed by IOC id) and the API
 * get_iocs response. All three fill one struct feed_threatfox_rec and share
 * one emit path, so the metadata mapping is written once.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "feed_parsers.h"
#include "json.h"

#define FEED_THREATFOX_TAGS_MAX 1024

/* The ThreatFox fields we use. */
enum feed_threatfox_field {
	TF_FIELD_ID = 0,
	TF_FIELD_VALUE,
	TF_FIELD_TYPE,
	TF_FIELD_THREAT,
	TF_FIELD_MALWARE,
	TF_FIELD_PRINTABLE,
	TF_FIELD_FIRST_SEEN,
	TF_FIELD_LAST_SEEN,
	TF_FIELD_CONFIDENCE,
	TF_FIELD_REFERENCE,
	TF_FIELD_TAGS,
	TF_FIELD_COUNT
};

/* Field names per format; NULL where the format has no such field (the JSON export keys
 * records by id). */
static const char *const feed_threatfox_csv_names[TF_FIELD_COUNT] = {
    [TF_FIELD_ID] = "ioc_id",
    [TF_FIELD_VALUE] = "ioc_value",
    [TF_FIELD_TYPE] = "ioc_type",
    [TF_FIELD_THREAT] = "threat_type",
    [TF_FIELD_MALWARE] = "fk_malware",
    [TF_FIELD_PRINTABLE] = "malware_printable",
    [TF_FIELD_FIRST_SEEN] = "first_seen_utc",
    [TF_FIELD_LAST_SEEN] = "last_seen_utc",
    [TF_FIELD_CONFIDENCE] = "confidence_level",
    [TF_FIELD_REFERENCE] = "reference",
    [TF_FIELD_TAGS] = "tags",
};
static const char *const feed_threatfox_json_names[TF_FIELD_COUNT] = {
    [TF_FIELD_VALUE] = "ioc_value",
    [TF_FIELD_TYPE] = "ioc_type",
    [TF_FIELD_THREAT] = "threat_type",
    [TF_FIELD_MALWARE] = "malware",
    [TF_FIELD_PRINTABLE] = "malware_printable",
    [TF_FIELD_FIRST_SEEN] = "first_seen_utc",
    [TF_FIELD_LAST_SEEN] = "last_seen_utc",
    [TF_FIELD_CONFIDENCE] = "confidence_level",
    [TF_FIELD_REFERENCE] = "reference",
    [TF_FIELD_TAGS] = "tags",
};
static const char *const feed_threatfox_api_names[TF_FIELD_COUNT] = {
    [TF_FIELD_ID] = "id",
    [TF_FIELD_VALUE] = "ioc",
    [TF_FIELD_TYPE] = "ioc_type",
    [TF_FIELD_THREAT] = "threat_type",
    [TF_FIELD_MALWARE] = "malware",
    [TF_FIELD_PRINTABLE] = "malware_printable",
    [TF_FIELD_FIRST_SEEN] = "first_seen",
    [TF_FIELD_LAST_SEEN] = "last_seen",
    [TF_FIELD_CONFIDENCE] = "confidence_level",
    [TF_FIELD_REFERENCE] = "reference",
    [TF_FIELD_TAGS] = "tags",
};

/* CSV column order when the file has no header line (with and without is_compromised). */
static const char *const feed_threatfox_csv_order[] = {
    "first_seen_utc", "ioc_id",		  "ioc_value",	    "ioc_type",
    "threat_type",    "fk_malware",	  "malware_alias",  "malware_printable",
    "last_seen_utc",  "confidence_level", "is_compromised", "reference",
    "tags",	      "anonymous",	  "reporter",
};
#define TF_CSV_ORDER_LEN (sizeof(feed_threatfox_csv_order) / sizeof(feed_threatfox_csv_order[0]))

/* One record, whatever format it came from. Text fields are "" when absent. */
struct feed_threatfox_rec {
	const char *f[TF_FIELD_COUNT];
	size_t line[TF_FIELD_COUNT]; /* position of each field, for messages */
	size_t col[TF_FIELD_COUNT];
	char num[TF_FIELD_COUNT][32]; /* JSON numbers and booleans as text */
	char tags[FEED_THREATFOX_TAGS_MAX];
};

static void
feed_threatfox_rec_init(struct feed_threatfox_rec *r, size_t line, size_t col)
{
	unsigned int i;

	for (i = 0; i < TF_FIELD_COUNT; i++) {
		r->f[i] = "";
		r->line[i] = line;
		r->col[i] = col;
	}
}

/* ThreatFox writes "None" for an empty alias, tag list or reference. */
static void
feed_threatfox_rec_set(struct feed_threatfox_rec *r, unsigned int f, const char *text)
{
	r->f[f] = f != TF_FIELD_VALUE && text[0] == 'N' && strcmp(text, "None") == 0 ? "" : text;
}

static bool
feed_threatfox_all_digits(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* Text metadata of one record into *ioc; ref receives the fallback reference URL. */
static void
feed_threatfox_meta(const struct feed_threatfox_rec *r, struct ioc *ioc, char *ref, size_t ref_len)
{
	static const char prefix[] = "https://threatfox.abuse.ch/ioc/";
	const char *id = r->f[TF_FIELD_ID];
	size_t n = strlen(id);

	ioc->malware =
	    r->f[TF_FIELD_PRINTABLE][0] ? r->f[TF_FIELD_PRINTABLE] : r->f[TF_FIELD_MALWARE];
	ioc->threat = r->f[TF_FIELD_THREAT];
	ioc->tags = r->f[TF_FIELD_TAGS];
	ioc->reference = r->f[TF_FIELD_REFERENCE];
	if (ioc->reference[0] == '\0' && feed_threatfox_all_digits(id) &&
	    sizeof(prefix) + n + 1 <= ref_len) {
		/* Once per record: plain copies, not snprintf(). */
		memcpy(ref, prefix, sizeof(prefix) - 1);
		memcpy(ref + sizeof(prefix) - 1, id, n);
		memcpy(ref + sizeof(prefix) - 1 + n, "/", 2);
		ioc->reference = ref;
	}
}

/* The one path from a record to the sink: type check, metadata, value. */
static int
feed_threatfox_emit(struct feed_ctx *fc, const struct feed_threatfox_rec *r)
{
	const unsigned int t = TF_FIELD_TYPE, c = TF_FIELD_CONFIDENCE;
	const unsigned int fs = TF_FIELD_FIRST_SEEN, ls = TF_FIELD_LAST_SEEN;
	enum iocw_ioc_type want;
	char ref[64], q[96];
	struct ioc ioc;
	int rc;

	rc = feed_type_from_name(r->f[t], &want);
	if (rc == 1) {
		fc->stats->nb_skipped++;
		return 0;
	}
	if (rc < 0)
		return feed_bad(fc, r->line[t], r->col[t], "unsupported ioc_type \"%s\"",
				feed_quote(r->f[t], strlen(r->f[t]), q, sizeof(q)));
	feed_ioc_init(fc, &ioc);
	feed_threatfox_meta(r, &ioc, ref, sizeof(ref));
	if ((rc = feed_field_confidence(fc, r->line[c], r->col[c], "confidence_level", r->f[c],
					&ioc.confidence)) != 0 ||
	    (rc = feed_field_time(fc, r->line[fs], r->col[fs], "first seen", r->f[fs],
				  &ioc.first_seen)) != 0 ||
	    (rc = feed_field_time(fc, r->line[ls], r->col[ls], "last seen", r->f[ls],
				  &ioc.last_seen)) != 0)
		return rc < 0 ? rc : 0;
	return feed_emit_value(fc, r->line[TF_FIELD_VALUE], r->col[TF_FIELD_VALUE], want,
			       r->f[TF_FIELD_VALUE], &ioc);
}

/* ---- CSV export ---- */

/* The records of one CSV export: the shared splitter plus what the header says. */
struct feed_threatfox_csv {
	struct feed_csv csv;
	int map[TF_FIELD_COUNT]; /* CSV column of each field, -1 when absent */
	size_t nb_header;	 /* columns named by the header line, 0 without one */
	size_t nb_default;	 /* without a header: the field count map[] was built for */
	size_t nb_records;	 /* data records, good or bad */
	size_t trailer_count;	 /* "# Number of entries: N", and where it was */
	size_t trailer_line;
};

/* Column of each field from a list of column names. */
static void
feed_threatfox_csv_map(struct feed_threatfox_csv *tc, const char *const *names, size_t nb)
{
	unsigned int f;
	size_t i;

	for (f = 0; f < TF_FIELD_COUNT; f++) {
		tc->map[f] = -1;
		for (i = 0; i < nb; i++)
			if (strcasecmp(names[i], feed_threatfox_csv_names[f]) == 0)
				tc->map[f] = (int)i;
	}
}

/* "# "first_seen_utc","ioc_id",..." names the columns; other quoted comments are ignored.
 * The header is one line: a stray quote in a comment must not swallow data lines. */
static void
feed_threatfox_csv_header(struct feed_threatfox_csv *tc, const struct feed_line *l)
{
	const char *names[FEED_CSV_FIELDS], *t = l->s + 1, *eol = l->s + l->len;
	struct feed_csv *csv = &tc->csv;
	const char *p = csv->p, *line_start = csv->line_start;
	size_t line = csv->line, i;

	while (t < eol && (*t == ' ' || *t == '\t'))
		t++;
	if (t == eol || *t != '"')
		return;
	/* Split the comment's text in place, then put the cursor back after the line. */
	csv->p = t;
	csv->line = l->no;
	csv->line_start = l->s;
	if (feed_csv_split(csv, eol) == 0) {
		for (i = 0; i < csv->nb_fields; i++)
			names[i] = csv->field[i].s;
		for (i = 0; i < csv->nb_fields; i++) {
			if (strcasecmp(names[i], "ioc_value") == 0) {
				feed_threatfox_csv_map(tc, names, csv->nb_fields);
				tc->nb_header = csv->nb_fields;
				break;
			}
		}
	}
	csv->p = p;
	csv->line = line;
	csv->line_start = line_start;
}

/* A '#' line: the column header, the entry-count trailer, or a plain comment. */
static void
feed_threatfox_csv_comment(struct feed_threatfox_csv *tc)
{
	static const char trailer[] = "number of entries:";
	struct feed_line l;
	const char *t, *eol;
	size_t n = 0;

	feed_csv_raw_line(&tc->csv, &l);
	eol = l.s + l.len;
	for (t = l.s + 1; t < eol && (*t == ' ' || *t == '\t'); t++)
		;
	if (t < eol && *t == '"') {
		feed_threatfox_csv_header(tc, &l);
	} else if ((size_t)(eol - t) >= sizeof(trailer) - 1 &&
		   strncasecmp(t, trailer, sizeof(trailer) - 1) == 0) {
		for (t += sizeof(trailer) - 1; t < eol && *t == ' '; t++)
			;
		for (; t < eol && *t >= '0' && *t <= '9' && n < ((size_t)1 << 48); t++)
			n = n * 10 + (size_t)(*t - '0');
		tc->trailer_count = n;
		tc->trailer_line = l.no;
	}
}

/* Column map for a record of nb fields without a header: the export's order, where older
 * exports lack is_compromised. */
static bool
feed_threatfox_csv_default_map(struct feed_threatfox_csv *tc, size_t nb)
{
	const char *names[TF_CSV_ORDER_LEN];
	size_t i, o = 0;

	if (nb != TF_CSV_ORDER_LEN && nb != TF_CSV_ORDER_LEN - 1)
		return false;
	if (tc->nb_default == nb)
		return true;
	tc->nb_default = nb;
	for (i = 0; i < TF_CSV_ORDER_LEN; i++)
		if (nb == TF_CSV_ORDER_LEN ||
		    strcmp(feed_threatfox_csv_order[i], "is_compromised") != 0)
			names[o++] = feed_threatfox_csv_order[i];
	feed_threatfox_csv_map(tc, names, o);
	return true;
}

/* Split fields into r. @return 1 when r is filled, else what feed_bad() said. */
static int
feed_threatfox_csv_rec(struct feed_ctx *fc, struct feed_threatfox_csv *tc,
		       struct feed_threatfox_rec *r, size_t line)
{
	size_t nb = tc->csv.nb_fields;
	const struct feed_csv_field *fld;
	unsigned int f;

	if (tc->nb_header == 0 && !feed_threatfox_csv_default_map(tc, nb))
		return feed_bad(fc, line, 0, "record has %zu fields, expected %zu (or %zu)", nb,
				TF_CSV_ORDER_LEN, TF_CSV_ORDER_LEN - 1);
	if (tc->nb_header != 0 && nb != tc->nb_header)
		return feed_bad(fc, line, 0, "record has %zu fields, the header names %zu", nb,
				tc->nb_header);
	feed_threatfox_rec_init(r, line, 0);
	for (f = 0; f < TF_FIELD_COUNT; f++) {
		if (tc->map[f] < 0)
			continue;
		fld = &tc->csv.field[tc->map[f]];
		feed_threatfox_rec_set(r, f, fld->s);
		r->line[f] = fld->line;
		r->col[f] = fld->col;
	}
	return 1;
}

static int
feed_threatfox_csv_record(struct feed_ctx *fc, struct feed_threatfox_csv *tc)
{
	struct feed_threatfox_rec r;
	size_t line = tc->csv.line;
	int rc;

	tc->nb_records++;
	rc = feed_csv_record(fc, &tc->csv);
	if (rc != 1)
		return rc;
	rc = feed_threatfox_csv_rec(fc, tc, &r, line);
	return rc == 1 ? feed_threatfox_emit(fc, &r) : rc;
}

int
feed_threatfox_csv_parse(struct feed_ctx *fc, const char *data, size_t len)
{
	struct feed_threatfox_csv tc;
	int rc = 0;

	memset(&tc, 0, sizeof(tc));
	if (feed_csv_init(&tc.csv, data, len) < 0)
		return -ENOMEM;
	while (rc == 0 && tc.csv.p < tc.csv.end) {
		if (feed_csv_blank_line(&tc.csv))
			continue;
		if (*tc.csv.p == '#')
			feed_threatfox_csv_comment(&tc);
		else
			rc = feed_threatfox_csv_record(fc, &tc);
	}
	fc->stats->nb_lines = feed_csv_nb_lines(&tc.csv);
	if (rc == 0 && tc.trailer_line && tc.trailer_count != tc.nb_records)
		feed_warn(fc, tc.trailer_line, "trailer says %zu entries, the file has %zu",
			  tc.trailer_count, tc.nb_records);
	feed_csv_fini(&tc.csv);
	return rc;
}

/* ---- JSON export and API response ---- */

/* Text of a JSON scalar, or of an array of strings joined with ',' when list is set
 * (tags); NULL for any other type. */
static const char *
feed_threatfox_json_text(const struct json_node *n, bool list, char *num, size_t num_len,
			 char *tags)
{
	size_t k, o = 0, sl;
	int64_t i;
	double d;
	bool b;

	switch (json_type(n)) {
	case JSON_TYPE_NONE:
	case JSON_TYPE_NULL:
		return "";
	case JSON_TYPE_STRING:
		return json_string(n);
	case JSON_TYPE_BOOL:
		json_bool(n, &b);
		return b ? "true" : "false";
	case JSON_TYPE_NUMBER:
		if (json_int64(n, &i) == 0)
			snprintf(num, num_len, "%lld", (long long)i);
		else if (json_number(n, &d) == 0)
			snprintf(num, num_len, "%g", d);
		return num;
	case JSON_TYPE_ARRAY:
		if (!list)
			return NULL;
		tags[0] = '\0';
		for (k = 0; k < json_array_len(n); k++) {
			const char *s = json_string(json_array_at(n, k));

			sl = s ? strlen(s) : 0;
			if (sl == 0 || o + sl + 2 > FEED_THREATFOX_TAGS_MAX)
				continue;
			if (o > 0)
				tags[o++] = ',';
			memcpy(tags + o, s, sl + 1);
			o += sl;
		}
		return tags;
	default:
		return NULL;
	}
}

/* One IOC object into a record (fields named by names[]), then emit it. */
static int
feed_threatfox_json_record(struct feed_ctx *fc, struct json_doc *doc, const struct json_node *obj,
			   const char *const *names, const char *id)
{
	struct feed_threatfox_rec r;
	const struct json_node *m;
	size_t line, col, i;
	const char *text;
	unsigned int f;

	fc->stats->nb_lines++;
	json_doc_locate(doc, obj, &line, &col);
	if (json_type(obj) != JSON_TYPE_OBJECT)
		return feed_bad(fc, line, col, "IOC record should be an object, not %s",
				json_type_name(json_type(obj)));
	feed_threatfox_rec_init(&r, line, col);
	if (id != NULL)
		r.f[TF_FIELD_ID] = id;
	for (i = 0; (m = json_object_at(obj, i)) != NULL; i++) {
		for (f = 0; f < TF_FIELD_COUNT; f++)
			if (names[f] != NULL && strcmp(json_key(m), names[f]) == 0)
				break;
		if (f == TF_FIELD_COUNT)
			continue;
		text = feed_threatfox_json_text(m, f == TF_FIELD_TAGS, r.num[f], sizeof(r.num[f]),
						r.tags);
		if (text == NULL)
			return feed_bad(fc, line, col, "\"%s\" should be a string, not %s",
					names[f], json_type_name(json_type(m)));
		feed_threatfox_rec_set(&r, f, text);
	}
	return feed_threatfox_emit(fc, &r);
}

/* Parse the whole document; a syntax error is fatal: nothing after it can be trusted. */
static struct json_doc *
feed_threatfox_json_load(struct feed_ctx *fc, const char *data, size_t len)
{
	struct json_error err;
	struct json_doc *doc;

	doc = json_parse(data, len, &err);
	if (doc == NULL)
		feed_bad(fc, err.line, err.column, "invalid JSON: %s", err.reason);
	return doc;
}

/* A document-level error: reported like a bad record, but always fatal. */
static int
feed_threatfox_fatal(struct feed_ctx *fc, struct json_doc *doc, const struct json_node *n,
		     const char *what)
{
	size_t line, col;

	json_doc_locate(doc, n, &line, &col);
	feed_bad(fc, line, col, "%s", what);
	return -EINVAL;
}

int
feed_threatfox_json_parse(struct feed_ctx *fc, const char *data, size_t len)
{
	struct json_doc *doc = feed_threatfox_json_load(fc, data, len);
	const struct json_node *root, *m, *rec;
	size_t i, k;
	int rc = 0;

	if (doc == NULL)
		return -EINVAL;
	root = json_root(doc);
	if (json_type(root) != JSON_TYPE_OBJECT)
		rc = feed_threatfox_fatal(
		    fc, doc, root, "ThreatFox JSON export should be an object keyed by IOC id");
	for (i = 0; rc == 0 && (m = json_object_at(root, i)) != NULL; i++) {
		/* Each id maps to an array of (one) IOC object; accept a bare object too. */
		if (json_type(m) != JSON_TYPE_ARRAY) {
			rc = feed_threatfox_json_record(fc, doc, m, feed_threatfox_json_names,
							json_key(m));
			continue;
		}
		for (k = 0; rc == 0 && (rec = json_array_at(m, k)) != NULL; k++)
			rc = feed_threatfox_json_record(fc, doc, rec, feed_threatfox_json_names,
							json_key(m));
	}
	json_doc_free(doc);
	return rc;
}

/* The "data" array of a get_iocs answer; NULL with rc 0 for "no_result". */
static int
feed_threatfox_api_data(struct feed_ctx *fc, struct json_doc *doc, const struct json_node **list)
{
	const struct json_node *root = json_root(doc);
	const struct json_node *status = json_object_get(root, "query_status");
	const char *st = json_string(status);

	*list = json_object_get(root, "data");
	if (json_type(root) != JSON_TYPE_OBJECT)
		return feed_threatfox_fatal(fc, doc, root,
					    "ThreatFox API answer should be an object");
	if (st != NULL && strcmp(st, "no_result") == 0) {
		*list = NULL; /* "data" then holds a sentence */
		return 0;
	}
	if (status != NULL && (st == NULL || strcmp(st, "ok") != 0))
		return feed_threatfox_fatal(fc, doc, status,
					    "ThreatFox API query_status is not \"ok\"");
	if (json_type(*list) != JSON_TYPE_ARRAY)
		return feed_threatfox_fatal(fc, doc, *list ? *list : root,
					    "ThreatFox API answer has no \"data\" array");
	return 0;
}

int
feed_threatfox_api_parse(struct feed_ctx *fc, const char *data, size_t len)
{
	struct json_doc *doc = feed_threatfox_json_load(fc, data, len);
	const struct json_node *list, *rec;
	size_t i;
	int rc;

	if (doc == NULL)
		return -EINVAL;
	rc = feed_threatfox_api_data(fc, doc, &list);
	for (i = 0; rc == 0 && (rec = json_array_at(list, i)) != NULL; i++)
		rc = feed_threatfox_json_record(fc, doc, rec, feed_threatfox_api_names, NULL);
	json_doc_free(doc);
	return rc;
}
