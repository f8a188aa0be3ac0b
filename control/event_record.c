/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>
#include <string.h>

#include "event_record.h"
#include "ioc.h"

static const char *
proto_name(uint8_t proto, uint8_t family, char buf[8])
{
	switch (proto) {
	case 6: return "TCP";
	case 17: return "UDP";
	case 132: return "SCTP";
	case 1: return "ICMP";
	case 58: return family == IOCW_FAMILY_V6 ? "ICMPv6" : "58";
	default: snprintf(buf, 8, "%u", proto); return buf;
	}
}

static const char *
verdict_name(uint8_t verdict)
{
	switch (verdict) {
	case IOCW_VERDICT_BLOCKED: return "blocked";
	case IOCW_VERDICT_WOULD_BLOCK: return "would-block";
	case IOCW_VERDICT_EXCLUDED: return "excluded";
	default: return "alert";
	}
}

static const char *
end_reason_name(uint8_t reason)
{
	switch (reason) {
	case IOCW_END_FIN: return "fin";
	case IOCW_END_RST: return "rst";
	case IOCW_END_IDLE: return "idle";
	case IOCW_END_CAPTURE_END: return "capture_end";
	case IOCW_END_EVICTED: return "evicted";
	case IOCW_END_SHUTDOWN: return "shutdown";
	default: return NULL;
	}
}

/* Outbound when the initiator is inside and the responder outside; inbound the other way. */
static enum cef_direction
direction_of(const struct iocw_event *ev, const struct control_config *cfg)
{
	bool src_home = control_config_is_home(cfg, ev->family, ev->src);
	bool dst_home = control_config_is_home(cfg, ev->family, ev->dst);

	if (src_home && !dst_home)
		return CEF_DIR_OUTBOUND;
	if (dst_home && !src_home)
		return CEF_DIR_INBOUND;
	return CEF_DIR_UNKNOWN;
}

/* The indicator as the feed wrote it, rebuilt from the matched endpoint. */
static void
format_ioc(const struct iocw_event *ev, char *buf, size_t len)
{
	bool dst = ev->side == IOCW_SIDE_DST;
	const uint8_t *addr = dst ? ev->dst : ev->src;
	uint16_t port = dst ? ev->dport : ev->sport;
	char a[64];

	if (ev->kind == SNAP_KIND_CIDR) {
		uint8_t net[16] = {0};
		/* The event comes from another process: never trust its prefix length. */
		unsigned max = ev->family == IOCW_FAMILY_V4 ? 32 : 128;
		unsigned plen = ev->prefix_len > max ? max : ev->prefix_len;
		unsigned full = plen / 8, rest = plen % 8;

		/* The indicator is the network, not the packet's address inside it. */
		memcpy(net, addr, full);
		if (rest)
			net[full] = addr[full] & (uint8_t)(0xff00u >> rest);
		ioc_addr_format(ev->family, net, a, sizeof(a));
		snprintf(buf, len, "%s/%u", a, plen);
		return;
	}
	ioc_addr_format(ev->family, addr, a, sizeof(a));
	if (ev->kind != SNAP_KIND_PORT)
		snprintf(buf, len, "%s", a);
	else if (ev->family == IOCW_FAMILY_V6)
		snprintf(buf, len, "[%s]:%u", a, port);
	else
		snprintf(buf, len, "%s:%u", a, port);
}

static void
fill_meta(struct cef_event *c, const struct iocw_event *ev, const struct snapshot_view *view)
{
	const struct snap_meta *m;

	if (view == NULL || ev->meta >= view->nb_meta) {
		c->feed = "(snapshot no longer loaded)";
		c->confidence = -1;
		return;
	}
	m = &view->meta[ev->meta];
	c->malware = snapshot_string(view, m->malware);
	c->threat = snapshot_string(view, m->threat);
	c->feed = snapshot_string(view, m->feed);
	c->reference = snapshot_string(view, m->reference);
	c->tags = snapshot_string(view, m->tags);
	c->confidence = m->confidence;
}

