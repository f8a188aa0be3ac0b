/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pkt_tunnel_inline.h - one level of decapsulation after pkt_parse_inline():
 * VXLAN (RFC 7348) and GENEVE (RFC 8926) on their UDP ports, GRE (RFC 2784,
 * 2890) carrying IPv4, IPv6, Ethernet (0x6558, NVGRE) or ERSPAN type II/III
 * mirrored frames. Overlay links carry the traffic that matters inside these
 * headers; the outer addresses are tunnel endpoints.
 *
 * Every read is bounded by the outer IP datagram's end (info->l3_end), and the
 * inner packet is parsed by the same decoder with that end as its length, so
 * a tunnel adds one bounded header walk and never a loop. Inlined into the
 * worker like the decoder; pkt_parse.c wraps it for tests and fuzzers.
 */
#ifndef IOCWIRE_PKT_TUNNEL_INLINE_H
#define IOCWIRE_PKT_TUNNEL_INLINE_H

#include "pkt_parse_inline.h"

#define PROTO_GRE 47

#define VXLAN_HLEN 8
#define VXLAN_FLAG_VNI 0x08 /* the I flag: the VNI is valid (RFC 7348 sec. 5) */
#define GENEVE_HLEN 8	    /* fixed part; options follow in 4-byte units */
#define GRE_HLEN 4
#define GRE_FLAG_CSUM 0x80
#define GRE_FLAG_ROUTING 0x40 /* RFC 1701 source routing: obsolete, not followed */
#define GRE_FLAG_KEY 0x20
#define GRE_FLAG_SEQ 0x10
#define GRE_VERSION_MASK 0x07
#define ERSPAN2_HLEN 8
#define ERSPAN3_HLEN 12
#define ERSPAN3_SUBHLEN 8 /* platform-specific subheader, present when the O flag is set */

#define ETHER_TYPE_TEB 0x6558	  /* transparent Ethernet bridging */
#define ETHER_TYPE_ERSPAN2 0x88be /* also ERSPAN type I, which has no header: not followed */
#define ETHER_TYPE_ERSPAN3 0x22eb

/* Where a tunnel's inner packet starts, and what it is. */
struct pkt_inner {
	uint32_t off;
	uint16_t ether_type; /**< 0: an Ethernet frame; else the IP version's EtherType */
};

/* A protocol type of GENEVE or GRE as an inner packet, when it is one we parse. */
static inline bool
pkt_inner_type(uint16_t proto, struct pkt_inner *in)
{
	switch (proto) {
	case ETHER_TYPE_TEB:
	case ETHER_TYPE_ERSPAN2:
	case ETHER_TYPE_ERSPAN3:
		in->ether_type = 0;
		return true;
	case ETHER_TYPE_IPV4:
	case ETHER_TYPE_IPV6:
		in->ether_type = proto;
		return true;
	default:
		return false;
	}
}

/* UDP payload at @p p: the VXLAN or GENEVE header. */
static inline bool
pkt_locate_udp_tunnel(const uint8_t *frame, const struct pkt_info *info, const struct pkt_tunnels *t,
		      struct pkt_inner *in)
{
	uint32_t p = info->payload_offset, end = info->l3_end;
	uint32_t hlen;

	if (info->dport == t->vxlan_port) {
		if (end - p < VXLAN_HLEN || !(frame[p] & VXLAN_FLAG_VNI))
			return false;
		in->off = p + VXLAN_HLEN;
		in->ether_type = 0;
		return true;
	}
	/* GENEVE: version 0 in the top two bits, option length in 4-byte words below. */
	if (end - p < GENEVE_HLEN || (frame[p] >> 6) != 0)
		return false;
	hlen = GENEVE_HLEN + (uint32_t)(frame[p] & 0x3f) * 4;
	if (end - p < hlen)
		return false;
	in->off = p + hlen;
	return pkt_inner_type(pkt_rd16(frame + p + 2), in);
}

