/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pkt_parse_inline.h - the body of pkt_parse(), inlined into the worker's
 * burst loop so parsed fields stay in registers (a call returning them through
 * memory cost a store-forwarding stall per packet). pkt_parse.c wraps it for
 * tests and fuzzers; there is one implementation.
 *
 * Every read is bounds-checked against the end of the current layer before it
 * happens: the frame length for L2 and the IP header, then the IP datagram end
 * (IPv4 total length, IPv6 40 + payload length) for extension headers and L4,
 * so Ethernet padding after the datagram is ignored. Multi-byte fields are
 * assembled from single bytes: no alignment assumptions, no byte-order macros.
 * The only loops are the VLAN tags (2) and the IPv6 extension chain
 * (PKT_PARSE_MAX_EXT_HDRS).
 */
#ifndef IOCWIRE_PKT_PARSE_INLINE_H
#define IOCWIRE_PKT_PARSE_INLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "pkt_parse.h"

#define ETH_HLEN 14
#define VLAN_HLEN 4
#define MAX_VLAN_TAGS 2

#define ETHER_TYPE_IPV4 0x0800
#define ETHER_TYPE_IPV6 0x86dd
#define ETHER_TYPE_VLAN 0x8100	/* 802.1Q */
#define ETHER_TYPE_QINQ 0x88a8	/* 802.1ad */
#define ETHER_TYPE_QINQ1 0x9100 /* pre-standard QinQ */

#define IPV4_MIN_HLEN 20
#define IPV6_HLEN 40
#define IPV4_MF 0x2000
#define IPV4_FRAG_OFF_MASK 0x1fff
#define IPV6_FRAG_OFF_MASK 0xfff8
#define IPV6_FRAG_HLEN 8

#define PROTO_HOPOPTS 0
#define PROTO_ICMP 1
#define PROTO_TCP 6
#define PROTO_UDP 17
#define PROTO_ROUTING 43
#define PROTO_FRAGMENT 44
#define PROTO_AH 51
#define PROTO_ICMPV6 58
#define PROTO_DSTOPTS 60
#define PROTO_SCTP 132

#define TCP_MIN_HLEN 20
#define UDP_HLEN 8
#define SCTP_HLEN 12 /* common header: ports, verification tag, checksum */
#define ICMP_HLEN 8  /* type, code, checksum and the 4-byte type-specific word */

/* Longest IPv6 extension chain we follow before giving up (RFC 8200 sec. 4.1
 * recommends at most one of each, plus a second destination options header). */
#define PKT_PARSE_MAX_EXT_HDRS 8

/*
 * Both ports in one 32-bit store: the worker reads them back together, and a
 * load that spans two separate 2-byte stores cannot be forwarded from the
 * store buffer (a stall of a dozen cycles per packet).
 */
static inline void
pkt_set_ports(struct pkt_info *info, uint16_t sport, uint16_t dport)
{
	uint16_t pair[2] = {sport, dport};

	_Static_assert(offsetof(struct pkt_info, dport) == offsetof(struct pkt_info, sport) + 2,
		       "sport and dport are adjacent");
	memcpy(&info->sport, pair, sizeof(pair));
}

static inline uint16_t
pkt_rd16(const uint8_t *p)
{
	return (uint16_t)((uint16_t)p[0] << 8 | p[1]);
}

static inline int
pkt_is_vlan(uint16_t ether_type)
{
	return ether_type == ETHER_TYPE_VLAN || ether_type == ETHER_TYPE_QINQ ||
	       ether_type == ETHER_TYPE_QINQ1;
}

/*
 * Decode the transport header at @p off, bounded by @p end (the end of the IP
 * datagram). Protocols without ports (ICMP, ESP, GRE, ...) still return OK.
 */
