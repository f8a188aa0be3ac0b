/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_pkt_tunnel.c - pkt_parse_tunnels() on hand-built VXLAN, GENEVE, GRE
 * (IPv4, IPv6, Ethernet) and ERSPAN II/III frames: the inner headers replace
 * the outer ones with offsets into the whole frame, the outer VLAN is kept,
 * disabled or malformed tunnels leave the outer fields (flagged when the
 * tunnel header was good but its inner packet was not), and an inner packet
 * cut at every byte never reads past the outer datagram.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "put_bytes.h"

#include "pkt_parse.h"

struct frame {
	uint8_t b[1024];
	uint32_t len;
	uint32_t outer_l3, inner_l3; /* IP header starts */
	uint32_t inner_eth;	     /* inner Ethernet header, for cutting the inner packet */
};

static const uint8_t vtep_a[4] = {192, 0, 2, 1};
static const uint8_t vtep_b[4] = {192, 0, 2, 2};
static const uint8_t host[4] = {10, 20, 0, 15};
static const uint8_t ioc[4] = {95, 85, 246, 53};
static const uint8_t host6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x15};
static const uint8_t ioc6[16] = {0x20, 0x01, 0x0d, 0xb8, 0x0b, 0xad, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x20};
static const struct pkt_tunnels all_on = {.vxlan_port = 4789, .geneve_port = 6081, .gre = 1};

static void
eth(struct frame *f, uint16_t type, uint16_t vlan)
{
	put_zeros(f, 12);
	if (vlan) {
		put16(f, 0x8100);
		put16(f, vlan);
	}
	put16(f, type);
}

/* IPv4 header, total length written by close_ipv4(); returns its offset. */
static uint32_t
ipv4(struct frame *f, uint8_t proto, uint16_t frag, const uint8_t src[4], const uint8_t dst[4])
{
	uint32_t at = f->len;

	put8(f, 0x45);
	put8(f, 0);
	put16(f, 0);
	put16(f, 1);
	put16(f, frag);
	put8(f, 64);
	put8(f, proto);
	put16(f, 0);
	put_bytes(f, src, 4);
	put_bytes(f, dst, 4);
	return at;
}

static uint32_t
ipv6(struct frame *f, uint8_t nh, const uint8_t src[16], const uint8_t dst[16])
{
	uint32_t at = f->len;

	put8(f, 0x60);
	put_zeros(f, 3);
	put16(f, 0);
	put8(f, nh);
	put8(f, 64);
	put_bytes(f, src, 16);
	put_bytes(f, dst, 16);
	return at;
}

/* Length fields of the IP header at @p at (and its UDP header, if any) up to the frame's end. */
static void
close_ip(struct frame *f, uint32_t at, uint32_t udp_at)
{
	uint32_t n = f->len - at;

	if ((f->b[at] >> 4) == 6) {
		n -= 40;
		f->b[at + 4] = (uint8_t)(n >> 8);
		f->b[at + 5] = (uint8_t)n;
	} else {
		f->b[at + 2] = (uint8_t)(n >> 8);
		f->b[at + 3] = (uint8_t)n;
	}
	if (udp_at) {
		n = f->len - udp_at;
		f->b[udp_at + 4] = (uint8_t)(n >> 8);
		f->b[udp_at + 5] = (uint8_t)n;
	}
}

static uint32_t
udp(struct frame *f, uint16_t sport, uint16_t dport)
{
	uint32_t at = f->len;

	put16(f, sport);
	put16(f, dport);
	put16(f, 8);
	put16(f, 0);
	return at;
}

/* The inner packet every test carries: host:49152 -> IOC:443 over TCP, 4 payload bytes. */
static void
inner_ipv4_tcp(struct frame *f)
{
	f->inner_l3 = ipv4(f, 6, 0, host, ioc);
	put16(f, 49152);
	put16(f, 443);
	put_zeros(f, 8);
	put8(f, 0x50);
	put8(f, 0x18); /* PSH ACK */
	put_zeros(f, 6);
	put_bytes(f, "abcd", 4);
	close_ip(f, f->inner_l3, 0);
}

