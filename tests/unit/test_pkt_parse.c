/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_pkt_parse.c - pkt_parse() on hand-built frames: every supported path,
 * every error result, and the truncation boundary of each layer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "put_bytes.h"

#include "pkt_parse.h"

/* ---- frame builder ---------------------------------------------------- */

struct frame {
	uint8_t b[2048];
	uint32_t len;
	uint32_t l3;	    /* start of the IP header */
	uint32_t l4;	    /* start of the transport header */
	uint32_t l3_len_at; /* where the IP length field lives (patched by frame_fix_len) */
	int v6;
};

static const uint8_t mac_a[6] = {0x02, 0, 0, 0, 0, 0x01};
static const uint8_t mac_b[6] = {0x02, 0, 0, 0, 0, 0x02};
static const uint8_t v4_src[4] = {10, 20, 0, 15};
static const uint8_t v4_dst[4] = {95, 85, 246, 53};
static const uint8_t v6_src[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0x20, 0, 0,
				   0,	 0,    0,    0,	   0, 0,    0, 0x15};
static const uint8_t v6_dst[16] = {0x20, 0x01, 0x0d, 0xb8, 0x0b, 0xad, 0, 0,
				   0,	 0,    0,    0,	   0,	 0,    0, 0x20};

/* Ethernet header; @p tags VLAN tags given as (tpid, vid) pairs. */
static void
eth(struct frame *f, uint16_t type, int nb_tags, const uint16_t *tags)
{
	int i;

	memset(f, 0, sizeof(*f));
	put_bytes(f, mac_a, 6);
	put_bytes(f, mac_b, 6);
	for (i = 0; i < nb_tags; i++) {
		put16(f, tags[2 * i]);
		put16(f, tags[2 * i + 1]);
	}
	put16(f, type);
}

/* IPv4 header with @p opt_len bytes of options (NOPs); length fixed later. */
static void
ipv4(struct frame *f, uint8_t proto, uint16_t frag, int opt_len)
{
	f->l3 = f->len;
	f->v6 = 0;
	put8(f, (uint8_t)(0x40 | (5 + opt_len / 4)));
	put8(f, 0);
	f->l3_len_at = f->len;
	put16(f, 0);
	put16(f, 0x1234);
	put16(f, frag);
	put8(f, 64);
	put8(f, proto);
	put16(f, 0);
	put_bytes(f, v4_src, 4);
	put_bytes(f, v4_dst, 4);
	memset(f->b + f->len, 1, (size_t)opt_len);
	f->len += (uint32_t)opt_len;
	f->l4 = f->len;
}

static void
ipv6(struct frame *f, uint8_t nh)
{
	f->l3 = f->len;
	f->v6 = 1;
	put8(f, 0x60);
	put8(f, 0);
	put16(f, 0);
	f->l3_len_at = f->len;
	put16(f, 0);
	put8(f, nh);
	put8(f, 64);
	put_bytes(f, v6_src, 16);
	put_bytes(f, v6_dst, 16);
	f->l4 = f->len;
}

/* Generic IPv6 extension header of @p units 8-octet units beyond the first. */
static void
ext6(struct frame *f, uint8_t nh, uint8_t units)
{
	put8(f, nh);
	put8(f, units);
	put_zeros(f, 6 + 8 * (size_t)units);
	f->l4 = f->len;
}

static void
frag6(struct frame *f, uint8_t nh, uint16_t offset_units, int more)
{
	put8(f, nh);
	put8(f, 0);
	put16(f, (uint16_t)(offset_units << 3 | (more ? 1 : 0)));
	put16(f, 0xabcd);
	put16(f, 0x0001);
	f->l4 = f->len;
}

/* AH with @p len_field in the Payload Len field: (len_field + 2) * 4 bytes. */
static void
ah(struct frame *f, uint8_t nh, uint8_t len_field)
{
	put8(f, nh);
	put8(f, len_field);
	put_zeros(f, ((size_t)len_field + 2) * 4 - 2);
	f->l4 = f->len;
}

static void
tcp(struct frame *f, uint16_t sport, uint16_t dport, uint8_t flags, int doff_words)
{
	f->l4 = f->len;
	put16(f, sport);
	put16(f, dport);
	put16(f, 0);
	put16(f, 1000); /* seq */
	put16(f, 0);
	put16(f, 0); /* ack */
	put8(f, (uint8_t)(doff_words << 4));
	put8(f, flags);
	put16(f, 65535);
	put16(f, 0);
	put16(f, 0);
	if (doff_words > 5)
		put_zeros(f, (size_t)(doff_words - 5) * 4);
}

