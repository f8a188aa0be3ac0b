/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * feed_misp.c - MISP events (MISP core format, draft-dulaunoy-misp-core-format):
 *  - event JSON: {"Event": {...}}, a restSearch answer {"response": [{"Event":
 *    ...}, ...]}, or an array of those;
 *  - a MISP feed: manifest.json, an object keyed by event UUID, next to one
 *    <uuid>.json event file per key (feed_load_file() takes the directory).
 *
 * Attributes (of the event and of its objects) of types ip-dst, ip-src
 * (address or prefix), ip-dst|port, ip-src|port, domain, hostname, domain|ip
 * (a domain IOC and an ip IOC) and url become IOCs. In an "ip-port" object,
 * the ip attributes are paired with its dst-port attributes into ip:port
 * IOCs. Only attributes with to_ids set are taken unless the feed option
 * misp_all_attributes is set; other types, and attributes left out by
 * to_ids, are counted as skipped by type. Deleted attributes are ignored.
 *
 * Metadata: threat = the event's info; malware = the value of the first
 * malware galaxy tag (misp-galaxy:malpedia="Emotet", mitre-malware, banker,
 * botnet, rat, ransomware, stealer, backdoor, tool), the attribute's tags
 * before the event's; tags = the event's and the attribute's tag names;
 * reference = the event UUID; first_seen = the attribute's first_seen, else
 * the event date; last_seen = the attribute's last_seen, else its timestamp.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "feed_parsers.h"
#include "json.h"

#define MISP_TAGS_MAX 1024
#define MISP_FAMILY_MAX 256
/* Longest value text we split or compose ("domain|ip", "ip|port"). */
#define MISP_VALUE_MAX (4 * IOC_VALUE_MAX)
/* Ports of one ip-port object we pair its addresses with. */
#define MISP_PORTS_MAX 16

/* What an attribute type gives. */
enum feed_misp_kind {
	MISP_K_NONE = 0, /* not an indicator we match */
	MISP_K_IP,	 /* ip-dst, ip-src: an address or a prefix */
	MISP_K_IP_PORT,	 /* ip-dst|port, ip-src|port */
	MISP_K_DOMAIN,	 /* domain, hostname */
	MISP_K_DOMAIN_IP,
	MISP_K_URL,
	MISP_K_PORT, /* port: only inside an ip-port object */
};

static const struct {
	const char *type;
	enum feed_misp_kind kind;
} feed_misp_types[] = {
    {"ip-dst", MISP_K_IP},	     {"ip-src", MISP_K_IP},	{"ip-dst|port", MISP_K_IP_PORT},
    {"ip-src|port", MISP_K_IP_PORT}, {"domain", MISP_K_DOMAIN}, {"hostname", MISP_K_DOMAIN},
    {"domain|ip", MISP_K_DOMAIN_IP}, {"url", MISP_K_URL},	{"port", MISP_K_PORT},
};

/* Galaxy cluster types whose value is a malware family. */
static const char *const feed_misp_family_galaxies[] = {
    "malpedia",	  "mitre-malware", "banker",   "botnet",  "rat",
    "ransomware", "stealer",	   "backdoor", "android", "tool",
};

/* One event being read: its document and the metadata every attribute shares. */
struct feed_misp_event {
	struct json_doc *doc;
	const char *info;
	const char *uuid;
	int64_t date;
	char family[MISP_FAMILY_MAX];
	char tags[MISP_TAGS_MAX];
};

static enum feed_misp_kind
feed_misp_kind(const char *type)
{
	size_t i;

	for (i = 0; type != NULL && i < sizeof(feed_misp_types) / sizeof(feed_misp_types[0]); i++)
		if (strcmp(type, feed_misp_types[i].type) == 0)
			return feed_misp_types[i].kind;
	return MISP_K_NONE;
}

