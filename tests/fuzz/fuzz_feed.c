/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_feed.c - libFuzzer harness for the feed parsers. The first byte picks
 * the format (low bits: auto or one of the formats) and strict mode (bit 7);
 * the rest is the feed. The sink checks the invariants every consumer of a
 * struct ioc relies on, and aborts when one is broken.
 *
 * clang -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -I dataplane -I control \
 *       tests/fuzz/fuzz_feed.c control/feed*.c control/ioc.c control/json.c -o fuzz_feed
 * ./fuzz_feed tests/fuzz/corpus/feed
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feed.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_check(int ok, const char *what, const struct ioc *ioc)
{
	if (ok)
		return;
	fprintf(stderr, "invariant broken: %s (value \"%s\")\n", what,
		ioc->value ? ioc->value : "(null)");
	abort();
}

static int
fuzz_sink(void *ctx, const struct ioc *ioc)
{
	int addr =
	    ioc->type == IOCW_IOC_IP || ioc->type == IOCW_IOC_IP_PORT || ioc->type == IOCW_IOC_CIDR;
	size_t len;

	(void)ctx;
	fuzz_check(ioc->value != NULL, "value is set", ioc);
	len = strlen(ioc->value);
	fuzz_check(len > 0 && len < IOC_VALUE_MAX, "value length", ioc);
	fuzz_check(ioc->type < IOCW_IOC_TYPE_COUNT, "type in range", ioc);
	fuzz_check(!addr || ioc->family == IOCW_FAMILY_V4 || ioc->family == IOCW_FAMILY_V6,
		   "family 4 or 6 for address types", ioc);
	fuzz_check(addr || ioc->family == 0, "family 0 for names", ioc);
	fuzz_check(ioc->type != IOCW_IOC_IP_PORT || ioc->port != 0, "ip:port has a port", ioc);
	fuzz_check(ioc->type == IOCW_IOC_IP_PORT || ioc->port == 0, "port only on ip:port", ioc);
	fuzz_check(ioc->type != IOCW_IOC_CIDR ||
		       ioc->prefix_len <= (ioc->family == IOCW_FAMILY_V4 ? 32 : 128),
		   "prefix length in range", ioc);
	fuzz_check(ioc->confidence >= -1 && ioc->confidence <= 100, "confidence -1..100", ioc);
	fuzz_check(ioc->feed != NULL && ioc->feed[0] != '\0', "feed name", ioc);
	fuzz_check(ioc->first_seen >= 0 && ioc->last_seen >= 0, "times not negative", ioc);
	/* Metadata strings must be readable. */
	fuzz_check(!ioc->malware || strlen(ioc->malware) < (1u << 20), "malware", ioc);
	fuzz_check(!ioc->threat || strlen(ioc->threat) < (1u << 20), "threat", ioc);
	fuzz_check(!ioc->reference || strlen(ioc->reference) < (1u << 20), "reference", ioc);
	fuzz_check(!ioc->tags || strlen(ioc->tags) < (1u << 20), "tags", ioc);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	struct feed_options opt = {0};
	struct feed_stats st;
	char *copy;

	if (size == 0)
		return 0;
	if (devnull == NULL)
		devnull = fopen("/dev/null", "w");
	opt.format = (enum feed_format)((data[0] & 0x7f) % FEED_FORMAT_COUNT);
	opt.strict = (data[0] & 0x80) != 0;
	opt.errors = devnull;
	/* An exact-size heap copy, so ASan sees any read past the end. */
	copy = malloc(size - 1 ? size - 1 : 1);
	if (copy == NULL)
		return 0;
	memcpy(copy, data + 1, size - 1);
	feed_load_buffer("fuzz", copy, size - 1, &opt, fuzz_sink, NULL, &st);
	if (st.nb_iocs > st.nb_lines)
		abort(); /* at most one indicator per line or record */
	free(copy);
	return 0;
}
