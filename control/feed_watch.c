/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "feed_watch.h"

/* Written and closed in place, renamed over, created, or deleted. */
#define WATCH_MASK (IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_ATTRIB)

int
feed_watch_init(struct feed_watch *w)
{
	memset(w, 0, sizeof(*w));
	w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	return w->fd < 0 ? -errno : 0;
}

int
feed_watch_add(struct feed_watch *w, const char *path)
{
	char a[512], b[512];
	int wd;

	if (w->fd < 0 || w->nb_files == FEED_WATCH_MAX)
		return -ENOSPC;
	snprintf(a, sizeof(a), "%s", path);
	snprintf(b, sizeof(b), "%s", path);
	wd = inotify_add_watch(w->fd, dirname(a), WATCH_MASK);
	if (wd < 0)
		return -errno;
	w->files[w->nb_files].wd = wd;
	/* POSIX basename()/dirname() may modify their argument: one copy each. */
	snprintf(w->files[w->nb_files].name, sizeof(w->files[0].name), "%s", basename(b));
	snprintf(b, sizeof(b), "%s", path);
	snprintf(w->files[w->nb_files].dir, sizeof(w->files[0].dir), "%s", dirname(b));
	w->nb_files++;
	return 0;
}

static bool
is_watched(const struct feed_watch *w, const struct inotify_event *ev)
{
	for (unsigned i = 0; i < w->nb_files; i++)
		if (w->files[i].wd == ev->wd && ev->len > 0 && strcmp(w->files[i].name, ev->name) == 0)
			return true;
	return false;
}

bool
feed_watch_changed(struct feed_watch *w)
{
	char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
	bool changed = false;
	ssize_t n;

	if (w->fd < 0)
		return false;
	while ((n = read(w->fd, buf, sizeof(buf))) > 0) {
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;

			changed |= is_watched(w, ev);
			p += sizeof(*ev) + ev->len;
		}
	}
	return changed;
}

void
feed_watch_close(struct feed_watch *w)
{
	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
}
