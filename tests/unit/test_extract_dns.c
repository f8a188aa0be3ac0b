/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_extract_dns.c - extract_dns_qname() and extract_dns_name() on
 * hand-built messages: header checks, TCP framing, every truncation point,
 * label 63/64, name 255/256, compression pointers (chains, loops, forward,
 * into the header, hop limit), escaping, and non-DNS payloads.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "put_bytes.h"

#include "extract.h"
#include "extract_dns.h"

struct msg {
	uint8_t b[4096];
	uint32_t len;
};

static void
header(struct msg *m, uint16_t flags, uint16_t qd, uint16_t an, uint16_t ns, uint16_t ar)
{
	memset(m, 0, sizeof(*m));
	put16(m, 0x1a2b);
	put16(m, flags);
	put16(m, qd);
	put16(m, an);
	put16(m, ns);
	put16(m, ar);
}

/* Dotted name as labels (no compression), root label included. */
static void
name(struct msg *m, const char *dotted)
{
	const char *s = dotted;

	while (*s) {
		const char *dot = strchr(s, '.');
		size_t n = dot ? (size_t)(dot - s) : strlen(s);

		put8(m, (uint8_t)n);
		put_bytes(m, s, n);
		s += n;
		if (*s == '.')
			s++;
	}
	put8(m, 0);
}

static void
label(struct msg *m, const void *data, uint8_t n)
{
	put8(m, n);
	put_bytes(m, data, n);
}

static void
pointer(struct msg *m, uint16_t target)
{
	put16(m, (uint16_t)(0xc000 | target));
}

static void
question_tail(struct msg *m, uint16_t qtype, uint16_t qclass)
{
	put16(m, qtype);
	put16(m, qclass);
}

/* A standard A/IN query for @p dotted with RD set. */
static void
query(struct msg *m, const char *dotted)
{
	header(m, 0x0100, 1, 0, 0, 0);
	name(m, dotted);
	question_tail(m, 1, 1);
}

static enum extract_result
udp(const struct msg *m, struct extract_name *out)
{
	return extract_dns_qname(m->b, m->len, false, out);
}

static void
assert_name(const struct extract_name *out, const char *want)
{
	assert_int_equal(out->where, EXTRACT_DNS);
	assert_int_equal(out->len, strlen(want));
	assert_string_equal(out->text, want);
	assert_int_equal(out->truncated, 0);
}

static void
assert_empty(const struct extract_name *out)
{
	assert_int_equal(out->len, 0);
	assert_int_equal(out->text[0], '\0');
}

/* ---- plain queries -------------------------------------------------------- */

static void
test_simple_query(void **state)
{
	struct msg m;
	struct extract_name out;

	(void)state;
	query(&m, "www.Evil.EXAMPLE");
	assert_int_equal(udp(&m, &out), EXTRACT_OK);
	assert_name(&out, "www.evil.example");

	/* dig: RD + AD, one EDNS OPT record in the additional section. */
	header(&m, 0x0120, 1, 0, 0, 1);
	name(&m, "a.evil.example");
	question_tail(&m, 28, 1);
	put8(&m, 0);
	put16(&m, 41);
	put16(&m, 1232);
	put16(&m, 0);
	put16(&m, 0);
	put16(&m, 0);
	assert_int_equal(udp(&m, &out), EXTRACT_OK);
	assert_name(&out, "a.evil.example");

	/* Underscores and hyphens stay as they are. */
	query(&m, "_dmarc.x-y.evil.example");
	assert_int_equal(udp(&m, &out), EXTRACT_OK);
	assert_name(&out, "_dmarc.x-y.evil.example");
}

static void
test_root_name(void **state)
{
	struct msg m;
	struct extract_name out;

	(void)state;
	header(&m, 0x0000, 1, 0, 0, 0);
	put8(&m, 0);
	question_tail(&m, 2, 1); /* NS . (a priming query) */
	assert_int_equal(udp(&m, &out), EXTRACT_NO_NAME);
	assert_empty(&out);
}

