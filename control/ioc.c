/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ioc.c - one indicator written as text: refang, recognise, canonicalise.
 * Every rejection comes with a static reason so that feed parsers can say
 * exactly what is wrong with a line.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "ioc.h"

/* Refanging never lengthens text: input this long cannot fit IOC_VALUE_MAX, so stop early. */
#define IOC_TEXT_MAX (4 * IOC_VALUE_MAX)

#define IOC_DOMAIN_MAX 253
#define IOC_LABEL_MAX 63

/* Defanging conventions seen in reports and feeds (matched case-insensitively). */
static const struct {
	const char *from;
	const char *to;
} ioc_defang[] = {
    {"[.]", "."},   {"(.)", "."}, {"{.}", "."},	    {"[dot]", "."},
    {"(dot)", "."}, {"[:]", ":"}, {"[://]", "://"},
};

static const char *const ioc_err_too_long = "indicator longer than 1023 characters";

static bool
ioc_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
ioc_is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char
ioc_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static bool
ioc_is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

void
ioc_init(struct ioc *ioc)
{
	memset(ioc, 0, sizeof(*ioc));
	ioc->confidence = -1;
	ioc->action = IOCW_ACTION_ALERT;
}

/* Decimal digits of v at out; returns the count. snprintf() costs more than the parse. */
static size_t
ioc_utoa(unsigned int v, char *out)
{
	char tmp[10];
	size_t n = 0, i;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	for (i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	return n;
}

size_t
ioc_addr_format(uint8_t family, const uint8_t addr[16], char *buf, size_t len)
{
	char tmp[INET_ADDRSTRLEN];
	size_t n = 0;
	int i;

	if (len == 0)
		return 0;
	buf[0] = '\0';
	if (family == IOCW_FAMILY_V4) {
		for (i = 0; i < 4; i++) {
			n += ioc_utoa(addr[i], tmp + n);
			tmp[n++] = i < 3 ? '.' : '\0';
		}
		if (n > len)
			return 0;
		memcpy(buf, tmp, n);
		return n - 1;
	}
	/* glibc's inet_ntop follows RFC 5952: lower case, longest zero run compressed. */
	if (family == IOCW_FAMILY_V6 && inet_ntop(AF_INET6, addr, buf, (socklen_t)len) != NULL)
		return strlen(buf);
	buf[0] = '\0';
	return 0;
}

/* Length of the defang pattern at s (0 if none), with its replacement in *to. */
static size_t
ioc_defang_match(const char *s, size_t len, const char **to)
{
	size_t i, n;

	if (s[0] != '[' && s[0] != '(' && s[0] != '{')
		return 0;
	for (i = 0; i < sizeof(ioc_defang) / sizeof(ioc_defang[0]); i++) {
		n = strlen(ioc_defang[i].from);
		if (n <= len && strncasecmp(s, ioc_defang[i].from, n) == 0) {
			*to = ioc_defang[i].to;
			return n;
		}
	}
	return 0;
}

/* Undo defanging into out (NUL-terminated); "hxxp" is only a scheme at the start. */
static int
ioc_refang(const char *s, size_t len, char *out, size_t outlen, const char **reason)
{
	size_t i = 0, o = 0, n, tlen;
	const char *to;

	if (len >= 4 && strncasecmp(s, "hxxp", 4) == 0) {
		memcpy(out, "http", 4);
		i = o = 4;
	}
	while (i < len) {
		n = ioc_defang_match(s + i, len - i, &to);
		if (n == 0) {
			to = s + i;
			n = tlen = 1;
		} else {
			tlen = strlen(to);
		}
		if (o + tlen >= outlen) {
			*reason = ioc_err_too_long;
			return -EINVAL;
		}
		memcpy(out + o, to, tlen);
		o += tlen;
		i += n;
	}
	out[o] = '\0';
	return 0;
}

/* Decimal port 1..65535. */
static int
ioc_port_parse(const char *s, size_t len, uint16_t *port, const char **reason)
{
	uint32_t v = 0;
	size_t i;

	if (len == 0) {
		*reason = "missing port number";
		return -EINVAL;
	}
	for (i = 0; i < len; i++) {
		if (!ioc_is_digit(s[i])) {
			*reason = "port is not a decimal number";
			return -EINVAL;
		}
		if (v <= 65535)
			v = v * 10 + (uint32_t)(s[i] - '0');
	}
	if (v == 0) {
		*reason = "port 0 is not valid";
		return -EINVAL;
	}
	if (v > 65535) {
		*reason = "port above 65535";
		return -EINVAL;
	}
	*port = (uint16_t)v;
	return 0;
}

/* Strict dotted quad: four decimal octets, no leading zeros (they read as octal elsewhere). */
static int
ioc_ip4_parse(const char *s, size_t len, uint8_t addr[4], const char **reason)
{
	size_t i = 0, start;
	unsigned int k, v;

	for (k = 0; k < 4; k++) {
		if (k > 0) {
			if (i >= len || s[i] != '.')
				goto bad_shape;
			i++;
		}
		start = i;
		v = 0;
		while (i < len && ioc_is_digit(s[i]) && i - start < 4)
			v = v * 10 + (unsigned int)(s[i++] - '0');
		if (i == start)
			goto bad_shape;
		if (i - start > 1 && s[start] == '0') {
			*reason = "IPv4 octet with a leading zero";
			return -EINVAL;
		}
		if (v > 255) {
			*reason = "IPv4 octet above 255";
			return -EINVAL;
		}
		addr[k] = (uint8_t)v;
	}
	if (i == len)
		return 0;
bad_shape:
	*reason = "IPv4 address needs four dotted decimal octets";
	return -EINVAL;
}

static int
ioc_ip6_parse(const char *s, size_t len, uint8_t addr[16], const char **reason)
{
	char tmp[INET6_ADDRSTRLEN];

	if (memchr(s, '%', len) != NULL) {
		*reason = "IPv6 zone index not allowed";
		return -EINVAL;
	}
	if (len >= sizeof(tmp))
		goto bad;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	if (inet_pton(AF_INET6, tmp, addr) == 1)
		return 0;
bad:
	*reason = "invalid IPv6 address";
	return -EINVAL;
}

static bool
ioc_all_digits_dots(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!ioc_is_digit(s[i]) && s[i] != '.')
			return false;
	return true;
}

