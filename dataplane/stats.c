/* SPDX-License-Identifier: BSD-3-Clause */
#include <inttypes.h>
#include <string.h>

#include <unistd.h>

#include <rte_ethdev.h>
#include <rte_telemetry.h>

#include "contract/ipc_proto.h"

#include "stats.h"

void
stats_sum(struct worker_stats *total)
{
	memset(total, 0, sizeof(*total));
	for (unsigned i = 0; i < dataplane.nb_workers; i++) {
		const uint64_t *src = (const uint64_t *)&dataplane.workers[i]->stats;
		uint64_t *dst = (uint64_t *)total;

		/* struct worker_stats is only uint64_t counters. */
		for (size_t j = 0; j < sizeof(*total) / sizeof(uint64_t); j++)
			dst[j] += src[j];
	}
	/* ... except one maximum. */
	total->max_loop_ns = 0;
	for (unsigned i = 0; i < dataplane.nb_workers; i++)
		total->max_loop_ns = RTE_MAX(total->max_loop_ns, dataplane.workers[i]->stats.max_loop_ns);
}

static void
add_counters(struct rte_tel_data *d, const struct worker_stats *s)
{
	rte_tel_data_add_dict_u64(d, "rx_pkts", s->rx_pkts);
	rte_tel_data_add_dict_u64(d, "rx_bytes", s->rx_bytes);
	rte_tel_data_add_dict_u64(d, "tx_pkts", s->tx_pkts);
	rte_tel_data_add_dict_u64(d, "tx_failed", s->tx_failed);
	rte_tel_data_add_dict_u64(d, "verdict_dropped", s->verdict_dropped);
	for (int r = 0; r < PKT_PARSE_RESULT_COUNT; r++) {
		char name[48];

		snprintf(name, sizeof(name), "parse_%s", pkt_parse_result_name(r));
		rte_tel_data_add_dict_u64(d, name, s->parse[r]);
	}
	rte_tel_data_add_dict_u64(d, "no_snapshot", s->no_snapshot);
	rte_tel_data_add_dict_u64(d, "filter_hits", s->filter_hits);
	rte_tel_data_add_dict_u64(d, "matches", s->matches);
	rte_tel_data_add_dict_u64(d, "events", s->events);
	rte_tel_data_add_dict_u64(d, "events_dropped", s->events_dropped);
	rte_tel_data_add_dict_u64(d, "flows_suppressed", s->flows_suppressed);
	rte_tel_data_add_dict_u64(d, "flows_excluded", s->flows_excluded);
	rte_tel_data_add_dict_u64(d, "names_seen", s->names_seen);
	rte_tel_data_add_dict_u64(d, "names_matched", s->names_matched);
	rte_tel_data_add_dict_u64(d, "tunnel_decap", s->tunnel_decap);
	rte_tel_data_add_dict_u64(d, "tunnel_outer", s->tunnel_outer);
	rte_tel_data_add_dict_u64(d, "max_loop_ns", s->max_loop_ns);
}

static int
tel_stats(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct worker_stats total;
	uint64_t flows_active = 0, flows_created = 0, flows_ended = 0, table_full = 0;

	(void)cmd;
	(void)params;
	stats_sum(&total);
	for (unsigned i = 0; i < dataplane.nb_workers; i++) {
		const struct flow_table_stats *f = &dataplane.workers[i]->flows.stats;

		flows_active += f->active;
		flows_created += f->created;
		flows_ended += f->ended;
		table_full += f->table_full;
	}
	rte_tel_data_start_dict(d);
	add_counters(d, &total);
	rte_tel_data_add_dict_u64(d, "flows_active", flows_active);
	rte_tel_data_add_dict_u64(d, "flows_created", flows_created);
	rte_tel_data_add_dict_u64(d, "flows_ended", flows_ended);
	rte_tel_data_add_dict_u64(d, "flow_table_full", table_full);
	return 0;
}

static int
tel_worker(const char *cmd, const char *params, struct rte_tel_data *d)
{
	unsigned idx;

	(void)cmd;
	if (params == NULL || sscanf(params, "%u", &idx) != 1 || idx >= dataplane.nb_workers)
		return -EINVAL;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "lcore", dataplane.workers[idx]->lcore_id);
	add_counters(d, &dataplane.workers[idx]->stats);
	return 0;
}

