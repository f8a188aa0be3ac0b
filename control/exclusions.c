/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * exclusions.c - read exclusions, host groups and response policy from the
 * YAML (every error names file:line:col) and precompute what the workers
 * need: address prefixes, port lists, weekly minute bitmaps and UTC offset
 * tables, so that no time-zone or cron logic runs in the dataplane.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "exclusions.h"

#define MAX_GROUPS 64
#define MAX_NETS 4096
#define TZ_YEARS_BACK 2
#define TZ_YEARS_AHEAD 3

static const char *const type_keys[IOCW_IOC_TYPE_COUNT] = {"ip", "ip:port", "cidr", "domain", "url"};
static const char *const day_names[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

struct group {
	const char *name;
	yaml_node_t *node; /**< list of CIDRs, or {file: path} */
};

struct loader {
	struct yaml_doc *d;
	struct group groups[MAX_GROUPS];
	unsigned nb_groups;
};

/* ---- small parsers ---------------------------------------------------------- */

static int
net_from_text(const char *text, struct snap_excl_net *n, bool want_kind)
{
	char canon[IOC_VALUE_MAX];
	const char *reason;
	struct ioc ioc;

	ioc_init(&ioc);
	if (ioc_parse(text, &ioc, canon, &reason) < 0)
		return -EINVAL;
	memset(n, 0, sizeof(*n));
	n->family = ioc.family;
	memcpy(n->addr, ioc.addr, 16);
	switch (ioc.type) {
	case IOCW_IOC_IP:
		n->prefix_len = ioc.family == IOCW_FAMILY_V4 ? 32 : 128;
		n->kind = want_kind ? SNAP_KIND_ADDR : 0;
		return 0;
	case IOCW_IOC_CIDR:
		n->prefix_len = ioc.prefix_len;
		n->kind = want_kind ? SNAP_KIND_CIDR : 0;
		return 0;
	case IOCW_IOC_IP_PORT:
		if (!want_kind)
			return -EINVAL;
		n->prefix_len = ioc.family == IOCW_FAMILY_V4 ? 32 : 128;
		n->port = ioc.port;
		n->kind = SNAP_KIND_PORT;
		return 0;
	default:
		return -EINVAL; /* domains and URLs are not addresses */
	}
}

static int
push_net(struct snap_excl_net **arr, uint32_t *nb, const struct snap_excl_net *n)
{
	struct snap_excl_net *p;

	if (*nb >= MAX_NETS)
		return -E2BIG;
	p = realloc(*arr, (*nb + 1) * sizeof(*p));
	if (p == NULL)
		return -ENOMEM;
	p[(*nb)++] = *n;
	*arr = p;
	return 0;
}

/* A host-group file: one address or CIDR per line, '#' comments. */
static int
load_group_file(struct loader *L, yaml_node_t *node, const char *path, struct snap_excl_net **arr,
		uint32_t *nb)
{
	char line[256];
	unsigned lineno = 0;
	FILE *f = fopen(path, "re");

	if (f == NULL)
		return yaml_doc_error(L->d, node, "host group file %s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		struct snap_excl_net n;
		char *hash = strchr(line, '#');

		lineno++;
		if (hash)
			*hash = '\0';
		line[strcspn(line, "\r\n")] = '\0';
		if (strspn(line, " \t") == strlen(line))
			continue;
		if (net_from_text(line, &n, false) < 0 || push_net(arr, nb, &n) < 0) {
			fclose(f);
			return yaml_doc_error(L->d, node, "host group file %s:%u: expected an address or CIDR, got '%s'",
					      path, lineno, line);
		}
	}
	fclose(f);
	return 0;
}

static const struct group *
find_group(const struct loader *L, const char *name)
{
	for (unsigned i = 0; i < L->nb_groups; i++)
		if (strcmp(L->groups[i].name, name) == 0)
			return &L->groups[i];
	return NULL;
}

/* Addresses of a list: CIDRs, addresses, or host-group names (expanded). */
static int
load_nets(struct loader *L, yaml_node_t *list, bool want_kind, bool allow_groups, struct snap_excl_net **arr,
	  uint32_t *nb, const char *key)
{
	for (size_t i = 0; i < yaml_doc_seq_len(list); i++) {
		yaml_node_t *item = yaml_doc_seq_at(L->d, list, i);
		const char *s = yaml_doc_scalar(item);
		const struct group *g = s && allow_groups ? find_group(L, s) : NULL;
		struct snap_excl_net n;

		if (g != NULL) {
			const char *file = yaml_doc_scalar(yaml_doc_get(L->d, g->node, "file"));

			if (file != NULL) {
				if (load_group_file(L, g->node, file, arr, nb) < 0)
					return -EINVAL;
			} else if (load_nets(L, g->node, false, false, arr, nb, g->name) < 0) {
				return -EINVAL;
			}
			continue;
		}
		if (s == NULL || net_from_text(s, &n, want_kind) < 0 || push_net(arr, nb, &n) < 0)
			return yaml_doc_error(L->d, item, "%s[%zu]: expected %s, got '%s'", key, i,
					      want_kind ? "an ip, ip:port or CIDR indicator"
							: allow_groups ? "a host group name, address or CIDR"
								       : "an address or CIDR",
					      s ? s : "(not a value)");
	}
	return 0;
}

/* A YAML list of names into "a,b,c". */
static int
load_names(struct loader *L, yaml_node_t *list, char *out, size_t len, const char *key)
{
	size_t used = 0;

	out[0] = '\0';
	for (size_t i = 0; i < yaml_doc_seq_len(list); i++) {
		yaml_node_t *item = yaml_doc_seq_at(L->d, list, i);
		const char *s = yaml_doc_scalar(item);

		if (s == NULL || s[0] == '\0' || strchr(s, ','))
			return yaml_doc_error(L->d, item, "%s[%zu]: expected a name without commas", key, i);
		used += (size_t)snprintf(out + used, len - used, "%s%s", used ? "," : "", s);
		if (used >= len)
			return yaml_doc_error(L->d, item, "%s: list longer than %zu characters", key, len - 1);
	}
	return 0;
}

static int
load_mask(struct loader *L, yaml_node_t *list, const char *const *names, unsigned nb, uint8_t *mask,
	  const char *key)
{
	*mask = 0;
	for (size_t i = 0; i < yaml_doc_seq_len(list); i++) {
		yaml_node_t *item = yaml_doc_seq_at(L->d, list, i);
		const char *s = yaml_doc_scalar(item);
		unsigned j;

		for (j = 0; s && j < nb; j++)
			if (strcmp(s, names[j]) == 0)
				break;
		if (s == NULL || j == nb)
			return yaml_doc_error(L->d, item, "%s[%zu]: unknown value '%s'", key, i, s ? s : "");
		*mask |= (uint8_t)(1u << j);
	}
	return 0;
}

static int
load_ports(struct loader *L, yaml_node_t *list, struct excl_spec *x)
{
	x->nb_ports = (uint32_t)yaml_doc_seq_len(list);
	x->ports = x->nb_ports ? calloc(x->nb_ports, sizeof(uint16_t)) : NULL;
	for (uint32_t i = 0; i < x->nb_ports; i++) {
		yaml_node_t *item = yaml_doc_seq_at(L->d, list, i);
		const char *s = yaml_doc_scalar(item);
		char *end;
		unsigned long v = s ? strtoul(s, &end, 10) : 0;

		if (x->ports == NULL || s == NULL || *end != '\0' || v == 0 || v > 65535)
			return yaml_doc_error(L->d, item, "ports[%u]: expected a port 1-65535", i);
		x->ports[i] = (uint16_t)v;
	}
	return 0;
}

/* ---- schedules ---------------------------------------------------------------- */

static void
week_set(uint64_t *week, unsigned from_minute, unsigned minutes)
{
	for (unsigned m = 0; m < minutes; m++) {
		unsigned w = (from_minute + m) % SNAP_WEEK_MINUTES;

		week[w / 64] |= 1ULL << (w % 64);
	}
}

static int
parse_hhmm(const char *s, unsigned *minute)
{
	unsigned h, m;
	char tail;

	if (s == NULL || sscanf(s, "%u:%u%c", &h, &m, &tail) != 2 || h > 24 || m > 59 || (h == 24 && m))
		return -EINVAL;
	*minute = h * 60 + m;
	return 0;
}

static int
day_index(const char *s, size_t len)
{
	for (int i = 0; i < 7; i++)
		if (len == 3 && strncmp(s, day_names[i], 3) == 0)
			return i;
	return -1;
}

/* "mon", "mon-fri", "sat-sun" (wrapping ranges allowed: "fri-mon"). */
static int
parse_days(const char *s, bool days[7])
{
	const char *dash = strchr(s, '-');
	int a = day_index(s, dash ? (size_t)(dash - s) : strlen(s)), b = dash ? day_index(dash + 1, strlen(dash + 1)) : a;

	if (a < 0 || b < 0)
		return -EINVAL;
	for (int i = a;; i = (i + 1) % 7) {
		days[i] = true;
		if (i == b)
			break;
	}
	return 0;
}

/* One cron field into a bitmap: '*', 'n', 'a-b', lists, '/step'. */
static int
cron_field(const char *f, unsigned lo, unsigned hi, uint64_t *bits)
{
	char buf[128];
	char *save = NULL, *tok;

	if (strlen(f) >= sizeof(buf))
		return -EINVAL;
	snprintf(buf, sizeof(buf), "%s", f);
	*bits = 0;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		unsigned a = lo, b = hi, step = 1;
		char *slash = strchr(tok, '/'), *end;

		if (slash) {
			*slash = '\0';
			step = (unsigned)strtoul(slash + 1, &end, 10);
			if (*end || step == 0)
				return -EINVAL;
		}
		if (strcmp(tok, "*") != 0) {
			a = (unsigned)strtoul(tok, &end, 10);
			b = a;
			if (*end == '-')
				b = (unsigned)strtoul(end + 1, &end, 10);
			if (*end || a < lo || b > hi || a > b)
				return -EINVAL;
		}
		for (unsigned v = a; v <= b; v += step)
			*bits |= 1ULL << v;
	}
	return 0;
}

