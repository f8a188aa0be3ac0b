/* SPDX-License-Identifier: BSD-3-Clause */
/* Snapshot builder, validator and lookups (contract/snapshot*.h, control/snapshot_build.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <cmocka.h>
#include <hs.h>

#include "contract/snapshot.h"
#include "contract/snapshot_match.h"
#include "snapshot_build.h"

static struct ioc
make_ioc(const char *addr, uint16_t port, int confidence, const char *malware)
{
	struct ioc ioc;

	memset(&ioc, 0, sizeof(ioc));
	if (inet_pton(AF_INET, addr, ioc.addr) == 1) {
		ioc.family = IOCW_FAMILY_V4;
	} else {
		assert_int_equal(inet_pton(AF_INET6, addr, ioc.addr), 1);
		ioc.family = IOCW_FAMILY_V6;
	}
	ioc.type = port ? IOCW_IOC_IP_PORT : IOCW_IOC_IP;
	ioc.port = port;
	ioc.value = addr;
	ioc.feed = "test-feed";
	ioc.malware = malware;
	ioc.threat = "botnet_cc";
	ioc.confidence = confidence;
	ioc.action = IOCW_ACTION_ALERT;
	return ioc;
}

struct built {
	void *blob;
	size_t len;
	struct snapshot_view view;
};

static void
build(struct built *out, const struct ioc *iocs, size_t n)
{
	struct snapshot_builder *b = snapshot_builder_new();
	char err[256];

	assert_non_null(b);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(snapshot_builder_add(b, &iocs[i]), 0);
	assert_int_equal(snapshot_builder_finish(b, 42, &out->blob, &out->len), 0);
	snapshot_builder_free(b);
	assert_int_equal(snapshot_open(&out->view, out->blob, out->len, err, sizeof(err)), 0);
}

static struct snapshot_probe
probe4(const char *src, uint16_t sport, const char *dst, uint16_t dport, uint8_t proto)
{
	struct snapshot_probe p = {.family = IOCW_FAMILY_V4, .proto = proto, .sport = sport, .dport = dport};
	struct in_addr a;

	p.has_ports = snapshot_proto_has_ioc_ports(proto);
	inet_pton(AF_INET, src, &a);
	p.src4 = ntohl(a.s_addr);
	inet_pton(AF_INET, dst, &a);
	p.dst4 = ntohl(a.s_addr);
	return p;
}

static struct snapshot_probe
probe6(const char *src, uint16_t sport, const char *dst, uint16_t dport)
{
	struct snapshot_probe p = {.family = IOCW_FAMILY_V6, .proto = 6, .sport = sport, .dport = dport,
				   .has_ports = true};

	inet_pton(AF_INET6, src, p.src6);
	inet_pton(AF_INET6, dst, p.dst6);
	return p;
}

static void
test_seed_ip_port(void **state)
{
	struct ioc iocs[] = {make_ioc("95.85.246.53", 443, 100, "NetSupportManager RAT"),
			     make_ioc("101.109.237.93", 7443, 75, "NetSupportManager RAT")};
	struct snapshot_probe p;
	struct snapshot_hit hit;
	struct built s;

	(void)state;
	build(&s, iocs, 2);
	assert_int_equal(s.view.generation, 42);
	assert_int_equal(s.view.hdr->nb_iocs, 2);

	p = probe4("10.0.0.1", 50000, "95.85.246.53", 443, 6);
	assert_true(snapshot_match(&s.view, &p, &hit));
	assert_int_equal(hit.side, IOCW_SIDE_DST);
	assert_int_equal(hit.kind, SNAP_KIND_PORT);
	assert_int_equal(s.view.meta[hit.meta].confidence, 100);
	assert_string_equal(snapshot_string(&s.view, s.view.meta[hit.meta].malware), "NetSupportManager RAT");

	/* The reply direction matches on the source endpoint. */
	p = probe4("101.109.237.93", 7443, "10.0.0.2", 40000, 17);
	assert_true(snapshot_match(&s.view, &p, &hit));
	assert_int_equal(hit.side, IOCW_SIDE_SRC);
	assert_int_equal(s.view.meta[hit.meta].confidence, 75);

	/* Same address, other port: no match. ICMP has no ports: no match. */
	p = probe4("10.0.0.1", 50000, "95.85.246.53", 80, 6);
	assert_false(snapshot_match(&s.view, &p, &hit));
	p = probe4("10.0.0.1", 0, "95.85.246.53", 0, 1);
	assert_false(snapshot_match(&s.view, &p, &hit));
	free(s.blob);
}

