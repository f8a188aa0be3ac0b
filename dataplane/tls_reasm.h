/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tls_reasm.h - per-worker table of ClientHellos cut by a segment boundary.
 *
 * When extract_tls_sni() answers EXTRACT_NEED_MORE for a segment, the worker
 * keeps that segment here (tls_reasm_save); the next in-order segment of the
 * same flow and direction completes it (tls_reasm_continue), and the
 * ClientHello is parsed from the joined bytes. Nothing else is reassembled.
 *
 * Bounded everywhere: a fixed number of entries (4-way buckets, the oldest
 * entry of a full bucket is evicted), TLS_REASM_BUF bytes per entry, an age
 * limit from the first segment, a fixed join buffer. A counting filter on the
 * (source port, destination port) pair lets the worker skip the flow key and
 * the lookup for the segments of every other flow (tls_reasm_maybe).
 *
 * Pure C on caller-provided memory (like flow_table.h): no EAL, no allocation.
 * Context: owned by exactly one worker lcore; never shared.
 */
#ifndef IOCWIRE_TLS_REASM_H
#define IOCWIRE_TLS_REASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "extract.h"
#include "flow_table.h"

/** Bytes kept per flow: the first segment, plus continuations while the total fits. */
#define TLS_REASM_BUF 2048
/** ClientHello bytes joined (in a scratch buffer) when they do not fit an entry. */
#define TLS_REASM_JOIN_MAX 8192
/** Entries per bucket. */
#define TLS_REASM_WAYS 4
/** Counters in the port-pair filter. */
#define TLS_REASM_FILTER 1024
/** Most entries a table holds. */
#define TLS_REASM_CAPACITY_MAX 65536

struct tls_reasm_entry {
	struct flow_key key;
	uint64_t hash;
	uint64_t saved_ns; /**< time of the first segment: the age limit counts from it */
	uint32_t next_seq; /**< TCP sequence number of the first byte not yet held */
	uint16_t len;	   /**< bytes in data */
	uint8_t in_use;
	uint8_t src_is_a; /**< direction of the ClientHello (flow_key_make's src_is_a) */
	uint8_t data[TLS_REASM_BUF];
};

struct tls_reasm_stats {
	uint64_t saved;	       /**< cut ClientHellos kept (first segments) */
	uint64_t completed;    /**< joined and parsed (any result but NEED_MORE) */
	uint64_t appended;     /**< continuations that still left the ClientHello incomplete */
	uint64_t too_big;      /**< first segment over TLS_REASM_BUF bytes: not kept */
	uint64_t evicted;      /**< waiting entries pushed out of a full bucket */
	uint64_t expired;      /**< entries dropped after the age limit */
	uint64_t out_of_order; /**< a gap before the next segment: entry dropped */
	uint64_t retransmits;  /**< segments holding only bytes already kept: ignored */
	uint64_t overflow;     /**< still incomplete with TLS_REASM_JOIN_MAX bytes: dropped */
	uint64_t active;       /**< entries waiting now */
};

struct tls_reasm {
	struct tls_reasm_entry *slots;
	uint8_t *join; /**< TLS_REASM_JOIN_MAX bytes of scratch, after the slots */
	uint32_t mask; /**< buckets - 1 */
	uint32_t nb_slots;
	uint32_t expire_cursor;
	uint64_t max_age_ns;
	uint16_t filter[TLS_REASM_FILTER]; /**< waiting entries per port-pair hash */
	struct tls_reasm_stats stats;
};

/**
 * Bytes of memory needed for @p capacity waiting ClientHellos (rounded up to
 * a power of two, at least TLS_REASM_WAYS, at most TLS_REASM_CAPACITY_MAX),
 * join buffer included. Any context.
 */
size_t tls_reasm_mem_size(uint32_t capacity);

/**
 * Set up @p t on @p mem: tls_reasm_mem_size(@p capacity) bytes, zeroed, 8-byte
 * aligned at least (cache-line aligned is better). Entries older than
 * @p max_age_ns (since their first segment) are dropped. Any context, before
 * the owning worker starts.
 */
void tls_reasm_init(struct tls_reasm *t, void *mem, uint32_t capacity, uint64_t max_age_ns);

static inline uint32_t
tls_reasm_filter_index(uint16_t sport, uint16_t dport)
{
	return ((uint32_t)sport * 0x9e3779b1u ^ (uint32_t)dport * 0x85ebca6bu) >> 22;
}

/**
 * Cheap pre-check for a TCP segment with payload from @p sport to @p dport:
 * false means no ClientHello waits for it, so tls_reasm_continue() need not be
 * called (and no flow key built). True may be a false positive. Worker lcore.
 */
static inline bool
tls_reasm_maybe(const struct tls_reasm *t, uint16_t sport, uint16_t dport)
{
	_Static_assert(TLS_REASM_FILTER == 1u << 10, "the filter index takes the top 10 bits");
	return t->stats.active != 0 && t->filter[tls_reasm_filter_index(sport, dport)] != 0;
}

/**
 * Keep a segment whose ClientHello extract_tls_sni() found cut
 * (EXTRACT_NEED_MORE). @p key, @p hash and @p src_is_a come from
 * flow_key_make() for this packet; @p seq is its TCP sequence number. A
 * waiting entry of the same flow and direction is replaced (a retransmitted
 * first segment); in a full bucket the oldest entry is evicted (counted).
 * @return 0, or -EMSGSIZE when @p len exceeds TLS_REASM_BUF (counted, not kept).
 * Worker lcore.
 */
int tls_reasm_save(struct tls_reasm *t, const struct flow_key *key, uint64_t hash, bool src_is_a,
		   uint32_t seq, const uint8_t *payload, uint32_t len, uint64_t now_ns);

/**
 * Offer a TCP segment (after tls_reasm_maybe() said true). When a ClientHello
 * of this flow and direction waits and the segment starts at (or overlaps)
 * its next sequence number, the new bytes are joined and parsed into @p out.
 * @return
 *  - EXTRACT_NOT_APPLICABLE: nothing waits for this flow and direction (or it
 *    was too old); handle the segment as any other (extract_tls_sni, ...);
 *  - EXTRACT_NEED_MORE: still waiting (a retransmission of bytes already held,
 *    an empty segment, or a continuation that did not finish the ClientHello);
 *  - EXTRACT_TRUNCATED: a gap in the sequence numbers, or the ClientHello is
 *    longer than TLS_REASM_JOIN_MAX; the entry is dropped (counted);
 *  - otherwise extract_tls_sni()'s result on the joined bytes (EXTRACT_OK with
 *    @p out set, EXTRACT_NO_NAME, EXTRACT_MALFORMED, ...); the entry is gone.
 * Worker lcore.
 */
enum extract_result tls_reasm_continue(struct tls_reasm *t, const struct flow_key *key,
				       uint64_t hash, bool src_is_a, uint32_t seq,
				       const uint8_t *payload, uint32_t len, uint64_t now_ns,
				       struct extract_name *out);

/**
 * Drop entries older than the age limit, visiting at most @p budget slots
 * from where the last call stopped (call it beside flow_table_expire()).
 * @return entries dropped. Worker lcore.
 */
uint32_t tls_reasm_expire(struct tls_reasm *t, uint64_t now_ns, uint32_t budget);

#endif
