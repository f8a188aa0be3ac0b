/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "dataplane.h"
#include "port.h"

/* Symmetric Toeplitz key: the repeated 0x6D5A gives the same hash both ways of a flow. */
static uint8_t symmetric_rss_key[40] = {
	0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a,
	0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a,
	0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a,
};

static int
resolve_ports(char *err, size_t errlen)
{
	const struct dp_config *cfg = &dataplane.cfg;
	uint16_t pid;

	if (cfg->nb_ports == 0) {
		RTE_ETH_FOREACH_DEV(pid) {
			if (dataplane.nb_ports == DP_MAX_PORTS)
				break;
			dataplane.port_ids[dataplane.nb_ports++] = pid;
		}
		if (dataplane.nb_ports == 0) {
			snprintf(err, errlen, "no ethdev port: give one with --vdev or bind a NIC");
			return -ENODEV;
		}
		return 0;
	}
	for (unsigned i = 0; i < cfg->nb_ports; i++) {
		if (rte_eth_dev_get_port_by_name(cfg->ports[i], &pid) != 0) {
			snprintf(err, errlen, "%s: dataplane.ports[%u]: no such device '%s' (probed: %u ports)",
				 cfg->path, i, cfg->ports[i], rte_eth_dev_count_avail());
			return -ENODEV;
		}
		dataplane.port_ids[dataplane.nb_ports++] = pid;
	}
	return 0;
}

/* NUMA node of a port; ports of unknown placement (virtual devices) use the main lcore's. */
static int
port_socket(uint16_t pid)
{
	int s = rte_eth_dev_socket_id(pid);

	return s < 0 ? (int)rte_socket_id() : s;
}

static struct rte_mempool *
create_pool(int socket, unsigned nb_rx_total, unsigned nb_tx_total, char *err, size_t errlen)
{
	char name[RTE_MEMPOOL_NAMESIZE];
	const struct dp_config *cfg = &dataplane.cfg;
	unsigned n = cfg->mbufs;
	struct rte_mempool *mp;

	/* What the rings hold when full, plus what the workers and per-lcore caches keep. */
	unsigned need = nb_rx_total * cfg->rx_desc + nb_tx_total * cfg->tx_desc +
			dataplane.nb_workers * (DP_MAX_BURST + cfg->mbuf_cache);

	if (n == 0) {
		n = need + 1024;
		if (n < 8191)
			n = 8191;
	} else if (n < need) {
		snprintf(err, errlen, "%s: dataplane.mbufs %u cannot fill the rings: %u RX queues x rx_desc %u + "
			 "%u TX queues x tx_desc %u + per-worker bursts and caches need %u; raise mbufs or "
			 "lower the descriptors (or use mbufs: auto)",
			 cfg->path, n, nb_rx_total, cfg->rx_desc, nb_tx_total, cfg->tx_desc, need);
		return NULL;
	}
	snprintf(name, sizeof(name), "iocw_mbufs_%d", socket);
	mp = rte_pktmbuf_pool_create(name, n, cfg->mbuf_cache, 0, (uint16_t)cfg->mbuf_size,
				     socket);
	if (mp == NULL)
		snprintf(err, errlen, "mempool of %u mbufs of %u bytes: %s (dataplane.mbufs, mbuf_size)",
			 n, cfg->mbuf_size, rte_strerror(rte_errno));
	return mp;
}

static int
setup_port(uint16_t pid, struct rte_mempool *mp, uint16_t nb_rxq, uint16_t nb_txq, char *err,
	   size_t errlen)
{
	const struct dp_config *cfg = &dataplane.cfg;
	struct rte_eth_conf conf = {0};
	struct rte_eth_dev_info info;
	char name[RTE_ETH_NAME_MAX_LEN] = "";
	uint16_t rxd = (uint16_t)cfg->rx_desc, txd = (uint16_t)cfg->tx_desc;
	int rc;

	rte_eth_dev_get_name_by_port(pid, name);
	rc = rte_eth_dev_info_get(pid, &info);
	if (rc != 0)
		goto out_err;
	if (nb_rxq > 1 && info.flow_type_rss_offloads != 0) {
		conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		conf.rx_adv_conf.rss_conf.rss_key = symmetric_rss_key;
		conf.rx_adv_conf.rss_conf.rss_key_len = sizeof(symmetric_rss_key);
		conf.rx_adv_conf.rss_conf.rss_hf =
			(RTE_ETH_RSS_IP | RTE_ETH_RSS_TCP | RTE_ETH_RSS_UDP) & info.flow_type_rss_offloads;
	}
	if (info.rx_offload_capa & RTE_ETH_RX_OFFLOAD_TIMESTAMP)
		conf.rxmode.offloads |= RTE_ETH_RX_OFFLOAD_TIMESTAMP;
	/* Passive mode sends nothing, but some PMDs (net_vhost) deliver nothing without a TX queue. */
	if (nb_txq == 0 && info.max_tx_queues > 0)
		nb_txq = 1;
	rc = rte_eth_dev_configure(pid, nb_rxq, nb_txq, &conf);
	if (rc == 0)
		rc = rte_eth_dev_adjust_nb_rx_tx_desc(pid, &rxd, &txd);
	for (uint16_t q = 0; rc == 0 && q < nb_rxq; q++)
		rc = rte_eth_rx_queue_setup(pid, q, rxd, port_socket(pid), NULL, mp);
	for (uint16_t q = 0; rc == 0 && q < nb_txq; q++)
		rc = rte_eth_tx_queue_setup(pid, q, txd, port_socket(pid), NULL);
	if (rc == 0)
		rc = rte_eth_dev_start(pid);
	if (rc == 0)
		rte_eth_promiscuous_enable(pid); /* a TAP/SPAN or wire sees other hosts' frames */
	if (rc == 0)
		return 0;
out_err:
	snprintf(err, errlen, "port %u (%s): setup failed: %s", pid, name, rte_strerror(-rc));
	return rc;
}

