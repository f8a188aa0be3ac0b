/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * exclusions.h - the `control.host_groups`, `control.exclusions`,
 * `control.policy` and `control.monitor_only` settings: read from the YAML,
 * compiled into the snapshot's exclusion sections (evaluated by the workers,
 * contract/exclusion.h) and into each indicator's action (policy).
 * Context: control process.
 */
#ifndef IOCWIRE_EXCLUSIONS_H
#define IOCWIRE_EXCLUSIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "contract/snapshot_format.h"
#include "contract/yaml_doc.h"
#include "ioc.h"

#define EXCL_LIST_MAX 512

struct excl_spec {
	char name[64];
	uint8_t mode;       /**< enum snap_excl_mode */
	uint8_t types_mask; /**< see struct snap_exclusion */
	uint8_t proto_mask;
	char feeds[EXCL_LIST_MAX];    /**< comma-separated, "" = any */
	char families[EXCL_LIST_MAX];
	struct snap_excl_net *hosts;
	uint32_t nb_hosts;
	struct snap_excl_net *iocs;
	uint32_t nb_iocs;
	uint16_t *ports;
	uint32_t nb_ports;
	bool has_week;
	uint64_t week[SNAP_WEEK_WORDS]; /**< local minutes of the week, Monday 00:00 = 0 */
	struct snap_tz_change *tz;
	uint32_t nb_tz;
};

struct policy_rule {
	char name[64];
	char feeds[EXCL_LIST_MAX];
	char families[EXCL_LIST_MAX];
	uint8_t types_mask;
	int min_confidence; /**< -1: any */
	enum iocw_action action;
};

struct exclusion_set {
	struct excl_spec *excl;
	unsigned nb_excl;
	struct policy_rule *rules;
	unsigned nb_rules;
	bool monitor_only;
};

/**
 * Read the settings under the `control:` mapping @p control.
 * @return a set (possibly empty), or NULL with d->err set ("file:line:col: reason").
 */
struct exclusion_set *exclusions_load(struct yaml_doc *d, yaml_node_t *control);

void exclusions_free(struct exclusion_set *s);

/** The action for an indicator: the first policy rule that matches it, else @p ioc->action. */
enum iocw_action exclusions_policy_action(const struct exclusion_set *s, const struct ioc *ioc);

/** Minute-of-week bitmap from a cron expression "M H * * DOW" lasting @p duration_min. 0 or -EINVAL. */
int exclusions_cron_week(const char *cron, unsigned duration_min, uint64_t week[SNAP_WEEK_WORDS]);

/** UTC offset changes of a time zone over a few years around now. Returns count or -EINVAL. */
int exclusions_tz_changes(const char *tz, struct snap_tz_change **out);

#endif
