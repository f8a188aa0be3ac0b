/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * worker.h - the burst loop run by every worker lcore: receive, parse, look
 * up both endpoints in the published snapshot, track matched flows, forward
 * or free. Context: worker lcores (no allocation, locks, syscalls or logging).
 */
#ifndef IOCWIRE_WORKER_H
#define IOCWIRE_WORKER_H

#include "dataplane.h"

/** Allocate the worker's flow table and event ring. Main lcore, before launch. 0 or -errno. */
int worker_setup(struct worker_ctx *w, unsigned index, unsigned lcore_id, const struct dp_config *cfg);

/** rte_eal_remote_launch entry point; @p arg is the struct worker_ctx. */
int worker_main(void *arg);

/**
 * End every flow of a stopped worker (shutdown) so its flow-end event is
 * queued; events that do not fit the ring are counted as dropped.
 * Main lcore, only after the worker returned from worker_main().
 */
void worker_flush_stopped(struct worker_ctx *w);

#endif
