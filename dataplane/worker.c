/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * worker.c - per-lcore burst loop. The lookups are staged over the whole
 * burst (in the spirit of l3fwd's em_hlm): parse every packet and prefetch
 * its pre-filter words, then test the filters and prefetch the table slots of
 * the few candidates, then resolve them. A packet that matches nothing costs
 * a parse and two cache-resident filter tests.
 */
#include <errno.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_prefetch.h>

#include <hs.h>

#include "contract/exclusion.h"
#include "extract.h"
#include "contract/snapshot_match.h"
#include "pkt_tunnel_inline.h"
#include "worker.h"

#define PREFETCH_AHEAD 4
/* ClientHellos cut in two segments that a worker holds at once, and for how long. */
#define TLS_REASM_ENTRIES 1024
#define TLS_REASM_AGE_NS 2000000000ULL
/* Datagrams in flight in fragments that a worker follows, and how long (RFC 791's 15 s, rounded up). */
#define FRAG_ENTRIES 4096
#define FRAG_AGE_NS 30000000000ULL
/* Consecutive empty polls that mean "capture finished" in replay mode. */
#define REPLAY_IDLE_POLLS 20000
/* Flow and TLS-state expiry follow (packet) time, not the loop count: a slice of
 * the table every EXPIRE_SLICE_NS, sized so the whole table is swept about once a
 * second. At line rate that is a few slots per thousand bursts, instead of a cold
 * scan that evicts the burst's working set; idle timeouts are seconds long. */
#define EXPIRE_SLICE_NS 1000000ULL
#define EXPIRE_SLICES_PER_SWEEP_SHIFT 10
#define EXPIRE_MIN_SLICE 64

struct pkt_work {
	struct pkt_info info;
	struct snapshot_probe probe;
	uint64_t h_src, h_dst;
	uint32_t src_val, dst_val;
	uint8_t ok;
	uint8_t candidates; /* bit 0: src passed the filter, bit 1: dst */
};

int
worker_setup(struct worker_ctx *w, unsigned index, unsigned lcore_id, const struct dp_config *cfg)
{
	char name[RTE_RING_NAMESIZE];
	int socket = (int)rte_lcore_to_socket_id(lcore_id);
	size_t mem_size = flow_table_mem_size(cfg->flow_capacity);
	void *mem;

	w->index = index;
	w->lcore_id = lcore_id;
	mem = rte_zmalloc_socket("flows", mem_size, RTE_CACHE_LINE_SIZE, socket);
	if (mem == NULL)
		return -ENOMEM;
	/* Flow ids: worker index in the top byte keeps them unique across workers. */
	flow_table_init(&w->flows, mem, cfg->flow_capacity, &cfg->timeouts, (uint64_t)index << 56 | 1);
	mem = rte_zmalloc_socket("tls_reasm", tls_reasm_mem_size(TLS_REASM_ENTRIES), RTE_CACHE_LINE_SIZE, socket);
	if (mem == NULL)
		return -ENOMEM;
	tls_reasm_init(&w->tls, mem, TLS_REASM_ENTRIES, TLS_REASM_AGE_NS);
	mem = rte_zmalloc_socket("frags", frag_table_mem_size(FRAG_ENTRIES), RTE_CACHE_LINE_SIZE, socket);
	if (mem == NULL)
		return -ENOMEM;
	frag_table_init(&w->frags, mem, FRAG_ENTRIES, FRAG_AGE_NS);
	snprintf(name, sizeof(name), "iocw_ev_%u", index);
	w->events = rte_ring_create_elem(name, sizeof(struct iocw_event), cfg->event_ring_size, socket,
					 RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (w->events == NULL) {
		rte_free(mem);
		return -rte_errno;
	}
	return 0;
}

/* What matched a packet, for the records of the flow it creates. */
struct match_seen {
	struct snapshot_hit hit;
	const struct extract_name *name; /* name matches: the observed value */
	uint32_t name_ioc;               /* name matches: the indicator's string */
};

static void
emit_event(struct worker_ctx *w, const struct flow_entry *fe, uint8_t type, const struct extract_name *name)
{
	struct iocw_event ev;

	if (fe->suppressed)
		return;
	flow_entry_to_event(fe, type, &ev);
	if (name != NULL) {
		ev.name_len = (uint16_t)RTE_MIN(name->len, (uint16_t)IPC_EVENT_NAME_MAX);
		ev.name_truncated = name->truncated || name->len > IPC_EVENT_NAME_MAX;
		memcpy(ev.name, name->text, ev.name_len);
	}
	ev.worker = (uint16_t)w->index;
	/* Offline replay has no link to protect: wait for the main lcore instead of losing events. */
	while (rte_ring_sp_enqueue_elem(w->events, &ev, sizeof(ev)) != 0) {
		if (!dataplane.replay || dataplane.stop) {
			w->stats.events_dropped++;
			return;
		}
		rte_pause();
	}
	w->stats.events++;
}

static void
on_flow_end(void *ctx, const struct flow_entry *fe)
{
	struct worker_ctx *w = ctx;

	if (fe->kind == SNAP_KIND_NAME && --w->nb_name_flows == 0)
		memset(w->name_flow_bits, 0, sizeof(w->name_flow_bits));
	emit_event(w, fe, IOCW_EVENT_FLOW_END, NULL);
}

static uint64_t
packet_time(const struct worker_ctx *w, const struct rte_mbuf *m)
{
	if (dataplane.ts_offset >= 0 && (m->ol_flags & dataplane.ts_flag))
		return *RTE_MBUF_DYNFIELD(m, dataplane.ts_offset, const rte_mbuf_timestamp_t *) * 1000;
	return w->now_ns;
}

static void
probe_from_info(struct pkt_work *pw)
{
	const struct pkt_info *pi = &pw->info;
	struct snapshot_probe *p = &pw->probe;

	p->family = pi->family;
	p->proto = pi->proto;
	p->has_ports = (pi->flags & PKT_FLAG_HAS_PORTS) && snapshot_proto_has_ioc_ports(pi->proto);
	p->sport = pi->sport;
	p->dport = pi->dport;
	if (pi->family == IOCW_FAMILY_V4) {
		uint32_t a;

		memcpy(&a, pi->src, 4);
		p->src4 = rte_be_to_cpu_32(a);
		memcpy(&a, pi->dst, 4);
		p->dst4 = rte_be_to_cpu_32(a);
	} else {
		memcpy(p->src6, pi->src, 16);
		memcpy(p->dst6, pi->dst, 16);
	}
}

/* Pre-filter hashes straight from the parsed address bytes (the probe is only
 * built for the few packets that get past the filter). */
static inline void
filter_hashes(struct pkt_work *pw)
{
	const struct pkt_info *pi = &pw->info;

	if (pi->family == IOCW_FAMILY_V4) {
		uint32_t s, d;

		memcpy(&s, pi->src, 4);
		memcpy(&d, pi->dst, 4);
		pw->h_src = snapshot_filter_hash_v4(rte_be_to_cpu_32(s));
		pw->h_dst = snapshot_filter_hash_v4(rte_be_to_cpu_32(d));
	} else {
		uint64_t s[2], d[2];

		memcpy(s, pi->src, 16);
		memcpy(d, pi->dst, 16);
		pw->h_src = snapshot_filter_hash_v6(s[0], s[1]);
		pw->h_dst = snapshot_filter_hash_v6(d[0], d[1]);
	}
}

/* Stage 1: parse, hash both addresses and prefetch their filter words. */
static void
stage_parse(struct worker_ctx *w, const struct snapshot_view *v, struct rte_mbuf **pkts, uint16_t nb,
	    struct pkt_work *work)
{
	const struct pkt_tunnels *tunnels = &dataplane.cfg.tunnels;
	/* Locals, not v->...: the parser's byte stores may alias anything, so fields
	 * read through a pointer would be reloaded for every packet. */
	const uint64_t *filter = v ? v->filter : NULL;
	uint64_t filter_mask = v ? v->filter_mask : 0;
	uint16_t nb_bad = 0;

	for (uint16_t i = 0; i < nb && i < PREFETCH_AHEAD; i++)
		rte_prefetch0(rte_pktmbuf_mtod(pkts[i], void *));
	for (uint16_t i = 0; i < nb; i++) {
		struct pkt_work *pw = &work[i];
		enum pkt_parse_result res;

		if (i + PREFETCH_AHEAD < nb)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + PREFETCH_AHEAD], void *));
		res = pkt_parse_tunnels_inline(rte_pktmbuf_mtod(pkts[i], const uint8_t *),
					       rte_pktmbuf_data_len(pkts[i]), tunnels, &pw->info);
		/* Only errors are counted per packet: incrementing one counter in memory for
		 * every packet chains the loop through store-to-load forwarding. */
		if (unlikely(res != PKT_PARSE_OK)) {
			w->stats.parse[res]++;
			nb_bad++;
		}
		if (unlikely(pw->info.flags & (PKT_FLAG_TUNNEL | PKT_FLAG_TUNNEL_OUTER))) {
			w->stats.tunnel_decap += (pw->info.flags & PKT_FLAG_TUNNEL) != 0;
			w->stats.tunnel_outer += (pw->info.flags & PKT_FLAG_TUNNEL_OUTER) != 0;
		}
		pw->ok = res == PKT_PARSE_OK && v != NULL;
		pw->candidates = 0;
		if (!pw->ok)
			continue;
		filter_hashes(pw);
		rte_prefetch0(&filter[pw->h_src & filter_mask]);
		rte_prefetch0(&filter[pw->h_dst & filter_mask]);
	}
	w->stats.parse[PKT_PARSE_OK] += nb - nb_bad;
}

