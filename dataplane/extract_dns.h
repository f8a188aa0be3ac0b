/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * extract_dns.h - the DNS name decoder behind extract_dns_qname(), exposed so
 * tests (and a later answer-section reader) can decode names anywhere in a
 * message, compression pointers included.
 * Context: worker lcore (pure, bounded, no allocation).
 */
#ifndef IOCWIRE_EXTRACT_DNS_H
#define IOCWIRE_EXTRACT_DNS_H

#include <stdint.h>

#include "extract.h"

#define EXTRACT_DNS_HDR_LEN 12	 /**< RFC 1035 sec. 4.1.1 */
#define EXTRACT_DNS_WIRE_MAX 255 /**< octets of a name on the wire, length octets included */
#define EXTRACT_DNS_LABEL_MAX 63
#define EXTRACT_DNS_MAX_HOPS 16 /**< compression pointers followed per name */

/**
 * Decode the name at offset @p off of the DNS message @p msg (@p mlen bytes)
 * into @p out (text form of extract_common.h, labels joined by '.', no
 * trailing dot; the root name gives len 0).
 *
 * RFC 1035 sec. 4.1.4 compression: a pointer must point into the message
 * body (not the header) and strictly before the start of the label run that
 * contains it (the name's start, or the previous pointer's target). The runs'
 * starts then decrease strictly, so no pointer chain can loop; at most
 * EXTRACT_DNS_MAX_HOPS pointers are followed. Label types 01 and 10 (RFC 6891
 * sec. 5) are refused.
 *
 * @param end  set to the offset after the name as it appears at @p off (after
 *             its first pointer or its terminating zero); only on EXTRACT_OK.
 * @return EXTRACT_OK, EXTRACT_TRUNCATED (the message ends inside the name) or
 *         EXTRACT_MALFORMED (bad label type, pointer not backwards or into
 *         the header, too many pointers, name over 255 octets).
 */
enum extract_result extract_dns_name(const uint8_t *msg, uint32_t mlen, uint32_t off,
				     struct extract_name *out, uint32_t *end);

#endif
