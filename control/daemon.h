/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * daemon.h - `iocwire-control run`: compile the configured feeds, hand the
 * snapshot to the dataplane, export every flow event it sends as a
 * CommonSecurityLog (CEF) record, reload on feed changes, SIGHUP or command,
 * answer the command socket (status, lookup, add, remove), and re-attach when
 * either process restarts. Context: control process main thread.
 */
#ifndef IOCWIRE_DAEMON_H
#define IOCWIRE_DAEMON_H

#include <stdbool.h>

#include "control_config.h"

struct daemon_opts {
	int connect_timeout_ms; /**< replay: how long to wait for the dataplane socket at start */
	bool exit_on_end;       /**< replay: exit 0 when the dataplane reports the input finished */
	bool no_watch;          /**< do not watch feed files (replay) */
};

/** Run until SIGINT/SIGTERM (or the end of a replay). @return process exit status. */
int daemon_run(const struct control_config *cfg, const struct daemon_opts *opts);

#endif
