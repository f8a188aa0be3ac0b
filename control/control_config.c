/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "contract/yaml_doc.h"
#include "control_config.h"

void
control_config_defaults(struct control_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	if (gethostname(cfg->sensor_name, sizeof(cfg->sensor_name)) != 0)
		snprintf(cfg->sensor_name, sizeof(cfg->sensor_name), "iocwire");
	snprintf(cfg->socket_path, sizeof(cfg->socket_path), "/run/iocwire/dataplane.sock");
	snprintf(cfg->vendor, sizeof(cfg->vendor), "iocwire");
}

static int
load_feed(struct control_config *cfg, struct yaml_doc *d, yaml_node_t *item)
{
	static const char *const keys[] = {"path", "name", "format", "action", "strict", NULL};
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
	    yaml_doc_get_bool(d, item, "strict", false, &f->strict) < 0)
		return -EINVAL;
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

static int
load_export(struct control_config *cfg, struct yaml_doc *d, yaml_node_t *item)
{
	static const char *const keys[] = {"type", "path", NULL};
	static const char *const types[] = {"stdout", "file", NULL};
	struct control_export *e = &cfg->exports[cfg->nb_exports];
	int type;

	if (cfg->nb_exports == CONTROL_MAX_EXPORTS)
		return yaml_doc_error(d, item, "control.export: at most %d outputs", CONTROL_MAX_EXPORTS);
	if (yaml_doc_check_keys(d, item, "control.export[]", keys) < 0 ||
	    yaml_doc_get_enum(d, item, "type", EXPORT_STDOUT, types, &type) < 0 ||
	    yaml_doc_get_str(d, item, "path", "", e->path, sizeof(e->path)) < 0)
		return -EINVAL;
	e->type = (enum export_type)type;
	if (e->type == EXPORT_FILE && e->path[0] == '\0')
		return yaml_doc_error(d, item, "control.export: type 'file' needs a 'path'");
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

static int
load_control(struct control_config *cfg, struct yaml_doc *d, yaml_node_t *c)
{
	static const char *const keys[] = {"feeds", "export", "home_networks", "vendor", NULL};
	yaml_node_t *feeds = yaml_doc_get(d, c, "feeds");
	yaml_node_t *exports = yaml_doc_get(d, c, "export");
	yaml_node_t *home = yaml_doc_get(d, c, "home_networks");

	if (yaml_doc_check_keys(d, c, "control", keys) < 0 ||
	    yaml_doc_get_str(d, c, "vendor", cfg->vendor, cfg->vendor, sizeof(cfg->vendor)) < 0)
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
	    yaml_doc_get_str(d, yaml_doc_get(d, root, "sensor"), "name", cfg->sensor_name,
			     cfg->sensor_name, sizeof(cfg->sensor_name)) < 0 ||
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