/* One port as the workers see it: totals, drops before a worker, and each RX/TX queue. */
static int
tel_port(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct rte_eth_stats es;
	struct rte_tel_data *rxq, *txq;
	unsigned idx;
	uint16_t port;

	(void)cmd;
	if (params == NULL || sscanf(params, "%u", &idx) != 1 || idx >= dataplane.nb_ports)
		return -EINVAL;
	port = dataplane.port_ids[idx];
	if (rte_eth_stats_get(port, &es) != 0)
		return -EIO;
	rxq = rte_tel_data_alloc();
	txq = rte_tel_data_alloc();
	if (rxq == NULL || txq == NULL) {
		rte_tel_data_free(rxq);
		rte_tel_data_free(txq);
		return -ENOMEM;
	}
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "port_id", port);
	rte_tel_data_add_dict_u64(d, "rx_pkts", es.ipackets);
	rte_tel_data_add_dict_u64(d, "rx_bytes", es.ibytes);
	rte_tel_data_add_dict_u64(d, "tx_pkts", es.opackets);
	rte_tel_data_add_dict_u64(d, "tx_bytes", es.obytes);
	rte_tel_data_add_dict_u64(d, "imissed", es.imissed);
	rte_tel_data_add_dict_u64(d, "rx_nombuf", es.rx_nombuf);
	rte_tel_data_add_dict_u64(d, "ierrors", es.ierrors);
	rte_tel_data_add_dict_u64(d, "oerrors", es.oerrors);
	/* Per queue as far as the PMD reports them (RTE_ETHDEV_QUEUE_STAT_CNTRS at most). */
	rte_tel_data_start_array(rxq, RTE_TEL_U64_VAL);
	rte_tel_data_start_array(txq, RTE_TEL_U64_VAL);
	for (unsigned q = 0; q < dataplane.nb_rxq && q < RTE_ETHDEV_QUEUE_STAT_CNTRS; q++)
		rte_tel_data_add_array_u64(rxq, es.q_ipackets[q]);
	/* Inline: a TX queue per worker on each port; passive ports transmit nothing. */
	for (unsigned q = 0; dataplane.cfg.mode == DP_MODE_INLINE && q < dataplane.nb_workers &&
			     q < RTE_ETHDEV_QUEUE_STAT_CNTRS;
	     q++)
		rte_tel_data_add_array_u64(txq, es.q_opackets[q]);
	rte_tel_data_add_dict_container(d, "rx_queue_pkts", rxq, 0);
	rte_tel_data_add_dict_container(d, "tx_queue_pkts", txq, 0);
	return 0;
}

static int
tel_snapshot(const char *cmd, const char *params, struct rte_tel_data *d)
{
	const struct dp_snapshot *s = dataplane.snapshot;

	(void)cmd;
	(void)params;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "generation", s ? s->view.generation : 0);
	rte_tel_data_add_dict_u64(d, "bytes", s ? s->len : 0);
	rte_tel_data_add_dict_u64(d, "iocs", s ? s->view.hdr->nb_iocs : 0);
	rte_tel_data_add_dict_u64(d, "created_unix", s ? s->view.hdr->created_unix : 0);
	rte_tel_data_add_dict_u64(d, "reloads", dataplane.nb_reloads);
	return 0;
}

int
stats_telemetry_register(void)
{
	int rc = rte_telemetry_register_cmd("/iocwire/stats", tel_stats,
					    "Counters summed over workers. No parameters");
	if (rc == 0)
		rc = rte_telemetry_register_cmd("/iocwire/worker", tel_worker,
						"Counters of one worker. Parameter: worker index");
	if (rc == 0)
		rc = rte_telemetry_register_cmd("/iocwire/port", tel_port,
						"Counters of one port and its queues. Parameter: port index");
	if (rc == 0)
		rc = rte_telemetry_register_cmd("/iocwire/snapshot", tel_snapshot,
						"Published IOC snapshot. No parameters");
	return rc;
}

