/* SPDX-License-Identifier: BSD-3-Clause */
/* feed_misp.c - MISP event JSON and MISP feed directories (work in progress). */
#include <errno.h>

#include "feed_parsers.h"

int
feed_misp_parse(struct feed_ctx *fc, const char *data, size_t len)
{
	(void)data;
	(void)len;
	feed_bad(fc, 0, 0, "misp: parser not built yet");
	return -EINVAL;
}

int
feed_misp_feed_parse(struct feed_ctx *fc, const char *data, size_t len)
{
	return feed_misp_parse(fc, data, len);
}
