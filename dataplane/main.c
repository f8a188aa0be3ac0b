/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * main.c - iocwire-dataplane: EAL and configuration start-up, worker launch,
 * and the main lcore's service loop (control socket, event export, replay end).
 *
 *   iocwire-dataplane [EAL options] -- -c conf/iocwire.yaml [--replay]
 *                     [--socket PATH] [--snapshot FILE]
 */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_mbuf_dyn.h>

#include "dataplane.h"
#include "eal_args.h"
#include "ipc_server.h"
#include "port.h"
#include "snap_pub.h"
#include "stats.h"
#include "worker.h"

struct dataplane dataplane = {.ts_offset = -1};

struct app_args {
	const char *config;
	const char *socket;
	const char *snapshot;
	bool replay;
};

static void
on_signal(int sig)
{
	(void)sig;
	dataplane.stop = true;
}

static void
usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s [EAL options] -- -c CONFIG [--replay] [--socket PATH] [--snapshot FILE]\n"
		"  -c, --config FILE    conf/iocwire.yaml (sensor: and dataplane: sections)\n"
		"  --replay             read the ports to their end, flush every flow, report, exit;\n"
		"                       flow times come from packet timestamps\n"
		"  --socket PATH        control socket (overrides dataplane.socket)\n"
		"  --snapshot FILE      publish this compiled snapshot at start\n",
		prog);
}

