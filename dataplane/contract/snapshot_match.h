/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * snapshot_match.h - the matching semantics of the spec for one packet's
 * endpoints: ip:port IOCs (dst then src) win over ip IOCs (dst then src).
 * Used by the workers and by the control plane's `lookup`, so both answer the
 * same. Context: any thread, lock-free.
 */
#ifndef IOCWIRE_SNAPSHOT_MATCH_H
#define IOCWIRE_SNAPSHOT_MATCH_H

#include "contract/snapshot.h"

struct snapshot_hit {
	uint32_t meta;  /**< metadata index */
	uint8_t side;   /**< enum iocw_side: which endpoint matched */
	uint8_t kind;   /**< SNAP_KIND_ADDR (ip), SNAP_KIND_PORT (ip:port) or SNAP_KIND_CIDR */
	uint8_t prefix_len; /**< CIDR hits: length of the longest covering prefix */
};

/** Endpoints of one packet; addresses as loaded from the packet. */
struct snapshot_probe {
	uint8_t family;
	bool has_ports;
	/* Not next to family: a two-byte copy from struct pkt_info, whose bytes the parser
	 * has just stored one by one, would stall on store-to-load forwarding. */
	uint8_t proto;
	/* dport first: like proto above, copying the two ports from struct pkt_info as one
	 * 4-byte load would stall on the parser's two 2-byte stores. */
	uint16_t dport, sport;   /**< host order */
	uint32_t src4, dst4;     /**< IPv4, host order */
	uint64_t src6[2], dst6[2];
};

static inline bool
snapshot_proto_has_ioc_ports(uint8_t proto)
{
	return proto == 6 || proto == 17 || proto == 132; /* TCP, UDP, SCTP */
}

/* Address-level value of one IPv4 endpoint; 0 when unknown. */
static inline uint32_t
snapshot_v4_port_val(const struct snapshot_view *v, uint32_t addr, uint16_t port, uint8_t proto)
{
	uint32_t val = snapshot_v4_find(v, snapshot_v4_key_port(addr, port, proto));

	return val ? val : snapshot_v4_find(v, snapshot_v4_key_port(addr, port, 0));
}

static inline uint32_t
snapshot_v6_port_val(const struct snapshot_view *v, const uint64_t a[2], uint16_t port, uint8_t proto)
{
	uint32_t val = snapshot_v6_find(v, a[0], a[1], snapshot_v6_tag(SNAP_KIND_PORT, port, proto));

	return val ? val : snapshot_v6_find(v, a[0], a[1], snapshot_v6_tag(SNAP_KIND_PORT, port, 0));
}

/* Resolve one endpoint whose address-level value @p addr_val is known. */
static inline uint32_t
snapshot_endpoint_port_val(const struct snapshot_view *v, const struct snapshot_probe *p,
			   uint32_t addr_val, bool dst)
{
	if (!(addr_val & SNAP_VAL_HAS_PORTS) || !p->has_ports)
		return 0;
	if (p->family == IOCW_FAMILY_V4)
		return snapshot_v4_port_val(v, dst ? p->dst4 : p->src4, dst ? p->dport : p->sport,
					    p->proto);
	return snapshot_v6_port_val(v, dst ? p->dst6 : p->src6, dst ? p->dport : p->sport, p->proto);
}

/** Longest-prefix CIDR value of one endpoint, 0 when none. */
static inline uint32_t
snapshot_cidr_val(const struct snapshot_view *v, const struct snapshot_probe *p, bool dst)
{
	if (p->family == IOCW_FAMILY_V4)
		return snapshot_cidr4_find(v, dst ? p->dst4 : p->src4);
	if (v->nb_cidr6 == 0)
		return 0;
	const uint64_t *a = dst ? p->dst6 : p->src6;
	return snapshot_cidr6_find(v, __builtin_bswap64(a[0]), __builtin_bswap64(a[1]));
}

static inline bool
snapshot_match_cidr(const struct snapshot_view *v, const struct snapshot_probe *p,
		    struct snapshot_hit *hit)
{
	uint32_t val = snapshot_cidr_val(v, p, true);

	hit->side = IOCW_SIDE_DST;
	if (val == 0) {
		val = snapshot_cidr_val(v, p, false);
		hit->side = IOCW_SIDE_SRC;
		if (val == 0)
			return false;
	}
	hit->kind = SNAP_KIND_CIDR;
	hit->prefix_len = snapshot_range_prefix_len(val);
	hit->meta = snapshot_range_meta(val);
	return true;
}

/**
 * Decide a packet whose address-level values are known (0 = address absent).
 * Precedence, most specific first: ip:port (dst, src), ip (dst, src), then
 * the longest CIDR (dst, src).
 * @return true and @p hit filled when an IOC matches.
 */
static inline bool
snapshot_match_resolve(const struct snapshot_view *v, const struct snapshot_probe *p,
		       uint32_t src_val, uint32_t dst_val, struct snapshot_hit *hit)
{
	uint32_t val;

	hit->prefix_len = 0;

	if ((val = snapshot_endpoint_port_val(v, p, dst_val, true)) != 0) {
		hit->side = IOCW_SIDE_DST;
		hit->kind = SNAP_KIND_PORT;
	} else if ((val = snapshot_endpoint_port_val(v, p, src_val, false)) != 0) {
		hit->side = IOCW_SIDE_SRC;
		hit->kind = SNAP_KIND_PORT;
	} else if ((val = dst_val & SNAP_VAL_META_MASK) != 0) {
		hit->side = IOCW_SIDE_DST;
		hit->kind = SNAP_KIND_ADDR;
	} else if ((val = src_val & SNAP_VAL_META_MASK) != 0) {
		hit->side = IOCW_SIDE_SRC;
		hit->kind = SNAP_KIND_ADDR;
	} else {
		return snapshot_match_cidr(v, p, hit);
	}
	hit->meta = snapshot_value_meta(val);
	return true;
}

/** Address-level value of the source (dst = false) or destination, filter first. */
static inline uint32_t
snapshot_addr_val(const struct snapshot_view *v, const struct snapshot_probe *p, bool dst)
{
	if (p->family == IOCW_FAMILY_V4) {
		uint32_t a = dst ? p->dst4 : p->src4;

		if (!snapshot_filter_test(v, snapshot_filter_hash_v4(a)))
			return 0;
		return snapshot_v4_find(v, snapshot_v4_key_addr(a));
	}
	const uint64_t *a = dst ? p->dst6 : p->src6;

	if (!snapshot_filter_test(v, snapshot_filter_hash_v6(a[0], a[1])))
		return 0;
	return snapshot_v6_find(v, a[0], a[1], snapshot_v6_tag(SNAP_KIND_ADDR, 0, 0));
}

/** Full match of one packet (unbatched form, for the control plane and tests). */
static inline bool
snapshot_match(const struct snapshot_view *v, const struct snapshot_probe *p, struct snapshot_hit *hit)
{
	return snapshot_match_resolve(v, p, snapshot_addr_val(v, p, false), snapshot_addr_val(v, p, true),
				      hit);
}

#endif
