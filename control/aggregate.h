/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * aggregate.h - flood control by folding: per (record kind, IOC, other
 * endpoint) and interval, the first record goes out at once and every later
 * one in the same interval is folded into one summary record, emitted when the
 * interval closes: EventCount (cnt) is the number of records folded, bytes and
 * packets are summed, start/end cover them all, externalId is the last one's.
 * Time comes from the caller (ms). Context: control process main thread.
 */
#ifndef IOCWIRE_AGGREGATE_H
#define IOCWIRE_AGGREGATE_H

#include <stdint.h>

#include "cef.h"

enum aggregate_verdict {
	AGGREGATE_PASS = 0,   /**< export the record now */
	AGGREGATE_FOLDED = 1, /**< absorbed into a summary */
};

typedef void (*aggregate_emit_fn)(void *arg, const struct cef_event *ev);

struct aggregate;

/** Fold over @p interval_ms, tracking at most @p capacity keys. NULL on ENOMEM. */
struct aggregate *aggregate_new(uint64_t interval_ms, unsigned capacity);

/**
 * Offer one record at @p now_ms. PASS when it opens an interval for its key
 * (or the key table is full, counted), FOLDED when it joins the open interval.
 */
enum aggregate_verdict aggregate_offer(struct aggregate *a, const struct cef_event *ev,
				       uint64_t now_ms);

/** Emit (through @p emit) and forget every interval closed at @p now_ms; UINT64_MAX closes all. */
void aggregate_expire(struct aggregate *a, uint64_t now_ms, aggregate_emit_fn emit, void *arg);

/** Records folded so far, and records passed because the key table was full. */
uint64_t aggregate_nb_folded(const struct aggregate *a);
uint64_t aggregate_nb_table_full(const struct aggregate *a);

void aggregate_free(struct aggregate *a);

#endif
