/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * feed_stix.c - STIX 2.1 (and 2.0) content: a bundle {"type": "bundle",
 * "objects": [...]}, a bare array of objects, or one object. Every
 * "indicator" whose pattern_type is "stix" (2.0 has no pattern_type) has its
 * pattern reduced by stix_pattern.c; each alternative iocwire can match
 * becomes an IOC, each one it cannot is reported as skipped with the reason.
 *
 * Metadata: malware = the name of a malware object the indicator
 * "indicates" (a relationship object in the same content), else the
 * indicator's name; threat = indicator_types (2.0: labels), joined with ',';
 * tags = labels; confidence = confidence (0-100); first_seen = valid_from;
 * valid_until = valid_until; reference = the first external reference's
 * url (or external_id), else the indicator's id. Revoked indicators and
 * non-STIX pattern types (snort, yara, sigma, ...) are skipped with a reason.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "feed_parsers.h"
#include "json.h"
#include "stix_pattern.h"

#define STIX_TEXT_MAX 512
/* Longest ip:port text we compose from a pattern's address and port. */
#define STIX_VALUE_MAX (IOC_VALUE_MAX + 16)

/* "source id -> name": malware objects by id, then indicators by the malware they indicate. */
struct feed_stix_ref {
	const char *id;
	const char *name;
};

struct feed_stix {
	struct json_doc *doc;
	struct feed_stix_ref *malware; /* sorted by id */
	size_t nb_malware;
	struct feed_stix_ref *indicates; /* indicator id -> malware name, sorted by id */
	size_t nb_indicates;
};

static int
feed_stix_ref_cmp(const void *a, const void *b)
{
	return strcmp(((const struct feed_stix_ref *)a)->id, ((const struct feed_stix_ref *)b)->id);
}

static const char *
feed_stix_ref_find(const struct feed_stix_ref *v, size_t n, const char *id)
{
	struct feed_stix_ref key = {.id = id};
	const struct feed_stix_ref *r;

	if (n == 0 || id == NULL)
		return NULL;
	r = bsearch(&key, v, n, sizeof(*v), feed_stix_ref_cmp);
	return r ? r->name : NULL;
}

static const char *
feed_stix_str(const struct json_node *obj, const char *key)
{
	return json_string(json_object_get(obj, key));
}

/* Objects of type type, with their id and the string member named key, into a sorted array. */
static int
feed_stix_collect(const struct json_node *objects, const char *type, const char *id_key,
		  const char *name_key, struct feed_stix_ref **out, size_t *nb)
{
	const struct json_node *o;
	struct feed_stix_ref *v;
	const char *t, *id, *name;
	size_t i, n = 0;

	*out = NULL;
	*nb = 0;
	for (i = 0; (o = json_array_at(objects, i)) != NULL; i++) {
		t = feed_stix_str(o, "type");
		n += t != NULL && strcmp(t, type) == 0;
	}
	if (n == 0)
		return 0;
	v = malloc(n * sizeof(*v));
	if (v == NULL)
		return -ENOMEM;
	n = 0;
	for (i = 0; (o = json_array_at(objects, i)) != NULL; i++) {
		t = feed_stix_str(o, "type");
		if (t == NULL || strcmp(t, type) != 0)
			continue;
		id = feed_stix_str(o, id_key);
		name = feed_stix_str(o, name_key);
		if (id != NULL && name != NULL)
			v[n++] = (struct feed_stix_ref){.id = id, .name = name};
	}
	qsort(v, n, sizeof(*v), feed_stix_ref_cmp);
	*out = v;
	*nb = n;
	return 0;
}

/* Malware objects, and "indicates" relationships from an indicator to one of them. */
static int
feed_stix_relations(struct feed_stix *st, const struct json_node *objects)
{
	const struct json_node *o;
	const char *t, *rt, *src, *name;
	size_t i, n = 0;
	int rc;

	rc = feed_stix_collect(objects, "malware", "id", "name", &st->malware, &st->nb_malware);
	if (rc < 0 || st->nb_malware == 0)
		return rc;
	for (i = 0; (o = json_array_at(objects, i)) != NULL; i++) {
		t = feed_stix_str(o, "type");
		n += t != NULL && strcmp(t, "relationship") == 0;
	}
	if (n == 0)
		return 0;
	st->indicates = malloc(n * sizeof(*st->indicates));
	if (st->indicates == NULL)
		return -ENOMEM;
	n = 0;
	for (i = 0; (o = json_array_at(objects, i)) != NULL; i++) {
		t = feed_stix_str(o, "type");
		rt = feed_stix_str(o, "relationship_type");
		src = feed_stix_str(o, "source_ref");
		if (t == NULL || strcmp(t, "relationship") != 0 || rt == NULL ||
		    strcmp(rt, "indicates") != 0 || src == NULL)
			continue;
		name =
		    feed_stix_ref_find(st->malware, st->nb_malware, feed_stix_str(o, "target_ref"));
		if (name != NULL)
			st->indicates[n++] = (struct feed_stix_ref){.id = src, .name = name};
	}
	qsort(st->indicates, n, sizeof(*st->indicates), feed_stix_ref_cmp);
	st->nb_indicates = n;
	return 0;
}

