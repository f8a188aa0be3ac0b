/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * frag_table.h - which matched flow a datagram's later fragments belong to.
 * Non-first IP fragments carry no ports, so an ip:port indicator cannot match
 * them; when the first fragment matched, its (addresses, protocol, fragment
 * id) are remembered here with the flow's key, and the later fragments are
 * accounted to that flow and get its verdict (a blocked flow's fragments are
 * dropped too). Direct-mapped, bounded, entries age out.
 * Pure C on caller-provided memory. Context: one worker lcore.
 */
#ifndef IOCWIRE_FRAG_TABLE_H
#define IOCWIRE_FRAG_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flow_table.h"
#include "pkt_parse.h"

struct frag_entry {
	uint8_t in_use;
	uint8_t family;
	uint8_t proto;
	uint8_t src_is_a;
	uint32_t id;
	uint8_t src[16], dst[16];
	uint64_t seen_ns;
	uint64_t flow_hash;
	struct flow_key flow;
};

struct frag_table_stats {
	uint64_t remembered; /**< first fragments of matched flows */
	uint64_t found;      /**< later fragments tied to their flow */
	uint64_t overwritten; /**< an entry replaced before it aged out (table too small) */
};

struct frag_table {
	struct frag_entry *slots;
	uint32_t mask;
	uint32_t active; /**< entries in use (not yet aged out) */
	uint64_t max_age_ns;
	struct frag_table_stats stats;
};

/** Bytes for @p capacity entries (a power of two is used). */
size_t frag_table_mem_size(uint32_t capacity);

void frag_table_init(struct frag_table *t, void *mem, uint32_t capacity, uint64_t max_age_ns);

/** Remember the first fragment @p pi of the flow @p key / @p hash (a matched flow). */
void frag_table_remember(struct frag_table *t, const struct pkt_info *pi, const struct flow_key *key,
			 uint64_t hash, bool src_is_a, uint64_t now_ns);

/** The flow a later fragment belongs to, or NULL (unknown or aged out). */
const struct frag_entry *frag_table_find(struct frag_table *t, const struct pkt_info *pi, uint64_t now_ns);

#endif
