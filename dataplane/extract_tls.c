/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * extract_tls.c - server_name of a TLS ClientHello.
 *
 * Record layer: RFC 8446 sec. 5.1 / RFC 5246 sec. 6.2.1 (type 22, version
 * 0x0301-0x0304, length 1..2^14). Handshake: RFC 8446 sec. 4 / RFC 5246
 * sec. 7.4 (type 1, 24-bit length). ClientHello body: RFC 8446 sec. 4.1.2 /
 * RFC 5246 sec. 7.4.1.2. server_name: RFC 6066 sec. 3.
 *
 * A ClientHello is normally one record in one segment. It may also be split
 * over several records (legal, and a known trick against SNI filters): those
 * are gathered into a bounded stack buffer, off the common path. When the
 * payload ends before the ClientHello does, the answer is NEED_MORE and the
 * caller may join the next segment (tls_reasm.h).
 */
#include "extract_common.h"

#define TLS_CT_HANDSHAKE 22
#define TLS_HT_CLIENT_HELLO 1
#define TLS_REC_HLEN 5
#define TLS_HS_HLEN 4
#define TLS_REC_MAX 16384 /* 2^14: plaintext record limit */
#define TLS_RANDOM_LEN 32
#define TLS_SESSION_ID_MAX 32
#define TLS_EXT_SERVER_NAME 0
#define TLS_SNI_HOST_NAME 0
/* Largest ClientHello gathered from several records (post-quantum key shares
 * make ordinary ones about 1.8 KiB; 8 KiB leaves room). */
#define TLS_HELLO_MAX 8192

static bool
tls_version_ok(uint8_t major, uint8_t minor)
{
	return major == 3 && minor >= 1 && minor <= 4;
}

/* RFC 6066 sec. 3: ServerNameList, at most one name per name_type. */
static enum extract_result
tls_parse_sni(const uint8_t *b, uint32_t n, struct extract_name *out, bool *found)
{
	uint32_t pos = 2;

	if (n < 2 || extract_rd16(b) != n - 2 || n == 2)
		return EXTRACT_MALFORMED;
	while (pos < n) {
		uint8_t type;
		uint32_t nlen;

		if (n - pos < 3)
			return EXTRACT_MALFORMED;
		type = b[pos];
		nlen = extract_rd16(b + pos + 1);
		pos += 3;
		/* Every name type in use is opaque<1..2^16-1>, as OpenSSL and others assume. */
		if (nlen == 0 || nlen > n - pos)
			return EXTRACT_MALFORMED;
		if (type == TLS_SNI_HOST_NAME) {
			const uint8_t *name = b + pos;
			uint32_t text_len = nlen;

			if (*found || nlen > EXTRACT_NAME_MAX)
				return EXTRACT_MALFORMED;
			*found = true;
			/* "evil.example." names the same host as "evil.example". */
			if (text_len > 1 && name[text_len - 1] == '.')
				text_len--;
			if (!extract_name_put_host(out, name, text_len, true))
				return EXTRACT_MALFORMED;
		}
		pos += nlen;
	}
	return EXTRACT_OK;
}

/* ClientHello body (after the 4-byte handshake header), @p n bytes. */
static enum extract_result
tls_parse_client_hello(const uint8_t *b, uint32_t n, struct extract_name *out)
{
	uint32_t pos, len;
	bool sni_ext = false, host = false;

	/* legacy_version, random, session id length */
	if (n < 2 + TLS_RANDOM_LEN + 1)
		return EXTRACT_MALFORMED;
	if (!tls_version_ok(b[0], b[1]))
		return EXTRACT_NOT_APPLICABLE;
	pos = 2 + TLS_RANDOM_LEN;
	len = b[pos++];
	if (len > TLS_SESSION_ID_MAX || n - pos < len)
		return EXTRACT_MALFORMED;
	pos += len;
	/* cipher_suites<2..2^16-2> */
	if (n - pos < 2)
		return EXTRACT_MALFORMED;
	len = extract_rd16(b + pos);
	pos += 2;
	if (len < 2 || (len & 1) || n - pos < len)
		return EXTRACT_MALFORMED;
	pos += len;
	/* legacy_compression_methods<1..2^8-1> */
	if (n - pos < 1)
		return EXTRACT_MALFORMED;
	len = b[pos++];
	if (len < 1 || n - pos < len)
		return EXTRACT_MALFORMED;
	pos += len;
	/* No extensions at all (TLS 1.0-1.2 allow it): no name. */
	if (pos == n)
		return EXTRACT_NO_NAME;
	if (n - pos < 2 || extract_rd16(b + pos) != n - pos - 2)
		return EXTRACT_MALFORMED;
	pos += 2;
	while (pos < n) {
		uint16_t type;

		if (n - pos < 4)
			return EXTRACT_MALFORMED;
		type = extract_rd16(b + pos);
		len = extract_rd16(b + pos + 2);
		pos += 4;
		if (len > n - pos)
			return EXTRACT_MALFORMED;
		if (type == TLS_EXT_SERVER_NAME) {
			enum extract_result res;

			/* RFC 8446 sec. 4.2: one extension of each type at most. */
			if (sni_ext)
				return EXTRACT_MALFORMED;
			sni_ext = true;
			res = tls_parse_sni(b + pos, len, out, &host);
			if (res != EXTRACT_OK)
				return res;
		}
		pos += len;
	}
	return host ? EXTRACT_OK : EXTRACT_NO_NAME;
}