static int
parse_args(int argc, char **argv, struct app_args *a)
{
	static const struct option opts[] = {
		{"config", required_argument, NULL, 'c'}, {"replay", no_argument, NULL, 'r'},
		{"socket", required_argument, NULL, 's'}, {"snapshot", required_argument, NULL, 'S'},
		{"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
	};
	int c;

	while ((c = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c': a->config = optarg; break;
		case 'r': a->replay = true; break;
		case 's': a->socket = optarg; break;
		case 'S': a->snapshot = optarg; break;
		default: return -EINVAL;
		}
	}
	if (optind != argc || a->config == NULL)
		return -EINVAL;
	return 0;
}

static int
setup_workers(char *err, size_t errlen)
{
	unsigned lcore;
	size_t sz;

	RTE_LCORE_FOREACH_WORKER(lcore) {
		struct worker_ctx *w;
		unsigned idx = dataplane.nb_workers;
		int rc;

		if (idx == DP_MAX_WORKERS)
			break;
		w = rte_zmalloc_socket("worker", sizeof(*w), RTE_CACHE_LINE_SIZE,
				       (int)rte_lcore_to_socket_id(lcore));
		if (w == NULL || (rc = worker_setup(w, idx, lcore, &dataplane.cfg)) < 0) {
			snprintf(err, errlen, "worker on lcore %u: cannot allocate its flow table/event ring "
				 "(flows.capacity %u, event_ring %u)", lcore, dataplane.cfg.flow_capacity,
				 dataplane.cfg.event_ring_size);
			return -ENOMEM;
		}
		dataplane.workers[dataplane.nb_workers++] = w;
	}
	if (dataplane.nb_workers == 0) {
		snprintf(err, errlen, "no worker lcore: give at least two lcores (EAL -l 0-1, or dataplane.lcores)");
		return -EINVAL;
	}
	sz = rte_rcu_qsbr_get_memsize(dataplane.nb_workers);
	dataplane.qsv = rte_zmalloc("rcu", sz, RTE_CACHE_LINE_SIZE);
	if (dataplane.qsv == NULL || rte_rcu_qsbr_init(dataplane.qsv, dataplane.nb_workers) != 0) {
		snprintf(err, errlen, "RCU state for %u workers", dataplane.nb_workers);
		return -ENOMEM;
	}
	return 0;
}

static void
init_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	dataplane.tsc_hz = rte_get_tsc_hz();
	dataplane.ns_per_tsc_q32 = (uint64_t)(((unsigned __int128)1000000000ULL << 32) / dataplane.tsc_hz);
	dataplane.tsc_base = rte_rdtsc();
	dataplane.wall_base_ns = (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
	/* PMDs that timestamp RX (net_pcap: capture time in us) fill this dynamic field. */
	if (rte_mbuf_dyn_rx_timestamp_register(&dataplane.ts_offset, &dataplane.ts_flag) != 0)
		dataplane.ts_offset = -1;
}

static int
open_socket(const char *path, char *err, size_t errlen)
{
	char dir[256];
	int rc;

	snprintf(dir, sizeof(dir), "%s", path);
	mkdir(dirname(dir), 0750);
	rc = ipc_server_open(path);
	if (rc < 0)
		snprintf(err, errlen, "control socket %s: %s", path, strerror(-rc));
	return rc;
}

static bool
all_workers_done(void)
{
	for (unsigned i = 0; i < dataplane.nb_workers; i++)
		if (!dataplane.workers[i]->done)
			return false;
	return true;
}

/* Replay ends once every worker flushed, every event went out, and the control plane hung up. */
static void
service_loop(void)
{
	bool end_sent = false;
	uint64_t end_deadline = 0;

	while (!dataplane.stop) {
		ipc_server_poll(1);
		ipc_server_pump_events();
		if (!dataplane.start && dataplane.replay && dataplane.snapshot != NULL &&
		    ipc_server_attached())
			dataplane.start = true;
		if (!dataplane.replay || !all_workers_done() || !ipc_server_drained())
			continue;
		if (!end_sent) {
			end_sent = ipc_server_send_end() == 0;
			end_deadline = rte_get_tsc_cycles() + 10 * rte_get_tsc_hz();
			if (!end_sent)
				break;
		} else if (!ipc_server_attached() || rte_get_tsc_cycles() > end_deadline) {
			break;
		}
	}
	dataplane.stop = true;
}

/* Live mode: flows still open at shutdown get their flow-end record (best effort, bounded). */
static void
flush_on_shutdown(void)
{
	if (dataplane.replay)
		return;
	for (unsigned i = 0; i < dataplane.nb_workers; i++) {
		worker_flush_stopped(dataplane.workers[i]);
		ipc_server_pump_events();
	}
	for (int tries = 0; tries < 100 && !ipc_server_drained() && ipc_server_attached(); tries++) {
		ipc_server_poll(10);
		ipc_server_pump_events();
	}
}

int
main(int argc, char **argv)
{
	struct app_args args = {0};
	char err[512];
	int rc;

	argc = eal_args_complete(argc, argv, &argv, err, sizeof(err));
	if (argc < 0) {
		fprintf(stderr, "iocwire-dataplane: %s\n", err);
		return EXIT_FAILURE;
	}
	rc = rte_eal_init(argc, argv);
	if (rc < 0)
		rte_exit(EXIT_FAILURE, "EAL initialisation failed: %s\n", rte_strerror(rte_errno));
	argc -= rc;
	argv += rc;
	if (parse_args(argc, argv, &args) < 0) {
		usage(argv[0]);
		rte_exit(EXIT_FAILURE, "invalid arguments\n");
	}
	dp_config_defaults(&dataplane.cfg);
	if (dp_config_load(&dataplane.cfg, args.config, err, sizeof(err)) < 0)
		rte_exit(EXIT_FAILURE, "%s\n", err);
	if (args.socket)
		snprintf(dataplane.cfg.socket_path, sizeof(dataplane.cfg.socket_path), "%s", args.socket);
	dataplane.replay = args.replay;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	/* vhost-user and the control socket write to peers that may be gone: an error, not a kill. */
	signal(SIGPIPE, SIG_IGN);
	init_clock();

	if (setup_workers(err, sizeof(err)) < 0 || port_setup_all(err, sizeof(err)) < 0 ||
	    open_socket(dataplane.cfg.socket_path, err, sizeof(err)) < 0)
		rte_exit(EXIT_FAILURE, "%s\n", err);
	if (args.snapshot && snap_pub_from_file(args.snapshot, NULL, err, sizeof(err)) < 0)
		rte_exit(EXIT_FAILURE, "%s\n", err);
	if (stats_telemetry_register() != 0)
		fprintf(stderr, "iocwire-dataplane: telemetry commands not registered\n");
	fprintf(stderr, "iocwire-dataplane: %u workers, %u ports x %u rx queues, %s mode, socket %s%s\n",
		dataplane.nb_workers, dataplane.nb_ports, dataplane.nb_rxq,
		dataplane.cfg.mode == DP_MODE_INLINE ? "inline" : "passive", dataplane.cfg.socket_path,
		dataplane.replay ? ", replay" : "");

	dataplane.start = !dataplane.replay;
	for (unsigned i = 0; i < dataplane.nb_workers; i++)
		rte_eal_remote_launch(worker_main, dataplane.workers[i], dataplane.workers[i]->lcore_id);
	service_loop();
	rte_eal_mp_wait_lcore();
	flush_on_shutdown();

	stats_print_summary(stderr);
	ipc_server_close();
	port_close_all();
	snap_pub_release();
	rte_eal_cleanup();
	return 0;
}
