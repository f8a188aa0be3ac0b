/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_stix_pattern.c - libFuzzer harness for the STIX patterning parser: the
 * input is one pattern. Checks what feed_stix.c relies on: a bounded number
 * of items, each an indicator with a value or a reason, offsets inside the
 * pattern, ports and protocols in range, and an error with a position.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stix_pattern.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_check(int ok, const char *what)
{
	if (ok)
		return;
	fprintf(stderr, "invariant broken: %s\n", what);
	abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct stix_pattern_error err;
	struct stix_pattern p;
	size_t i, nb_iocs = 0;
	char *copy;
	int rc;

	/* An exact-size heap copy, so ASan sees any read past the end. */
	copy = malloc(size ? size : 1);
	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	rc = stix_pattern_parse(copy, size, &p, &err);
	if (rc < 0) {
		fuzz_check(rc == -EINVAL, "only syntax errors");
		fuzz_check(err.offset <= size, "error offset inside the pattern");
		fuzz_check(err.reason[0] != '\0', "error has a reason");
		free(copy);
		return 0;
	}
	fuzz_check(p.nb_items >= 1 && p.nb_items <= STIX_PATTERN_MAX_ITEMS, "item count");
	for (i = 0; i < p.nb_items; i++) {
		const struct stix_pattern_item *it = &p.items[i];

		fuzz_check(it->offset < size, "item offset inside the pattern");
		if (it->type == IOCW_IOC_TYPE_COUNT) {
			fuzz_check(it->reason != NULL && it->reason[0] != '\0',
				   "skip has a reason");
			continue;
		}
		nb_iocs++;
		fuzz_check(it->type == IOCW_IOC_IP || it->type == IOCW_IOC_IP_PORT ||
			       it->type == IOCW_IOC_DOMAIN || it->type == IOCW_IOC_URL,
			   "indicator type");
		fuzz_check(it->value != NULL && it->value[0] != '\0' && strlen(it->value) < size,
			   "indicator value from the pattern");
		fuzz_check((it->type == IOCW_IOC_IP_PORT) == (it->port != 0), "port iff ip:port");
		fuzz_check(it->proto == 0 ||
			       (it->type == IOCW_IOC_IP_PORT &&
				(it->proto == 6 || it->proto == 17 || it->proto == 132)),
			   "protocol");
	}
	fuzz_check(nb_iocs == p.nb_iocs, "nb_iocs counts the indicators");
	stix_pattern_free(&p);
	free(copy);
	return 0;
}
