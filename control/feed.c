/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * feed.c - feed files: format names and detection, reading, dispatch to the
 * per-format parsers, and the helpers those parsers share (line cursor,
 * "file:line: reason" reporting, emit with metadata).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "feed.h"
#include "feed_parsers.h"

/* feed_detect() looks at most this far. */
#define FEED_DETECT_MAX (64u << 10)
/* Messages printed per feed; later bad lines are only counted (a broken 1M-line file
 * must not flood the log). */
#define FEED_ERRORS_MAX 100

typedef int (*feed_parse_fn)(struct feed_ctx *fc, const char *data, size_t len);

static const struct {
	const char *name;
	feed_parse_fn parse;
} feed_formats[FEED_FORMAT_COUNT] = {
    [FEED_FORMAT_AUTO] = {"auto", NULL},
    [FEED_FORMAT_THREATFOX_CSV] = {"threatfox-csv", feed_threatfox_csv_parse},
    [FEED_FORMAT_THREATFOX_JSON] = {"threatfox-json", feed_threatfox_json_parse},
    [FEED_FORMAT_THREATFOX_API] = {"threatfox-api", feed_threatfox_api_parse},
    [FEED_FORMAT_PLAIN] = {"plain", feed_plain_parse},
    [FEED_FORMAT_REPORT] = {"report", feed_report_parse},
};

static const char *const feed_ioc_type_names[IOCW_IOC_TYPE_COUNT + 1] = {
    [IOCW_IOC_IP] = "ip",	  [IOCW_IOC_IP_PORT] = "ip:port", [IOCW_IOC_CIDR] = "cidr",
    [IOCW_IOC_DOMAIN] = "domain", [IOCW_IOC_URL] = "url",	  [IOCW_IOC_TYPE_COUNT] = "any",
};

const char *
feed_format_name(enum feed_format format)
{
	if ((unsigned int)format >= FEED_FORMAT_COUNT)
		return "unknown";
	return feed_formats[format].name;
}

enum feed_format
feed_format_from_name(const char *name)
{
	unsigned int i;

	for (i = FEED_FORMAT_AUTO + 1; name != NULL && i < FEED_FORMAT_COUNT; i++)
		if (strcasecmp(name, feed_formats[i].name) == 0)
			return (enum feed_format)i;
	return FEED_FORMAT_AUTO;
}

void
feed_cursor_init(struct feed_cursor *cur, const char *data, size_t len)
{
	cur->p = data;
	cur->end = data + len;
	cur->no = 0;
}

bool
feed_cursor_next(struct feed_cursor *cur, struct feed_line *line)
{
	const char *nl;

	if (cur->p >= cur->end)
		return false;
	nl = memchr(cur->p, '\n', (size_t)(cur->end - cur->p));
	line->s = cur->p;
	line->len = (size_t)((nl ? nl : cur->end) - cur->p);
	line->no = ++cur->no;
	if (line->len > 0 && line->s[line->len - 1] == '\r')
		line->len--;
	cur->p = nl ? nl + 1 : cur->end;
	return true;
}

/* Case-insensitive search of a NUL-terminated needle in a line. */
static bool
feed_line_has(const struct feed_line *l, const char *needle)
{
	size_t n = strlen(needle), i;

	for (i = 0; i + n <= l->len; i++)
		if (strncasecmp(l->s + i, needle, n) == 0)
			return true;
	return false;
}

static const char *
feed_skip_blanks(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	return p;
}

/* Markers of a text format in one line; FEED_FORMAT_AUTO when the line says nothing. */
static enum feed_format
feed_detect_line(const struct feed_line *l)
{
	const char *p = feed_skip_blanks(l->s, l->s + l->len);
	size_t rest = l->len - (size_t)(p - l->s);

	if (rest == 0)
		return FEED_FORMAT_AUTO;
	if (*p == '#')
		return (feed_line_has(l, "\"ioc_value\"") ||
			(feed_line_has(l, "threatfox") && feed_line_has(l, "csv")))
			   ? FEED_FORMAT_THREATFOX_CSV
			   : FEED_FORMAT_AUTO;
	if (*p == '"' && (feed_line_has(l, "\",\"") || feed_line_has(l, "\", \"")))
		return FEED_FORMAT_THREATFOX_CSV;
	if (*p == '|' && feed_line_has(l, "type") && feed_line_has(l, "value"))
		return FEED_FORMAT_REPORT;
	return FEED_FORMAT_AUTO;
}