static void
udp(struct frame *f, uint16_t sport, uint16_t dport, uint16_t payload)
{
	f->l4 = f->len;
	put16(f, sport);
	put16(f, dport);
	put16(f, (uint16_t)(8 + payload));
	put16(f, 0);
}

static void
sctp(struct frame *f, uint16_t sport, uint16_t dport)
{
	f->l4 = f->len;
	put16(f, sport);
	put16(f, dport);
	put16(f, 0xdead);
	put16(f, 0xbeef);
	put16(f, 0);
	put16(f, 0);
}

static void
icmp_echo(struct frame *f, uint8_t type)
{
	f->l4 = f->len;
	put8(f, type);
	put8(f, 0);
	put16(f, 0);
	put16(f, 0x0101);
	put16(f, 0x0001);
}

/* Write the IP length field so the datagram ends at the current frame end. */
static void
frame_fix_len(struct frame *f)
{
	uint32_t n = f->len - f->l3 - (f->v6 ? 40 : 0);

	f->b[f->l3_len_at] = (uint8_t)(n >> 8);
	f->b[f->l3_len_at + 1] = (uint8_t)n;
}

static enum pkt_parse_result
parse(const struct frame *f, struct pkt_info *info)
{
	return pkt_parse(f->b, f->len, info);
}

/* Every strict prefix of a frame that ends inside [from, to) must fail with @p res. */
static void
assert_prefixes_fail(const struct frame *f, uint32_t from, uint32_t to, enum pkt_parse_result res)
{
	struct pkt_info info;
	uint32_t n;

	for (n = from; n < to; n++) {
		enum pkt_parse_result got = pkt_parse(f->b, n, &info);

		if (got != res)
			fail_msg("prefix of %u bytes: got %s, want %s", n,
				 pkt_parse_result_name(got), pkt_parse_result_name(res));
	}
}

static const uint16_t tag_q100[] = {0x8100, 100};
static const uint16_t tag_qinq[] = {0x88a8, 200, 0x8100, 300};

/* ---- L2 ---------------------------------------------------------------- */

static void
test_trunc_l2(void **state)
{
	struct frame f;
	struct pkt_info info;

	(void)state;
	eth(&f, 0x0800, 1, tag_q100);
	assert_int_equal(pkt_parse(f.b, 0, &info), PKT_PARSE_TRUNC_L2);
	assert_int_equal(pkt_parse(f.b, 13, &info), PKT_PARSE_TRUNC_L2);
	/* Tag announced by the outer type, but cut: */
	assert_int_equal(pkt_parse(f.b, 14, &info), PKT_PARSE_TRUNC_L2);
	assert_int_equal(pkt_parse(f.b, 17, &info), PKT_PARSE_TRUNC_L2);
	/* Tag complete, IP header missing: */
	assert_int_equal(pkt_parse(f.b, 18, &info), PKT_PARSE_TRUNC_L3);
}

static void
test_not_ip(void **state)
{
	struct frame f;
	struct pkt_info info;

	(void)state;
	eth(&f, 0x0806, 0, NULL); /* ARP */
	put_zeros(&f, 28);
	assert_int_equal(parse(&f, &info), PKT_PARSE_NOT_IP);
	eth(&f, 0x88cc, 1, tag_q100); /* LLDP in a VLAN */
	put_zeros(&f, 40);
	assert_int_equal(parse(&f, &info), PKT_PARSE_NOT_IP);
	assert_int_equal(info.vlan, 100);
	eth(&f, 0x0064, 0, NULL); /* 802.3 length field */
	put_zeros(&f, 100);
	assert_int_equal(parse(&f, &info), PKT_PARSE_NOT_IP);
}

static void
test_vlan_single(void **state)
{
	struct frame f;
	struct pkt_info info;

	(void)state;
	eth(&f, 0x0800, 1, (const uint16_t[]){0x8100, 0xe000 | 100}); /* PCP bits set */
	ipv4(&f, 6, 0x4000, 0);
	tcp(&f, 51234, 7443, 0x02, 5);
	frame_fix_len(&f);
	assert_int_equal(parse(&f, &info), PKT_PARSE_OK);
	assert_int_equal(info.vlan, 100);
	assert_int_equal(info.l4_offset, 18 + 20);
	assert_int_equal(info.dport, 7443);
}

