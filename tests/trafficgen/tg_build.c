/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tg_build.c - deterministic flows and frames for iocwire-trafficgen. Every
 * field is a function of the seed and the flow or packet number, so a run
 * can be reproduced exactly and its expected results computed beforehand.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tg_build.h"

#define ETH_HDR 14
#define VLAN_HDR 4
#define IP4_HDR 20
#define IP6_HDR 40
#define TCP_HDR 20
#define UDP_HDR 8
#define ETH_MIN 60 /* shortest frame without FCS; shorter ones get padded by the NIC */

/* splitmix64 finaliser: a good 64-bit mix for deriving fields from numbers. */
static uint64_t
tg_mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static uint64_t
gcd(uint64_t a, uint64_t b)
{
	while (b != 0) {
		uint64_t t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/* Benign responders and initiators live in ranges an IOC may not use. */
static bool
ioc_in_reserved_range(const struct tg_ioc *ioc)
{
	static const uint8_t fd00[6] = {0xfd, 0x00, 0, 0, 0, 0};
	static const uint8_t bench6[6] = {0x20, 0x01, 0x00, 0x02, 0, 0};

	if (ioc->family == 4)
		return ioc->addr[0] == 10 || (ioc->addr[0] == 198 && (ioc->addr[1] & 0xfe) == 18);
	return memcmp(ioc->addr, fd00, 6) == 0 || memcmp(ioc->addr, bench6, 6) == 0;
}

int
tg_gen_init(struct tg_gen *g, const struct tg_config *cfg, char *err, size_t errlen)
{
	uint64_t mul;

	memset(g, 0, sizeof(*g));
	if (cfg->nb_flows == 0 || cfg->nb_flows > TG_MAX_FLOWS) {
		snprintf(err, errlen, "flows: %u not in 1..%u", cfg->nb_flows, TG_MAX_FLOWS);
		return -EINVAL;
	}
	if (!(cfg->hit_rate >= 0 && cfg->hit_rate <= 1) || !(cfg->ipv6_share >= 0 && cfg->ipv6_share <= 1)) {
		snprintf(err, errlen, "hit rate and IPv6 share must be within 0..1");
		return -EINVAL;
	}
	if (cfg->vlan > 4095) {
		snprintf(err, errlen, "vlan: %u not in 0..4095", cfg->vlan);
		return -EINVAL;
	}
	if (cfg->nb_sizes == 0 || cfg->nb_sizes > TG_MAX_SIZES) {
		snprintf(err, errlen, "no frame size");
		return -EINVAL;
	}
	for (unsigned i = 0; i < cfg->nb_sizes; i++) {
		if (cfg->sizes[i].frame < TG_MIN_FRAME || cfg->sizes[i].frame > TG_MAX_FRAME ||
		    cfg->sizes[i].weight == 0) {
			snprintf(err, errlen, "frame size %u (weight %u): sizes are %u..%u bytes, weights > 0",
				 cfg->sizes[i].frame, cfg->sizes[i].weight, TG_MIN_FRAME, TG_MAX_FRAME);
			return -EINVAL;
		}
		g->total_weight += cfg->sizes[i].weight;
	}
	g->nb_ioc_flows = (uint32_t)llround(cfg->hit_rate * cfg->nb_flows);
	if (g->nb_ioc_flows > 0 && cfg->nb_iocs == 0) {
		snprintf(err, errlen, "a hit rate above 0 needs IOC addresses (--ioc or --ioc-feed)");
		return -EINVAL;
	}
	for (uint32_t i = 0; i < cfg->nb_iocs; i++) {
		const struct tg_ioc *ioc = &cfg->iocs[i];

		if (ioc->family != 4 && ioc->family != 6) {
			snprintf(err, errlen, "IOC %u: family %u", i, ioc->family);
			return -EINVAL;
		}
		if (ioc_in_reserved_range(ioc)) {
			snprintf(err, errlen, "IOC %u lies in a range the generator uses for benign traffic "
				 "(10.0.0.0/8, 198.18.0.0/15, fd00::/48, 2001:2::/48)", i);
			return -EINVAL;
		}
	}
	/* rank = (flow * mul + add) mod nb_flows is a bijection when gcd(mul, nb_flows) = 1. */
	mul = (uint64_t)(cfg->nb_flows * 0.6180339887) | 1;
	while (gcd(mul, cfg->nb_flows) != 1)
		mul += 2;
	g->rank_mul = mul % cfg->nb_flows;
	if (g->rank_mul == 0)
		g->rank_mul = 1 % cfg->nb_flows;
	g->rank_add = tg_mix(cfg->seed) % cfg->nb_flows;
	g->cfg = *cfg;
	return 0;
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

/* A bijection on 24 bits: unique initiator addresses for up to 2^24 flows. */
static uint32_t
perm24(uint32_t x, uint64_t seed)
{
	x = (x * 0x9e3779u + 0x5bd1e9u) & 0xffffff; /* odd multiplier: invertible mod 2^24 */
	return (x ^ (uint32_t)(seed >> 40)) & 0xffffff;
}

void
tg_flow_get(const struct tg_gen *g, uint32_t flow, struct tg_flow *f)
{
	static const uint16_t ports[8] = {443, 80, 53, 8080, 25, 123, 22, 3389};
	const struct tg_config *cfg = &g->cfg;
	uint64_t h = tg_mix(cfg->seed ^ tg_mix(flow));
	uint32_t rank = (uint32_t)(((uint64_t)flow * g->rank_mul + g->rank_add) % cfg->nb_flows);
	uint32_t client = perm24(flow, cfg->seed);
	uint16_t port = ports[(h >> 40) & 7];

	memset(f, 0, sizeof(*f));
	f->ioc = rank < g->nb_ioc_flows;
	f->sport = (uint16_t)(1024 + (h >> 48) % 64000);
	f->proto = port == 53 || port == 123 ? 17 : 6;
	f->dport = port;
	if (f->ioc) {
		const struct tg_ioc *ioc = &cfg->iocs[rank % cfg->nb_iocs];

		f->ioc_rank = rank;
		f->ioc_index = rank % cfg->nb_iocs;
		f->family = ioc->family;
		memcpy(f->dst, ioc->addr, 16);
		if (ioc->port != 0) {
			f->dport = ioc->port;
			f->proto = ioc->proto ? ioc->proto : 6;
		}
	} else {
		f->family = (double)((h >> 8) & 0xffff) < cfg->ipv6_share * 65536.0 ? 6 : 4;
		if (f->family == 4) {
			put32(f->dst, 0xc6120000u | (uint32_t)(h & 0x1ffff)); /* 198.18.0.0/15 */
		} else {
			put16(f->dst, 0x2001);
			put16(f->dst + 2, 0x0002);
			memcpy(f->dst + 8, &h, 8); /* 2001:2::/48, interface id from the hash */
			f->dst[15] |= 1;
		}
	}
	if (f->family == 4) {
		put32(f->src, 0x0a000000u | client); /* 10.0.0.0/8 */
	} else {
		put16(f->src, 0xfd00);
		put16(f->src + 6, 0x0001);
		put32(f->src + 12, client + 1); /* fd00:0:0:1::/64 */
	}
}

uint16_t
tg_header_len(const struct tg_gen *g, uint8_t family, uint8_t proto)
{
	return (uint16_t)(ETH_HDR + (g->cfg.vlan ? VLAN_HDR : 0) + (family == 4 ? IP4_HDR : IP6_HDR) +
			  (proto == 17 ? UDP_HDR : TCP_HDR));
}

static uint16_t
frame_len(const struct tg_gen *g, uint64_t seq, uint16_t hdr)
{
	const struct tg_config *cfg = &g->cfg;
	uint16_t frame = cfg->sizes[0].frame;

	if (cfg->nb_sizes > 1) {
		uint32_t w = (uint32_t)(tg_mix(cfg->seed ^ 0x51ed270b27d1f3a5ULL ^ seq) % g->total_weight);

		for (unsigned i = 0; i < cfg->nb_sizes; i++) {
			if (w < cfg->sizes[i].weight) {
				frame = cfg->sizes[i].frame;
				break;
			}
			w -= cfg->sizes[i].weight;
		}
	}
	frame = (uint16_t)(frame - TG_FCS);
	if (frame < hdr)
		frame = hdr;
	return frame < ETH_MIN ? ETH_MIN : frame;
}

void
tg_packet_desc(const struct tg_gen *g, uint64_t seq, struct tg_pkt_desc *d)
{
	struct tg_flow f;

	d->flow = (uint32_t)(seq % g->cfg.nb_flows);
	d->reverse = g->cfg.bidir && ((seq / g->cfg.nb_flows) & 1);
	tg_flow_get(g, d->flow, &f);
	d->len = frame_len(g, seq, tg_header_len(g, f.family, f.proto));
	d->ioc_rank = f.ioc ? f.ioc_rank : TG_NOT_IOC;
}

/* RFC 1071 ones'-complement sum of big-endian 16-bit words. */
static uint32_t
csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	for (; len > 1; p += 2, len -= 2)
		sum += (uint32_t)p[0] << 8 | p[1];
	if (len)
		sum += (uint32_t)p[0] << 8;
	return sum;
}

static uint16_t
csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint16_t
tg_build(const struct tg_gen *g, uint64_t seq, uint8_t *buf, struct tg_pkt_desc *d)
{
	const struct tg_config *cfg = &g->cfg;
	struct tg_flow f;
	uint8_t *p = buf, *l3, *l4;
	const uint8_t *src, *dst;
	uint16_t sport, dport, len, l4_len;
	uint32_t pass, sum;

	d->flow = (uint32_t)(seq % cfg->nb_flows);
	pass = (uint32_t)(seq / cfg->nb_flows);
	d->reverse = cfg->bidir && (pass & 1);
	tg_flow_get(g, d->flow, &f);
	d->ioc_rank = f.ioc ? f.ioc_rank : TG_NOT_IOC;
	len = frame_len(g, seq, tg_header_len(g, f.family, f.proto));
	d->len = len;
	src = d->reverse ? f.dst : f.src;
	dst = d->reverse ? f.src : f.dst;
	sport = d->reverse ? f.dport : f.sport;
	dport = d->reverse ? f.sport : f.dport;
	memset(buf, 0, len); /* the payload is zeros: it adds nothing to the L4 checksum */

	memcpy(p, d->reverse ? cfg->src_mac : cfg->dst_mac, 6);
	memcpy(p + 6, d->reverse ? cfg->dst_mac : cfg->src_mac, 6);
	p += 12;
	if (cfg->vlan) {
		put16(p, 0x8100);
		put16(p + 2, cfg->vlan);
		p += VLAN_HDR;
	}
	put16(p, f.family == 4 ? 0x0800 : 0x86dd);
	l3 = p + 2;
	if (f.family == 4) {
		l4 = l3 + IP4_HDR;
		l3[0] = 0x45;
		put16(l3 + 2, (uint16_t)(buf + len - l3));
		put16(l3 + 4, (uint16_t)seq);
		put16(l3 + 6, 0x4000); /* DF */
		l3[8] = 64;
		l3[9] = f.proto;
		memcpy(l3 + 12, src, 4);
		memcpy(l3 + 16, dst, 4);
		put16(l3 + 10, csum_fold(csum_add(0, l3, IP4_HDR)));
	} else {
		l4 = l3 + IP6_HDR;
		put32(l3, 0x60000000u | (uint32_t)(tg_mix(d->flow) & 0xfffff));
		put16(l3 + 4, (uint16_t)(buf + len - l4));
		l3[6] = f.proto;
		l3[7] = 64;
		memcpy(l3 + 8, src, 16);
		memcpy(l3 + 24, dst, 16);
	}
	l4_len = (uint16_t)(buf + len - l4);
	put16(l4, sport);
	put16(l4 + 2, dport);
	if (f.proto == 17) {
		put16(l4 + 4, l4_len);
	} else {
		put32(l4 + 4, pass * 1000u + 1);    /* sequence number */
		put32(l4 + 8, pass * 1000u + 1);    /* acknowledgement */
		l4[12] = 5 << 4;                    /* data offset: 20 bytes */
		l4[13] = 0x18;                      /* PSH, ACK */
		put16(l4 + 14, 65535);              /* window */
	}
	/* Pseudo-header (RFC 768/793, RFC 8200 section 8.1) plus the L4 header. */
	sum = csum_add(0, f.family == 4 ? l3 + 12 : l3 + 8, f.family == 4 ? 8 : 32);
	sum += f.proto + l4_len;
	sum = csum_add(sum, l4, f.proto == 17 ? UDP_HDR : TCP_HDR);
	{
		uint16_t c = csum_fold(sum);

		if (f.proto == 17 && c == 0)
			c = 0xffff; /* UDP: 0 means "no checksum" */
		put16(l4 + (f.proto == 17 ? 6 : 16), c);
	}
	return len;
}

int
tg_parse_sizes(struct tg_config *cfg, const char *spec)
{
	const char *p = spec;

	cfg->nb_sizes = 0;
	while (*p) {
		char *end;
		unsigned long size = strtoul(p, &end, 10), weight = 1;

		if (end == p || cfg->nb_sizes == TG_MAX_SIZES)
			return -EINVAL;
		p = end;
		if (*p == ':') {
			weight = strtoul(p + 1, &end, 10);
			if (end == p + 1)
				return -EINVAL;
			p = end;
		}
		if (size < TG_MIN_FRAME || size > TG_MAX_FRAME || weight == 0 || weight > 1000)
			return -EINVAL;
		cfg->sizes[cfg->nb_sizes].frame = (uint16_t)size;
		cfg->sizes[cfg->nb_sizes++].weight = (uint16_t)weight;
		if (*p == ',')
			p++;
		else if (*p != '\0')
			return -EINVAL;
	}
	return cfg->nb_sizes ? 0 : -EINVAL;
}