static const void *
addr_slot(const struct snapshot_view *v, const struct snapshot_probe *p, bool dst)
{
	if (p->family == IOCW_FAMILY_V4) {
		uint64_t key = snapshot_v4_key_addr(dst ? p->dst4 : p->src4);
		return &v->v4_keys[snapshot_mix64(key) & v->v4_mask];
	}
	const uint64_t *a = dst ? p->dst6 : p->src6;
	return &v->v6[snapshot_v6_hash(a[0], a[1], snapshot_v6_tag(SNAP_KIND_ADDR, 0, 0)) & v->v6_mask];
}

/* Which packets of the burst stage 3 must look at. CIDR indicators are not in the
 * address filter and names are in payloads: with either, every parsed packet. */
struct resolve_plan {
	bool has_cidr, has_names, all;
	uint16_t nb;
	uint8_t idx[DP_MAX_BURST];
};

/* Stage 2: test the filters; prefetch the table slot of each candidate endpoint and
 * list the packets stage 3 must resolve (in the common burst, none). */
static void
stage_filter(struct worker_ctx *w, const struct dp_snapshot *snap, uint16_t nb, struct pkt_work *work,
	     struct resolve_plan *plan)
{
	const struct snapshot_view *v = &snap->view;
	const uint64_t *filter = v->filter;
	uint64_t filter_mask = v->filter_mask;
	unsigned k = v->filter_hashes;
	bool frags = w->frags.active != 0;
	uint32_t hits = 0;

