/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * snapshot_build.h - compile indicators into a snapshot blob
 * (dataplane/contract/snapshot_format.h). Context: control process.
 */
#ifndef IOCWIRE_SNAPSHOT_BUILD_H
#define IOCWIRE_SNAPSHOT_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ioc.h"

struct snapshot_builder;

struct snapshot_build_stats {
	size_t nb_added;       /**< indicators accepted */
	size_t nb_merged;      /**< duplicates of an indicator already added (merged into it) */
	size_t nb_unsupported; /**< indicator types this build cannot match yet (counted, not compiled) */
	size_t nb_by_type[IOCW_IOC_TYPE_COUNT]; /**< accepted, per type */
	size_t nb_meta;        /**< distinct metadata records */
	size_t strings_bytes;  /**< size of the shared string pool */
};

/** New empty builder; NULL with errno = ENOMEM. */
struct snapshot_builder *snapshot_builder_new(void);

void snapshot_builder_free(struct snapshot_builder *b);

/**
 * Add one indicator (a feed_emit_fn: @p ctx is the builder). The same key
 * added twice keeps one entry: the record with the higher confidence wins, and
 * a "drop" action wins over "alert" at equal confidence.
 * @return 0, or -ENOMEM.
 */
int snapshot_builder_add(void *ctx, const struct ioc *ioc);

/**
 * Lay out the blob. @p blob is 64-byte aligned, to be released with free().
 * @return 0, or -ENOMEM.
 */
int snapshot_builder_finish(struct snapshot_builder *b, uint64_t generation, void **blob,
			    size_t *len);

/** URL indicators added from now on match requests that start with them (else: exact). */
void snapshot_builder_set_url_prefix(struct snapshot_builder *b, bool prefix);

struct exclusion_set;

/**
 * Compile exclusions and the monitor-only switch into the snapshot (strings
 * interned now, sections laid out by finish). 0 or -ENOMEM.
 */
int snapshot_builder_set_exclusions(struct snapshot_builder *b, const struct exclusion_set *excl);

/** Counters of what was added so far. */
void snapshot_builder_stats(const struct snapshot_builder *b, struct snapshot_build_stats *st);

#endif
