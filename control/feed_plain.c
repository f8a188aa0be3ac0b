/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * feed_plain.c - plain indicator lists: one indicator per line (any type
 * ioc_parse() knows, defanged or not), '#' and ';' comments on their own line
 * or after a blank, blank lines, LF or CR LF. The only metadata is the feed name.
 */
#include <errno.h>
#include <string.h>

#include "feed_parsers.h"

/* Longest indicator text handed to ioc_parse() (defanged text is longer than canonical). */
#define FEED_PLAIN_MAX (4 * IOC_VALUE_MAX)

static bool
feed_plain_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

/* Length of s[0..len) once a trailing comment and trailing blanks are cut. */
static size_t
feed_plain_content_len(const char *s, size_t len)
{
	size_t i;

	for (i = 1; i < len; i++) {
		if ((s[i] == '#' || s[i] == ';') && feed_plain_blank(s[i - 1])) {
			len = i;
			break;
		}
	}
	while (len > 0 && feed_plain_blank(s[len - 1]))
		len--;
	return len;
}

static int
feed_plain_line(struct feed_ctx *fc, const struct feed_line *l, char *buf)
{
	const char *s = l->s, *end = l->s + l->len;
	struct ioc ioc;
	size_t n;

	while (s < end && feed_plain_blank(*s))
		s++;
	if (s == end || *s == '#' || *s == ';')
		return 0;
	n = feed_plain_content_len(s, (size_t)(end - s));
	if (n > FEED_PLAIN_MAX)
		return feed_bad(fc, l->no, 0, "line longer than %d characters", FEED_PLAIN_MAX);
	if (memchr(s, '\0', n) != NULL)
		return feed_bad(fc, l->no, 0, "NUL byte in line");
	memcpy(buf, s, n);
	buf[n] = '\0';
	feed_ioc_init(fc, &ioc);
	return feed_emit_value(fc, l->no, 0, IOCW_IOC_TYPE_COUNT, buf, &ioc);
}

int
feed_plain_parse(struct feed_ctx *fc, const char *data, size_t len)
{
	char buf[FEED_PLAIN_MAX + 1];
	struct feed_cursor cur;
	struct feed_line l;
	int rc = 0;

	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		data += 3;
		len -= 3;
	}
	feed_cursor_init(&cur, data, len);
	while (rc == 0 && feed_cursor_next(&cur, &l))
		rc = feed_plain_line(fc, &l, buf);
	fc->stats->nb_lines = cur.no;
	return rc;
}
