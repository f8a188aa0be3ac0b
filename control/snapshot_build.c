/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * snapshot_build.c - compile indicators into the snapshot layout of
 * contract/snapshot_format.h. Strings and metadata records are shared
 * (interned), duplicate keys merged, then the hash tables and the address
 * pre-filter are laid out in one aligned blob and checksummed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hs.h>

#include "cidr_ranges.h"
#include "exclusions.h"
#include "contract/snapshot.h"
#include "index_map.h"
#include "snapshot_build.h"

/* Bits of pre-filter per distinct address and bits set per address (k). */
#define FILTER_BITS_PER_ADDR 16

/* One compiled key; metadata by index. */
struct build_entry {
	uint8_t family;
	uint8_t kind; /* SNAP_KIND_ADDR, SNAP_KIND_PORT or SNAP_KIND_CIDR */
	uint8_t proto;
	uint8_t prefix_len; /* CIDR only */
	uint16_t port;
	uint8_t addr[16];
	uint32_t meta;
};

struct snapshot_builder {
	char *strings;
	size_t strings_len, strings_cap;
	struct index_map string_map;

	struct snap_meta *meta;
	size_t nb_meta, meta_cap;
	struct index_map meta_map;

	struct build_entry *entries;
	size_t nb_entries, entries_cap;
	struct index_map entry_map;

	struct snapshot_build_stats stats;
	size_t nb_cidr[2]; /* IPv4, IPv6 CIDR entries */

	/* Domain and URL indicators, by interned string. */
	struct name_entry *names;
	size_t nb_names, names_cap;
	struct index_map name_map;
	size_t nb_domains, nb_urls;
	bool url_prefix; /* URLs added from now on match as prefixes */

	/* Exclusions, ready to copy into their sections. */
	struct snap_exclusion *excl;
	uint32_t nb_excl;
	struct snap_excl_net *excl_nets;
	uint32_t nb_excl_nets;
	uint16_t *excl_ports;
	uint32_t nb_excl_ports;
	uint64_t *excl_week;
	uint32_t nb_excl_week;
	struct snap_tz_change *excl_tz;
	uint32_t nb_excl_tz;
	uint32_t flags;
};

struct name_entry {
	uint32_t str;
	uint32_t meta;
	uint8_t type;   /* IOCW_IOC_DOMAIN or IOCW_IOC_URL */
	uint8_t prefix; /* URL: match requests that start with it */
};

static int
grow_array(void **array, size_t *cap, size_t need, size_t elem)
{
	size_t n = *cap ? *cap : 1024;
	void *p;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	p = realloc(*array, n * elem);
	if (p == NULL)
		return -ENOMEM;
	*array = p;
	*cap = n;
	return 0;
}

struct snapshot_builder *
snapshot_builder_new(void)
{
	struct snapshot_builder *b = calloc(1, sizeof(*b));

	if (b == NULL)
		goto out_nomem;
	if (index_map_init(&b->string_map, 1024) < 0 || index_map_init(&b->meta_map, 1024) < 0 ||
	    index_map_init(&b->entry_map, 1024) < 0 || index_map_init(&b->name_map, 1024) < 0)
		goto out_free_builder;
	/* Offset 0 is the empty string, so "unknown" costs nothing. */
	if (grow_array((void **)&b->strings, &b->strings_cap, 1, 1) < 0)
		goto out_free_builder;
	b->strings[0] = '\0';
	b->strings_len = 1;
	return b;

out_free_builder:
	snapshot_builder_free(b);
out_nomem:
	errno = ENOMEM;
	return NULL;
}

void
snapshot_builder_free(struct snapshot_builder *b)
{
	if (b == NULL)
		return;
	index_map_release(&b->string_map);
	index_map_release(&b->meta_map);
	index_map_release(&b->entry_map);
	index_map_release(&b->name_map);
	free(b->names);
	free(b->excl);
	free(b->excl_nets);
	free(b->excl_ports);
	free(b->excl_week);
	free(b->excl_tz);
	free(b->strings);
	free(b->meta);
	free(b->entries);
	free(b);
}

static bool
string_eq(const void *key, uint32_t idx, void *ctx)
{
	const struct snapshot_builder *b = ctx;

	return strcmp(b->strings + idx, key) == 0;
}

/* Offset of @p s in the string pool, adding it once. Returns -ENOMEM on failure. */
static int64_t
intern(struct snapshot_builder *b, const char *s)
{
	size_t len;
	uint64_t h;
	int64_t found;

	if (s == NULL || s[0] == '\0')
		return 0;
	len = strlen(s);
	h = index_map_hash_bytes(s, len);
	found = index_map_find_or_insert(&b->string_map, h, s, string_eq, b, -1);
	if (found >= 0)
		return found;
	if (b->strings_len + len + 1 > UINT32_MAX ||
	    grow_array((void **)&b->strings, &b->strings_cap, b->strings_len + len + 1, 1) < 0)
		return -ENOMEM;
	memcpy(b->strings + b->strings_len, s, len + 1);
	found = (int64_t)b->strings_len;
	if (index_map_find_or_insert(&b->string_map, h, s, string_eq, b, found) == -2)
		return -ENOMEM;
	b->strings_len += len + 1;
	return found;
}

