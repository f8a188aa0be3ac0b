/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * daemon.h - `iocwire-control run`: compile the configured feeds, hand the
 * snapshot to the dataplane, and export every flow event it sends as a
 * CommonSecurityLog (CEF) record. Context: control process main thread.
 */
#ifndef IOCWIRE_DAEMON_H
#define IOCWIRE_DAEMON_H

#include <stdbool.h>

#include "control_config.h"

struct daemon_opts {
	int connect_timeout_ms; /**< how long to wait for the dataplane socket */
	bool exit_on_end;       /**< replay: exit 0 when the dataplane reports the input finished */
};

/** Run until SIGINT/SIGTERM (or the end of a replay). @return process exit status. */
int daemon_run(const struct control_config *cfg, const struct daemon_opts *opts);

#endif
