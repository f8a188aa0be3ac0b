/* SPDX-License-Identifier: BSD-3-Clause */
/* feed_iprep.c - work in progress. */
#include <errno.h>

#include "feed_parsers.h"

int
feed_iprep_parse(struct feed_ctx *fc, const char *data, size_t len)
{
	(void)data;
	(void)len;
	feed_bad(fc, 0, 0, "iprep: parser not built yet");
	return -EINVAL;
}
