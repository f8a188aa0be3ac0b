/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_tls_hello.h - build TLS ClientHello records byte by byte for the
 * extractor tests, the reassembly tests and the bench (header-only, static).
 *
 *   struct tls_buf ext = {0}, rec;
 *   tls_ext_sni(&ext, "evil.example");
 *   tls_ext_raw(&ext, 0x002b, "\x02\x03\x04", 3);     // supported_versions
 *   tls_client_hello(&rec, &ext, &tls_hello_13);      // one record
 */
#ifndef IOCWIRE_TEST_TLS_HELLO_H
#define IOCWIRE_TEST_TLS_HELLO_H

#include <stdint.h>
#include <string.h>

struct tls_buf {
	uint8_t b[20000];
	uint32_t len;
};

struct tls_hello_opts {
	uint16_t rec_version; /* record layer version */
	uint16_t cli_version; /* ClientHello legacy_version */
	uint8_t sid_len;      /* session id length (<= 32 valid) */
	uint16_t nb_suites;   /* cipher suites */
	uint8_t nb_comp;      /* compression methods */
	int no_extensions;    /* omit the extensions block altogether */
};

static const struct tls_hello_opts tls_hello_12 = {0x0301, 0x0303, 0, 20, 1, 0};
static const struct tls_hello_opts tls_hello_13 = {0x0301, 0x0303, 32, 17, 1, 0};

static inline void
tls_put8(struct tls_buf *b, uint8_t v)
{
	b->b[b->len++] = v;
}

static inline void
tls_put16(struct tls_buf *b, uint16_t v)
{
	tls_put8(b, (uint8_t)(v >> 8));
	tls_put8(b, (uint8_t)v);
}

static inline void
tls_put24(struct tls_buf *b, uint32_t v)
{
	tls_put8(b, (uint8_t)(v >> 16));
	tls_put16(b, (uint16_t)v);
}

static inline void
tls_put(struct tls_buf *b, const void *p, uint32_t n)
{
	memcpy(b->b + b->len, p, n);
	b->len += n;
}

/* One extension of @p type with @p n bytes of data. */
static inline void
tls_ext_raw(struct tls_buf *ext, uint16_t type, const void *data, uint32_t n)
{
	tls_put16(ext, type);
	tls_put16(ext, (uint16_t)n);
	tls_put(ext, data, n);
}

/* server_name with one host_name entry of @p n bytes. */
static inline void
tls_ext_sni_n(struct tls_buf *ext, const void *name, uint32_t n)
{
	tls_put16(ext, 0);
	tls_put16(ext, (uint16_t)(n + 5));
	tls_put16(ext, (uint16_t)(n + 3));
	tls_put8(ext, 0);
	tls_put16(ext, (uint16_t)n);
	tls_put(ext, name, n);
}

static inline void
tls_ext_sni(struct tls_buf *ext, const char *name)
{
	tls_ext_sni_n(ext, name, (uint32_t)strlen(name));
}

/* A browser-like set of extensions around the SNI (or none if @p sni is NULL). */
static inline void
tls_ext_typical(struct tls_buf *ext, const char *sni, int tls13)
{
	static const uint8_t groups[] = {0x00, 0x08, 0x00, 0x1d, 0x00,
					 0x17, 0x00, 0x18, 0x00, 0x19};
	static const uint8_t alpn[] = {0x00, 0x0c, 0x02, 'h', '2', 0x08, 'h',
				       't',  't',  'p',	 '/', '1', '.',	 '1'};
	static const uint8_t sigalgs[] = {0x00, 0x08, 0x04, 0x03, 0x08,
					  0x04, 0x04, 0x01, 0x05, 0x03};
	static const uint8_t versions[] = {0x04, 0x03, 0x04, 0x03, 0x03};
	uint8_t share[2 + 4 + 32];

	tls_ext_raw(ext, 0xff01, "\x00", 1); /* renegotiation_info */
	tls_ext_raw(ext, 0x0017, "", 0);     /* extended_master_secret */
	if (sni)
		tls_ext_sni(ext, sni);
	tls_ext_raw(ext, 0x000a, groups, sizeof(groups));
	tls_ext_raw(ext, 0x000b, "\x01\x00", 2); /* ec_point_formats */
	tls_ext_raw(ext, 0x0023, "", 0);	 /* session_ticket */
	tls_ext_raw(ext, 0x0010, alpn, sizeof(alpn));
	tls_ext_raw(ext, 0x0005, "\x01\x00\x00\x00\x00", 5); /* status_request */
	tls_ext_raw(ext, 0x000d, sigalgs, sizeof(sigalgs));
	if (tls13) {
		share[0] = 0;
		share[1] = 36;
		share[2] = 0x00;
		share[3] = 0x1d;
		share[4] = 0;
		share[5] = 32;
		for (int i = 0; i < 32; i++)
			share[6 + i] = (uint8_t)(i * 7 + 1);
		tls_ext_raw(ext, 0x0033, share, sizeof(share));
		tls_ext_raw(ext, 0x002b, versions, sizeof(versions));
		tls_ext_raw(ext, 0x002d, "\x01\x01", 2); /* psk_key_exchange_modes */
	}
}

/* The ClientHello handshake message (4-byte header + body). */
static inline void
tls_hello_message(struct tls_buf *hs, const struct tls_buf *ext, const struct tls_hello_opts *o)
{
	uint32_t body_at;

	hs->len = 0;
	tls_put8(hs, 1);
	tls_put24(hs, 0); /* patched */
	body_at = hs->len;
	tls_put16(hs, o->cli_version);
	for (int i = 0; i < 32; i++)
		tls_put8(hs, (uint8_t)(0xa0 + i));
	tls_put8(hs, o->sid_len);
	for (int i = 0; i < o->sid_len; i++)
		tls_put8(hs, (uint8_t)(0x50 + i));
	tls_put16(hs, (uint16_t)(2 * o->nb_suites));
	for (int i = 0; i < o->nb_suites; i++)
		tls_put16(hs, (uint16_t)(0x1301 + i));
	tls_put8(hs, o->nb_comp);
	for (int i = 0; i < o->nb_comp; i++)
		tls_put8(hs, 0);
	if (!o->no_extensions) {
		tls_put16(hs, (uint16_t)ext->len);
		tls_put(hs, ext->b, ext->len);
	}
	hs->b[1] = (uint8_t)((hs->len - body_at) >> 16);
	hs->b[2] = (uint8_t)((hs->len - body_at) >> 8);
	hs->b[3] = (uint8_t)(hs->len - body_at);
}

/* The message split into records of at most @p frag bytes of fragment each. */
static inline void
tls_records(struct tls_buf *out, const struct tls_buf *hs, uint16_t rec_version, uint32_t frag)
{
	out->len = 0;
	for (uint32_t off = 0; off < hs->len; off += frag) {
		uint32_t n = hs->len - off < frag ? hs->len - off : frag;

		tls_put8(out, 22);
		tls_put16(out, rec_version);
		tls_put16(out, (uint16_t)n);
		tls_put(out, hs->b + off, n);
	}
}

/* A ClientHello in one record. */
static inline void
tls_client_hello(struct tls_buf *out, const struct tls_buf *ext, const struct tls_hello_opts *o)
{
	static struct tls_buf hs;

	tls_hello_message(&hs, ext, o);
	tls_records(out, &hs, o->rec_version, 16384);
}

#endif