static void
inner_eth_ipv4_tcp(struct frame *f)
{
	f->inner_eth = f->len;
	eth(f, 0x0800, 0);
	inner_ipv4_tcp(f);
}

/* Outer Ethernet + IPv4 + UDP to @p dport, then @p hdr (the tunnel header), then an inner frame. */
static void
udp_tunnel(struct frame *f, uint16_t dport, const uint8_t *hdr, size_t hdr_len, uint16_t vlan)
{
	uint32_t u;

	memset(f, 0, sizeof(*f));
	eth(f, 0x0800, vlan);
	f->outer_l3 = ipv4(f, 17, 0, vtep_a, vtep_b);
	u = udp(f, 51000, dport);
	put_bytes(f, hdr, hdr_len);
	inner_eth_ipv4_tcp(f);
	close_ip(f, f->outer_l3, u);
}

static const uint8_t vxlan_hdr[8] = {0x08, 0, 0, 0, 0, 0x12, 0x34, 0};

static void
assert_inner(const struct frame *f, const struct pkt_info *info)
{
	assert_int_equal(info->flags & (PKT_FLAG_TUNNEL | PKT_FLAG_TUNNEL_OUTER), PKT_FLAG_TUNNEL);
	assert_int_equal(info->family, 4);
	assert_int_equal(info->proto, 6);
	assert_memory_equal(info->src, host, 4);
	assert_memory_equal(info->dst, ioc, 4);
	assert_int_equal(info->sport, 49152);
	assert_int_equal(info->dport, 443);
	assert_int_equal(info->tcp_flags, 0x18);
	/* Offsets are into the whole frame: the payload extractors read there. */
	assert_int_equal(info->l4_offset, f->inner_l3 + 20);
	assert_int_equal(info->payload_offset, f->inner_l3 + 40);
	assert_memory_equal(f->b + info->payload_offset, "abcd", 4);
	assert_int_equal(info->l3_end, f->len);
}

static void
assert_outer_udp(const struct pkt_info *info, uint8_t flags)
{
	assert_int_equal(info->flags & (PKT_FLAG_TUNNEL | PKT_FLAG_TUNNEL_OUTER), flags);
	assert_int_equal(info->proto, 17);
	assert_memory_equal(info->src, vtep_a, 4);
	assert_memory_equal(info->dst, vtep_b, 4);
}

static void
test_vxlan(void **state)
{
	struct frame f;
	struct pkt_info info;
	struct pkt_tunnels off = all_on;

	(void)state;
	udp_tunnel(&f, 4789, vxlan_hdr, sizeof(vxlan_hdr), 0);
	assert_int_equal(pkt_parse_tunnels(f.b, f.len, &all_on, &info), PKT_PARSE_OK);
	assert_inner(&f, &info);
	assert_int_equal(info.vlan, 0);

	/* The outer VLAN keys the flow; the inner frame's own tags do not. */
	udp_tunnel(&f, 4789, vxlan_hdr, sizeof(vxlan_hdr), 300);
	assert_int_equal(pkt_parse_tunnels(f.b, f.len, &all_on, &info), PKT_PARSE_OK);
	assert_inner(&f, &info);
	assert_int_equal(info.vlan, 300);

	/* Off, another port, or the I flag clear: the outer packet, not flagged. */
	off.vxlan_port = 0;
	assert_int_equal(pkt_parse_tunnels(f.b, f.len, &off, &info), PKT_PARSE_OK);
	assert_outer_udp(&info, 0);
	udp_tunnel(&f, 4790, vxlan_hdr, sizeof(vxlan_hdr), 0);
	assert_int_equal(pkt_parse_tunnels(f.b, f.len, &all_on, &info), PKT_PARSE_OK);
	assert_outer_udp(&info, 0);
	udp_tunnel(&f, 4789, (const uint8_t[8]){0}, 8, 0);
	assert_int_equal(pkt_parse_tunnels(f.b, f.len, &all_on, &info), PKT_PARSE_OK);
	assert_outer_udp(&info, 0);
	/* pkt_parse() never decapsulates. */
	udp_tunnel(&f, 4789, vxlan_hdr, sizeof(vxlan_hdr), 0);
	assert_int_equal(pkt_parse(f.b, f.len, &info), PKT_PARSE_OK);
	assert_outer_udp(&info, 0);
}

