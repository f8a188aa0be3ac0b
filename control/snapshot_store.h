/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * snapshot_store.h - the compiled snapshots the control plane keeps: the
 * current one (also saved under the state directory, so a restarted control
 * plane resolves events of the snapshot the dataplane still runs, and sends a
 * new one only if it is newer) and a few older generations, so that events
 * produced just before a reload still resolve. Context: control process.
 */
#ifndef IOCWIRE_SNAPSHOT_STORE_H
#define IOCWIRE_SNAPSHOT_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "contract/snapshot.h"

#define SNAPSHOT_STORE_KEEP 8

struct snapshot_store {
	struct {
		void *blob;
		size_t len;
		struct snapshot_view view;
	} slot[SNAPSHOT_STORE_KEEP];
	unsigned next;
	int current; /**< slot of the newest snapshot, -1 when none */
	char path[512]; /**< state directory, "" when not persisted */
};

/** Empty store persisting to @p state_dir/snap-<generation>.snap (NULL or "": no persistence). */
void snapshot_store_init(struct snapshot_store *s, const char *state_dir);

/**
 * Take ownership of a blob (validated here) and make it current; it is also
 * written to the state file. 0 or -errno (the blob is freed on failure).
 */
int snapshot_store_add(struct snapshot_store *s, void *blob, size_t len, char *err, size_t errlen);

/** Load the snapshots a previous run saved (the newest becomes current). 0 when any loaded. */
int snapshot_store_load(struct snapshot_store *s, char *err, size_t errlen);

/** The snapshot of @p generation, or NULL when it is no longer kept. */
const struct snapshot_view *snapshot_store_find(const struct snapshot_store *s, uint64_t generation);

/** The newest snapshot, or NULL. */
const struct snapshot_view *snapshot_store_current(const struct snapshot_store *s);

/** Blob and length of the newest snapshot (for sending). */
int snapshot_store_current_blob(const struct snapshot_store *s, const void **blob, size_t *len);

void snapshot_store_release(struct snapshot_store *s);

#endif
