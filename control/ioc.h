/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ioc.h - one threat indicator as the control plane sees it: its matchable key
 * (address, prefix, port, protocol, name) and its metadata. Parsers fill a
 * struct ioc and hand it to a sink; the snapshot builder interns the strings.
 * Context: control process only.
 */
#ifndef IOCWIRE_IOC_H
#define IOCWIRE_IOC_H

#include <stddef.h>
#include <stdint.h>

#include "contract/iocw_types.h"

/* Longest canonical indicator text we keep (URLs are cut by the parser with an error). */
#define IOC_VALUE_MAX 1024

struct ioc {
	enum iocw_ioc_type type;
	uint8_t family;     /**< IOCW_FAMILY_V4 or _V6 for address types, 0 otherwise */
	uint8_t addr[16];   /**< network order; IPv4 in addr[0..3], rest zero */
	uint8_t prefix_len; /**< CIDR only: 0..32 / 0..128 */
	uint8_t proto;      /**< ip:port only: IPPROTO_TCP/UDP/SCTP, 0 = any of them */
	uint16_t port;      /**< ip:port only, host order */
	const char *value;  /**< canonical text: "95.85.246.53:443", "[2001:db8::1]:443", "evil.example" */

	/* Metadata; NULL or "" when the feed does not say. Valid only during the sink call. */
	const char *feed;      /**< feed name (configuration name or file base name) */
	const char *malware;   /**< malware family, e.g. "NetSupportManager RAT" */
	const char *threat;    /**< threat type, e.g. "botnet_cc" */
	const char *reference; /**< URL or id pointing back to the source */
	const char *tags;      /**< comma-separated tags */
	int confidence;        /**< 0..100, -1 when unknown */
	int64_t first_seen;    /**< unix seconds, 0 when unknown */
	int64_t last_seen;     /**< unix seconds, 0 when unknown */
	int64_t valid_until;   /**< unix seconds after which the IOC is void (STIX valid_until), 0 = none */
	enum iocw_action action;
};

/**
 * Parse one indicator written as text: refang it ("[.]", "(.)", "[:]", "hxxp"),
 * recognise ip, ip:port, [v6]:port, CIDR, domain or URL, and canonicalise it
 * (IPv4 dotted quad, IPv6 per RFC 5952, lower-case names, host bits of a CIDR
 * must be zero).
 *
 * @param text   indicator text, NUL-terminated, surrounding blanks ignored
 * @param out    key fields and ->value are set; metadata fields are left alone
 * @param canon  buffer that receives the canonical text (out->value points here)
 * @param reason on error, a static string saying why
 * @return 0, or -EINVAL with *reason set.
 */
int ioc_parse(const char *text, struct ioc *out, char canon[IOC_VALUE_MAX], const char **reason);

/** Set every metadata field to "unknown" and the key to zero. */
void ioc_init(struct ioc *ioc);

/**
 * Write an address in canonical text (dotted quad, or RFC 5952 IPv6).
 * @return number of characters written (excluding NUL).
 */
size_t ioc_addr_format(uint8_t family, const uint8_t addr[16], char *buf, size_t len);

/** Parse a timestamp such as "2024-05-01 12:00:00", "2024-05-01T12:00:00Z" or "2024-05-01"; 0 on failure. */
int64_t ioc_parse_time(const char *text);

#endif
