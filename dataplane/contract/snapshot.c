/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * snapshot.c - validation of snapshot blobs. A blob comes from another
 * process or a file: nothing in it is trusted until every offset, size and
 * index has been checked here, so the lookups in snapshot.h need no checks.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "contract/snapshot.h"

static uint32_t crc32c_table[256];

static void
crc32c_table_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int j = 0; j < 8; j++)
			c = (c >> 1) ^ (0x82f63b78u & (0u - (c & 1)));
		crc32c_table[i] = c;
	}
}

__attribute__((target("sse4.2"))) static uint32_t
crc32c_hw(uint32_t crc, const uint8_t *p, size_t len)
{
	uint64_t c = crc;
	for (; len >= 8; p += 8, len -= 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		c = __builtin_ia32_crc32di(c, w);
	}
	crc = (uint32_t)c;
	for (; len > 0; p++, len--)
		crc = __builtin_ia32_crc32qi(crc, *p);
	return crc;
}

uint32_t
snapshot_crc32c(uint32_t crc, const void *data, size_t len)
{
	const uint8_t *p = data;

	crc = ~crc;
	if (__builtin_cpu_supports("sse4.2")) {
		crc = crc32c_hw(crc, p, len);
	} else {
		if (crc32c_table[1] == 0)
			crc32c_table_init();
		for (size_t i = 0; i < len; i++)
			crc = crc32c_table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
	}
	return ~crc;
}

uint32_t
snapshot_checksum(const void *blob, size_t len)
{
	const size_t at = offsetof(struct snap_header, checksum);
	const uint32_t zero = 0;
	uint32_t crc;

	crc = snapshot_crc32c(0, blob, at);
	crc = snapshot_crc32c(crc, &zero, sizeof(zero));
	return snapshot_crc32c(crc, (const uint8_t *)blob + at + sizeof(zero), len - at - sizeof(zero));
}

const char *
snapshot_string(const struct snapshot_view *view, uint32_t off)
{
	return off < view->strings_size ? view->strings + off : "";
}

__attribute__((format(printf, 3, 4))) static int
fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static bool
is_pow2(uint64_t x)
{
	return x != 0 && (x & (x - 1)) == 0;
}

static const char *const section_names[SNAP_SEC_COUNT] = {
	[SNAP_SEC_FILTER] = "filter",   [SNAP_SEC_V4_KEYS] = "v4_keys", [SNAP_SEC_V4_VALS] = "v4_vals",
	[SNAP_SEC_V6] = "v6",           [SNAP_SEC_META] = "meta",       [SNAP_SEC_STRINGS] = "strings",
	[SNAP_SEC_CIDR4_INDEX] = "cidr4_index", [SNAP_SEC_CIDR4_RANGES] = "cidr4_ranges",
	[SNAP_SEC_CIDR6_RANGES] = "cidr6_ranges", [SNAP_SEC_NAMES] = "names",
	[SNAP_SEC_URLS] = "urls", [SNAP_SEC_URL_HSDB] = "url_hsdb", [SNAP_SEC_EXCL] = "exclusions",
	[SNAP_SEC_EXCL_NETS] = "excl_nets", [SNAP_SEC_EXCL_PORTS] = "excl_ports",
	[SNAP_SEC_EXCL_WEEK] = "excl_week", [SNAP_SEC_EXCL_TZ] = "excl_tz",
};

/* Element size of each section; 1 for byte sections. */
static const uint64_t section_elem_size[SNAP_SEC_COUNT] = {
	[SNAP_SEC_FILTER] = sizeof(uint64_t), [SNAP_SEC_V4_KEYS] = sizeof(uint64_t),
	[SNAP_SEC_V4_VALS] = sizeof(uint32_t), [SNAP_SEC_V6] = sizeof(struct snap_v6_entry),
	[SNAP_SEC_META] = sizeof(struct snap_meta), [SNAP_SEC_STRINGS] = 1,
	[SNAP_SEC_CIDR4_INDEX] = sizeof(uint32_t), [SNAP_SEC_CIDR4_RANGES] = sizeof(struct snap_range4),
	[SNAP_SEC_CIDR6_RANGES] = sizeof(struct snap_range6), [SNAP_SEC_NAMES] = sizeof(struct snap_name),
	[SNAP_SEC_URLS] = sizeof(struct snap_url), [SNAP_SEC_URL_HSDB] = 1,
	[SNAP_SEC_EXCL] = sizeof(struct snap_exclusion), [SNAP_SEC_EXCL_NETS] = sizeof(struct snap_excl_net),
	[SNAP_SEC_EXCL_PORTS] = sizeof(uint16_t), [SNAP_SEC_EXCL_WEEK] = sizeof(uint64_t),
	[SNAP_SEC_EXCL_TZ] = sizeof(struct snap_tz_change),
};