static void
test_vlan_qinq(void **state)
{
	static const uint16_t tpids[] = {0x88a8, 0x9100, 0x8100};
	struct frame f;
	struct pkt_info info;
	size_t i;

	(void)state;
	eth(&f, 0x86dd, 2, tag_qinq);
	ipv6(&f, 6);
	tcp(&f, 41000, 8443, 0x02, 5);
	frame_fix_len(&f);
	assert_int_equal(parse(&f, &info), PKT_PARSE_OK);
	assert_int_equal(info.vlan, 200); /* outermost */
	assert_int_equal(info.family, 6);
	assert_int_equal(info.l4_offset, 22 + 40);
	assert_int_equal(info.dport, 8443);

	/* Every TPID works in either position. */
	for (i = 0; i < 3; i++) {
		uint16_t tags[4] = {tpids[i], 7, tpids[(i + 1) % 3], 8};

		eth(&f, 0x0800, 2, tags);
		ipv4(&f, 17, 0, 0);
		udp(&f, 1, 2, 0);
		frame_fix_len(&f);
		assert_int_equal(parse(&f, &info), PKT_PARSE_OK);
		assert_int_equal(info.vlan, 7);
	}
	/* Cut inside the second tag. */
	eth(&f, 0x0800, 2, tag_qinq);
	assert_prefixes_fail(&f, 14, 22, PKT_PARSE_TRUNC_L2);
}

static void
test_vlan_too_many(void **state)
{
	static const uint16_t tags[] = {0x88a8, 1, 0x8100, 2, 0x8100, 3};
	struct frame f;
	struct pkt_info info;

	(void)state;
	eth(&f, 0x0800, 3, tags);
	ipv4(&f, 6, 0, 0);
	tcp(&f, 1, 2, 0x02, 5);
	frame_fix_len(&f);
	assert_int_equal(parse(&f, &info), PKT_PARSE_TOO_MANY_HDRS);
}

/* ---- IPv4 -------------------------------------------------------------- */

static void
test_ipv4_tcp(void **state)
{
	struct frame f;
	struct pkt_info info;

	(void)state;
	eth(&f, 0x0800, 0, NULL);
	ipv4(&f, 6, 0x4000, 0); /* DF is not a fragment */
	tcp(&f, 49812, 443, 0x18, 8);
	put_bytes(&f, "hello", 5);
	frame_fix_len(&f);
	assert_int_equal(parse(&f, &info), PKT_PARSE_OK);
	assert_int_equal(info.family, 4);
	assert_int_equal(info.proto, 6);
	assert_int_equal(info.flags, PKT_FLAG_HAS_PORTS);
	assert_int_equal(info.tcp_flags, 0x18);
	assert_int_equal(info.vlan, 0);
	assert_int_equal(info.sport, 49812);
	assert_int_equal(info.dport, 443);
	assert_int_equal(info.l4_offset, 34);
	assert_int_equal(info.payload_offset, 34 + 32);
	assert_memory_equal(info.src, v4_src, 4);
	assert_memory_equal(info.dst, v4_dst, 4);
	assert_memory_equal(info.src + 4, (uint8_t[12]){0}, 12);
	assert_memory_equal(info.dst + 4, (uint8_t[12]){0}, 12);
}

static void
test_ipv4_options(void **state)
{
	struct frame f;
	struct pkt_info info;

	(void)state;
	eth(&f, 0x0800, 0, NULL);
	ipv4(&f, 17, 0, 40); /* IHL 15, the maximum */
	udp(&f, 53001, 53, 4);
	put_bytes(&f, "abcd", 4);
	frame_fix_len(&f);
	assert_int_equal(parse(&f, &info), PKT_PARSE_OK);
	assert_int_equal(info.l4_offset, 14 + 60);
	assert_int_equal(info.payload_offset, 14 + 60 + 8);
	assert_int_equal(info.sport, 53001);
	assert_int_equal(info.dport, 53);
	/* Header cut inside the options: the stated header length is missing. */
	assert_prefixes_fail(&f, 14, 14 + 60, PKT_PARSE_TRUNC_L3);
}