void
stats_fill_ipc(struct ipc_stats *o)
{
	struct worker_stats t;

	memset(o, 0, sizeof(*o));
	stats_sum(&t);
	o->pid = (uint32_t)getpid();
	o->nb_workers = dataplane.nb_workers;
	o->nb_ports = dataplane.nb_ports;
	o->mode = dataplane.cfg.mode;
	o->uptime_ns = dataplane_now_ns() - dataplane.wall_base_ns;
	if (dataplane.snapshot != NULL) {
		o->generation = dataplane.snapshot->view.generation;
		o->snapshot_bytes = dataplane.snapshot->len;
		o->snapshot_iocs = dataplane.snapshot->view.hdr->nb_iocs;
	}
	o->reloads = dataplane.nb_reloads;
	o->rx_pkts = t.rx_pkts;
	o->rx_bytes = t.rx_bytes;
	o->tx_pkts = t.tx_pkts;
	o->tx_failed = t.tx_failed;
	o->verdict_dropped = t.verdict_dropped;
	for (int r = 0; r < PKT_PARSE_RESULT_COUNT && r < IPC_STATS_PARSE_REASONS; r++)
		o->parse[r] = t.parse[r];
	o->no_snapshot = t.no_snapshot;
	o->filter_hits = t.filter_hits;
	o->matches = t.matches;
	o->events = t.events;
	o->events_dropped = t.events_dropped;
	o->max_loop_ns = t.max_loop_ns;
	o->flows_suppressed = t.flows_suppressed;
	o->flows_excluded = t.flows_excluded;
	o->tunnel_decap = t.tunnel_decap;
	o->tunnel_outer = t.tunnel_outer;
	for (unsigned i = 0; i < dataplane.nb_workers; i++) {
		const struct worker_ctx *w = dataplane.workers[i];

		o->flows_active += w->flows.stats.active;
		o->flows_created += w->flows.stats.created;
		o->flows_ended += w->flows.stats.ended;
		o->flow_table_full += w->flows.stats.table_full;
		o->events_queued += rte_ring_count(w->events);
	}
	for (uint16_t p = 0; p < dataplane.nb_ports && p < IPC_STATS_MAX_PORTS; p++) {
		struct rte_eth_stats es;

		if (rte_eth_stats_get(dataplane.port_ids[p], &es) != 0)
			continue;
		o->ports[p] = (struct ipc_port_stats){
			.ipackets = es.ipackets, .opackets = es.opackets, .ibytes = es.ibytes,
			.obytes = es.obytes, .imissed = es.imissed, .ierrors = es.ierrors,
			.oerrors = es.oerrors, .rx_nombuf = es.rx_nombuf};
	}
}

void
stats_print_summary(FILE *f)
{
	struct worker_stats t;
	uint64_t bad = 0, table_full = 0, port_drops = 0;

	stats_sum(&t);
	for (int r = PKT_PARSE_NOT_IP + 1; r < PKT_PARSE_RESULT_COUNT; r++)
		bad += t.parse[r];
	for (unsigned i = 0; i < dataplane.nb_workers; i++)
		table_full += dataplane.workers[i]->flows.stats.table_full;
	/* Frames lost before a worker saw them: NIC ring full (imissed), no mbuf, bad frames. */
	for (uint16_t p = 0; p < dataplane.nb_ports; p++) {
		struct rte_eth_stats es;

		if (rte_eth_stats_get(dataplane.port_ids[p], &es) == 0)
			port_drops += es.imissed + es.rx_nombuf + es.ierrors;
	}
	fprintf(f,
		"iocwire-dataplane: rx %" PRIu64 " pkts %" PRIu64 " bytes, tx %" PRIu64
		", parsed %" PRIu64 ", not-ip %" PRIu64 ", malformed %" PRIu64 ", matches %" PRIu64
		", events %" PRIu64 " (dropped %" PRIu64 "), verdict-dropped %" PRIu64 ", flows suppressed %" PRIu64
		", excluded %" PRIu64 ", tunnels %" PRIu64 " (outer only %" PRIu64 "), flow-table-full %" PRIu64
		", port-drops %" PRIu64 "\n",
		t.rx_pkts, t.rx_bytes, t.tx_pkts, t.parse[PKT_PARSE_OK], t.parse[PKT_PARSE_NOT_IP], bad,
		t.matches, t.events, t.events_dropped, t.verdict_dropped, t.flows_suppressed, t.flows_excluded,
		t.tunnel_decap, t.tunnel_outer, table_full, port_drops);
}
