/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "contract/yaml_doc.h"
#include "dp_config.h"

#define NS_PER_S 1000000000ULL

void
dp_config_defaults(struct dp_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	if (gethostname(cfg->sensor_name, sizeof(cfg->sensor_name)) != 0)
		snprintf(cfg->sensor_name, sizeof(cfg->sensor_name), "iocwire");
	cfg->mode = DP_MODE_PASSIVE;
	snprintf(cfg->socket_path, sizeof(cfg->socket_path), "/run/iocwire/dataplane.sock");
	cfg->rx_desc = 1024;
	cfg->tx_desc = 1024;
	cfg->burst = 32;
	cfg->mbuf_cache = 256;
	cfg->mbuf_size = 2176; /* RTE_MBUF_DEFAULT_BUF_SIZE: a 1518-byte frame plus headroom */
	cfg->flow_capacity = 65536;
	cfg->timeouts.tcp_idle_ns = 300 * NS_PER_S;
	cfg->timeouts.tcp_closed_ns = 2 * NS_PER_S;
	cfg->timeouts.udp_idle_ns = 60 * NS_PER_S;
	cfg->timeouts.other_idle_ns = 30 * NS_PER_S;
	cfg->event_ring_size = 4096;
	/* Decapsulated by default, as Suricata and Zeek do: on overlay links the inner
	 * addresses are the traffic, the outer ones tunnel endpoints. */
	cfg->tunnels.vxlan_port = 4789;
	cfg->tunnels.geneve_port = 6081;
	cfg->tunnels.gre = 1;
}