static int
check_sections(const struct snap_header *h, char *err, size_t errlen)
{
	uint64_t prev_end = h->header_size;

	for (int i = 0; i < SNAP_SEC_COUNT; i++) {
		const struct snap_section *s = &h->sections[i];

		if (s->offset % SNAP_ALIGN != 0 || s->offset < prev_end || s->offset > h->total_size ||
		    s->size > h->total_size - s->offset)
			return fail(err, errlen, "section %s out of bounds (offset %lu size %lu blob %lu)",
				    section_names[i], (unsigned long)s->offset, (unsigned long)s->size,
				    (unsigned long)h->total_size);
		if (s->count > s->size || s->size != s->count * section_elem_size[i])
			return fail(err, errlen, "section %s: size %lu does not hold %lu elements",
				    section_names[i], (unsigned long)s->size, (unsigned long)s->count);
		prev_end = s->offset + s->size;
	}
	if (!is_pow2(h->sections[SNAP_SEC_FILTER].count) || !is_pow2(h->sections[SNAP_SEC_V4_KEYS].count) ||
	    !is_pow2(h->sections[SNAP_SEC_V6].count) || !is_pow2(h->sections[SNAP_SEC_NAMES].count))
		return fail(err, errlen, "hash table or filter size is not a power of two");
	if (h->sections[SNAP_SEC_V4_VALS].count != h->sections[SNAP_SEC_V4_KEYS].count)
		return fail(err, errlen, "v4 keys and values differ in count");
	if (h->filter_hashes < 1 || h->filter_hashes > 4)
		return fail(err, errlen, "filter hash count %lu not in 1..4", (unsigned long)h->filter_hashes);
	if (h->sections[SNAP_SEC_META].count > SNAP_VAL_META_MASK - 1)
		return fail(err, errlen, "too many metadata records");
	if (h->sections[SNAP_SEC_CIDR4_INDEX].count != 0 &&
	    h->sections[SNAP_SEC_CIDR4_INDEX].count != SNAP_CIDR4_BUCKETS + 1)
		return fail(err, errlen, "cidr4 index has %lu entries, expected %u",
			    (unsigned long)h->sections[SNAP_SEC_CIDR4_INDEX].count, SNAP_CIDR4_BUCKETS + 1);
	if ((h->sections[SNAP_SEC_CIDR4_INDEX].count == 0) != (h->sections[SNAP_SEC_CIDR4_RANGES].count == 0))
		return fail(err, errlen, "cidr4 ranges without index (or the reverse)");
	return 0;
}

static bool
range_val_ok(uint32_t val, uint32_t nb_meta, unsigned max_len)
{
	uint32_t idx = val & SNAP_RANGE_META_MASK;

	if (val == 0)
		return true; /* a gap between prefixes */
	return idx != 0 && idx - 1 < nb_meta && (val >> 24) <= max_len;
}