static void
test_ip_and_v6(void **state)
{
	struct ioc iocs[] = {make_ioc("198.51.100.7", 0, 50, "X"), make_ioc("2001:db8:bad::10", 0, 60, "Y"),
			     make_ioc("2001:db8:bad::20", 8443, 70, "Z")};
	struct snapshot_probe p;
	struct snapshot_hit hit;
	struct built s;

	(void)state;
	build(&s, iocs, 3);
	p = probe4("198.51.100.7", 22, "192.0.2.50", 50000, 6);
	assert_true(snapshot_match(&s.view, &p, &hit));
	assert_int_equal(hit.kind, SNAP_KIND_ADDR);
	assert_int_equal(hit.side, IOCW_SIDE_SRC);

	p = probe6("2001:db8:1::5", 40000, "2001:db8:bad::10", 5353);
	assert_true(snapshot_match(&s.view, &p, &hit));
	assert_int_equal(s.view.meta[hit.meta].confidence, 60);

	p = probe6("2001:db8:1::5", 40000, "2001:db8:bad::20", 8443);
	assert_true(snapshot_match(&s.view, &p, &hit));
	assert_int_equal(hit.kind, SNAP_KIND_PORT);
	p = probe6("2001:db8:1::5", 40000, "2001:db8:bad::20", 9999);
	assert_false(snapshot_match(&s.view, &p, &hit));
	p = probe6("2001:db8:1::5", 40000, "2001:db8:bad::21", 8443);
	assert_false(snapshot_match(&s.view, &p, &hit));
	free(s.blob);
}

static void
test_duplicates_merge_every_source(void **state)
{
	struct ioc iocs[] = {make_ioc("95.85.246.53", 443, 50, "A"), make_ioc("95.85.246.53", 443, 90, "B"),
			     make_ioc("95.85.246.54", 443, 90, "B"), make_ioc("95.85.246.53", 443, 10, "B")};
	struct snapshot_builder *b = snapshot_builder_new();
	struct snapshot_build_stats st;
	struct snapshot_probe p = probe4("10.0.0.1", 1, "95.85.246.53", 443, 6);
	struct snapshot_hit hit;
	const struct snap_meta *m;
	struct built s;

	(void)state;
	iocs[0].feed = "threatfox";
	iocs[1].feed = "feodo";
	iocs[0].first_seen = 1000;
	iocs[1].first_seen = 500;
	iocs[1].last_seen = 2000;
	iocs[1].action = IOCW_ACTION_DROP;
	for (size_t i = 0; i < 4; i++)
		snapshot_builder_add(b, &iocs[i]);
	snapshot_builder_stats(b, &st);
	assert_int_equal(st.nb_added, 2);
	assert_int_equal(st.nb_merged, 2);
	snapshot_builder_free(b);

	build(&s, iocs, 4);
	assert_true(snapshot_match(&s.view, &p, &hit));
	m = &s.view.meta[hit.meta];
	/* Every source kept once, the highest confidence and its action, the widest time span. */
	assert_string_equal(snapshot_string(&s.view, m->malware), "A,B");
	assert_string_equal(snapshot_string(&s.view, m->feed), "threatfox,feodo,test-feed");
	assert_int_equal(m->confidence, 90);
	assert_int_equal(m->action, IOCW_ACTION_DROP);
	assert_int_equal(m->first_seen, 500);
	assert_int_equal(m->last_seen, 2000);
	/* The other address shares "B" at 90 untouched. */
	p = probe4("10.0.0.1", 1, "95.85.246.54", 443, 6);
	assert_true(snapshot_match(&s.view, &p, &hit));
	assert_string_equal(snapshot_string(&s.view, s.view.meta[hit.meta].malware), "B");
	free(s.blob);
}

