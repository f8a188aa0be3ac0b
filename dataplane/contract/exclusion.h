/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * exclusion.h - decide whether a newly matched flow falls under an
 * exclusion of the snapshot (docs/exclusions.md). Run by the worker once per
 * new matched flow (never for packets that matched nothing) and by the
 * control plane's `lookup`, so both answer alike. No allocation, bounded loops.
 * Context: any thread.
 */
#ifndef IOCWIRE_EXCLUSION_H
#define IOCWIRE_EXCLUSION_H

#include "contract/snapshot_match.h"

/** The flow and match an exclusion is checked against. */
struct exclusion_probe {
	uint8_t family;
	uint8_t proto;
	uint16_t sport, dport;
	const uint8_t *ioc_addr;   /**< the matched endpoint (16 bytes, IPv4 in the first 4) */
	uint16_t ioc_port;         /**< its port */
	const uint8_t *other_addr; /**< the other endpoint: the internal host */
	const struct snapshot_hit *hit;
	uint64_t now_ns;           /**< packet time */
};

static inline bool
exclusion_prefix_covers(const struct snap_excl_net *n, uint8_t family, const uint8_t *addr)
{
	unsigned full = n->prefix_len / 8, rest = n->prefix_len % 8;

	if (n->family != family || memcmp(n->addr, addr, full) != 0)
		return false;
	return rest == 0 || ((n->addr[full] ^ addr[full]) & (0xff00u >> rest) & 0xff) == 0;
}

/* Does a comma-separated list share an entry with another one? */
static inline bool
exclusion_lists_meet(const char *want, const char *have)
{
	for (const char *w = want; *w;) {
		size_t wl = strcspn(w, ",");

		for (const char *h = have; *h;) {
			size_t hl = strcspn(h, ",");

			if (hl == wl && memcmp(w, h, wl) == 0)
				return true;
			h += hl + (h[hl] == ',');
		}
		w += wl + (w[wl] == ',');
	}
	return false;
}

static inline unsigned
exclusion_proto_bit(uint8_t proto)
{
	switch (proto) {
	case 6: return 1u << 0;
	case 17: return 1u << 1;
	case 132: return 1u << 2;
	case 1:
	case 58: return 1u << 3;
	default: return 1u << 4;
	}
}

static inline uint8_t
exclusion_hit_type(const struct snapshot_hit *hit)
{
	return hit->kind == SNAP_KIND_PORT ? IOCW_IOC_IP_PORT : hit->kind == SNAP_KIND_CIDR ? IOCW_IOC_CIDR
											: IOCW_IOC_IP;
}

/* Is @p now_ns inside the exclusion's weekly schedule, in its time zone? */
static inline bool
exclusion_in_schedule(const struct snapshot_view *v, const struct snap_exclusion *x, uint64_t now_ns)
{
	int64_t utc = (int64_t)(now_ns / 1000000000ULL), local = utc;
	uint64_t minute;

	if (x->week_off == SNAP_NONE)
		return true;
	for (uint32_t i = 0; i < x->nb_tz; i++) /* few entries, ascending */
		if (v->excl_tz[x->tz_off + i].utc_start <= utc)
			local = utc + v->excl_tz[x->tz_off + i].offset_s;
	/* 1970-01-01 was a Thursday: +3 days makes minute 0 a Monday 00:00. */
	minute = (uint64_t)((local / 60 + 3 * 1440) % SNAP_WEEK_MINUTES);
	return (v->excl_week[x->week_off + minute / 64] >> (minute % 64)) & 1;
}

static inline bool
exclusion_applies(const struct snapshot_view *v, const struct snap_exclusion *x,
		  const struct exclusion_probe *p, const struct snap_meta *m)
{
	bool ok;

	if ((x->types_mask && !(x->types_mask & (1u << exclusion_hit_type(p->hit)))) ||
	    (x->proto_mask && !(x->proto_mask & exclusion_proto_bit(p->proto))))
		return false;
	if (x->nb_ports) {
		ok = false;
		for (uint32_t i = 0; i < x->nb_ports && !ok; i++)
			ok = v->excl_ports[x->ports_off + i] == p->sport || v->excl_ports[x->ports_off + i] == p->dport;
		if (!ok)
			return false;
	}
	if (x->nb_hosts) {
		ok = false;
		for (uint32_t i = 0; i < x->nb_hosts && !ok; i++)
			ok = exclusion_prefix_covers(&v->excl_nets[x->hosts_off + i], p->family, p->other_addr);
		if (!ok)
			return false;
	}
	if (x->nb_iocs) {
		ok = false;
		for (uint32_t i = 0; i < x->nb_iocs && !ok; i++) {
			const struct snap_excl_net *n = &v->excl_nets[x->iocs_off + i];

			ok = n->kind == p->hit->kind && exclusion_prefix_covers(n, p->family, p->ioc_addr) &&
			     (n->kind != SNAP_KIND_PORT || n->port == p->ioc_port) &&
			     (n->kind != SNAP_KIND_CIDR || n->prefix_len == p->hit->prefix_len);
		}
		if (!ok)
			return false;
	}
	if (x->feeds && !exclusion_lists_meet(v->strings + x->feeds, snapshot_string(v, m->feed)))
		return false;
	if (x->families && !exclusion_lists_meet(v->strings + x->families, snapshot_string(v, m->malware)))
		return false;
	return exclusion_in_schedule(v, x, p->now_ns);
}

/** Index of the first exclusion that applies, or -1. */
static inline int
snapshot_exclusion_find(const struct snapshot_view *v, const struct exclusion_probe *p)
{
	const struct snap_meta *m = &v->meta[p->hit->meta];

	for (uint32_t i = 0; i < v->nb_excl; i++)
		if (exclusion_applies(v, &v->excl[i], p, m))
			return (int)i;
	return -1;
}

#endif