static void
test_ipv4_padding(void **state)
{
	struct frame f;
	struct pkt_info info;

	(void)state;
	/* 14 + 20 + 8 = 42 bytes, padded to the 60-byte Ethernet minimum. */
	eth(&f, 0x0800, 0, NULL);
	ipv4(&f, 17, 0, 0);
	udp(&f, 1000, 2000, 0);
	frame_fix_len(&f);
	memset(f.b + f.len, 0xee, 18);
	f.len += 18;
	assert_int_equal(parse(&f, &info), PKT_PARSE_OK);
	assert_int_equal(info.flags, PKT_FLAG_HAS_PORTS);
	assert_int_equal(info.payload_offset, 42);

	/* TCP whose header would only "fit" by reading the padding: truncated. */
	eth(&f, 0x0800, 0, NULL);
	ipv4(&f, 6, 0, 0);
	put_zeros(&f, 10); /* 10 bytes of TCP */
	frame_fix_len(&f);
	put_zeros(&f, 30); /* padding */
	assert_int_equal(parse(&f, &info), PKT_PARSE_TRUNC_L4);
}

static void
test_ipv4_bad(void **state)
{
	struct frame f;
	struct pkt_info info;
	uint8_t vihl;

	(void)state;
	eth(&f, 0x0800, 0, NULL);
	ipv4(&f, 6, 0, 0);
	tcp(&f, 1, 2, 0x02, 5);
	frame_fix_len(&f);
	assert_int_equal(parse(&f, &info), PKT_PARSE_OK);
	vihl = f.b[14];

	f.b[14] = 0x65; /* version 6 behind an IPv4 ethertype */
	assert_int_equal(parse(&f, &info), PKT_PARSE_BAD_L3);
	f.b[14] = 0x44; /* IHL 4 */
	assert_int_equal(parse(&f, &info), PKT_PARSE_BAD_L3);
	f.b[14] = 0x40; /* IHL 0 */
	assert_int_equal(parse(&f, &info), PKT_PARSE_BAD_L3);
	f.b[14] = 0x46; /* IHL 6: the "option" eats 4 bytes of the 20-byte TCP header */
	assert_int_equal(parse(&f, &info), PKT_PARSE_TRUNC_L4);
	assert_int_equal(info.l4_offset, 14 + 24);
	f.b[14] = vihl;

	f.b[16] = 0;
	f.b[17] = 19; /* total length < header length */
	assert_int_equal(parse(&f, &info), PKT_PARSE_BAD_L3);
	f.b[17] = 0;
	assert_int_equal(parse(&f, &info), PKT_PARSE_BAD_L3);
	f.b[17] = 41; /* one byte more than the frame holds */
	assert_int_equal(parse(&f, &info), PKT_PARSE_TRUNC_L3);
	f.b[17] = 20; /* header only: TCP announced, nothing there */
	assert_int_equal(parse(&f, &info), PKT_PARSE_TRUNC_L4);
}

static void
test_ipv4_trunc(void **state)
{
	struct frame f;

	(void)state;
	eth(&f, 0x0800, 0, NULL);
	ipv4(&f, 6, 0, 0);
	tcp(&f, 1, 2, 0x10, 5);
	frame_fix_len(&f);
	/* Any cut removes bytes the total length announces. */
	assert_prefixes_fail(&f, 14, f.len, PKT_PARSE_TRUNC_L3);
}

static void
test_ipv4_fragments(void **state)
{
	struct frame f;
	struct pkt_info info;

	(void)state;
	/* First fragment: MF, offset 0: ports present, UDP length not checked. */
	eth(&f, 0x0800, 0, NULL);
	ipv4(&f, 17, 0x2000, 0);
	udp(&f, 5353, 40000, 1400);
	put_zeros(&f, 16);
	frame_fix_len(&f);
	assert_int_equal(parse(&f, &info), PKT_PARSE_OK);
	assert_int_equal(info.flags, PKT_FLAG_FRAGMENT | PKT_FLAG_HAS_PORTS);
	assert_int_equal(info.sport, 5353);

	/* Later fragment: no ports, no L4 offsets, even though bytes follow. */
	eth(&f, 0x0800, 0, NULL);
	ipv4(&f, 6, 0x2000 | 185, 0);
	put_zeros(&f, 24);
	frame_fix_len(&f);
	assert_int_equal(parse(&f, &info), PKT_PARSE_OK);
	assert_int_equal(info.flags, PKT_FLAG_FRAGMENT | PKT_FLAG_LATER_FRAG);
	assert_int_equal(info.proto, 6);
	assert_int_equal(info.sport, 0);
	assert_int_equal(info.dport, 0);
	assert_int_equal(info.l4_offset, 0);
	assert_int_equal(info.payload_offset, 0);
	assert_memory_equal(info.dst, v4_dst, 4);

	/* Last fragment (offset, no MF) with only 1 byte of data. */
	eth(&f, 0x0800, 0, NULL);
	ipv4(&f, 17, 3, 0);
	put8(&f, 0xaa);
	frame_fix_len(&f);
	assert_int_equal(parse(&f, &info), PKT_PARSE_OK);
	assert_int_equal(info.flags, PKT_FLAG_FRAGMENT | PKT_FLAG_LATER_FRAG);

	/* Tiny first fragment (RFC 1858) that cuts the TCP header. */
	eth(&f, 0x0800, 0, NULL);
	ipv4(&f, 6, 0x2000, 0);
	put_zeros(&f, 8);
	frame_fix_len(&f);
	assert_int_equal(parse(&f, &info), PKT_PARSE_TRUNC_L4);
}

