/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * control_config.h - the control plane's part of conf/iocwire.yaml
 * (`sensor:`, `dataplane.socket` and `control:`). Context: control process.
 */
#ifndef IOCWIRE_CONTROL_CONFIG_H
#define IOCWIRE_CONTROL_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include "exclusions.h"
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
	bool url_prefix;  /**< url_match: prefix (else exact) */
	bool remove;      /**< a removal list: its indicators are taken out of the others */
	uint64_t max_age_s; /**< drop indicators last seen longer ago (0: keep all) */
	char categories[512]; /**< suricata-iprep: categories file ("" = none) */
	bool misp_all;        /**< misp: misp_all_attributes, also take to_ids=false attributes */
};

enum export_type {
	EXPORT_STDOUT = 0, /**< CEF lines on stdout */
	EXPORT_FILE = 1,   /**< CEF lines appended to a file */
	EXPORT_SYSLOG = 2, /**< CEF in syslog messages over UDP or TCP */
	EXPORT_JSONL = 3,  /**< JSON lines keyed by CommonSecurityLog columns, rotated by size */
};

enum export_protocol { EXPORT_PROTO_UDP = 0, EXPORT_PROTO_TCP = 1 };
enum export_framing { EXPORT_FRAMING_OCTET = 0, EXPORT_FRAMING_NEWLINE = 1 };
enum export_format { EXPORT_FORMAT_RFC5424 = 0, EXPORT_FORMAT_RFC3164 = 1 };

/** One entry of control.export. */
struct control_export {
	enum export_type type;
	char path[512];            /**< file, jsonl */
	char host[256];            /**< syslog collector (name or address) */
	uint16_t port;             /**< syslog collector port */
	enum export_protocol protocol;
	enum export_framing framing; /**< TCP only (RFC 6587) */
	enum export_format format;
	uint8_t facility;          /**< syslog facility number, 0..23 (local4 = 20) */
	uint32_t max_message;      /**< UDP: longest datagram sent */
	uint64_t rotate_bytes;     /**< jsonl: rotate before the file would pass this; 0 = never */
	uint32_t keep;             /**< jsonl: rotated files kept (path.1 .. path.keep) */
};

enum delivery_drop { DELIVERY_DROP_OLDEST = 0, DELIVERY_DROP_NEWEST = 1 };

/** control.delivery: spool, reconnection, and flood control shared by the outputs. */
struct control_delivery {
	char spool_dir[256];     /**< "" = a private temporary spool, gone at exit */
	uint64_t spool_bytes;    /**< on-disk spool limit per TCP output */
	enum delivery_drop drop; /**< which records to lose when the spool is full */
	uint64_t reconnect_min_ns, reconnect_max_ns;
	uint64_t drain_timeout_ns; /**< at exit: how long to keep delivering spooled records */
	uint64_t rate_per_ioc;   /**< records per second per IOC, 0 = unlimited */
	uint64_t rate_burst;     /**< records an IOC may send at once */
	uint64_t aggregate_ns;   /**< fold records per IOC+endpoint over this interval; 0 = off */
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
	char sensor_address[64]; /**< CEF dvc (DeviceAddress); "" = not written */
	char socket_path[256];
	char vendor[64];
	char ctl_socket[256];   /**< command socket of the daemon (status, reload, add, ...) */
	char state_dir[256];    /**< saved snapshot and manual overrides */
	uint64_t reload_delay_ns; /**< quiet time after a feed file change before reloading */
	struct exclusion_set *excl; /**< exclusions, host groups, policy, monitor_only (never NULL after load) */
	struct control_feed feeds[CONTROL_MAX_FEEDS];
	unsigned nb_feeds;
	struct control_export exports[CONTROL_MAX_EXPORTS];
	unsigned nb_exports;
	struct control_delivery delivery;
	struct control_net home[CONTROL_MAX_NETS];
	unsigned nb_home;
};

void control_config_defaults(struct control_config *cfg);

/** Read @p path over the defaults. 0, or -EINVAL with "file:line:col: reason" in @p err. */
int control_config_load(struct control_config *cfg, const char *path, char *err, size_t errlen);

/**
 * Add a syslog output given as "udp://HOST:PORT" or "tcp://HOST:PORT" ([v6]:PORT for
 * IPv6), RFC 5424, octet-counting on TCP, facility local4. 0, or -EINVAL with the
 * reason in @p err. Context: control process start-up.
 */
int control_config_add_syslog_url(struct control_config *cfg, const char *url, char *err,
				  size_t errlen);

/** Is the address inside one of the home networks? */
bool control_config_is_home(const struct control_config *cfg, uint8_t family, const uint8_t addr[16]);

#endif