static void
test_no_false_negatives_many(void **state)
{
	enum { N = 20000 };
	struct ioc *iocs = calloc(N, sizeof(*iocs));
	char (*text)[32] = calloc(N, 32);
	struct built s;
	size_t misses = 0, false_hits = 0;

	(void)state;
	for (size_t i = 0; i < N; i++) {
		snprintf(text[i], 32, "10.%zu.%zu.%zu", (i >> 16) & 255, (i >> 8) & 255, i & 255);
		iocs[i] = make_ioc(text[i], i % 2 ? 443 : 0, 80, "M");
	}
	build(&s, iocs, N);
	for (size_t i = 0; i < N; i++) {
		struct snapshot_probe p = probe4("192.0.2.1", 1234, text[i], 443, 6);
		struct snapshot_hit hit;

		misses += !snapshot_match(&s.view, &p, &hit);
		p = probe4("192.0.2.1", 1234, "172.16.0.1", (uint16_t)(i + 1), 6);
		false_hits += snapshot_match(&s.view, &p, &hit);
	}
	assert_int_equal(misses, 0);
	assert_int_equal(false_hits, 0);
	free(s.blob);
	free(iocs);
	free(text);
}

static void
test_validation_rejects_damage(void **state)
{
	struct ioc iocs[] = {make_ioc("95.85.246.53", 443, 100, "A")};
	struct snapshot_view v;
	char err[256];
	struct built s;
	uint8_t *copy;

	(void)state;
	build(&s, iocs, 1);
	copy = aligned_alloc(64, s.len + 64);

	/* Truncated. */
	memcpy(copy, s.blob, s.len);
	assert_int_equal(snapshot_open(&v, copy, s.len - 1, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "truncated"));
	assert_int_equal(snapshot_open(&v, copy, 10, err, sizeof(err)), -EINVAL);

	/* Bad magic. */
	memcpy(copy, s.blob, s.len);
	copy[0] = 'X';
	assert_int_equal(snapshot_open(&v, copy, s.len, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "magic"));

	/* Any flipped byte in the body is caught by the checksum. */
	for (size_t off = sizeof(struct snap_header); off < s.len; off += 97) {
		memcpy(copy, s.blob, s.len);
		copy[off] ^= 0x40;
		assert_int_equal(snapshot_open(&v, copy, s.len, err, sizeof(err)), -EINVAL);
		assert_non_null(strstr(err, "checksum"));
	}

	/* A section pointing outside the blob is refused even with a valid checksum. */
	memcpy(copy, s.blob, s.len);
	((struct snap_header *)copy)->sections[SNAP_SEC_META].offset = s.len + 64;
	((struct snap_header *)copy)->checksum = snapshot_checksum(copy, s.len);
	assert_int_equal(snapshot_open(&v, copy, s.len, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "out of bounds"));

	/* A value naming a metadata record that does not exist. */
	memcpy(copy, s.blob, s.len);
	{
		struct snap_header *h = (struct snap_header *)copy;
		uint32_t *vals = (uint32_t *)(copy + h->sections[SNAP_SEC_V4_VALS].offset);
		uint64_t *keys = (uint64_t *)(copy + h->sections[SNAP_SEC_V4_KEYS].offset);

		for (uint64_t i = 0; i < h->sections[SNAP_SEC_V4_KEYS].count; i++)
			if (keys[i] >> 62 == SNAP_KIND_PORT)
				vals[i] = 1000;
		h->checksum = snapshot_checksum(copy, s.len);
	}
	assert_int_equal(snapshot_open(&v, copy, s.len, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "bad key or value"));

	/* Unsupported version. */
	memcpy(copy, s.blob, s.len);
	((struct snap_header *)copy)->format_version = 99;
	assert_int_equal(snapshot_open(&v, copy, s.len, err, sizeof(err)), -EPROTO);
	free(copy);
	free(s.blob);
}

static void
test_unsupported_types_counted(void **state)
{
	struct snapshot_builder *b = snapshot_builder_new();
	struct snapshot_build_stats st;
	struct ioc d;

	(void)state;
	memset(&d, 0, sizeof(d));
	d.type = IOCW_IOC_URL;
	d.value = "https://evil.example/path";
	assert_int_equal(snapshot_builder_add(b, &d), 0);
	snapshot_builder_stats(b, &st);
	assert_int_equal(st.nb_unsupported, 1);
	assert_int_equal(st.nb_added, 0);
	snapshot_builder_free(b);
}