/* Ranges ascend strictly; index slices are monotonic, in bounds, and start at their /16. */
static int
check_cidrs(const struct snapshot_view *v, uint64_t nb_r4, char *err, size_t errlen)
{
	for (uint64_t i = 0; i < nb_r4; i++)
		if ((i > 0 && v->cidr4[i].start <= v->cidr4[i - 1].start) ||
		    !range_val_ok(v->cidr4[i].val, v->nb_meta, 32))
			return fail(err, errlen, "cidr4 range %lu: unsorted or bad value", (unsigned long)i);
	for (uint32_t b = 0; v->cidr4_index && b < SNAP_CIDR4_BUCKETS; b++) {
		uint32_t lo = v->cidr4_index[b], hi = v->cidr4_index[b + 1];

		if (lo > hi || hi > nb_r4 || (lo < hi && v->cidr4[lo].start != b << 16) ||
		    (hi > lo && (v->cidr4[hi - 1].start >> 16) != b))
			return fail(err, errlen, "cidr4 index bucket %u: bad slice [%u, %u)", b, lo, hi);
	}
	if (v->cidr4_index && (v->cidr4_index[0] != 0 || v->cidr4_index[SNAP_CIDR4_BUCKETS] != nb_r4))
		return fail(err, errlen, "cidr4 index does not cover the ranges");
	for (uint64_t i = 0; i < v->nb_cidr6; i++) {
		const struct snap_range6 *r = &v->cidr6[i], *p = r - 1;

		if ((i > 0 && (r->start_hi < p->start_hi ||
			       (r->start_hi == p->start_hi && r->start_lo <= p->start_lo))) ||
		    !range_val_ok(r->val, v->nb_meta, 128))
			return fail(err, errlen, "cidr6 range %lu: unsorted or bad value", (unsigned long)i);
	}
	return 0;
}

static bool
value_ok(uint32_t val, uint32_t nb_meta, bool address_level)
{
	uint32_t idx = val & SNAP_VAL_META_MASK;

	if (!address_level && (val & SNAP_VAL_HAS_PORTS))
		return false;
	if (idx == 0)
		return address_level && (val & SNAP_VAL_HAS_PORTS);
	return idx - 1 < nb_meta;
}

static int
check_tables(const struct snapshot_view *v, char *err, size_t errlen)
{
	uint64_t free_v4 = 0, free_v6 = 0;

	for (uint64_t i = 0; i <= v->v4_mask; i++) {
		uint64_t key = v->v4_keys[i];
		uint64_t kind = key >> 62;

		if (key == 0) {
			free_v4++;
			continue;
		}
		if ((kind != SNAP_KIND_ADDR && kind != SNAP_KIND_PORT) ||
		    !value_ok(v->v4_vals[i], v->nb_meta, kind == SNAP_KIND_ADDR))
			return fail(err, errlen, "v4 slot %lu: bad key or value", (unsigned long)i);
	}
	for (uint64_t i = 0; i <= v->v6_mask; i++) {
		uint32_t kind = v->v6[i].tag >> 30;

		if (v->v6[i].tag == 0) {
			free_v6++;
			continue;
		}
		if ((kind != SNAP_KIND_ADDR && kind != SNAP_KIND_PORT) ||
		    !value_ok(v->v6[i].val, v->nb_meta, kind == SNAP_KIND_ADDR))
			return fail(err, errlen, "v6 slot %lu: bad tag or value", (unsigned long)i);
	}
	/* Probing loops stop at an empty slot: a full table would make a miss spin forever. */
	if (free_v4 == 0 || free_v6 == 0)
		return fail(err, errlen, "hash table has no empty slot");
	return 0;
}

/* Domain and URL entries: string offsets and values in range, and an empty name slot. */
static int
check_names(struct snapshot_view *v, char *err, size_t errlen)
{
	uint64_t used = 0;

	for (uint64_t i = 0; i <= v->names_mask; i++) {
		const struct snap_name *e = &v->names[i];

		if (e->val == 0)
			continue;
		if (e->str >= v->strings_size || e->val - 1 >= v->nb_meta)
			return fail(err, errlen, "name slot %lu: bad string or value", (unsigned long)i);
		used++;
	}
	if (used > v->names_mask)
		return fail(err, errlen, "name table has no empty slot");
	v->nb_names = used;
	for (uint64_t i = 0; i < v->nb_urls; i++)
		if (v->urls[i].str >= v->strings_size || v->urls[i].val == 0 ||
		    v->urls[i].val - 1 >= v->nb_meta)
			return fail(err, errlen, "url %lu: bad string or value", (unsigned long)i);
	if ((v->nb_urls == 0) != (v->url_hsdb_size == 0))
		return fail(err, errlen, "URL indicators without a pattern database (or the reverse)");
	return 0;
}

