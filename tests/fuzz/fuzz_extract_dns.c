/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_extract_dns.c - libFuzzer harness for extract_dns_qname() and
 * extract_dns_name(). Input: byte 0 bit 0 = TCP framing, byte 1 = the offset
 * at which extract_dns_name() also decodes a name, then the payload. Checks
 * memory safety (exact-size heap copy under ASan), the extract_name contract,
 * the text form of names, and determinism.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "extract_dns.h"
#include "fuzz_extract_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_dns_text(const struct extract_name *n)
{
	fuzz_check_host_text(n, 0);
	/* Labels are never empty: no leading, trailing or double dot. */
	if (n->len > 0) {
		fuzz_check(n->text[0] != '.' && n->text[n->len - 1] != '.');
		fuzz_check(strstr(n->text, "..") == NULL);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct extract_name out, again;
	enum extract_result res;
	uint32_t len, off, end = 0;
	uint8_t *copy;
	bool tcp;

	if (size < 2 || size > 70000)
		return 0;
	tcp = data[0] & 1;
	off = data[1];
	len = (uint32_t)(size - 2);
	copy = malloc(len ? len : 1);
	if (copy == NULL)
		return 0;
	memcpy(copy, data + 2, len);

	res = extract_dns_qname(copy, len, tcp, &out);
	fuzz_check_name(&out, EXTRACT_DNS, res);
	fuzz_check(res != EXTRACT_NEED_MORE);
	if (res == EXTRACT_OK) {
		fuzz_check(out.len > 0);
		check_dns_text(&out);
	}
	fuzz_check(extract_dns_qname(copy, len, tcp, &again) == res);
	fuzz_check(memcmp(out.text, again.text, out.len + 1u) == 0);

	if (off >= EXTRACT_DNS_HDR_LEN && off < len) {
		res = extract_dns_name(copy, len, off, &out, &end);
		fuzz_check_name(&out, EXTRACT_DNS, res);
		fuzz_check(res == EXTRACT_OK || res == EXTRACT_TRUNCATED ||
			   res == EXTRACT_MALFORMED);
		if (res == EXTRACT_OK) {
			fuzz_check(end > off && end <= len);
			check_dns_text(&out);
		}
	}
	free(copy);
	return 0;
}