/* Strings of an array joined with ',' into buf (cut at an element); "" when absent. */
static const char *
feed_stix_join(const struct json_node *arr, char *buf, size_t buflen)
{
	const char *s;
	size_t i, n, o = 0;

	buf[0] = '\0';
	for (i = 0; i < json_array_len(arr); i++) {
		s = json_string(json_array_at(arr, i));
		n = s ? strlen(s) : 0;
		if (n == 0 || o + n + 2 > buflen)
			continue;
		if (o > 0)
			buf[o++] = ',';
		memcpy(buf + o, s, n + 1);
		o += n;
	}
	return buf;
}

/* The indicator's metadata into *ioc (texts in the caller's buffers). */
struct feed_stix_meta {
	char threat[STIX_TEXT_MAX], tags[STIX_TEXT_MAX];
};

static int
feed_stix_meta(struct feed_ctx *fc, struct feed_stix *st, const struct json_node *ind, size_t line,
	       size_t col, struct ioc *ioc, struct feed_stix_meta *m)
{
	const struct json_node *types = json_object_get(ind, "indicator_types");
	const struct json_node *labels = json_object_get(ind, "labels");
	const struct json_node *conf = json_object_get(ind, "confidence");
	const struct json_node *ext = json_array_at(json_object_get(ind, "external_references"), 0);
	const char *vf = feed_stix_str(ind, "valid_from"), *vu = feed_stix_str(ind, "valid_until");
	const char *id = feed_stix_str(ind, "id");
	int64_t c;
	int rc;

	feed_ioc_init(fc, ioc);
	ioc->malware = feed_stix_ref_find(st->indicates, st->nb_indicates, id);
	if (ioc->malware == NULL)
		ioc->malware = feed_stix_str(ind, "name");
	ioc->threat =
	    feed_stix_join(json_array_len(types) ? types : labels, m->threat, sizeof(m->threat));
	ioc->tags = feed_stix_join(labels, m->tags, sizeof(m->tags));
	ioc->reference = feed_stix_str(ext, "url");
	if (ioc->reference == NULL)
		ioc->reference = feed_stix_str(ext, "external_id");
	if (ioc->reference == NULL)
		ioc->reference = id;
	if (conf != NULL) {
		if (json_int64(conf, &c) != 0 || c < 0 || c > 100) {
			rc = feed_bad(fc, line, col, "confidence should be an integer 0-100");
			return rc < 0 ? rc : 1;
		}
		ioc->confidence = (int)c;
	}
	if ((rc = feed_field_time(fc, line, col, "valid_from", vf ? vf : "", &ioc->first_seen)) !=
		0 ||
	    (rc = feed_field_time(fc, line, col, "valid_until", vu ? vu : "", &ioc->valid_until)) !=
		0)
		return rc;
	if (ioc->valid_until != 0 && ioc->first_seen != 0 && ioc->valid_until <= ioc->first_seen) {
		rc = feed_bad(fc, line, col, "valid_until is not later than valid_from");
		return rc < 0 ? rc : 1;
	}
	return 0;
}

/* One alternative: "addr:port" ("[v6]:port") for ip:port, the literal otherwise. */
static int
feed_stix_emit_item(struct feed_ctx *fc, const struct stix_pattern_item *it, size_t line,
		    size_t col, struct ioc *ioc)
{
	char value[STIX_VALUE_MAX];
	size_t n = strlen(it->value);

	if (it->type != IOCW_IOC_IP_PORT)
		return feed_emit_value(fc, line, col, it->type, it->value, ioc);
	if (n >= IOC_VALUE_MAX)
		return feed_bad(fc, line, col, "network-traffic address longer than %d characters",
				IOC_VALUE_MAX);
	if (strchr(it->value, ':') != NULL)
		snprintf(value, sizeof(value), "[%s]:%u", it->value, it->port);
	else
		snprintf(value, sizeof(value), "%s:%u", it->value, it->port);
	ioc->proto = it->proto;
	return feed_emit_value(fc, line, col, IOCW_IOC_IP_PORT, value, ioc);
}

/* Items of a parsed pattern: IOCs, then one report for what was not representable. */
static int
feed_stix_items(struct feed_ctx *fc, const struct stix_pattern *p, size_t line, size_t col,
		struct ioc *ioc)
{
	const struct stix_pattern_item *first = NULL;
	size_t i, nb_reasons = 0;
	int rc;

