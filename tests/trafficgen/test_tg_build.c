/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The traffic generator's packet builder (tests/trafficgen/tg_build.c):
 * every frame parses with the dataplane's own parser and carries valid
 * checksums, the IOC flows are exactly the requested share and are exactly
 * the packets the real matcher matches, flows are distinct, runs are
 * reproducible, sizes follow the mix.
 */
#include <setjmp.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <cmocka.h>

#include "contract/snapshot.h"
#include "contract/snapshot_match.h"
#include "pkt_parse.h"
#include "snapshot_build.h"
#include "tg_build.h"

static struct tg_ioc test_iocs[3];

static void
make_iocs(void)
{
	memset(test_iocs, 0, sizeof(test_iocs));
	test_iocs[0].family = 4; /* 95.85.246.53:443, the seed IOC */
	inet_pton(AF_INET, "95.85.246.53", test_iocs[0].addr);
	test_iocs[0].port = 443;
	test_iocs[1].family = 4; /* 101.109.237.93, an ip IOC */
	inet_pton(AF_INET, "101.109.237.93", test_iocs[1].addr);
	test_iocs[2].family = 6; /* [2001:db8:bad::20]:8443 */
	inet_pton(AF_INET6, "2001:db8:bad::20", test_iocs[2].addr);
	test_iocs[2].port = 8443;
	test_iocs[2].proto = 17;
}

static void
base_config(struct tg_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	make_iocs();
	cfg->seed = 7;
	cfg->nb_flows = 1000;
	cfg->hit_rate = 0.1;
	cfg->ipv6_share = 0.25;
	cfg->sizes[0] = (struct tg_size){64, 1};
	cfg->nb_sizes = 1;
	cfg->iocs = test_iocs;
	cfg->nb_iocs = 3;
	memcpy(cfg->src_mac, "\x02\0\0\0\0\x01", 6);
	memcpy(cfg->dst_mac, "\x02\0\0\0\0\x02", 6);
}

static void
init_gen(struct tg_gen *g, const struct tg_config *cfg)
{
	char err[256] = "";

	if (tg_gen_init(g, cfg, err, sizeof(err)) != 0)
		fail_msg("tg_gen_init: %s", err);
}