int
exclusions_cron_week(const char *cron, unsigned duration_min, uint64_t week[SNAP_WEEK_WORDS])
{
	char f[5][64];
	uint64_t minutes, hours, dows;

	if (sscanf(cron, "%63s %63s %63s %63s %63s", f[0], f[1], f[2], f[3], f[4]) != 5 ||
	    strcmp(f[2], "*") != 0 || strcmp(f[3], "*") != 0 || duration_min == 0 ||
	    cron_field(f[0], 0, 59, &minutes) < 0 || cron_field(f[1], 0, 23, &hours) < 0 ||
	    cron_field(f[4], 0, 7, &dows) < 0)
		return -EINVAL;
	memset(week, 0, SNAP_WEEK_WORDS * sizeof(uint64_t));
	for (unsigned dow = 0; dow <= 7; dow++) {
		if (!(dows >> dow & 1))
			continue;
		for (unsigned h = 0; h < 24; h++)
			for (unsigned m = 0; hours >> h & 1 && m < 60; m++)
				if (minutes >> m & 1)
					/* cron: 0 and 7 are Sunday; the bitmap starts on Monday. */
					week_set(week, ((dow + 6) % 7) * 1440 + h * 60 + m, duration_min);
	}
	return 0;
}

int
exclusions_tz_changes(const char *tz, struct snap_tz_change **out)
{
	char path[300], *old = getenv("TZ") ? strdup(getenv("TZ")) : NULL;
	time_t now = time(NULL), t = now - TZ_YEARS_BACK * 366L * 86400;
	time_t end = now + TZ_YEARS_AHEAD * 366L * 86400;
	struct snap_tz_change *c = NULL;
	long last = -1000000;
	int n = 0;

	snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", tz);
	if (strcmp(tz, "UTC") != 0 && (strstr(tz, "..") || access(path, R_OK) != 0)) {
		free(old);
		return -EINVAL;
	}
	setenv("TZ", tz, 1);
	tzset();
	/* Offsets change on the hour (or half hour): stepping by 15 minutes finds every change. */
	for (; t < end && n < 64; t += 900) {
		struct tm tm;

		localtime_r(&t, &tm);
		if (tm.tm_gmtoff == last)
			continue;
		struct snap_tz_change *grown = realloc(c, (size_t)(n + 1) * sizeof(*c));

		if (grown == NULL) {
			free(c);
			c = NULL;
			break;
		}
		c = grown;
		/* The first offset also covers everything before the scanned range. */
		c[n] = (struct snap_tz_change){.utc_start = n == 0 ? INT64_MIN / 2 : (int64_t)t,
					       .offset_s = (int32_t)tm.tm_gmtoff};
		n++;
		last = tm.tm_gmtoff;
	}
	if (old)
		setenv("TZ", old, 1);
	else
		unsetenv("TZ");
	tzset();
	free(old);
	*out = c;
	return c ? n : -ENOMEM;
}

