/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * transport_tcp.h - syslog over TCP (RFC 6587 octet-counting or newline
 * framing) through an on-disk spool, without ever blocking the caller.
 *
 * Every record is appended to the output's spool first; transport_tcp_tick()
 * connects (non-blocking, exponential backoff between reconnect_min and
 * reconnect_max), sends spooled records in order, and commits a record in the
 * spool only once the collector's TCP stack has acknowledged its last byte
 * (SIOCOUTQ). When the connection breaks, every record not acknowledged is
 * sent again on the next connection; records already acknowledged are never
 * sent twice. Plain TCP gives no application acknowledgement, so a record the
 * collector's kernel acknowledged but the collector never read (it was killed
 * with data in its socket buffer) is lost, and a record the collector read
 * whose ACK never came back is sent twice: see docs/sentinel.md.
 * Context: control process main thread.
 */
#ifndef IOCWIRE_TRANSPORT_TCP_H
#define IOCWIRE_TRANSPORT_TCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "control_config.h"
#include "spool.h"
#include "transport_addr.h"

/** Records sent on one connection and not yet acknowledged, at most. */
#define TRANSPORT_TCP_INFLIGHT 8192

enum transport_tcp_state {
	TRANSPORT_TCP_DOWN = 0,
	TRANSPORT_TCP_CONNECTING = 1,
	TRANSPORT_TCP_UP = 2,
};

struct transport_tcp_inflight {
	uint64_t stream_end;  /**< connection byte count after the record */
	struct spool_pos pos; /**< spool position after the record */
};

struct transport_tcp {
	struct transport_addr addr;
	enum export_framing framing;
	int fd;
	enum transport_tcp_state state;
	uint64_t backoff_ns, backoff_min_ns, backoff_max_ns, next_try_ns, connect_deadline_ns;
	struct spool *spool;
	char spool_dir[300];
	bool tmp_spool;                 /**< private spool, removed at close */
	char frame[SPOOL_MAX_RECORD + 24]; /**< the framed record being written */
	size_t frame_len, frame_off;
	struct spool_pos frame_end;
	uint64_t stream_bytes;          /**< bytes written on this connection */
	struct transport_tcp_inflight inflight[TRANSPORT_TCP_INFLIGHT];
	unsigned if_head, if_nb;
	uint64_t nb_sent, nb_acked, nb_connects, nb_disconnects;
	char last_error[128];
};

/**
 * Open the output: resolve the collector, open its spool (under
 * delivery->spool_dir, or a private temporary directory when that is ""),
 * start connecting. Records left in the spool by an earlier run go first.
 * 0, or -errno with @p err.
 */
int transport_tcp_open(struct transport_tcp *t, const struct control_export *e,
		       const struct control_delivery *delivery, char *err, size_t errlen);

/** Queue one syslog message (unframed). 0, or the spool's error (counted there). */
int transport_tcp_push(struct transport_tcp *t, const char *msg, size_t len);

/**
 * Make progress without blocking: connect, detect a closed connection, take
 * acknowledgements, send up to @p budget records. @p now_ns is CLOCK_MONOTONIC.
 */
void transport_tcp_tick(struct transport_tcp *t, uint64_t now_ns, unsigned budget);

/** Records queued and not yet acknowledged by the collector. */
uint64_t transport_tcp_pending(const struct transport_tcp *t);

/** Close the connection and the spool (kept on disk unless private). */
void transport_tcp_close(struct transport_tcp *t);

#endif
