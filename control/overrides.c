/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "overrides.h"

#define CSV_HEADER                                                                                      \
	"# \"first_seen_utc\",\"ioc_id\",\"ioc_value\",\"ioc_type\",\"threat_type\",\"fk_malware\","    \
	"\"malware_alias\",\"malware_printable\",\"last_seen_utc\",\"confidence_level\",\"reference\","  \
	"\"tags\",\"anonymous\",\"reporter\"\n"

static const char *const list_names[] = {"overrides-alert.csv", "overrides-drop.csv", "overrides-removed.txt"};
enum { LIST_ALERT, LIST_DROP, LIST_REMOVED };

static void
list_path(const char *dir, int list, char *out, size_t len)
{
	snprintf(out, len, "%s/%s", dir, list_names[list]);
}

/* The indicator a line of a list is about ("" for comments). */
static void
line_value(const char *line, int list, char *out, size_t len)
{
	const char *p = line;

	out[0] = '\0';
	if (line[0] == '#' || line[0] == '\n')
		return;
	if (list == LIST_REMOVED) {
		snprintf(out, len, "%.*s", (int)strcspn(line, "\r\n"), line);
		return;
	}
	/* Third quoted CSV field: the value (ours never contain quotes: see csv_field). */
	for (int field = 0; field < 2 && p; field++)
		p = strstr(p + 1, "\",");
	if (p && (p = strchr(p + 2, '"')) != NULL)
		snprintf(out, len, "%.*s", (int)strcspn(p + 1, "\""), p + 1);
}

/* Rewrite a list without @p value (and with @p append, if given, at the end). */
static int
rewrite(const char *dir, int list, const char *value, const char *append, bool *found)
{
	char path[600], tmp[640], line[4096], v[1100];
	FILE *in, *out;

	list_path(dir, list, path, sizeof(path));
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	out = fopen(tmp, "we");
	if (out == NULL)
		return -errno;
	in = fopen(path, "re");
	if (in == NULL && list != LIST_REMOVED)
		fputs(CSV_HEADER, out);
	while (in && fgets(line, sizeof(line), in)) {
		line_value(line, list, v, sizeof(v));
		if (v[0] && strcmp(v, value) == 0) {
			*found = true;
			continue;
		}
		fputs(line, out);
	}
	if (in)
		fclose(in);
	if (append)
		fputs(append, out);
	if (fclose(out) != 0 || rename(tmp, path) != 0)
		return -errno;
	return 0;
}

/* Overrides come from an operator's command line: refuse what the CSV layout cannot carry. */
static bool
csv_field_ok(const char *s)
{
	return s == NULL || strpbrk(s, "\"\r\n\t") == NULL;
}

int
overrides_add(const char *dir, const struct override_entry *e, char *err, size_t errlen)
{
	char row[2048], now[32];
	time_t t = time(NULL);
	bool found = false;
	int list = e->action == IOCW_ACTION_DROP ? LIST_DROP : LIST_ALERT;
	int rc;

	if (!csv_field_ok(e->malware) || !csv_field_ok(e->threat)) {
		snprintf(err, errlen, "family and threat may not contain quotes, tabs or newlines");
		return -EINVAL;
	}
	mkdir(dir, 0750);
	strftime(now, sizeof(now), "%Y-%m-%d %H:%M:%S", gmtime(&t));
	snprintf(row, sizeof(row),
		 "\"%s\", \"\", \"%s\", \"\", \"%s\", \"\", \"None\", \"%s\", \"\", \"%d\", \"\", \"manual\", "
		 "\"0\", \"iocwire-control\"\n",
		 now, e->value, e->threat ? e->threat : "", e->malware ? e->malware : "",
		 e->confidence < 0 ? 100 : e->confidence);
	/* One place per indicator: out of the other action's list and of the removal list. */
	rc = rewrite(dir, list == LIST_DROP ? LIST_ALERT : LIST_DROP, e->value, NULL, &found);
	if (rc == 0)
		rc = rewrite(dir, LIST_REMOVED, e->value, NULL, &found);
	if (rc == 0)
		rc = rewrite(dir, list, e->value, row, &found);
	if (rc < 0)
		snprintf(err, errlen, "%s: %s", dir, strerror(-rc));
	return rc;
}

int
overrides_remove(const char *dir, const char *value, char *err, size_t errlen)
{
	char line[1100];
	bool found = false;
	int rc;

	mkdir(dir, 0750);
	snprintf(line, sizeof(line), "%s\n", value);
	rc = rewrite(dir, LIST_ALERT, value, NULL, &found);
	if (rc == 0)
		rc = rewrite(dir, LIST_DROP, value, NULL, &found);
	if (rc == 0)
		rc = rewrite(dir, LIST_REMOVED, value, line, &found);
	if (rc < 0)
		snprintf(err, errlen, "%s: %s", dir, strerror(-rc));
	return rc;
}

void
overrides_feeds(const char *dir, struct control_feed *feeds, unsigned *nb, unsigned max)
{
	for (int list = 0; list < 3 && *nb < max; list++) {
		struct control_feed *f = &feeds[*nb];

		memset(f, 0, sizeof(*f));
		list_path(dir, list, f->path, sizeof(f->path));
		if (access(f->path, R_OK) != 0)
			continue;
		snprintf(f->name, sizeof(f->name), "overrides");
		f->action = list == LIST_DROP ? IOCW_ACTION_DROP : IOCW_ACTION_ALERT;
		f->remove = list == LIST_REMOVED;
		(*nb)++;
	}
}