static int
load_schedule(struct loader *L, yaml_node_t *s, struct excl_spec *x)
{
	static const char *const keys[] = {"days", "from", "to", "cron", "duration", "timezone", NULL};
	yaml_node_t *days = yaml_doc_get(L->d, s, "days");
	const char *cron = yaml_doc_scalar(yaml_doc_get(L->d, s, "cron"));
	const char *tz = yaml_doc_scalar(yaml_doc_get(L->d, s, "timezone"));
	uint64_t dur_ns;
	int n;

	if (s == NULL)
		return 0;
	if (yaml_doc_check_keys(L->d, s, "schedule", keys) < 0 ||
	    yaml_doc_get_duration(L->d, s, "duration", 0, &dur_ns) < 0)
		return -EINVAL;
	x->has_week = true;
	if (cron != NULL) {
		if (exclusions_cron_week(cron, (unsigned)(dur_ns / 60000000000ULL), x->week) < 0)
			return yaml_doc_error(L->d, yaml_doc_get(L->d, s, "cron"),
					      "cron: expected 'MIN HOUR * * DOW' and a duration of a minute or more, "
					      "got '%s'", cron);
	} else {
		bool day[7] = {false};
		unsigned from, to;

		if (parse_hhmm(yaml_doc_scalar(yaml_doc_get(L->d, s, "from")), &from) < 0 ||
		    parse_hhmm(yaml_doc_scalar(yaml_doc_get(L->d, s, "to")), &to) < 0)
			return yaml_doc_error(L->d, s, "schedule: expected from and to as HH:MM (or a cron)");
		for (size_t i = 0; i < yaml_doc_seq_len(days); i++) {
			const char *dv = yaml_doc_scalar(yaml_doc_seq_at(L->d, days, i));

			if (dv == NULL || parse_days(dv, day) < 0)
				return yaml_doc_error(L->d, yaml_doc_seq_at(L->d, days, i),
						      "days[%zu]: expected mon..sun or a range such as mon-fri", i);
		}
		if (days == NULL)
			for (int i = 0; i < 7; i++)
				day[i] = true;
		/* to <= from: the window runs past midnight into the next day. */
		for (int i = 0; i < 7; i++)
			if (day[i])
				week_set(x->week, (unsigned)i * 1440 + from, to > from ? to - from : 1440 - from + to);
	}
	n = exclusions_tz_changes(tz ? tz : "UTC", &x->tz);
	if (n < 0)
		return yaml_doc_error(L->d, yaml_doc_get(L->d, s, "timezone"),
				      "timezone: unknown zone '%s' (a tz database name such as Europe/Berlin)", tz);
	x->nb_tz = (uint32_t)n;
	return 0;
}

