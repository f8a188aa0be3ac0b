/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cidr_ranges.h - flatten CIDR prefixes (which either nest or are disjoint)
 * into sorted, non-overlapping ranges carrying the longest covering prefix's
 * value, and cut IPv4 ranges into per-/16 slices (snapshot_format.h).
 * Context: control process (snapshot builder).
 */
#ifndef IOCWIRE_CIDR_RANGES_H
#define IOCWIRE_CIDR_RANGES_H

#include <stddef.h>
#include <stdint.h>

#include "contract/snapshot_format.h"

typedef unsigned __int128 cidr_u128;

struct cidr_prefix {
	cidr_u128 start; /**< first address as a number */
	cidr_u128 end;   /**< last address, inclusive */
	uint32_t val;    /**< value stored for addresses it covers (non-zero) */
	uint8_t len;
};

struct cidr_range {
	cidr_u128 start; /**< the range runs to the next range's start */
	uint32_t val;    /**< 0: no prefix covers it */
};

/**
 * Sort @p prefixes in place and produce ranges (gaps included, adjacent
 * equal values merged) into a malloc'd array.
 * @return number of ranges, or -ENOMEM.
 */
long cidr_ranges_flatten(struct cidr_prefix *prefixes, size_t n, struct cidr_range **out);

/**
 * Cut IPv4 ranges at /16 boundaries for the buckets any prefix touches:
 * @p index gets SNAP_CIDR4_BUCKETS + 1 slice starts into @p *pieces.
 * @return number of pieces, or -ENOMEM.
 */
long cidr_ranges_index_v4(const struct cidr_range *r, size_t n, uint32_t *index,
			  struct snap_range4 **pieces);

#endif