enum feed_format
feed_detect(const char *data, size_t len)
{
	const char *end = data + (len > FEED_DETECT_MAX ? FEED_DETECT_MAX : len), *p = data;
	struct feed_cursor cur;
	struct feed_line l;
	enum feed_format f;

	if (end - p >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	p = feed_skip_blanks(p, end);
	if (p < end && *p == '{')
		return memmem(p, (size_t)(end - p), "\"query_status\"", 14)
			   ? FEED_FORMAT_THREATFOX_API
			   : FEED_FORMAT_THREATFOX_JSON;
	if ((p < end && *p == '[') || memchr(p, '\0', (size_t)(end - p)) != NULL)
		return FEED_FORMAT_AUTO;
	feed_cursor_init(&cur, p, (size_t)(end - p));
	while (feed_cursor_next(&cur, &l))
		if ((f = feed_detect_line(&l)) != FEED_FORMAT_AUTO)
			return f;
	/* Any other text, including an empty file, is a plain list. */
	return FEED_FORMAT_PLAIN;
}

const char *
feed_quote(const char *s, size_t len, char *buf, size_t buflen)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, o = 0;

	/* Each byte takes at most 4 characters; keep room for "..." and the NUL. */
	for (i = 0; i < len && o + 8 <= buflen; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			buf[o++] = (char)c;
		} else if (c == '"' || c == '\\') {
			buf[o++] = '\\';
			buf[o++] = (char)c;
		} else {
			buf[o++] = '\\';
			buf[o++] = 'x';
			buf[o++] = hex[c >> 4];
			buf[o++] = hex[c & 15];
		}
	}
	if (i < len && o + 4 <= buflen) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	if (buflen > 0)
		buf[o < buflen ? o : buflen - 1] = '\0';
	return buf;
}

static void
feed_vmsg(struct feed_ctx *fc, size_t line, size_t col, const char *kind, const char *fmt,
	  va_list ap)
{
	if (col > 0)
		fprintf(fc->errors, "%s:%zu:%zu: %s", fc->path, line, col, kind);
	else if (line > 0)
		fprintf(fc->errors, "%s:%zu: %s", fc->path, line, kind);
	else
		fprintf(fc->errors, "%s: %s", fc->path, kind);
	vfprintf(fc->errors, fmt, ap);
	fputc('\n', fc->errors);
}

int
feed_bad(struct feed_ctx *fc, size_t line, size_t col, const char *fmt, ...)
{
	va_list ap;

	if (fc->stats->nb_bad++ < FEED_ERRORS_MAX || fc->strict) {
		va_start(ap, fmt);
		feed_vmsg(fc, line, col, "", fmt, ap);
		va_end(ap);
	}
	return fc->strict ? -EINVAL : 0;
}

void
feed_warn(struct feed_ctx *fc, size_t line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	feed_vmsg(fc, line, 0, "warning: ", fmt, ap);
	va_end(ap);
}

void
feed_ioc_init(struct feed_ctx *fc, struct ioc *ioc)
{
	ioc_init(ioc);
	ioc->feed = fc->name;
	ioc->action = fc->action;
}

/* Lower-case name without blanks, '-' and '_', so "IP:Port", "ip_port" and "SHA256 hash" compare.
 */
static void
feed_type_normalise(const char *name, char *out, size_t len)
{
	size_t o = 0;

	for (; *name != '\0' && o + 1 < len; name++)
		if (*name != ' ' && *name != '-' && *name != '_' && *name != '\t')
			out[o++] = (char)(*name >= 'A' && *name <= 'Z' ? *name - 'A' + 'a' : *name);
	out[o] = '\0';
}