/* The inner packet cut at every byte (outer lengths consistent): never OK on a
 * partial inner header, never a read past the outer datagram (ASan watches). */
static void
test_vxlan_inner_cut(void **state)
{
	struct frame full, f;
	struct pkt_info info;

	(void)state;
	udp_tunnel(&full, 4789, vxlan_hdr, sizeof(vxlan_hdr), 0);
	for (uint32_t cut = full.inner_eth; cut < full.len; cut++) {
		f = full;
		f.len = cut;
		close_ip(&f, f.outer_l3, f.outer_l3 + 20);
		assert_int_equal(pkt_parse_tunnels(f.b, f.len, &all_on, &info), PKT_PARSE_OK);
		/* Up to the inner TCP header's end the inner packet is malformed; the payload is optional
		 * only in the sense that the inner IP length says how much there is. */
		assert_outer_udp(&info, PKT_FLAG_TUNNEL_OUTER);
	}
	/* A cut inside the VXLAN header: the tunnel header itself is short, nothing decoded. */
	f = full;
	f.len = full.inner_eth - 3;
	close_ip(&f, f.outer_l3, f.outer_l3 + 20);
	assert_int_equal(pkt_parse_tunnels(f.b, f.len, &all_on, &info), PKT_PARSE_OK);
	assert_outer_udp(&info, 0);
}

static void
test_vxlan_inner_not_ip(void **state)
{
	struct frame f;
	struct pkt_info info;
	uint32_t u;

	(void)state;
	memset(&f, 0, sizeof(f));
	eth(&f, 0x0800, 0);
	f.outer_l3 = ipv4(&f, 17, 0, vtep_a, vtep_b);
	u = udp(&f, 51000, 4789);
	put_bytes(&f, vxlan_hdr, sizeof(vxlan_hdr));
	eth(&f, 0x0806, 0); /* ARP */
	put_zeros(&f, 28);
	close_ip(&f, f.outer_l3, u);
	assert_int_equal(pkt_parse_tunnels(f.b, f.len, &all_on, &info), PKT_PARSE_OK);
	assert_outer_udp(&info, PKT_FLAG_TUNNEL_OUTER);
}

static void
test_outer_fragment_not_decapsulated(void **state)
{
	struct frame f;
	struct pkt_info info;

	(void)state;
	udp_tunnel(&f, 4789, vxlan_hdr, sizeof(vxlan_hdr), 0);
	f.b[f.outer_l3 + 6] = 0x20; /* MF: a first fragment */
	assert_int_equal(pkt_parse_tunnels(f.b, f.len, &all_on, &info), PKT_PARSE_OK);
	assert_outer_udp(&info, 0);
	assert_true(info.flags & PKT_FLAG_FRAGMENT);
}