/* ---- L4 ---------------------------------------------------------------- */

static void
test_tcp_bad_doff(void **state)
{
	struct frame f;
	struct pkt_info info;
	int doff;

	(void)state;
	for (doff = 0; doff < 5; doff++) {
		eth(&f, 0x0800, 0, NULL);
		ipv4(&f, 6, 0, 0);
		tcp(&f, 1, 2, 0x02, 5);
		f.b[f.l4 + 12] = (uint8_t)(doff << 4);
		frame_fix_len(&f);
		assert_int_equal(parse(&f, &info), PKT_PARSE_BAD_L4);
	}
	/* Data offset larger than the segment. */
	eth(&f, 0x0800, 0, NULL);
	ipv4(&f, 6, 0, 0);
	tcp(&f, 1, 2, 0x02, 5);
	f.b[f.l4 + 12] = 6 << 4;
	frame_fix_len(&f);
	assert_int_equal(parse(&f, &info), PKT_PARSE_TRUNC_L4);
	/* Maximum data offset, fully present, no payload. */
	eth(&f, 0x0800, 0, NULL);
	ipv4(&f, 6, 0, 0);
	tcp(&f, 1, 2, 0x11, 15);
	frame_fix_len(&f);
	assert_int_equal(parse(&f, &info), PKT_PARSE_OK);
	assert_int_equal(info.payload_offset, f.len);
	assert_int_equal(info.tcp_flags, 0x11);
}

static void
test_udp(void **state)
{
	struct frame f;
	struct pkt_info info;

	(void)state;
	eth(&f, 0x0800, 0, NULL);
	ipv4(&f, 17, 0, 0);
	udp(&f, 53001, 53, 29);
	put_zeros(&f, 29);
	frame_fix_len(&f);
	assert_int_equal(parse(&f, &info), PKT_PARSE_OK);
	assert_int_equal(info.proto, 17);
	assert_int_equal(info.tcp_flags, 0);
	assert_int_equal(info.l4_offset, 34);
	assert_int_equal(info.payload_offset, 42);
	/* UDP length below its header, and beyond the datagram. */
	f.b[f.l4 + 4] = 0;
	f.b[f.l4 + 5] = 7;
	assert_int_equal(parse(&f, &info), PKT_PARSE_BAD_L4);
	f.b[f.l4 + 5] = 8 + 30;
	assert_int_equal(parse(&f, &info), PKT_PARSE_TRUNC_L4);
	/* Shorter than the datagram is allowed (trailing bytes ignored). */
	f.b[f.l4 + 5] = 8;
	assert_int_equal(parse(&f, &info), PKT_PARSE_OK);

	/* Header cut: build an IP datagram holding only 7 bytes of UDP. */
	eth(&f, 0x0800, 0, NULL);
	ipv4(&f, 17, 0, 0);
	put_zeros(&f, 7);
	frame_fix_len(&f);
	assert_int_equal(parse(&f, &info), PKT_PARSE_TRUNC_L4);
}

static void
test_sctp(void **state)
{
	struct frame f;
	struct pkt_info info;

	(void)state;
	eth(&f, 0x86dd, 0, NULL);
	ipv6(&f, 132);
	sctp(&f, 2905, 2905);
	put_zeros(&f, 16); /* a chunk */
	frame_fix_len(&f);
	assert_int_equal(parse(&f, &info), PKT_PARSE_OK);
	assert_int_equal(info.proto, 132);
	assert_int_equal(info.flags, PKT_FLAG_HAS_PORTS);
	assert_int_equal(info.sport, 2905);
	assert_int_equal(info.payload_offset, 14 + 40 + 12);

	eth(&f, 0x0800, 0, NULL);
	ipv4(&f, 132, 0, 0);
	put_zeros(&f, 11);
	frame_fix_len(&f);
	assert_int_equal(parse(&f, &info), PKT_PARSE_TRUNC_L4);
}