static void
test_header_checks(void **state)
{
	static const struct {
		uint16_t flags, qd;
		enum extract_result want;
	} cases[] = {
	    {0x0100, 1, EXTRACT_OK},		 /* RD */
	    {0x0000, 1, EXTRACT_OK},		 /* iterative */
	    {0x0110, 1, EXTRACT_OK},		 /* RD + CD */
	    {0x0100, 2, EXTRACT_OK},		 /* two questions: the first */
	    {0x8180, 1, EXTRACT_NOT_APPLICABLE}, /* a response */
	    {0x8000, 1, EXTRACT_NOT_APPLICABLE}, /* QR alone */
	    {0x0800, 1, EXTRACT_NOT_APPLICABLE}, /* opcode 1 (IQUERY) */
	    {0x2800, 1, EXTRACT_NOT_APPLICABLE}, /* opcode 5 (UPDATE) */
	    {0x2000, 1, EXTRACT_NOT_APPLICABLE}, /* opcode 4 (NOTIFY) */
	    {0x0040, 1, EXTRACT_NOT_APPLICABLE}, /* Z */
	    {0x0001, 1, EXTRACT_NOT_APPLICABLE}, /* RCODE 1 */
	    {0x0100, 0, EXTRACT_NOT_APPLICABLE}, /* no question */
	};
	struct msg m;
	struct extract_name out;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		header(&m, cases[i].flags, cases[i].qd, 0, 0, 0);
		name(&m, "evil.example");
		question_tail(&m, 1, 1);
		if (udp(&m, &out) != cases[i].want)
			fail_msg("flags 0x%04x qd %u: got %s", cases[i].flags, cases[i].qd,
				 extract_result_name(udp(&m, &out)));
	}
	/* Shorter than a header: not DNS. */
	query(&m, "evil.example");
	for (uint32_t n = 0; n < 12; n++)
		assert_int_equal(extract_dns_qname(m.b, n, false, &out), EXTRACT_NOT_APPLICABLE);
}

static void
test_qclass(void **state)
{
	static const struct {
		uint16_t qclass;
		enum extract_result want;
	} cases[] = {
	    {1, EXTRACT_OK},	    {3, EXTRACT_OK},	    {4, EXTRACT_OK},
	    {255, EXTRACT_OK},	    {254, EXTRACT_OK},	    {0x8001, EXTRACT_OK}, /* mDNS QU */
	    {0, EXTRACT_MALFORMED}, {2, EXTRACT_MALFORMED}, {0x1234, EXTRACT_MALFORMED},
	};
	struct msg m;
	struct extract_name out;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		header(&m, 0x0000, 1, 0, 0, 0);
		name(&m, "printer.local");
		question_tail(&m, 12, cases[i].qclass);
		assert_int_equal(udp(&m, &out), cases[i].want);
		if (cases[i].want != EXTRACT_OK)
			assert_empty(&out);
	}
}

/* Every cut from the header's end to one byte short of QCLASS's end: TRUNCATED. */
static void
test_truncated_every_prefix(void **state)
{
	struct msg m;
	struct extract_name out;

	(void)state;
	query(&m, "a.evil.example");
	for (uint32_t n = 12; n < m.len; n++) {
		enum extract_result res = extract_dns_qname(m.b, n, false, &out);

		if (res != EXTRACT_TRUNCATED)
			fail_msg("%u of %u bytes: got %s", n, m.len, extract_result_name(res));
		assert_empty(&out);
	}
	assert_int_equal(extract_dns_qname(m.b, m.len, false, &out), EXTRACT_OK);
	/* Bytes after the question (other sections, padding) do not matter. */
	m.b[m.len] = 0xff;
	assert_int_equal(extract_dns_qname(m.b, m.len + 1, false, &out), EXTRACT_OK);
}

/* ---- TCP framing ---------------------------------------------------------- */

static void
tcp_frame(struct msg *t, const struct msg *m, uint16_t prefix)
{
	memset(t, 0, sizeof(*t));
	put16(t, prefix);
	put_bytes(t, m->b, m->len);
}

