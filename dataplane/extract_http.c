/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * extract_http.c - Host and URL of the first HTTP/1.x request in a segment.
 *
 * Request line: RFC 9112 sec. 3 (method SP request-target SP HTTP-version),
 * the four target forms of sec. 3.2. Header fields: RFC 9112 sec. 5, the Host
 * field RFC 9110 sec. 7.2 / RFC 9112 sec. 3.2, authority RFC 3986 sec. 3.2.
 * Lines end in CRLF or a bare LF (RFC 9112 sec. 2.2). The scan stops at the
 * empty line that ends the header section or at the end of the segment,
 * whichever comes first: a pipelined second request is never looked at.
 *
 * Decisions (see docs/names.md): the host is the Host header's host, without
 * its port, lower-cased; for an absolute-form target it is the target's host
 * (RFC 9112 sec. 3.2.2: the target wins). The URL keeps a non-default port
 * (RFC 3986 sec. 6.2.3 drops ":80" for http and ":443" for https), drops
 * userinfo, and keeps the path and query exactly as sent.
 */
#include "extract_common.h"

#define HTTP_METHOD_MAX 24
#define HTTP_SCHEME_MAX 16
#define HTTP_PORT_MAX 65535

struct http_authority {
	const uint8_t *host; /* without brackets' removal: "[v6]" or a reg-name/IPv4 */
	uint32_t host_len;
	uint32_t port; /* valid when has_port */
	bool has_port;
};

static bool
is_alpha(uint8_t c)
{
	return (uint8_t)((c | 0x20) - 'a') < 26;
}

static bool
is_ows(uint8_t c)
{
	return c == ' ' || c == '\t';
}

/* Methods a cut request line is still counted as HTTP for (RFC 9110 sec. 9 + PATCH). */
static bool
http_method_known(const uint8_t *m, uint32_t n)
{
	switch (n) {
	case 3:
		return memcmp(m, "GET", 3) == 0 || memcmp(m, "PUT", 3) == 0;
	case 4:
		return memcmp(m, "POST", 4) == 0 || memcmp(m, "HEAD", 4) == 0;
	case 5:
		return memcmp(m, "PATCH", 5) == 0 || memcmp(m, "TRACE", 5) == 0;
	case 6:
		return memcmp(m, "DELETE", 6) == 0;
	case 7:
		return memcmp(m, "OPTIONS", 7) == 0 || memcmp(m, "CONNECT", 7) == 0;
	default:
		return false;
	}
}

/*
 * RFC 3986 sec. 3.2.2-3.2.3: host [ ":" port ], host an IP-literal in
 * brackets or a reg-name/IPv4 address. An empty input is an empty host.
 */
static bool
http_parse_authority(const uint8_t *s, uint32_t n, struct http_authority *a)
{
	uint32_t i = 0;

	a->host = s;
	a->has_port = false;
	a->port = 0;
	if (n > 0 && s[0] == '[') {
		/* IP-literal: IPv6 hex, ':' and a dotted IPv4 tail; no IPvFuture. */
		for (i = 1; i < n && s[i] != ']'; i++)
			if (!(extract_char_class[s[i]] & EXTRACT_CC_HEX) && s[i] != ':' &&
			    s[i] != '.')
				return false;
		if (i == n || i == 1)
			return false;
		i++;
	} else {
		for (; i < n && s[i] != ':'; i++)
			/* Octets >= 0x80 are kept (escaped later); delimiters, controls not. */
			if (!(extract_char_class[s[i]] & EXTRACT_CC_REGNAME) && s[i] < 0x80)
				return false;
	}
	a->host_len = i;
	if (i == n)
		return true;
	if (s[i] != ':')
		return false;
	/* Empty port: same as none (RFC 3986 sec. 6.2.3). */
	for (i++; i < n; i++) {
		if (!(extract_char_class[s[i]] & EXTRACT_CC_DIGIT))
			return false;
		a->port = a->port * 10 + (uint32_t)(s[i] - '0');
		if (a->port > HTTP_PORT_MAX)
			return false;
		a->has_port = true;
	}
	return true;
}

/* Host text of an authority into @p n (folded; a reg-name's trailing dot dropped). */
static bool
http_put_host(struct extract_name *n, const struct http_authority *a)
{
	uint32_t len = a->host_len;

	if (len > EXTRACT_NAME_MAX)
		return false;
	if (len > 0 && a->host[0] == '[') {
		for (uint32_t i = 0; i < len; i++)
			n->text[i] = (char)extract_lower(a->host[i]);
		n->len = (uint16_t)len;
		n->text[len] = '\0';
		return true;
	}
	if (len > 1 && a->host[len - 1] == '.')
		len--;
	return extract_name_put_host(n, a->host, len, true);
}