static void
test_icmp(void **state)
{
	struct frame f;
	struct pkt_info info;

	(void)state;
	eth(&f, 0x0800, 0, NULL);
	ipv4(&f, 1, 0, 0);
	icmp_echo(&f, 8);
	put_zeros(&f, 56);
	frame_fix_len(&f);
	assert_int_equal(parse(&f, &info), PKT_PARSE_OK);
	assert_int_equal(info.proto, 1);
	assert_int_equal(info.flags, 0); /* no ports */
	assert_int_equal(info.sport, 0);
	assert_int_equal(info.l4_offset, 34);
	assert_int_equal(info.payload_offset, 42);

	eth(&f, 0x86dd, 0, NULL);
	ipv6(&f, 58);
	icmp_echo(&f, 128);
	frame_fix_len(&f);
	assert_int_equal(parse(&f, &info), PKT_PARSE_OK);
	assert_int_equal(info.proto, 58);
	assert_int_equal(info.flags, 0);
	assert_int_equal(info.payload_offset, f.len);

	/* Cut ICMP header (4 of 8 bytes). */
	eth(&f, 0x0800, 0, NULL);
	ipv4(&f, 1, 0, 0);
	put_zeros(&f, 4);
	frame_fix_len(&f);
	assert_int_equal(parse(&f, &info), PKT_PARSE_TRUNC_L4);
}

static void
test_other_proto(void **state)
{
	struct frame f;
	struct pkt_info info;

	(void)state;
	eth(&f, 0x0800, 0, NULL);
	ipv4(&f, 47, 0, 0); /* GRE */
	put_zeros(&f, 4);
	frame_fix_len(&f);
	assert_int_equal(parse(&f, &info), PKT_PARSE_OK);
	assert_int_equal(info.proto, 47);
	assert_int_equal(info.flags, 0);
	assert_int_equal(info.l4_offset, 34);
	assert_int_equal(info.payload_offset, 0);

	eth(&f, 0x86dd, 0, NULL);
	ipv6(&f, 59); /* no next header, empty payload */
	frame_fix_len(&f);
	assert_int_equal(parse(&f, &info), PKT_PARSE_OK);
	assert_int_equal(info.proto, 59);
	assert_int_equal(info.l4_offset, 54);
}

/* ---- IPv6 -------------------------------------------------------------- */

static void
test_ipv6_tcp(void **state)
{
	struct frame f;
	struct pkt_info info;

	(void)state;
	eth(&f, 0x86dd, 0, NULL);
	ipv6(&f, 6);
	tcp(&f, 40001, 8443, 0x02, 10);
	frame_fix_len(&f);
	assert_int_equal(parse(&f, &info), PKT_PARSE_OK);
	assert_int_equal(info.family, 6);
	assert_int_equal(info.proto, 6);
	assert_int_equal(info.flags, PKT_FLAG_HAS_PORTS);
	assert_int_equal(info.tcp_flags, 0x02);
	assert_int_equal(info.sport, 40001);
	assert_int_equal(info.dport, 8443);
	assert_int_equal(info.l4_offset, 54);
	assert_int_equal(info.payload_offset, 54 + 40);
	assert_memory_equal(info.src, v6_src, 16);
	assert_memory_equal(info.dst, v6_dst, 16);
}

static void
test_ipv6_bad_trunc(void **state)
{
	struct frame f;
	struct pkt_info info;

	(void)state;
	eth(&f, 0x86dd, 0, NULL);
	ipv6(&f, 17);
	udp(&f, 5353, 40000, 0);
	frame_fix_len(&f);
	assert_int_equal(parse(&f, &info), PKT_PARSE_OK);
	assert_prefixes_fail(&f, 14, f.len, PKT_PARSE_TRUNC_L3);

	f.b[14] = 0x40; /* version 4 behind the IPv6 ethertype */
	assert_int_equal(parse(&f, &info), PKT_PARSE_BAD_L3);
	f.b[14] = 0x60;
	f.b[f.l3_len_at + 1] = 9; /* payload length beyond the frame */
	assert_int_equal(parse(&f, &info), PKT_PARSE_TRUNC_L3);
	f.b[f.l3_len_at + 1] = 4; /* UDP cut by the payload length */
	assert_int_equal(parse(&f, &info), PKT_PARSE_TRUNC_L4);
}

