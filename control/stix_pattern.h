/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * stix_pattern.h - the STIX 2.1 patterning language (STIX 2.1 part 9):
 * a tokenizer and recursive-descent parser for the whole grammar, and a
 * reduction of a pattern to the indicators iocwire can match on the wire:
 *
 *   [ipv4-addr:value = '198.51.100.7']                  -> ip
 *   [ipv6-addr:value = '2001:db8::/32']                 -> cidr (also ISSUBSET)
 *   [domain-name:value = 'evil.example']                -> domain
 *   [url:value = 'http://evil.example/gate.php']        -> url
 *   [network-traffic:dst_ref.value = '198.51.100.7'
 *    AND network-traffic:dst_port = 443]                -> ip:port (protocols[*] = 'tcp' -> TCP
 * only)
 *
 * Comparisons joined by OR, IN sets and observation expressions joined by
 * OR give one item each. Everything else (hashes and other object types,
 * operators other than = / IN / ISSUBSET, NOT, EXISTS, observation
 * expressions joined by AND or FOLLOWEDBY, WITHIN / REPEATS / START-STOP
 * qualifiers) is well-formed but not representable: it becomes an item
 * with a reason instead of an indicator, never dropped silently.
 * Context: control process only; no global state.
 */
#ifndef IOCWIRE_STIX_PATTERN_H
#define IOCWIRE_STIX_PATTERN_H

#include <stddef.h>
#include <stdint.h>

#include "contract/iocw_types.h"

/* Longer patterns are refused (a syntax error) before they are read. */
#define STIX_PATTERN_MAX_LEN (64u << 10)
/* Parentheses and brackets nested deeper are refused. */
#define STIX_PATTERN_MAX_DEPTH 32
/* A pattern expanding to more alternatives is reported as not representable. */
#define STIX_PATTERN_MAX_ITEMS 256

/** One alternative of a pattern. */
struct stix_pattern_item {
	/** IOCW_IOC_IP (an address or a prefix), _IP_PORT, _DOMAIN or _URL;
	 *  IOCW_IOC_TYPE_COUNT when not representable (see reason). */
	enum iocw_ioc_type type;
	const char *value; /**< the string literal, unescaped (address, prefix, name, URL) */
	uint16_t port;	   /**< IOCW_IOC_IP_PORT only */
	uint8_t proto;	   /**< IOCW_IOC_IP_PORT only: IPPROTO_TCP/UDP/SCTP, 0 = any */
	const char
	    *reason;   /**< type == IOCW_IOC_TYPE_COUNT: why, e.g. "file:hashes.'SHA-256' ..." */
	size_t offset; /**< 0-based byte offset in the pattern of the comparison or expression */
};

/** A parsed pattern: its items, and the memory they point into. */
struct stix_pattern {
	struct stix_pattern_item *items;
	size_t nb_items;
	size_t nb_iocs; /**< items with a type other than IOCW_IOC_TYPE_COUNT */
	char *arena;	/* strings and reasons of the items */
};

/** Where and why a pattern is not valid STIX patterning syntax. */
struct stix_pattern_error {
	size_t offset; /**< 0-based byte offset */
	char reason[128];
};

/**
 * Parse @p len bytes of @p text (need not be NUL-terminated) and reduce it to
 * items. Memory use is bounded by a small multiple of @p len.
 * @return 0 with @p out filled (free it with stix_pattern_free()); -EINVAL
 *         with @p err filled when the text is not a valid pattern (nothing
 *         to free); -ENOMEM.
 */
int stix_pattern_parse(const char *text, size_t len, struct stix_pattern *out,
		       struct stix_pattern_error *err);

/** Free what stix_pattern_parse() allocated; a zeroed struct is a no-op. */
void stix_pattern_free(struct stix_pattern *p);

#endif