/* 'misp-galaxy:malpedia="Emotet"' -> "Emotet" into out, when the galaxy names families. */
static bool
feed_misp_family(const char *tag, char *out, size_t outlen)
{
	static const char prefix[] = "misp-galaxy:";
	const char *eq, *v;
	size_t i, n, glen;

	if (strncmp(tag, prefix, sizeof(prefix) - 1) != 0)
		return false;
	tag += sizeof(prefix) - 1;
	eq = strchr(tag, '=');
	if (eq == NULL)
		return false;
	glen = (size_t)(eq - tag);
	for (i = 0; i < sizeof(feed_misp_family_galaxies) / sizeof(feed_misp_family_galaxies[0]);
	     i++)
		if (glen == strlen(feed_misp_family_galaxies[i]) &&
		    memcmp(tag, feed_misp_family_galaxies[i], glen) == 0)
			break;
	if (i == sizeof(feed_misp_family_galaxies) / sizeof(feed_misp_family_galaxies[0]))
		return false;
	v = eq + 1;
	n = strlen(v);
	if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
		v++;
		n -= 2;
	}
	if (n == 0 || n >= outlen)
		return false;
	memcpy(out, v, n);
	out[n] = '\0';
	return true;
}

/* Tag names of a "Tag" array appended to tags (',' separated, cut at a tag); the first
 * family tag into family when it is still empty. */
static void
feed_misp_tags(const struct json_node *arr, char *tags, size_t tags_len, char *family,
	       size_t family_len)
{
	size_t i, n, o = strlen(tags);
	const char *name;

	for (i = 0; i < json_array_len(arr); i++) {
		name = json_string(json_object_get(json_array_at(arr, i), "name"));
		if (name == NULL || name[0] == '\0')
			continue;
		if (family[0] == '\0')
			feed_misp_family(name, family, family_len);
		n = strlen(name);
		if (o + n + 2 > tags_len)
			continue;
		if (o > 0)
			tags[o++] = ',';
		memcpy(tags + o, name, n + 1);
		o += n;
	}
}

/* to_ids as MISP writes it: true/false, "1"/"0", 1/0; absent is false. */
static bool
feed_misp_to_ids(const struct json_node *n)
{
	const char *s = json_string(n);
	int64_t i;
	bool b;

	if (json_bool(n, &b) == 0)
		return b;
	if (json_int64(n, &i) == 0)
		return i != 0;
	return s != NULL &&
	       (strcmp(s, "1") == 0 || strcmp(s, "true") == 0 || strcmp(s, "True") == 0);
}

/* A time member: an ISO 8601 text or unix seconds (as a number or a string of digits). */
static int
feed_misp_time(struct feed_ctx *fc, size_t line, size_t col, const char *label,
	       const struct json_node *n, int64_t *out)
{
	const char *s = json_string(n), *p;
	int64_t v = 0;

	*out = 0;
	if (json_type(n) == JSON_TYPE_NUMBER) {
		if (json_int64(n, &v) == 0 && v >= 0) {
			*out = v;
			return 0;
		}
		s = "(a number)";
	} else if (s != NULL && s[0] != '\0') {
		for (p = s; *p >= '0' && *p <= '9' && v < ((int64_t)1 << 40); p++)
			v = v * 10 + (*p - '0');
		if (*p == '\0') {
			*out = v;
			return 0;
		}
	}
	if (s == NULL)
		return 0;
	return feed_field_time(fc, line, col, label, s, out);
}

/* The metadata of one attribute: the event's, with the attribute's tags and times. */
struct feed_misp_meta {
	char family[MISP_FAMILY_MAX];
	char tags[MISP_TAGS_MAX];
};

static int
feed_misp_attr_meta(struct feed_ctx *fc, const struct feed_misp_event *ev,
		    const struct json_node *attr, size_t line, size_t col, struct ioc *ioc,
		    struct feed_misp_meta *m)
{
	int rc;

	feed_ioc_init(fc, ioc);
	m->family[0] = '\0';
	memcpy(m->tags, ev->tags, sizeof(m->tags));
	feed_misp_tags(json_object_get(attr, "Tag"), m->tags, sizeof(m->tags), m->family,
		       sizeof(m->family));
	ioc->malware = m->family[0] ? m->family : ev->family;
	ioc->threat = ev->info;
	ioc->reference = ev->uuid;
	ioc->tags = m->tags;
	if ((rc = feed_misp_time(fc, line, col, "first_seen", json_object_get(attr, "first_seen"),
				 &ioc->first_seen)) != 0 ||
	    (rc = feed_misp_time(fc, line, col, "last_seen", json_object_get(attr, "last_seen"),
				 &ioc->last_seen)) != 0)
		return rc;
	if (ioc->first_seen == 0)
		ioc->first_seen = ev->date;
	if (ioc->last_seen == 0 &&
	    (rc = feed_misp_time(fc, line, col, "timestamp", json_object_get(attr, "timestamp"),
				 &ioc->last_seen)) != 0)
		return rc;
	return 0;
}