/* Full ones'-complement sum over [p, p+len) plus @p sum; 0xffff means "checksum correct". */
static uint16_t
sum16(uint32_t sum, const uint8_t *p, size_t len)
{
	for (; len > 1; p += 2, len -= 2)
		sum += (uint32_t)p[0] << 8 | p[1];
	if (len)
		sum += (uint32_t)p[0] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

static void
check_checksums(const uint8_t *frame, uint16_t len, const struct pkt_info *pi)
{
	const uint8_t *l3 = frame + pi->l4_offset - (pi->family == 4 ? 20 : 40);
	uint16_t l4_len = (uint16_t)(len - pi->l4_offset);
	uint32_t pseudo;

	if (pi->family == 4) {
		assert_int_equal(sum16(0, l3, 20), 0xffff);
		pseudo = sum16(0, l3 + 12, 8);
	} else {
		pseudo = sum16(0, l3 + 8, 32);
	}
	pseudo += pi->proto + l4_len;
	assert_int_equal(sum16(pseudo, frame + pi->l4_offset, l4_len), 0xffff);
}

/* Every packet parses OK with the dataplane's parser and says what the flow says. */
static void
test_packets_parse_and_checksum(void **state)
{
	struct tg_config cfg;
	struct tg_gen g;
	uint8_t buf[TG_MAX_FRAME];

	(void)state;
	base_config(&cfg);
	cfg.vlan = 100;
	cfg.bidir = true;
	tg_parse_sizes(&cfg, TG_IMIX_DEFAULT);
	init_gen(&g, &cfg);
	for (uint64_t seq = 0; seq < 4 * cfg.nb_flows; seq++) {
		struct tg_pkt_desc d, d2;
		struct pkt_info pi;
		struct tg_flow f;
		uint16_t len = tg_build(&g, seq, buf, &d);

		tg_packet_desc(&g, seq, &d2);
		assert_int_equal(len, d.len);
		assert_int_equal(d2.len, d.len);
		assert_int_equal(d2.flow, d.flow);
		assert_int_equal(d2.reverse, d.reverse);
		assert_int_equal(d2.ioc_rank, d.ioc_rank);
		assert_int_equal(pkt_parse(buf, len, &pi), PKT_PARSE_OK);
		tg_flow_get(&g, d.flow, &f);
		assert_int_equal(pi.family, f.family);
		assert_int_equal(pi.proto, f.proto);
		assert_int_equal(pi.vlan, 100);
		assert_true(pi.flags & PKT_FLAG_HAS_PORTS);
		assert_int_equal(d.reverse, (seq / cfg.nb_flows) % 2 == 1);
		assert_memory_equal(pi.src, d.reverse ? f.dst : f.src, f.family == 4 ? 4 : 16);
		assert_memory_equal(pi.dst, d.reverse ? f.src : f.dst, f.family == 4 ? 4 : 16);
		assert_int_equal(pi.sport, d.reverse ? f.dport : f.sport);
		assert_int_equal(pi.dport, d.reverse ? f.sport : f.dport);
		if (f.proto == 6)
			assert_int_equal(pi.tcp_flags, 0x18);
		check_checksums(buf, len, &pi);
	}
}

/* The IOC flows are exactly round(flows * rate); the real matcher matches those and only those. */
static void
test_hit_rate_matches_matcher(void **state)
{
	struct snapshot_builder *b = snapshot_builder_new();
	struct snapshot_view view;
	struct tg_config cfg;
	struct tg_gen g;
	uint32_t nb_ioc = 0, used[3] = {0};
	void *blob;
	size_t len;
	char err[256];

	(void)state;
	base_config(&cfg);
	cfg.nb_flows = 10007; /* prime: the flow bijection must still cover every rank */
	cfg.hit_rate = 0.01;
	init_gen(&g, &cfg);
	assert_int_equal(g.nb_ioc_flows, 100);
	assert_non_null(b);
	for (int i = 0; i < 3; i++) {
		struct ioc ioc;
		char text[64];

		memset(&ioc, 0, sizeof(ioc));
		ioc.family = test_iocs[i].family;
		memcpy(ioc.addr, test_iocs[i].addr, 16);
		ioc.type = test_iocs[i].port ? IOCW_IOC_IP_PORT : IOCW_IOC_IP;
		ioc.port = test_iocs[i].port;
		ioc.proto = test_iocs[i].proto;
		snprintf(text, sizeof(text), "ioc%d", i);
		ioc.value = text;
		ioc.feed = "test";
		ioc.confidence = 100;
		assert_int_equal(snapshot_builder_add(b, &ioc), 0);
	}
	assert_int_equal(snapshot_builder_finish(b, 1, &blob, &len), 0);
	snapshot_builder_free(b);
	assert_int_equal(snapshot_open(&view, blob, len, err, sizeof(err)), 0);

	for (uint32_t fl = 0; fl < cfg.nb_flows; fl++) {
		struct snapshot_probe p = {0};
		struct snapshot_hit hit;
		struct tg_flow f;

		tg_flow_get(&g, fl, &f);
		p.family = f.family;
		p.proto = f.proto;
		p.has_ports = true;
		p.sport = f.sport;
		p.dport = f.dport;
		if (f.family == 4) {
			p.src4 = ntohl(*(const uint32_t *)f.src);
			p.dst4 = ntohl(*(const uint32_t *)f.dst);
		} else {
			memcpy(p.src6, f.src, 16);
			memcpy(p.dst6, f.dst, 16);
		}
		assert_int_equal(snapshot_match(&view, &p, &hit), f.ioc);
		if (f.ioc) {
			nb_ioc++;
			used[f.ioc_index]++;
			assert_true(f.ioc_rank < g.nb_ioc_flows);
			assert_int_equal(hit.side, IOCW_SIDE_DST);
			assert_int_equal(f.family, test_iocs[f.ioc_index].family);
			if (test_iocs[f.ioc_index].port)
				assert_int_equal(f.dport, test_iocs[f.ioc_index].port);
		}
	}
	assert_int_equal(nb_ioc, 100);
	for (int i = 0; i < 3; i++)
		assert_true(used[i] >= 33); /* the IOCs are used in turn */
	free(blob);
}

static int
cmp_flow(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct tg_flow));
}