static bool
range_in(uint64_t off, uint64_t n, uint64_t count)
{
	return off <= count && n <= count - off;
}

/* Every exclusion's lists lie inside their sections; nets are well-formed. */
static int
check_exclusions(const struct snapshot_view *v, const struct snap_header *h, char *err, size_t errlen)
{
	uint64_t nb_nets = h->sections[SNAP_SEC_EXCL_NETS].count;

	for (uint32_t i = 0; i < v->nb_excl; i++) {
		const struct snap_exclusion *x = &v->excl[i];

		if (x->name >= v->strings_size || x->feeds >= v->strings_size || x->families >= v->strings_size ||
		    !range_in(x->hosts_off, x->nb_hosts, nb_nets) || !range_in(x->iocs_off, x->nb_iocs, nb_nets) ||
		    !range_in(x->ports_off, x->nb_ports, h->sections[SNAP_SEC_EXCL_PORTS].count) ||
		    !range_in(x->tz_off, x->nb_tz, h->sections[SNAP_SEC_EXCL_TZ].count) ||
		    (x->week_off != SNAP_NONE &&
		     !range_in(x->week_off, SNAP_WEEK_WORDS, h->sections[SNAP_SEC_EXCL_WEEK].count)) ||
		    x->mode > SNAP_EXCL_TAG)
			return fail(err, errlen, "exclusion %u: list out of bounds", i);
	}
	for (uint64_t i = 0; i < nb_nets; i++) {
		const struct snap_excl_net *n = &v->excl_nets[i];

		if ((n->family != IOCW_FAMILY_V4 && n->family != IOCW_FAMILY_V6) ||
		    n->prefix_len > (n->family == IOCW_FAMILY_V4 ? 32 : 128) || n->kind > SNAP_KIND_CIDR)
			return fail(err, errlen, "exclusion net %lu: bad family, prefix or kind", (unsigned long)i);
	}
	return 0;
}

static int
check_meta(const struct snapshot_view *v, char *err, size_t errlen)
{
	if (v->strings_size == 0 || v->strings[v->strings_size - 1] != '\0' || v->strings[0] != '\0')
		return fail(err, errlen, "string section not NUL-terminated");
	for (uint32_t i = 0; i < v->nb_meta; i++) {
		const struct snap_meta *m = &v->meta[i];
		const uint32_t offs[] = {m->feed, m->malware, m->threat, m->reference, m->tags};

		for (size_t j = 0; j < sizeof(offs) / sizeof(offs[0]); j++)
			if (offs[j] >= v->strings_size)
				return fail(err, errlen, "meta %u: string offset %u out of bounds", i, offs[j]);
		if (m->confidence < -1 || m->confidence > 100 || m->action > IOCW_ACTION_DROP ||
		    m->type >= IOCW_IOC_TYPE_COUNT)
			return fail(err, errlen, "meta %u: field out of range", i);
	}
	return 0;
}

