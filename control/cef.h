/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cef.h - format one flow event as an ArcSight CEF record following
 * Microsoft's CEF -> CommonSecurityLog mapping (docs/cef-mapping.md).
 * Pure formatting: no I/O. Context: control process.
 */
#ifndef IOCWIRE_CEF_H
#define IOCWIRE_CEF_H

#include <stddef.h>
#include <stdint.h>

enum cef_kind {
	CEF_KIND_MATCH = 0,    /**< first matching packet of a flow */
	CEF_KIND_FLOW_END = 1, /**< flow ended (FIN/RST, idle timeout, or capture end) */
};

enum cef_direction {
	CEF_DIR_UNKNOWN = -1,
	CEF_DIR_INBOUND = 0,
	CEF_DIR_OUTBOUND = 1,
};

/** Everything one record says. Strings may be NULL or "" (then the key is omitted). */
struct cef_event {
	enum cef_kind kind;
	const char *vendor;   /**< DeviceVendor header field, e.g. "iocwire" */
	const char *product;  /**< DeviceProduct, e.g. "iocwire" */
	const char *version;  /**< DeviceVersion, e.g. "0.1.0" */
	const char *dvchost;  /**< sensor host name */
	const char *dvc;      /**< sensor address (DeviceAddress), canonical text */

	const char *src;      /**< canonical source address text */
	const char *dst;      /**< canonical destination address text */
	int spt, dpt;         /**< -1 when the protocol has no ports */
	const char *proto;    /**< "TCP", "UDP", "SCTP", "ICMP", "ICMPv6" or a number */
	uint16_t vlan;        /**< 0 = untagged */
	const char *act;      /**< DeviceAction: "alert", "blocked", ... */
	enum cef_direction direction;

	uint64_t rt_ms;       /**< event time, ms since the epoch */
	uint64_t start_ms;    /**< flow start (flow-end records), ms */
	uint64_t end_ms;      /**< flow end (flow-end records), ms */
	uint64_t cnt;         /**< EventCount: flows this record stands for (1, or N aggregated) */
	uint64_t pkts;        /**< packets so far, both directions (cn3 Packets); 0 = omitted */
	uint64_t bytes_in;    /**< bytes from dst to src (ReceivedBytes) */
	uint64_t bytes_out;   /**< bytes from src to dst (SentBytes) */
	uint64_t flow_id;     /**< externalId, full unsigned decimal: ties the match and flow-end
	                           records together. Sentinel stores it in the string column ExtID;
	                           the legacy int32 ExternalID column cannot hold it (see
	                           docs/cef-mapping.md) */
	const char *end_reason; /**< flow-end only: "fin", "rst", "idle", "capture_end", ... */
	uint8_t tcp_flags;    /**< TCP flags seen (OR of every packet) */

	const char *ioc;      /**< indicator value that matched, e.g. "95.85.246.53:443" */
	const char *ioc_type; /**< "ip", "ip:port", ... */
	const char *matched;  /**< "src" or "dst": which endpoint matched */
	const char *malware;  /**< malware family */
	const char *threat;   /**< threat type */
	const char *feed;     /**< feed name(s) */
	const char *reference;
	const char *tags;
	int confidence;       /**< 0..100, -1 unknown */
	const char *exclusion; /**< name of the exclusion that tagged the flow (DeviceAction=excluded) */
	const char *app;      /**< ApplicationProtocol where known: "DNS", "TLS", "HTTP" */
	const char *dhost;    /**< DestinationHostName: the name seen on the wire (escaped by the writer) */
	const char *request;  /**< RequestURL: the HTTP URL seen on the wire */
	const char *seen_in;  /**< name matches: "dns", "tls.sni", "http.host", "http.url" */
};

/**
 * Write the record "CEF:0|...|...|ext" into @p buf (NUL-terminated, no newline).
 * Header fields escape '|' and '\\'; extension values escape '=', '\\', CR (\\r) and
 * LF (\\n). Other control characters (0x01-0x1f, 0x7f), and CR/LF in the header, are
 * replaced by '?'. Keys come in the fixed order of docs/cef-mapping.md.
 * @p buf may be NULL when @p len is 0 (to size the record).
 * @return length of the full record; if >= @p len the output was truncated (like snprintf),
 * at a boundary that never splits an escape pair or a UTF-8 character.
 * Context: any thread; no allocation, no shared state.
 */
size_t cef_format(const struct cef_event *ev, char *buf, size_t len);

/**
 * The record's Name (-> Activity) as plain text, unescaped, e.g. "NetSupportManager RAT
 * C2 traffic (botnet_cc)". snprintf semantics. Context: any thread.
 */
size_t cef_activity(const struct cef_event *ev, char *buf, size_t len);

/** TCP flags as "SYN,ACK,PSH,FIN" (the flexString2 value); "" for none. Context: any thread. */
void cef_tcp_flags_text(uint8_t flags, char *buf, size_t len);

/**
 * CEF Severity (0..10) derived from the confidence: rounded confidence / 10 (100 -> 10,
 * 75 -> 8, 50 -> 5), values above 100 count as 100, 5 when unknown (< 0).
 * Context: any thread.
 */
int cef_severity(int confidence);

#endif