static void
test_geneve(void **state)
{
	/* Version 0, 2 words of options, protocol 0x6558 (Ethernet), VNI, then the options. */
	static const uint8_t geneve_eth[16] = {0x02, 0, 0x65, 0x58, 0, 0, 0x2a, 0, 1, 2, 3, 4, 5, 6, 7, 8};
	static const uint8_t geneve_ver1[8] = {0x40, 0, 0x65, 0x58, 0, 0, 0x2a, 0};
	static const uint8_t geneve_ipv6[8] = {0, 0, 0x86, 0xdd, 0, 0, 0x2a, 0};
	struct frame f;
	struct pkt_info info;
	uint32_t u;

	(void)state;
	udp_tunnel(&f, 6081, geneve_eth, sizeof(geneve_eth), 0);
	assert_int_equal(pkt_parse_tunnels(f.b, f.len, &all_on, &info), PKT_PARSE_OK);
	assert_inner(&f, &info);
	udp_tunnel(&f, 6081, geneve_ver1, sizeof(geneve_ver1), 0);
	assert_int_equal(pkt_parse_tunnels(f.b, f.len, &all_on, &info), PKT_PARSE_OK);
	assert_outer_udp(&info, 0);

	/* Protocol 0x86dd: an IPv6 packet right after the header, here inside an IPv6 outer. */
	memset(&f, 0, sizeof(f));
	eth(&f, 0x86dd, 0);
	f.outer_l3 = ipv6(&f, 17, ioc6, host6);
	u = udp(&f, 51000, 6081);
	put_bytes(&f, geneve_ipv6, sizeof(geneve_ipv6));
	f.inner_l3 = ipv6(&f, 17, host6, ioc6);
	put16(&f, 5353);
	put16(&f, 53);
	put16(&f, 8);
	put16(&f, 0);
	close_ip(&f, f.inner_l3, f.inner_l3 + 40);
	close_ip(&f, f.outer_l3, u);
	assert_int_equal(pkt_parse_tunnels(f.b, f.len, &all_on, &info), PKT_PARSE_OK);
	assert_int_equal(info.flags & PKT_FLAG_TUNNEL, PKT_FLAG_TUNNEL);
	assert_int_equal(info.family, 6);
	assert_memory_equal(info.src, host6, 16);
	assert_memory_equal(info.dst, ioc6, 16);
	assert_int_equal(info.dport, 53);
	assert_int_equal(info.payload_offset, f.inner_l3 + 48);
}

/* Outer IPv4 + GRE with @p flags and @p proto, @p extra header bytes, then the inner packet. */
static void
gre(struct frame *f, uint8_t flags, uint8_t version, uint16_t proto, const uint8_t *extra, size_t extra_len,
    int inner_eth)
{
	memset(f, 0, sizeof(*f));
	eth(f, 0x0800, 0);
	f->outer_l3 = ipv4(f, 47, 0, vtep_a, vtep_b);
	put8(f, flags);
	put8(f, version);
	put16(f, proto);
	if (extra_len)
		put_bytes(f, extra, extra_len);
	if (inner_eth)
		inner_eth_ipv4_tcp(f);
	else
		inner_ipv4_tcp(f);
	close_ip(f, f->outer_l3, 0);
}

static void
assert_outer_gre(const struct pkt_info *info)
{
	assert_int_equal(info->flags & (PKT_FLAG_TUNNEL | PKT_FLAG_TUNNEL_OUTER), 0);
	assert_int_equal(info->proto, 47);
	assert_memory_equal(info->dst, vtep_b, 4);
}

static void
test_gre(void **state)
{
	static const uint8_t key_seq[8] = {0, 0, 0, 7, 0, 0, 0, 1};
	static const uint8_t csum[4] = {0};
	struct frame f;
	struct pkt_info info;
	struct pkt_tunnels no_gre = all_on;

	(void)state;
	gre(&f, 0, 0, 0x0800, NULL, 0, 0);
	assert_int_equal(pkt_parse_tunnels(f.b, f.len, &all_on, &info), PKT_PARSE_OK);
	assert_inner(&f, &info);
	/* Key and sequence number (RFC 2890), checksum (RFC 2784): each 4 bytes more. */
	gre(&f, 0x30, 0, 0x0800, key_seq, sizeof(key_seq), 0);
	assert_int_equal(pkt_parse_tunnels(f.b, f.len, &all_on, &info), PKT_PARSE_OK);
	assert_inner(&f, &info);
	gre(&f, 0x80, 0, 0x0800, csum, sizeof(csum), 0);
	assert_int_equal(pkt_parse_tunnels(f.b, f.len, &all_on, &info), PKT_PARSE_OK);
	assert_inner(&f, &info);
	/* Transparent Ethernet bridging (NVGRE-style). */
	gre(&f, 0x20, 0, 0x6558, key_seq, 4, 1);
	assert_int_equal(pkt_parse_tunnels(f.b, f.len, &all_on, &info), PKT_PARSE_OK);
	assert_inner(&f, &info);
	/* Version 1 (PPTP), routing present, an unknown protocol, GRE off: the outer packet. */
	gre(&f, 0, 1, 0x0800, NULL, 0, 0);
	assert_int_equal(pkt_parse_tunnels(f.b, f.len, &all_on, &info), PKT_PARSE_OK);
	assert_outer_gre(&info);
	gre(&f, 0x40, 0, 0x0800, csum, sizeof(csum), 0);
	assert_int_equal(pkt_parse_tunnels(f.b, f.len, &all_on, &info), PKT_PARSE_OK);
	assert_outer_gre(&info);
	gre(&f, 0, 0, 0x880b, NULL, 0, 0);
	assert_int_equal(pkt_parse_tunnels(f.b, f.len, &all_on, &info), PKT_PARSE_OK);
	assert_outer_gre(&info);
	gre(&f, 0, 0, 0x0800, NULL, 0, 0);
	no_gre.gre = 0;
	assert_int_equal(pkt_parse_tunnels(f.b, f.len, &no_gre, &info), PKT_PARSE_OK);
	assert_outer_gre(&info);
	/* Flags announcing 12 bytes of options the datagram does not have. */
	gre(&f, 0xb0, 0, 0x0800, NULL, 0, 0);
	f.len = f.outer_l3 + 20 + 4 + 6;
	close_ip(&f, f.outer_l3, 0);
	assert_int_equal(pkt_parse_tunnels(f.b, f.len, &all_on, &info), PKT_PARSE_OK);
	assert_outer_gre(&info);
}

