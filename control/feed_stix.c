/* SPDX-License-Identifier: BSD-3-Clause */
/* feed_stix.c - work in progress. */
#include <errno.h>

#include "feed_parsers.h"

int
feed_stix_parse(struct feed_ctx *fc, const char *data, size_t len)
{
	(void)data;
	(void)len;
	feed_bad(fc, 0, 0, "stix: parser not built yet");
	return -EINVAL;
}
