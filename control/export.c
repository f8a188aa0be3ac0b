/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * export.c - the fan-out from one record to every output, with flood control
 * in front. The flood-control clock is the records' own time (packet time),
 * advanced by the wall clock between records, so a replay folds the same
 * way at any speed and a live sensor closes intervals on time.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "export.h"
#include "json_record.h"

/* Records one TCP output may send per tick: bounds the time a tick takes. */
#define EXPORT_TCP_BUDGET 4096
/* Keys tracked by the rate limiter and the aggregator. */
#define EXPORT_POLICY_KEYS 16384

static uint64_t
export_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t
export_now_ms(const struct exporter *ex)
{
	if (ex->clock_ms == 0)
		return 0;
	return ex->clock_ms + (export_mono_ns() - ex->clock_mono_ns) / 1000000ull;
}

static void
export_advance_clock(struct exporter *ex, uint64_t event_ms)
{
	if (event_ms != 0 && event_ms > export_now_ms(ex)) {
		ex->clock_ms = event_ms;
		ex->clock_mono_ns = export_mono_ns();
	}
}

static int
export_open_sink(struct exporter *ex, struct export_sink *s, char *err, size_t errlen)
{
	const struct control_export *e = s->cfg;

	if (e->type != EXPORT_SYSLOG) {
		s->file = malloc(sizeof(*s->file));
		if (s->file == NULL)
			return -ENOMEM;
		return transport_file_open(s->file, e->type == EXPORT_STDOUT ? NULL : e->path,
					   e->type == EXPORT_JSONL ? e->rotate_bytes : 0, e->keep, err,
					   errlen);
	}
	s->frame = (struct syslog_frame){.format = e->format, .facility = e->facility,
					 .hostname = ex->cfg->sensor_name, .pid = (int)getpid()};
	if (e->protocol == EXPORT_PROTO_UDP)
		return transport_udp_open(&s->udp, e->host, e->port, err, errlen);
	s->tcp = calloc(1, sizeof(*s->tcp));
	if (s->tcp == NULL)
		return -ENOMEM;
	return transport_tcp_open(s->tcp, e, &ex->cfg->delivery, err, errlen);
}

static int
export_open_policy(struct exporter *ex)
{
	const struct control_delivery *d = &ex->cfg->delivery;

	if (d->rate_per_ioc > 0) {
		ex->rl = ratelimit_new(d->rate_per_ioc, d->rate_burst, EXPORT_POLICY_KEYS);
		if (ex->rl == NULL)
			return -ENOMEM;
	}
	if (d->aggregate_ns > 0) {
		ex->agg = aggregate_new(d->aggregate_ns / 1000000ull, EXPORT_POLICY_KEYS);
		if (ex->agg == NULL)
			return -ENOMEM;
	}
	return 0;
}

int
export_open(struct exporter *ex, const struct control_config *cfg, char *err, size_t errlen)
{
	int rc;

	memset(ex, 0, sizeof(*ex));
	ex->cfg = cfg;
	for (unsigned i = 0; i < cfg->nb_exports; i++) {
		struct export_sink *s = &ex->sinks[ex->nb_sinks++];

		s->cfg = &cfg->exports[i];
		s->udp.fd = -1;
		rc = export_open_sink(ex, s, err, errlen);
		if (rc < 0)
			goto out_close;
	}
	rc = export_open_policy(ex);
	if (rc == 0)
		return 0;
	snprintf(err, errlen, "export: %s", strerror(-rc));
out_close:
	export_close(ex);
	return rc;
}

