/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * control_config.h - the control plane's part of conf/iocwire.yaml
 * (`sensor:`, `dataplane.socket` and `control:`). Context: control process.
 */
#ifndef IOCWIRE_CONTROL_CONFIG_H
#define IOCWIRE_CONTROL_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include "feed.h"

#define CONTROL_MAX_FEEDS 64
#define CONTROL_MAX_EXPORTS 8
#define CONTROL_MAX_NETS 64

struct control_feed {
	char path[512];
	char name[128];
	enum feed_format format;
	enum iocw_action action;
	bool strict;
};

enum export_type {
	EXPORT_STDOUT = 0, /**< CEF lines on stdout */
	EXPORT_FILE = 1,   /**< CEF lines appended to a file */
};

struct control_export {
	enum export_type type;
	char path[512];
};

/** A home network: an address prefix (network order bytes). */
struct control_net {
	uint8_t family;
	uint8_t prefix_len;
	uint8_t addr[16];
};

struct control_config {
	char path[256];
	char sensor_name[128];
	char socket_path[256];
	char vendor[64];
	struct control_feed feeds[CONTROL_MAX_FEEDS];
	unsigned nb_feeds;
	struct control_export exports[CONTROL_MAX_EXPORTS];
	unsigned nb_exports;
	struct control_net home[CONTROL_MAX_NETS];
	unsigned nb_home;
};

void control_config_defaults(struct control_config *cfg);

/** Read @p path over the defaults. 0, or -EINVAL with "file:line:col: reason" in @p err. */
int control_config_load(struct control_config *cfg, const char *path, char *err, size_t errlen);

/** Is the address inside one of the home networks? */
bool control_config_is_home(const struct control_config *cfg, uint8_t family, const uint8_t addr[16]);

#endif
