/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "contract/yaml_doc.h"
#include "control_config.h"
#include "ioc.h"

void
control_config_defaults(struct control_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	if (gethostname(cfg->sensor_name, sizeof(cfg->sensor_name)) != 0)
		snprintf(cfg->sensor_name, sizeof(cfg->sensor_name), "iocwire");
	snprintf(cfg->socket_path, sizeof(cfg->socket_path), "/run/iocwire/dataplane.sock");
	snprintf(cfg->vendor, sizeof(cfg->vendor), "iocwire");
	snprintf(cfg->ctl_socket, sizeof(cfg->ctl_socket), "/run/iocwire/control.sock");
	snprintf(cfg->state_dir, sizeof(cfg->state_dir), "/var/lib/iocwire");
	cfg->reload_delay_ns = 200000000ULL;
	cfg->delivery.spool_bytes = 64ull << 20;
	cfg->delivery.reconnect_min_ns = 100000000ull;
	cfg->delivery.reconnect_max_ns = 30000000000ull;
	cfg->delivery.drain_timeout_ns = 5000000000ull;
	cfg->delivery.rate_burst = 20;
}

static int
load_feed(struct control_config *cfg, struct yaml_doc *d, yaml_node_t *item)
{
	static const char *const keys[] = {"path", "name", "format", "action", "strict", "url_match",
					   "max_age", "remove", "categories", "misp_all_attributes",
					   NULL};
	static const char *const url_modes[] = {"exact", "prefix", NULL};
	uint64_t max_age_ns;
	int url_mode;
	static const char *const actions[] = {"alert", "drop", NULL};
	struct control_feed *f = &cfg->feeds[cfg->nb_feeds];
	char format[64];
	int action;

	if (cfg->nb_feeds == CONTROL_MAX_FEEDS)
		return yaml_doc_error(d, item, "control.feeds: at most %d feeds", CONTROL_MAX_FEEDS);
	if (yaml_doc_check_keys(d, item, "control.feeds[]", keys) < 0 ||
	    yaml_doc_get_str(d, item, "path", "", f->path, sizeof(f->path)) < 0 ||
	    yaml_doc_get_str(d, item, "name", "", f->name, sizeof(f->name)) < 0 ||
	    yaml_doc_get_str(d, item, "format", "auto", format, sizeof(format)) < 0 ||
	    yaml_doc_get_enum(d, item, "action", 0, actions, &action) < 0 ||
	    yaml_doc_get_bool(d, item, "strict", false, &f->strict) < 0 ||
	    yaml_doc_get_enum(d, item, "url_match", 0, url_modes, &url_mode) < 0 ||
	    yaml_doc_get_duration(d, item, "max_age", 0, &max_age_ns) < 0 ||
	    yaml_doc_get_bool(d, item, "remove", false, &f->remove) < 0 ||
	    yaml_doc_get_str(d, item, "categories", "", f->categories, sizeof(f->categories)) < 0 ||
	    yaml_doc_get_bool(d, item, "misp_all_attributes", false, &f->misp_all) < 0)
		return -EINVAL;
	f->url_prefix = url_mode == 1;
	f->max_age_s = max_age_ns / 1000000000ULL;
	if (f->path[0] == '\0')
		return yaml_doc_error(d, item, "control.feeds[%u]: key 'path' is required", cfg->nb_feeds);
	f->format = feed_format_from_name(format);
	if (f->format == FEED_FORMAT_AUTO && strcmp(format, "auto") != 0)
		return yaml_doc_error(d, yaml_doc_get(d, item, "format"),
				      "key 'format': unknown feed format '%s'", format);
	f->action = (enum iocw_action)action;
	cfg->nb_feeds++;
	return 0;
}

/* RFC 5424 section 6.2.1: facility names in code order (local4 = 20). */
static const char *const facilities[] = {
	"kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron",
	"authpriv", "ftp", "ntp", "audit", "alert", "clock", "local0", "local1", "local2",
	"local3", "local4", "local5", "local6", "local7", NULL,
};

static void
export_defaults(struct control_export *e)
{
	memset(e, 0, sizeof(*e));
	e->facility = 20;
	e->max_message = 2048;
	e->keep = 5;
}

