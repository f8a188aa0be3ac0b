/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * overrides.h - indicators added or removed by hand (`iocwire-control add`,
 * `remove`), kept on disk under the state directory so that they survive
 * reloads and restarts until removed: overrides-alert.csv and
 * overrides-drop.csv (ThreatFox CSV layout) and overrides-removed.txt (a
 * removal list). Context: control daemon.
 */
#ifndef IOCWIRE_OVERRIDES_H
#define IOCWIRE_OVERRIDES_H

#include "control_config.h"

struct override_entry {
	const char *value;   /**< canonical indicator text (from ioc_parse) */
	const char *malware; /**< may be NULL */
	const char *threat;  /**< may be NULL */
	int confidence;      /**< -1 unknown */
	enum iocw_action action;
};

/** Add (or replace) an indicator; it is no longer in the removal list. 0 or -errno. */
int overrides_add(const char *dir, const struct override_entry *e, char *err, size_t errlen);

/**
 * Remove an indicator: dropped from the added lists when it is there, and put
 * on the removal list so that feeds that carry it no longer do. 0 or -errno.
 */
int overrides_remove(const char *dir, const char *value, char *err, size_t errlen);

/** Append the override feeds that exist to @p feeds (at most @p max in all). */
void overrides_feeds(const char *dir, struct control_feed *feeds, unsigned *nb, unsigned max);

#endif