static bool
meta_eq(const void *key, uint32_t idx, void *ctx)
{
	const struct snapshot_builder *b = ctx;

	return memcmp(&b->meta[idx], key, sizeof(struct snap_meta)) == 0;
}

static int64_t
share_meta(struct snapshot_builder *b, const struct snap_meta *m)
{
	uint64_t h = index_map_hash_bytes(m, sizeof(*m));
	int64_t found = index_map_find_or_insert(&b->meta_map, h, m, meta_eq, b, -1);

	if (found >= 0)
		return found;
	if (grow_array((void **)&b->meta, &b->meta_cap, b->nb_meta + 1, sizeof(*m)) < 0)
		return -ENOMEM;
	b->meta[b->nb_meta] = *m;
	if (index_map_find_or_insert(&b->meta_map, h, m, meta_eq, b, (int64_t)b->nb_meta) == -2)
		return -ENOMEM;
	return (int64_t)b->nb_meta++;
}

static uint32_t
clamp_time(int64_t t)
{
	return t <= 0 ? 0 : t > UINT32_MAX ? UINT32_MAX : (uint32_t)t;
}

static int
meta_from_ioc(struct snapshot_builder *b, const struct ioc *ioc, struct snap_meta *m)
{
	const char *const fields[] = {ioc->feed, ioc->malware, ioc->threat, ioc->reference, ioc->tags};
	uint32_t *const offs[] = {&m->feed, &m->malware, &m->threat, &m->reference, &m->tags};

	memset(m, 0, sizeof(*m));
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		int64_t off = intern(b, fields[i]);

		if (off < 0)
			return (int)off;
		*offs[i] = (uint32_t)off;
	}
	m->first_seen = clamp_time(ioc->first_seen);
	m->last_seen = clamp_time(ioc->last_seen);
	m->confidence = (int8_t)(ioc->confidence < 0 ? -1 : ioc->confidence > 100 ? 100 : ioc->confidence);
	m->action = (uint8_t)ioc->action;
	m->type = (uint8_t)ioc->type;
	return 0;
}

/* Key bytes of an entry (everything before the meta index). */
#define ENTRY_KEY_LEN offsetof(struct build_entry, meta)

static bool
entry_eq(const void *key, uint32_t idx, void *ctx)
{
	const struct snapshot_builder *b = ctx;

	return memcmp(&b->entries[idx], key, ENTRY_KEY_LEN) == 0;
}

/* Does record @p cand beat the record already stored for the same key? */
static bool
meta_wins(const struct snap_meta *cand, const struct snap_meta *cur)
{
	if (cand->confidence != cur->confidence)
		return cand->confidence > cur->confidence;
	return cand->action > cur->action;
}