	plan->has_cidr = v->cidr4_index != NULL || v->nb_cidr6 != 0;
	plan->has_names = v->nb_names != 0 || snap->url_db != NULL || w->nb_name_flows != 0;
	plan->all = plan->has_cidr || plan->has_names;
	plan->nb = 0;
	for (uint16_t i = 0; i < nb; i++) {
		struct pkt_work *pw = &work[i];
		uint8_t c;

		if (!pw->ok)
			continue;
		c = snapshot_filter_match(filter, filter_mask, k, pw->h_src) |
		    snapshot_filter_match(filter, filter_mask, k, pw->h_dst) << 1;
		if (likely(c == 0)) {
			if (plan->all || (frags && (pw->info.flags & PKT_FLAG_LATER_FRAG)))
				plan->idx[plan->nb++] = (uint8_t)i;
			continue;
		}
		plan->idx[plan->nb++] = (uint8_t)i;
		pw->candidates = c;
		hits += __builtin_popcount(c);
		probe_from_info(pw);
		if (c & 1)
			rte_prefetch0(addr_slot(v, &pw->probe, false));
		if (c & 2)
			rte_prefetch0(addr_slot(v, &pw->probe, true));
	}
	w->stats.filter_hits += hits;
}

static uint32_t
addr_value(const struct snapshot_view *v, const struct snapshot_probe *p, bool dst)
{
	if (p->family == IOCW_FAMILY_V4)
		return snapshot_v4_find(v, snapshot_v4_key_addr(dst ? p->dst4 : p->src4));
	const uint64_t *a = dst ? p->dst6 : p->src6;
	return snapshot_v6_find(v, a[0], a[1], snapshot_v6_tag(SNAP_KIND_ADDR, 0, 0));
}