int
feed_type_from_name(const char *name, enum iocw_ioc_type *type)
{
	static const struct {
		const char *name;
		enum iocw_ioc_type type;
	} names[] = {
	    {"", IOCW_IOC_TYPE_COUNT},	  {"ip", IOCW_IOC_IP},
	    {"ipv4", IOCW_IOC_IP},	  {"ipv6", IOCW_IOC_IP},
	    {"ipaddress", IOCW_IOC_IP},	  {"ipdst", IOCW_IOC_IP},
	    {"ipsrc", IOCW_IOC_IP},	  {"ip:port", IOCW_IOC_IP_PORT},
	    {"ipport", IOCW_IOC_IP_PORT}, {"cidr", IOCW_IOC_CIDR},
	    {"subnet", IOCW_IOC_CIDR},	  {"netblock", IOCW_IOC_CIDR},
	    {"domain", IOCW_IOC_DOMAIN},  {"hostname", IOCW_IOC_DOMAIN},
	    {"fqdn", IOCW_IOC_DOMAIN},	  {"url", IOCW_IOC_URL},
	    {"uri", IOCW_IOC_URL},
	};
	static const char *const hashes[] = {"md5",    "sha1",	 "sha224",  "sha256", "sha384",
					     "sha512", "ssdeep", "imphash", "tlsh"};
	char norm[32];
	size_t i;

	feed_type_normalise(name, norm, sizeof(norm));
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(norm, names[i].name) == 0) {
			*type = names[i].type;
			return 0;
		}
	}
	for (i = 0; i < sizeof(hashes) / sizeof(hashes[0]); i++)
		if (strcmp(norm, hashes[i]) == 0)
			return 1;
	/* "md5_hash", "sha256_hash", "sha3_384_hash", "SHA256 hash", ... */
	return strstr(norm, "hash") != NULL ? 1 : -EINVAL;
}

int
feed_confidence_parse(const char *text, int *out)
{
	const char *p = text, *digits;
	int v = 0;

	while (*p == ' ' || *p == '\t')
		p++;
	for (digits = p; *p >= '0' && *p <= '9' && p - digits < 4; p++)
		v = v * 10 + (*p - '0');
	if (p == digits) {
		*out = -1;
		return *p == '\0' ? 0 : -EINVAL;
	}
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '%')
		p++;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != '\0' || v > 100)
		return -EINVAL;
	*out = v;
	return 0;
}

int
feed_field_confidence(struct feed_ctx *fc, size_t line, size_t col, const char *label,
		      const char *text, int *out)
{
	char q[96];
	int rc;

	if (feed_confidence_parse(text, out) == 0)
		return 0;
	rc = feed_bad(fc, line, col, "%s \"%s\" is not a confidence (0-100)", label,
		      feed_quote(text, strlen(text), q, sizeof(q)));
	return rc < 0 ? rc : 1;
}

int
feed_field_time(struct feed_ctx *fc, size_t line, size_t col, const char *label, const char *text,
		int64_t *out)
{
	char q[96];
	int rc;

	*out = text[0] != '\0' ? ioc_parse_time(text) : 0;
	if (*out != 0 || text[0] == '\0')
		return 0;
	rc = feed_bad(fc, line, col, "%s \"%s\" is not a UTC date (YYYY-MM-DD HH:MM:SS)", label,
		      feed_quote(text, strlen(text), q, sizeof(q)));
	return rc < 0 ? rc : 1;
}

static bool
feed_type_ok(enum iocw_ioc_type want, enum iocw_ioc_type got)
{
	/* A bare address is a one-host prefix, and a prefix is a set of addresses. */
	if (want == IOCW_IOC_IP || want == IOCW_IOC_CIDR)
		return got == IOCW_IOC_IP || got == IOCW_IOC_CIDR;
	return want == IOCW_IOC_TYPE_COUNT || want == got;
}

int
feed_emit_value(struct feed_ctx *fc, size_t line, size_t col, enum iocw_ioc_type want,
		const char *value, struct ioc *ioc)
{
	char canon[IOC_VALUE_MAX], q[96];
	const char *reason;
	int rc;

	if (ioc_parse(value, ioc, canon, &reason) < 0)
		return feed_bad(fc, line, col, "bad indicator \"%s\": %s",
				feed_quote(value, strlen(value), q, sizeof(q)), reason);
	if (!feed_type_ok(want, ioc->type))
		return feed_bad(fc, line, col, "indicator \"%s\" is a %s, but its type says %s",
				feed_quote(canon, strlen(canon), q, sizeof(q)),
				feed_ioc_type_names[ioc->type], feed_ioc_type_names[want]);
	rc = fc->emit != NULL ? fc->emit(fc->emit_ctx, ioc) : 0;
	if (rc < 0)
		return rc;
	fc->stats->nb_iocs++;
	return 0;
}

