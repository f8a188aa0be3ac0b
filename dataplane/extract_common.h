/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * extract_common.h - helpers shared by the name extractors (extract_dns.c,
 * extract_tls.c, extract_http.c): big-endian reads, a 256-entry character
 * class table, and bounded appends into a struct extract_name that fold case
 * and escape octets that are not plain host-name characters.
 *
 * Text form of a host name (DNS QNAME, SNI, HTTP Host), the same for all three
 * sources so one matcher serves them:
 *   - ASCII upper case is folded to lower case (RFC 4343);
 *   - a-z 0-9 '-' '_' are copied as they are; '.' only ever separates labels;
 *   - every other octet (a '.' or '\' inside a DNS label, space, controls, NUL,
 *     bytes >= 0x80, ...) is written as "\DDD", three decimal digits (the
 *     RFC 1035 sec. 5.1 presentation escape). An escape contains no '.', so an
 *     escaped name can never look like a subdomain it is not, and a '\' in the
 *     text marks a name that had such octets.
 * A name is at most 255 octets on the wire, so its text is at most 4 * 255 =
 * 1020 bytes and always fits struct extract_name (EXTRACT_URL_MAX + 1); only a
 * name with escapes can be longer than EXTRACT_NAME_MAX.
 * Context: worker lcore (pure functions, no allocation).
 */
#ifndef IOCWIRE_EXTRACT_COMMON_H
#define IOCWIRE_EXTRACT_COMMON_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "extract.h"

/* Character classes (bits of extract_char_class[]). */
#define EXTRACT_CC_NAME 0x01	/**< kept in a host name after folding: A-Z a-z 0-9 - _ */
#define EXTRACT_CC_UPPER 0x02	/**< A-Z */
#define EXTRACT_CC_TCHAR 0x04	/**< RFC 9110 sec. 5.6.2 token character */
#define EXTRACT_CC_DIGIT 0x08	/**< 0-9 */
#define EXTRACT_CC_CTL 0x10	/**< 0x00-0x1f and 0x7f */
#define EXTRACT_CC_REGNAME 0x20 /**< RFC 3986 reg-name: unreserved, sub-delims, '%' */
#define EXTRACT_CC_HEX 0x40	/**< 0-9 a-f A-F */

/** Class bits of each octet. */
extern const uint8_t extract_char_class[256];

static inline uint16_t
extract_rd16(const uint8_t *p)
{
	return (uint16_t)((uint16_t)p[0] << 8 | p[1]);
}

static inline uint32_t
extract_rd24(const uint8_t *p)
{
	return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
}

static inline uint8_t
extract_lower(uint8_t c)
{
	return (extract_char_class[c] & EXTRACT_CC_UPPER) ? (uint8_t)(c | 0x20) : c;
}

/** Empty @p n and label it with @p where. Touches two cache lines, not the whole buffer. */
static inline void
extract_name_reset(struct extract_name *n, enum extract_where where)
{
	n->where = (uint8_t)where;
	n->truncated = 0;
	n->len = 0;
	n->text[0] = '\0';
}

/**
 * Append @p len octets of one host name (or one DNS label) in text form:
 * folded, escaped as described above; a '.' is kept only when @p keep_dot.
 * @return false when the text would not fit (the name is left unterminated
 * then: the caller resets it).
 */
bool extract_name_put_host(struct extract_name *n, const uint8_t *s, uint32_t len, bool keep_dot);

/**
 * Append @p len octets as they are (a URL part). What does not fit before
 * EXTRACT_URL_MAX is cut and n->truncated set. Always NUL-terminates.
 */
void extract_name_put_raw(struct extract_name *n, const void *s, uint32_t len);

/** Compare @p len octets of @p s with the lower-case @p lower, ignoring ASCII case. */
static inline bool
extract_eq_nocase(const uint8_t *s, const char *lower, uint32_t len)
{
	for (uint32_t i = 0; i < len; i++)
		if (extract_lower(s[i]) != (uint8_t)lower[i])
			return false;
	return true;
}

#endif
