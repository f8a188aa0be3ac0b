/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * stats.h - sum the per-worker counters and publish them: DPDK telemetry
 * commands under /iocwire/ (readable with dpdk-telemetry.py) and a summary
 * line at exit. Context: main lcore and the telemetry thread (reads only).
 */
#ifndef IOCWIRE_STATS_H
#define IOCWIRE_STATS_H

#include <stdio.h>

#include "dataplane.h"

/** Sum every worker's counters into @p total. Reads may race with workers: values are monotonic. */
void stats_sum(struct worker_stats *total);

/** Register /iocwire/stats, /iocwire/workers and /iocwire/snapshot. */
int stats_telemetry_register(void);

struct ipc_stats;

/** Fill the control plane's STATS reply. Main lcore. */
void stats_fill_ipc(struct ipc_stats *out);

/** One-line summary for the log at exit. */
void stats_print_summary(FILE *f);

#endif