/* ---- exclusions, policy ------------------------------------------------------------ */

static int
load_exclusion(struct loader *L, yaml_node_t *item, struct excl_spec *x)
{
	static const char *const keys[] = {"name", "hosts", "ports", "protocols", "feeds", "families",
					   "types", "iocs", "schedule", "mode", NULL};
	static const char *const modes[] = {"suppress", "tag", NULL};
	static const char *const protos[] = {"tcp", "udp", "sctp", "icmp", "other"};
	int mode;

	if (yaml_doc_check_keys(L->d, item, "exclusions[]", keys) < 0 ||
	    yaml_doc_get_str(L->d, item, "name", "", x->name, sizeof(x->name)) < 0 ||
	    yaml_doc_get_enum(L->d, item, "mode", SNAP_EXCL_TAG, modes, &mode) < 0)
		return -EINVAL;
	if (x->name[0] == '\0')
		return yaml_doc_error(L->d, item, "exclusions[]: every exclusion needs a name");
	x->mode = (uint8_t)mode;
	if (load_nets(L, yaml_doc_get(L->d, item, "hosts"), false, true, &x->hosts, &x->nb_hosts, "hosts") < 0 ||
	    load_nets(L, yaml_doc_get(L->d, item, "iocs"), true, false, &x->iocs, &x->nb_iocs, "iocs") < 0 ||
	    load_ports(L, yaml_doc_get(L->d, item, "ports"), x) < 0 ||
	    load_mask(L, yaml_doc_get(L->d, item, "protocols"), protos, 5, &x->proto_mask, "protocols") < 0 ||
	    load_mask(L, yaml_doc_get(L->d, item, "types"), type_keys, IOCW_IOC_TYPE_COUNT, &x->types_mask,
		      "types") < 0 ||
	    load_names(L, yaml_doc_get(L->d, item, "feeds"), x->feeds, sizeof(x->feeds), "feeds") < 0 ||
	    load_names(L, yaml_doc_get(L->d, item, "families"), x->families, sizeof(x->families), "families") < 0 ||
	    load_schedule(L, yaml_doc_get(L->d, item, "schedule"), x) < 0)
		return -EINVAL;
	return 0;
}

