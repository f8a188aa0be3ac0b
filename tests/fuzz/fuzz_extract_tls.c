/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_extract_tls.c - libFuzzer harness for extract_tls_sni(). Input: one
 * TCP payload. Checks memory safety (exact-size heap copy), the extract_name
 * contract and text form, determinism, and that bytes after a complete
 * ClientHello never change the answer.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_extract_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct extract_name out, again;
	enum extract_result res, res2;
	uint32_t len = (uint32_t)size;
	uint8_t *copy, *longer;

	if (size > 70000)
		return 0;
	copy = malloc(len ? len : 1);
	longer = malloc(len + 64u);
	if (copy == NULL || longer == NULL)
		goto out;
	memcpy(copy, data, len);

	res = extract_tls_sni(copy, len, &out);
	fuzz_check_name(&out, EXTRACT_TLS_SNI, res);
	if (res == EXTRACT_OK) {
		fuzz_check(out.len > 0 && out.len <= 4 * EXTRACT_NAME_MAX);
		fuzz_check_host_text(&out, 0);
	}
	if (len == 0 || copy[0] != 22)
		fuzz_check(res == EXTRACT_NOT_APPLICABLE);

	/* Trailing bytes: a decided answer stays; NEED_MORE may become anything. */
	memcpy(longer, copy, len);
	memset(longer + len, 0x5a, 64);
	res2 = extract_tls_sni(longer, len + 64u, &again);
	if (res != EXTRACT_NEED_MORE) {
		fuzz_check(res2 == res);
		fuzz_check(again.len == out.len && memcmp(again.text, out.text, out.len) == 0);
	}
	fuzz_check(extract_tls_sni(copy, len, &again) == res);
	fuzz_check(again.len == out.len && memcmp(again.text, out.text, out.len) == 0);
out:
	free(copy);
	free(longer);
	return 0;
}