static void
test_ipv6_ext_chain(void **state)
{
	struct frame f;
	struct pkt_info info;
	uint32_t ext_start;

	(void)state;
	/* Hop-by-hop, routing, destination options, AH, then TCP. */
	eth(&f, 0x86dd, 0, NULL);
	ipv6(&f, 0);
	ext_start = f.len;
	ext6(&f, 43, 0);
	ext6(&f, 60, 1);
	ext6(&f, 51, 2);
	ah(&f, 6, 4); /* (4 + 2) * 4 = 24 bytes */
	tcp(&f, 40001, 8443, 0x02, 5);
	frame_fix_len(&f);
	assert_int_equal(parse(&f, &info), PKT_PARSE_OK);
	assert_int_equal(info.proto, 6);
	assert_int_equal(info.l4_offset, ext_start + 8 + 16 + 24 + 24);
	assert_int_equal(info.dport, 8443);
	/* Cutting the datagram anywhere inside the chain is an L3 truncation. */
	assert_prefixes_fail(&f, 14, f.len, PKT_PARSE_TRUNC_L3);

	/* Payload length that ends inside the chain. */
	f.b[f.l3_len_at] = 0;
	f.b[f.l3_len_at + 1] = 8 + 1;
	assert_int_equal(parse(&f, &info), PKT_PARSE_TRUNC_L3);
	f.b[f.l3_len_at + 1] = 8 + 16 + 24 + 24; /* ends right before TCP */
	assert_int_equal(parse(&f, &info), PKT_PARSE_TRUNC_L4);
}

static void
test_ipv6_hbh_not_first(void **state)
{
	struct frame f;
	struct pkt_info info;

	(void)state;
	eth(&f, 0x86dd, 0, NULL);
	ipv6(&f, 60);
	ext6(&f, 0, 0);
	ext6(&f, 6, 0);
	tcp(&f, 1, 2, 0x02, 5);
	frame_fix_len(&f);
	assert_int_equal(parse(&f, &info), PKT_PARSE_BAD_L3);
}

static void
test_ipv6_ext_too_long(void **state)
{
	struct frame f;
	struct pkt_info info;
	int i;

	(void)state;
	/* 8 destination options headers: the longest chain we follow. */
	eth(&f, 0x86dd, 0, NULL);
	ipv6(&f, 60);
	for (i = 0; i < 7; i++)
		ext6(&f, 60, 0);
	ext6(&f, 17, 0);
	udp(&f, 1, 2, 0);
	frame_fix_len(&f);
	assert_int_equal(parse(&f, &info), PKT_PARSE_OK);
	assert_int_equal(info.sport, 1);

	/* 9: one too many. */
	eth(&f, 0x86dd, 0, NULL);
	ipv6(&f, 60);
	for (i = 0; i < 8; i++)
		ext6(&f, 60, 0);
	ext6(&f, 17, 0);
	udp(&f, 1, 2, 0);
	frame_fix_len(&f);
	assert_int_equal(parse(&f, &info), PKT_PARSE_TOO_MANY_HDRS);
}