/* "a|b" -> a and b in buf; false when there is no '|' or it does not fit. */
static bool
feed_misp_split(const char *value, char *buf, size_t buflen, const char **a, const char **b)
{
	const char *bar = strchr(value, '|');
	size_t n = strlen(value);

	if (bar == NULL || n >= buflen)
		return false;
	memcpy(buf, value, n + 1);
	buf[bar - value] = '\0';
	*a = buf;
	*b = buf + (bar - value) + 1;
	return true;
}

/* "addr" + "port" -> "addr:port" or "[v6]:port" into out. */
static void
feed_misp_ip_port(const char *addr, const char *port, char *out, size_t outlen)
{
	if (strchr(addr, ':') != NULL)
		snprintf(out, outlen, "[%s]:%s", addr, port);
	else
		snprintf(out, outlen, "%s:%s", addr, port);
}

/* A MISP value of a type we match into IOCs; ports (of an ip-port object) pair with an ip. */
static int
feed_misp_emit(struct feed_ctx *fc, enum feed_misp_kind kind, const char *value,
	       const char *const *ports, size_t nb_ports, size_t line, size_t col, struct ioc *ioc)
{
	char buf[MISP_VALUE_MAX + 1], out[MISP_VALUE_MAX + 16], q[96];
	const char *a, *b;
	size_t i;
	int rc;

	switch (kind) {
	case MISP_K_IP:
		if (nb_ports == 0)
			return feed_emit_value(fc, line, col, IOCW_IOC_IP, value, ioc);
		if (strlen(value) > MISP_VALUE_MAX)
			return feed_bad(fc, line, col, "value longer than %d characters",
					MISP_VALUE_MAX);
		for (i = 0; i < nb_ports; i++) {
			feed_misp_ip_port(value, ports[i], out, sizeof(out));
			rc = feed_emit_value(fc, line, col, IOCW_IOC_IP_PORT, out, ioc);
			if (rc < 0)
				return rc;
		}
		return 0;
	case MISP_K_IP_PORT:
	case MISP_K_DOMAIN_IP:
		if (!feed_misp_split(value, buf, sizeof(buf), &a, &b))
			return feed_bad(fc, line, col, "value \"%s\" should be \"%s\"",
					feed_quote(value, strlen(value), q, sizeof(q)),
					kind == MISP_K_IP_PORT ? "address|port" : "domain|address");
		if (kind == MISP_K_DOMAIN_IP) {
			rc = feed_emit_value(fc, line, col, IOCW_IOC_DOMAIN, a, ioc);
			return rc < 0 ? rc : feed_emit_value(fc, line, col, IOCW_IOC_IP, b, ioc);
		}
		feed_misp_ip_port(a, b, out, sizeof(out));
		return feed_emit_value(fc, line, col, IOCW_IOC_IP_PORT, out, ioc);
	case MISP_K_DOMAIN:
		return feed_emit_value(fc, line, col, IOCW_IOC_DOMAIN, value, ioc);
	case MISP_K_URL:
		return feed_emit_value(fc, line, col, IOCW_IOC_URL, value, ioc);
	default:
		return 0;
	}
}