static int
load_rule(struct loader *L, yaml_node_t *item, struct policy_rule *r)
{
	static const char *const keys[] = {"name", "feeds", "families", "types", "min_confidence", "action", NULL};
	static const char *const actions[] = {"alert", "drop", NULL};
	uint64_t conf;
	int action;

	if (yaml_doc_check_keys(L->d, item, "policy[]", keys) < 0 ||
	    yaml_doc_get_str(L->d, item, "name", "", r->name, sizeof(r->name)) < 0 ||
	    yaml_doc_get_u64(L->d, item, "min_confidence", 1000, 0, 1000, &conf) < 0 ||
	    yaml_doc_get_enum(L->d, item, "action", -1, actions, &action) < 0 ||
	    load_mask(L, yaml_doc_get(L->d, item, "types"), type_keys, IOCW_IOC_TYPE_COUNT, &r->types_mask,
		      "types") < 0 ||
	    load_names(L, yaml_doc_get(L->d, item, "feeds"), r->feeds, sizeof(r->feeds), "feeds") < 0 ||
	    load_names(L, yaml_doc_get(L->d, item, "families"), r->families, sizeof(r->families), "families") < 0)
		return -EINVAL;
	if (action < 0)
		return yaml_doc_error(L->d, item, "policy[]: 'action: alert|drop' is required");
	if (conf != 1000 && conf > 100)
		return yaml_doc_error(L->d, yaml_doc_get(L->d, item, "min_confidence"),
				      "min_confidence: expected 0-100");
	r->min_confidence = conf == 1000 ? -1 : (int)conf;
	r->action = (enum iocw_action)action;
	return 0;
}

