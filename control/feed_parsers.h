/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * feed_parsers.h - private interface between feed.c and the per-format parsers
 * (feed_<format>.c): the parse context, the per-format entry points and the
 * helpers they share (line cursor, error reporting, emit with metadata).
 * Context: control process only.
 */
#ifndef IOCWIRE_FEED_PARSERS_H
#define IOCWIRE_FEED_PARSERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "feed.h"

/* Longest line the line-oriented parsers accept; longer ones are reported and skipped. */
#define FEED_LINE_MAX (64u << 10)
/* feed_load_file() refuses larger files. */
#define FEED_FILE_MAX (1u << 30)

/** One feed being parsed. */
struct feed_ctx {
	const char *path; /**< for messages */
	const char *name; /**< feed name put in every ioc->feed */
	bool strict;
	enum iocw_action action;
	FILE *errors;
	feed_emit_fn emit;
	void *emit_ctx;
	struct feed_stats *stats;
};

/** One line of a buffer, without its CR LF / LF; not NUL-terminated. */
struct feed_line {
	const char *s;
	size_t len;
	size_t no; /**< 1-based */
};

/** Walks a buffer line by line; NUL bytes are ordinary characters. */
struct feed_cursor {
	const char *p;
	const char *end;
	size_t no;
};

/* Per-format entry points: 0, -EINVAL (fatal or strict), or the sink's negative return. */
int feed_plain_parse(struct feed_ctx *fc, const char *data, size_t len);
int feed_threatfox_csv_parse(struct feed_ctx *fc, const char *data, size_t len);
int feed_threatfox_json_parse(struct feed_ctx *fc, const char *data, size_t len);
int feed_threatfox_api_parse(struct feed_ctx *fc, const char *data, size_t len);
int feed_report_parse(struct feed_ctx *fc, const char *data, size_t len);

/** Start walking data[0..len). */
void feed_cursor_init(struct feed_cursor *cur, const char *data, size_t len);

/** Next line into *line; false at the end of the buffer. cur->no is the number of lines read. */
bool feed_cursor_next(struct feed_cursor *cur, struct feed_line *line);

/**
 * Report a bad line or record as "path:line[:col]: reason" (col 0: omitted)
 * and count it in nb_bad.
 * @return -EINVAL in strict mode (the caller stops), else 0.
 */
int feed_bad(struct feed_ctx *fc, size_t line, size_t col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/** Report "path:line: warning: ..." (line 0: "path: warning: ..."); not counted as bad. */
void feed_warn(struct feed_ctx *fc, size_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/** Copy s[0..len) into buf as printable, quotable text (cut with "..."), for messages. */
const char *feed_quote(const char *s, size_t len, char *buf, size_t buflen);

/** ioc_init() plus the feed's name and default action. */
void feed_ioc_init(struct feed_ctx *fc, struct ioc *ioc);

/**
 * What a feed's type column asks for: "ip:port", "domain", "url", ... -> *type
 * (IOCW_IOC_TYPE_COUNT when empty: any type). Case, blanks, '-' and '_' are
 * not significant.
 * @return 0, 1 for a well-formed type we cannot match (hashes), -EINVAL unknown.
 */
int feed_type_from_name(const char *name, enum iocw_ioc_type *type);

/** "75", "75%", " 100 " -> 0..100; "" -> -1. @return 0 or -EINVAL. */
int feed_confidence_parse(const char *text, int *out);

/**
 * Metadata field checks shared by the parsers: parse @p text into *out, or
 * report "<label> "<text>" is not ..." at line:col through feed_bad().
 * An empty text is "unknown" (-1 / 0) and valid.
 * @return 0 when valid, 1 when reported as bad (drop the record and go on),
 *         -EINVAL when reported in strict mode (stop).
 */
int feed_field_confidence(struct feed_ctx *fc, size_t line, size_t col, const char *label,
			  const char *text, int *out);
int feed_field_time(struct feed_ctx *fc, size_t line, size_t col, const char *label,
		    const char *text, int64_t *out);

/**
 * Parse @p value (refanged, canonicalised), check it is of type @p want
 * (IOCW_IOC_TYPE_COUNT: any; IOCW_IOC_IP also accepts a CIDR), fill the key of
 * @p ioc (metadata already set) and hand it to the sink. A bad value is
 * reported at line:col through feed_bad().
 * @return 0, -EINVAL (strict and bad), or the sink's negative return.
 */
int feed_emit_value(struct feed_ctx *fc, size_t line, size_t col, enum iocw_ioc_type want,
		    const char *value, struct ioc *ioc);

#endif