/*
 * Verdict of a new matched flow: exclusions first (an allow-list always wins
 * over a drop), then the indicator's action; drops are only real inline and
 * without monitor_only.
 */
static void
decide_verdict(struct worker_ctx *w, const struct snapshot_view *v, struct flow_entry *fe,
	       const struct pkt_info *pi, const struct snapshot_hit *hit, uint64_t now)
{
	bool ioc_is_dst = hit->side == IOCW_SIDE_DST;
	struct exclusion_probe p = {
		.family = pi->family, .proto = pi->proto, .sport = pi->sport, .dport = pi->dport,
		.ioc_addr = ioc_is_dst ? pi->dst : pi->src, .ioc_port = ioc_is_dst ? pi->dport : pi->sport,
		.other_addr = ioc_is_dst ? pi->src : pi->dst, .hit = hit, .now_ns = now,
	};
	int x = v->nb_excl ? snapshot_exclusion_find(v, &p) : -1;

	if (x >= 0) {
		fe->exclusion = (uint16_t)(x + 1);
		fe->suppressed = v->excl[x].mode == SNAP_EXCL_SUPPRESS;
		fe->action = IOCW_VERDICT_EXCLUDED;
		if (fe->suppressed)
			w->stats.flows_suppressed++;
		else
			w->stats.flows_excluded++;
		return;
	}
	if (v->meta[hit->meta].action != IOCW_ACTION_DROP)
		fe->action = IOCW_VERDICT_ALERT;
	else if ((v->flags & SNAP_FLAG_MONITOR_ONLY) || dataplane.cfg.mode != DP_MODE_INLINE)
		fe->action = IOCW_VERDICT_WOULD_BLOCK;
	else
		fe->action = IOCW_VERDICT_BLOCKED;
}

/* A matching packet: find or create its flow, account it, return the verdict. */
static uint8_t
track_match(struct worker_ctx *w, const struct snapshot_view *v, const struct pkt_work *pw,
	    const struct match_seen *seen, uint32_t frame_len, uint64_t now)
{
	const struct snapshot_hit *hit = &seen->hit;
	const struct pkt_info *pi = &pw->info;
	struct flow_key key;
	uint64_t hash;
	bool src_is_a = flow_key_make(&key, &hash, pi->family, pi->proto, pi->vlan, pi->src, pi->dst,
				      pi->sport, pi->dport);
	struct flow_entry *fe = flow_table_lookup(&w->flows, &key, hash);

	/* A first fragment: its later fragments (no ports) will belong to this flow. */
	if ((pi->flags & (PKT_FLAG_FRAGMENT | PKT_FLAG_LATER_FRAG)) == PKT_FLAG_FRAGMENT)
		frag_table_remember(&w->frags, pi, &key, hash, src_is_a, now);

	if (fe == NULL) {
		fe = flow_table_insert(&w->flows, &key, hash, src_is_a, now);
		if (fe == NULL) /* table full: the indicator's action still applies, without records */
			return v->meta[hit->meta].action == IOCW_ACTION_DROP &&
				       !(v->flags & SNAP_FLAG_MONITOR_ONLY) ? IOCW_VERDICT_BLOCKED
									    : IOCW_VERDICT_ALERT;
		/* The creating packet's source is the initiator: its side is the flow's. */
		fe->side = hit->side;
		fe->kind = hit->kind;
		fe->prefix_len = hit->prefix_len;
		fe->meta = hit->meta;
		fe->generation = v->generation;
		if (seen->name != NULL) {
			fe->name_where = seen->name->where;
			fe->name_ioc = seen->name_ioc;
			w->nb_name_flows++;
			w->name_flow_bits[(hash >> 6) & 1023] |= 1ULL << (hash & 63);
		}
		decide_verdict(w, v, fe, pi, hit, now);
		flow_table_account(fe, src_is_a, frame_len, pi->tcp_flags, now);
		emit_event(w, fe, IOCW_EVENT_MATCH, seen->name);
		return fe->action;
	}
	flow_table_account(fe, src_is_a, frame_len, pi->tcp_flags, now);
	return fe->action;
}