/* "auto" or an integer in range; auto stores 0. */
static int
get_auto_u32(struct yaml_doc *d, yaml_node_t *map, const char *key, uint32_t def, uint32_t min,
	     uint32_t max, uint32_t *out)
{
	const char *s = yaml_doc_scalar(yaml_doc_get(d, map, key));
	uint64_t v;

	if (s != NULL && strcmp(s, "auto") == 0) {
		*out = 0;
		return 0;
	}
	if (yaml_doc_get_u64(d, map, key, def, min, max, &v) < 0)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

static int
load_ports(struct dp_config *cfg, struct yaml_doc *d, yaml_node_t *dp)
{
	yaml_node_t *ports = yaml_doc_get(d, dp, "ports");
	const char *s = yaml_doc_scalar(ports);

	if (ports == NULL || (s != NULL && strcmp(s, "auto") == 0))
		return 0;
	if (ports->type != YAML_SEQUENCE_NODE)
		return yaml_doc_error(d, ports, "key 'ports': expected a list of device names or 'auto'");
	for (size_t i = 0; i < yaml_doc_seq_len(ports); i++) {
		yaml_node_t *item = yaml_doc_seq_at(d, ports, i);
		const char *name = yaml_doc_scalar(item);

		if (name == NULL || name[0] == '\0' || strlen(name) >= DP_NAME_MAX)
			return yaml_doc_error(d, item, "ports[%zu]: expected a DPDK device name", i);
		if (cfg->nb_ports == DP_MAX_PORTS)
			return yaml_doc_error(d, item, "ports: at most %d ports", DP_MAX_PORTS);
		snprintf(cfg->ports[cfg->nb_ports++], DP_NAME_MAX, "%s", name);
	}
	return 0;
}

static int
load_flows(struct dp_config *cfg, struct yaml_doc *d, yaml_node_t *flows)
{
	static const char *const keys[] = {"capacity", "tcp_idle", "tcp_closed", "udp_idle",
					   "other_idle", NULL};
	struct flow_timeouts *t = &cfg->timeouts;
	uint64_t cap;

	if (yaml_doc_check_keys(d, flows, "dataplane.flows", keys) < 0 ||
	    yaml_doc_get_u64(d, flows, "capacity", cfg->flow_capacity, 16, 1u << 26, &cap) < 0 ||
	    yaml_doc_get_duration(d, flows, "tcp_idle", t->tcp_idle_ns, &t->tcp_idle_ns) < 0 ||
	    yaml_doc_get_duration(d, flows, "tcp_closed", t->tcp_closed_ns, &t->tcp_closed_ns) < 0 ||
	    yaml_doc_get_duration(d, flows, "udp_idle", t->udp_idle_ns, &t->udp_idle_ns) < 0 ||
	    yaml_doc_get_duration(d, flows, "other_idle", t->other_idle_ns, &t->other_idle_ns) < 0)
		return -EINVAL;
	cfg->flow_capacity = (uint32_t)cap;
	return 0;
}

static int
load_tunnels(struct dp_config *cfg, struct yaml_doc *d, yaml_node_t *tun)
{
	static const char *const keys[] = {"vxlan_port", "geneve_port", "gre", NULL};
	struct pkt_tunnels *t = &cfg->tunnels;
	uint64_t vxlan, geneve;
	bool gre;

	if (yaml_doc_check_keys(d, tun, "dataplane.tunnels", keys) < 0 ||
	    yaml_doc_get_u64(d, tun, "vxlan_port", t->vxlan_port, 0, 65535, &vxlan) < 0 ||
	    yaml_doc_get_u64(d, tun, "geneve_port", t->geneve_port, 0, 65535, &geneve) < 0 ||
	    yaml_doc_get_bool(d, tun, "gre", t->gre != 0, &gre) < 0)
		return -EINVAL;
	if (vxlan != 0 && vxlan == geneve)
		return yaml_doc_error(d, yaml_doc_get(d, tun, "geneve_port"),
				      "key 'geneve_port': port %lu is already the VXLAN port", (unsigned long)geneve);
	t->vxlan_port = (uint16_t)vxlan;
	t->geneve_port = (uint16_t)geneve;
	t->gre = gre;
	return 0;
}

/* An EAL core list: "auto" (EAL's default, every core), or digits with - , @ ( ) as in -l/--lcores. */
static int
load_lcores(struct dp_config *cfg, struct yaml_doc *d, yaml_node_t *dp)
{
	char v[sizeof(cfg->lcores)];

	if (yaml_doc_get_str(d, dp, "lcores", "auto", v, sizeof(v)) < 0)
		return -EINVAL;
	if (strcmp(v, "auto") == 0) {
		cfg->lcores[0] = '\0';
		return 0;
	}
	if (v[0] == '\0' || strspn(v, "0123456789-,@()") != strlen(v))
		return yaml_doc_error(d, yaml_doc_get(d, dp, "lcores"),
				      "key 'lcores': expected auto or a core list such as 1-4 or 0,2,4, got '%s'", v);
	memcpy(cfg->lcores, v, sizeof(v));
	return 0;
}

static int
load_dataplane(struct dp_config *cfg, struct yaml_doc *d, yaml_node_t *dp)
{
	static const char *const keys[] = {"mode", "socket", "ports", "rx_queues", "rx_desc", "tx_desc",
					   "burst", "mbufs", "mbuf_cache", "mbuf_size", "flows", "event_ring",
					   "tunnels", "lcores", NULL};
	static const char *const modes[] = {"passive", "inline", NULL};
	uint64_t ring;
	int mode;

	if (yaml_doc_check_keys(d, dp, "dataplane", keys) < 0 ||
	    yaml_doc_get_enum(d, dp, "mode", cfg->mode, modes, &mode) < 0 ||
	    yaml_doc_get_str(d, dp, "socket", cfg->socket_path, cfg->socket_path,
			     sizeof(cfg->socket_path)) < 0 ||
	    load_ports(cfg, d, dp) < 0 ||
	    get_auto_u32(d, dp, "rx_queues", 0, 1, 64, &cfg->rx_queues) < 0 ||
	    get_auto_u32(d, dp, "rx_desc", cfg->rx_desc, 64, 32768, &cfg->rx_desc) < 0 ||
	    get_auto_u32(d, dp, "tx_desc", cfg->tx_desc, 64, 32768, &cfg->tx_desc) < 0 ||
	    get_auto_u32(d, dp, "burst", cfg->burst, 1, 64, &cfg->burst) < 0 ||
	    get_auto_u32(d, dp, "mbufs", 0, 1023, 1u << 24, &cfg->mbufs) < 0 ||
	    get_auto_u32(d, dp, "mbuf_cache", cfg->mbuf_cache, 0, 512, &cfg->mbuf_cache) < 0 ||
	    get_auto_u32(d, dp, "mbuf_size", cfg->mbuf_size, 256, 65535, &cfg->mbuf_size) < 0 ||
	    load_flows(cfg, d, yaml_doc_get(d, dp, "flows")) < 0 ||
	    load_tunnels(cfg, d, yaml_doc_get(d, dp, "tunnels")) < 0 ||
	    load_lcores(cfg, d, dp) < 0 ||
	    yaml_doc_get_u64(d, dp, "event_ring", cfg->event_ring_size, 64, 1u << 20, &ring) < 0)
		return -EINVAL;
	if (ring & (ring - 1))
		return yaml_doc_error(d, yaml_doc_get(d, dp, "event_ring"),
				      "key 'event_ring': expected a power of two, got %lu",
				      (unsigned long)ring);
	cfg->mode = (enum dp_mode)mode;
	cfg->event_ring_size = (uint32_t)ring;
	if (cfg->rx_desc == 0)
		cfg->rx_desc = 1024;
	if (cfg->tx_desc == 0)
		cfg->tx_desc = 1024;
	if (cfg->burst == 0)
		cfg->burst = 32;
	if (cfg->mbuf_size == 0)
		cfg->mbuf_size = 2176;
	return 0;
}

int
dp_config_load(struct dp_config *cfg, const char *path, char *err, size_t errlen)
{
	struct yaml_doc *d = yaml_doc_load(path, err, errlen);
	yaml_node_t *root, *sensor;
	int rc = -EINVAL;

	if (d == NULL)
		return -EINVAL;
	snprintf(cfg->path, sizeof(cfg->path), "%s", path);
	root = yaml_doc_root(d);
	if (root == NULL) {
		rc = 0; /* an empty file means every default */
		goto out_free_doc;
	}
	static const char *const top[] = {"sensor", "dataplane", "control", NULL};
	static const char *const sensor_keys[] = {"name", "address", NULL};
	sensor = yaml_doc_get(d, root, "sensor");
	if (yaml_doc_check_keys(d, root, "top level", top) < 0 ||
	    yaml_doc_check_keys(d, sensor, "sensor", sensor_keys) < 0 ||
	    yaml_doc_get_str(d, sensor, "name", cfg->sensor_name, cfg->sensor_name,
			     sizeof(cfg->sensor_name)) < 0 ||
	    load_dataplane(cfg, d, yaml_doc_get(d, root, "dataplane")) < 0)
		goto out_report;
	rc = 0;
	goto out_free_doc;

out_report:
	snprintf(err, errlen, "%s", d->err);
out_free_doc:
	yaml_doc_free(d);
	return rc;
}