static int
load_export_syslog(struct control_export *e, struct yaml_doc *d, yaml_node_t *item)
{
	static const char *const protocols[] = {"udp", "tcp", NULL};
	static const char *const framings[] = {"octet-counting", "newline", NULL};
	static const char *const formats[] = {"rfc5424", "rfc3164", NULL};
	int protocol, framing, format, facility;
	uint64_t port, max_message;

	if (yaml_doc_get_str(d, item, "host", "", e->host, sizeof(e->host)) < 0 ||
	    yaml_doc_get_u64(d, item, "port", 514, 1, 65535, &port) < 0 ||
	    yaml_doc_get_enum(d, item, "protocol", EXPORT_PROTO_UDP, protocols, &protocol) < 0 ||
	    yaml_doc_get_enum(d, item, "framing", EXPORT_FRAMING_OCTET, framings, &framing) < 0 ||
	    yaml_doc_get_enum(d, item, "format", EXPORT_FORMAT_RFC5424, formats, &format) < 0 ||
	    yaml_doc_get_enum(d, item, "facility", 20, facilities, &facility) < 0 ||
	    yaml_doc_get_u64(d, item, "max_message", 2048, 480, 65000, &max_message) < 0)
		return -EINVAL;
	if (e->host[0] == '\0')
		return yaml_doc_error(d, item, "control.export: type 'syslog' needs a 'host'");
	e->port = (uint16_t)port;
	e->protocol = (enum export_protocol)protocol;
	e->framing = (enum export_framing)framing;
	e->format = (enum export_format)format;
	e->facility = (uint8_t)facility;
	e->max_message = (uint32_t)max_message;
	return 0;
}

static int
load_export(struct control_config *cfg, struct yaml_doc *d, yaml_node_t *item)
{
	static const char *const keys[] = {"type", "path", "host", "port", "protocol", "framing",
					   "format", "facility", "max_message", "rotate_bytes",
					   "keep", NULL};
	static const char *const types[] = {"stdout", "file", "syslog", "jsonl", NULL};
	struct control_export *e = &cfg->exports[cfg->nb_exports];
	uint64_t keep;
	int type;

	if (cfg->nb_exports == CONTROL_MAX_EXPORTS)
		return yaml_doc_error(d, item, "control.export: at most %d outputs", CONTROL_MAX_EXPORTS);
	export_defaults(e);
	if (yaml_doc_check_keys(d, item, "control.export[]", keys) < 0 ||
	    yaml_doc_get_enum(d, item, "type", EXPORT_STDOUT, types, &type) < 0 ||
	    yaml_doc_get_str(d, item, "path", "", e->path, sizeof(e->path)) < 0 ||
	    yaml_doc_get_u64(d, item, "rotate_bytes", 0, 0, UINT64_MAX, &e->rotate_bytes) < 0 ||
	    yaml_doc_get_u64(d, item, "keep", 5, 0, 1000, &keep) < 0)
		return -EINVAL;
	e->type = (enum export_type)type;
	e->keep = (uint32_t)keep;
	if ((e->type == EXPORT_FILE || e->type == EXPORT_JSONL) && e->path[0] == '\0')
		return yaml_doc_error(d, item, "control.export: type '%s' needs a 'path'", types[type]);
	if (e->type == EXPORT_SYSLOG && load_export_syslog(e, d, item) < 0)
		return -EINVAL;
	cfg->nb_exports++;
	return 0;
}

static int
load_delivery(struct control_config *cfg, struct yaml_doc *d, yaml_node_t *m)
{
	static const char *const keys[] = {"spool_dir", "spool_bytes", "drop", "reconnect_min",
					   "reconnect_max", "drain_timeout", "rate_per_ioc",
					   "rate_burst", "aggregate", NULL};
	static const char *const drops[] = {"oldest", "newest", NULL};
	struct control_delivery *v = &cfg->delivery;
	int drop;

	if (m == NULL)
		return 0;
	if (yaml_doc_check_keys(d, m, "control.delivery", keys) < 0 ||
	    yaml_doc_get_str(d, m, "spool_dir", v->spool_dir, v->spool_dir, sizeof(v->spool_dir)) < 0 ||
	    yaml_doc_get_u64(d, m, "spool_bytes", v->spool_bytes, 65536, UINT64_MAX, &v->spool_bytes) < 0 ||
	    yaml_doc_get_enum(d, m, "drop", (int)v->drop, drops, &drop) < 0 ||
	    yaml_doc_get_duration(d, m, "reconnect_min", v->reconnect_min_ns, &v->reconnect_min_ns) < 0 ||
	    yaml_doc_get_duration(d, m, "reconnect_max", v->reconnect_max_ns, &v->reconnect_max_ns) < 0 ||
	    yaml_doc_get_duration(d, m, "drain_timeout", v->drain_timeout_ns, &v->drain_timeout_ns) < 0 ||
	    yaml_doc_get_u64(d, m, "rate_per_ioc", v->rate_per_ioc, 0, 1000000, &v->rate_per_ioc) < 0 ||
	    yaml_doc_get_u64(d, m, "rate_burst", v->rate_burst, 1, 1000000, &v->rate_burst) < 0 ||
	    yaml_doc_get_duration(d, m, "aggregate", v->aggregate_ns, &v->aggregate_ns) < 0)
		return -EINVAL;
	v->drop = (enum delivery_drop)drop;
	if (v->reconnect_min_ns == 0 || v->reconnect_max_ns < v->reconnect_min_ns)
		return yaml_doc_error(d, m, "control.delivery: need 0 < reconnect_min <= reconnect_max");
	return 0;
}

