/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * feed_iprep.c - Suricata IP reputation files (Suricata user guide, "IP
 * Reputation Format"): "<ip or cidr>,<category>,<score>" records, where the
 * category is a number defined by a separate categories file of
 * "<id>,<short name>,<description>" records, named by the feed's
 * `categories:` option. Both go through the shared CSV splitter; '#' lines
 * are comments.
 *
 * The category's short name becomes the threat ("category <id>" without a
 * categories file), the score 1..127 the confidence 1..100 (rounded). A
 * score of 0 means "no data" in Suricata: such records are skipped with a
 * reason. A category the categories file does not define is a bad record.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "feed_parsers.h"

/* Suricata caps category ids at 60; we accept any id that fits a byte. */
#define IPREP_CATEGORIES 256
#define IPREP_NAME_MAX 64
#define IPREP_SCORE_MAX 127

struct feed_iprep {
	bool have_file; /* a categories file was read */
	bool defined[IPREP_CATEGORIES];
	char name[IPREP_CATEGORIES][IPREP_NAME_MAX];
};

/* "0".."max" without sign, blanks or leading zeros beyond one digit; -1 when not. */
static int
feed_iprep_number(const char *s, int max)
{
	int v = 0;
	size_t i;

	if (s[0] == '\0' || (s[0] == '0' && s[1] != '\0'))
		return -1;
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] < '0' || s[i] > '9' || i >= 4)
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v <= max ? v : -1;
}

/* One "id,shortname,description" record of the categories file. */
static int
feed_iprep_category(struct feed_ctx *fc, struct feed_iprep *ip, const struct feed_csv *csv,
		    size_t line)
{
	const struct feed_csv_field *f = csv->field;
	char q[96];
	size_t n;
	int id;

	if (csv->nb_fields != 3)
		return feed_bad(fc, line, 0,
				"category has %zu fields, expected 3 (id,shortname,"
				"description)",
				csv->nb_fields);
	id = feed_iprep_number(f[0].s, IPREP_CATEGORIES - 1);
	if (id < 0)
		return feed_bad(fc, f[0].line, f[0].col, "category id \"%s\" is not 0-%d",
				feed_quote(f[0].s, strlen(f[0].s), q, sizeof(q)),
				IPREP_CATEGORIES - 1);
	n = strlen(f[1].s);
	if (n == 0 || n >= IPREP_NAME_MAX)
		return feed_bad(fc, f[1].line, f[1].col,
				"category short name should have 1-%d "
				"characters",
				IPREP_NAME_MAX - 1);
	if (ip->defined[id])
		feed_warn(fc, line, "category %d defined again; the last definition wins", id);
	memcpy(ip->name[id], f[1].s, n + 1);
	ip->defined[id] = true;
	return 0;
}

/* Read the categories file; its messages name it, not the reputation file. */
static int
feed_iprep_categories(struct feed_ctx *fc, struct feed_iprep *ip, const char *path)
{
	const char *feed_path = fc->path;
	struct feed_line l;
	struct feed_csv csv;
	size_t len, line;
	char *data;
	int rc;

	rc = feed_read_file(path, &data, &len);
	if (rc < 0) {
		fprintf(fc->errors, "%s: cannot read the categories file %s: %s\n", fc->path, path,
			strerror(-rc));
		return rc;
	}
	if (feed_csv_init(&csv, data, len) < 0) {
		free(data);
		return -ENOMEM;
	}
	fc->path = path;
	rc = 0;
	while (rc == 0 && csv.p < csv.end) {
		if (feed_csv_blank_line(&csv))
			continue;
		if (*csv.p == '#') {
			feed_csv_raw_line(&csv, &l);
			continue;
		}
		line = csv.line;
		rc = feed_csv_record(fc, &csv);
		rc = rc == 1 ? feed_iprep_category(fc, ip, &csv, line) : rc;
	}
	fc->path = feed_path;
	feed_csv_fini(&csv);
	free(data);
	ip->have_file = true;
	return rc;
}

static int
feed_iprep_record(struct feed_ctx *fc, const struct feed_iprep *ip, const struct feed_csv *csv,
		  size_t line)
{
	const struct feed_csv_field *f = csv->field;
	char threat[32], q[96];
	struct ioc ioc;
	int cat, score;

	if (csv->nb_fields != 3)
		return feed_bad(fc, line, 0,
				"record has %zu fields, expected 3 (ip,category,score)",
				csv->nb_fields);
	cat = feed_iprep_number(f[1].s, IPREP_CATEGORIES - 1);
	if (cat < 0 || (ip->have_file && !ip->defined[cat]))
		return feed_bad(fc, f[1].line, f[1].col, "category \"%s\" is %s",
				feed_quote(f[1].s, strlen(f[1].s), q, sizeof(q)),
				cat < 0 ? "not a number (0-255)" : "not in the categories file");
	score = feed_iprep_number(f[2].s, IPREP_SCORE_MAX);
	if (score < 0)
		return feed_bad(fc, f[2].line, f[2].col, "score \"%s\" is not 0-%d",
				feed_quote(f[2].s, strlen(f[2].s), q, sizeof(q)), IPREP_SCORE_MAX);
	if (score == 0) {
		feed_skip(fc, f[2].line, f[2].col, "score 0 means no reputation data");
		return 0;
	}
	feed_ioc_init(fc, &ioc);
	if (ip->have_file) {
		ioc.threat = ip->name[cat];
	} else {
		snprintf(threat, sizeof(threat), "category %d", cat);
		ioc.threat = threat;
	}
	/* 1..127 onto 1..100, rounded to the nearest. */
	ioc.confidence = (score * 100 + IPREP_SCORE_MAX / 2) / IPREP_SCORE_MAX;
	return feed_emit_value(fc, f[0].line, f[0].col, IOCW_IOC_IP, f[0].s, &ioc);
}

int
feed_iprep_parse(struct feed_ctx *fc, const char *data, size_t len)
{
	const char *cats = fc->opt ? fc->opt->categories : NULL;
	struct feed_iprep *ip;
	struct feed_line l;
	struct feed_csv csv;
	size_t line;
	int rc = 0;

	ip = calloc(1, sizeof(*ip));
	if (ip == NULL)
		return -ENOMEM;
	if (cats != NULL && cats[0] != '\0')
		rc = feed_iprep_categories(fc, ip, cats);
	else
		feed_warn(fc, 0,
			  "no categories file (feed option categories:); the threat is "
			  "the category number");
	if (rc < 0)
		goto out_free_ip;
	rc = feed_csv_init(&csv, data, len);
	if (rc < 0)
		goto out_free_ip;
	while (rc == 0 && csv.p < csv.end) {
		if (feed_csv_blank_line(&csv))
			continue;
		if (*csv.p == '#') {
			feed_csv_raw_line(&csv, &l);
			continue;
		}
		line = csv.line;
		rc = feed_csv_record(fc, &csv);
		rc = rc == 1 ? feed_iprep_record(fc, ip, &csv, line) : rc;
	}
	fc->stats->nb_lines = feed_csv_nb_lines(&csv);
	feed_csv_fini(&csv);
out_free_ip:
	free(ip);
	return rc;
}
