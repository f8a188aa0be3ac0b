/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * extract_dns.c - QNAME of a DNS query (RFC 1035 sec. 4.1.1-4.1.4), over UDP
 * or TCP (RFC 1035 sec. 4.2.2 / RFC 7766 sec. 8: 2-byte length prefix).
 *
 * The worker also calls this for UDP ports other than 53, so the header is
 * checked first and cheaply: a query (QR 0), standard opcode, Z and RCODE 0,
 * at least one question. Random payloads fail there about 1023 times in 1024;
 * the name, then QTYPE/QCLASS present and a known QCLASS filter the rest.
 */
#include "extract_common.h"
#include "extract_dns.h"

#define DNS_LABEL_PTR 0xc0
#define DNS_LABEL_TYPE_MASK 0xc0

enum extract_result
extract_dns_name(const uint8_t *msg, uint32_t mlen, uint32_t off, struct extract_name *out,
		 uint32_t *end)
{
	uint32_t pos = off, run_start = off, wire = 0, after = 0;
	unsigned int hops = 0;

	extract_name_reset(out, EXTRACT_DNS);
	for (;;) {
		uint8_t c;

		if (pos >= mlen)
			goto truncated;
		c = msg[pos];
		if (c == 0) {
			/* Root label: the name ends. */
			if (hops == 0)
				after = pos + 1;
			break;
		}
		switch (c & DNS_LABEL_TYPE_MASK) {
		case 0:
			/* Length octet + label; the terminating zero still needs one octet. */
			wire += 1u + c;
			if (wire + 1 > EXTRACT_DNS_WIRE_MAX)
				goto malformed;
			if (c > mlen - pos - 1)
				goto truncated;
			if (out->len != 0) {
				if (out->len >= EXTRACT_URL_MAX)
					goto malformed;
				out->text[out->len++] = '.';
			}
			/* Inside a label a '.' is data: escaped, never a separator. */
			if (!extract_name_put_host(out, msg + pos + 1, c, false))
				goto malformed;
			pos += 1u + c;
			break;
		case DNS_LABEL_PTR: {
			uint32_t target;

			if (mlen - pos < 2)
				goto truncated;
			target = (uint32_t)(c & 0x3f) << 8 | msg[pos + 1];
			if (hops == 0)
				after = pos + 2;
			/* Strictly before the current run, never into the header: the run
			 * starts decrease at every hop, so chains end. */
			if (target >= run_start || target < EXTRACT_DNS_HDR_LEN ||
			    ++hops > EXTRACT_DNS_MAX_HOPS)
				goto malformed;
			pos = run_start = target;
			break;
		}
		default:
			/* 01: extended label types (RFC 6891 sec. 5), 10: reserved. */
			goto malformed;
		}
	}
	*end = after;
	return EXTRACT_OK;

truncated:
	extract_name_reset(out, EXTRACT_DNS);
	return EXTRACT_TRUNCATED;
malformed:
	extract_name_reset(out, EXTRACT_DNS);
	return EXTRACT_MALFORMED;
}

/* RFC 1035 sec. 3.2.4 / RFC 6895 sec. 3.3.2: IN, CH, HS, NONE, ANY. The top bit
 * of an mDNS question's class is the unicast-response flag (RFC 6762 sec. 5.4). */
static bool
dns_class_known(uint16_t qclass)
{
	switch (qclass & 0x7fff) {
	case 1:
	case 3:
	case 4:
	case 254:
	case 255:
		return true;
	default:
		return false;
	}
}

enum extract_result
extract_dns_qname(const uint8_t *payload, uint32_t len, bool tcp, struct extract_name *out)
{
	const uint8_t *msg = payload;
	uint32_t mlen = len, end;
	enum extract_result res;

	extract_name_reset(out, EXTRACT_DNS);
	if (tcp) {
		uint16_t msg_len;

		if (len < 2)
			return EXTRACT_NOT_APPLICABLE;
		msg_len = extract_rd16(payload);
		if (msg_len < EXTRACT_DNS_HDR_LEN)
			return EXTRACT_NOT_APPLICABLE;
		msg = payload + 2;
		/* One message: later pipelined ones are ignored; a message longer than
		 * the segment is read as far as it goes. */
		mlen = len - 2 < msg_len ? len - 2 : msg_len;
		if (mlen < EXTRACT_DNS_HDR_LEN)
			return EXTRACT_TRUNCATED;
	}
	if (mlen < EXTRACT_DNS_HDR_LEN)
		return EXTRACT_NOT_APPLICABLE;
	/* Byte 2: QR, opcode (4 bits), AA, TC, RD. Byte 3: RA, Z, AD, CD, RCODE (4 bits). */
	if ((msg[2] & 0xf8) != 0 || (msg[3] & 0x4f) != 0 || extract_rd16(msg + 4) == 0)
		return EXTRACT_NOT_APPLICABLE;

	res = extract_dns_name(msg, mlen, EXTRACT_DNS_HDR_LEN, out, &end);
	if (res != EXTRACT_OK)
		return res;
	if (mlen - end < 4) {
		extract_name_reset(out, EXTRACT_DNS);
		return EXTRACT_TRUNCATED;
	}
	if (!dns_class_known(extract_rd16(msg + end + 2))) {
		extract_name_reset(out, EXTRACT_DNS);
		return EXTRACT_MALFORMED;
	}
	return out->len == 0 ? EXTRACT_NO_NAME : EXTRACT_OK;
}
