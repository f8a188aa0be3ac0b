/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <dirent.h>
#include <inttypes.h>

#include "snapshot_store.h"

void
snapshot_store_init(struct snapshot_store *s, const char *state_dir)
{
	memset(s, 0, sizeof(*s));
	s->current = -1;
	if (state_dir != NULL && state_dir[0] != '\0') {
		snprintf(s->path, sizeof(s->path), "%s", state_dir);
		mkdir(state_dir, 0750);
	}
}

/* snap-<generation>.snap files under the state directory, ascending; returns how many. */
static int
list_saved(const char *dir, uint64_t *gens, int max)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)) != NULL && n < max) {
		uint64_t g;
		char tail[8];

		if (sscanf(e->d_name, "snap-%" SCNu64 ".%7s", &g, tail) == 2 && strcmp(tail, "snap") == 0)
			gens[n++] = g;
	}
	if (d)
		closedir(d);
	for (int i = 1; i < n; i++) /* few files: insertion sort */
		for (int j = i; j > 0 && gens[j - 1] > gens[j]; j--) {
			uint64_t t = gens[j];
			gens[j] = gens[j - 1];
			gens[j - 1] = t;
		}
	return n;
}

/*
 * Each snapshot is saved as snap-<generation>.snap (written aside and renamed:
 * a crash never leaves half a file), the last SNAPSHOT_STORE_KEEP kept, so a
 * restarted control plane still resolves events of the generations the
 * dataplane's open flows were matched with.
 */
static void
persist(const struct snapshot_store *s, uint64_t generation, const void *blob, size_t len)
{
	char path[700], tmp[720];
	uint64_t gens[64];
	int n;
	FILE *f;

	if (s->path[0] == '\0')
		return;
	snprintf(path, sizeof(path), "%s/snap-%" PRIu64 ".snap", s->path, generation);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "wbe");
	if (f == NULL || fwrite(blob, 1, len, f) != len || fclose(f) != 0 || rename(tmp, path) != 0)
		fprintf(stderr, "iocwire-control: cannot save the snapshot to %s: %s\n", path, strerror(errno));
	n = list_saved(s->path, gens, 64);
	for (int i = 0; i + SNAPSHOT_STORE_KEEP < n; i++) {
		snprintf(path, sizeof(path), "%s/snap-%" PRIu64 ".snap", s->path, gens[i]);
		unlink(path);
	}
}

static int
install(struct snapshot_store *s, void *blob, size_t len, char *err, size_t errlen)
{
	unsigned i = s->next++ % SNAPSHOT_STORE_KEEP;
	int rc;

	free(s->slot[i].blob);
	s->slot[i].blob = NULL;
	rc = snapshot_open(&s->slot[i].view, blob, len, err, errlen);
	if (rc < 0) {
		free(blob);
		return rc;
	}
	s->slot[i].blob = blob;
	s->slot[i].len = len;
	s->current = (int)i;
	return 0;
}

int
snapshot_store_add(struct snapshot_store *s, void *blob, size_t len, char *err, size_t errlen)
{
	int rc = install(s, blob, len, err, errlen);

	if (rc == 0)
		persist(s, s->slot[s->current].view.generation, blob, len);
	return rc;
}

static int
load_file(struct snapshot_store *s, const char *path, char *err, size_t errlen)
{
	struct stat st;
	void *blob;
	int fd, rc;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) != 0 || st.st_size <= 0 ||
	    posix_memalign(&blob, SNAP_ALIGN, (size_t)st.st_size) != 0) {
		close(fd);
		return -EINVAL;
	}
	rc = read(fd, blob, (size_t)st.st_size) == st.st_size ? 0 : -EIO;
	close(fd);
	if (rc < 0) {
		free(blob);
		return rc;
	}
	return install(s, blob, (size_t)st.st_size, err, errlen);
}

int
snapshot_store_load(struct snapshot_store *s, char *err, size_t errlen)
{
	uint64_t gens[64];
	char path[700];
	int n, loaded = 0;

	if (s->path[0] == '\0')
		return -ENOENT;
	n = list_saved(s->path, gens, 64);
	/* Oldest first: the newest ends up current. */
	for (int i = n > SNAPSHOT_STORE_KEEP ? n - SNAPSHOT_STORE_KEEP : 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/snap-%" PRIu64 ".snap", s->path, gens[i]);
		loaded += load_file(s, path, err, errlen) == 0;
	}
	return loaded ? 0 : -ENOENT;
}

const struct snapshot_view *
snapshot_store_find(const struct snapshot_store *s, uint64_t generation)
{
	for (unsigned i = 0; i < SNAPSHOT_STORE_KEEP; i++)
		if (s->slot[i].blob && s->slot[i].view.generation == generation)
			return &s->slot[i].view;
	return NULL;
}

const struct snapshot_view *
snapshot_store_current(const struct snapshot_store *s)
{
	return s->current < 0 ? NULL : &s->slot[s->current].view;
}

int
snapshot_store_current_blob(const struct snapshot_store *s, const void **blob, size_t *len)
{
	if (s->current < 0)
		return -ENOENT;
	*blob = s->slot[s->current].blob;
	*len = s->slot[s->current].len;
	return 0;
}

void
snapshot_store_release(struct snapshot_store *s)
{
	for (unsigned i = 0; i < SNAPSHOT_STORE_KEEP; i++)
		free(s->slot[i].blob);
	memset(s, 0, sizeof(*s));
	s->current = -1;
}
