/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "snapshot_store.h"

void
snapshot_store_init(struct snapshot_store *s, const char *state_dir)
{
	memset(s, 0, sizeof(*s));
	s->current = -1;
	if (state_dir != NULL && state_dir[0] != '\0') {
		snprintf(s->path, sizeof(s->path), "%s/current.snap", state_dir);
		mkdir(state_dir, 0750);
	}
}

/* Write aside and rename: a crash never leaves half a snapshot behind. */
static void
persist(const struct snapshot_store *s, const void *blob, size_t len)
{
	char tmp[600];
	FILE *f;

	if (s->path[0] == '\0')
		return;
	snprintf(tmp, sizeof(tmp), "%s.tmp", s->path);
	f = fopen(tmp, "wbe");
	if (f == NULL || fwrite(blob, 1, len, f) != len || fclose(f) != 0 || rename(tmp, s->path) != 0)
		fprintf(stderr, "iocwire-control: cannot save the snapshot to %s: %s\n", s->path,
			strerror(errno));
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
		persist(s, blob, len);
	return rc;
}

int
snapshot_store_load(struct snapshot_store *s, char *err, size_t errlen)
{
	struct stat st;
	void *blob;
	int fd, rc;

	if (s->path[0] == '\0')
		return -ENOENT;
	fd = open(s->path, O_RDONLY | O_CLOEXEC);
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
