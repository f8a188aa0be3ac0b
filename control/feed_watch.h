/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * feed_watch.h - notice feed files changing (inotify on their directories, so
 * editors that write in place and tools that rename a new file over the old
 * one are both seen). Context: control daemon main loop.
 */
#ifndef IOCWIRE_FEED_WATCH_H
#define IOCWIRE_FEED_WATCH_H

#include <stdbool.h>

#define FEED_WATCH_MAX 80

struct feed_watch {
	int fd; /**< inotify descriptor to poll, -1 when inotify is unavailable */
	struct {
		int wd;
		char dir[512];
		char name[256];
	} files[FEED_WATCH_MAX];
	unsigned nb_files;
};

/** Start watching nothing. 0 or -errno. */
int feed_watch_init(struct feed_watch *w);

/** Watch @p path (its directory, filtered on its name). 0 or -errno. */
int feed_watch_add(struct feed_watch *w, const char *path);

/** Read pending events; true when a watched file changed. Never blocks. */
bool feed_watch_changed(struct feed_watch *w);

void feed_watch_close(struct feed_watch *w);

#endif
