/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * feed.h - threat-intelligence feed files: format detection and parsing into a
 * stream of struct ioc handed to a sink. One parser module per format
 * (feed_<format>.c). Context: control process only.
 */
#ifndef IOCWIRE_FEED_H
#define IOCWIRE_FEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "ioc.h"

enum feed_format {
	FEED_FORMAT_AUTO = 0,
	FEED_FORMAT_THREATFOX_CSV,  /**< ThreatFox CSV export */
	FEED_FORMAT_THREATFOX_JSON, /**< ThreatFox JSON export: object keyed by IOC id */
	FEED_FORMAT_THREATFOX_API,  /**< ThreatFox API get_iocs response {"query_status", "data": [...]} */
	FEED_FORMAT_PLAIN,          /**< one indicator per line, '#' comments */
	FEED_FORMAT_REPORT,         /**< threat report with a markdown IOC table */
	FEED_FORMAT_FEODO_CSV,      /**< Feodo Tracker ipblocklist.csv */
	FEED_FORMAT_FEODO_TXT,      /**< Feodo Tracker ipblocklist.txt (one IP per line, banner) */
	FEED_FORMAT_SPAMHAUS_DROP,  /**< Spamhaus DROP text: "CIDR ; SBLnnnn" */
	FEED_FORMAT_SPAMHAUS_JSON,  /**< Spamhaus DROP JSON lines (drop_v4.json, drop_v6.json) */
	FEED_FORMAT_MISP,           /**< MISP event JSON ({"Event": ...}, restSearch answers) */
	FEED_FORMAT_MISP_FEED,      /**< MISP feed: manifest.json naming <uuid>.json event files */
	FEED_FORMAT_STIX,           /**< STIX 2.x bundle of indicator objects */
	FEED_FORMAT_ZEEK_INTEL,     /**< Zeek intel framework file (#fields, tab-separated) */
	FEED_FORMAT_SURICATA_IPREP, /**< Suricata IP reputation file "ip_or_cidr,category,score" */
	FEED_FORMAT_THREATFOX_HOSTFILE, /**< hosts-file export "127.0.0.1 evil.example" */
	FEED_FORMAT_COUNT
};

/** Called once per indicator; a negative return stops parsing and is returned by feed_load_*. */
typedef int (*feed_emit_fn)(void *ctx, const struct ioc *ioc);

struct feed_options {
	enum feed_format format; /**< FEED_FORMAT_AUTO: detect from content */
	const char *name;        /**< feed name put in ioc->feed; NULL: file base name without extension */
	bool strict;             /**< a bad line is fatal (-EINVAL) instead of counted */
	FILE *errors;            /**< where "file:line: reason" messages go; NULL: stderr */
	enum iocw_action action; /**< default action for the feed's IOCs */
	const char *categories;  /**< suricata-iprep: categories file "id,shortname,description" */
	bool misp_all;           /**< misp: also take attributes whose to_ids is false */
};

struct feed_stats {
	enum feed_format format; /**< format used (detected or given) */
	size_t nb_lines;         /**< lines (or records) read */
	size_t nb_iocs;          /**< indicators emitted */
	size_t nb_bad;           /**< bad lines/records reported */
	size_t nb_skipped;       /**< well-formed records not representable (e.g. a hash IOC) */
};

/** Text name of a format ("threatfox-csv", ...); "unknown" for invalid values. */
const char *feed_format_name(enum feed_format format);

/** Parse a format name as given on the command line or in YAML; FEED_FORMAT_AUTO on unknown. */
enum feed_format feed_format_from_name(const char *name);

/** Detect a feed's format from the first bytes of its content; FEED_FORMAT_AUTO when unknown. */
enum feed_format feed_detect(const char *data, size_t len);

/**
 * Parse a feed held in memory. @p path is used only in messages.
 * @return 0 on success (bad lines counted in @p stats), -EINVAL on a fatal
 *         error (unknown format, strict mode and a bad line), or the sink's
 *         negative return.
 */
int feed_load_buffer(const char *path, const char *data, size_t len, const struct feed_options *opt,
		     feed_emit_fn emit, void *ctx, struct feed_stats *stats);

/**
 * Read the file at @p path and call feed_load_buffer(). A directory holding a
 * manifest.json is loaded as a MISP feed (every event file it lists).
 * @return as feed_load_buffer(), or -errno when the file cannot be read.
 */
int feed_load_file(const char *path, const struct feed_options *opt, feed_emit_fn emit, void *ctx,
		   struct feed_stats *stats);

#endif
