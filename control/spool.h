/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * spool.h - a bounded on-disk FIFO of records for one output, so that records
 * survive a collector outage and a restart of the control plane.
 *
 * A spool is a directory of segment files ("<seq>.seg", records as
 * {u32 length, u32 FNV-1a check, bytes}) and a "head" file with the position
 * of the first record not yet delivered. Reading moves a cursor; only
 * spool_commit() moves (and persists) the head, so records read but not known
 * to be delivered are read again after spool_rewind() or a restart
 * (at-least-once). When the spool is full, whole oldest segments are deleted
 * (drop oldest) or the new record is refused (drop newest); either way the
 * lost records are counted. Writes go to the page cache without fsync: a
 * record survives a crash of the process, not of the machine.
 * Context: control process main thread; not thread-safe.
 */
#ifndef IOCWIRE_SPOOL_H
#define IOCWIRE_SPOOL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "control_config.h"

/** Largest record a spool accepts. */
#define SPOOL_MAX_RECORD 65536

/** A position in the spool: segment, byte offset, record index in the segment. */
struct spool_pos {
	uint64_t seq;
	uint64_t off;
	uint64_t idx;
};

struct spool;

/**
 * Open (creating it and its parents if needed) the spool in @p dir, at most @p max_bytes of
 * segments. Records left by an earlier run are kept; a record cut by a crash
 * at the end of the last segment is discarded. NULL and errno set on failure,
 * with the reason in @p err.
 */
struct spool *spool_open(const char *dir, uint64_t max_bytes, enum delivery_drop drop, char *err,
			 size_t errlen);

/**
 * Append one record. 0; -ENOBUFS when the spool is full and the policy is
 * drop newest (the record is counted as dropped); -EMSGSIZE for a record over
 * SPOOL_MAX_RECORD or the spool size; -errno on a write error.
 */
int spool_push(struct spool *s, const void *data, size_t len);

/**
 * Copy the record at the read cursor into @p buf and move the cursor past it.
 * @return its length, 0 when there is nothing more to read, -errno on error
 * (a corrupt record makes the rest of its segment unreadable: skipped, counted).
 */
ssize_t spool_read(struct spool *s, void *buf, size_t cap);

/** The read cursor (where the next spool_read() starts). */
struct spool_pos spool_tell(const struct spool *s);

/** Every record before @p pos is delivered: move the head there and persist it. 0 or -errno. */
int spool_commit(struct spool *s, struct spool_pos pos);

/** Move the read cursor back to the head: records read since the last commit are read again. */
void spool_rewind(struct spool *s);

/** Records not yet committed. */
uint64_t spool_pending(const struct spool *s);

/** Records lost because the spool was full (either policy) or corrupt. */
uint64_t spool_dropped(const struct spool *s);

/** Bytes of segment files on disk. */
uint64_t spool_bytes(const struct spool *s);

void spool_close(struct spool *s);

/** Delete a closed spool's files and its directory (a private spool at exit). */
void spool_remove(const char *dir);

#endif