static int
on_url_match(unsigned id, unsigned long long from, unsigned long long to, unsigned flags, void *ctx)
{
	(void)from, (void)to, (void)flags;
	*(unsigned *)ctx = id;
	return 1; /* the first match is enough: stop scanning */
}

/* A URL (HTTP) or domain indicator for the names of one packet. */
static bool
match_names(struct worker_ctx *w, const struct dp_snapshot *snap, const struct extract_name *host,
	    const struct extract_name *url, struct match_seen *seen)
{
	const struct snapshot_view *v = &snap->view;
	const struct snap_name *e;
	unsigned id = UINT32_MAX;

	w->stats.names_seen++;
	if (url->len > 0 && snap->url_db != NULL &&
	    hs_scan(snap->url_db, url->text, url->len, 0, snap->url_scratch[w->index], on_url_match, &id) ==
		    HS_SCAN_TERMINATED &&
	    id < v->nb_urls) {
		seen->hit.meta = v->urls[id].val - 1;
		seen->name_ioc = v->urls[id].str;
		seen->name = url;
	} else if (host->len > 0 && (e = snapshot_domain_match(v, host->text, host->len)) != NULL) {
		seen->hit.meta = e->val - 1;
		seen->name_ioc = e->str;
		seen->name = host;
	} else {
		return false;
	}
	seen->hit.side = IOCW_SIDE_DST;
	seen->hit.kind = SNAP_KIND_NAME;
	seen->hit.prefix_len = 0;
	w->stats.names_matched++;
	return true;
}

/*
 * DNS query names, TLS SNI, HTTP Host and URL of one packet's payload (only
 * when the snapshot has name indicators). Cheap first-byte checks keep other
 * payloads out of the extractors.
 */
static uint32_t
tcp_seq(const struct pkt_info *pi, const struct rte_mbuf *m)
{
	uint32_t seq;

	memcpy(&seq, rte_pktmbuf_mtod_offset(m, const uint8_t *, pi->l4_offset + 4), 4);
	return rte_be_to_cpu_32(seq);
}

/* The first segment of a ClientHello that continues in the next one. */
static void
save_tls(struct worker_ctx *w, const struct pkt_work *pw, const struct rte_mbuf *m, const uint8_t *data,
	 uint32_t len)
{
	const struct pkt_info *pi = &pw->info;
	struct flow_key key;
	uint64_t hash;
	bool src_is_a = flow_key_make(&key, &hash, pi->family, pi->proto, pi->vlan, pi->src, pi->dst, pi->sport,
				      pi->dport);

	tls_reasm_save(&w->tls, &key, hash, src_is_a, tcp_seq(pi, m), data, len, packet_time(w, m));
}

static bool
continue_tls(struct worker_ctx *w, const struct pkt_work *pw, const struct rte_mbuf *m, const uint8_t *data,
	     uint32_t len, struct extract_name *host)
{
	const struct pkt_info *pi = &pw->info;
	struct flow_key key;
	uint64_t hash;
	bool src_is_a = flow_key_make(&key, &hash, pi->family, pi->proto, pi->vlan, pi->src, pi->dst, pi->sport,
				      pi->dport);

	return tls_reasm_continue(&w->tls, &key, hash, src_is_a, tcp_seq(pi, m), data, len, packet_time(w, m),
				  host) == EXTRACT_OK;
}