/* "HOST:PORT" or "[V6]:PORT" into @p e. */
static int
parse_host_port(const char *s, struct control_export *e)
{
	const char *colon, *host = s;
	size_t hlen;
	char *end;
	unsigned long port;

	if (s[0] == '[') {
		const char *close = strchr(s, ']');

		if (close == NULL || close[1] != ':')
			return -EINVAL;
		host = s + 1;
		hlen = (size_t)(close - host);
		colon = close + 1;
	} else {
		colon = strrchr(s, ':');
		if (colon == NULL)
			return -EINVAL;
		hlen = (size_t)(colon - s);
	}
	port = strtoul(colon + 1, &end, 10);
	if (hlen == 0 || hlen >= sizeof(e->host) || *end != '\0' || port == 0 || port > 65535)
		return -EINVAL;
	memcpy(e->host, host, hlen);
	e->host[hlen] = '\0';
	e->port = (uint16_t)port;
	return 0;
}

int
control_config_add_syslog_url(struct control_config *cfg, const char *url, char *err, size_t errlen)
{
	struct control_export *e = &cfg->exports[cfg->nb_exports];
	bool tcp = strncmp(url, "tcp://", 6) == 0;

	if (cfg->nb_exports == CONTROL_MAX_EXPORTS) {
		snprintf(err, errlen, "%s: at most %d outputs", url, CONTROL_MAX_EXPORTS);
		return -EINVAL;
	}
	export_defaults(e);
	if ((!tcp && strncmp(url, "udp://", 6) != 0) || parse_host_port(url + 6, e) < 0) {
		snprintf(err, errlen, "syslog URL '%s': expected udp://HOST:PORT or tcp://HOST:PORT", url);
		return -EINVAL;
	}
	e->type = EXPORT_SYSLOG;
	e->protocol = tcp ? EXPORT_PROTO_TCP : EXPORT_PROTO_UDP;
	cfg->nb_exports++;
	return 0;
}

/* Parse "a.b.c.d/n" or "v6/n" (a bare address is a /32 or /128). */
static int
parse_net(const char *s, struct control_net *net)
{
	char buf[64];
	char *slash;
	unsigned long len;

	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	snprintf(buf, sizeof(buf), "%s", s);
	slash = strchr(buf, '/');
	if (slash)
		*slash++ = '\0';
	memset(net, 0, sizeof(*net));
	if (inet_pton(AF_INET, buf, net->addr) == 1)
		net->family = IOCW_FAMILY_V4;
	else if (inet_pton(AF_INET6, buf, net->addr) == 1)
		net->family = IOCW_FAMILY_V6;
	else
		return -EINVAL;
	len = net->family == IOCW_FAMILY_V4 ? 32 : 128;
	if (slash) {
		char *end;
		unsigned long n = strtoul(slash, &end, 10);

		if (*slash == '\0' || *end != '\0' || n > len)
			return -EINVAL;
		len = n;
	}
	net->prefix_len = (uint8_t)len;
	return 0;
}

/* sensor.address: the sensor's own IP address for CEF dvc, canonical text. */
static int
load_sensor(struct control_config *cfg, struct yaml_doc *d, yaml_node_t *sensor)
{
	struct control_net net;
	char addr[64];

	if (yaml_doc_get_str(d, sensor, "name", cfg->sensor_name, cfg->sensor_name,
			     sizeof(cfg->sensor_name)) < 0 ||
	    yaml_doc_get_str(d, sensor, "address", "", addr, sizeof(addr)) < 0)
		return -EINVAL;
	if (addr[0] == '\0')
		return 0;
	if (strchr(addr, '/') != NULL || parse_net(addr, &net) < 0)
		return yaml_doc_error(d, yaml_doc_get(d, sensor, "address"),
				      "key 'address': expected an IPv4 or IPv6 address, got '%s'", addr);
	ioc_addr_format(net.family, net.addr, cfg->sensor_address, sizeof(cfg->sensor_address));
	return 0;
}

