/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * syslog_frame.c - syslog headers (RFC 5424 section 6, RFC 3164 section 4.1)
 * and TCP framing (RFC 6587 section 3.4).
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "syslog_frame.h"

int
syslog_frame_severity(int cef_severity)
{
	if (cef_severity >= 9)
		return 2;
	if (cef_severity >= 7)
		return 3;
	if (cef_severity >= 4)
		return 4;
	return 5;
}

/* HOSTNAME / MSGID: PRINTUSASCII (33..126) only, "-" when empty (RFC 5424 6.2.4). */
static void
syslog_frame_token(const char *in, size_t max, char *out, size_t outlen)
{
	size_t n = 0;

	for (; in != NULL && *in != '\0' && n < max && n + 1 < outlen; in++, n++)
		out[n] = (*in >= 33 && *in <= 126) ? *in : '_';
	if (n == 0 && outlen > 1)
		out[n++] = '-';
	out[n] = '\0';
}

size_t
syslog_frame_header(const struct syslog_frame *f, int severity, const char *msgid,
		    const struct timespec *ts, char *buf, size_t len)
{
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	unsigned pri = (unsigned)f->facility * 8u + (unsigned)severity;
	char host[256], mid[33];
	struct tm tm;
	int n;

	syslog_frame_token(f->hostname, 255, host, sizeof(host));
	if (f->format == EXPORT_FORMAT_RFC3164) {
		/* RFC 3164 4.1.2: local time, day space-padded, no year; HOSTNAME without dots is safest
		 * but a sensor name is kept as configured. */
		localtime_r(&ts->tv_sec, &tm);
		n = snprintf(buf, len, "<%u>%s %2d %02d:%02d:%02d %s %s[%d]: ", pri, months[tm.tm_mon],
			     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, host, SYSLOG_APP_NAME, f->pid);
		return n < 0 ? 0 : (size_t)n;
	}
	syslog_frame_token(msgid, 32, mid, sizeof(mid));
	gmtime_r(&ts->tv_sec, &tm);
	n = snprintf(buf, len, "<%u>1 %04d-%02d-%02dT%02d:%02d:%02d.%06ldZ %s %s %d %s - ", pri,
		     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		     ts->tv_nsec / 1000, host, SYSLOG_APP_NAME, f->pid, mid);
	return n < 0 ? 0 : (size_t)n;
}

/* Index just after the 7th unescaped '|' (the end of the CEF header), or @p len. */
static size_t
syslog_frame_cef_header_end(const char *s, size_t len)
{
	unsigned pipes = 0;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\\') {
			i++;
			continue;
		}
		if (s[i] == '|' && ++pipes == 7)
			return i + 1;
	}
	return len;
}

/* Length of the key "[A-Za-z0-9]+=" at @p s (key only), 0 when there is none. */
static size_t
syslog_frame_key_at(const char *s, size_t len)
{
	size_t n = 0;

	while (n < len && ((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z') ||
			   (s[n] >= '0' && s[n] <= '9')))
		n++;
	return n > 0 && n < len && s[n] == '=' ? n : 0;
}

static bool
syslog_frame_is_label(const char *key, size_t n)
{
	return n > 5 && memcmp(key + n - 5, "Label", 5) == 0;
}

size_t
syslog_frame_cut_cef(const char *cef, size_t len, size_t max)
{
	size_t start = syslog_frame_cef_header_end(cef, len);
	size_t best = 0, klen;
	const char *key = cef + start;

	if (len <= max)
		return len;
	klen = syslog_frame_key_at(key, len - start);
	/* CEF escapes '=' in values, so " key=" with a bare '=' is always a boundary. */
	for (size_t i = start; i < len && i <= max && klen > 0; i++) {
		size_t n = cef[i] == ' ' ? syslog_frame_key_at(cef + i + 1, len - i - 1) : 0;

		if (n == 0)
			continue;
		if (!syslog_frame_is_label(key, klen))
			best = i;
		key = cef + i + 1;
		klen = n;
	}
	return best;
}

size_t
syslog_frame_stream(enum export_framing framing, const char *msg, size_t len, char *buf, size_t cap)
{
	int n = 0;

	if (framing == EXPORT_FRAMING_OCTET) {
		n = snprintf(buf, cap, "%zu ", len);
		if (n < 0 || (size_t)n >= cap)
			return 0;
	}
	if ((size_t)n + len + 1 > cap)
		return 0;
	memcpy(buf + n, msg, len);
	if (framing == EXPORT_FRAMING_NEWLINE)
		buf[n + len++] = '\n';
	return (size_t)n + len;
}