/* Link state at start: a down link is worth a line in the log, not a refusal (a TAP may come up later). */
static void
log_link(uint16_t pid)
{
	struct rte_eth_link link;
	char name[RTE_ETH_NAME_MAX_LEN] = "";

	rte_eth_dev_get_name_by_port(pid, name);
	if (rte_eth_link_get_nowait(pid, &link) != 0)
		return;
	fprintf(stderr, "iocwire-dataplane: port %u (%s): link %s %u Mbps, NUMA socket %d\n", pid, name,
		link.link_status ? "up" : "down", link.link_speed, port_socket(pid));
}

/* Queues the device can give: as many as workers, within its limits. */
static int
choose_queue_counts(uint16_t *nb_rxq, uint16_t *nb_txq, char *err, size_t errlen)
{
	uint16_t rxq = dataplane.cfg.rx_queues ? (uint16_t)dataplane.cfg.rx_queues
					       : (uint16_t)dataplane.nb_workers;
	bool inline_mode = dataplane.cfg.mode == DP_MODE_INLINE;

	for (uint16_t i = 0; i < dataplane.nb_ports; i++) {
		struct rte_eth_dev_info info;
		uint16_t pid = dataplane.port_ids[i];

		if (rte_eth_dev_info_get(pid, &info) != 0)
			continue;
		if (info.max_rx_queues < rxq) {
			if (dataplane.cfg.rx_queues) {
				snprintf(err, errlen, "port %u: rx_queues %u but the device has %u",
					 pid, rxq, info.max_rx_queues);
				return -EINVAL;
			}
			rxq = info.max_rx_queues;
		}
		if (inline_mode && info.max_tx_queues < dataplane.nb_workers) {
			snprintf(err, errlen, "port %u: inline mode needs %u TX queues (one per worker), device has %u",
				 pid, dataplane.nb_workers, info.max_tx_queues);
			return -EINVAL;
		}
	}
	if (inline_mode && dataplane.nb_ports % 2 != 0) {
		snprintf(err, errlen, "inline mode pairs ports (0<->1, 2<->3...): %u ports given",
			 dataplane.nb_ports);
		return -EINVAL;
	}
	*nb_rxq = rxq;
	*nb_txq = inline_mode ? (uint16_t)dataplane.nb_workers : 0;
	return 0;
}

/* Queue q of every port goes to worker q % workers: each worker owns one queue per port. */
static void
assign_queues(void)
{
	for (uint16_t p = 0; p < dataplane.nb_ports; p++) {
		for (uint16_t q = 0; q < dataplane.nb_rxq; q++) {
			struct worker_ctx *w = dataplane.workers[q % dataplane.nb_workers];
			struct worker_rxq *r = &w->rxq[w->nb_rxq++];

			r->port = dataplane.port_ids[p];
			r->queue = q;
			r->tx_port = dataplane.port_ids[p ^ 1];
			r->tx_queue = (uint16_t)w->index;
		}
	}
}

int
port_setup_all(char *err, size_t errlen)
{
	struct rte_mempool *pools[RTE_MAX_NUMA_NODES] = {NULL};
	uint16_t nb_rxq, nb_txq;
	int rc;

	rc = resolve_ports(err, errlen);
	if (rc == 0)
		rc = choose_queue_counts(&nb_rxq, &nb_txq, err, errlen);
	if (rc < 0)
		return rc;
	for (uint16_t i = 0; i < dataplane.nb_ports; i++) {
		uint16_t pid = dataplane.port_ids[i];
		int socket = port_socket(pid);

		/* One pool per NUMA node, shared by the ports on it: mbufs stay node-local. */
		if (pools[socket] == NULL) {
			pools[socket] = create_pool(socket, dataplane.nb_ports * nb_rxq, dataplane.nb_ports * nb_txq,
						    err, errlen);
			if (pools[socket] == NULL)
				return -ENOMEM;
		}
		rc = setup_port(pid, pools[socket], nb_rxq, nb_txq, err, errlen);
		if (rc < 0)
			return rc;
		log_link(pid);
	}
	dataplane.nb_rxq = nb_rxq;
	assign_queues();
	return 0;
}

void
port_close_all(void)
{
	for (uint16_t i = 0; i < dataplane.nb_ports; i++) {
		rte_eth_dev_stop(dataplane.port_ids[i]);
		rte_eth_dev_close(dataplane.port_ids[i]);
	}
}