static int
load_control(struct control_config *cfg, struct yaml_doc *d, yaml_node_t *c)
{
	static const char *const keys[] = {"feeds", "export", "delivery", "home_networks", "vendor",
					   "socket", "state_dir", "reload_delay", "host_groups", "exclusions",
					   "policy", "monitor_only", NULL};
	yaml_node_t *feeds = yaml_doc_get(d, c, "feeds");
	yaml_node_t *exports = yaml_doc_get(d, c, "export");
	yaml_node_t *home = yaml_doc_get(d, c, "home_networks");

	if (yaml_doc_check_keys(d, c, "control", keys) < 0 ||
	    yaml_doc_get_str(d, c, "vendor", cfg->vendor, cfg->vendor, sizeof(cfg->vendor)) < 0 ||
	    yaml_doc_get_str(d, c, "socket", cfg->ctl_socket, cfg->ctl_socket, sizeof(cfg->ctl_socket)) < 0 ||
	    yaml_doc_get_str(d, c, "state_dir", cfg->state_dir, cfg->state_dir, sizeof(cfg->state_dir)) < 0 ||
	    yaml_doc_get_duration(d, c, "reload_delay", cfg->reload_delay_ns, &cfg->reload_delay_ns) < 0)
		return -EINVAL;
	exclusions_free(cfg->excl);
	cfg->excl = exclusions_load(d, c);
	if (cfg->excl == NULL)
		return -EINVAL;
	if (feeds && feeds->type != YAML_SEQUENCE_NODE)
		return yaml_doc_error(d, feeds, "key 'feeds': expected a list");
	for (size_t i = 0; i < yaml_doc_seq_len(feeds); i++)
		if (load_feed(cfg, d, yaml_doc_seq_at(d, feeds, i)) < 0)
			return -EINVAL;
	if (exports && exports->type != YAML_SEQUENCE_NODE)
		return yaml_doc_error(d, exports, "key 'export': expected a list");
	for (size_t i = 0; i < yaml_doc_seq_len(exports); i++)
		if (load_export(cfg, d, yaml_doc_seq_at(d, exports, i)) < 0)
			return -EINVAL;
	if (load_delivery(cfg, d, yaml_doc_get(d, c, "delivery")) < 0)
		return -EINVAL;
	if (home && home->type != YAML_SEQUENCE_NODE)
		return yaml_doc_error(d, home, "key 'home_networks': expected a list of CIDRs");
	for (size_t i = 0; i < yaml_doc_seq_len(home); i++) {
		yaml_node_t *item = yaml_doc_seq_at(d, home, i);
		const char *s = yaml_doc_scalar(item);

		if (cfg->nb_home == CONTROL_MAX_NETS)
			return yaml_doc_error(d, item, "home_networks: at most %d", CONTROL_MAX_NETS);
		if (s == NULL || parse_net(s, &cfg->home[cfg->nb_home]) < 0)
			return yaml_doc_error(d, item, "home_networks[%zu]: expected a CIDR such as "
						       "10.0.0.0/8, got '%s'", i, s ? s : "(list)");
		cfg->nb_home++;
	}
	return 0;
}

int
control_config_load(struct control_config *cfg, const char *path, char *err, size_t errlen)
{
	static const char *const top[] = {"sensor", "dataplane", "control", NULL};
	struct yaml_doc *d = yaml_doc_load(path, err, errlen);
	yaml_node_t *root;
	int rc = -EINVAL;

	if (d == NULL)
		return -EINVAL;
	snprintf(cfg->path, sizeof(cfg->path), "%s", path);
	root = yaml_doc_root(d);
	if (root == NULL) {
		rc = 0;
		goto out_free_doc;
	}
	/* The dataplane validates its own keys; here only what the control plane uses. */
	if (yaml_doc_check_keys(d, root, "top level", top) < 0 ||
	    load_sensor(cfg, d, yaml_doc_get(d, root, "sensor")) < 0 ||
	    yaml_doc_get_str(d, yaml_doc_get(d, root, "dataplane"), "socket", cfg->socket_path,
			     cfg->socket_path, sizeof(cfg->socket_path)) < 0 ||
	    load_control(cfg, d, yaml_doc_get(d, root, "control")) < 0) {
		snprintf(err, errlen, "%s", d->err);
		goto out_free_doc;
	}
	rc = 0;
out_free_doc:
	yaml_doc_free(d);
	return rc;
}

bool
control_config_is_home(const struct control_config *cfg, uint8_t family, const uint8_t addr[16])
{
	for (unsigned i = 0; i < cfg->nb_home; i++) {
		const struct control_net *n = &cfg->home[i];
		unsigned full = n->prefix_len / 8, rest = n->prefix_len % 8;

		if (n->family != family || memcmp(n->addr, addr, full) != 0)
			continue;
		if (rest == 0 || ((n->addr[full] ^ addr[full]) & (0xff00u >> rest) & 0xff) == 0)
			return true;
	}
	return false;
}