/* One attribute; ports are those of its ip-port object (NULL elsewhere). */
static int
feed_misp_attr(struct feed_ctx *fc, const struct feed_misp_event *ev, const struct json_node *attr,
	       const char *const *ports, size_t nb_ports)
{
	const char *type = json_string(json_object_get(attr, "type"));
	const char *value = json_string(json_object_get(attr, "value"));
	enum feed_misp_kind kind = feed_misp_kind(type);
	struct feed_misp_meta meta;
	size_t line, col;
	struct ioc ioc;
	bool deleted = false;
	int rc;

	fc->stats->nb_lines++;
	json_bool(json_object_get(attr, "deleted"), &deleted);
	if (deleted)
		return 0;
	json_doc_locate(ev->doc, attr, &line, &col);
	if (json_type(attr) != JSON_TYPE_OBJECT)
		return feed_bad(fc, line, col, "attribute should be an object, not %s",
				json_type_name(json_type(attr)));
	if (type == NULL)
		return feed_bad(fc, line, col, "attribute has no \"type\" string");
	if (kind == MISP_K_NONE || kind == MISP_K_PORT) {
		feed_skip_kind(fc, type);
		return 0;
	}
	if (!feed_misp_to_ids(json_object_get(attr, "to_ids")) &&
	    !(fc->opt != NULL && fc->opt->misp_all)) {
		feed_skip_kind(fc, "not to_ids");
		return 0;
	}
	if (value == NULL)
		return feed_bad(fc, line, col, "attribute has no \"value\" string");
	rc = feed_misp_attr_meta(fc, ev, attr, line, col, &ioc, &meta);
	if (rc != 0)
		return rc < 0 ? rc : 0;
	return feed_misp_emit(fc, kind, value, ports, nb_ports, line, col, &ioc);
}

/* An object's attributes; those of an "ip-port" object pair addresses with dst-ports. */
static int
feed_misp_object(struct feed_ctx *fc, const struct feed_misp_event *ev, const struct json_node *obj)
{
	const struct json_node *attrs = json_object_get(obj, "Attribute"), *a;
	const char *name = json_string(json_object_get(obj, "name")), *rel, *ports[MISP_PORTS_MAX];
	size_t i, nb_ports = 0;
	bool ip_port = name != NULL && strcmp(name, "ip-port") == 0, deleted = false;
	int rc = 0;

	json_bool(json_object_get(obj, "deleted"), &deleted);
	if (deleted)
		return 0;
	for (i = 0; ip_port && (a = json_array_at(attrs, i)) != NULL; i++) {
		rel = json_string(json_object_get(a, "object_relation"));
		if (feed_misp_kind(json_string(json_object_get(a, "type"))) == MISP_K_PORT &&
		    rel != NULL && strcmp(rel, "dst-port") == 0 && nb_ports < MISP_PORTS_MAX &&
		    json_string(json_object_get(a, "value")) != NULL)
			ports[nb_ports++] = json_string(json_object_get(a, "value"));
	}
	for (i = 0; rc == 0 && (a = json_array_at(attrs, i)) != NULL; i++) {
		/* The ports were taken with the addresses. */
		if (ip_port &&
		    feed_misp_kind(json_string(json_object_get(a, "type"))) == MISP_K_PORT) {
			fc->stats->nb_lines++;
			continue;
		}
		rc = feed_misp_attr(fc, ev, a, ports, nb_ports);
	}
	return rc;
}

/* One {"Event": {...}} (or the event object itself). */
static int
feed_misp_event(struct feed_ctx *fc, struct json_doc *doc, const struct json_node *event)
{
	const struct json_node *e = json_object_get(event, "Event"), *a;
	struct feed_misp_event ev;
	size_t i, line, col;
	int rc = 0;

	e = e ? e : event;
	memset(&ev, 0, sizeof(ev));
	ev.doc = doc;
	json_doc_locate(doc, e, &line, &col);
	if (json_type(e) != JSON_TYPE_OBJECT)
		return feed_bad(fc, line, col, "event should be an object, not %s",
				json_type_name(json_type(e)));
	ev.info = json_string(json_object_get(e, "info"));
	ev.uuid = json_string(json_object_get(e, "uuid"));
	feed_misp_tags(json_object_get(e, "Tag"), ev.tags, sizeof(ev.tags), ev.family,
		       sizeof(ev.family));
	rc = feed_misp_time(fc, line, col, "date", json_object_get(e, "date"), &ev.date);
	if (rc != 0)
		return rc < 0 ? rc : 0;
	for (i = 0; rc == 0 && (a = json_array_at(json_object_get(e, "Attribute"), i)) != NULL; i++)
		rc = feed_misp_attr(fc, &ev, a, NULL, 0);
	for (i = 0; rc == 0 && (a = json_array_at(json_object_get(e, "Object"), i)) != NULL; i++)
		rc = feed_misp_object(fc, &ev, a);
	return rc;
}

