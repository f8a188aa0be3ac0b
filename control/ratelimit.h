/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ratelimit.h - a token bucket per key (per IOC) for flood control of the
 * exported records. Keys are tracked in a fixed table by their 64-bit hash;
 * when the table is full the least recently seen key is forgotten (it comes
 * back with a full bucket). Time is supplied by the caller (ms), so replays
 * are deterministic. Context: control process main thread.
 */
#ifndef IOCWIRE_RATELIMIT_H
#define IOCWIRE_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

struct ratelimit;

/** @p rate records per second per key, at most @p burst at once; @p capacity keys tracked. NULL on ENOMEM. */
struct ratelimit *ratelimit_new(uint64_t rate, uint64_t burst, unsigned capacity);

/** May one more record with @p key go out at @p now_ms? Takes a token when it may. */
bool ratelimit_allow(struct ratelimit *r, const char *key, uint64_t now_ms);

/** FNV-1a 64 of @p s (also used by the aggregator). */
uint64_t ratelimit_hash(const char *s);

void ratelimit_free(struct ratelimit *r);

#endif