static void
test_tcp(void **state)
{
	struct msg m, t, two;
	struct extract_name out;

	(void)state;
	query(&m, "evil.example");
	tcp_frame(&t, &m, (uint16_t)m.len);
	assert_int_equal(extract_dns_qname(t.b, t.len, true, &out), EXTRACT_OK);
	assert_name(&out, "evil.example");
	/* The same bytes read as UDP: the length prefix is no DNS header. */
	assert_int_not_equal(extract_dns_qname(t.b, t.len, false, &out), EXTRACT_OK);

	/* Only the length prefix in this segment; or less than a header. */
	assert_int_equal(extract_dns_qname(t.b, 2, true, &out), EXTRACT_TRUNCATED);
	assert_int_equal(extract_dns_qname(t.b, 13, true, &out), EXTRACT_TRUNCATED);
	assert_int_equal(extract_dns_qname(t.b, 14, true, &out), EXTRACT_TRUNCATED);
	assert_int_equal(extract_dns_qname(t.b, 1, true, &out), EXTRACT_NOT_APPLICABLE);
	assert_int_equal(extract_dns_qname(t.b, 0, true, &out), EXTRACT_NOT_APPLICABLE);

	/* A message that says it is longer than the segment: read what is there. */
	tcp_frame(&t, &m, (uint16_t)(m.len + 300));
	assert_int_equal(extract_dns_qname(t.b, t.len, true, &out), EXTRACT_OK);
	assert_name(&out, "evil.example");

	/* The prefix bounds the message: a question beyond it is cut. */
	tcp_frame(&t, &m, (uint16_t)(m.len - 1));
	assert_int_equal(extract_dns_qname(t.b, t.len, true, &out), EXTRACT_TRUNCATED);

	/* A length under a header's size is not DNS. */
	tcp_frame(&t, &m, 11);
	assert_int_equal(extract_dns_qname(t.b, t.len, true, &out), EXTRACT_NOT_APPLICABLE);

	/* Two pipelined queries: the first one's name. */
	tcp_frame(&two, &m, (uint16_t)m.len);
	query(&m, "benign.example");
	put16(&two, (uint16_t)m.len);
	put_bytes(&two, m.b, m.len);
	assert_int_equal(extract_dns_qname(two.b, two.len, true, &out), EXTRACT_OK);
	assert_name(&out, "evil.example");
}

/* ---- label and name limits ------------------------------------------------ */

static void
test_label_63_64(void **state)
{
	uint8_t l63[63], l64[64];
	struct msg m;
	struct extract_name out;
	char want[128];

	(void)state;
	memset(l63, 'a', sizeof(l63));
	memset(l64, 'b', sizeof(l64));

	header(&m, 0x0100, 1, 0, 0, 0);
	label(&m, l63, 63);
	name(&m, "example");
	question_tail(&m, 1, 1);
	assert_int_equal(udp(&m, &out), EXTRACT_OK);
	snprintf(want, sizeof(want), "%.63s.example", (const char *)l63);
	assert_name(&out, want);

	/* 64 = 0x40: an extended label type (RFC 6891), not a length. */
	header(&m, 0x0100, 1, 0, 0, 0);
	label(&m, l64, 64);
	name(&m, "example");
	question_tail(&m, 1, 1);
	assert_int_equal(udp(&m, &out), EXTRACT_MALFORMED);
	assert_empty(&out);

	/* 0x80: reserved label type. */
	header(&m, 0x0100, 1, 0, 0, 0);
	put8(&m, 0x80);
	put8(&m, 1);
	put8(&m, 0);
	question_tail(&m, 1, 1);
	assert_int_equal(udp(&m, &out), EXTRACT_MALFORMED);
}

/* A name of exactly @p wire octets (length octets and root included). */
static void
name_of_wire_len(struct msg *m, uint32_t wire, char *text)
{
	uint8_t data[63];
	size_t tl = 0;

	memset(data, 'x', sizeof(data));
	header(m, 0x0100, 1, 0, 0, 0);
	wire -= 1; /* root */
	while (wire > 0) {
		uint8_t n = wire > 64 ? 63 : (uint8_t)(wire - 1);

		if (wire - (n + 1u) == 1) /* never leave a 1-octet remainder (an empty label) */
			n--;
		label(m, data, n);
		if (tl)
			text[tl++] = '.';
		memset(text + tl, 'x', n);
		tl += n;
		wire -= n + 1u;
	}
	text[tl] = '\0';
	put8(m, 0);
	question_tail(m, 1, 1);
}