/* An address of either family; which one is decided by the presence of ':'. */
static int
ioc_addr_parse(const char *s, size_t len, struct ioc *out, const char **reason)
{
	if (memchr(s, ':', len) != NULL) {
		out->family = IOCW_FAMILY_V6;
		return ioc_ip6_parse(s, len, out->addr, reason);
	}
	out->family = IOCW_FAMILY_V4;
	return ioc_ip4_parse(s, len, out->addr, reason);
}

/* Canonical "addr", "addr:port", "[v6]:port" or "addr/len" for address types. */
static void
ioc_addr_canon(const struct ioc *ioc, char *canon)
{
	bool bracket = ioc->type == IOCW_IOC_IP_PORT && ioc->family == IOCW_FAMILY_V6;
	size_t n = 0;

	/* At most "[" + 39 + "]:65535" or 39 + "/128": far below IOC_VALUE_MAX. */
	if (bracket)
		canon[n++] = '[';
	n += ioc_addr_format(ioc->family, ioc->addr, canon + n, INET6_ADDRSTRLEN);
	if (bracket)
		canon[n++] = ']';
	if (ioc->type == IOCW_IOC_IP_PORT) {
		canon[n++] = ':';
		n += ioc_utoa(ioc->port, canon + n);
	} else if (ioc->type == IOCW_IOC_CIDR) {
		canon[n++] = '/';
		n += ioc_utoa(ioc->prefix_len, canon + n);
	}
	canon[n] = '\0';
}