/* One syslog message: header + CEF; over UDP cut at a field boundary to max_message. */
static void
export_syslog(struct exporter *ex, struct export_sink *s, const struct cef_event *ev, size_t cef_len)
{
	const struct control_export *e = s->cfg;
	int sev = syslog_frame_severity(cef_severity(ev->confidence));
	const char *msgid = ev->kind == CEF_KIND_FLOW_END ? "flow-end" : "ioc-match";
	size_t body = cef_len, hdr;
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	hdr = syslog_frame_header(&s->frame, sev, msgid, &now, ex->msg, sizeof(ex->msg));
	if (e->protocol == EXPORT_PROTO_UDP && hdr + cef_len > e->max_message) {
		body = hdr < e->max_message ? syslog_frame_cut_cef(ex->cef, cef_len, e->max_message - hdr) : 0;
		if (body == 0) {
			ex->nb_udp_dropped++;
			return;
		}
		ex->nb_udp_truncated++;
	}
	memcpy(ex->msg + hdr, ex->cef, body);
	if (e->protocol == EXPORT_PROTO_UDP)
		transport_udp_send(&s->udp, ex->msg, hdr + body);
	else if (transport_tcp_push(s->tcp, ex->msg, hdr + body) < 0)
		ex->nb_spool_refused++;
}

/* Hand one record to every output. */
static void
export_emit(struct exporter *ex, const struct cef_event *ev)
{
	size_t cef_len = cef_format(ev, ex->cef, sizeof(ex->cef));
	size_t json_len = 0;

	/* A cut record could lose the fields a hunt needs: count it, never send it half. */
	if (cef_len >= sizeof(ex->cef)) {
		ex->nb_too_long++;
		return;
	}
	ex->nb_records++;
	for (unsigned i = 0; i < ex->nb_sinks; i++) {
		struct export_sink *s = &ex->sinks[i];

		switch (s->cfg->type) {
		case EXPORT_STDOUT:
		case EXPORT_FILE:
			transport_file_write(s->file, ex->cef, cef_len);
			break;
		case EXPORT_JSONL:
			if (json_len == 0)
				json_len = json_record_format(ev, ex->json, sizeof(ex->json));
			if (json_len < sizeof(ex->json))
				transport_file_write(s->file, ex->json, json_len);
			else
				ex->nb_too_long++;
			break;
		case EXPORT_SYSLOG:
			export_syslog(ex, s, ev, cef_len);
			break;
		}
	}
}

static void
export_emit_summary(void *arg, const struct cef_event *ev)
{
	export_emit(arg, ev);
}

void
export_event(struct exporter *ex, const struct cef_event *ev)
{
	uint64_t now;

	export_advance_clock(ex, ev->rt_ms);
	now = export_now_ms(ex);
	if (ex->agg != NULL && aggregate_offer(ex->agg, ev, now) == AGGREGATE_FOLDED)
		return;
	if (ex->rl != NULL && !ratelimit_allow(ex->rl, ev->ioc, now)) {
		ex->nb_rate_limited++;
		return;
	}
	export_emit(ex, ev);
}

static void
export_tick_tcp(struct exporter *ex)
{
	uint64_t now = export_mono_ns();

	for (unsigned i = 0; i < ex->nb_sinks; i++)
		if (ex->sinks[i].tcp != NULL)
			transport_tcp_tick(ex->sinks[i].tcp, now, EXPORT_TCP_BUDGET);
}

void
export_flush(struct exporter *ex)
{
	for (unsigned i = 0; i < ex->nb_sinks; i++)
		if (ex->sinks[i].file != NULL)
			transport_file_flush(ex->sinks[i].file);
	export_tick_tcp(ex);
}

void
export_tick(struct exporter *ex)
{
	if (ex->agg != NULL) {
		aggregate_expire(ex->agg, export_now_ms(ex), export_emit_summary, ex);
		for (unsigned i = 0; i < ex->nb_sinks; i++)
			if (ex->sinks[i].file != NULL)
				transport_file_flush(ex->sinks[i].file);
	}
	export_tick_tcp(ex);
}

static uint64_t
export_pending(const struct exporter *ex)
{
	uint64_t nb = 0;

	for (unsigned i = 0; i < ex->nb_sinks; i++)
		if (ex->sinks[i].tcp != NULL)
			nb += transport_tcp_pending(ex->sinks[i].tcp);
	return nb;
}

bool
export_busy(const struct exporter *ex)
{
	return export_pending(ex) > 0;
}

