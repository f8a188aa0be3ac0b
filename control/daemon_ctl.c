/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * daemon_ctl.c - the control daemon's command socket: status (text or JSON),
 * lookup, add, remove and reload. Commands that change the indicators answer
 * once the new snapshot is published (or the reload failed).
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "contract/exclusion.h"
#include "contract/snapshot_match.h"
#include "ctl_socket.h"
#include "daemon_state.h"
#include "ioc.h"
#include "ipc_client.h"
#include "overrides.h"

static const char *const type_names[IOCW_IOC_TYPE_COUNT] = {"ip", "ip:port", "cidr", "domain", "url"};

static void
reply_fmt(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
reply_fmt(int fd, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	ctl_socket_reply(fd, buf, n < 0 ? 0 : (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
	close(fd);
}

static bool
add_waiter(int *list, unsigned *nb, int fd)
{
	if (*nb == DAEMON_WAITERS)
		return false;
	list[(*nb)++] = fd;
	return true;
}

/* ---- status ----------------------------------------------------------------- */

static void
json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void
status_json(const struct daemon *d, FILE *f)
{
	const struct snapshot_view *v = snapshot_store_current(&d->store);
	const struct ipc_stats *s = &d->dp_stats;
	char *exp = NULL;
	size_t exp_len = 0;
	FILE *ef = open_memstream(&exp, &exp_len);

	if (ef) {
		export_report(&d->ex, ef);
		fclose(ef);
	}
	fprintf(f, "{\"control\": {\"pid\": %d, \"uptime_s\": %ld, \"config\": ", (int)getpid(),
		(long)(time(NULL) - d->started));
	json_string(f, d->cfg->path);
	fprintf(f, "}, \"dataplane\": {\"attached\": %s, \"pid\": %u, \"generation\": %" PRIu64,
		d->dp_hello ? "true" : "false", d->dp_pid, d->dp_generation);
	if (d->have_stats)
		fprintf(f, ", \"workers\": %u, \"ports\": %u, \"mode\": \"%s\", \"rx_pkts\": %" PRIu64
			   ", \"rx_bytes\": %" PRIu64 ", \"tx_pkts\": %" PRIu64 ", \"matches\": %" PRIu64
			   ", \"filter_hits\": %" PRIu64 ", \"verdict_dropped\": %" PRIu64
			   ", \"events\": %" PRIu64 ", \"events_dropped\": %" PRIu64 ", \"events_queued\": %" PRIu64
			   ", \"flows_active\": %" PRIu64 ", \"flows_created\": %" PRIu64 ", \"flows_ended\": %" PRIu64
			   ", \"flow_table_full\": %" PRIu64 ", \"malformed\": %" PRIu64
			   ", \"max_loop_us\": %.1f, \"flows_suppressed\": %" PRIu64 ", \"flows_excluded\": %" PRIu64
			   ", \"tunnel_decap\": %" PRIu64 ", \"tunnel_outer\": %" PRIu64,
			s->nb_workers, s->nb_ports, s->mode ? "inline" : "passive", s->rx_pkts, s->rx_bytes,
			s->tx_pkts, s->matches, s->filter_hits, s->verdict_dropped, s->events, s->events_dropped,
			s->events_queued, s->flows_active, s->flows_created, s->flows_ended, s->flow_table_full,
			s->rx_pkts - s->parse[0] - s->parse[1], s->max_loop_ns / 1e3, s->flows_suppressed,
			s->flows_excluded, s->tunnel_decap, s->tunnel_outer);
	fprintf(f, "}, \"snapshot\": {");
	if (v)
		fprintf(f, "\"generation\": %" PRIu64 ", \"age_s\": %ld, \"bytes\": %" PRIu64 ", \"iocs\": %" PRIu64,
			v->generation, (long)(time(NULL) - (time_t)v->hdr->created_unix), v->hdr->total_size,
			v->hdr->nb_iocs);
	for (int t = 0; v && t < IOCW_IOC_TYPE_COUNT; t++)
		fprintf(f, ", \"%s\": %u", type_names[t], v->hdr->nb_by_type[t]);
	fprintf(f, "}, \"feeds_report\": ");
	json_string(f, d->last_report);
	fprintf(f, ", \"reloads\": [");
	for (uint64_t i = d->nb_reloads > DAEMON_HISTORY ? d->nb_reloads - DAEMON_HISTORY : 0, first = 1;
	     i < d->nb_reloads; i++, first = 0) {
		const struct reload_record *r = &d->history[i % DAEMON_HISTORY];

		fprintf(f, "%s{\"at\": %ld, \"trigger\": \"%s\", \"status\": %d, \"generation\": %" PRIu64
			   ", \"compile_ms\": %.3f, \"transfer_ms\": %.3f, \"validate_ms\": %.3f, \"swap_ms\": %.3f,"
			   " \"error\": ",
			first ? "" : ", ", (long)r->at, r->trigger, r->status, r->generation, r->compile_ns / 1e6,
			r->transfer_ns / 1e6, r->validate_ns / 1e6, r->swap_ns / 1e6);
		json_string(f, r->error);
		fputc('}', f);
	}
	fprintf(f, "], \"exported\": {\"match\": %" PRIu64 ", \"flow_end\": %" PRIu64
		   ", \"malformed_skipped\": %" PRIu64 "}, \"exporter\": ",
		d->nb_match, d->nb_flow_end, d->nb_bad_events);
	json_string(f, exp);
	fprintf(f, "}\n");
	free(exp);
}

static void
status_text(const struct daemon *d, FILE *f)
{
	const struct snapshot_view *v = snapshot_store_current(&d->store);
	const struct ipc_stats *s = &d->dp_stats;

	fprintf(f, "%-12s pid %d, up %lds, config %s\n", "control", (int)getpid(),
		(long)(time(NULL) - d->started), d->cfg->path);
	if (!d->dp_hello)
		fprintf(f, "%-12s not attached (%s)\n", "dataplane", d->cfg->socket_path);
	else
		fprintf(f, "%-12s pid %u, snapshot %" PRIu64 "%s\n", "dataplane", d->dp_pid, d->dp_generation,
			d->have_stats ? "" : " (counters unavailable)");
	if (v) {
		fprintf(f, "%-12s generation %" PRIu64 ", age %lds, %" PRIu64 " bytes, %" PRIu64 " indicators (",
			"snapshot", v->generation, (long)(time(NULL) - (time_t)v->hdr->created_unix),
			v->hdr->total_size, v->hdr->nb_iocs);
		for (int t = 0; t < IOCW_IOC_TYPE_COUNT; t++)
			fprintf(f, "%s%s %u", t ? ", " : "", type_names[t], v->hdr->nb_by_type[t]);
		fprintf(f, ")\n");
	}
	if (d->last_report)
		fprintf(f, "feeds (last compile):\n%s", d->last_report);
	fprintf(f, "reloads: %" PRIu64 "\n", d->nb_reloads);
	for (uint64_t i = d->nb_reloads > 5 ? d->nb_reloads - 5 : 0; i < d->nb_reloads; i++) {
		const struct reload_record *r = &d->history[i % DAEMON_HISTORY];
		char when[32];

		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", gmtime(&r->at));
		fprintf(f, "  %s %-8s %s gen %" PRIu64 " compile %.1f ms transfer %.2f ms validate %.2f ms "
			   "swap %.2f ms%s%s\n",
			when, r->trigger, r->status == 0 ? "ok  " : "FAIL", r->generation, r->compile_ns / 1e6,
			r->transfer_ns / 1e6, r->validate_ns / 1e6, r->swap_ns / 1e6, r->error[0] ? ": " : "",
			r->error);
	}
	if (d->have_stats) {
		fprintf(f, "%-12s %u workers, %u ports, %s; rx %" PRIu64 " pkts %" PRIu64 " bytes, tx %" PRIu64
			   ", malformed %" PRIu64 ", matches %" PRIu64 ", verdict-dropped %" PRIu64 "\n",
			"traffic", s->nb_workers, s->nb_ports, s->mode ? "inline" : "passive", s->rx_pkts,
			s->rx_bytes, s->tx_pkts, s->rx_pkts - s->parse[0] - s->parse[1], s->matches,
			s->verdict_dropped);
		fprintf(f, "%-12s active %" PRIu64 ", created %" PRIu64 ", ended %" PRIu64 ", table full %" PRIu64
			   "\n", "flows", s->flows_active, s->flows_created, s->flows_ended, s->flow_table_full);
		for (uint32_t p = 0; p < s->nb_ports && p < IPC_STATS_MAX_PORTS; p++)
			fprintf(f, "  port %u: rx %" PRIu64 ", tx %" PRIu64 ", imissed %" PRIu64 ", nombuf %" PRIu64
				   ", ierrors %" PRIu64 "\n",
				p, s->ports[p].ipackets, s->ports[p].opackets, s->ports[p].imissed,
				s->ports[p].rx_nombuf, s->ports[p].ierrors);
	}
	fprintf(f, "%-12s exported %" PRIu64 " match and %" PRIu64 " flow-end records; dataplane dropped %" PRIu64
		   ", queued %" PRIu64 "; malformed skipped %" PRIu64 "\n",
		"events", d->nb_match, d->nb_flow_end, d->have_stats ? s->events_dropped : d->nb_dp_dropped,
		d->have_stats ? s->events_queued : 0, d->nb_bad_events);
	export_report(&d->ex, f);
}

static void
send_status(const struct daemon *d, int fd, bool json)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (f == NULL) {
		reply_fmt(fd, "ERR out of memory\n");
		return;
	}
	fputs("OK\n", f);
	if (json)
		status_json(d, f);
	else
		status_text(d, f);
	fclose(f);
	ctl_socket_reply(fd, text, len);
	close(fd);
	free(text);
}

void
daemon_status_answer(struct daemon *d)
{
	for (unsigned i = 0; i < d->nb_status_waiters; i++)
		send_status(d, d->status_waiters[i], d->status_json[i]);
	d->nb_status_waiters = 0;
}

void
daemon_status_expire(struct daemon *d, uint64_t now_ns)
{
	/* A dataplane that does not answer in time: report without its counters. */
	if (d->nb_status_waiters > 0 && now_ns > d->status_deadline_ns) {
		d->have_stats = false;
		daemon_status_answer(d);
	}
}

static void
cmd_status(struct daemon *d, int fd, int argc, char **argv)
{
	bool json = argc > 1 && strcmp(argv[1], "--json") == 0;
	struct timespec ts;

	if (d->dp_fd < 0 || !d->dp_hello) {
		d->have_stats = false;
		send_status(d, fd, json);
		return;
	}
	if (d->nb_status_waiters == DAEMON_WAITERS) {
		reply_fmt(fd, "ERR busy\n");
		return;
	}
	d->status_json[d->nb_status_waiters] = json;
	d->status_waiters[d->nb_status_waiters++] = fd;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	d->status_deadline_ns = (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec + 500000000ULL;
	if (ipc_client_send(d->dp_fd, IPC_MSG_STATS_REQ, NULL, 0) < 0)
		d->status_deadline_ns = 0;
}

/* ---- lookup ----------------------------------------------------------------- */

static void
describe_meta(FILE *f, const struct snapshot_view *v, uint32_t meta, const char *indicator)
{
	const struct snap_meta *m = &v->meta[meta];

	fprintf(f, "match: %s\n  feed: %s\n  malware: %s\n  threat: %s\n  confidence: %d\n  action: %s\n"
		   "  reference: %s\n  tags: %s\n  first_seen: %u\n  last_seen: %u\n",
		indicator, snapshot_string(v, m->feed), snapshot_string(v, m->malware),
		snapshot_string(v, m->threat), m->confidence, m->action == IOCW_ACTION_DROP ? "drop" : "alert",
		snapshot_string(v, m->reference), snapshot_string(v, m->tags), m->first_seen, m->last_seen);
}

/* An address (with or without port) as the destination of a TCP packet. */
static bool
lookup_address(const struct snapshot_view *v, const struct ioc *ioc, struct snapshot_hit *hit)
{
	struct snapshot_probe p = {.family = ioc->family, .proto = 6, .has_ports = ioc->type == IOCW_IOC_IP_PORT,
				   .dport = ioc->port, .sport = 0};

	if (ioc->family == IOCW_FAMILY_V4)
		p.dst4 = (uint32_t)ioc->addr[0] << 24 | ioc->addr[1] << 16 | ioc->addr[2] << 8 | ioc->addr[3];
	else
		memcpy(p.dst6, ioc->addr, 16);
	return snapshot_match(v, &p, hit);
}

/* With --from HOST: the exclusion (if any) and the resulting decision for a flow now. */
static void
explain_decision(FILE *f, const struct snapshot_view *v, const struct ioc *ioc, const struct ioc *from,
		 const struct snapshot_hit *hit)
{
	struct timespec now;
	struct exclusion_probe p = {.family = ioc->family, .proto = 6, .sport = 49152, .dport = ioc->port,
				    .ioc_addr = ioc->addr, .ioc_port = ioc->port, .other_addr = from->addr,
				    .hit = hit};
	int x;

	clock_gettime(CLOCK_REALTIME, &now);
	p.now_ns = (uint64_t)now.tv_sec * 1000000000ULL + (uint64_t)now.tv_nsec;
	x = from->family == ioc->family ? snapshot_exclusion_find(v, &p) : -1;
	if (x >= 0)
		fprintf(f, "  exclusion: %s (%s): the flow passes%s\n", snapshot_string(v, v->excl[x].name),
			v->excl[x].mode == SNAP_EXCL_SUPPRESS ? "suppress" : "tag",
			v->excl[x].mode == SNAP_EXCL_SUPPRESS ? ", counted, no record" : ", reported as excluded");
	else
		fprintf(f, "  exclusion: none applies now\n  decision: %s\n",
			v->meta[hit->meta].action != IOCW_ACTION_DROP ? "alert"
			: (v->flags & SNAP_FLAG_MONITOR_ONLY)        ? "would-block (monitor_only)"
								     : "drop (inline; would-block in passive mode)");
}

static void
cmd_lookup(struct daemon *d, int fd, int argc, char **argv)
{
	const struct snapshot_view *v = snapshot_store_current(&d->store);
	char canon[IOC_VALUE_MAX], *text = NULL;
	const char *reason;
	struct snapshot_hit hit;
	struct ioc ioc;
	size_t len = 0;
	FILE *f;

	struct ioc from;
	char from_canon[IOC_VALUE_MAX];
	bool has_from = argc == 4 && strcmp(argv[2], "--from") == 0;

	ioc_init(&ioc);
	ioc_init(&from);
	if ((argc != 2 && !has_from) || ioc_parse(argv[1], &ioc, canon, &reason) < 0) {
		reply_fmt(fd, "ERR lookup needs one ip, ip:port, [v6]:port or domain (and --from HOST): %s\n",
			  argc >= 2 ? reason : "missing argument");
		return;
	}
	if (has_from && (ioc_parse(argv[3], &from, from_canon, &reason) < 0 || from.type != IOCW_IOC_IP)) {
		reply_fmt(fd, "ERR --from needs an address\n");
		return;
	}
	if (v == NULL) {
		reply_fmt(fd, "ERR no snapshot loaded\n");
		return;
	}
	f = open_memstream(&text, &len);
	fputs("OK\n", f);
	if ((ioc.type == IOCW_IOC_IP || ioc.type == IOCW_IOC_IP_PORT) && lookup_address(v, &ioc, &hit)) {
		fprintf(f, "%s matches as %s (%s)\n", canon,
			hit.kind == SNAP_KIND_PORT ? "ip:port" : hit.kind == SNAP_KIND_CIDR ? "cidr" : "ip",
			hit.kind == SNAP_KIND_CIDR ? "longest prefix" : "exact");
		describe_meta(f, v, hit.meta, canon);
		if (has_from)
			explain_decision(f, v, &ioc, &from, &hit);
	} else if (ioc.type == IOCW_IOC_DOMAIN &&
		   snapshot_domain_match(v, canon, (unsigned)strlen(canon)) != NULL) {
		const struct snap_name *e = snapshot_domain_match(v, canon, (unsigned)strlen(canon));

		describe_meta(f, v, e->val - 1, snapshot_string(v, e->str));
	} else {
		fprintf(f, "%s: no indicator matches (snapshot %" PRIu64 ")\n", canon, v->generation);
	}
	fclose(f);
	ctl_socket_reply(fd, text, len);
	close(fd);
	free(text);
}

/* ---- add / remove / reload ------------------------------------------------------ */

static int
parse_add_options(int argc, char **argv, struct override_entry *e, const char **bad)
{
	for (int i = 2; i < argc; i += 2) {
		const char *opt = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

		*bad = opt;
		if (val == NULL)
			return -EINVAL;
		if (strcmp(opt, "--family") == 0)
			e->malware = val;
		else if (strcmp(opt, "--threat") == 0)
			e->threat = val;
		else if (strcmp(opt, "--confidence") == 0 && atoi(val) >= 0 && atoi(val) <= 100)
			e->confidence = atoi(val);
		else if (strcmp(opt, "--action") == 0 && (strcmp(val, "alert") == 0 || strcmp(val, "drop") == 0))
			e->action = strcmp(val, "drop") == 0 ? IOCW_ACTION_DROP : IOCW_ACTION_ALERT;
		else
			return -EINVAL;
	}
	return 0;
}

static void
wait_for_reload(struct daemon *d, int fd, const char *trigger)
{
	if (!add_waiter(d->reload_waiters, &d->nb_reload_waiters, fd)) {
		reply_fmt(fd, "ERR busy\n");
		return;
	}
	daemon_request_reload(d, trigger, 0);
}

static void
cmd_edit(struct daemon *d, int fd, int argc, char **argv, bool add)
{
	struct override_entry e = {.confidence = -1, .action = IOCW_ACTION_ALERT};
	char canon[IOC_VALUE_MAX], err[256];
	const char *reason = "", *bad = "";
	struct ioc ioc;

	ioc_init(&ioc);
	if (argc < 2 || ioc_parse(argv[1], &ioc, canon, &reason) < 0) {
		reply_fmt(fd, "ERR %s needs an indicator: %s\n", argv[0], argc < 2 ? "missing" : reason);
		return;
	}
	if (add && parse_add_options(argc, argv, &e, &bad) < 0) {
		reply_fmt(fd, "ERR bad option or value near '%s' (--family F --threat T --confidence 0-100 "
			      "--action alert|drop)\n", bad);
		return;
	}
	e.value = canon;
	if ((add ? overrides_add(d->cfg->state_dir, &e, err, sizeof(err))
		 : overrides_remove(d->cfg->state_dir, canon, err, sizeof(err))) < 0) {
		reply_fmt(fd, "ERR %s\n", err);
		return;
	}
	wait_for_reload(d, fd, argv[0]);
}

void
daemon_ctl_reload_done(struct daemon *d, const struct reload_record *r)
{
	for (unsigned i = 0; i < d->nb_reload_waiters; i++) {
		if (r->status == 0)
			reply_fmt(d->reload_waiters[i], "OK\nreloaded: generation %" PRIu64 "%s, compile %.1f ms, "
							"transfer %.2f ms, validate %.2f ms, swap %.2f ms\n",
				  r->generation, r->unchanged ? " (unchanged)" : "", r->compile_ns / 1e6,
				  r->transfer_ns / 1e6, r->validate_ns / 1e6, r->swap_ns / 1e6);
		else
			reply_fmt(d->reload_waiters[i], "ERR reload failed: %s\n", r->error);
	}
	d->nb_reload_waiters = 0;
}

void
daemon_ctl_accept(struct daemon *d)
{
	char req[CTL_MAX_MSG + 1];
	char *argv[CTL_MAX_ARGS];
	struct pollfd pfd;
	ssize_t n;
	int argc, fd = accept4(d->ctl_fd, NULL, NULL, SOCK_CLOEXEC);

	if (fd < 0)
		return;
	/* A client sends its request right after connecting; one that does not is dropped. */
	pfd = (struct pollfd){.fd = fd, .events = POLLIN};
	if (poll(&pfd, 1, 1000) != 1 || (n = recv(fd, req, CTL_MAX_MSG, 0)) <= 0) {
		close(fd);
		return;
	}
	argc = ctl_socket_split(req, (size_t)n, argv, CTL_MAX_ARGS);
	if (argc == 0)
		reply_fmt(fd, "ERR malformed request\n");
	else if (strcmp(argv[0], "status") == 0)
		cmd_status(d, fd, argc, argv);
	else if (strcmp(argv[0], "lookup") == 0)
		cmd_lookup(d, fd, argc, argv);
	else if (strcmp(argv[0], "add") == 0 || strcmp(argv[0], "remove") == 0)
		cmd_edit(d, fd, argc, argv, argv[0][0] == 'a');
	else if (strcmp(argv[0], "reload") == 0)
		wait_for_reload(d, fd, "command");
	else
		reply_fmt(fd, "ERR unknown command '%.40s'\n", argv[0]);
}
