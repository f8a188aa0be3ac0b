/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pkt_parse.h - decode the headers of one Ethernet frame into the fields the
 * matcher needs (addresses, ports, protocol, VLAN, TCP flags). Pure C, no
 * DPDK: works on a byte pointer and length so it is unit-testable and fuzzable.
 * Context: worker lcore (hot path: no allocation, no logging, bounded work).
 */
#ifndef IOCWIRE_PKT_PARSE_H
#define IOCWIRE_PKT_PARSE_H

#include <stdint.h>

/** Outcome of pkt_parse(); each non-OK value has its own per-worker counter. */
enum pkt_parse_result {
	PKT_PARSE_OK = 0,         /**< IPv4/IPv6 parsed; ports set when the L4 header is present */
	PKT_PARSE_NOT_IP,         /**< ARP, LLDP, ...: passed on, not matched */
	PKT_PARSE_TRUNC_L2,       /**< frame shorter than its Ethernet/VLAN headers */
	PKT_PARSE_TRUNC_L3,       /**< shorter than the IP header (or its stated header length),
	                               its total/payload length, or an IPv6 extension header */
	PKT_PARSE_TRUNC_L4,       /**< shorter than the TCP/UDP/SCTP header it announces */
	PKT_PARSE_BAD_L3,         /**< wrong IP version, IHL < 5, total length < header, ... */
	PKT_PARSE_BAD_L4,         /**< TCP data offset < 5, UDP length < 8, ... */
	PKT_PARSE_TOO_MANY_HDRS,  /**< VLAN or IPv6 extension chain longer than we follow */
	PKT_PARSE_RESULT_COUNT
};

#define PKT_FLAG_FRAGMENT 0x01 /**< an IP fragment */
#define PKT_FLAG_LATER_FRAG 0x02 /**< a non-first fragment: no L4 header, ports are 0 */
#define PKT_FLAG_HAS_PORTS 0x04 /**< sport/dport are valid (TCP, UDP, SCTP) */
#define PKT_FLAG_TUNNEL 0x08 /**< fields are the inner headers of a decapsulated tunnel */
#define PKT_FLAG_TUNNEL_OUTER 0x10 /**< a tunnel whose inner packet is not IP or is malformed:
                                        fields are the outer headers */

/** Tunnels whose inner headers are matched instead of the outer ones (pkt_parse_tunnels()). */
struct pkt_tunnels {
	uint16_t vxlan_port;  /**< UDP destination port of VXLAN (RFC 7348), 0: off */
	uint16_t geneve_port; /**< UDP destination port of GENEVE (RFC 8926), 0: off */
	uint8_t gre;          /**< GRE (IP protocol 47): IPv4, IPv6, Ethernet, ERSPAN II/III */
};

struct pkt_info {
	uint8_t family;    /**< 4 or 6 */
	uint8_t proto;     /**< IP protocol of the transport header (after extension headers) */
	uint8_t flags;     /**< PKT_FLAG_* */
	uint8_t tcp_flags; /**< TCP flags byte (FIN 0x01, SYN 0x02, RST 0x04, ...) */
	uint16_t vlan;     /**< outermost VLAN id, 0 when untagged */
	uint16_t sport;    /**< host order */
	uint16_t dport;    /**< host order */
	uint16_t l4_offset;      /**< offset of the transport header in the frame (0 for a
	                              non-first fragment, which has none) */
	uint16_t payload_offset; /**< offset of the TCP/UDP/SCTP/ICMP payload; 0 for other
	                              protocols and non-first fragments */
	uint8_t src[16];   /**< network order; IPv4 in src[0..3], rest zero */
	uint8_t dst[16];
	uint16_t reserved; /**< always 0: no padding byte is left unwritten */
	uint32_t frag_id;  /**< fragments: IPv4 identification or IPv6 fragment identification */
	uint32_t l3_end;   /**< offset just past the IP datagram (Ethernet padding excluded) */
};

/**
 * Parse Ethernet, up to two VLAN tags (802.1Q 0x8100, 802.1ad 0x88a8, 0x9100),
 * IPv4 (options skipped) or IPv6 (hop-by-hop, routing, fragment, destination
 * options, AH skipped), and TCP/UDP/SCTP ports or ICMP.
 *
 * @param frame  first byte of the Ethernet header
 * @param len    bytes available at @p frame
 * @param info   filled on PKT_PARSE_OK; partially filled otherwise
 * @return a pkt_parse_result.
 */
enum pkt_parse_result pkt_parse(const uint8_t *frame, uint32_t len, struct pkt_info *info);

/**
 * pkt_parse(), then one level of decapsulation: a VXLAN, GENEVE or GRE packet
 * that @p tunnels enables is described by its inner headers (PKT_FLAG_TUNNEL;
 * the outer VLAN is kept). An inner packet that is not IP or does not parse
 * leaves the outer fields and sets PKT_FLAG_TUNNEL_OUTER. Fragmented outer
 * packets are not decapsulated.
 */
enum pkt_parse_result pkt_parse_tunnels(const uint8_t *frame, uint32_t len, const struct pkt_tunnels *tunnels,
					struct pkt_info *info);

/** Counter name for a result ("ok", "not_ip", "trunc_l2", ...). */
const char *pkt_parse_result_name(enum pkt_parse_result res);

#endif
