/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * compile.h - load a set of feeds and compile them into one snapshot blob,
 * reporting per feed what was read. A feed that cannot be used at all (unreadable,
 * unknown format, a bad line in strict mode) fails the whole compile, so a
 * broken feed never replaces a good snapshot. Context: control process.
 */
#ifndef IOCWIRE_COMPILE_H
#define IOCWIRE_COMPILE_H

#include <stdio.h>

#include "control_config.h"
#include "snapshot_build.h"

struct compile_result {
	void *blob;          /**< 64-byte aligned, free() it */
	size_t len;
	struct snapshot_build_stats build;
	size_t nb_bad;       /**< bad lines over all feeds */
	size_t nb_skipped;   /**< records of types iocwire does not match (hashes, ...) */
	size_t nb_expired;   /**< dropped: valid_until in the past */
	size_t nb_aged;      /**< dropped: last seen before the feed's max_age */
	size_t nb_removed;   /**< dropped: listed in a removal feed */
	uint64_t compile_ns;
};

/**
 * Parse every feed and build the snapshot with @p generation.
 * @param report where per-feed summaries and bad-line messages go (NULL: stderr)
 * @return 0, or a negative errno when a feed failed (then @p res->blob is NULL).
 */
int compile_feeds(const struct control_feed *feeds, unsigned nb_feeds, uint64_t generation,
		  FILE *report, struct compile_result *res);

/**
 * Same, applying @p excl: the response policy sets each indicator's action,
 * the exclusions and monitor_only go into the snapshot. @p excl may be NULL.
 */
int compile_feeds_excl(const struct control_feed *feeds, unsigned nb_feeds, uint64_t generation,
		       const struct exclusion_set *excl, FILE *report, struct compile_result *res);

/** A generation number from the wall clock (ns), so restarts keep increasing it. */
uint64_t compile_new_generation(void);

#endif
