/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * flow_table.h - per-worker table of matched flows, keyed by the
 * bidirectional 5-tuple plus VLAN. Bounded (capacity fixed at creation),
 * open addressing with backward-shift deletion, incremental expiry. Pure C on
 * caller-provided memory, so it is unit-testable without EAL.
 * Context: owned by exactly one worker lcore; never shared.
 */
#ifndef IOCWIRE_FLOW_TABLE_H
#define IOCWIRE_FLOW_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "contract/ipc_proto.h"

/* Direction-independent key: endpoint a is the lower of the two (address, port). */
struct flow_key {
	uint8_t family;
	uint8_t proto;
	uint16_t vlan;
	uint16_t port_a, port_b;
	uint8_t addr_a[16], addr_b[16];
};

struct flow_entry {
	struct flow_key key;
	uint8_t in_use;
	uint8_t init_is_a; /**< the initiator (first packet's source) is endpoint a */
	uint8_t fin_mask;  /**< bit 0: initiator sent FIN, bit 1: responder sent FIN */
	uint8_t closed;    /**< FIN both ways or RST: expires after the close linger */
	uint8_t end_reason;
	uint8_t tcp_flags;
	uint8_t side;      /**< matched endpoint, relative to the initiator */
	uint8_t kind;
	uint8_t action;    /**< enum iocw_verdict */
	uint8_t prefix_len;
	uint8_t suppressed; /**< an exclusion in suppress mode applies: no records */
	uint16_t exclusion; /**< index + 1 of the applying exclusion, 0 none */
	uint8_t name_where; /**< name matches: enum extract_where */
	uint32_t name_ioc;  /**< name matches: indicator string offset */
	uint32_t meta;
	uint64_t generation;
	uint64_t flow_id;
	uint64_t hash;
	uint64_t first_ns, last_ns;
	uint64_t pkts[2], bytes[2]; /**< [0] initiator->responder, [1] back */
};

struct flow_timeouts {
	uint64_t tcp_idle_ns;     /**< established TCP without packets */
	uint64_t tcp_closed_ns;   /**< after FIN both ways or RST: late ACKs still count */
	uint64_t udp_idle_ns;
	uint64_t other_idle_ns;
};

struct flow_table_stats {
	uint64_t created;
	uint64_t ended;
	uint64_t table_full; /**< matched packets that found no free slot */
	uint64_t active;
};

struct flow_table {
	struct flow_entry *slots;
	uint64_t mask;
	uint64_t capacity_limit; /**< at most this many entries (load <= 3/4) */
	uint64_t expire_cursor;
	uint64_t next_id;
	struct flow_timeouts timeouts;
	struct flow_table_stats stats;
};

/** Bytes of memory needed for @p capacity flows (rounded to a power of two slots). */
size_t flow_table_mem_size(uint32_t capacity);

/** Set up a table on zeroed memory of flow_table_mem_size(@p capacity) bytes. */
void flow_table_init(struct flow_table *ft, void *mem, uint32_t capacity,
		     const struct flow_timeouts *to, uint64_t id_base);

/** Build the canonical key and its hash; @return true when (src, sport) is endpoint a. */
bool flow_key_make(struct flow_key *key, uint64_t *hash, uint8_t family, uint8_t proto,
		   uint16_t vlan, const uint8_t src[16], const uint8_t dst[16], uint16_t sport,
		   uint16_t dport);

/** Find the flow of @p key, or NULL. */
struct flow_entry *flow_table_lookup(struct flow_table *ft, const struct flow_key *key, uint64_t hash);

/**
 * Insert a new flow (the key must not be present). @p src_is_a says whether
 * the packet creating it came from endpoint a (that side is the initiator).
 * @return the entry, or NULL when the table is full (counted).
 */
struct flow_entry *flow_table_insert(struct flow_table *ft, const struct flow_key *key, uint64_t hash,
				     bool src_is_a, uint64_t now_ns);

/** Account one packet of length @p bytes to the flow; applies TCP close logic. */
void flow_table_account(struct flow_entry *fe, bool src_is_a, uint32_t bytes, uint8_t tcp_flags,
			uint64_t now_ns);

/** Called for each flow that ends; the entry is removed after the call. */
typedef void (*flow_end_fn)(void *ctx, const struct flow_entry *fe);

/**
 * Expire flows idle (or closed) longer than their timeout, visiting at most
 * @p budget slots from where the last call stopped.
 * @return number of flows ended.
 */
uint32_t flow_table_expire(struct flow_table *ft, uint64_t now_ns, uint32_t budget, flow_end_fn fn,
			   void *ctx);

/** End every flow (capture finished, shutdown) with @p reason. @return flows ended. */
uint32_t flow_table_flush(struct flow_table *ft, uint8_t reason, flow_end_fn fn, void *ctx);

/** Fill an event from a flow (type and endpoints in the initiator's view). */
void flow_entry_to_event(const struct flow_entry *fe, uint8_t type, struct iocw_event *ev);

#endif