/* Is @p item one of the comma-separated entries of @p list? */
static bool
list_has(const char *list, const char *item)
{
	size_t n = strlen(item);

	for (const char *p = list; *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : p + strlen(p))
		if (strncmp(p, item, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return true;
	return false;
}

/* Offset of "a,b" for two interned lists, each entry once. */
static int64_t
union_strings(struct snapshot_builder *b, uint32_t a, uint32_t c)
{
	char buf[4096];
	size_t len;
	const char *add;

	if (c == 0 || a == c)
		return a;
	if (a == 0)
		return c;
	len = (size_t)snprintf(buf, sizeof(buf), "%s", b->strings + a);
	add = b->strings + c;
	while (*add && len < sizeof(buf) - 1) {
		const char *end = strchr(add, ',');
		size_t n = end ? (size_t)(end - add) : strlen(add);
		char item[512];

		snprintf(item, sizeof(item), "%.*s", (int)n, add);
		if (!list_has(buf, item))
			len += (size_t)snprintf(buf + len, sizeof(buf) - len, ",%s", item);
		add += n + (end != NULL);
	}
	return intern(b, buf);
}

/*
 * The same indicator from several sources: keep every feed, family, threat,
 * reference and tag (comma-separated, each once), the highest confidence, the
 * earliest first-seen and latest last-seen; the action is that of the most
 * confident source, and drop wins a tie (docs/feeds.md, "Merging").
 */
static int64_t
merge_meta(struct snapshot_builder *b, uint32_t cur_idx, const struct snap_meta *cand)
{
	struct snap_meta m = b->meta[cur_idx], winner;
	uint32_t *const dst[] = {&m.feed, &m.malware, &m.threat, &m.reference, &m.tags};
	const uint32_t add[] = {cand->feed, cand->malware, cand->threat, cand->reference, cand->tags};

	winner = meta_wins(cand, &m) ? *cand : m;
	for (size_t i = 0; i < sizeof(add) / sizeof(add[0]); i++) {
		int64_t off = union_strings(b, *dst[i], add[i]);

		if (off < 0)
			return off;
		*dst[i] = (uint32_t)off;
	}
	m.confidence = winner.confidence;
	m.action = winner.action;
	if (cand->first_seen && (m.first_seen == 0 || cand->first_seen < m.first_seen))
		m.first_seen = cand->first_seen;
	if (cand->last_seen > m.last_seen)
		m.last_seen = cand->last_seen;
	return share_meta(b, &m);
}

static bool
name_eq(const void *key, uint32_t idx, void *ctx)
{
	const struct snapshot_builder *b = ctx;
	const struct name_entry *k = key, *e = &b->names[idx];

	return k->str == e->str && k->type == e->type;
}

void
snapshot_builder_set_url_prefix(struct snapshot_builder *b, bool prefix)
{
	b->url_prefix = prefix;
}

/*
 * Only http:// URLs can be seen on the wire (request line + Host); an https://
 * URL's path travels encrypted, so it is counted as not matchable rather than
 * widened to its whole host.
 */
static int
add_name(struct snapshot_builder *b, const struct ioc *ioc)
{
	struct name_entry e = {.type = (uint8_t)ioc->type};
	struct snap_meta m;
	int64_t off, meta, found;
	uint64_t h;
	int rc;

	if (ioc->type == IOCW_IOC_URL && strncmp(ioc->value, "http://", 7) != 0) {
		b->stats.nb_unsupported++;
		return 0;
	}
	if ((off = intern(b, ioc->value)) < 0)
		return (int)off;
	if ((rc = meta_from_ioc(b, ioc, &m)) < 0)
		return rc;
	if ((meta = share_meta(b, &m)) < 0)
		return (int)meta;
	e.str = (uint32_t)off;
	e.meta = (uint32_t)meta;
	e.prefix = ioc->type == IOCW_IOC_URL && b->url_prefix;
	h = index_map_hash_bytes(&e.str, sizeof(e.str)) ^ e.type;
	found = index_map_find_or_insert(&b->name_map, h, &e, name_eq, b, -1);
	if (found >= 0) {
		int64_t merged = merge_meta(b, b->names[found].meta, &m);

		if (merged < 0)
			return (int)merged;
		b->names[found].meta = (uint32_t)merged;
		b->stats.nb_merged++;
		return 0;
	}
	if (grow_array((void **)&b->names, &b->names_cap, b->nb_names + 1, sizeof(e)) < 0 ||
	    index_map_find_or_insert(&b->name_map, h, &e, name_eq, b, (int64_t)b->nb_names) == -2)
		return -ENOMEM;
	b->names[b->nb_names++] = e;
	if (e.type == IOCW_IOC_DOMAIN)
		b->nb_domains++;
	else
		b->nb_urls++;
	b->stats.nb_added++;
	b->stats.nb_by_type[ioc->type]++;
	return 0;
}

/* Append @p n elements of @p size to a growable section array. */
static int
append_elems(void **arr, uint32_t *nb, const void *src, uint32_t n, size_t size)
{
	void *p;

	if (n == 0)
		return 0;
	p = realloc(*arr, (*nb + n) * size);
	if (p == NULL)
		return -ENOMEM;
	memcpy((uint8_t *)p + *nb * size, src, n * size);
	*arr = p;
	*nb += n;
	return 0;
}

static int
add_exclusion(struct snapshot_builder *b, const struct excl_spec *x)
{
	struct snap_exclusion e = {.mode = x->mode, .types_mask = x->types_mask, .proto_mask = x->proto_mask,
				   .week_off = SNAP_NONE};
	int64_t name = intern(b, x->name), feeds = intern(b, x->feeds), fams = intern(b, x->families);

	if (name < 0 || feeds < 0 || fams < 0)
		return -ENOMEM;
	e.name = (uint32_t)name;
	e.feeds = (uint32_t)feeds;
	e.families = (uint32_t)fams;
	e.hosts_off = b->nb_excl_nets;
	e.nb_hosts = x->nb_hosts;
	if (append_elems((void **)&b->excl_nets, &b->nb_excl_nets, x->hosts, x->nb_hosts, sizeof(*x->hosts)) < 0)
		return -ENOMEM;
	e.iocs_off = b->nb_excl_nets;
	e.nb_iocs = x->nb_iocs;
	e.ports_off = b->nb_excl_ports;
	e.nb_ports = x->nb_ports;
	e.tz_off = b->nb_excl_tz;
	e.nb_tz = x->nb_tz;
	if (x->has_week)
		e.week_off = b->nb_excl_week;
	if (append_elems((void **)&b->excl_nets, &b->nb_excl_nets, x->iocs, x->nb_iocs, sizeof(*x->iocs)) < 0 ||
	    append_elems((void **)&b->excl_ports, &b->nb_excl_ports, x->ports, x->nb_ports, sizeof(uint16_t)) < 0 ||
	    append_elems((void **)&b->excl_tz, &b->nb_excl_tz, x->tz, x->nb_tz, sizeof(*x->tz)) < 0 ||
	    (x->has_week && append_elems((void **)&b->excl_week, &b->nb_excl_week, x->week, SNAP_WEEK_WORDS,
					 sizeof(uint64_t)) < 0) ||
	    append_elems((void **)&b->excl, &b->nb_excl, &e, 1, sizeof(e)) < 0)
		return -ENOMEM;
	return 0;
}

int
snapshot_builder_set_exclusions(struct snapshot_builder *b, const struct exclusion_set *excl)
{
	for (unsigned i = 0; i < excl->nb_excl; i++)
		if (add_exclusion(b, &excl->excl[i]) < 0)
			return -ENOMEM;
	if (excl->monitor_only)
		b->flags |= SNAP_FLAG_MONITOR_ONLY;
	return 0;
}

/* A host prefix (/32, /128) is an address: it takes the exact, filtered path. */
static uint8_t
entry_kind(const struct ioc *ioc)
{
	unsigned full = ioc->family == IOCW_FAMILY_V4 ? 32 : 128;

	if (ioc->type == IOCW_IOC_IP_PORT)
		return SNAP_KIND_PORT;
	if (ioc->type == IOCW_IOC_CIDR && ioc->prefix_len < full)
		return SNAP_KIND_CIDR;
	return SNAP_KIND_ADDR;
}

int
snapshot_builder_add(void *ctx, const struct ioc *ioc)
{
	struct snapshot_builder *b = ctx;
	struct build_entry e;
	struct snap_meta m;
	int64_t meta_idx, found;
	uint64_t h;
	int rc;

	if (ioc->type == IOCW_IOC_DOMAIN || ioc->type == IOCW_IOC_URL)
		return add_name(b, ioc);
	if (ioc->type != IOCW_IOC_IP && ioc->type != IOCW_IOC_IP_PORT && ioc->type != IOCW_IOC_CIDR) {
		b->stats.nb_unsupported++;
		return 0;
	}
	memset(&e, 0, sizeof(e));
	e.family = ioc->family;
	e.kind = entry_kind(ioc);
	e.proto = ioc->type == IOCW_IOC_IP_PORT ? ioc->proto : 0;
	e.port = ioc->type == IOCW_IOC_IP_PORT ? ioc->port : 0;
	e.prefix_len = e.kind == SNAP_KIND_CIDR ? ioc->prefix_len : 0;
	memcpy(e.addr, ioc->addr, e.family == IOCW_FAMILY_V4 ? 4 : 16);

	rc = meta_from_ioc(b, ioc, &m);
	if (rc < 0)
		return rc;
	meta_idx = share_meta(b, &m);
	if (meta_idx < 0)
		return (int)meta_idx;
	e.meta = (uint32_t)meta_idx;

	h = index_map_hash_bytes(&e, ENTRY_KEY_LEN);
	found = index_map_find_or_insert(&b->entry_map, h, &e, entry_eq, b, -1);
	if (found >= 0) {
		int64_t merged = merge_meta(b, b->entries[found].meta, &m);

		if (merged < 0)
			return (int)merged;
		b->entries[found].meta = (uint32_t)merged;
		b->stats.nb_merged++;
		return 0;
	}
	if (grow_array((void **)&b->entries, &b->entries_cap, b->nb_entries + 1, sizeof(e)) < 0)
		return -ENOMEM;
	b->entries[b->nb_entries] = e;
	if (index_map_find_or_insert(&b->entry_map, h, &e, entry_eq, b, (int64_t)b->nb_entries) == -2)
		return -ENOMEM;
	b->nb_entries++;
	b->stats.nb_added++;
	b->stats.nb_by_type[ioc->type]++;
	if (e.kind == SNAP_KIND_CIDR)
		b->nb_cidr[e.family == IOCW_FAMILY_V4 ? 0 : 1]++;
	return 0;
}

void
snapshot_builder_stats(const struct snapshot_builder *b, struct snapshot_build_stats *st)
{
	*st = b->stats;
	st->nb_meta = b->nb_meta;
	st->strings_bytes = b->strings_len;
}

static uint64_t
pow2_at_least(uint64_t n, uint64_t min)
{
	uint64_t p = min;

	while (p < n)
		p <<= 1;
	return p;
}

static uint64_t
align_up(uint64_t x)
{
	return (x + SNAP_ALIGN - 1) & ~(uint64_t)(SNAP_ALIGN - 1);
}

/* Tables being filled inside the blob. */
struct layout {
	uint64_t *filter;
	uint64_t filter_mask;
	uint64_t *v4_keys;
	uint32_t *v4_vals;
	uint64_t v4_mask;
	struct snap_v6_entry *v6;
	uint64_t v6_mask;
};

static uint32_t
entry_value(const struct build_entry *e)
{
	return e->meta + 1;
}

/* Insert or merge an IPv4 key; address-level values OR together (meta | has_ports). */
static void
v4_put(struct layout *l, uint64_t key, uint32_t val)
{
	uint64_t i = snapshot_mix64(key) & l->v4_mask;

	while (l->v4_keys[i] != 0 && l->v4_keys[i] != key)
		i = (i + 1) & l->v4_mask;
	l->v4_keys[i] = key;
	l->v4_vals[i] |= val;
}

static void
v6_put(struct layout *l, uint64_t hi, uint64_t lo, uint32_t tag, uint32_t val)
{
	uint64_t i = snapshot_v6_hash(hi, lo, tag) & l->v6_mask;

	while (l->v6[i].tag != 0 && !(l->v6[i].tag == tag && l->v6[i].hi == hi && l->v6[i].lo == lo))
		i = (i + 1) & l->v6_mask;
	l->v6[i].hi = hi;
	l->v6[i].lo = lo;
	l->v6[i].tag = tag;
	l->v6[i].val |= val;
}

static void
filter_put(struct layout *l, uint64_t h)
{
	l->filter[h & l->filter_mask] |= snapshot_filter_bits(h, SNAP_FILTER_HASHES);
}

static void
place_entry(struct layout *l, const struct build_entry *e)
{
	uint32_t addr_val = e->kind == SNAP_KIND_ADDR ? entry_value(e) : SNAP_VAL_HAS_PORTS;

	if (e->family == IOCW_FAMILY_V4) {
		uint32_t a = (uint32_t)e->addr[0] << 24 | e->addr[1] << 16 | e->addr[2] << 8 | e->addr[3];

		v4_put(l, snapshot_v4_key_addr(a), addr_val);
		if (e->kind == SNAP_KIND_PORT)
			v4_put(l, snapshot_v4_key_port(a, e->port, e->proto), entry_value(e));
		filter_put(l, snapshot_filter_hash_v4(a));
	} else {
		uint64_t hi, lo;

		memcpy(&hi, e->addr, 8);
		memcpy(&lo, e->addr + 8, 8);
		v6_put(l, hi, lo, snapshot_v6_tag(SNAP_KIND_ADDR, 0, 0), addr_val);
		if (e->kind == SNAP_KIND_PORT)
			v6_put(l, hi, lo, snapshot_v6_tag(SNAP_KIND_PORT, e->port, e->proto),
			       entry_value(e));
		filter_put(l, snapshot_filter_hash_v6(hi, lo));
	}
}

/* CIDR sections, built before the blob is sized. */
struct cidr_sections {
	uint32_t *index4; /* SNAP_CIDR4_BUCKETS + 1 */
	struct snap_range4 *v4;
	size_t nb_v4;
	struct snap_range6 *v6;
	size_t nb_v6;
};

static void
cidr_sections_release(struct cidr_sections *c)
{
	free(c->index4);
	free(c->v4);
	free(c->v6);
}

static cidr_u128
entry_number(const struct build_entry *e)
{
	unsigned nbytes = e->family == IOCW_FAMILY_V4 ? 4 : 16;
	cidr_u128 x = 0;

	for (unsigned i = 0; i < nbytes; i++)
		x = x << 8 | e->addr[i];
	return x;
}

/* The CIDR entries of one family as prefixes; returns how many, or -errno. */
static long
collect_prefixes(const struct snapshot_builder *b, uint8_t family, struct cidr_prefix *out)
{
	unsigned bits = family == IOCW_FAMILY_V4 ? 32 : 128;
	long n = 0;

	for (size_t i = 0; i < b->nb_entries; i++) {
		const struct build_entry *e = &b->entries[i];
		cidr_u128 host_mask;

		if (e->kind != SNAP_KIND_CIDR || e->family != family)
			continue;
		/* Range values keep 24 bits of metadata index (see snapshot_format.h). */
		if (e->meta + 1 > SNAP_RANGE_META_MASK)
			return -E2BIG;
		host_mask = e->prefix_len == 0 ? (bits == 128 ? ~(cidr_u128)0 : 0xffffffffu)
					       : (((cidr_u128)1 << (bits - e->prefix_len)) - 1);
		out[n].start = entry_number(e);
		out[n].end = out[n].start | host_mask;
		out[n].len = e->prefix_len;
		out[n].val = (uint32_t)e->prefix_len << 24 | (e->meta + 1);
		n++;
	}
	return n;
}

static int
build_cidr_sections(const struct snapshot_builder *b, struct cidr_sections *c)
{
	size_t most = b->nb_cidr[0] > b->nb_cidr[1] ? b->nb_cidr[0] : b->nb_cidr[1];
	struct cidr_prefix *p = malloc((most ? most : 1) * sizeof(*p));
	struct cidr_range *r = NULL;
	long n;

	memset(c, 0, sizeof(*c));
	if (p == NULL)
		return -ENOMEM;
	if ((n = collect_prefixes(b, IOCW_FAMILY_V4, p)) < 0 ||
	    (n = cidr_ranges_flatten(p, (size_t)n, &r)) < 0)
		goto out_fail;
	if (n > 0) {
		c->index4 = malloc((SNAP_CIDR4_BUCKETS + 1) * sizeof(uint32_t));
		if (c->index4 == NULL || (n = cidr_ranges_index_v4(r, (size_t)n, c->index4, &c->v4)) < 0)
			goto out_fail;
		c->nb_v4 = (size_t)n;
	}
	free(r);
	r = NULL;
	if ((n = collect_prefixes(b, IOCW_FAMILY_V6, p)) < 0 ||
	    (n = cidr_ranges_flatten(p, (size_t)n, &r)) < 0)
		goto out_fail;
	c->v6 = calloc(n ? (size_t)n : 1, sizeof(*c->v6));
	if (c->v6 == NULL)
		goto out_fail;
	for (long i = 0; i < n; i++) {
		c->v6[i].start_hi = (uint64_t)(r[i].start >> 64);
		c->v6[i].start_lo = (uint64_t)r[i].start;
		c->v6[i].val = r[i].val;
	}
	c->nb_v6 = (size_t)n;
	free(r);
	free(p);
	return 0;

out_fail:
	free(r);
	free(p);
	cidr_sections_release(c);
	return n < 0 ? (int)n : -ENOMEM;
}

static void
copy_cidr_sections(const struct snap_header *h, uint8_t *base, const struct cidr_sections *c)
{
	if (c->nb_v4) {
		memcpy(base + h->sections[SNAP_SEC_CIDR4_INDEX].offset, c->index4,
		       (SNAP_CIDR4_BUCKETS + 1) * sizeof(uint32_t));
		memcpy(base + h->sections[SNAP_SEC_CIDR4_RANGES].offset, c->v4,
		       c->nb_v4 * sizeof(*c->v4));
	}
	memcpy(base + h->sections[SNAP_SEC_CIDR6_RANGES].offset, c->v6, c->nb_v6 * sizeof(*c->v6));
}

/* Domain table and URL pattern database, built before the blob is sized. */
struct name_sections {
	struct snap_name *names;
	uint64_t cap;
	struct snap_url *urls;
	size_t nb_urls;
	char *hsdb; /* hs_serialize_database() output */
	size_t hsdb_len;
};

static void
name_sections_release(struct name_sections *n)
{
	free(n->names);
	free(n->urls);
	free(n->hsdb);
}

static void
build_domain_table(const struct snapshot_builder *b, struct name_sections *n)
{
	for (size_t i = 0; i < b->nb_names; i++) {
		const struct name_entry *e = &b->names[i];
		const char *s = b->strings + e->str;
		uint64_t h, j;

		if (e->type != IOCW_IOC_DOMAIN)
			continue;
		h = snapshot_name_hash(s, (unsigned)strlen(s));
		for (j = h & (n->cap - 1); n->names[j].val != 0; j = (j + 1) & (n->cap - 1))
			;
		n->names[j] = (struct snap_name){.hash = h, .str = e->str, .val = e->meta + 1};
	}
}

/* Hyperscan pattern for a URL: the literal, every byte escaped, anchored at the start. */
static char *
url_pattern(const char *url, bool prefix)
{
	size_t len = strlen(url);
	char *p = malloc(len * 4 + 3), *o = p;

	if (p == NULL)
		return NULL;
	*o++ = '^';
	for (size_t i = 0; i < len; i++)
		o += sprintf(o, "\\x%02x", (unsigned char)url[i]);
	if (!prefix)
		*o++ = '$';
	*o = '\0';
	return p;
}

static int
build_url_db(const struct snapshot_builder *b, struct name_sections *n, char *err, size_t errlen)
{
	char **patterns = calloc(b->nb_urls, sizeof(char *));
	unsigned *ids = calloc(b->nb_urls, sizeof(unsigned));
	unsigned *flags = calloc(b->nb_urls, sizeof(unsigned));
	hs_database_t *db = NULL;
	hs_compile_error_t *cerr = NULL;
	int rc = -ENOMEM;

	n->urls = calloc(b->nb_urls, sizeof(*n->urls));
	if (patterns == NULL || ids == NULL || flags == NULL || n->urls == NULL)
		goto out_free;
	for (size_t i = 0; i < b->nb_names; i++) {
		const struct name_entry *e = &b->names[i];

		if (e->type != IOCW_IOC_URL)
			continue;
		patterns[n->nb_urls] = url_pattern(b->strings + e->str, e->prefix);
		if (patterns[n->nb_urls] == NULL)
			goto out_free;
		ids[n->nb_urls] = (unsigned)n->nb_urls;
		flags[n->nb_urls] = HS_FLAG_SINGLEMATCH;
		n->urls[n->nb_urls] = (struct snap_url){.str = e->str, .val = e->meta + 1};
		n->nb_urls++;
	}
	if (hs_compile_multi((const char *const *)patterns, flags, ids, (unsigned)n->nb_urls, HS_MODE_BLOCK,
			     NULL, &db, &cerr) != HS_SUCCESS) {
		snprintf(err, errlen, "URL pattern %d: %s", cerr ? cerr->expression : -1,
			 cerr ? cerr->message : "compile failed");
		hs_free_compile_error(cerr);
		rc = -EINVAL;
		goto out_free;
	}
	rc = hs_serialize_database(db, &n->hsdb, &n->hsdb_len) == HS_SUCCESS ? 0 : -ENOMEM;
	hs_free_database(db);
out_free:
	for (size_t i = 0; patterns && i < b->nb_urls; i++)
		free(patterns[i]);
	free(patterns);
	free(ids);
	free(flags);
	return rc;
}

static int
build_name_sections(const struct snapshot_builder *b, struct name_sections *n)
{
	char err[256];
	int rc;

	memset(n, 0, sizeof(*n));
	n->cap = pow2_at_least(b->nb_domains * 4 / 3 + 1, 16);
	n->names = calloc(n->cap, sizeof(*n->names));
	if (n->names == NULL)
		return -ENOMEM;
	build_domain_table(b, n);
	if (b->nb_urls == 0)
		return 0;
	rc = build_url_db(b, n, err, sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "snapshot: %s\n", err);
		name_sections_release(n);
	}
	return rc;
}

static void
copy_section(const struct snap_header *h, uint8_t *base, enum snap_section_id id, const void *src)
{
	if (h->sections[id].size)
		memcpy(base + h->sections[id].offset, src, h->sections[id].size);
}

static void
set_section(struct snap_header *h, enum snap_section_id id, uint64_t *at, uint64_t count,
	    uint64_t elem)
{
	h->sections[id].offset = *at;
	h->sections[id].count = count;
	h->sections[id].size = count * elem;
	*at = align_up(*at + count * elem);
}

int
snapshot_builder_finish(struct snapshot_builder *b, uint64_t generation, void **blob, size_t *len)
{
	uint64_t nb_v4 = 0, nb_v6 = 0, total;
	struct snap_header *h;
	struct layout l;
	uint8_t *base;

	struct cidr_sections cidr;
	struct name_sections names;
	int rc = build_cidr_sections(b, &cidr);

	if (rc < 0)
		return rc;
	rc = build_name_sections(b, &names);
	if (rc < 0) {
		cidr_sections_release(&cidr);
		return rc;
	}
	for (size_t i = 0; i < b->nb_entries; i++) {
		uint64_t keys = b->entries[i].kind == SNAP_KIND_PORT ? 2 : 1;

		if (b->entries[i].kind == SNAP_KIND_CIDR)
			continue;
		if (b->entries[i].family == IOCW_FAMILY_V4)
			nb_v4 += keys;
		else
			nb_v6 += keys;
	}
	/*
	 * Load factor at most 3/4: a hit takes ~2.5 probes, mostly in one cache line,
	 * and the miss path (longer) only runs for the pre-filter's rare false
	 * positives. It also always leaves empty slots, which probing relies on.
	 */
	uint64_t v4_cap = pow2_at_least(nb_v4 * 4 / 3 + 1, 16);
	uint64_t v6_cap = pow2_at_least(nb_v6 * 4 / 3 + 1, 16);
	/* Domain names share the pre-filter with addresses: a name that matches nothing costs filter tests, not table probes. */
	uint64_t filter_words = pow2_at_least((b->nb_entries + b->nb_domains) * FILTER_BITS_PER_ADDR / 64, 8);

	uint64_t at = align_up(sizeof(*h));
	struct snap_header hdr = {0};
	set_section(&hdr, SNAP_SEC_FILTER, &at, filter_words, sizeof(uint64_t));
	set_section(&hdr, SNAP_SEC_V4_KEYS, &at, v4_cap, sizeof(uint64_t));
	set_section(&hdr, SNAP_SEC_V4_VALS, &at, v4_cap, sizeof(uint32_t));
	set_section(&hdr, SNAP_SEC_V6, &at, v6_cap, sizeof(struct snap_v6_entry));
	set_section(&hdr, SNAP_SEC_META, &at, b->nb_meta, sizeof(struct snap_meta));
	set_section(&hdr, SNAP_SEC_STRINGS, &at, b->strings_len, 1);
	set_section(&hdr, SNAP_SEC_CIDR4_INDEX, &at, cidr.nb_v4 ? SNAP_CIDR4_BUCKETS + 1 : 0,
		    sizeof(uint32_t));
	set_section(&hdr, SNAP_SEC_CIDR4_RANGES, &at, cidr.nb_v4, sizeof(struct snap_range4));
	set_section(&hdr, SNAP_SEC_CIDR6_RANGES, &at, cidr.nb_v6, sizeof(struct snap_range6));
	set_section(&hdr, SNAP_SEC_NAMES, &at, names.cap, sizeof(struct snap_name));
	set_section(&hdr, SNAP_SEC_URLS, &at, names.nb_urls, sizeof(struct snap_url));
	set_section(&hdr, SNAP_SEC_URL_HSDB, &at, names.hsdb_len, 1);
	set_section(&hdr, SNAP_SEC_EXCL, &at, b->nb_excl, sizeof(struct snap_exclusion));
	set_section(&hdr, SNAP_SEC_EXCL_NETS, &at, b->nb_excl_nets, sizeof(struct snap_excl_net));
	set_section(&hdr, SNAP_SEC_EXCL_PORTS, &at, b->nb_excl_ports, sizeof(uint16_t));
	set_section(&hdr, SNAP_SEC_EXCL_WEEK, &at, b->nb_excl_week, sizeof(uint64_t));
	set_section(&hdr, SNAP_SEC_EXCL_TZ, &at, b->nb_excl_tz, sizeof(struct snap_tz_change));
	total = at;

	if (posix_memalign((void **)&base, SNAP_ALIGN, total) != 0) {
		cidr_sections_release(&cidr);
		name_sections_release(&names);
		return -ENOMEM;
	}
	memset(base, 0, total);
	h = (struct snap_header *)base;
	*h = hdr;
	memcpy(h->magic, SNAP_MAGIC, 8);
	h->format_version = SNAP_FORMAT_VERSION;
	h->endian_tag = SNAP_ENDIAN_TAG;
	h->total_size = total;
	h->generation = generation;
	h->created_unix = (uint64_t)time(NULL);
	h->header_size = sizeof(*h);
	h->nb_iocs = b->nb_entries;
	for (int t = 0; t < IOCW_IOC_TYPE_COUNT; t++)
		h->nb_by_type[t] = (uint32_t)b->stats.nb_by_type[t];
	h->filter_hashes = SNAP_FILTER_HASHES;

	l.filter = (uint64_t *)(base + h->sections[SNAP_SEC_FILTER].offset);
	l.filter_mask = filter_words - 1;
	l.v4_keys = (uint64_t *)(base + h->sections[SNAP_SEC_V4_KEYS].offset);
	l.v4_vals = (uint32_t *)(base + h->sections[SNAP_SEC_V4_VALS].offset);
	l.v4_mask = v4_cap - 1;
	l.v6 = (struct snap_v6_entry *)(base + h->sections[SNAP_SEC_V6].offset);
	l.v6_mask = v6_cap - 1;
	for (size_t i = 0; i < b->nb_entries; i++)
		if (b->entries[i].kind != SNAP_KIND_CIDR)
			place_entry(&l, &b->entries[i]);
	for (size_t i = 0; i < b->nb_names; i++) {
		const char *s = b->strings + b->names[i].str;

		if (b->names[i].type == IOCW_IOC_DOMAIN)
			filter_put(&l, snapshot_name_hash(s, (unsigned)strlen(s)));
	}
	copy_cidr_sections(h, base, &cidr);
	cidr_sections_release(&cidr);
	memcpy(base + h->sections[SNAP_SEC_NAMES].offset, names.names, names.cap * sizeof(struct snap_name));
	if (names.nb_urls) {
		memcpy(base + h->sections[SNAP_SEC_URLS].offset, names.urls,
		       names.nb_urls * sizeof(struct snap_url));
		memcpy(base + h->sections[SNAP_SEC_URL_HSDB].offset, names.hsdb, names.hsdb_len);
	}
	name_sections_release(&names);
	copy_section(h, base, SNAP_SEC_EXCL, b->excl);
	copy_section(h, base, SNAP_SEC_EXCL_NETS, b->excl_nets);
	copy_section(h, base, SNAP_SEC_EXCL_PORTS, b->excl_ports);
	copy_section(h, base, SNAP_SEC_EXCL_WEEK, b->excl_week);
	copy_section(h, base, SNAP_SEC_EXCL_TZ, b->excl_tz);
	h->flags = b->flags;
	memcpy(base + h->sections[SNAP_SEC_META].offset, b->meta, b->nb_meta * sizeof(struct snap_meta));
	memcpy(base + h->sections[SNAP_SEC_STRINGS].offset, b->strings, b->strings_len);

	h->checksum = snapshot_checksum(base, total);
	*blob = base;
	*len = total;
	return 0;
}