static struct ioc
make_cidr(const char *addr, uint8_t len, int confidence, const char *malware)
{
	struct ioc ioc = make_ioc(addr, 0, confidence, malware);

	ioc.type = IOCW_IOC_CIDR;
	ioc.prefix_len = len;
	return ioc;
}

static const char *
hit_malware(const struct built *s, const struct snapshot_probe *p, struct snapshot_hit *hit)
{
	if (!snapshot_match(&s->view, p, hit))
		return NULL;
	return snapshot_string(&s->view, s->view.meta[hit->meta].malware);
}

static void
test_cidr_longest_prefix_and_exact(void **state)
{
	struct ioc iocs[] = {
		make_cidr("10.0.0.0", 8, 50, "wide"),      make_cidr("10.1.0.0", 16, 60, "mid"),
		make_cidr("10.1.2.0", 24, 70, "narrow"),   make_ioc("10.1.2.3", 0, 90, "exact"),
		make_cidr("192.168.255.0", 24, 10, "edge"), make_cidr("2001:db8:bad::", 48, 40, "v6wide"),
		make_cidr("2001:db8:bad:1::", 64, 45, "v6narrow"),
	};
	struct snapshot_hit hit;
	struct snapshot_probe p;
	struct built s;

	(void)state;
	build(&s, iocs, sizeof(iocs) / sizeof(iocs[0]));
	p = probe4("192.0.2.1", 1, "10.9.9.9", 2, 6);
	assert_string_equal(hit_malware(&s, &p, &hit), "wide");
	assert_int_equal(hit.kind, SNAP_KIND_CIDR);
	assert_int_equal(hit.prefix_len, 8);
	p = probe4("192.0.2.1", 1, "10.1.255.255", 2, 6);
	assert_string_equal(hit_malware(&s, &p, &hit), "mid");
	p = probe4("10.1.2.200", 1, "192.0.2.1", 2, 6);
	assert_string_equal(hit_malware(&s, &p, &hit), "narrow");
	assert_int_equal(hit.side, IOCW_SIDE_SRC);
	assert_int_equal(hit.prefix_len, 24);
	/* An exact ip IOC inside the prefixes wins over them. */
	p = probe4("192.0.2.1", 1, "10.1.2.3", 2, 6);
	assert_string_equal(hit_malware(&s, &p, &hit), "exact");
	assert_int_equal(hit.kind, SNAP_KIND_ADDR);
	/* Just outside: 10.1.3.0 is back in the /16; 11.0.0.0 nowhere; the /24 edge exact. */
	p = probe4("192.0.2.1", 1, "10.1.3.0", 2, 6);
	assert_string_equal(hit_malware(&s, &p, &hit), "mid");
	p = probe4("192.0.2.1", 1, "11.0.0.0", 2, 6);
	assert_null(hit_malware(&s, &p, &hit));
	p = probe4("192.0.2.1", 1, "192.168.255.255", 2, 6);
	assert_string_equal(hit_malware(&s, &p, &hit), "edge");
	p = probe4("192.0.2.1", 1, "192.168.254.255", 2, 6);
	assert_null(hit_malware(&s, &p, &hit));

	p = probe6("2001:db8:1::5", 1, "2001:db8:bad:1::99", 2);
	assert_string_equal(hit_malware(&s, &p, &hit), "v6narrow");
	assert_int_equal(hit.prefix_len, 64);
	p = probe6("2001:db8:1::5", 1, "2001:db8:bad:2::1", 2);
	assert_string_equal(hit_malware(&s, &p, &hit), "v6wide");
	p = probe6("2001:db8:1::5", 1, "2001:db8:bae::", 2);
	assert_null(hit_malware(&s, &p, &hit));
	free(s.blob);
}