static void
test_name_255_256(void **state)
{
	struct msg m;
	struct extract_name out;
	char text[400];

	(void)state;
	name_of_wire_len(&m, 255, text);
	assert_int_equal(m.len, 12 + 255 + 4);
	assert_int_equal(udp(&m, &out), EXTRACT_OK);
	assert_int_equal(out.len, 253); /* the longest name's text */
	assert_string_equal(out.text, text);

	name_of_wire_len(&m, 256, text);
	assert_int_equal(m.len, 12 + 256 + 4);
	assert_int_equal(udp(&m, &out), EXTRACT_MALFORMED);
	assert_empty(&out);
}

static void
test_escapes(void **state)
{
	static const uint8_t dotted[] = {'a', '.', 'b'};
	static const uint8_t odd[] = {'A', ' ', 0x00, 0xff, '\\', '*', '/', 0x7f};
	struct msg m;
	struct extract_name out;

	(void)state;
	/* One label "a.b" under evil.example is not a.b.evil.example. */
	header(&m, 0x0100, 1, 0, 0, 0);
	label(&m, dotted, 3);
	name(&m, "evil.example");
	question_tail(&m, 1, 1);
	assert_int_equal(udp(&m, &out), EXTRACT_OK);
	assert_name(&out, "a\\046b.evil.example");

	/* A label "x.evil" under "example": must not read as a subdomain of evil.example. */
	header(&m, 0x0100, 1, 0, 0, 0);
	label(&m, "x.evil", 6);
	name(&m, "example");
	question_tail(&m, 1, 1);
	assert_int_equal(udp(&m, &out), EXTRACT_OK);
	assert_name(&out, "x\\046evil.example");

	header(&m, 0x0100, 1, 0, 0, 0);
	label(&m, odd, sizeof(odd));
	name(&m, "example");
	question_tail(&m, 1, 1);
	assert_int_equal(udp(&m, &out), EXTRACT_OK);
	assert_name(&out, "a\\032\\000\\255\\092\\042\\047\\127.example");
}

/* The longest possible text: 250 label octets that all need an escape. */
static void
test_escape_worst_case(void **state)
{
	uint8_t ff[63];
	struct msg m;
	struct extract_name out;

	(void)state;
	memset(ff, 0xff, sizeof(ff));
	header(&m, 0x0100, 1, 0, 0, 0);
	label(&m, ff, 63);
	label(&m, ff, 63);
	label(&m, ff, 63);
	label(&m, ff, 61);
	put8(&m, 0);
	question_tail(&m, 1, 1);
	assert_int_equal(udp(&m, &out), EXTRACT_OK);
	assert_int_equal(out.len, 250 * 4 + 3);
	assert_true(out.len <= EXTRACT_URL_MAX);
	assert_int_equal(out.text[out.len], '\0');
	assert_int_equal(strlen(out.text), out.len);
	assert_memory_equal(out.text, "\\255\\255", 8);
}

/* ---- compression pointers ------------------------------------------------- */

/*
 * Message body: question "example.com" at 12; then at @p at2 "www" + pointer
 * to 12; at @p at3 "a" + pointer to @p at2.
 */
static void
compressed(struct msg *m, uint32_t *at2, uint32_t *at3)
{
	header(m, 0x0100, 1, 0, 0, 0);
	name(m, "example.com");
	question_tail(m, 1, 1);
	*at2 = m->len;
	label(m, "www", 3);
	pointer(m, 12);
	*at3 = m->len;
	label(m, "a", 1);
	pointer(m, (uint16_t)*at2);
}