/* Distinct flows are distinct 5-tuples; the same seed gives the same bytes, another seed others. */
static void
test_distinct_and_deterministic(void **state)
{
	enum { N = 20000 };
	struct tg_flow *flows = calloc(N, sizeof(*flows));
	struct tg_config cfg;
	struct tg_gen g, g2, g3;
	uint8_t a[TG_MAX_FRAME], b[TG_MAX_FRAME];
	int differ = 0;

	(void)state;
	assert_non_null(flows);
	base_config(&cfg);
	cfg.nb_flows = N;
	cfg.hit_rate = 0;
	init_gen(&g, &cfg);
	for (uint32_t i = 0; i < N; i++) {
		tg_flow_get(&g, i, &flows[i]);
		flows[i].ioc_rank = 0; /* compare the tuple only */
		flows[i].ioc_index = 0;
	}
	qsort(flows, N, sizeof(*flows), cmp_flow);
	for (uint32_t i = 1; i < N; i++)
		assert_int_not_equal(cmp_flow(&flows[i - 1], &flows[i]), 0);
	free(flows);

	init_gen(&g2, &cfg);
	cfg.seed = 8;
	init_gen(&g3, &cfg);
	for (uint64_t seq = 0; seq < 1000; seq++) {
		struct tg_pkt_desc d;
		uint16_t la = tg_build(&g, seq, a, &d), lb = tg_build(&g2, seq, b, &d);

		assert_int_equal(la, lb);
		assert_memory_equal(a, b, la);
		lb = tg_build(&g3, seq, b, &d);
		differ += la != lb || memcmp(a, b, la) != 0;
	}
	assert_true(differ > 990);
}

/* 64-byte frames hold 60 bytes (IPv6+TCP needs 74); the IMIX follows its 7:4:1 weights. */
static void
test_sizes(void **state)
{
	struct tg_config cfg;
	struct tg_gen g;
	uint64_t n64 = 0, n594 = 0, n1518 = 0, total = 120000;

	(void)state;
	base_config(&cfg);
	cfg.hit_rate = 0;
	init_gen(&g, &cfg);
	for (uint64_t seq = 0; seq < 1000; seq++) {
		struct tg_pkt_desc d;
		struct tg_flow f;

		tg_packet_desc(&g, seq, &d);
		tg_flow_get(&g, d.flow, &f);
		assert_int_equal(d.len, f.family == 4 ? 60 : (f.proto == 6 ? 74 : 62));
	}
	assert_int_equal(tg_parse_sizes(&cfg, TG_IMIX_DEFAULT), 0);
	cfg.ipv6_share = 0;
	init_gen(&g, &cfg);
	for (uint64_t seq = 0; seq < total; seq++) {
		struct tg_pkt_desc d;

		tg_packet_desc(&g, seq, &d);
		n64 += d.len == 60;
		n594 += d.len == 590;
		n1518 += d.len == 1514;
	}
	assert_int_equal(n64 + n594 + n1518, total);
	assert_in_range(n64, total * 7 / 12 * 98 / 100, total * 7 / 12 * 102 / 100);
	assert_in_range(n594, total * 4 / 12 * 97 / 100, total * 4 / 12 * 103 / 100);
	assert_in_range(n1518, total / 12 * 95 / 100, total / 12 * 105 / 100);
}

static void
test_config_errors(void **state)
{
	struct tg_config cfg;
	struct tg_gen g;
	char err[256];

	(void)state;
	base_config(&cfg);
	assert_int_equal(tg_parse_sizes(&cfg, "64:7,594:4,1518:1"), 0);
	assert_int_equal(cfg.nb_sizes, 3);
	assert_int_equal(tg_parse_sizes(&cfg, "63"), -EINVAL);
	assert_int_equal(tg_parse_sizes(&cfg, "64:0"), -EINVAL);
	assert_int_equal(tg_parse_sizes(&cfg, "1523"), -EINVAL);
	assert_int_equal(tg_parse_sizes(&cfg, "64x"), -EINVAL);
	assert_int_equal(tg_parse_sizes(&cfg, ""), -EINVAL);

	base_config(&cfg);
	cfg.nb_flows = 0;
	assert_int_equal(tg_gen_init(&g, &cfg, err, sizeof(err)), -EINVAL);
	base_config(&cfg);
	cfg.nb_iocs = 0;
	assert_int_equal(tg_gen_init(&g, &cfg, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "needs IOC"));
	/* An IOC inside the generator's benign ranges would make benign flows match. */
	base_config(&cfg);
	inet_pton(AF_INET, "198.19.1.1", test_iocs[1].addr);
	assert_int_equal(tg_gen_init(&g, &cfg, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "198.18.0.0/15"));
	base_config(&cfg);
	cfg.hit_rate = 1.5;
	assert_int_equal(tg_gen_init(&g, &cfg, err, sizeof(err)), -EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_packets_parse_and_checksum),
		cmocka_unit_test(test_hit_rate_matches_matcher),
		cmocka_unit_test(test_distinct_and_deterministic),
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_config_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