/* Random nested prefixes against a brute-force longest-prefix match. */
/* The first range of the snapshot does not start on a /16 boundary. */
static void
test_cidr_single_unaligned(void **state)
{
	struct ioc iocs[] = {make_cidr("95.85.246.0", 24, 50, "drop")};
	struct snapshot_hit hit;
	struct snapshot_probe p;
	struct built s;

	(void)state;
	build(&s, iocs, 1);
	p = probe4("10.0.0.1", 1, "95.85.246.53", 443, 6);
	assert_string_equal(hit_malware(&s, &p, &hit), "drop");
	p = probe4("10.0.0.1", 1, "95.85.245.255", 443, 6);
	assert_null(hit_malware(&s, &p, &hit));
	p = probe4("10.0.0.1", 1, "95.85.247.0", 443, 6);
	assert_null(hit_malware(&s, &p, &hit));
	free(s.blob);
}

static void
test_cidr_random_against_naive(void **state)
{
	enum { N = 400, PROBES = 20000 };
	struct ioc *iocs = calloc(N, sizeof(*iocs));
	char (*text)[20] = calloc(N, 20);
	uint32_t nets[N];
	uint8_t lens[N];
	unsigned seed = 12345;
	struct built s;

	(void)state;
	for (int i = 0; i < N; i++) {
		bool dup;

		/* Unique prefixes clustered in 10.0.0.0/12, so that they nest and overlap often. */
		do {
			lens[i] = (uint8_t)(8 + rand_r(&seed) % 24);
			nets[i] = (10u << 24 | ((uint32_t)rand_r(&seed) & 0x000fffff)) &
				  (0xffffffffu << (32 - lens[i]));
			dup = false;
			for (int j = 0; j < i; j++)
				dup |= nets[j] == nets[i] && lens[j] == lens[i];
		} while (dup);
		struct in_addr ia = {.s_addr = htonl(nets[i])};

		inet_ntop(AF_INET, &ia, text[i], 20);
		iocs[i] = make_cidr(text[i], lens[i], 50, text[i]);
	}
	build(&s, iocs, N);
	for (int k = 0; k < PROBES; k++) {
		uint32_t addr = 10u << 24 | ((uint32_t)rand_r(&seed) & 0x001fffff);
		int best = -1;
		char want[20];
		struct snapshot_hit hit;
		struct in_addr ia = {.s_addr = htonl(addr)};
		struct snapshot_probe p;
		const char *got;

		for (int i = 0; i < N; i++)
			if ((addr & (0xffffffffu << (32 - lens[i]))) == nets[i] &&
			    (best < 0 || lens[i] > lens[best]))
				best = i;
		inet_ntop(AF_INET, &ia, want, sizeof(want));
		p = probe4("192.0.2.1", 1, want, 2, 6);
		got = hit_malware(&s, &p, &hit);
		if (best < 0) {
			assert_null(got);
			continue;
		}
		assert_non_null(got);
		assert_string_equal(got, text[best]);
		assert_int_equal(hit.prefix_len, lens[best]);
	}
	free(s.blob);
	free(iocs);
	free(text);
}

static struct ioc
make_name(enum iocw_ioc_type type, const char *value, const char *malware)
{
	struct ioc ioc;

	memset(&ioc, 0, sizeof(ioc));
	ioc.type = type;
	ioc.value = value;
	ioc.feed = "names";
	ioc.malware = malware;
	ioc.confidence = 50;
	return ioc;
}

static const char *
domain_malware(const struct built *s, const char *name)
{
	const struct snap_name *e = snapshot_domain_match(&s->view, name, (unsigned)strlen(name));

	return e ? snapshot_string(&s->view, s->view.meta[e->val - 1].malware) : NULL;
}

static void
test_domains_exact_and_subdomains(void **state)
{
	struct ioc iocs[] = {make_name(IOCW_IOC_DOMAIN, "evil.example", "parent"),
			     make_name(IOCW_IOC_DOMAIN, "c2.evil.example", "child"),
			     make_name(IOCW_IOC_DOMAIN, "x.org", "x")};
	struct built s;

	(void)state;
	build(&s, iocs, 3);
	assert_string_equal(domain_malware(&s, "evil.example"), "parent");
	assert_string_equal(domain_malware(&s, "a.b.evil.example"), "parent");
	/* The most specific indicator wins. */
	assert_string_equal(domain_malware(&s, "c2.evil.example"), "child");
	assert_string_equal(domain_malware(&s, "x.c2.evil.example"), "child");
	assert_null(domain_malware(&s, "notevil.example"));
	assert_null(domain_malware(&s, "evil.example.com"));
	assert_null(domain_malware(&s, "example"));
	assert_string_equal(domain_malware(&s, "www.x.org"), "x");
	assert_null(domain_malware(&s, "xx.org"));
	free(s.blob);
}

