/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dataplane.h - state of the dataplane process shared by the main lcore and
 * the workers. Each worker owns its struct worker_ctx (cache aligned, written
 * only by that worker); the main lcore reads the counters and drains the
 * event rings. The published snapshot is reached only through
 * dataplane.snapshot (RCU: see snap_pub.h).
 */
#ifndef IOCWIRE_DATAPLANE_H
#define IOCWIRE_DATAPLANE_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_rcu_qsbr.h>
#include <rte_ring.h>

#include "contract/snapshot.h"
#include "dp_config.h"
#include "flow_table.h"
#include "frag_table.h"
#include "pkt_parse.h"
#include "tls_reasm.h"

#define DP_MAX_WORKERS 64
#define DP_MAX_BURST 64u

/** One snapshot mapped into this process. Freed only after an RCU grace period. */
struct dp_snapshot {
	struct snapshot_view view;
	void *map; /**< rte_malloc copy of the blob */
	size_t len;
	/* URL indicators: deserialized once at publish, one scratch per worker (never in the loop). */
	struct hs_database *url_db;
	struct hs_scratch *url_scratch[DP_MAX_WORKERS];
};

/** Per-worker counters; summed by readers, never atomic. */
struct worker_stats {
	uint64_t rx_pkts;
	uint64_t rx_bytes;
	uint64_t tx_pkts;
	uint64_t tx_failed;        /**< inline: TX ring full, packet freed */
	uint64_t verdict_dropped;  /**< inline: packets of flows whose action is drop */
	uint64_t parse[PKT_PARSE_RESULT_COUNT];
	uint64_t no_snapshot;      /**< packets seen before any snapshot was published */
	uint64_t filter_hits;      /**< endpoints that passed the pre-filter */
	uint64_t matches;          /**< packets that matched an IOC */
	uint64_t events;           /**< events queued to the main lcore */
	uint64_t events_dropped;   /**< event ring full */
	uint64_t flows_suppressed; /**< matched flows under a suppress-mode exclusion (no records) */
	uint64_t flows_excluded;   /**< matched flows under a tag-mode exclusion */
	uint64_t names_seen;       /**< DNS/TLS/HTTP names extracted (snapshots with name indicators only) */
	uint64_t names_matched;    /**< of which matched a domain or URL indicator */
	uint64_t tunnel_decap;     /**< VXLAN/GENEVE/GRE packets matched on their inner headers */
	uint64_t tunnel_outer;     /**< tunnels whose inner packet was not IP or malformed: outer matched */
	uint64_t max_loop_ns;      /**< longest loop iteration seen (live mode): the worst stall */
};

struct worker_rxq {
	uint16_t port;
	uint16_t queue;
	uint16_t tx_port;  /**< inline: the paired port */
	uint16_t tx_queue;
};

struct worker_ctx {
	unsigned index;    /**< 0..nb_workers-1: RCU thread id, TX queue, flow id prefix */
	unsigned lcore_id;
	struct worker_rxq rxq[DP_MAX_PORTS];
	unsigned nb_rxq;
	struct flow_table flows;
	struct tls_reasm tls;   /**< ClientHellos cut by a segment boundary, waiting for the rest */
	struct frag_table frags; /**< first fragments of matched flows, for their later fragments */
	struct rte_ring *events;
	uint64_t now_ns;   /**< packet time of the current burst */
	uint64_t expired_to_ns; /**< flow expiry has run for the time up to here */
	uint64_t nb_name_flows; /**< active flows matched by a name: later packets need a flow lookup */
	/* Bit (flow hash % 65536) set for each name-matched flow: the other packets skip the lookup. */
	uint64_t name_flow_bits[1024];
	volatile bool done; /**< replay: input exhausted and every flow flushed */
	struct worker_stats stats;
} __rte_cache_aligned;

struct dataplane {
	struct dp_config cfg;
	bool replay;        /**< exit when input is exhausted; time from packet timestamps */
	uint16_t port_ids[DP_MAX_PORTS];
	uint16_t nb_ports;
	uint16_t nb_rxq;    /**< RX queues per port */
	unsigned nb_workers;
	struct worker_ctx *workers[DP_MAX_WORKERS];
	struct rte_rcu_qsbr *qsv;
	struct dp_snapshot *snapshot; /**< RCU-protected; NULL until the first publish */
	uint64_t nb_reloads;
	volatile bool start;  /**< workers begin RX (replay waits for snapshot + exporter) */
	volatile bool stop;
	int ts_offset;        /**< mbuf dynfield of RX timestamps, -1 if none */
	uint64_t ts_flag;
	uint64_t tsc_hz;
	uint64_t ns_per_tsc_q32; /**< nanoseconds per TSC tick, 32.32 fixed point */
	uint64_t tsc_base;    /**< TSC at start ... */
	uint64_t wall_base_ns; /**< ... and the wall clock then */
};

extern struct dataplane dataplane;

/** Wall clock in ns from the TSC (no syscall). Worker-safe. */
static inline uint64_t
dataplane_now_ns(void)
{
	/* A multiply, not a division: the workers read the clock once per loop and two
	 * 64-bit divisions cost more than the lookups of a whole burst. The 32-bit
	 * fraction keeps the drift under 1 ms per week of uptime. */
	uint64_t d = rte_rdtsc() - dataplane.tsc_base;

	return dataplane.wall_base_ns + (uint64_t)(((unsigned __int128)d * dataplane.ns_per_tsc_q32) >> 32);
}

#endif