static void
test_ipv6_fragments(void **state)
{
	struct frame f;
	struct pkt_info info;

	(void)state;
	/* First fragment: M=1, offset 0. */
	eth(&f, 0x86dd, 0, NULL);
	ipv6(&f, 44);
	frag6(&f, 17, 0, 1);
	udp(&f, 5353, 40000, 3000);
	put_zeros(&f, 32);
	frame_fix_len(&f);
	assert_int_equal(parse(&f, &info), PKT_PARSE_OK);
	assert_int_equal(info.flags, PKT_FLAG_FRAGMENT | PKT_FLAG_HAS_PORTS);
	assert_int_equal(info.proto, 17);
	assert_int_equal(info.l4_offset, 14 + 40 + 8);

	/* Later fragment after a hop-by-hop header. */
	eth(&f, 0x86dd, 0, NULL);
	ipv6(&f, 0);
	ext6(&f, 44, 0);
	frag6(&f, 6, 181, 1);
	put_zeros(&f, 40);
	frame_fix_len(&f);
	assert_int_equal(parse(&f, &info), PKT_PARSE_OK);
	assert_int_equal(info.flags, PKT_FLAG_FRAGMENT | PKT_FLAG_LATER_FRAG);
	assert_int_equal(info.proto, 6);
	assert_int_equal(info.sport, 0);
	assert_int_equal(info.l4_offset, 0);
	assert_int_equal(info.payload_offset, 0);

	/* Atomic fragment (RFC 6946): offset 0, M=0 is not a fragment. */
	eth(&f, 0x86dd, 0, NULL);
	ipv6(&f, 44);
	frag6(&f, 6, 0, 0);
	tcp(&f, 1, 2, 0x02, 5);
	frame_fix_len(&f);
	assert_int_equal(parse(&f, &info), PKT_PARSE_OK);
	assert_int_equal(info.flags, PKT_FLAG_HAS_PORTS);

	/* Fragment header cut short. */
	eth(&f, 0x86dd, 0, NULL);
	ipv6(&f, 44);
	put_zeros(&f, 7);
	frame_fix_len(&f);
	assert_int_equal(parse(&f, &info), PKT_PARSE_TRUNC_L3);
}

static void
test_result_names(void **state)
{
	(void)state;
	assert_string_equal(pkt_parse_result_name(PKT_PARSE_OK), "ok");
	assert_string_equal(pkt_parse_result_name(PKT_PARSE_NOT_IP), "not_ip");
	assert_string_equal(pkt_parse_result_name(PKT_PARSE_TRUNC_L2), "trunc_l2");
	assert_string_equal(pkt_parse_result_name(PKT_PARSE_TRUNC_L3), "trunc_l3");
	assert_string_equal(pkt_parse_result_name(PKT_PARSE_TRUNC_L4), "trunc_l4");
	assert_string_equal(pkt_parse_result_name(PKT_PARSE_BAD_L3), "bad_l3");
	assert_string_equal(pkt_parse_result_name(PKT_PARSE_BAD_L4), "bad_l4");
	assert_string_equal(pkt_parse_result_name(PKT_PARSE_TOO_MANY_HDRS), "too_many_hdrs");
	assert_string_equal(pkt_parse_result_name(PKT_PARSE_RESULT_COUNT), "unknown");
	assert_string_equal(pkt_parse_result_name((enum pkt_parse_result) - 1), "unknown");
}

/* A failed parse must not leave stale fields from the previous packet. */
static void
test_info_reset(void **state)
{
	struct frame f;
	struct pkt_info info;

	(void)state;
	eth(&f, 0x0800, 1, tag_q100);
	ipv4(&f, 6, 0, 0);
	tcp(&f, 1, 2, 0x02, 5);
	frame_fix_len(&f);
	assert_int_equal(parse(&f, &info), PKT_PARSE_OK);
	assert_int_equal(pkt_parse(f.b, 10, &info), PKT_PARSE_TRUNC_L2);
	assert_int_equal(info.vlan, 0);
	assert_int_equal(info.flags, 0);
	assert_int_equal(info.sport, 0);
	assert_int_equal(info.family, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_trunc_l2),
	    cmocka_unit_test(test_not_ip),
	    cmocka_unit_test(test_vlan_single),
	    cmocka_unit_test(test_vlan_qinq),
	    cmocka_unit_test(test_vlan_too_many),
	    cmocka_unit_test(test_ipv4_tcp),
	    cmocka_unit_test(test_ipv4_options),
	    cmocka_unit_test(test_ipv4_padding),
	    cmocka_unit_test(test_ipv4_bad),
	    cmocka_unit_test(test_ipv4_trunc),
	    cmocka_unit_test(test_ipv4_fragments),
	    cmocka_unit_test(test_tcp_bad_doff),
	    cmocka_unit_test(test_udp),
	    cmocka_unit_test(test_sctp),
	    cmocka_unit_test(test_icmp),
	    cmocka_unit_test(test_other_proto),
	    cmocka_unit_test(test_ipv6_tcp),
	    cmocka_unit_test(test_ipv6_bad_trunc),
	    cmocka_unit_test(test_ipv6_ext_chain),
	    cmocka_unit_test(test_ipv6_hbh_not_first),
	    cmocka_unit_test(test_ipv6_ext_too_long),
	    cmocka_unit_test(test_ipv6_fragments),
	    cmocka_unit_test(test_result_names),
	    cmocka_unit_test(test_info_reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