static inline __attribute__((always_inline)) enum pkt_parse_result
pkt_parse_l4(const uint8_t *frame, uint32_t off, uint32_t end, struct pkt_info *info)
{
	const uint8_t *l4 = frame + off;
	uint32_t avail = end - off;
	uint32_t hlen;

	info->l4_offset = (uint16_t)off;
	switch (info->proto) {
	case PROTO_TCP:
		if (avail < TCP_MIN_HLEN)
			return PKT_PARSE_TRUNC_L4;
		hlen = (uint32_t)(l4[12] >> 4) * 4;
		if (hlen < TCP_MIN_HLEN)
			return PKT_PARSE_BAD_L4;
		if (avail < hlen)
			return PKT_PARSE_TRUNC_L4;
		info->tcp_flags = l4[13];
		break;
	case PROTO_UDP:
		if (avail < UDP_HLEN)
			return PKT_PARSE_TRUNC_L4;
		/* The UDP length covers the whole datagram: only checkable unfragmented. */
		if (!(info->flags & PKT_FLAG_FRAGMENT)) {
			uint16_t ulen = pkt_rd16(l4 + 4);

			if (ulen < UDP_HLEN)
				return PKT_PARSE_BAD_L4;
			if (ulen > avail)
				return PKT_PARSE_TRUNC_L4;
		}
		hlen = UDP_HLEN;
		break;
	case PROTO_SCTP:
		if (avail < SCTP_HLEN)
			return PKT_PARSE_TRUNC_L4;
		hlen = SCTP_HLEN;
		break;
	case PROTO_ICMP:
	case PROTO_ICMPV6:
		if (avail < ICMP_HLEN)
			return PKT_PARSE_TRUNC_L4;
		info->payload_offset = (uint16_t)(off + ICMP_HLEN);
		return PKT_PARSE_OK;
	default:
		/* ESP, GRE, no-next-header, ...: addresses only. */
		return PKT_PARSE_OK;
	}
	pkt_set_ports(info, pkt_rd16(l4), pkt_rd16(l4 + 2));
	info->flags |= PKT_FLAG_HAS_PORTS;
	info->payload_offset = (uint16_t)(off + hlen);
	return PKT_PARSE_OK;
}

/* RFC 791: IHL in 32-bit words, total length covers header and data. */
static inline __attribute__((always_inline)) enum pkt_parse_result
pkt_parse_ipv4(const uint8_t *frame, uint32_t len, uint32_t off, struct pkt_info *info)
{
	const uint8_t *ip = frame + off;
	uint32_t hlen, tot_len;
	uint16_t frag;

	if (len - off < IPV4_MIN_HLEN)
		return PKT_PARSE_TRUNC_L3;
	if ((ip[0] >> 4) != 4)
		return PKT_PARSE_BAD_L3;
	hlen = (uint32_t)(ip[0] & 0x0f) * 4;
	tot_len = pkt_rd16(ip + 2);
	if (hlen < IPV4_MIN_HLEN || tot_len < hlen)
		return PKT_PARSE_BAD_L3;
	if (len - off < tot_len)
		return PKT_PARSE_TRUNC_L3;

	info->l3_end = off + tot_len;
	info->family = 4;
	info->proto = ip[9];
	memcpy(info->src, ip + 12, 4);
	memcpy(info->dst, ip + 16, 4);
	memset(info->src + 4, 0, 12);
	memset(info->dst + 4, 0, 12);

	frag = pkt_rd16(ip + 6);
	if (frag & (IPV4_MF | IPV4_FRAG_OFF_MASK)) {
		info->flags |= PKT_FLAG_FRAGMENT;
		info->frag_id = pkt_rd16(ip + 4);
		if (frag & IPV4_FRAG_OFF_MASK) {
			info->flags |= PKT_FLAG_LATER_FRAG;
			return PKT_PARSE_OK;
		}
	}
	return pkt_parse_l4(frame, off + hlen, off + tot_len, info);
}

/* RFC 8200 sec. 4: follow the extension chain to the upper-layer header. Out of
 * line: its loop would double the burst loop's code, IPv4 is inlined. */
