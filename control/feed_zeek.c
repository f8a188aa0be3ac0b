/* SPDX-License-Identifier: BSD-3-Clause */
/* feed_zeek.c - work in progress. */
#include <errno.h>

#include "feed_parsers.h"

int
feed_zeek_parse(struct feed_ctx *fc, const char *data, size_t len)
{
	(void)data;
	(void)len;
	feed_bad(fc, 0, 0, "zeek: parser not built yet");
	return -EINVAL;
}