/* ":port" unless it is the scheme's default. */
static void
http_put_port(struct extract_name *url, const struct http_authority *a, uint32_t default_port)
{
	char buf[8];
	uint32_t p = a->port, i = sizeof(buf);

	if (!a->has_port || p == default_port)
		return;
	do {
		buf[--i] = (char)('0' + p % 10);
		p /= 10;
	} while (p != 0);
	buf[--i] = ':';
	extract_name_put_raw(url, buf + i, (uint32_t)sizeof(buf) - i);
}

/*
 * absolute-form (RFC 9112 sec. 3.2.2): scheme "://" [userinfo "@"] authority
 * [path-abempty] ["?" query]. Sets @p host from the authority and writes the
 * normalized URL.
 */
static enum extract_result
http_absolute_form(const uint8_t *t, uint32_t n, struct extract_name *host,
		   struct extract_name *url)
{
	struct http_authority a;
	uint32_t s, auth, end, at;
	char scheme[HTTP_SCHEME_MAX];
	uint32_t default_port = 0;

	/* scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), RFC 3986 sec. 3.1 */
	for (s = 0; s < n && s < HTTP_SCHEME_MAX && t[s] != ':'; s++) {
		uint8_t c = t[s];

		if (!is_alpha(c) && (s == 0 || !((extract_char_class[c] & EXTRACT_CC_DIGIT) ||
						 c == '+' || c == '-' || c == '.')))
			return EXTRACT_MALFORMED;
		scheme[s] = (char)extract_lower(c);
	}
	if (s == 0)
		return EXTRACT_MALFORMED;
	if (n - s < 3 || memcmp(t + s, "://", 3) != 0)
		return EXTRACT_MALFORMED;
	auth = s + 3;
	for (end = auth; end < n && t[end] != '/' && t[end] != '?' && t[end] != '#'; end++)
		;
	/* userinfo is not sent in HTTP (RFC 9110 sec. 4.2.4); drop it, keep the host. */
	for (at = end; at > auth && t[at - 1] != '@'; at--)
		;
	if (!http_parse_authority(t + at, end - at, &a) || a.host_len == 0)
		return EXTRACT_MALFORMED;
	if (!http_put_host(host, &a))
		return EXTRACT_MALFORMED;
	if (s == 4 && memcmp(scheme, "http", 4) == 0)
		default_port = 80;
	else if (s == 5 && memcmp(scheme, "https", 5) == 0)
		default_port = 443;
	extract_name_put_raw(url, scheme, s);
	extract_name_put_raw(url, "://", 3);
	extract_name_put_raw(url, host->text, host->len);
	http_put_port(url, &a, default_port);
	/* An empty path is "/" (RFC 3986 sec. 6.2.3). */
	if (end == n || t[end] != '/')
		extract_name_put_raw(url, "/", 1);
	extract_name_put_raw(url, t + end, n - end);
	return EXTRACT_OK;
}

enum target_form {
	TARGET_ORIGIN,
	TARGET_ABSOLUTE,
	TARGET_AUTHORITY,
	TARGET_ASTERISK,
};