int
snapshot_open(struct snapshot_view *view, const void *blob, size_t len, char *err, size_t errlen)
{
	const struct snap_header *h = blob;
	const uint8_t *base = blob;
	int rc;

	if (blob == NULL || len < sizeof(*h))
		return fail(err, errlen, "truncated: %zu bytes, header needs %zu", len, sizeof(*h));
	if ((uintptr_t)blob % 8 != 0)
		return fail(err, errlen, "blob not 8-byte aligned");
	if (memcmp(h->magic, SNAP_MAGIC, 8) != 0)
		return fail(err, errlen, "bad magic: not an iocwire snapshot");
	if (h->endian_tag != SNAP_ENDIAN_TAG)
		return fail(err, errlen, "byte order differs from this host");
	if (h->format_version != SNAP_FORMAT_VERSION) {
		fail(err, errlen, "format version %u, this build reads %u", h->format_version,
		     SNAP_FORMAT_VERSION);
		return -EPROTO;
	}
	if (h->header_size != sizeof(*h))
		return fail(err, errlen, "header size %u, expected %zu", h->header_size, sizeof(*h));
	if (h->total_size != len)
		return fail(err, errlen, "truncated or padded: header says %lu bytes, got %zu",
			    (unsigned long)h->total_size, len);
	if (snapshot_checksum(blob, len) != h->checksum)
		return fail(err, errlen, "checksum mismatch (corrupted)");
	rc = check_sections(h, err, errlen);
	if (rc < 0)
		return rc;

	memset(view, 0, sizeof(*view));
	view->hdr = h;
	view->generation = h->generation;
	view->filter = (const uint64_t *)(base + h->sections[SNAP_SEC_FILTER].offset);
	view->filter_mask = h->sections[SNAP_SEC_FILTER].count - 1;
	view->filter_hashes = (unsigned)h->filter_hashes;
	view->v4_keys = (const uint64_t *)(base + h->sections[SNAP_SEC_V4_KEYS].offset);
	view->v4_vals = (const uint32_t *)(base + h->sections[SNAP_SEC_V4_VALS].offset);
	view->v4_mask = h->sections[SNAP_SEC_V4_KEYS].count - 1;
	view->v6 = (const struct snap_v6_entry *)(base + h->sections[SNAP_SEC_V6].offset);
	view->v6_mask = h->sections[SNAP_SEC_V6].count - 1;
	view->meta = (const struct snap_meta *)(base + h->sections[SNAP_SEC_META].offset);
	view->nb_meta = (uint32_t)h->sections[SNAP_SEC_META].count;
	view->strings = (const char *)(base + h->sections[SNAP_SEC_STRINGS].offset);
	view->strings_size = h->sections[SNAP_SEC_STRINGS].size;

	if (h->sections[SNAP_SEC_CIDR4_INDEX].count != 0) {
		view->cidr4_index = (const uint32_t *)(base + h->sections[SNAP_SEC_CIDR4_INDEX].offset);
		view->cidr4 = (const struct snap_range4 *)(base + h->sections[SNAP_SEC_CIDR4_RANGES].offset);
	}
	view->cidr6 = (const struct snap_range6 *)(base + h->sections[SNAP_SEC_CIDR6_RANGES].offset);
	view->nb_cidr6 = h->sections[SNAP_SEC_CIDR6_RANGES].count;
	view->names = (const struct snap_name *)(base + h->sections[SNAP_SEC_NAMES].offset);
	view->names_mask = h->sections[SNAP_SEC_NAMES].count - 1;
	view->urls = (const struct snap_url *)(base + h->sections[SNAP_SEC_URLS].offset);
	view->nb_urls = h->sections[SNAP_SEC_URLS].count;
	view->url_hsdb_size = h->sections[SNAP_SEC_URL_HSDB].size;
	view->url_hsdb = view->url_hsdb_size ? base + h->sections[SNAP_SEC_URL_HSDB].offset : NULL;
	view->excl = (const struct snap_exclusion *)(base + h->sections[SNAP_SEC_EXCL].offset);
	view->nb_excl = (uint32_t)h->sections[SNAP_SEC_EXCL].count;
	view->excl_nets = (const struct snap_excl_net *)(base + h->sections[SNAP_SEC_EXCL_NETS].offset);
	view->excl_ports = (const uint16_t *)(base + h->sections[SNAP_SEC_EXCL_PORTS].offset);
	view->excl_week = (const uint64_t *)(base + h->sections[SNAP_SEC_EXCL_WEEK].offset);
	view->excl_tz = (const struct snap_tz_change *)(base + h->sections[SNAP_SEC_EXCL_TZ].offset);
	view->flags = h->flags;

	rc = check_meta(view, err, errlen);
	if (rc == 0)
		rc = check_tables(view, err, errlen);
	if (rc == 0)
		rc = check_cidrs(view, h->sections[SNAP_SEC_CIDR4_RANGES].count, err, errlen);
	if (rc == 0)
		rc = check_names(view, err, errlen);
	if (rc == 0)
		rc = check_exclusions(view, h, err, errlen);
	return rc;
}
