/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_config.h - the dataplane's part of conf/iocwire.yaml (the `dataplane:`
 * section) with defaults. Context: main lcore, before workers start.
 */
#ifndef IOCWIRE_DP_CONFIG_H
#define IOCWIRE_DP_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include "flow_table.h"
#include "pkt_parse.h"

#define DP_MAX_PORTS 16
#define DP_NAME_MAX 128

enum dp_mode {
	DP_MODE_PASSIVE = 0, /**< TAP/SPAN: receive, match, free */
	DP_MODE_INLINE = 1,  /**< bump in the wire: ports forward in pairs (0<->1, 2<->3, ...) */
};

struct dp_config {
	char path[256];
	char sensor_name[DP_NAME_MAX];
	enum dp_mode mode;
	char socket_path[256];
	/* Ports by DPDK device name (e.g. "net_pcap0"); none listed = every probed port. */
	char ports[DP_MAX_PORTS][DP_NAME_MAX];
	unsigned nb_ports;
	uint32_t rx_queues; /**< per port; 0 = auto (one per worker) */
	uint32_t rx_desc, tx_desc;
	uint32_t burst;
	uint32_t mbufs;      /**< per NUMA socket; 0 = auto */
	uint32_t mbuf_cache;
	uint32_t mbuf_size;  /**< data room per mbuf (headroom included), bytes */
	uint32_t flow_capacity; /**< per worker */
	struct flow_timeouts timeouts;
	uint32_t event_ring_size; /**< per worker, power of two */
	struct pkt_tunnels tunnels; /**< decapsulated and matched on their inner headers */
	char lcores[128];  /**< EAL -l list (first = main lcore, others workers); "" = auto */
};

/** Defaults for every key. */
void dp_config_defaults(struct dp_config *cfg);

/**
 * Read the `sensor:` and `dataplane:` sections of @p path over the defaults.
 * @return 0, or -EINVAL with "file:line:col: reason" in @p err.
 */
int dp_config_load(struct dp_config *cfg, const char *path, char *err, size_t errlen);

#endif