/*
 * The ClientHello continues past its first record: gather the fragments of
 * consecutive handshake records (RFC 8446 sec. 5.1: handshake messages may be
 * split over records, not interleaved with other types) into @p buf.
 */
static __attribute__((noinline)) enum extract_result
tls_gather_records(const uint8_t *p, uint32_t len, struct extract_name *out)
{
	uint8_t buf[TLS_HELLO_MAX];
	uint32_t off = 0, have = 0, need = 0;

	for (;;) {
		uint32_t rec_len, take, room;

		if (len - off < TLS_REC_HLEN)
			return EXTRACT_NEED_MORE;
		if (p[off] != TLS_CT_HANDSHAKE || !tls_version_ok(p[off + 1], p[off + 2]))
			return EXTRACT_MALFORMED;
		rec_len = extract_rd16(p + off + 3);
		if (rec_len == 0 || rec_len > TLS_REC_MAX)
			return EXTRACT_MALFORMED;
		off += TLS_REC_HLEN;
		take = len - off < rec_len ? len - off : rec_len;
		room = (need ? need : TLS_HELLO_MAX) - have;
		memcpy(buf + have, p + off, take < room ? take : room);
		have += take < room ? take : room;
		if (need == 0 && have >= TLS_HS_HLEN) {
			need = TLS_HS_HLEN + extract_rd24(buf + 1);
			if (need > TLS_HELLO_MAX)
				return EXTRACT_TRUNCATED;
			if (have > need)
				have = need;
		}
		if (need != 0 && have == need)
			return tls_parse_client_hello(buf + TLS_HS_HLEN, need - TLS_HS_HLEN, out);
		if (take < rec_len)
			return EXTRACT_NEED_MORE;
		off += rec_len;
	}
}

static enum extract_result
tls_sni(const uint8_t *p, uint32_t len, struct extract_name *out)
{
	uint32_t rec_len, hs_len;

	/* Cheap rejection first: most TCP payloads fail on byte 0. */
	if (len == 0 || p[0] != TLS_CT_HANDSHAKE)
		return EXTRACT_NOT_APPLICABLE;
	if ((len >= 2 && p[1] != 3) || (len >= 3 && !tls_version_ok(p[1], p[2])))
		return EXTRACT_NOT_APPLICABLE;
	/* A record header cut by the segment: the next one may complete it. */
	if (len < TLS_REC_HLEN + 1)
		return EXTRACT_NEED_MORE;
	if (p[TLS_REC_HLEN] != TLS_HT_CLIENT_HELLO)
		return EXTRACT_NOT_APPLICABLE;
	rec_len = extract_rd16(p + 3);
	if (rec_len == 0 || rec_len > TLS_REC_MAX)
		return EXTRACT_MALFORMED;
	if (rec_len >= TLS_HS_HLEN && len >= TLS_REC_HLEN + TLS_HS_HLEN) {
		hs_len = extract_rd24(p + TLS_REC_HLEN + 1);
		if (hs_len <= rec_len - TLS_HS_HLEN) {
			/* The common case: the whole ClientHello in the first record. */
			if (len - (TLS_REC_HLEN + TLS_HS_HLEN) < hs_len)
				return EXTRACT_NEED_MORE;
			return tls_parse_client_hello(p + TLS_REC_HLEN + TLS_HS_HLEN, hs_len, out);
		}
	}
	return tls_gather_records(p, len, out);
}

enum extract_result
extract_tls_sni(const uint8_t *payload, uint32_t len, struct extract_name *out)
{
	enum extract_result res;

	extract_name_reset(out, EXTRACT_TLS_SNI);
	res = tls_sni(payload, len, out);
	if (res != EXTRACT_OK)
		extract_name_reset(out, EXTRACT_TLS_SNI);
	return res;
}