static void
test_pointers_followed(void **state)
{
	struct msg m;
	struct extract_name out;
	uint32_t at2, at3, end;

	(void)state;
	compressed(&m, &at2, &at3);
	assert_int_equal(extract_dns_name(m.b, m.len, at2, &out, &end), EXTRACT_OK);
	assert_name(&out, "www.example.com");
	assert_int_equal(end, at2 + 4 + 2);
	assert_int_equal(extract_dns_name(m.b, m.len, at3, &out, &end), EXTRACT_OK);
	assert_name(&out, "a.www.example.com");
	assert_int_equal(end, at3 + 2 + 2);
	/* A bare pointer as the whole name. */
	end = m.len;
	pointer(&m, (uint16_t)at3);
	assert_int_equal(extract_dns_name(m.b, m.len, end, &out, &end), EXTRACT_OK);
	assert_name(&out, "a.www.example.com");
	assert_int_equal(end, m.len);

	/* A pointer cut after its first octet; a target cut by the message end. */
	assert_int_equal(extract_dns_name(m.b, m.len - 1, m.len - 2, &out, &end),
			 EXTRACT_TRUNCATED);
	assert_int_equal(extract_dns_name(m.b, 20, at2, &out, &end), EXTRACT_TRUNCATED);
}

static void
test_pointer_loops(void **state)
{
	struct msg m;
	struct extract_name out;
	uint32_t a, b, end, self;

	(void)state;
	header(&m, 0x0100, 1, 0, 0, 0);
	name(&m, "example.com");
	question_tail(&m, 1, 1);

	/* Pointer to itself. */
	self = m.len;
	pointer(&m, (uint16_t)self);
	assert_int_equal(extract_dns_name(m.b, m.len, self, &out, &end), EXTRACT_MALFORMED);
	assert_empty(&out);

	/* Two names pointing at each other: A = "x" -> B, B = "y" -> A. */
	a = m.len;
	label(&m, "x", 1);
	pointer(&m, 0); /* patched below */
	b = m.len;
	label(&m, "y", 1);
	pointer(&m, (uint16_t)a);
	m.b[a + 2] = (uint8_t)(0xc0 | b >> 8);
	m.b[a + 3] = (uint8_t)b;
	assert_int_equal(extract_dns_name(m.b, m.len, a, &out, &end), EXTRACT_MALFORMED);
	assert_int_equal(extract_dns_name(m.b, m.len, b, &out, &end), EXTRACT_MALFORMED);

	/* "z" then a pointer back to its own first label: a loop inside one name. */
	a = m.len;
	label(&m, "z", 1);
	pointer(&m, (uint16_t)a);
	assert_int_equal(extract_dns_name(m.b, m.len, a, &out, &end), EXTRACT_MALFORMED);

	/* Forward pointer. */
	a = m.len;
	pointer(&m, (uint16_t)(a + 2));
	name(&m, "later.example");
	assert_int_equal(extract_dns_name(m.b, m.len, a, &out, &end), EXTRACT_MALFORMED);

	/* Into the header. */
	a = m.len;
	pointer(&m, 4);
	assert_int_equal(extract_dns_name(m.b, m.len, a, &out, &end), EXTRACT_MALFORMED);
}

/* In the first question nothing precedes the name but the header: no valid pointer. */
static void
test_pointer_in_first_qname(void **state)
{
	struct msg m;
	struct extract_name out;

	(void)state;
	header(&m, 0x0100, 1, 0, 0, 0);
	label(&m, "www", 3);
	pointer(&m, 12); /* back to its own start: a loop */
	question_tail(&m, 1, 1);
	assert_int_equal(udp(&m, &out), EXTRACT_MALFORMED);

	header(&m, 0x0100, 1, 0, 0, 0);
	pointer(&m, 0); /* the header */
	question_tail(&m, 1, 1);
	assert_int_equal(udp(&m, &out), EXTRACT_MALFORMED);

	header(&m, 0x0100, 1, 0, 0, 0);
	pointer(&m, 14); /* forward */
	name(&m, "evil.example");
	question_tail(&m, 1, 1);
	assert_int_equal(udp(&m, &out), EXTRACT_MALFORMED);
}

