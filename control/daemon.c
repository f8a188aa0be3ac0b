/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * daemon.c - the control daemon's main loop: one poll() over the dataplane
 * connection, the command socket and the feed watcher; reloads compile aside
 * and replace the snapshot only when every feed parsed (docs/operations.md).
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "compile.h"
#include "ctl_socket.h"
#include "daemon.h"
#include "daemon_state.h"
#include "event_record.h"
#include "export.h"
#include "feed_watch.h"
#include "ipc_client.h"
#include "overrides.h"

#define RECONNECT_INTERVAL_NS 500000000ULL
#define STATS_WAIT_NS 500000000ULL

static volatile sig_atomic_t stop_requested, hup_requested;

static void
on_signal(int sig)
{
	if (sig == SIGHUP)
		hup_requested = 1;
	else
		stop_requested = 1;
}

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* systemd Type=notify without libsystemd: one datagram to $NOTIFY_SOCKET. */
static void
sd_notify_text(const char *text)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd;

	if (path == NULL || strlen(path) >= sizeof(sa.sun_path))
		return;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	if (sa.sun_path[0] == '@')
		sa.sun_path[0] = '\0'; /* abstract socket */
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	sendto(fd, text, strlen(text), MSG_NOSIGNAL, (struct sockaddr *)&sa,
	       (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path)));
	close(fd);
}

/* ---- dataplane session ---------------------------------------------------- */

static void
dp_disconnect(struct daemon *d, const char *why)
{
	if (d->dp_fd < 0)
		return;
	fprintf(stderr, "iocwire-control: dataplane connection lost (%s); events wait in its rings\n", why);
	close(d->dp_fd);
	d->dp_fd = -1;
	d->dp_hello = false;
	d->next_connect_ns = now_ns() + RECONNECT_INTERVAL_NS;
}

static int
dp_send_current(struct daemon *d)
{
	const void *blob;
	size_t len;
	uint64_t t0 = now_ns();
	int rc;

	if (d->dp_fd < 0 || snapshot_store_current_blob(&d->store, &blob, &len) < 0)
		return -ENOTCONN;
	rc = ipc_client_send_snapshot(d->dp_fd, blob, len, snapshot_store_current(&d->store)->generation);
	d->pending.transfer_ns = now_ns() - t0;
	if (rc < 0)
		dp_disconnect(d, strerror(-rc));
	return rc;
}

static void
dp_try_connect(struct daemon *d, int timeout_ms)
{
	struct ipc_hello hello = {.version = IPC_PROTO_VERSION, .pid = (uint32_t)getpid()};
	int fd = ipc_client_connect(d->cfg->socket_path, timeout_ms);

	d->next_connect_ns = now_ns() + RECONNECT_INTERVAL_NS;
	if (fd < 0)
		return;
	d->dp_fd = fd;
	if (ipc_client_send(fd, IPC_MSG_HELLO, &hello, sizeof(hello)) < 0)
		dp_disconnect(d, "hello failed");
}

/* The dataplane says which snapshot it runs: send ours only when it is newer. */
static void
on_hello(struct daemon *d, const struct ipc_hello *h)
{
	const struct snapshot_view *cur = snapshot_store_current(&d->store);

	if (h->version != IPC_PROTO_VERSION) {
		fprintf(stderr, "iocwire-control: the dataplane speaks protocol version %u, this control plane %u: "
				"run one iocwire release; nothing is sent to it\n", h->version, IPC_PROTO_VERSION);
		return;
	}
	d->dp_hello = true;
	d->dp_pid = h->pid;
	d->dp_generation = h->generation;
	fprintf(stderr, "iocwire-control: attached to the dataplane (pid %u, snapshot %" PRIu64 ")\n", h->pid,
		h->generation);
	if (cur != NULL && cur->generation > h->generation)
		dp_send_current(d);
}