static bool
extract_payload_names(struct worker_ctx *w, const struct pkt_work *pw, const struct rte_mbuf *m,
		      struct extract_name *host, struct extract_name *url)
{
	const struct pkt_info *pi = &pw->info;
	const uint8_t *data = rte_pktmbuf_mtod(m, const uint8_t *);
	uint32_t len = rte_pktmbuf_data_len(m);

	host->len = 0;
	url->len = 0;
	if (pi->payload_offset == 0 || pi->payload_offset >= len)
		return false;
	data += pi->payload_offset;
	len -= pi->payload_offset;
	if (pi->proto == 17)
		return extract_dns_qname(data, len, false, host) == EXTRACT_OK;
	if (pi->proto != 6)
		return false;
	if (pi->dport == 53)
		return extract_dns_qname(data, len, true, host) == EXTRACT_OK;
	if (tls_reasm_maybe(&w->tls, pi->sport, pi->dport) && continue_tls(w, pw, m, data, len, host))
		return true;
	if (data[0] == 0x16) {
		enum extract_result r = extract_tls_sni(data, len, host);

		if (r == EXTRACT_NEED_MORE)
			save_tls(w, pw, m, data, len);
		return r == EXTRACT_OK;
	}
	if (data[0] >= 'A' && data[0] <= 'Z')
		return extract_http_request(data, len, host, url) == EXTRACT_OK;
	return false;
}

/* A packet that matched no address: its names, or the name-matched flow it belongs to. */
static uint8_t
resolve_by_name(struct worker_ctx *w, const struct dp_snapshot *snap, const struct pkt_work *pw,
		struct rte_mbuf *m)
{
	const struct pkt_info *pi = &pw->info;
	struct extract_name host, url;
	struct match_seen seen = {.name = NULL};
	struct flow_entry *fe;
	struct flow_key key;
	uint64_t hash, now = packet_time(w, m);
	bool src_is_a;

	if ((snap->view.nb_names != 0 || snap->url_db != NULL) && extract_payload_names(w, pw, m, &host, &url) &&
	    match_names(w, snap, &host, &url, &seen)) {
		w->stats.matches++;
		return track_match(w, &snap->view, pw, &seen, rte_pktmbuf_pkt_len(m), now);
	}
	if (w->nb_name_flows == 0)
		return IOCW_VERDICT_ALERT;
	/* Later packets of a flow matched by name carry no name: find the flow itself. */
	src_is_a = flow_key_make(&key, &hash, pi->family, pi->proto, pi->vlan, pi->src, pi->dst, pi->sport,
				 pi->dport);
	if (!(w->name_flow_bits[(hash >> 6) & 1023] >> (hash & 63) & 1))
		return IOCW_VERDICT_ALERT;
	fe = flow_table_lookup(&w->flows, &key, hash);
	if (fe == NULL)
		return IOCW_VERDICT_ALERT;
	flow_table_account(fe, src_is_a, rte_pktmbuf_pkt_len(m), pi->tcp_flags, now);
	return fe->action;
}

/* A later fragment that matched nothing: the flow of its first fragment, if that matched. */
static uint8_t
resolve_fragment(struct worker_ctx *w, const struct pkt_work *pw, struct rte_mbuf *m)
{
	uint64_t now = packet_time(w, m);
	const struct frag_entry *f = frag_table_find(&w->frags, &pw->info, now);
	struct flow_entry *fe;

	if (f == NULL || (fe = flow_table_lookup(&w->flows, &f->flow, f->flow_hash)) == NULL)
		return IOCW_VERDICT_ALERT;
	flow_table_account(fe, f->src_is_a, rte_pktmbuf_pkt_len(m), 0, now);
	return fe->action;
}

/* Stage 3: the packets of @p plan; per-packet verdicts in @p drop (valid when the
 * return value, the number of drops, is not 0). */