/* "[v6]:port", or "[v6]" alone (an IP). */
static int
ioc_bracketed_parse(const char *s, size_t len, struct ioc *out, const char **reason)
{
	const char *close = memchr(s, ']', len);
	size_t alen, rest;

	if (close == NULL) {
		*reason = "'[' without a closing ']'";
		return -EINVAL;
	}
	alen = (size_t)(close - s) - 1;
	if (memchr(s + 1, ':', alen) == NULL) {
		*reason = "brackets are only for IPv6 addresses";
		return -EINVAL;
	}
	if (ioc_addr_parse(s + 1, alen, out, reason) < 0)
		return -EINVAL;
	rest = len - alen - 2;
	if (rest == 0) {
		out->type = IOCW_IOC_IP;
		return 0;
	}
	if (close[1] != ':') {
		*reason = "expected ':port' after ']'";
		return -EINVAL;
	}
	out->type = IOCW_IOC_IP_PORT;
	return ioc_port_parse(close + 2, rest - 1, &out->port, reason);
}

/* True when the bits after prefix_len are all zero. */
static bool
ioc_host_bits_zero(const uint8_t *addr, unsigned int nbytes, unsigned int prefix_len)
{
	unsigned int i;

	for (i = prefix_len / 8; i < nbytes; i++) {
		uint8_t mask = 0xff;

		if (i == prefix_len / 8)
			mask = (uint8_t)(0xff >> (prefix_len % 8));
		if (addr[i] & mask)
			return false;
	}
	return true;
}

static int
ioc_cidr_parse(const char *s, size_t len, struct ioc *out, const char **reason)
{
	const char *slash = memchr(s, '/', len);
	size_t alen = (size_t)(slash - s), plen = len - alen - 1, i;
	unsigned int v = 0, max;

	if (ioc_addr_parse(s, alen, out, reason) < 0)
		return -EINVAL;
	max = out->family == IOCW_FAMILY_V4 ? 32 : 128;
	for (i = 0; i < plen; i++) {
		if (!ioc_is_digit(s[alen + 1 + i]) || i >= 3)
			goto bad_len;
		v = v * 10 + (unsigned int)(s[alen + 1 + i] - '0');
	}
	if (plen == 0 || v > max)
		goto bad_len;
	if (!ioc_host_bits_zero(out->addr, max / 8, v)) {
		*reason = "CIDR has host bits set beyond the prefix length";
		return -EINVAL;
	}
	out->type = IOCW_IOC_CIDR;
	out->prefix_len = (uint8_t)v;
	return 0;
bad_len:
	*reason = out->family == IOCW_FAMILY_V4 ? "CIDR prefix length not in 0-32"
						: "CIDR prefix length not in 0-128";
	return -EINVAL;
}

/*
 * Host name per RFC 1035/1123, plus '_' which real feeds use: labels of 1-63
 * letters, digits, '-' or '_', at most 253 characters, lower-cased into out.
 * A single trailing dot (the root) is dropped.
 */
static int
ioc_domain_canon(const char *s, size_t len, bool single_label_ok, char *out, const char **reason)
{
	size_t i, label = 0, nb_labels = 1;
	bool tld_numeric = true;

	if (len > 0 && s[len - 1] == '.')
		len--;
	if (len > IOC_DOMAIN_MAX) {
		*reason = "domain name longer than 253 characters";
		return -EINVAL;
	}
	for (i = 0; i <= len; i++) {
		char c = i < len ? s[i] : '.';

		if (c == '.') {
			if (label == 0) {
				*reason = "empty label in domain name";
				return -EINVAL;
			}
			if (i < len) {
				nb_labels++;
				tld_numeric = true;
			}
			label = 0;
		} else if (ioc_is_alpha(c) || ioc_is_digit(c) || c == '-' || c == '_') {
			if (++label > IOC_LABEL_MAX) {
				*reason = "domain label longer than 63 characters";
				return -EINVAL;
			}
			tld_numeric = tld_numeric && ioc_is_digit(c);
		} else {
			*reason = "invalid character in domain name";
			return -EINVAL;
		}
		out[i] = ioc_lower(c);
	}
	out[len] = '\0';
	if (nb_labels < 2 && !single_label_ok) {
		*reason = "domain name needs at least two labels";
		return -EINVAL;
	}
	if (tld_numeric && nb_labels >= 2) {
		*reason = "numeric top-level domain";
		return -EINVAL;
	}
	return 0;
}

