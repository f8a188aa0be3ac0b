/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * spool.c - bounded on-disk FIFO (see spool.h for the format and guarantees).
 * Invariant: segs[0] holds the head (or the head is at its start), segments
 * are in sequence order, and only the last one is appended to.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "spool.h"

#define SPOOL_HEAD_MAGIC 0x314c5053574f4349ull /* "IOCWSPL1" little-endian */
#define SPOOL_SEG_MIN 65536

struct spool_rec_hdr {
	uint32_t len;
	uint32_t check;
};

struct spool_seg {
	uint64_t seq;
	uint64_t bytes;
	uint64_t nb;
};

struct spool {
	char dir[256];
	uint64_t max_bytes, seg_max, total_bytes, nb_dropped, next_seq;
	enum delivery_drop drop;
	struct spool_seg *segs;
	unsigned nb_segs, cap_segs;
	int wfd, rfd, head_fd;
	uint64_t rfd_seq;
	struct spool_pos head, cur;
};

static uint32_t
spool_check(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

static void
spool_seg_path(const struct spool *s, uint64_t seq, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%016" PRIx64 ".seg", s->dir, seq);
}

static int
spool_seg_fd(const struct spool *s, uint64_t seq, int flags)
{
	char path[320];

	spool_seg_path(s, seq, path, sizeof(path));
	return open(path, flags | O_CLOEXEC, 0640);
}

static int
spool_persist_head(struct spool *s)
{
	uint64_t rec[4] = {SPOOL_HEAD_MAGIC, s->head.seq, s->head.off, s->head.idx};

	/* One 32-byte write at offset 0: within a sector, never seen half-written. */
	if (pwrite(s->head_fd, rec, sizeof(rec), 0) != (ssize_t)sizeof(rec))
		return errno ? -errno : -EIO;
	return 0;
}

/* Delete segs[0]; the records in it that were not committed count as dropped. */
static void
spool_drop_first(struct spool *s)
{
	struct spool_seg *g = &s->segs[0];
	char path[320];

	s->nb_dropped += g->nb - (s->head.seq == g->seq ? s->head.idx : 0);
	if (s->rfd >= 0 && s->rfd_seq == g->seq) {
		close(s->rfd);
		s->rfd = -1;
	}
	if (s->nb_segs == 1 && s->wfd >= 0) {
		close(s->wfd);
		s->wfd = -1;
	}
	spool_seg_path(s, g->seq, path, sizeof(path));
	unlink(path);
	s->total_bytes -= g->bytes;
	memmove(s->segs, s->segs + 1, (s->nb_segs - 1) * sizeof(*s->segs));
	s->nb_segs--;
	s->head = (struct spool_pos){.seq = s->nb_segs ? s->segs[0].seq : s->next_seq};
	if (s->cur.seq < s->head.seq || s->nb_segs == 0)
		s->cur = s->head;
}

/* Delete leading segments every record of which is committed. */
static void
spool_reclaim(struct spool *s)
{
	while (s->nb_segs > 0 && s->head.seq == s->segs[0].seq && s->head.idx == s->segs[0].nb &&
	       (s->nb_segs > 1 || s->cur.idx == s->segs[0].nb)) {
		uint64_t dropped = s->nb_dropped;

		spool_drop_first(s);
		s->nb_dropped = dropped; /* delivered, not dropped */
	}
}

static int
spool_add_seg(struct spool *s, uint64_t seq, uint64_t bytes, uint64_t nb)
{
	if (s->nb_segs == s->cap_segs) {
		unsigned cap = s->cap_segs ? s->cap_segs * 2 : 16;
		struct spool_seg *g = realloc(s->segs, cap * sizeof(*g));

		if (g == NULL)
			return -ENOMEM;
		s->segs = g;
		s->cap_segs = cap;
	}
	s->segs[s->nb_segs++] = (struct spool_seg){.seq = seq, .bytes = bytes, .nb = nb};
	s->total_bytes += bytes;
	if (seq >= s->next_seq)
		s->next_seq = seq + 1;
	return 0;
}

/* Count the valid records of a segment; cut a torn or corrupt tail. */
static int
spool_scan_seg(struct spool *s, uint64_t seq)
{
	static uint8_t data[SPOOL_MAX_RECORD];
	int fd = spool_seg_fd(s, seq, O_RDWR);
	struct spool_rec_hdr h;
	uint64_t off = 0, nb = 0;
	int rc;

	if (fd < 0)
		return -errno;
	while (pread(fd, &h, sizeof(h), (off_t)off) == (ssize_t)sizeof(h) && h.len <= SPOOL_MAX_RECORD &&
	       pread(fd, data, h.len, (off_t)(off + sizeof(h))) == (ssize_t)h.len &&
	       spool_check(data, h.len) == h.check) {
		off += sizeof(h) + h.len;
		nb++;
	}
	rc = ftruncate(fd, (off_t)off) == 0 ? 0 : -errno;
	close(fd);
	return rc < 0 ? rc : spool_add_seg(s, seq, off, nb);
}

static int
spool_cmp_seq(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Find the segments on disk, in order. */
static int
spool_scan_dir(struct spool *s)
{
	uint64_t seqs[4096];
	unsigned nb = 0;
	struct dirent *e;
	DIR *dir = opendir(s->dir);
	int rc = 0;

	if (dir == NULL)
		return -errno;
	while ((e = readdir(dir)) != NULL && nb < 4096) {
		char *end;
		uint64_t seq = strtoull(e->d_name, &end, 16);

		if (end == e->d_name + 16 && strcmp(end, ".seg") == 0)
			seqs[nb++] = seq;
	}
	closedir(dir);
	qsort(seqs, nb, sizeof(seqs[0]), spool_cmp_seq);
	for (unsigned i = 0; i < nb && rc == 0; i++)
		rc = spool_scan_seg(s, seqs[i]);
	return rc;
}

/* Read the head file; a missing or unusable head starts at the first record. */
static void
spool_load_head(struct spool *s)
{
	uint64_t rec[4];

	s->head = (struct spool_pos){.seq = s->nb_segs ? s->segs[0].seq : s->next_seq};
	if (pread(s->head_fd, rec, sizeof(rec), 0) != (ssize_t)sizeof(rec) || rec[0] != SPOOL_HEAD_MAGIC)
		return;
	for (unsigned i = 0; i < s->nb_segs; i++)
		if (s->segs[i].seq == rec[1] && rec[2] <= s->segs[i].bytes && rec[3] <= s->segs[i].nb)
			s->head = (struct spool_pos){.seq = rec[1], .off = rec[2], .idx = rec[3]};
	/* Segments before the head were delivered before the last stop. */
	while (s->nb_segs > 0 && s->segs[0].seq < s->head.seq) {
		uint64_t dropped = s->nb_dropped;
		struct spool_pos head = s->head;

		spool_drop_first(s);
		s->nb_dropped = dropped;
		s->head = head;
	}
}

/* mkdir -p */
static int
spool_mkdirs(const char *dir)
{
	char path[256];

	snprintf(path, sizeof(path), "%s", dir);
	for (char *p = path + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0750) != 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	return mkdir(path, 0750) != 0 && errno != EEXIST ? -errno : 0;
}

struct spool *
spool_open(const char *dir, uint64_t max_bytes, enum delivery_drop drop, char *err, size_t errlen)
{
	struct spool *s = calloc(1, sizeof(*s));
	char path[320];
	int rc;

	if (s == NULL)
		return NULL;
	snprintf(s->dir, sizeof(s->dir), "%s", dir);
	s->max_bytes = max_bytes;
	s->seg_max = max_bytes / 16 > SPOOL_SEG_MIN ? max_bytes / 16 : SPOOL_SEG_MIN;
	s->drop = drop;
	s->wfd = s->rfd = -1;
	rc = spool_mkdirs(s->dir);
	if (rc < 0)
		goto out_fail;
	snprintf(path, sizeof(path), "%s/head", dir);
	s->head_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0640);
	if (s->head_fd < 0) {
		rc = -errno;
		goto out_fail;
	}
	rc = spool_scan_dir(s);
	if (rc < 0)
		goto out_close_head;
	spool_load_head(s);
	s->cur = s->head;
	/*
	 * Write the head file now: a commit then overwrites its block in place. Left
	 * empty, its first commit needs a new block, which a full disk refuses: the
	 * delivered records would be sent again after a restart. A failure here is
	 * the same case, no worse: the spool still works.
	 */
	(void)spool_persist_head(s);
	return s;

out_close_head:
	close(s->head_fd);
out_fail:
	snprintf(err, errlen, "spool %s: %s", dir, strerror(-rc));
	free(s->segs);
	free(s);
	errno = -rc;
	return NULL;
}

/* Make room for @p need bytes per the drop policy. 0, or -ENOBUFS (drop newest). */
static int
spool_make_room(struct spool *s, uint64_t need)
{
	spool_reclaim(s);
	if (s->total_bytes + need <= s->max_bytes)
		return 0;
	if (s->drop == DELIVERY_DROP_NEWEST) {
		s->nb_dropped++;
		return -ENOBUFS;
	}
	while (s->nb_segs > 0 && s->total_bytes + need > s->max_bytes)
		spool_drop_first(s);
	return 0;
}

/* The segment to append to, started anew when the last one is full. */
static int
spool_write_seg(struct spool *s, uint64_t need)
{
	struct spool_seg *last = s->nb_segs ? &s->segs[s->nb_segs - 1] : NULL;
	int rc;

	if (last != NULL && last->bytes > 0 && last->bytes + need > s->seg_max) {
		close(s->wfd);
		s->wfd = -1;
		last = NULL;
	}
	if (last == NULL) {
		rc = spool_add_seg(s, s->next_seq, 0, 0);
		if (rc < 0)
			return rc;
		if (s->nb_segs == 1)
			s->head = s->cur = (struct spool_pos){.seq = s->segs[0].seq};
	}
	if (s->wfd < 0)
		s->wfd = spool_seg_fd(s, s->segs[s->nb_segs - 1].seq,
				      O_WRONLY | O_CREAT | O_APPEND);
	return s->wfd < 0 ? -errno : 0;
}

int
spool_push(struct spool *s, const void *data, size_t len)
{
	struct spool_rec_hdr h = {.len = (uint32_t)len, .check = spool_check(data, len)};
	struct iovec iov[2] = {{&h, sizeof(h)}, {(void *)(uintptr_t)data, len}};
	uint64_t need = sizeof(h) + len;
	struct spool_seg *last;
	ssize_t n;
	int rc;

	if (len > SPOOL_MAX_RECORD || need > s->max_bytes)
		return -EMSGSIZE;
	rc = spool_make_room(s, need);
	if (rc == 0)
		rc = spool_write_seg(s, need);
	if (rc < 0)
		return rc;
	last = &s->segs[s->nb_segs - 1];
	n = writev(s->wfd, iov, 2);
	if (n != (ssize_t)need) {
		rc = n < 0 ? -errno : -EIO;
		/* Leave no half record behind: the segment ends where it ended. */
		if (ftruncate(s->wfd, (off_t)last->bytes) != 0)
			rc = -errno;
		return rc;
	}
	last->bytes += need;
	last->nb++;
	s->total_bytes += need;
	return 0;
}

static struct spool_seg *
spool_find(struct spool *s, uint64_t seq)
{
	for (unsigned i = 0; i < s->nb_segs; i++)
		if (s->segs[i].seq == seq)
			return &s->segs[i];
	return NULL;
}

/* The segment under the read cursor with a record left, or NULL. */
static struct spool_seg *
spool_read_seg(struct spool *s)
{
	struct spool_seg *g = spool_find(s, s->cur.seq);

	while (g != NULL && s->cur.off >= g->bytes) {
		if (g == &s->segs[s->nb_segs - 1])
			return NULL;
		g++;
		s->cur = (struct spool_pos){.seq = g->seq};
	}
	if (g != NULL && (s->rfd < 0 || s->rfd_seq != g->seq)) {
		if (s->rfd >= 0)
			close(s->rfd);
		s->rfd = spool_seg_fd(s, g->seq, O_RDONLY);
		s->rfd_seq = g->seq;
	}
	return g;
}

ssize_t
spool_read(struct spool *s, void *buf, size_t cap)
{
	struct spool_seg *g = spool_read_seg(s);
	struct spool_rec_hdr h;

	if (g == NULL)
		return 0;
	if (s->rfd < 0)
		return -errno;
	if (pread(s->rfd, &h, sizeof(h), (off_t)s->cur.off) != (ssize_t)sizeof(h) ||
	    h.len > cap || s->cur.off + sizeof(h) + h.len > g->bytes ||
	    pread(s->rfd, buf, h.len, (off_t)(s->cur.off + sizeof(h))) != (ssize_t)h.len ||
	    spool_check(buf, h.len) != h.check) {
		/* Unreadable: lose the rest of this segment rather than resend garbage. */
		s->nb_dropped += g->nb - s->cur.idx;
		s->cur.off = g->bytes;
		s->cur.idx = g->nb;
		return h.len > cap ? -EMSGSIZE : -EIO;
	}
	s->cur.off += sizeof(h) + h.len;
	s->cur.idx++;
	return (ssize_t)h.len;
}

struct spool_pos
spool_tell(const struct spool *s)
{
	return s->cur;
}

int
spool_commit(struct spool *s, struct spool_pos pos)
{
	/* A position in a segment that drop-oldest already deleted: nothing left to commit. */
	if (pos.seq < s->head.seq || (pos.seq == s->head.seq && pos.idx <= s->head.idx))
		return 0;
	s->head = pos;
	while (s->nb_segs > 1 && s->segs[0].seq < s->head.seq) {
		struct spool_pos head = s->head;
		uint64_t dropped = s->nb_dropped;

		s->head = (struct spool_pos){.seq = s->segs[0].seq, .idx = s->segs[0].nb};
		spool_drop_first(s);
		s->nb_dropped = dropped;
		s->head = head;
	}
	return spool_persist_head(s);
}

void
spool_rewind(struct spool *s)
{
	s->cur = s->head;
}

uint64_t
spool_pending(const struct spool *s)
{
	uint64_t nb = 0;

	for (unsigned i = 0; i < s->nb_segs; i++)
		nb += s->segs[i].nb;
	return s->nb_segs && s->segs[0].seq == s->head.seq ? nb - s->head.idx : nb;
}

uint64_t
spool_dropped(const struct spool *s)
{
	return s->nb_dropped;
}

uint64_t
spool_bytes(const struct spool *s)
{
	return s->total_bytes;
}

void
spool_close(struct spool *s)
{
	if (s == NULL)
		return;
	if (s->wfd >= 0)
		close(s->wfd);
	if (s->rfd >= 0)
		close(s->rfd);
	close(s->head_fd);
	free(s->segs);
	free(s);
}

void
spool_remove(const char *dir)
{
	char path[320];
	struct dirent *e;
	DIR *d = opendir(dir);

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, "head") != 0 && strstr(e->d_name, ".seg") == NULL)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}