static uint16_t
stage_resolve(struct worker_ctx *w, const struct dp_snapshot *snap, struct rte_mbuf **pkts, uint16_t nb,
	      struct pkt_work *work, const struct resolve_plan *plan, uint8_t *drop)
{
	const struct snapshot_view *v = &snap->view;
	uint16_t nb_drop = 0;

	if (plan->nb == 0)
		return 0;
	memset(drop, 0, nb);
	for (uint16_t j = 0; j < plan->nb; j++) {
		uint16_t i = plan->idx[j];
		struct pkt_work *pw = &work[i];

		if (pw->candidates != 0 || plan->has_cidr) {
			struct match_seen seen = {.name = NULL};

			if (pw->candidates == 0)
				probe_from_info(pw);
			pw->src_val = (pw->candidates & 1) ? addr_value(v, &pw->probe, false) : 0;
			pw->dst_val = (pw->candidates & 2) ? addr_value(v, &pw->probe, true) : 0;
			if (snapshot_match_resolve(v, &pw->probe, pw->src_val, pw->dst_val, &seen.hit)) {
				w->stats.matches++;
				drop[i] = track_match(w, v, pw, &seen, rte_pktmbuf_pkt_len(pkts[i]),
						      packet_time(w, pkts[i])) == IOCW_VERDICT_BLOCKED;
				nb_drop += drop[i];
				continue;
			}
		}
		if ((pw->info.flags & PKT_FLAG_LATER_FRAG) && w->frags.active != 0)
			drop[i] = resolve_fragment(w, pw, pkts[i]) == IOCW_VERDICT_BLOCKED;
		else if (plan->has_names)
			drop[i] = resolve_by_name(w, snap, pw, pkts[i]) == IOCW_VERDICT_BLOCKED;
		nb_drop += drop[i];
	}
	return nb_drop;
}

/* Inline: forward what is not dropped (@p nb_drop of the burst are); passive: free. */
static void
forward_or_free(struct worker_ctx *w, const struct worker_rxq *q, struct rte_mbuf **pkts, uint16_t nb,
		const uint8_t *drop, uint16_t nb_drop)
{
	struct rte_mbuf *out_buf[DP_MAX_BURST];
	struct rte_mbuf **out = pkts;
	uint16_t nb_out = nb, sent;

	if (dataplane.cfg.mode == DP_MODE_PASSIVE) {
		rte_pktmbuf_free_bulk(pkts, nb);
		return;
	}
	/* The common burst drops nothing and goes out as received. */
	if (unlikely(nb_drop != 0)) {
		out = out_buf;
		nb_out = 0;
		for (uint16_t i = 0; i < nb; i++) {
			if (drop[i]) {
				w->stats.verdict_dropped++;
				rte_pktmbuf_free(pkts[i]);
			} else {
				out[nb_out++] = pkts[i];
			}
		}
	}
	sent = rte_eth_tx_burst(q->tx_port, q->tx_queue, out, nb_out);
	w->stats.tx_pkts += sent;
	if (sent < nb_out) {
		w->stats.tx_failed += nb_out - sent;
		rte_pktmbuf_free_bulk(out + sent, nb_out - sent);
	}
}

static void
process_burst(struct worker_ctx *w, const struct dp_snapshot *snap, const struct worker_rxq *q,
	      struct rte_mbuf **pkts, uint16_t nb)
{
	struct pkt_work work[DP_MAX_BURST];
	struct resolve_plan plan;
	uint8_t drop[DP_MAX_BURST];
	const struct snapshot_view *v = snap ? &snap->view : NULL;
	uint64_t bytes = 0;
	uint16_t nb_drop = 0;

	for (uint16_t i = 0; i < nb; i++)
		bytes += rte_pktmbuf_pkt_len(pkts[i]);
	w->stats.rx_bytes += bytes;
	w->stats.rx_pkts += nb;
	if (dataplane.replay && nb > 0)
		w->now_ns = RTE_MAX(w->now_ns, packet_time(w, pkts[nb - 1]));
	stage_parse(w, v, pkts, nb, work);
	if (v == NULL) {
		w->stats.no_snapshot += nb;
	} else {
		stage_filter(w, snap, nb, work, &plan);
		nb_drop = stage_resolve(w, snap, pkts, nb, work, &plan, drop);
	}
	forward_or_free(w, q, pkts, nb, drop, nb_drop);
}

