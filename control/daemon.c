/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compile.h"
#include "daemon.h"
#include "event_record.h"
#include "export.h"
#include "ipc_client.h"

/* Snapshots kept so that events naming an older generation still resolve. */
#define KEEP_SNAPSHOTS 4

struct daemon {
	const struct control_config *cfg;
	struct exporter ex;
	int fd;
	struct {
		void *blob;
		struct snapshot_view view;
	} snaps[KEEP_SNAPSHOTS];
	unsigned next_snap;
	uint64_t nb_match, nb_flow_end, nb_dp_dropped;
	bool ended;
};

static volatile sig_atomic_t stop_requested;

static void
on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static const struct snapshot_view *
find_snapshot(const struct daemon *d, uint64_t generation)
{
	for (unsigned i = 0; i < KEEP_SNAPSHOTS; i++)
		if (d->snaps[i].blob && d->snaps[i].view.generation == generation)
			return &d->snaps[i].view;
	return NULL;
}

static int
keep_snapshot(struct daemon *d, void *blob, size_t len)
{
	unsigned slot = d->next_snap++ % KEEP_SNAPSHOTS;
	char err[256];

	free(d->snaps[slot].blob);
	d->snaps[slot].blob = blob;
	if (snapshot_open(&d->snaps[slot].view, blob, len, err, sizeof(err)) < 0) {
		fprintf(stderr, "iocwire-control: compiled snapshot does not validate: %s\n", err);
		return -EINVAL;
	}
	return 0;
}

static void
export_events(struct daemon *d, const struct ipc_events *body, size_t len)
{
	if (len < sizeof(*body) || body->nb_events > (len - sizeof(*body)) / sizeof(struct iocw_event)) {
		fprintf(stderr, "iocwire-control: malformed EVENTS message ignored\n");
		return;
	}
	for (uint32_t i = 0; i < body->nb_events; i++) {
		const struct iocw_event *ev = &body->events[i];
		struct event_record rec;

		event_record_fill(&rec, ev, find_snapshot(d, ev->generation), d->cfg);
		export_event(&d->ex, &rec.cef);
		if (ev->type == IOCW_EVENT_MATCH)
			d->nb_match++;
		else
			d->nb_flow_end++;
	}
	d->nb_dp_dropped = body->nb_dropped;
	export_flush(&d->ex);
}

static void
handle_message(struct daemon *d, const uint8_t *buf, int len)
{
	const struct ipc_msg_hdr *hdr = (const struct ipc_msg_hdr *)buf;
	const void *payload = buf + sizeof(*hdr);

	switch (hdr->type) {
	case IPC_MSG_EVENTS:
		export_events(d, payload, (size_t)len);
		break;
	case IPC_MSG_SNAPSHOT_ACK:
		if ((size_t)len == sizeof(struct ipc_snapshot_ack)) {
			const struct ipc_snapshot_ack *ack = payload;

			if (ack->status == 0)
				fprintf(stderr, "iocwire-control: snapshot %lu published (validate %.2f ms, swap %.2f ms)\n",
					(unsigned long)ack->generation, ack->validate_ns / 1e6, ack->swap_ns / 1e6);
			else
				fprintf(stderr, "iocwire-control: dataplane refused the snapshot: %.*s\n",
					(int)sizeof(ack->reason), ack->reason);
		}
		break;
	case IPC_MSG_END:
		d->ended = true;
		break;
	case IPC_MSG_ERROR:
		if ((size_t)len == sizeof(struct ipc_error))
			fprintf(stderr, "iocwire-control: dataplane error: %.*s\n",
				(int)sizeof(((struct ipc_error *)0)->reason),
				((const struct ipc_error *)payload)->reason);
		break;
	default:
		break;
	}
}

static int
attach(struct daemon *d, const struct daemon_opts *opts, const void *blob, size_t len, uint64_t gen)
{
	struct ipc_hello hello = {.version = IPC_PROTO_VERSION, .pid = (uint32_t)getpid()};
	int rc;

	d->fd = ipc_client_connect(d->cfg->socket_path, opts->connect_timeout_ms);
	if (d->fd < 0) {
		fprintf(stderr, "iocwire-control: cannot reach the dataplane at %s: %s\n",
			d->cfg->socket_path, strerror(-d->fd));
		return d->fd;
	}
	rc = ipc_client_send_snapshot(d->fd, blob, len, gen);
	if (rc == 0)
		rc = ipc_client_send(d->fd, IPC_MSG_HELLO, &hello, sizeof(hello));
	if (rc < 0)
		fprintf(stderr, "iocwire-control: sending to the dataplane: %s\n", strerror(-rc));
	return rc;
}

static void
release(struct daemon *d)
{
	for (unsigned i = 0; i < KEEP_SNAPSHOTS; i++)
		free(d->snaps[i].blob);
	if (d->fd >= 0)
		close(d->fd);
	export_close(&d->ex);
}

int
daemon_run(const struct control_config *cfg, const struct daemon_opts *opts)
{
	static uint8_t buf[IPC_MAX_MSG] __attribute__((aligned(8)));
	struct daemon d = {.cfg = cfg, .fd = -1};
	struct compile_result res;
	char err[512];
	int status = EXIT_FAILURE;

	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);
	if (compile_feeds(cfg->feeds, cfg->nb_feeds, compile_new_generation(), stderr, &res) < 0) {
		fprintf(stderr, "iocwire-control: no snapshot compiled: fix the feed errors above\n");
		return EXIT_FAILURE;
	}
	if (keep_snapshot(&d, res.blob, res.len) < 0)
		goto out_release;
	if (export_open(&d.ex, cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "iocwire-control: %s\n", err);
		goto out_release;
	}
	if (attach(&d, opts, res.blob, res.len, d.snaps[0].view.generation) < 0)
		goto out_release;

	while (!stop_requested && !d.ended) {
		/* Wake sooner while records wait for a collector: the spool drains per tick. */
		int len = ipc_client_recv(d.fd, buf, export_busy(&d.ex) ? 10 : 200);

		export_tick(&d.ex);
		if (len == -ETIMEDOUT || len == -EINTR)
			continue;
		if (len < 0) {
			fprintf(stderr, "iocwire-control: dataplane connection lost: %s\n", strerror(-len));
			break;
		}
		handle_message(&d, buf, len);
	}
	fprintf(stderr, "iocwire-control: %lu match records, %lu flow-end records, %lu events dropped by the dataplane, %lu records too long\n",
		(unsigned long)d.nb_match, (unsigned long)d.nb_flow_end, (unsigned long)d.nb_dp_dropped,
		(unsigned long)d.ex.nb_too_long);
	if (export_drain(&d.ex, cfg->delivery.drain_timeout_ns) > 0)
		fprintf(stderr, "iocwire-control: collector unreachable: records stay in the spool for the next run\n");
	export_report(&d.ex, stderr);
	if (d.ended || (stop_requested && !opts->exit_on_end))
		status = export_nb_errors(&d.ex) ? EXIT_FAILURE : EXIT_SUCCESS;
out_release:
	release(&d);
	return status;
}