static int
load_groups(struct loader *L, yaml_node_t *groups)
{
	if (groups == NULL)
		return 0;
	if (groups->type != YAML_MAPPING_NODE)
		return yaml_doc_error(L->d, groups, "host_groups: expected name: [addresses] entries");
	for (yaml_node_pair_t *p = groups->data.mapping.pairs.start; p < groups->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(&L->d->doc, p->key);
		yaml_node_t *v = yaml_document_get_node(&L->d->doc, p->value);

		if (L->nb_groups == MAX_GROUPS || yaml_doc_scalar(k) == NULL)
			return yaml_doc_error(L->d, k, "host_groups: at most %d named groups", MAX_GROUPS);
		if (v->type != YAML_SEQUENCE_NODE && yaml_doc_scalar(yaml_doc_get(L->d, v, "file")) == NULL)
			return yaml_doc_error(L->d, v, "host group '%s': expected a list or {file: PATH}",
					      yaml_doc_scalar(k));
		L->groups[L->nb_groups++] = (struct group){.name = yaml_doc_scalar(k), .node = v};
	}
	return 0;
}

struct exclusion_set *
exclusions_load(struct yaml_doc *d, yaml_node_t *control)
{
	struct loader L = {.d = d};
	yaml_node_t *excl = yaml_doc_get(d, control, "exclusions");
	yaml_node_t *policy = yaml_doc_get(d, control, "policy");
	struct exclusion_set *s = calloc(1, sizeof(*s));

	if (s == NULL || load_groups(&L, yaml_doc_get(d, control, "host_groups")) < 0 ||
	    yaml_doc_get_bool(d, control, "monitor_only", false, &s->monitor_only) < 0)
		goto out_fail;
	s->nb_excl = (unsigned)yaml_doc_seq_len(excl);
	s->nb_rules = (unsigned)yaml_doc_seq_len(policy);
	s->excl = calloc(s->nb_excl + 1, sizeof(*s->excl));
	s->rules = calloc(s->nb_rules + 1, sizeof(*s->rules));
	if (s->excl == NULL || s->rules == NULL)
		goto out_fail;
	for (unsigned i = 0; i < s->nb_excl; i++)
		if (load_exclusion(&L, yaml_doc_seq_at(d, excl, i), &s->excl[i]) < 0)
			goto out_fail;
	for (unsigned i = 0; i < s->nb_rules; i++)
		if (load_rule(&L, yaml_doc_seq_at(d, policy, i), &s->rules[i]) < 0)
			goto out_fail;
	return s;

out_fail:
	exclusions_free(s);
	return NULL;
}

void
exclusions_free(struct exclusion_set *s)
{
	if (s == NULL)
		return;
	for (unsigned i = 0; s->excl && i < s->nb_excl; i++) {
		free(s->excl[i].hosts);
		free(s->excl[i].iocs);
		free(s->excl[i].ports);
		free(s->excl[i].tz);
	}
	free(s->excl);
	free(s->rules);
	free(s);
}

static bool
names_meet(const char *want, const char *have)
{
	char w[EXCL_LIST_MAX];
	char *save = NULL;

	if (want[0] == '\0')
		return true;
	if (have == NULL)
		return false;
	snprintf(w, sizeof(w), "%s", want);
	for (char *t = strtok_r(w, ",", &save); t; t = strtok_r(NULL, ",", &save))
		if (strcmp(t, have) == 0)
			return true;
	return false;
}

enum iocw_action
exclusions_policy_action(const struct exclusion_set *s, const struct ioc *ioc)
{
	for (unsigned i = 0; s && i < s->nb_rules; i++) {
		const struct policy_rule *r = &s->rules[i];

		if ((r->types_mask && !(r->types_mask & (1u << ioc->type))) || !names_meet(r->feeds, ioc->feed) ||
		    !names_meet(r->families, ioc->malware) ||
		    (r->min_confidence >= 0 && ioc->confidence < r->min_confidence))
			continue;
		return r->action;
	}
	return ioc->action;
}