/* "dir/threatfox-netsupport.md" -> "threatfox-netsupport". */
static const char *
feed_base_name(const char *path, char *buf, size_t len)
{
	const char *base = strrchr(path, '/'), *dot;
	size_t n;

	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	n = dot != NULL && dot != base ? (size_t)(dot - base) : strlen(base);
	if (n >= len)
		n = len - 1;
	memcpy(buf, base, n);
	buf[n] = '\0';
	return n > 0 ? buf : "feed";
}

int
feed_load_buffer(const char *path, const char *data, size_t len, const struct feed_options *opt,
		 feed_emit_fn emit, void *ctx, struct feed_stats *stats)
{
	static const struct feed_options defaults = {.format = FEED_FORMAT_AUTO};
	struct feed_stats local;
	struct feed_ctx fc;
	enum feed_format format;
	char name[256];
	int rc;

	opt = opt ? opt : &defaults;
	stats = stats ? stats : &local;
	if (data == NULL) { /* an empty feed; pointer arithmetic on NULL is undefined */
		data = "";
		len = 0;
	}
	memset(stats, 0, sizeof(*stats));
	memset(&fc, 0, sizeof(fc));
	fc.path = path ? path : "<buffer>";
	fc.strict = opt->strict;
	fc.action = opt->action;
	fc.errors = opt->errors ? opt->errors : stderr;
	fc.emit = emit;
	fc.emit_ctx = ctx;
	fc.stats = stats;
	fc.name = opt->name ? opt->name : feed_base_name(fc.path, name, sizeof(name));
	format = opt->format != FEED_FORMAT_AUTO ? opt->format : feed_detect(data, len);
	stats->format = format;
	if (format <= FEED_FORMAT_AUTO || format >= FEED_FORMAT_COUNT) {
		fprintf(fc.errors,
			"%s: cannot tell the feed format (binary data?); set one of "
			"threatfox-csv, threatfox-json, threatfox-api, plain, report\n",
			fc.path);
		return -EINVAL;
	}
	rc = feed_formats[format].parse(&fc, data, len);
	if (stats->nb_bad > FEED_ERRORS_MAX && !fc.strict)
		fprintf(fc.errors, "%s: %zu bad lines in all, only the first %d shown\n", fc.path,
			stats->nb_bad, FEED_ERRORS_MAX);
	return rc;
}

/* Whole file into a malloc'ed, NUL-terminated buffer; also works for pipes. */
static int
feed_read_file(const char *path, char **out, size_t *out_len)
{
	size_t cap, len = 0;
	struct stat st;
	char *buf, *nbuf;
	ssize_t n;
	int fd, rc;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		rc = -errno;
		goto out_close;
	}
	if (S_ISDIR(st.st_mode) || (S_ISREG(st.st_mode) && (uint64_t)st.st_size > FEED_FILE_MAX)) {
		rc = S_ISDIR(st.st_mode) ? -EISDIR : -EFBIG;
		goto out_close;
	}
	cap = S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 64u << 10;
	buf = malloc(cap);
	if (buf == NULL) {
		rc = -ENOMEM;
		goto out_close;
	}
	for (;;) {
		if (len + 1 == cap) {
			if (cap > FEED_FILE_MAX) {
				rc = -EFBIG;
				goto out_free;
			}
			nbuf = realloc(buf, cap * 2);
			if (nbuf == NULL) {
				rc = -ENOMEM;
				goto out_free;
			}
			buf = nbuf;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = -errno;
			goto out_free;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	close(fd);
	*out = buf;
	*out_len = len;
	return 0;
out_free:
	free(buf);
out_close:
	close(fd);
	return rc;
}

int
feed_load_file(const char *path, const struct feed_options *opt, feed_emit_fn emit, void *ctx,
	       struct feed_stats *stats)
{
	FILE *errors = opt && opt->errors ? opt->errors : stderr;
	char *data = NULL;
	size_t len = 0;
	int rc;

	rc = feed_read_file(path, &data, &len);
	if (rc < 0) {
		fprintf(errors, "%s: cannot read feed: %s\n", path, strerror(-rc));
		if (stats != NULL)
			memset(stats, 0, sizeof(*stats));
		return rc;
	}
	rc = feed_load_buffer(path, data, len, opt, emit, ctx, stats);
	free(data);
	return rc;
}