/* URL host: "[v6]", dotted quad or host name, canonical text written at out. */
static int
ioc_url_host_canon(const char *s, size_t len, char *out, size_t outlen, const char **reason)
{
	char addr[INET6_ADDRSTRLEN];
	uint8_t bin[16] = {0};
	int n;

	if (len == 0) {
		*reason = "URL without a host";
		return -EINVAL;
	}
	if (s[0] == '[') {
		if (len < 3 || s[len - 1] != ']' ||
		    ioc_ip6_parse(s + 1, len - 2, bin, reason) < 0) {
			*reason = "invalid IPv6 address in URL";
			return -EINVAL;
		}
		ioc_addr_format(IOCW_FAMILY_V6, bin, addr, sizeof(addr));
		n = snprintf(out, outlen, "[%s]", addr);
	} else if (ioc_all_digits_dots(s, len)) {
		if (ioc_ip4_parse(s, len, bin, reason) < 0)
			return -EINVAL;
		ioc_addr_format(IOCW_FAMILY_V4, bin, addr, sizeof(addr));
		n = snprintf(out, outlen, "%s", addr);
	} else {
		n = (int)len;
		if ((size_t)n < outlen)
			return ioc_domain_canon(s, len, true, out, reason);
	}
	if (n < 0 || (size_t)n >= outlen) {
		*reason = ioc_err_too_long;
		return -EINVAL;
	}
	return 0;
}

/*
 * scheme "://" [userinfo "@"] host [":" port] [path...] (RFC 3986 section 3):
 * scheme and host lower-cased, IPv6 hosts canonical, the rest kept verbatim.
 */
static int
ioc_url_parse(const char *s, struct ioc *out, char *canon, const char **reason)
{
	const char *sep = strstr(s, "://"), *auth = sep + 3, *at, *colon, *host;
	size_t slen = (size_t)(sep - s), alen = strcspn(auth, "/?#"), hlen, o, i, rest, plen = 0;
	char port_text[8];
	uint16_t port = 0;

	if (slen == 0 || !ioc_is_alpha(s[0])) {
		*reason = "invalid URL scheme";
		return -EINVAL;
	}
	for (i = 0; i < slen; i++) {
		if (!ioc_is_alpha(s[i]) && !ioc_is_digit(s[i]) && s[i] != '+' && s[i] != '-' &&
		    s[i] != '.') {
			*reason = "invalid URL scheme";
			return -EINVAL;
		}
		canon[i] = ioc_lower(s[i]);
	}
	memcpy(canon + slen, "://", 3);
	o = slen + 3;
	at = memrchr(auth, '@', alen);
	host = at ? at + 1 : auth;
	if (at) {
		memcpy(canon + o, auth, (size_t)(host - auth));
		o += (size_t)(host - auth);
	}
	hlen = alen - (size_t)(host - auth);
	colon = memrchr(host, ':', hlen);
	if (colon && memchr(colon, ']', hlen - (size_t)(colon - host)) == NULL) {
		if (ioc_port_parse(colon + 1, hlen - (size_t)(colon - host) - 1, &port, reason) < 0)
			return -EINVAL;
		hlen = (size_t)(colon - host);
	}
	if (ioc_url_host_canon(host, hlen, canon + o, IOC_VALUE_MAX - o, reason) < 0)
		return -EINVAL;
	o += strlen(canon + o);
	if (port) {
		port_text[0] = ':';
		plen = 1 + ioc_utoa(port, port_text + 1);
	}
	rest = strlen(auth + alen);
	if (o + plen + rest >= IOC_VALUE_MAX) {
		*reason = ioc_err_too_long;
		return -EINVAL;
	}
	memcpy(canon + o, port_text, plen);
	memcpy(canon + o + plen, auth + alen, rest + 1);
	out->type = IOCW_IOC_URL;
	return 0;
}