static enum extract_result
http_request(const uint8_t *p, uint32_t len, struct extract_name *host, struct extract_name *url)
{
	const uint8_t *lf, *target;
	uint32_t m, le, sp, pos, tlen;
	enum target_form form;
	struct http_authority hdr = {0};
	bool host_hdr = false, prev_host = false, complete = false;

	/* Method: a token; all registered methods are upper case. Most non-HTTP
	 * payloads stop here. */
	if (len == 0 || !(extract_char_class[p[0]] & EXTRACT_CC_UPPER))
		return EXTRACT_NOT_APPLICABLE;
	for (m = 1;
	     m < len && m <= HTTP_METHOD_MAX && (extract_char_class[p[m]] & EXTRACT_CC_TCHAR); m++)
		;
	if (m == len || m > HTTP_METHOD_MAX || p[m] != ' ')
		return EXTRACT_NOT_APPLICABLE;

	lf = memchr(p + m, '\n', len - m);
	if (lf == NULL)
		return http_method_known(p, m) ? EXTRACT_TRUNCATED : EXTRACT_NOT_APPLICABLE;
	le = (uint32_t)(lf - p);
	if (le > m && p[le - 1] == '\r')
		le--;
	target = p + m + 1;
	{
		const uint8_t *s = memchr(target, ' ', le > m + 1 ? le - m - 1 : 0);

		if (s == NULL)
			return EXTRACT_NOT_APPLICABLE; /* HTTP/0.9 or not HTTP */
		sp = (uint32_t)(s - p);
	}
	/* HTTP-version = "HTTP/1." DIGIT, case-sensitive. */
	if (le - sp - 1 != 8 || memcmp(p + sp + 1, "HTTP/1.", 7) != 0 ||
	    !(extract_char_class[p[sp + 8]] & EXTRACT_CC_DIGIT))
		return EXTRACT_NOT_APPLICABLE;
	tlen = sp - m - 1;
	if (tlen == 0)
		return EXTRACT_MALFORMED;
	for (uint32_t i = 0; i < tlen; i++)
		if (extract_char_class[target[i]] & EXTRACT_CC_CTL)
			return EXTRACT_MALFORMED;
	if (target[0] == '/')
		form = TARGET_ORIGIN;
	else if (m == 7 && memcmp(p, "CONNECT", 7) == 0)
		form = TARGET_AUTHORITY;
	else if (tlen == 1 && target[0] == '*')
		form = TARGET_ASTERISK;
	else
		form = TARGET_ABSOLUTE;

	/* Header fields up to the empty line or the end of the segment. */
	for (pos = (uint32_t)(lf - p) + 1; pos < len;) {
		const uint8_t *nl = memchr(p + pos, '\n', len - pos);
		const uint8_t *line = p + pos;
		uint32_t n;

		if (nl == NULL)
			break; /* cut by the segment end */
		n = (uint32_t)(nl - line);
		if (n > 0 && line[n - 1] == '\r')
			n--;
		if (n == 0) {
			complete = true;
			break;
		}
		if (is_ows(line[0])) {
			/* obs-fold (RFC 9112 sec. 5.2): a folded Host is refused. */
			if (prev_host)
				return EXTRACT_MALFORMED;
		} else if (n >= 5 && extract_eq_nocase(line, "host", 4) &&
			   (line[4] == ':' || is_ows(line[4]))) {
			uint32_t a = 5, b = n;

			/* No whitespace before the colon (RFC 9112 sec. 5.1); one Host only
			 * (RFC 9112 sec. 3.2). */
			if (line[4] != ':' || host_hdr)
				return EXTRACT_MALFORMED;
			host_hdr = true;
			while (a < b && is_ows(line[a]))
				a++;
			while (b > a && is_ows(line[b - 1]))
				b--;
			if (!http_parse_authority(line + a, b - a, &hdr))
				return EXTRACT_MALFORMED;
			prev_host = true;
			pos = (uint32_t)(nl - p) + 1;
			continue;
		}
		prev_host = false;
		pos = (uint32_t)(nl - p) + 1;
	}

	switch (form) {
	case TARGET_ABSOLUTE:
		return http_absolute_form(target, tlen, host, url);
	case TARGET_AUTHORITY: {
		struct http_authority a;

		if (!http_parse_authority(target, tlen, &a) || a.host_len == 0 ||
		    !http_put_host(host, &a))
			return EXTRACT_MALFORMED;
		return EXTRACT_OK;
	}
	case TARGET_ORIGIN:
	case TARGET_ASTERISK:
		break;
	}
	if (!host_hdr)
		return complete ? EXTRACT_NO_NAME : EXTRACT_TRUNCATED;
	if (!http_put_host(host, &hdr))
		return EXTRACT_MALFORMED;
	if (host->len == 0)
		return EXTRACT_NO_NAME; /* "Host:" with an empty value */
	if (form == TARGET_ORIGIN) {
		extract_name_put_raw(url, "http://", 7);
		extract_name_put_raw(url, host->text, host->len);
		http_put_port(url, &hdr, 80);
		extract_name_put_raw(url, target, tlen);
	}
	return EXTRACT_OK;
}

enum extract_result
extract_http_request(const uint8_t *payload, uint32_t len, struct extract_name *host,
		     struct extract_name *url)
{
	enum extract_result res;

	extract_name_reset(host, EXTRACT_HTTP_HOST);
	extract_name_reset(url, EXTRACT_HTTP_URL);
	res = http_request(payload, len, host, url);
	if (res != EXTRACT_OK) {
		extract_name_reset(host, EXTRACT_HTTP_HOST);
		extract_name_reset(url, EXTRACT_HTTP_URL);
	}
	return res;
}
