/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * snap_pub.h - validate and publish IOC snapshots to the workers (RCU).
 * Writer order: validate -> publish (atomic release store) -> wait until every
 * worker has passed a quiescent state -> unmap the old blob.
 * Context: main lcore only.
 */
#ifndef IOCWIRE_SNAP_PUB_H
#define IOCWIRE_SNAP_PUB_H

#include <stddef.h>
#include <stdint.h>

struct snap_pub_timing {
	uint64_t validate_ns;
	uint64_t swap_ns;
};

/**
 * Map @p len bytes of the file descriptor @p fd read-only, validate them and
 * publish. The descriptor is not closed. On failure nothing changes: the old
 * snapshot stays published.
 * @return 0, or -errno with a reason in @p err.
 */
int snap_pub_from_fd(int fd, size_t len, struct snap_pub_timing *t, char *err, size_t errlen);

/** Same, from a snapshot file (e.g. `iocwire-control compile` output). */
int snap_pub_from_file(const char *path, struct snap_pub_timing *t, char *err, size_t errlen);

/** Generation of the published snapshot, 0 when none. */
uint64_t snap_pub_generation(void);

/** Unpublish and free the snapshot at shutdown (after workers stopped). */
void snap_pub_release(void);

#endif