/* ip:port with a dotted quad (IPv6 needs brackets, or it reads as a bare address). */
static int
ioc_ip4_port_parse(const char *s, size_t len, struct ioc *out, const char **reason)
{
	const char *colon = memchr(s, ':', len);
	size_t alen = (size_t)(colon - s);

	if (!ioc_all_digits_dots(s, alen)) {
		*reason = "a port is only supported on an IP address";
		return -EINVAL;
	}
	out->family = IOCW_FAMILY_V4;
	if (ioc_ip4_parse(s, alen, out->addr, reason) < 0)
		return -EINVAL;
	out->type = IOCW_IOC_IP_PORT;
	return ioc_port_parse(colon + 1, len - alen - 1, &out->port, reason);
}

/* Recognise the refanged text s and fill the key; canon receives the canonical text. */
static int
ioc_classify(const char *s, size_t len, struct ioc *out, char *canon, const char **reason)
{
	const char *colon = memchr(s, ':', len), *slash;
	bool many_colons = colon && memchr(colon + 1, ':', len - (size_t)(colon - s) - 1);

	if (strstr(s, "://") != NULL)
		return ioc_url_parse(s, out, canon, reason);
	if (s[0] == '[') {
		if (ioc_bracketed_parse(s, len, out, reason) < 0)
			return -EINVAL;
	} else if ((slash = memchr(s, '/', len)) != NULL) {
		/* "evil.example/gate.php" is a URL without its scheme, not a prefix. */
		if (!memchr(s, ':', (size_t)(slash - s)) &&
		    !ioc_all_digits_dots(s, (size_t)(slash - s))) {
			*reason = "URL without a scheme (http://...)";
			return -EINVAL;
		}
		if (ioc_cidr_parse(s, len, out, reason) < 0)
			return -EINVAL;
	} else if (many_colons) {
		out->type = IOCW_IOC_IP;
		out->family = IOCW_FAMILY_V6;
		if (ioc_ip6_parse(s, len, out->addr, reason) < 0)
			return -EINVAL;
	} else if (colon) {
		if (ioc_ip4_port_parse(s, len, out, reason) < 0)
			return -EINVAL;
	} else if (ioc_all_digits_dots(s, len)) {
		out->type = IOCW_IOC_IP;
		out->family = IOCW_FAMILY_V4;
		if (ioc_ip4_parse(s, len, out->addr, reason) < 0)
			return -EINVAL;
	} else {
		out->type = IOCW_IOC_DOMAIN;
		return ioc_domain_canon(s, len, false, canon, reason);
	}
	ioc_addr_canon(out, canon);
	return 0;
}

static void
ioc_key_clear(struct ioc *out)
{
	out->type = IOCW_IOC_IP;
	out->family = 0;
	memset(out->addr, 0, sizeof(out->addr));
	out->prefix_len = 0;
	out->proto = 0;
	out->port = 0;
	out->value = NULL;
}

int
ioc_parse(const char *text, struct ioc *out, char canon[IOC_VALUE_MAX], const char **reason)
{
	char buf[IOC_VALUE_MAX];
	const char *unused;
	size_t len, i;

	if (reason == NULL)
		reason = &unused;
	ioc_key_clear(out);
	canon[0] = '\0';
	while (ioc_is_blank(*text))
		text++;
	len = strnlen(text, IOC_TEXT_MAX);
	while (len > 0 && ioc_is_blank(text[len - 1]))
		len--;
	if (len == 0) {
		*reason = "empty indicator";
		return -EINVAL;
	}
	if (len >= IOC_TEXT_MAX || ioc_refang(text, len, buf, sizeof(buf), reason) < 0) {
		*reason = ioc_err_too_long;
		return -EINVAL;
	}
	len = strlen(buf);
	for (i = 0; i < len; i++) {
		if ((unsigned char)buf[i] <= ' ' || buf[i] == 0x7f) {
			*reason = "indicator contains blanks or control characters";
			return -EINVAL;
		}
	}
	if (ioc_classify(buf, len, out, canon, reason) < 0) {
		ioc_key_clear(out);
		canon[0] = '\0';
		return -EINVAL;
	}
	out->value = canon;
	return 0;
}