static const char *const where_names[] = {"", "dns", "tls.sni", "http.host", "http.url", "quic.sni"};
static const char *const where_apps[] = {NULL, "DNS", "TLS", "HTTP", "HTTP", "QUIC"};

/* A domain or URL match: the indicator from the snapshot, the name as seen on the wire. */
static void
fill_name(struct event_record *rec, const struct iocw_event *ev, const struct snapshot_view *view)
{
	struct cef_event *c = &rec->cef;
	unsigned where = ev->name_where < sizeof(where_names) / sizeof(where_names[0]) ? ev->name_where : 0;
	size_t n = ev->name_len < IPC_EVENT_NAME_MAX ? ev->name_len : IPC_EVENT_NAME_MAX;

	c->seen_in = where_names[where];
	c->app = where_apps[where];
	c->ioc = view && ev->name_ioc < view->strings_size ? view->strings + ev->name_ioc : "";
	c->ioc_type = where == 4 ? "url" : "domain";
	c->matched = NULL;
	if (ev->type != IOCW_EVENT_MATCH || n == 0)
		return;
	/* The observed value is bytes off the wire: the CEF writer escapes it. */
	memcpy(rec->observed, ev->name, n);
	rec->observed[n] = '\0';
	if (where == 4)
		c->request = rec->observed;
	else
		c->dhost = rec->observed;
}

void
event_record_fill(struct event_record *rec, const struct iocw_event *ev,
		  const struct snapshot_view *view, const struct control_config *cfg)
{
	struct cef_event *c = &rec->cef;
	bool has_ports = ev->proto == 6 || ev->proto == 17 || ev->proto == 132;

	memset(c, 0, sizeof(*c));
	c->kind = ev->type == IOCW_EVENT_FLOW_END ? CEF_KIND_FLOW_END : CEF_KIND_MATCH;
	c->vendor = cfg->vendor;
	c->product = "iocwire";
	c->version = IOCWIRE_VERSION;
	c->dvchost = cfg->sensor_name;
	c->dvc = cfg->sensor_address;
	ioc_addr_format(ev->family, ev->src, rec->src, sizeof(rec->src));
	ioc_addr_format(ev->family, ev->dst, rec->dst, sizeof(rec->dst));
	c->src = rec->src;
	c->dst = rec->dst;
	c->spt = has_ports ? ev->sport : -1;
	c->dpt = has_ports ? ev->dport : -1;
	c->proto = proto_name(ev->proto, ev->family, rec->proto);
	c->vlan = ev->vlan;
	c->act = verdict_name(ev->action);
	c->direction = direction_of(ev, cfg);
	c->rt_ms = (c->kind == CEF_KIND_MATCH ? ev->first_ns : ev->last_ns) / 1000000;
	c->start_ms = ev->first_ns / 1000000;
	c->end_ms = ev->last_ns / 1000000;
	c->cnt = 1;
	c->pkts = ev->pkts_fwd + ev->pkts_rev;
	c->bytes_out = ev->bytes_fwd;
	c->bytes_in = ev->bytes_rev;
	c->flow_id = ev->flow_id;
	c->end_reason = c->kind == CEF_KIND_FLOW_END ? end_reason_name(ev->end_reason) : NULL;
	c->tcp_flags = ev->tcp_flags;
	format_ioc(ev, rec->ioc, sizeof(rec->ioc));
	c->ioc = rec->ioc;
	c->ioc_type = ev->kind == SNAP_KIND_PORT ? "ip:port" : ev->kind == SNAP_KIND_CIDR ? "cidr" : "ip";
	c->matched = ev->side == IOCW_SIDE_DST ? "dst" : "src";
	if (ev->exclusion != 0 && view != NULL && ev->exclusion <= view->nb_excl)
		c->exclusion = snapshot_string(view, view->excl[ev->exclusion - 1].name);
	if (ev->kind == SNAP_KIND_NAME)
		fill_name(rec, ev, view);
	fill_meta(c, ev, view);
}
