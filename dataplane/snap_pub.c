/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <hs.h>
#include <rte_malloc.h>

#include "dataplane.h"
#include "snap_pub.h"

static uint64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void
snapshot_free(struct dp_snapshot *s)
{
	if (s == NULL)
		return;
	for (unsigned i = 0; i < DP_MAX_WORKERS; i++)
		if (s->url_scratch[i] != NULL)
			hs_free_scratch(s->url_scratch[i]);
	if (s->url_db != NULL)
		hs_free_database(s->url_db);
	rte_free(s->map);
	free(s);
}

/*
 * The URL pattern database, deserialized here on the main lcore, and one
 * Hyperscan scratch per worker, so that workers never allocate while scanning.
 */
static int
open_url_db(struct dp_snapshot *s, char *err, size_t errlen)
{
	hs_scratch_t *proto = NULL;

	if (s->view.url_hsdb == NULL)
		return 0;
	if (hs_deserialize_database(s->view.url_hsdb, s->view.url_hsdb_size, &s->url_db) != HS_SUCCESS ||
	    hs_alloc_scratch(s->url_db, &proto) != HS_SUCCESS) {
		snprintf(err, errlen, "URL pattern database does not load on this host (Hyperscan)");
		return -EINVAL;
	}
	for (unsigned i = 0; i < dataplane.nb_workers; i++)
		if (hs_clone_scratch(proto, &s->url_scratch[i]) != HS_SUCCESS) {
			hs_free_scratch(proto);
			snprintf(err, errlen, "no memory for Hyperscan scratch");
			return -ENOMEM;
		}
	hs_free_scratch(proto);
	return 0;
}

/*
 * Copy the blob into DPDK memory (hugepages when EAL has them: fewer TLB
 * misses on the lookup tables) before validating it, so that what was
 * validated is exactly what the workers read, whoever else holds the file.
 * Read, not mapped: a sender that truncates the file meanwhile gives a short
 * read and a clear error instead of a SIGBUS in the dataplane.
 */
static void *
copy_blob(int fd, size_t len, char *err, size_t errlen)
{
	uint8_t *copy = rte_malloc("iocw_snapshot", len, RTE_CACHE_LINE_SIZE);
	size_t done = 0;

	if (copy == NULL) {
		snprintf(err, errlen, "no DPDK memory for a %zu-byte snapshot (EAL -m/--socket-mem)", len);
		return NULL;
	}
	while (done < len) {
		ssize_t n = pread(fd, copy + done, len - done, (off_t)done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			snprintf(err, errlen, "snapshot read stopped at byte %zu of %zu: %s", done, len,
				 n < 0 ? strerror(errno) : "file truncated");
			rte_free(copy);
			return NULL;
		}
		done += (size_t)n;
	}
	return copy;
}

int
snap_pub_from_fd(int fd, size_t len, struct snap_pub_timing *t, char *err, size_t errlen)
{
	uint64_t t0 = mono_ns(), t1;
	struct dp_snapshot *snap, *old;
	struct stat st;
	int rc;

	if (fstat(fd, &st) < 0 || (size_t)st.st_size < len) {
		snprintf(err, errlen, "snapshot file shorter than announced (%zu bytes)", len);
		return -EINVAL;
	}
	snap = calloc(1, sizeof(*snap));
	if (snap == NULL) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	snap->map = copy_blob(fd, len, err, errlen);
	if (snap->map == NULL) {
		free(snap);
		return -ENOMEM;
	}
	snap->len = len;
	rc = snapshot_open(&snap->view, snap->map, len, err, errlen);
	if (rc == 0)
		rc = open_url_db(snap, err, errlen);
	if (rc < 0) {
		snapshot_free(snap);
		return rc;
	}
	if (snap->view.generation <= snap_pub_generation()) {
		snprintf(err, errlen, "generation %lu is not newer than the published %lu",
			 (unsigned long)snap->view.generation, (unsigned long)snap_pub_generation());
		snapshot_free(snap);
		return -ESTALE;
	}
	t1 = mono_ns();
	old = dataplane.snapshot;
	/* Release: a worker that sees the new pointer sees the validated blob behind it. */
	__atomic_store_n(&dataplane.snapshot, snap, __ATOMIC_RELEASE);
	rte_rcu_qsbr_synchronize(dataplane.qsv, RTE_QSBR_THRID_INVALID);
	snapshot_free(old);
	dataplane.nb_reloads++;
	if (t) {
		t->validate_ns = t1 - t0;
		t->swap_ns = mono_ns() - t1;
	}
	return 0;
}

int
snap_pub_from_file(const char *path, struct snap_pub_timing *t, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	int rc;

	if (fd < 0) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return rc;
	}
	if (fstat(fd, &st) < 0 || st.st_size == 0) {
		snprintf(err, errlen, "%s: empty file", path);
		close(fd);
		return -EINVAL;
	}
	rc = snap_pub_from_fd(fd, (size_t)st.st_size, t, err, errlen);
	close(fd);
	if (rc < 0 && strncmp(err, path, strlen(path)) != 0) {
		char reason[256];

		snprintf(reason, sizeof(reason), "%s", err);
		snprintf(err, errlen, "%s: %s", path, reason);
	}
	return rc;
}

uint64_t
snap_pub_generation(void)
{
	return dataplane.snapshot ? dataplane.snapshot->view.generation : 0;
}

void
snap_pub_release(void)
{
	struct dp_snapshot *old = dataplane.snapshot;

	__atomic_store_n(&dataplane.snapshot, NULL, __ATOMIC_RELEASE);
	snapshot_free(old);
}