struct url_hit {
	const struct snapshot_view *view;
	char what[64];
};

static int
on_url(unsigned id, unsigned long long from, unsigned long long to, unsigned flags, void *ctx)
{
	struct url_hit *h = ctx;

	(void)from, (void)to, (void)flags;
	snprintf(h->what, sizeof(h->what), "%s", snapshot_string(h->view, h->view->urls[id].str));
	return 1;
}

static const char *
url_match(hs_database_t *db, hs_scratch_t *scratch, struct url_hit *h, const char *url)
{
	h->what[0] = '\0';
	hs_scan(db, url, (unsigned)strlen(url), 0, scratch, on_url, h);
	return h->what;
}

static void
test_urls_exact_and_prefix(void **state)
{
	struct snapshot_builder *b = snapshot_builder_new();
	struct ioc exact = make_name(IOCW_IOC_URL, "http://evil.example/gate.php?id=1", "exact");
	struct ioc prefix = make_name(IOCW_IOC_URL, "http://bad.example/dl/", "prefix");
	struct ioc https = make_name(IOCW_IOC_URL, "https://evil.example/x", "https");
	hs_database_t *db = NULL;
	hs_scratch_t *scratch = NULL;
	struct snapshot_build_stats st;
	struct url_hit h;
	struct built s;
	char err[256];

	(void)state;
	snapshot_builder_add(b, &exact);
	snapshot_builder_set_url_prefix(b, true);
	snapshot_builder_add(b, &prefix);
	snapshot_builder_add(b, &https);
	snapshot_builder_stats(b, &st);
	assert_int_equal(st.nb_added, 2);
	assert_int_equal(st.nb_unsupported, 1); /* https paths are not visible on the wire */
	assert_int_equal(snapshot_builder_finish(b, 7, &s.blob, &s.len), 0);
	snapshot_builder_free(b);
	assert_int_equal(snapshot_open(&s.view, s.blob, s.len, err, sizeof(err)), 0);
	assert_int_equal(s.view.nb_urls, 2);
	assert_int_equal(hs_deserialize_database(s.view.url_hsdb, s.view.url_hsdb_size, &db), HS_SUCCESS);
	assert_int_equal(hs_alloc_scratch(db, &scratch), HS_SUCCESS);
	h.view = &s.view;
	assert_string_equal(url_match(db, scratch, &h, "http://evil.example/gate.php?id=1"),
			    "http://evil.example/gate.php?id=1");
	assert_string_equal(url_match(db, scratch, &h, "http://evil.example/gate.php?id=12"), "");
	assert_string_equal(url_match(db, scratch, &h, "http://bad.example/dl/payload.exe"),
			    "http://bad.example/dl/");
	assert_string_equal(url_match(db, scratch, &h, "http://bad.example/d"), "");
	assert_string_equal(url_match(db, scratch, &h, "http://x.example/?u=http://bad.example/dl/"), "");
	hs_free_scratch(scratch);
	hs_free_database(db);
	free(s.blob);
}

static void
test_crc32c_known_value(void **state)
{
	(void)state;
	/* RFC 3720 B.4 check value of "123456789". */
	assert_int_equal(snapshot_crc32c(0, "123456789", 9), 0xe3069283);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_ip_port),
		cmocka_unit_test(test_ip_and_v6),
		cmocka_unit_test(test_duplicates_merge_every_source),
		cmocka_unit_test(test_no_false_negatives_many),
		cmocka_unit_test(test_validation_rejects_damage),
		cmocka_unit_test(test_unsupported_types_counted),
		cmocka_unit_test(test_cidr_longest_prefix_and_exact),
		cmocka_unit_test(test_cidr_single_unaligned),
		cmocka_unit_test(test_cidr_random_against_naive),
		cmocka_unit_test(test_domains_exact_and_subdomains),
		cmocka_unit_test(test_urls_exact_and_prefix),
		cmocka_unit_test(test_crc32c_known_value),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