/* Every event of a document: {"Event"}, {"response": [...]}, or an array. */
static int
feed_misp_doc(struct feed_ctx *fc, const char *data, size_t len)
{
	const struct json_node *root, *list, *e;
	struct json_error err;
	struct json_doc *doc;
	size_t i;
	int rc = 0;

	doc = json_parse(data, len, &err);
	if (doc == NULL) {
		feed_bad(fc, err.line, err.column, "invalid JSON: %s", err.reason);
		return errno == ENOMEM ? -ENOMEM : -EINVAL;
	}
	root = json_root(doc);
	list = json_type(root) == JSON_TYPE_ARRAY ? root : json_object_get(root, "response");
	if (json_type(list) == JSON_TYPE_ARRAY) {
		for (i = 0; rc == 0 && (e = json_array_at(list, i)) != NULL; i++)
			rc = feed_misp_event(fc, doc, e);
	} else if (json_object_get(root, "Event") != NULL ||
		   json_object_get(root, "Attribute") != NULL) {
		rc = feed_misp_event(fc, doc, root);
	} else {
		feed_bad(fc, 1, 1, "expected a MISP event {\"Event\": ...} or a list of events");
		rc = -EINVAL;
	}
	json_doc_free(doc);
	return rc;
}

int
feed_misp_parse(struct feed_ctx *fc, const char *data, size_t len)
{
	return feed_misp_doc(fc, data, len);
}

/* ---- MISP feed: manifest.json + <uuid>.json ---- */

/* Event UUIDs name the files: nothing but hex digits and dashes may reach a path. */
static bool
feed_misp_uuid_ok(const char *s)
{
	size_t i;

	for (i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		char c = s[i] | 0x20;

		if (dash ? s[i] != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return false;
	}
	return s[36] == '\0';
}

/* Read and parse dir/<uuid>.json; its messages name that file. */
static int
feed_misp_feed_event(struct feed_ctx *fc, const char *dir, size_t dir_len, const char *uuid,
		     size_t line, size_t col)
{
	const char *manifest = fc->path;
	char path[4096 + 64], *data;
	size_t len;
	int rc;

	if (dir_len + 1 + 36 + sizeof(".json") > sizeof(path))
		return -ENAMETOOLONG;
	memcpy(path, dir, dir_len);
	path[dir_len] = '/';
	memcpy(path + dir_len + 1, uuid, 36);
	memcpy(path + dir_len + 1 + 36, ".json", sizeof(".json"));
	rc = feed_read_file(path, &data, &len);
	if (rc < 0)
		return feed_bad(fc, line, col, "cannot read event file %s: %s", path,
				strerror(-rc));
	fc->path = path;
	rc = feed_misp_doc(fc, data, len);
	fc->path = manifest;
	free(data);
	/* A broken event file spoils that event only. */
	return rc == -EINVAL && !fc->strict ? 0 : rc;
}

int
feed_misp_feed_parse(struct feed_ctx *fc, const char *data, size_t len)
{
	const char *slash = strrchr(fc->path, '/'), *uuid;
	size_t dir_len = slash ? (size_t)(slash - fc->path) : 1, i, line, col;
	const char *dir = slash ? fc->path : ".";
	const struct json_node *root, *m;
	struct json_error err;
	struct json_doc *doc;
	char q[96];
	int rc = 0;

	if (slash == fc->path)
		dir_len = 1; /* "/manifest.json" */
	doc = json_parse(data, len, &err);
	if (doc == NULL) {
		feed_bad(fc, err.line, err.column, "invalid JSON: %s", err.reason);
		return errno == ENOMEM ? -ENOMEM : -EINVAL;
	}
	root = json_root(doc);
	if (json_type(root) != JSON_TYPE_OBJECT) {
		feed_bad(fc, 1, 1, "MISP feed manifest should be an object keyed by event UUID");
		rc = -EINVAL;
	}
	for (i = 0; rc == 0 && (m = json_object_at(root, i)) != NULL; i++) {
		uuid = json_key(m);
		json_doc_locate(doc, m, &line, &col);
		if (!feed_misp_uuid_ok(uuid)) {
			rc = feed_bad(fc, line, col, "manifest key \"%s\" is not an event UUID",
				      feed_quote(uuid, strlen(uuid), q, sizeof(q)));
			continue;
		}
		rc = feed_misp_feed_event(fc, dir, dir_len, uuid, line, col);
	}
	json_doc_free(doc);
	return rc;
}
