/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * export.h - deliver every flow record to the configured outputs (several at
 * once): CEF lines on stdout or in a file, CEF in syslog messages over UDP or
 * TCP (spooled on disk, reconnecting), JSON lines with CommonSecurityLog
 * column names (rotated by size). Flood control (aggregation, then a rate
 * limit per IOC) applies before the outputs. Nothing here blocks for long:
 * sockets are non-blocking and each tick does bounded work.
 * Context: control process main thread.
 */
#ifndef IOCWIRE_EXPORT_H
#define IOCWIRE_EXPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "aggregate.h"
#include "cef.h"
#include "control_config.h"
#include "ratelimit.h"
#include "syslog_frame.h"
#include "transport_file.h"
#include "transport_tcp.h"
#include "transport_udp.h"

/** Longest CEF record exported; a longer one is counted (nb_too_long), never sent cut. */
#define EXPORT_MAX_RECORD 16384

struct export_sink {
	const struct control_export *cfg;
	struct syslog_frame frame;
	struct transport_file *file; /**< stdout, file, jsonl */
	struct transport_udp udp;
	struct transport_tcp *tcp;
};

struct exporter {
	const struct control_config *cfg;
	struct export_sink sinks[CONTROL_MAX_EXPORTS];
	unsigned nb_sinks;
	struct ratelimit *rl;    /**< NULL when rate_per_ioc is 0 */
	struct aggregate *agg;   /**< NULL when aggregate is 0 */
	uint64_t clock_ms, clock_mono_ns;
	uint64_t nb_records;     /**< records handed to the outputs */
	uint64_t nb_too_long, nb_rate_limited, nb_udp_truncated, nb_udp_dropped, nb_spool_refused;
	char cef[EXPORT_MAX_RECORD];
	char json[2 * EXPORT_MAX_RECORD];
	char msg[EXPORT_MAX_RECORD + 512];
};

/** Open every output of @p cfg (kept by reference). 0, or -errno with the output named in @p err. */
int export_open(struct exporter *ex, const struct control_config *cfg, char *err, size_t errlen);

/** Export one record, subject to aggregation and the rate limit. */
void export_event(struct exporter *ex, const struct cef_event *ev);

/** After a batch of records: write out buffers, push spooled records toward the collectors. */
void export_flush(struct exporter *ex);

/** Periodic work (the daemon calls it at least every 200 ms): close aggregation intervals, reconnect, drain spools. */
void export_tick(struct exporter *ex);

/** Are records waiting for a collector (the caller should tick again soon)? */
bool export_busy(const struct exporter *ex);

/**
 * Keep delivering for at most @p timeout_ns or until nothing waits (records
 * still waiting stay in the spool for the next run). @return records still waiting.
 */
uint64_t export_drain(struct exporter *ex, uint64_t timeout_ns);

/** Records lost or unwritable, all outputs together (write errors, UDP loss, spool drops). */
uint64_t export_nb_errors(const struct exporter *ex);

/** One summary line per output and for the flood control, on @p f. */
void export_report(const struct exporter *ex, FILE *f);

/** Emit the open aggregates, flush, close every output (spools stay on disk). */
void export_close(struct exporter *ex);

#endif
