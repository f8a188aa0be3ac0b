/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * extract_common.c - character classes, bounded name appends and the result
 * and place names of the extractors.
 */
#include "extract_common.h"

#define IS_LOWER(c) ((c) >= 'a' && (c) <= 'z')
#define IS_UPPER(c) ((c) >= 'A' && (c) <= 'Z')
#define IS_DIGIT(c) ((c) >= '0' && (c) <= '9')
#define IS_ALNUM(c) (IS_LOWER(c) || IS_UPPER(c) || IS_DIGIT(c))
#define IS_TSYM(c)                                                                                 \
	((c) == '!' || (c) == '#' || (c) == '$' || (c) == '%' || (c) == '&' || (c) == '\'' ||      \
	 (c) == '*' || (c) == '+' || (c) == '-' || (c) == '.' || (c) == '^' || (c) == '_' ||       \
	 (c) == '`' || (c) == '|' || (c) == '~')
#define IS_SUBDELIM(c)                                                                             \
	((c) == '!' || (c) == '$' || (c) == '&' || (c) == '\'' || (c) == '(' || (c) == ')' ||      \
	 (c) == '*' || (c) == '+' || (c) == ',' || (c) == ';' || (c) == '=')
#define IS_UNRESERVED(c) (IS_ALNUM(c) || (c) == '-' || (c) == '.' || (c) == '_' || (c) == '~')

#define CLS(c)                                                                                     \
	(uint8_t)((IS_ALNUM(c) || (c) == '-' || (c) == '_' ? EXTRACT_CC_NAME : 0) |                \
		  (IS_UPPER(c) ? EXTRACT_CC_UPPER : 0) |                                           \
		  (IS_ALNUM(c) || IS_TSYM(c) ? EXTRACT_CC_TCHAR : 0) |                             \
		  (IS_DIGIT(c) ? EXTRACT_CC_DIGIT : 0) |                                           \
		  ((c) < 0x20 || (c) == 0x7f ? EXTRACT_CC_CTL : 0) |                               \
		  (IS_UNRESERVED(c) || IS_SUBDELIM(c) || (c) == '%' ? EXTRACT_CC_REGNAME : 0) |    \
		  (IS_DIGIT(c) || ((c) >= 'a' && (c) <= 'f') || ((c) >= 'A' && (c) <= 'F')         \
		       ? EXTRACT_CC_HEX                                                            \
		       : 0))
#define R4(b) CLS(b), CLS((b) + 1), CLS((b) + 2), CLS((b) + 3)
#define R16(b) R4(b), R4((b) + 4), R4((b) + 8), R4((b) + 12)
#define R64(b) R16(b), R16((b) + 16), R16((b) + 32), R16((b) + 48)

const uint8_t extract_char_class[256] = {R64(0), R64(64), R64(128), R64(192)};

_Static_assert(4 * 255 <= EXTRACT_URL_MAX, "an escaped 255-octet name fits struct extract_name");

/* Output of an octet that is copied into a host name (folded), 0 for one that is escaped. */
#define HOSTC(c)                                                                                   \
	(char)((IS_ALNUM(c) || (c) == '-' || (c) == '_' || (c) == '.')                             \
		   ? (IS_UPPER(c) ? (c) | 0x20 : (c))                                              \
		   : 0)
#define H4(b) HOSTC(b), HOSTC((b) + 1), HOSTC((b) + 2), HOSTC((b) + 3)
#define H16(b) H4(b), H4((b) + 4), H4((b) + 8), H4((b) + 12)
#define H64(b) H16(b), H16((b) + 16), H16((b) + 32), H16((b) + 48)

static const char host_map[256] = {H64(0), H64(64), H64(128), H64(192)};

bool
extract_name_put_host(struct extract_name *n, const uint8_t *s, uint32_t len, bool keep_dot)
{
	uint32_t pos = n->len, i = 0;
	char *t = n->text;

	/* Fast path while nothing needs an escape: one table load per octet, no
	 * bound check (the whole input fits unescaped). */
	if (len <= EXTRACT_URL_MAX - pos) {
		for (; i < len; i++) {
			char c = host_map[s[i]];

			if (c == 0 || (c == '.' && !keep_dot))
				break;
			t[pos + i] = c;
		}
		pos += i;
	}
	for (; i < len; i++) {
		uint8_t c = s[i];
		char m = host_map[c];

		if (m != 0 && (m != '.' || keep_dot)) {
			if (pos >= EXTRACT_URL_MAX)
				return false;
			t[pos++] = m;
		} else {
			/* RFC 1035 sec. 5.1: \DDD, the octet in decimal. */
			if (pos + 4 > EXTRACT_URL_MAX)
				return false;
			t[pos] = '\\';
			t[pos + 1] = (char)('0' + c / 100);
			t[pos + 2] = (char)('0' + c / 10 % 10);
			t[pos + 3] = (char)('0' + c % 10);
			pos += 4;
		}
	}
	n->len = (uint16_t)pos;
	t[pos] = '\0';
	return true;
}

void
extract_name_put_raw(struct extract_name *n, const void *s, uint32_t len)
{
	uint32_t room = EXTRACT_URL_MAX - n->len;

	if (len > room) {
		len = room;
		n->truncated = 1;
	}
	memcpy(n->text + n->len, s, len);
	n->len = (uint16_t)(n->len + len);
	n->text[n->len] = '\0';
}

const char *
extract_result_name(enum extract_result res)
{
	switch (res) {
	case EXTRACT_OK:
		return "ok";
	case EXTRACT_NOT_APPLICABLE:
		return "not_applicable";
	case EXTRACT_TRUNCATED:
		return "truncated";
	case EXTRACT_MALFORMED:
		return "malformed";
	case EXTRACT_NEED_MORE:
		return "need_more";
	case EXTRACT_NO_NAME:
		return "no_name";
	case EXTRACT_RESULT_COUNT:
		break;
	}
	return "unknown";
}

const char *
extract_where_name(enum extract_where where)
{
	switch (where) {
	case EXTRACT_NONE:
		return "none";
	case EXTRACT_DNS:
		return "dns";
	case EXTRACT_TLS_SNI:
		return "tls.sni";
	case EXTRACT_HTTP_HOST:
		return "http.host";
	case EXTRACT_HTTP_URL:
		return "http.url";
	case EXTRACT_QUIC_SNI:
		return "quic.sni";
	}
	return "unknown";
}
