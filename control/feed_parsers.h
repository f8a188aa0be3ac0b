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

/* Distinct record kinds (types) feed_skip_kind() tallies by name; more share one "other" count. */
#define FEED_SKIP_KINDS 8

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
	const struct feed_options *opt; /**< the caller's options (format-specific fields) */
	size_t nb_skip_msgs;            /**< "skipped: ..." messages printed so far */
	/* feed_skip_kind() tally, summed up in one warning when the feed is done. */
	struct {
		char name[32];
		size_t n;
	} skip_kind[FEED_SKIP_KINDS];
	size_t nb_skip_other;
	/* feed_field_time(): the last texts parsed, as feeds repeat dates line after line. */
	struct {
		char text[40];
		int64_t t;
	} time_cache[2];
	unsigned int time_next;
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
int feed_feodo_csv_parse(struct feed_ctx *fc, const char *data, size_t len);
int feed_feodo_txt_parse(struct feed_ctx *fc, const char *data, size_t len);
int feed_spamhaus_drop_parse(struct feed_ctx *fc, const char *data, size_t len);
int feed_spamhaus_json_parse(struct feed_ctx *fc, const char *data, size_t len);
int feed_misp_parse(struct feed_ctx *fc, const char *data, size_t len);
int feed_misp_feed_parse(struct feed_ctx *fc, const char *data, size_t len);
int feed_stix_parse(struct feed_ctx *fc, const char *data, size_t len);
int feed_zeek_parse(struct feed_ctx *fc, const char *data, size_t len);
int feed_iprep_parse(struct feed_ctx *fc, const char *data, size_t len);
int feed_threatfox_host_parse(struct feed_ctx *fc, const char *data, size_t len);

/* ---- CSV records (feed_csv.c): the one splitter of every comma-separated format ---- */

#define FEED_CSV_FIELDS 32

/** One field of the current record: decoded, NUL-terminated, in the splitter's scratch buffer. */
struct feed_csv_field {
	const char *s;
	size_t line; /**< where the field starts, for messages */
	size_t col;
};

/**
 * RFC 4180 records over a buffer: fields separated by ',', optionally quoted
 * ("" is a quote, newlines inside quotes are data), blanks around fields
 * ignored, records of at most FEED_LINE_MAX bytes. Line numbers stay right
 * across quoted newlines.
 */
struct feed_csv {
	const char *p, *end;
	const char *rec_end;	/* where the current record must end (buffer or line end) */
	const char *lim;	/* rec_end, or earlier when the record would outgrow FEED_LINE_MAX */
	const char *line_start; /* start of the physical line p is on */
	size_t line;		/* 1-based number of that line */
	char *scratch;		/* decoded fields of the current record */
	struct feed_csv_field field[FEED_CSV_FIELDS];
	size_t nb_fields;
	/* Why the last split failed, where, and the line to go on after. */
	const char *err;
	size_t err_line, err_col;
	const char *err_at;
};

/** Start splitting data[0..len) (a UTF-8 BOM is skipped). @return 0 or -ENOMEM. */
int feed_csv_init(struct feed_csv *csv, const char *data, size_t len);

/** Free the scratch buffer. */
void feed_csv_fini(struct feed_csv *csv);

/** If the line at csv->p holds only blanks, step past it and return true. */
bool feed_csv_blank_line(struct feed_csv *csv);

/** Take the rest of the line at csv->p as raw text (a comment) into *line and step past it. */
void feed_csv_raw_line(struct feed_csv *csv, struct feed_line *line);

/**
 * Split the record at csv->p, which may not reach past @p end, into
 * csv->field[] and step past its line end. On error csv->err says why.
 * @return 0 or -EINVAL.
 */
int feed_csv_split(struct feed_csv *csv, const char *end);

/**
 * Split the next record; a malformed one is reported through feed_bad() and
 * parsing resumes at the line after the error.
 * @return 1 when csv->field[] holds a record, else what feed_bad() returned.
 */
int feed_csv_record(struct feed_ctx *fc, struct feed_csv *csv);

/** Physical lines read so far (for feed_stats.nb_lines). */
size_t feed_csv_nb_lines(const struct feed_csv *csv);

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

/**
 * A well-formed record that iocwire cannot represent (a STIX pattern over a
 * file hash, a revoked indicator, ...): count it in nb_skipped and say why as
 * "path:line[:col]: skipped: reason" (the first FEED_ERRORS_MAX per feed).
 * Never fatal, not even in strict mode.
 */
void feed_skip(struct feed_ctx *fc, size_t line, size_t col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/**
 * A well-formed record of a type iocwire cannot match (a file hash, an
 * e-mail address, ...) or that the feed's options leave out (MISP "not
 * to_ids"): count it in nb_skipped under @p kind, without a
 * message per record; one warning per feed sums the kinds up
 * ("skipped 12 records iocwire does not match: md5 10, email-src 2").
 */
void feed_skip_kind(struct feed_ctx *fc, const char *kind);

/**
 * Read a whole file into a malloc'ed, NUL-terminated buffer (pipes too);
 * files over FEED_FILE_MAX and directories are refused.
 * @return 0, or -errno (-EISDIR, -EFBIG, -ENOMEM, ...).
 */
int feed_read_file(const char *path, char **out, size_t *out_len);

/** True when s[0..len) is well-formed UTF-8 (Unicode table 3-7: no overlongs, no surrogates). */
bool feed_utf8_valid(const char *s, size_t len);

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
 * @p ioc (metadata already set) and hand it to the sink. A bad value (invalid
 * UTF-8 included) is reported at line:col through feed_bad(). ioc->proto, when
 * set by the caller, is kept for an ip:port. Metadata strings that are not
 * valid UTF-8 reach the sink with each bad byte replaced by '?'.
 * @return 0, -EINVAL (strict and bad), or the sink's negative return.
 */
int feed_emit_value(struct feed_ctx *fc, size_t line, size_t col, enum iocw_ioc_type want,
		    const char *value, struct ioc *ioc);

#endif