/* The GRE header at the transport offset; ERSPAN's own header after it. */
static inline bool
pkt_locate_gre(const uint8_t *frame, const struct pkt_info *info, struct pkt_inner *in)
{
	uint32_t p = info->l4_offset, end = info->l3_end;
	uint32_t hlen = GRE_HLEN;
	uint16_t proto;
	uint8_t flags;

	if (end - p < GRE_HLEN)
		return false;
	flags = frame[p];
	/* Version 1 is PPTP's enhanced GRE: PPP inside, not followed. */
	if ((frame[p + 1] & GRE_VERSION_MASK) != 0 || (flags & GRE_FLAG_ROUTING))
		return false;
	hlen += (flags & GRE_FLAG_CSUM) ? 4 : 0;
	hlen += (flags & GRE_FLAG_KEY) ? 4 : 0;
	hlen += (flags & GRE_FLAG_SEQ) ? 4 : 0;
	proto = pkt_rd16(frame + p + 2);
	if (proto == ETHER_TYPE_ERSPAN2) {
		/* Type II has a sequence number; type I (none) has no header to check. */
		if (!(flags & GRE_FLAG_SEQ) || end - p < hlen + ERSPAN2_HLEN || (frame[p + hlen] >> 4) != 1)
			return false;
		hlen += ERSPAN2_HLEN;
	} else if (proto == ETHER_TYPE_ERSPAN3) {
		if (end - p < hlen + ERSPAN3_HLEN || (frame[p + hlen] >> 4) != 2)
			return false;
		hlen += (frame[p + hlen + ERSPAN3_HLEN - 1] & 0x01) ? ERSPAN3_HLEN + ERSPAN3_SUBHLEN
								       : ERSPAN3_HLEN;
	}
	if (end - p < hlen)
		return false;
	in->off = p + hlen;
	return pkt_inner_type(proto, in);
}

static inline bool
pkt_locate_tunnel(const uint8_t *frame, const struct pkt_info *info, const struct pkt_tunnels *t,
		  struct pkt_inner *in)
{
	if (info->flags & PKT_FLAG_FRAGMENT)
		return false;
	if (info->proto == PROTO_UDP && (info->flags & PKT_FLAG_HAS_PORTS) && info->dport != 0 &&
	    (info->dport == t->vxlan_port || info->dport == t->geneve_port))
		return pkt_locate_udp_tunnel(frame, info, t, in);
	if (info->proto == PROTO_GRE && t->gre)
		return pkt_locate_gre(frame, info, in);
	return false;
}

/* Parse the inner packet into a copy; only a complete inner packet replaces the outer fields.
 * Out of line: a second inlined parser would crowd the burst loop for a rare packet. */
static __attribute__((noinline, unused)) void
pkt_decap(const uint8_t *frame, const struct pkt_inner *in, struct pkt_info *info)
{
	struct pkt_info inner;
	enum pkt_parse_result res;

	pkt_info_reset(&inner);
	inner.vlan = info->vlan;
	if (in->ether_type == 0)
		res = pkt_parse_l2(frame, info->l3_end, in->off, false, &inner);
	else
		res = pkt_parse_l3(frame, info->l3_end, in->off, in->ether_type, &inner);
	if (res != PKT_PARSE_OK) {
		info->flags |= PKT_FLAG_TUNNEL_OUTER;
		return;
	}
	inner.flags |= PKT_FLAG_TUNNEL;
	*info = inner;
}

static inline __attribute__((always_inline)) enum pkt_parse_result
pkt_parse_tunnels_inline(const uint8_t *frame, uint32_t len, const struct pkt_tunnels *t,
			 struct pkt_info *info)
{
	enum pkt_parse_result res = pkt_parse_inline(frame, len, info);
	struct pkt_inner in;

	if (res == PKT_PARSE_OK && (info->proto == PROTO_UDP || info->proto == PROTO_GRE) &&
	    __builtin_expect(pkt_locate_tunnel(frame, info, t, &in), 0))
		pkt_decap(frame, &in, info);
	return res;
}

#endif