static void
on_ack(struct daemon *d, const struct ipc_snapshot_ack *ack)
{
	struct reload_record *r = &d->pending;

	d->dp_generation = ack->generation;
	if (ack->status == 0)
		fprintf(stderr, "iocwire-control: snapshot %" PRIu64 " published (validate %.2f ms, swap %.2f ms)\n",
			ack->generation, ack->validate_ns / 1e6, ack->swap_ns / 1e6);
	else
		fprintf(stderr, "iocwire-control: dataplane refused the snapshot: %.*s\n",
			(int)sizeof(ack->reason), ack->reason);
	if (!r->open)
		return;
	r->validate_ns = ack->validate_ns;
	r->swap_ns = ack->swap_ns;
	r->status = ack->status;
	if (ack->status != 0)
		snprintf(r->error, sizeof(r->error), "dataplane refused: %.*s", (int)sizeof(ack->reason),
			 ack->reason);
	daemon_reload_finish(d);
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

		const struct snapshot_view *view;
		struct flow_meta_entry kept;

		/* A record without addresses or kind would mislead a hunt: count it, skip it. */
		if ((ev->family != IOCW_FAMILY_V4 && ev->family != IOCW_FAMILY_V6) ||
		    (ev->type != IOCW_EVENT_MATCH && ev->type != IOCW_EVENT_FLOW_END)) {
			d->nb_bad_events++;
			continue;
		}
		view = snapshot_store_find(&d->store, ev->generation);
		event_record_fill(&rec, ev, view, d->cfg);
		/* A flow-end after many reloads: its snapshot may be gone, its match record is not. */
		if (ev->type == IOCW_EVENT_MATCH)
			flow_meta_put(&d->flows, ev->flow_id, &rec.cef);
		else
			flow_meta_take(&d->flows, ev->flow_id, view ? NULL : &rec.cef, &kept);
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
dp_handle(struct daemon *d, const uint8_t *buf, int len)
{
	const struct ipc_msg_hdr *hdr = (const struct ipc_msg_hdr *)buf;
	const void *payload = buf + sizeof(*hdr);

	switch (hdr->type) {
	case IPC_MSG_EVENTS:
		export_events(d, payload, (size_t)len);
		break;
	case IPC_MSG_HELLO:
		if ((size_t)len == sizeof(struct ipc_hello))
			on_hello(d, payload);
		break;
	case IPC_MSG_SNAPSHOT_ACK:
		if ((size_t)len == sizeof(struct ipc_snapshot_ack))
			on_ack(d, payload);
		break;
	case IPC_MSG_STATS:
		if ((size_t)len == sizeof(struct ipc_stats)) {
			memcpy(&d->dp_stats, payload, sizeof(d->dp_stats));
			d->have_stats = true;
			daemon_status_answer(d);
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

static void
dp_receive(struct daemon *d)
{
	static uint8_t buf[IPC_MAX_MSG] __attribute__((aligned(8)));

	for (int i = 0; i < 64 && d->dp_fd >= 0; i++) {
		int len = ipc_client_recv(d->dp_fd, buf, 0);

		if (len == -ETIMEDOUT)
			return;
		if (len < 0) {
			dp_disconnect(d, strerror(-len));
			return;
		}
		dp_handle(d, buf, len);
	}
}

/* ---- reloads ------------------------------------------------------------------ */

void
daemon_request_reload(struct daemon *d, const char *trigger, uint64_t delay_ns)
{
	uint64_t at = now_ns() + delay_ns;

	/*
	 * A burst of file events (an editor's save) gives one reload after it
	 * settles; a command or SIGHUP (no delay) is never postponed by them.
	 */
	if (!d->reload_due || delay_ns == 0 || (!d->reload_now && at > d->reload_at_ns))
		d->reload_at_ns = delay_ns == 0 ? at : (d->reload_due && d->reload_now ? d->reload_at_ns : at);
	d->reload_now |= delay_ns == 0;
	d->reload_due = true;
	snprintf(d->reload_trigger, sizeof(d->reload_trigger), "%s", trigger);
}

static unsigned
all_feeds(const struct daemon *d, struct control_feed *feeds)
{
	unsigned n = d->cfg->nb_feeds;

	memcpy(feeds, d->cfg->feeds, n * sizeof(*feeds));
	overrides_feeds(d->cfg->state_dir, feeds, &n, CONTROL_MAX_FEEDS + 3);
	return n;
}

/* Same indicators and metadata as the current snapshot (only generation and times differ)? */
static bool
same_content(const struct daemon *d, const void *blob, size_t len)
{
	const void *cur;
	size_t cur_len;
	const struct snap_header *h = blob;

	if (snapshot_store_current_blob(&d->store, &cur, &cur_len) < 0 || cur_len != len)
		return false;
	return memcmp((const uint8_t *)cur + h->header_size, (const uint8_t *)blob + h->header_size,
		      len - h->header_size) == 0;
}

/*
 * Exclusions and policy live in the configuration file: a reload reads them
 * again, so editing them takes effect like a feed change. A file that no
 * longer parses fails the reload and keeps the previous ones.
 */
static int
reread_exclusions(struct daemon *d, struct reload_record *r)
{
	static struct control_config fresh;
	char err[512];

	if (d->cfg->path[0] == '\0')
		return 0;
	control_config_defaults(&fresh);
	if (control_config_load(&fresh, d->cfg->path, err, sizeof(err)) < 0) {
		r->status = -EINVAL;
		snprintf(r->error, sizeof(r->error), "configuration: %s", err);
		exclusions_free(fresh.excl);
		return -EINVAL;
	}
	exclusions_free(d->excl);
	d->excl = fresh.excl;
	return 0;
}

/* Compile aside; a failed feed leaves the published snapshot in place. */
int
daemon_reload(struct daemon *d, const char *trigger)
{
	static struct control_feed feeds[CONTROL_MAX_FEEDS + 3];
	struct reload_record *r = &d->pending;
	struct compile_result res;
	char *report = NULL;
	size_t report_len = 0;
	FILE *rep = open_memstream(&report, &report_len);
	unsigned n = all_feeds(d, feeds);
	int rc;

	sd_notify_text("RELOADING=1");
	memset(r, 0, sizeof(*r));
	r->open = true;
	r->at = time(NULL);
	snprintf(r->trigger, sizeof(r->trigger), "%s", trigger);
	rc = reread_exclusions(d, r);
	if (rc < 0) {
		if (rep)
			fclose(rep);
		free(report);
		daemon_reload_finish(d);
		return rc;
	}
	rc = compile_feeds_excl(feeds, n, compile_new_generation(), d->excl ? d->excl : d->cfg->excl,
				rep ? rep : stderr, &res);
	if (rep)
		fclose(rep);
	if (report) {
		fputs(report, stderr);
		free(d->last_report);
		d->last_report = report;
	}
	r->compile_ns = res.compile_ns;
	if (rc < 0) {
		r->status = rc;
		snprintf(r->error, sizeof(r->error), "a feed failed: previous snapshot kept (see the log)");
		daemon_reload_finish(d);
		return rc;
	}
	if (same_content(d, res.blob, res.len)) {
		/* Nothing changed: keep the generation the dataplane already runs. */
		free(res.blob);
		r->generation = snapshot_store_current(&d->store)->generation;
		r->unchanged = true;
		daemon_reload_finish(d);
		return 0;
	}
	rc = snapshot_store_add(&d->store, res.blob, res.len, r->error, sizeof(r->error));
	r->generation = rc == 0 ? snapshot_store_current(&d->store)->generation : 0;
	if (rc < 0 || !d->dp_hello || dp_send_current(d) < 0) {
		r->status = rc;
		if (rc == 0)
			snprintf(r->error, sizeof(r->error), "compiled; the dataplane is not attached");
		daemon_reload_finish(d);
		return rc;
	}
	return 0; /* finished when the dataplane's ACK arrives */
}

void
daemon_reload_finish(struct daemon *d)
{
	struct reload_record *r = &d->pending;

	if (!r->open)
		return;
	r->open = false;
	d->history[d->nb_reloads++ % DAEMON_HISTORY] = *r;
	if (r->status == 0)
		fprintf(stderr, "iocwire-control: reload (%s): generation %" PRIu64 "%s, compile %.1f ms, "
				"transfer %.2f ms, validate %.2f ms, swap %.2f ms\n",
			r->trigger, r->generation, r->unchanged ? " (unchanged)" : "", r->compile_ns / 1e6,
			r->transfer_ns / 1e6, r->validate_ns / 1e6, r->swap_ns / 1e6);
	else
		fprintf(stderr, "iocwire-control: reload (%s) failed: %s\n", r->trigger, r->error);
	daemon_ctl_reload_done(d, r);
	sd_notify_text("READY=1");
}

/* ---- main loop -------------------------------------------------------------- */

static void
watch_feeds(struct daemon *d)
{
	if (d->opts->no_watch || feed_watch_init(&d->watch) < 0)
		return;
	if (d->cfg->path[0] != '\0')
		feed_watch_add(&d->watch, d->cfg->path); /* exclusions and policy */
	for (unsigned i = 0; i < d->cfg->nb_feeds; i++)
		if (feed_watch_add(&d->watch, d->cfg->feeds[i].path) < 0)
			fprintf(stderr, "iocwire-control: cannot watch %s: changes need a reload command\n",
				d->cfg->feeds[i].path);
}

static int
poll_timeout_ms(const struct daemon *d)
{
	uint64_t now = now_ns();
	int ms = export_busy(&d->ex) ? 10 : 200;

	if (d->reload_due)
		ms = d->reload_at_ns <= now ? 0 : (int)((d->reload_at_ns - now) / 1000000 + 1) < ms
							? (int)((d->reload_at_ns - now) / 1000000 + 1)
							: ms;
	return ms;
}

static void
loop_once(struct daemon *d)
{
	struct pollfd pfd[3] = {{.fd = d->dp_fd, .events = POLLIN},
				{.fd = d->ctl_fd, .events = POLLIN},
				{.fd = d->watch.fd, .events = POLLIN}};
	uint64_t now;

	poll(pfd, 3, poll_timeout_ms(d));
	export_tick(&d->ex);
	now = now_ns();
	if (hup_requested) {
		hup_requested = 0;
		daemon_request_reload(d, "sighup", 0);
	}
	if ((pfd[2].revents & POLLIN) && feed_watch_changed(&d->watch))
		daemon_request_reload(d, "file", d->cfg->reload_delay_ns);
	if (d->reload_due && now >= d->reload_at_ns && !d->pending.open) {
		d->reload_due = false;
		d->reload_now = false;
		daemon_reload(d, d->reload_trigger);
	}
	if (d->dp_fd >= 0 && (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)))
		dp_receive(d);
	if (d->dp_fd < 0 && !d->opts->exit_on_end && now >= d->next_connect_ns)
		dp_try_connect(d, 0);
	if (pfd[1].revents & POLLIN)
		daemon_ctl_accept(d);
	daemon_status_expire(d, now);
}

static void
release(struct daemon *d)
{
	snapshot_store_release(&d->store);
	feed_watch_close(&d->watch);
	if (d->dp_fd >= 0)
		close(d->dp_fd);
	if (d->ctl_fd >= 0) {
		close(d->ctl_fd);
		unlink(d->cfg->ctl_socket);
	}
	free(d->last_report);
	flow_meta_release(&d->flows);
	exclusions_free(d->excl);
	export_close(&d->ex);
}

static int
start(struct daemon *d)
{
	char err[512];

	snapshot_store_init(&d->store, d->opts->exit_on_end ? NULL : d->cfg->state_dir);
	if (flow_meta_init(&d->flows) < 0)
		return -ENOMEM;
	/* The snapshot of the previous run: events still queued in the dataplane refer to it. */
	if (snapshot_store_load(&d->store, err, sizeof(err)) == 0)
		fprintf(stderr, "iocwire-control: previous snapshot %" PRIu64 " restored from %s\n",
			snapshot_store_current(&d->store)->generation, d->store.path);
	if (daemon_reload(d, "start") < 0 && snapshot_store_current(&d->store) == NULL) {
		fprintf(stderr, "iocwire-control: no snapshot compiled: fix the feed errors above\n");
		return -EINVAL;
	}
	if (export_open(&d->ex, d->cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "iocwire-control: %s\n", err);
		return -EINVAL;
	}
	if (!d->opts->exit_on_end) {
		d->ctl_fd = ctl_socket_listen(d->cfg->ctl_socket);
		if (d->ctl_fd < 0)
			fprintf(stderr, "iocwire-control: command socket %s: %s (status/reload commands unavailable)\n",
				d->cfg->ctl_socket, strerror(-d->ctl_fd));
		watch_feeds(d);
		dp_try_connect(d, 0);
		return 0;
	}
	/* Replay: the dataplane is starting next to us; wait for it. */
	dp_try_connect(d, d->opts->connect_timeout_ms);
	if (d->dp_fd < 0) {
		fprintf(stderr, "iocwire-control: cannot reach the dataplane at %s\n", d->cfg->socket_path);
		return -ENOTCONN;
	}
	return 0;
}

int
daemon_run(const struct control_config *cfg, const struct daemon_opts *opts)
{
	static struct daemon d;
	int status = EXIT_FAILURE;

	memset(&d, 0, sizeof(d));
	d.cfg = cfg;
	d.opts = opts;
	d.dp_fd = d.ctl_fd = d.watch.fd = -1;
	d.started = time(NULL);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	signal(SIGPIPE, SIG_IGN);
	if (start(&d) < 0)
		goto out_release;
	sd_notify_text("READY=1");
	while (!stop_requested && !d.ended) {
		loop_once(&d);
		/* In a replay the dataplane going away before END is a failure. */
		if (opts->exit_on_end && d.dp_fd < 0 && !d.ended)
			break;
	}
	sd_notify_text("STOPPING=1");
	fprintf(stderr, "iocwire-control: %" PRIu64 " match records, %" PRIu64 " flow-end records, %" PRIu64
			" events dropped by the dataplane, %" PRIu64 " records too long, %" PRIu64
			" malformed events skipped\n",
		d.nb_match, d.nb_flow_end, d.nb_dp_dropped, (uint64_t)d.ex.nb_too_long, d.nb_bad_events);
	if (export_drain(&d.ex, cfg->delivery.drain_timeout_ns) > 0)
		fprintf(stderr, "iocwire-control: collector unreachable: records stay in the spool for the next run\n");
	export_report(&d.ex, stderr);
	if (d.ended || (stop_requested && !opts->exit_on_end))
		status = export_nb_errors(&d.ex) ? EXIT_FAILURE : EXIT_SUCCESS;
out_release:
	release(&d);
	return status;
}
