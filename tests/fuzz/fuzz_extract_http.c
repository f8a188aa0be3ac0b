/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_extract_http.c - libFuzzer harness for extract_http_request(). Input:
 * one TCP payload. Checks memory safety (exact-size heap copy), the
 * extract_name contract of both outputs, the host's text form, the URL's
 * shape (scheme "://" host ...), and determinism.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_extract_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct extract_name host, url, host2, url2;
	enum extract_result res;
	uint32_t len = (uint32_t)size;
	uint8_t *copy;

	if (size > 70000)
		return 0;
	copy = malloc(len ? len : 1);
	if (copy == NULL)
		return 0;
	memcpy(copy, data, len);

	res = extract_http_request(copy, len, &host, &url);
	fuzz_check_name(&host, EXTRACT_HTTP_HOST, res);
	fuzz_check_name(&url, EXTRACT_HTTP_URL, res);
	fuzz_check(res != EXTRACT_NEED_MORE);
	if (res == EXTRACT_OK) {
		fuzz_check(host.len > 0 || url.len > 0);
		fuzz_check(host.len > 0); /* every OK request names a host */
		fuzz_check(!host.truncated);
		fuzz_check_host_text(&host, 1);
		if (url.len > 0) {
			const char *sep = strstr(url.text, "://");

			fuzz_check(sep != NULL && sep > url.text);
			/* The host follows the scheme (unless the URL was cut inside it). */
			fuzz_check(strncmp(sep + 3, host.text,
					   url.len - (size_t)(sep + 3 - url.text) < host.len
					       ? url.len - (size_t)(sep + 3 - url.text)
					       : host.len) == 0);
		}
	} else {
		fuzz_check(host.len == 0 && url.len == 0);
	}
	fuzz_check(extract_http_request(copy, len, &host2, &url2) == res);
	fuzz_check(host2.len == host.len && memcmp(host2.text, host.text, host.len) == 0);
	fuzz_check(url2.len == url.len && memcmp(url2.text, url.text, url.len) == 0);
	free(copy);
	return 0;
}