uint64_t
export_drain(struct exporter *ex, uint64_t timeout_ns)
{
	uint64_t deadline = export_mono_ns() + timeout_ns;

	if (ex->agg != NULL)
		aggregate_expire(ex->agg, UINT64_MAX, export_emit_summary, ex);
	export_flush(ex);
	while (export_busy(ex) && export_mono_ns() < deadline) {
		struct timespec pause = {.tv_nsec = 5000000};

		nanosleep(&pause, NULL);
		export_tick_tcp(ex);
	}
	return export_pending(ex);
}

uint64_t
export_nb_errors(const struct exporter *ex)
{
	uint64_t nb = ex->nb_udp_dropped + ex->nb_spool_refused;

	for (unsigned i = 0; i < ex->nb_sinks; i++) {
		const struct export_sink *s = &ex->sinks[i];

		if (s->file != NULL)
			nb += s->file->nb_errors;
		if (s->cfg->type == EXPORT_SYSLOG && s->tcp == NULL)
			nb += s->udp.nb_lost;
		if (s->tcp != NULL && s->tcp->spool != NULL)
			nb += spool_dropped(s->tcp->spool);
	}
	return nb;
}

static void
export_report_sink(const struct export_sink *s, FILE *f)
{
	const struct control_export *e = s->cfg;

	if (s->file != NULL)
		fprintf(f, "iocwire-control: export %s%s%s: %" PRIu64 " records, %" PRIu64
			   " rotations, %" PRIu64 " write errors\n",
			(const char *[]){"stdout", "file", "syslog", "jsonl"}[e->type],
			e->path[0] ? " " : "", e->path, s->file->nb_records, s->file->nb_rotations,
			s->file->nb_errors);
	else if (s->tcp == NULL)
		fprintf(f, "iocwire-control: export syslog udp %s: %" PRIu64 " sent, %" PRIu64 " lost\n",
			s->udp.addr.name, s->udp.nb_sent, s->udp.nb_lost);
	else
		fprintf(f, "iocwire-control: export syslog tcp %s: %" PRIu64 " sent, %" PRIu64
			   " acknowledged, %" PRIu64 " connects, %" PRIu64 " disconnects, %" PRIu64
			   " spooled, %" PRIu64 " dropped from the spool (spool %s)\n",
			s->tcp->addr.name, s->tcp->nb_sent, s->tcp->nb_acked, s->tcp->nb_connects,
			s->tcp->nb_disconnects, transport_tcp_pending(s->tcp),
			s->tcp->spool ? spool_dropped(s->tcp->spool) : 0, s->tcp->spool_dir);
}

void
export_report(const struct exporter *ex, FILE *f)
{
	for (unsigned i = 0; i < ex->nb_sinks; i++)
		export_report_sink(&ex->sinks[i], f);
	fprintf(f, "iocwire-control: export: %" PRIu64 " records, %" PRIu64 " folded into aggregates, %" PRIu64
		   " rate-limited, %" PRIu64 " too long, %" PRIu64 " cut to the UDP size, %" PRIu64
		   " too long for UDP, %" PRIu64 " refused by a full spool\n",
		ex->nb_records, ex->agg ? aggregate_nb_folded(ex->agg) : 0, ex->nb_rate_limited,
		ex->nb_too_long, ex->nb_udp_truncated, ex->nb_udp_dropped, ex->nb_spool_refused);
}

void
export_close(struct exporter *ex)
{
	if (ex->agg != NULL)
		aggregate_expire(ex->agg, UINT64_MAX, export_emit_summary, ex);
	for (unsigned i = 0; i < ex->nb_sinks; i++) {
		struct export_sink *s = &ex->sinks[i];

		if (s->file != NULL) {
			transport_file_close(s->file);
			free(s->file);
		}
		transport_udp_close(&s->udp);
		if (s->tcp != NULL) {
			transport_tcp_close(s->tcp);
			free(s->tcp);
		}
		s->file = NULL;
		s->tcp = NULL;
	}
	ex->nb_sinks = 0;
	aggregate_free(ex->agg);
	ratelimit_free(ex->rl);
	ex->agg = NULL;
	ex->rl = NULL;
}