/* Read exactly n digits at *p. */
static bool
ioc_digits(const char **p, unsigned int n, int *val)
{
	unsigned int i;
	int v = 0;

	for (i = 0; i < n; i++) {
		if (!ioc_is_digit((*p)[i]))
			return false;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*val = v;
	return true;
}

static bool
ioc_expect(const char **p, char c)
{
	if (**p != c)
		return false;
	(*p)++;
	return true;
}

/* "HH:MM[:SS[.frac]]" after the date. */
static bool
ioc_time_of_day(const char **p, struct tm *tm)
{
	if (!ioc_digits(p, 2, &tm->tm_hour) || !ioc_expect(p, ':') ||
	    !ioc_digits(p, 2, &tm->tm_min))
		return false;
	if (ioc_expect(p, ':') && !ioc_digits(p, 2, &tm->tm_sec))
		return false;
	if (**p == '.' || **p == ',') {
		(*p)++;
		if (!ioc_is_digit(**p))
			return false;
		while (ioc_is_digit(**p))
			(*p)++;
	}
	return tm->tm_hour <= 23 && tm->tm_min <= 59 && tm->tm_sec <= 60;
}

/* Zone suffix: none, "Z", "UTC", "GMT" or a numeric offset; *off in seconds east of UTC. */
static bool
ioc_time_zone(const char **p, int64_t *off)
{
	int hh, mm = 0, sign;

	while (**p == ' ')
		(*p)++;
	*off = 0;
	if (**p == 'Z' || **p == 'z') {
		(*p)++;
		return true;
	}
	if (strncasecmp(*p, "UTC", 3) == 0 || strncasecmp(*p, "GMT", 3) == 0) {
		*p += 3;
		return true;
	}
	if (**p != '+' && **p != '-')
		return true;
	sign = **p == '-' ? -1 : 1;
	(*p)++;
	if (!ioc_digits(p, 2, &hh))
		return false;
	ioc_expect(p, ':');
	if (ioc_is_digit(**p) && !ioc_digits(p, 2, &mm))
		return false;
	if (hh > 23 || mm > 59)
		return false;
	*off = sign * (hh * 3600 + mm * 60);
	return true;
}

static int
ioc_days_in_month(int year, int month)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return month == 2 && leap ? 29 : days[month - 1];
}

int64_t
ioc_parse_time(const char *text)
{
	struct tm tm;
	const char *p = text;
	int64_t off;
	time_t t;

	memset(&tm, 0, sizeof(tm));
	while (ioc_is_blank(*p))
		p++;
	if (!ioc_digits(&p, 4, &tm.tm_year) || !ioc_expect(&p, '-') ||
	    !ioc_digits(&p, 2, &tm.tm_mon) || !ioc_expect(&p, '-') ||
	    !ioc_digits(&p, 2, &tm.tm_mday))
		return 0;
	if (tm.tm_year < 1970 || tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 ||
	    tm.tm_mday > ioc_days_in_month(tm.tm_year, tm.tm_mon))
		return 0;
	if ((*p == ' ' || *p == 'T' || *p == 't') && ioc_is_digit(p[1])) {
		p++;
		if (!ioc_time_of_day(&p, &tm))
			return 0;
	}
	if (!ioc_time_zone(&p, &off))
		return 0;
	while (ioc_is_blank(*p))
		p++;
	if (*p != '\0')
		return 0;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	t = timegm(&tm);
	if (t == (time_t)-1 || (int64_t)t - off <= 0)
		return 0;
	return (int64_t)t - off;
}
