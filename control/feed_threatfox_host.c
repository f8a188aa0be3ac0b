/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * feed_threatfox_host.c - hosts-file exports (ThreatFox's "hostfile"
 * download, URLhaus's and similar DNS blocklists): a '#' banner, then
 * "127.0.0.1<blanks>name [name...] [# comment]" lines. The address is the
 * sinkhole the list wants the names resolved to, not an indicator: only the
 * names become domain IOCs. The usual local names of a hosts file
 * (localhost, broadcasthost, ip6-*) are ignored.
 */
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "feed_parsers.h"

/* Longest name text handed to ioc_parse() (a domain is at most 253 characters). */
#define HOSTFILE_NAME_MAX 512

static bool
feed_host_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\v' || c == '\f';
}

/* Names every hosts file carries for the machine itself. */
static bool
feed_host_local_name(const char *s, size_t n)
{
	static const char *const names[] = {"localhost", "localhost.localdomain", "local",
					    "broadcasthost"};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (n == strlen(names[i]) && strncasecmp(s, names[i], n) == 0)
			return true;
	return n > 4 && strncasecmp(s, "ip6-", 4) == 0;
}

/* The address column: an IPv4 or IPv6 address (hex digits, '.', ':'). */
static bool
feed_host_addr_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > 45)
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') ||
		      (s[i] >= 'A' && s[i] <= 'F') || s[i] == '.' || s[i] == ':'))
			return false;
	return true;
}

static int
feed_host_line(struct feed_ctx *fc, const struct feed_line *l)
{
	const char *p = l->s, *end = l->s + l->len, *w;
	char name[HOSTFILE_NAME_MAX + 1], q[96];
	struct ioc ioc;
	size_t n;
	int rc;

	while (p < end && feed_host_blank(*p))
		p++;
	if (p == end || *p == '#')
		return 0;
	if (l->len > FEED_LINE_MAX)
		return feed_bad(fc, l->no, 0, "line longer than 64 KiB");
	for (w = p; p < end && !feed_host_blank(*p); p++)
		;
	if (!feed_host_addr_ok(w, (size_t)(p - w)))
		return feed_bad(fc, l->no, (size_t)(w - l->s) + 1,
				"\"%s\" is not an address: expected \"127.0.0.1 name\"",
				feed_quote(w, (size_t)(p - w), q, sizeof(q)));
	for (;;) {
		while (p < end && feed_host_blank(*p))
			p++;
		if (p == end || *p == '#')
			return 0;
		for (w = p; p < end && !feed_host_blank(*p); p++)
			;
		n = (size_t)(p - w);
		if (feed_host_local_name(w, n))
			continue;
		if (n > HOSTFILE_NAME_MAX || memchr(w, '\0', n) != NULL) {
			rc = feed_bad(fc, l->no, (size_t)(w - l->s) + 1,
				      "\"%s\" is not a host name", feed_quote(w, n, q, sizeof(q)));
		} else {
			memcpy(name, w, n);
			name[n] = '\0';
			feed_ioc_init(fc, &ioc);
			rc = feed_emit_value(fc, l->no, (size_t)(w - l->s) + 1, IOCW_IOC_DOMAIN,
					     name, &ioc);
		}
		if (rc < 0)
			return rc;
	}
}

int
feed_threatfox_host_parse(struct feed_ctx *fc, const char *data, size_t len)
{
	struct feed_cursor cur;
	struct feed_line l;
	int rc = 0;

	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		data += 3;
		len -= 3;
	}
	feed_cursor_init(&cur, data, len);
	while (rc == 0 && feed_cursor_next(&cur, &l))
		rc = feed_host_line(fc, &l);
	fc->stats->nb_lines = cur.no;
	return rc;
}