static __attribute__((noinline, unused)) enum pkt_parse_result
pkt_parse_ipv6(const uint8_t *frame, uint32_t len, uint32_t off, struct pkt_info *info)
{
	const uint8_t *ip = frame + off;
	uint32_t end, hlen;
	uint8_t nh;
	int i;

	if (len - off < IPV6_HLEN)
		return PKT_PARSE_TRUNC_L3;
	if ((ip[0] >> 4) != 6)
		return PKT_PARSE_BAD_L3;
	end = off + IPV6_HLEN + pkt_rd16(ip + 4);
	if (end > len)
		return PKT_PARSE_TRUNC_L3;

	info->l3_end = end;
	info->family = 6;
	memcpy(info->src, ip + 8, 16);
	memcpy(info->dst, ip + 24, 16);

	nh = ip[6];
	off += IPV6_HLEN;
	for (i = 0; i < PKT_PARSE_MAX_EXT_HDRS; i++) {
		const uint8_t *ext = frame + off;

		switch (nh) {
		case PROTO_HOPOPTS:
			/* Hop-by-hop is only valid right after the fixed header. */
			if (i != 0)
				return PKT_PARSE_BAD_L3;
			/* fallthrough */
		case PROTO_ROUTING:
		case PROTO_DSTOPTS:
			if (end - off < 2)
				return PKT_PARSE_TRUNC_L3;
			hlen = ((uint32_t)ext[1] + 1) * 8;
			break;
		case PROTO_AH:
			/* RFC 4302 sec. 2.2: length in 4-octet units, minus 2. */
			if (end - off < 2)
				return PKT_PARSE_TRUNC_L3;
			hlen = ((uint32_t)ext[1] + 2) * 4;
			break;
		case PROTO_FRAGMENT:
			if (end - off < IPV6_FRAG_HLEN)
				return PKT_PARSE_TRUNC_L3;
			/* Offset 0 and M=0 is an atomic fragment (RFC 6946): not a fragment. */
			if (pkt_rd16(ext + 2) & (IPV6_FRAG_OFF_MASK | 1)) {
				info->flags |= PKT_FLAG_FRAGMENT;
				info->frag_id = (uint32_t)pkt_rd16(ext + 4) << 16 | pkt_rd16(ext + 6);
			}
			if (pkt_rd16(ext + 2) & IPV6_FRAG_OFF_MASK) {
				info->flags |= PKT_FLAG_LATER_FRAG;
				info->proto = ext[0];
				return PKT_PARSE_OK;
			}
			hlen = IPV6_FRAG_HLEN;
			break;
		default:
			info->proto = nh;
			return pkt_parse_l4(frame, off, end, info);
		}
		if (end - off < hlen)
			return PKT_PARSE_TRUNC_L3;
		nh = ext[0];
		off += hlen;
	}
	info->proto = nh;
	switch (nh) {
	case PROTO_HOPOPTS:
	case PROTO_ROUTING:
	case PROTO_FRAGMENT:
	case PROTO_AH:
	case PROTO_DSTOPTS:
		return PKT_PARSE_TOO_MANY_HDRS;
	default:
		return pkt_parse_l4(frame, off, end, info);
	}
}

/* The network layer that @p ether_type announces, at @p off (<= @p len). */
static inline __attribute__((always_inline)) enum pkt_parse_result
pkt_parse_l3(const uint8_t *frame, uint32_t len, uint32_t off, uint16_t ether_type, struct pkt_info *info)
{
	switch (ether_type) {
	case ETHER_TYPE_IPV4:
		return pkt_parse_ipv4(frame, len, off, info);
	case ETHER_TYPE_IPV6:
		return pkt_parse_ipv6(frame, len, off, info);
	default:
		if (pkt_is_vlan(ether_type))
			return PKT_PARSE_TOO_MANY_HDRS;
		return PKT_PARSE_NOT_IP;
	}
}

/*
 * An Ethernet header at @p off (<= @p len) and its VLAN tags, then L3. Flows
 * are keyed on the outermost VLAN (the service/S-tag for QinQ): @p outer says
 * whether these tags are the outermost ones.
 */
static inline __attribute__((always_inline)) enum pkt_parse_result
pkt_parse_l2(const uint8_t *frame, uint32_t len, uint32_t off, bool outer, struct pkt_info *info)
{
	uint16_t ether_type;
	int i;

	if (len - off < ETH_HLEN)
		return PKT_PARSE_TRUNC_L2;
	ether_type = pkt_rd16(frame + off + 12);
	off += ETH_HLEN;
	for (i = 0; i < MAX_VLAN_TAGS && pkt_is_vlan(ether_type); i++) {
		if (len - off < VLAN_HLEN)
			return PKT_PARSE_TRUNC_L2;
		if (i == 0 && outer)
			info->vlan = pkt_rd16(frame + off) & 0x0fff;
		ether_type = pkt_rd16(frame + off + 2);
		off += VLAN_HLEN;
	}
	return pkt_parse_l3(frame, len, off, ether_type, info);
}

/* Field by field, not one memset: reading back single fields that a wide store
 * wrote stalls the burst loop (store-to-load forwarding). */
static inline __attribute__((always_inline)) void
pkt_info_reset(struct pkt_info *info)
{
	info->family = 0;
	info->proto = 0;
	info->flags = 0;
	info->tcp_flags = 0;
	info->vlan = 0;
	pkt_set_ports(info, 0, 0);
	info->l4_offset = 0;
	info->payload_offset = 0;
	info->frag_id = 0;
	info->reserved = 0;
	info->l3_end = 0;
}

static inline __attribute__((always_inline)) enum pkt_parse_result
pkt_parse_inline(const uint8_t *frame, uint32_t len, struct pkt_info *info)
{
	pkt_info_reset(info);
	return pkt_parse_l2(frame, len, 0, true, info);
}

#endif