/* A chain of @p hops pointers, each to the previous, the first to the question. */
static uint32_t
pointer_chain(struct msg *m, unsigned hops)
{
	uint32_t prev = 12;

	header(m, 0x0100, 1, 0, 0, 0);
	name(m, "evil.example");
	question_tail(m, 1, 1);
	for (unsigned i = 0; i < hops; i++) {
		uint32_t here = m->len;

		pointer(m, (uint16_t)prev);
		prev = here;
	}
	return prev;
}

static void
test_pointer_hop_limit(void **state)
{
	struct msg m;
	struct extract_name out;
	uint32_t start, end;

	(void)state;
	start = pointer_chain(&m, 1);
	assert_int_equal(extract_dns_name(m.b, m.len, start, &out, &end), EXTRACT_OK);
	assert_name(&out, "evil.example");

	start = pointer_chain(&m, EXTRACT_DNS_MAX_HOPS);
	assert_int_equal(extract_dns_name(m.b, m.len, start, &out, &end), EXTRACT_OK);
	assert_name(&out, "evil.example");
	assert_int_equal(end, start + 2);

	start = pointer_chain(&m, EXTRACT_DNS_MAX_HOPS + 1);
	assert_int_equal(extract_dns_name(m.b, m.len, start, &out, &end), EXTRACT_MALFORMED);
}

/* Pointers do not let a name grow past 255 octets. */
static void
test_pointer_name_too_long(void **state)
{
	uint8_t data[63];
	struct msg m;
	struct extract_name out;
	uint32_t prev = 12, end;

	(void)state;
	memset(data, 'q', sizeof(data));
	header(&m, 0x0100, 1, 0, 0, 0);
	name(&m, "example");
	question_tail(&m, 1, 1);
	/* Each new name: a 63-octet label + pointer to the previous one. */
	for (int i = 0; i < 4; i++) {
		uint32_t here = m.len;

		label(&m, data, 63);
		pointer(&m, (uint16_t)prev);
		prev = here;
	}
	/* 3 * 64 + 8 + 1 = 201 octets: fine. 4 * 64 + 9 = 265: too long. */
	assert_int_equal(extract_dns_name(m.b, m.len, prev, &out, &end), EXTRACT_MALFORMED);
	assert_empty(&out);
}

/* ---- not DNS -------------------------------------------------------------- */

static void
test_not_dns(void **state)
{
	static const char http[] = "GET /gate.php?id=1 HTTP/1.1\r\nHost: evil.example\r\n\r\n";
	static const uint8_t tls[] = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc,
				      0x03, 0x03, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77};
	struct extract_name out;
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	unsigned ok = 0;
	uint8_t buf[64];

	(void)state;
	assert_int_equal(extract_dns_qname((const uint8_t *)http, sizeof(http) - 1, false, &out),
			 EXTRACT_NOT_APPLICABLE);
	assert_int_equal(extract_dns_qname(tls, sizeof(tls), false, &out), EXTRACT_NOT_APPLICABLE);

	/* Random payloads: some may pass, but rarely, and nothing goes out of bounds. */
	for (int i = 0; i < 200000; i++) {
		for (size_t j = 0; j < sizeof(buf); j++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			buf[j] = (uint8_t)x;
		}
		if (extract_dns_qname(buf, (uint32_t)(x % sizeof(buf)), false, &out) == EXTRACT_OK)
			ok++;
	}
	assert_true(ok < 20);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_simple_query),
	    cmocka_unit_test(test_root_name),
	    cmocka_unit_test(test_header_checks),
	    cmocka_unit_test(test_qclass),
	    cmocka_unit_test(test_truncated_every_prefix),
	    cmocka_unit_test(test_tcp),
	    cmocka_unit_test(test_label_63_64),
	    cmocka_unit_test(test_name_255_256),
	    cmocka_unit_test(test_escapes),
	    cmocka_unit_test(test_escape_worst_case),
	    cmocka_unit_test(test_pointers_followed),
	    cmocka_unit_test(test_pointer_loops),
	    cmocka_unit_test(test_pointer_in_first_qname),
	    cmocka_unit_test(test_pointer_hop_limit),
	    cmocka_unit_test(test_pointer_name_too_long),
	    cmocka_unit_test(test_not_dns),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
