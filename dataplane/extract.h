/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * extract.h - names seen on the wire: DNS query names, TLS ClientHello SNI,
 * HTTP/1.x Host and request URL. Pure C over a transport payload (no DPDK),
 * bounded and allocation-free, so workers can call them in the burst loop and
 * tests and fuzzers can call them directly.
 * Context: worker lcore (hot path: no allocation, no logging, bounded work).
 */
#ifndef IOCWIRE_EXTRACT_H
#define IOCWIRE_EXTRACT_H

#include <stdbool.h>
#include <stdint.h>

/** Where a name was seen; values appear in records ("dns", "tls.sni", ...). */
enum extract_where {
	EXTRACT_NONE = 0,
	EXTRACT_DNS = 1,       /**< DNS query name (QNAME of the first question) */
	EXTRACT_TLS_SNI = 2,   /**< server_name extension of a TLS ClientHello */
	EXTRACT_HTTP_HOST = 3, /**< HTTP/1.x Host header */
	EXTRACT_HTTP_URL = 4,  /**< "http://" + Host + request target */
	EXTRACT_QUIC_SNI = 5,  /**< SNI of a QUIC Initial (if implemented) */
};

/** Outcome of an extractor; each failure reason has a worker counter. */
enum extract_result {
	EXTRACT_OK = 0,
	EXTRACT_NOT_APPLICABLE = 1, /**< the payload is not this protocol (or not a request) */
	EXTRACT_TRUNCATED = 2,      /**< looks like this protocol but ends early */
	EXTRACT_MALFORMED = 3,      /**< pointer loop, label too long, bad lengths, ... */
	EXTRACT_NEED_MORE = 4,      /**< TLS: the ClientHello continues in the next segment */
	EXTRACT_NO_NAME = 5,        /**< well-formed, but carries no name (ClientHello without
	                                 server_name, root QNAME, HTTP request without Host) */
	EXTRACT_RESULT_COUNT
};

#define EXTRACT_NAME_MAX 255  /**< longest DNS name in text form (RFC 1035: 253 + dots) */
#define EXTRACT_URL_MAX 1024  /**< longer request targets are cut (and flagged) */

struct extract_name {
	uint8_t where;     /**< enum extract_where */
	uint8_t truncated; /**< URL cut at EXTRACT_URL_MAX */
	uint16_t len;      /**< bytes in text, excluding the NUL */
	char text[EXTRACT_URL_MAX + 1]; /**< lower-cased host names; URLs keep the path's case */
};

/**
 * DNS query name of a DNS message (RFC 1035 sec. 4.1.2): a standard query
 * with QDCOUNT >= 1; compression pointers are followed safely (bounded, no
 * loops); labels up to 63, name up to 255. @p tcp: the payload starts with
 * the 2-byte TCP length prefix.
 */
enum extract_result extract_dns_qname(const uint8_t *payload, uint32_t len, bool tcp,
				      struct extract_name *out);

/**
 * SNI host name from a TLS record holding a ClientHello (TLS 1.0-1.3). Returns
 * EXTRACT_NEED_MORE when the record is longer than @p len (the caller may
 * retry with the next in-order segment appended, see tls_reasm.h).
 */
enum extract_result extract_tls_sni(const uint8_t *payload, uint32_t len, struct extract_name *out);

/**
 * HTTP/1.x request: the Host header into @p host and "http://host" + request
 * target into @p url (absolute-form targets used as given). Pipelined
 * requests: only the first. No Host header: @p host empty, url from an
 * absolute-form target or not set (url->len = 0).
 */
enum extract_result extract_http_request(const uint8_t *payload, uint32_t len,
					 struct extract_name *host, struct extract_name *url);

/** Counter/record name of a result or a place ("dns", "tls.sni", "http.host", "http.url"). */
const char *extract_result_name(enum extract_result res);
const char *extract_where_name(enum extract_where where);

#endif
