/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * daemon_state.h - state of the control daemon shared by its modules:
 * daemon.c (main loop, dataplane session, reloads) and daemon_ctl.c (command
 * socket: status, lookup, add, remove, reload). Context: control daemon only.
 */
#ifndef IOCWIRE_DAEMON_STATE_H
#define IOCWIRE_DAEMON_STATE_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "contract/ipc_proto.h"
#include "daemon.h"
#include "export.h"
#include "feed_watch.h"
#include "flow_meta.h"
#include "snapshot_store.h"

#define DAEMON_HISTORY 16
#define DAEMON_WAITERS 8

/** One reload: what started it, how long each step took, how it ended. */
struct reload_record {
	bool open;         /**< waiting for the dataplane's ACK */
	bool unchanged;    /**< feeds compiled to the same indicators: nothing sent */
	time_t at;
	char trigger[16];  /**< start, file, sighup, command, add, remove */
	int status;        /**< 0 or -errno */
	uint64_t generation;
	uint64_t compile_ns, transfer_ns, validate_ns, swap_ns;
	char error[600];
};

struct daemon {
	const struct control_config *cfg;
	const struct daemon_opts *opts;
	time_t started;
	struct exporter ex;
	struct snapshot_store store;
	struct flow_meta flows; /**< context of open matched flows, for their flow-end records */
	struct feed_watch watch;
	char *last_report; /**< per-feed summary of the last compile */
	struct exclusion_set *excl; /**< as last read from the configuration file */

	int dp_fd;
	bool dp_hello;
	uint32_t dp_pid;
	uint64_t dp_generation;
	uint64_t next_connect_ns;
	struct ipc_stats dp_stats;
	bool have_stats;
	bool ended;

	bool reload_due;
	bool reload_now; /**< a command or SIGHUP asked: file events do not postpone it */
	uint64_t reload_at_ns;
	char reload_trigger[16];
	struct reload_record pending;
	struct reload_record history[DAEMON_HISTORY];
	uint64_t nb_reloads;

	int ctl_fd;
	int reload_waiters[DAEMON_WAITERS]; /**< clients waiting for the end of a reload */
	unsigned nb_reload_waiters;
	int status_waiters[DAEMON_WAITERS]; /**< clients waiting for dataplane counters */
	bool status_json[DAEMON_WAITERS];
	unsigned nb_status_waiters;
	uint64_t status_deadline_ns;

	uint64_t nb_match, nb_flow_end, nb_dp_dropped;
	uint64_t nb_bad_events; /**< unknown family or type: not exported */
};

/* daemon.c */
void daemon_request_reload(struct daemon *d, const char *trigger, uint64_t delay_ns);
int daemon_reload(struct daemon *d, const char *trigger);
void daemon_reload_finish(struct daemon *d);

/* daemon_ctl.c */
void daemon_ctl_accept(struct daemon *d);
void daemon_ctl_reload_done(struct daemon *d, const struct reload_record *r);
void daemon_status_answer(struct daemon *d);
void daemon_status_expire(struct daemon *d, uint64_t now_ns);

#endif