/* The expiry slices owed for the time since the last run (a long gap: the whole table). */
static void
expire_slices(struct worker_ctx *w)
{
	uint64_t slots = w->flows.mask + 1;
	uint64_t slices = (w->now_ns - w->expired_to_ns) / EXPIRE_SLICE_NS;
	uint64_t per_slice = RTE_MAX(slots >> EXPIRE_SLICES_PER_SWEEP_SHIFT, (uint64_t)EXPIRE_MIN_SLICE);
	uint32_t budget = (uint32_t)RTE_MIN(slices * per_slice, slots);

	w->expired_to_ns += slices * EXPIRE_SLICE_NS;
	flow_table_expire(&w->flows, w->now_ns, budget, on_flow_end, w);
	tls_reasm_expire(&w->tls, w->now_ns, budget);
}

/* Replay finished: end every flow so its record goes out, then report done. */
static void
finish_replay(struct worker_ctx *w)
{
	flow_table_flush(&w->flows, IOCW_END_CAPTURE_END, on_flow_end, w);
	w->done = true;
}

void
worker_flush_stopped(struct worker_ctx *w)
{
	flow_table_flush(&w->flows, IOCW_END_SHUTDOWN, on_flow_end, w);
}

int
worker_main(void *arg)
{
	struct worker_ctx *w = arg;
	struct rte_mbuf *pkts[DP_MAX_BURST];
	uint16_t burst = (uint16_t)RTE_MIN(dataplane.cfg.burst, DP_MAX_BURST);
	uint64_t idle_polls = 0;

	rte_rcu_qsbr_thread_register(dataplane.qsv, w->index);
	rte_rcu_qsbr_thread_online(dataplane.qsv, w->index);
	while (!dataplane.start && !dataplane.stop) {
		rte_rcu_qsbr_quiescent(dataplane.qsv, w->index);
		rte_pause();
	}
	/* Replay time starts at the first packet's timestamp, not at the wall clock. */
	w->now_ns = dataplane.replay ? 0 : dataplane_now_ns();
	w->expired_to_ns = w->now_ns;
	while (!dataplane.stop && !w->done) {
		/* Acquire pairs with the release in snap_pub_publish(): the blob is complete. */
		const struct dp_snapshot *snap = __atomic_load_n(&dataplane.snapshot, __ATOMIC_ACQUIRE);
		uint32_t got = 0;

		if (!dataplane.replay) {
			uint64_t now = dataplane_now_ns();

			/* The longest gap between two iterations: a reload must never stall a worker. */
			if (now - w->now_ns > w->stats.max_loop_ns && w->stats.rx_pkts != 0)
				w->stats.max_loop_ns = now - w->now_ns;
			w->now_ns = now;
		}
		for (unsigned i = 0; i < w->nb_rxq; i++) {
			const struct worker_rxq *q = &w->rxq[i];
			uint16_t nb = rte_eth_rx_burst(q->port, q->queue, pkts, burst);

			if (nb > 0)
				process_burst(w, snap, q, pkts, nb);
			got += nb;
		}
		if (w->now_ns - w->expired_to_ns >= EXPIRE_SLICE_NS)
			expire_slices(w);
		/* Nothing from this iteration's snapshot is used after this point. */
		rte_rcu_qsbr_quiescent(dataplane.qsv, w->index);
		idle_polls = got ? 0 : idle_polls + 1;
		if (dataplane.replay && idle_polls >= REPLAY_IDLE_POLLS)
			finish_replay(w);
	}
	rte_rcu_qsbr_thread_offline(dataplane.qsv, w->index);
	rte_rcu_qsbr_thread_unregister(dataplane.qsv, w->index);
	return 0;
}