	for (i = 0; i < p->nb_items; i++) {
		if (p->items[i].type == IOCW_IOC_TYPE_COUNT) {
			first = first ? first : &p->items[i];
			nb_reasons++;
			continue;
		}
		rc = feed_stix_emit_item(fc, &p->items[i], line, col, ioc);
		if (rc < 0)
			return rc;
	}
	if (first != NULL)
		feed_skip(fc, line, col, "%spattern (offset %zu): %s%s",
			  p->nb_iocs ? "part of the " : "", first->offset, first->reason,
			  nb_reasons > 1 ? " (and more)" : "");
	return 0;
}

static int
feed_stix_indicator(struct feed_ctx *fc, struct feed_stix *st, const struct json_node *ind)
{
	const struct json_node *pattern = json_object_get(ind, "pattern");
	const char *ptype = feed_stix_str(ind, "pattern_type");
	struct stix_pattern_error perr;
	struct feed_stix_meta meta;
	struct stix_pattern p;
	size_t line, col, pline, pcol;
	struct ioc ioc;
	bool revoked = false;
	char q[96];
	int rc;

	fc->stats->nb_lines++;
	json_doc_locate(st->doc, ind, &line, &col);
	json_bool(json_object_get(ind, "revoked"), &revoked);
	if (revoked) {
		feed_skip(fc, line, col, "indicator is revoked");
		return 0;
	}
	if (ptype != NULL && strcmp(ptype, "stix") != 0) {
		feed_skip(fc, line, col, "pattern_type \"%s\" is not stix",
			  feed_quote(ptype, strlen(ptype), q, sizeof(q)));
		return 0;
	}
	if (json_string(pattern) == NULL)
		return feed_bad(fc, line, col, "indicator has no \"pattern\" string");
	json_doc_locate(st->doc, pattern, &pline, &pcol);
	rc = feed_stix_meta(fc, st, ind, line, col, &ioc, &meta);
	if (rc != 0)
		return rc < 0 ? rc : 0;
	rc = stix_pattern_parse(json_string(pattern), json_string_len(pattern), &p, &perr);
	if (rc == -ENOMEM)
		return rc;
	if (rc < 0)
		return feed_bad(fc, pline, pcol, "invalid STIX pattern at offset %zu: %s",
				perr.offset, perr.reason);
	rc = feed_stix_items(fc, &p, pline, pcol, &ioc);
	stix_pattern_free(&p);
	return rc;
}

/* The objects to look at: a bundle's "objects", an array, or one object. */
static int
feed_stix_objects(struct feed_ctx *fc, struct json_doc *doc, const struct json_node **objects)
{
	const struct json_node *root = json_root(doc);
	size_t line, col;

	*objects = root;
	if (json_type(root) == JSON_TYPE_ARRAY)
		return 0;
	if (json_type(root) == JSON_TYPE_OBJECT) {
		*objects = json_object_get(root, "objects");
		if (json_type(*objects) == JSON_TYPE_ARRAY)
			return 0;
		*objects = NULL; /* one object alone */
		if (feed_stix_str(root, "type") != NULL)
			return 0;
	}
	json_doc_locate(doc, root, &line, &col);
	feed_bad(fc, line, col, "expected a STIX bundle, an array of STIX objects or one object");
	return -EINVAL;
}

int
feed_stix_parse(struct feed_ctx *fc, const char *data, size_t len)
{
	const struct json_node *objects, *o;
	struct feed_stix st = {0};
	struct json_error err;
	const char *type;
	size_t i;
	int rc;

	st.doc = json_parse(data, len, &err);
	if (st.doc == NULL) {
		feed_bad(fc, err.line, err.column, "invalid JSON: %s", err.reason);
		return errno == ENOMEM ? -ENOMEM : -EINVAL;
	}
	rc = feed_stix_objects(fc, st.doc, &objects);
	if (rc == 0 && objects != NULL)
		rc = feed_stix_relations(&st, objects);
	if (rc == 0 && objects == NULL) {
		o = json_root(st.doc);
		type = feed_stix_str(o, "type");
		if (strcmp(type, "indicator") == 0)
			rc = feed_stix_indicator(fc, &st, o);
	}
	for (i = 0; rc == 0 && (o = json_array_at(objects, i)) != NULL; i++) {
		type = feed_stix_str(o, "type");
		if (type != NULL && strcmp(type, "indicator") == 0)
			rc = feed_stix_indicator(fc, &st, o);
	}
	free(st.malware);
	free(st.indicates);
	json_doc_free(st.doc);
	return rc;
}
