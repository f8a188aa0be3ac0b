/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "transport_file.h"

static int
transport_file_reopen(struct transport_file *f)
{
	struct stat st;

	f->fd = open(f->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
	if (f->fd < 0)
		return -errno;
	f->size = fstat(f->fd, &st) == 0 ? (uint64_t)st.st_size : 0;
	return 0;
}

int
transport_file_open(struct transport_file *f, const char *path, uint64_t rotate_bytes,
		    uint32_t keep, char *err, size_t errlen)
{
	int rc;

	memset(f, 0, sizeof(*f));
	f->rotate_bytes = rotate_bytes;
	f->keep = keep;
	if (path == NULL) {
		f->fd = STDOUT_FILENO;
		return 0;
	}
	snprintf(f->path, sizeof(f->path), "%s", path);
	f->owned = true;
	rc = transport_file_reopen(f);
	if (rc < 0)
		snprintf(err, errlen, "export file %s: %s", path, strerror(-rc));
	return rc;
}

void
transport_file_flush(struct transport_file *f)
{
	size_t off = 0;

	while (off < f->buf_len) {
		ssize_t n = write(f->fd, f->buf + off, f->buf_len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			f->nb_errors++;
			break;
		}
		off += (size_t)n;
	}
	f->buf_len = 0;
}

/* path.(k-1) -> path.k for k = keep..2, path -> path.1, then a new path. */
static void
transport_file_rotate(struct transport_file *f)
{
	char from[600], to[600];

	transport_file_flush(f);
	close(f->fd);
	for (uint32_t k = f->keep; k >= 2; k--) {
		snprintf(from, sizeof(from), "%s.%u", f->path, k - 1);
		snprintf(to, sizeof(to), "%s.%u", f->path, k);
		rename(from, to);
	}
	if (f->keep > 0) {
		snprintf(to, sizeof(to), "%s.1", f->path);
		rename(f->path, to);
	} else {
		unlink(f->path);
	}
	f->nb_rotations++;
	if (transport_file_reopen(f) < 0) {
		f->nb_errors++;
		f->fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	}
}

void
transport_file_write(struct transport_file *f, const char *line, size_t len)
{
	if (f->owned && f->rotate_bytes > 0 && f->size > 0 && f->size + len + 1 > f->rotate_bytes)
		transport_file_rotate(f);
	if (f->buf_len + len + 1 > sizeof(f->buf))
		transport_file_flush(f);
	if (len + 1 > sizeof(f->buf)) {
		f->nb_errors++;
		return;
	}
	memcpy(f->buf + f->buf_len, line, len);
	f->buf[f->buf_len + len] = '\n';
	f->buf_len += len + 1;
	f->size += len + 1;
	f->nb_records++;
}

void
transport_file_close(struct transport_file *f)
{
	transport_file_flush(f);
	if (f->owned && f->fd >= 0)
		close(f->fd);
	f->fd = -1;
}