static void
test_erspan(void **state)
{
	/* Type II: GRE with a sequence number, then an 8-byte header of version 1. */
	static const uint8_t seq_erspan2[12] = {0, 0, 0, 9, 0x10, 0x64, 0, 0x05, 0, 0, 0, 0};
	static const uint8_t seq_erspan2_bad_ver[12] = {0, 0, 0, 9, 0x20, 0x64, 0, 0x05, 0, 0, 0, 0};
	/* Type III: 12 bytes of version 2; the O flag (last bit) adds an 8-byte subheader. */
	static const uint8_t erspan3[12] = {0x20, 0x64, 0, 0x05, 0, 0, 0, 1, 0, 0, 0, 0};
	static const uint8_t erspan3_o[20] = {0x20, 0x64, 0, 0x05, 0, 0, 0, 1, 0, 0, 0, 1, 9, 9, 9, 9, 9, 9, 9, 9};
	struct frame f;
	struct pkt_info info;

	(void)state;
	gre(&f, 0x10, 0, 0x88be, seq_erspan2, sizeof(seq_erspan2), 1);
	assert_int_equal(pkt_parse_tunnels(f.b, f.len, &all_on, &info), PKT_PARSE_OK);
	assert_inner(&f, &info);
	gre(&f, 0x10, 0, 0x88be, seq_erspan2_bad_ver, sizeof(seq_erspan2_bad_ver), 1);
	assert_int_equal(pkt_parse_tunnels(f.b, f.len, &all_on, &info), PKT_PARSE_OK);
	assert_outer_gre(&info);
	/* Type I (no sequence number, no header) is not followed. */
	gre(&f, 0, 0, 0x88be, seq_erspan2 + 4, 8, 1);
	assert_int_equal(pkt_parse_tunnels(f.b, f.len, &all_on, &info), PKT_PARSE_OK);
	assert_outer_gre(&info);
	gre(&f, 0, 0, 0x22eb, erspan3, sizeof(erspan3), 1);
	assert_int_equal(pkt_parse_tunnels(f.b, f.len, &all_on, &info), PKT_PARSE_OK);
	assert_inner(&f, &info);
	gre(&f, 0, 0, 0x22eb, erspan3_o, sizeof(erspan3_o), 1);
	assert_int_equal(pkt_parse_tunnels(f.b, f.len, &all_on, &info), PKT_PARSE_OK);
	assert_inner(&f, &info);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_vxlan),
	    cmocka_unit_test(test_vxlan_inner_cut),
	    cmocka_unit_test(test_vxlan_inner_not_ip),
	    cmocka_unit_test(test_outer_fragment_not_decapsulated),
	    cmocka_unit_test(test_geneve),
	    cmocka_unit_test(test_gre),
	    cmocka_unit_test(test_erspan),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
