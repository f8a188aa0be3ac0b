/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * json.h - a small, bounded JSON parser (RFC 8259) building a read-only DOM.
 * All nodes and strings of a document live in one arena freed at once; the
 * children of an array or object are contiguous, so indexed access is O(1).
 * Nesting depth, input size and node count are limited. Strings are decoded
 * to UTF-8 (invalid UTF-8 and unpaired surrogates are rejected).
 * Context: control process only; a document may be read from several threads
 * once parsed, except json_doc_locate() which updates a cache.
 */
#ifndef IOCWIRE_JSON_H
#define IOCWIRE_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JSON_DEFAULT_MAX_DEPTH 64
#define JSON_DEFAULT_MAX_SIZE (1u << 30)   /**< bytes of input */
#define JSON_DEFAULT_MAX_NODES (64u << 20) /**< values in one document */

enum json_type {
	JSON_TYPE_NONE = 0, /**< no node: a missing key or an index out of range */
	JSON_TYPE_NULL,
	JSON_TYPE_BOOL,
	JSON_TYPE_NUMBER,
	JSON_TYPE_STRING,
	JSON_TYPE_ARRAY,
	JSON_TYPE_OBJECT,
};

/** Where and why parsing stopped. */
struct json_error {
	size_t offset;	  /**< byte offset of the error in the input */
	size_t line;	  /**< 1-based */
	size_t column;	  /**< 1-based, in bytes */
	char reason[128]; /**< e.g. "expected ',' or '}' in object" */
};

/** Limits applied while parsing; 0 in a field means its default. */
struct json_limits {
	unsigned int max_depth; /**< arrays and objects nested deeper fail */
	size_t max_size;	/**< longer input fails without being read */
	size_t max_nodes;	/**< documents with more values fail */
};

struct json_doc;
struct json_node;

/**
 * Parse @p len bytes of @p data (need not be NUL-terminated) with the default limits.
 * A leading UTF-8 byte order mark is skipped.
 * @return the document, or NULL with errno set (EINVAL syntax error, EFBIG a
 *         limit exceeded, ENOMEM) and @p err (may be NULL) filled in.
 */
struct json_doc *json_parse(const char *data, size_t len, struct json_error *err);

/** json_parse() with explicit limits (@p limits NULL: defaults). */
struct json_doc *json_parse_limits(const char *data, size_t len, const struct json_limits *limits,
				   struct json_error *err);

/** Free a document and every node and string in it. NULL is a no-op. */
void json_doc_free(struct json_doc *doc);

/** The top-level value. */
const struct json_node *json_root(const struct json_doc *doc);

/** Type of @p node; JSON_TYPE_NONE for NULL, so lookups can be chained. */
enum json_type json_type(const struct json_node *node);

/** "null", "bool", "number", "string", "array", "object" or "none". */
const char *json_type_name(enum json_type type);

/** @return 0 and *out, or -EINVAL when @p node is not a boolean. */
int json_bool(const struct json_node *node, bool *out);

/** @return 0 and *out, or -EINVAL when @p node is not a number. */
int json_number(const struct json_node *node, double *out);

/**
 * Integer value of a number node. @return 0, -EINVAL when not a number,
 * -ERANGE when it has a fraction or does not fit in int64_t.
 */
int json_int64(const struct json_node *node, int64_t *out);

/** Decoded, NUL-terminated UTF-8 text of a string node; NULL for any other node. */
const char *json_string(const struct json_node *node);

/** Length in bytes of a string node (it may contain "\u0000"); 0 for other nodes. */
size_t json_string_len(const struct json_node *node);

/** Number of elements of an array; 0 for other nodes. */
size_t json_array_len(const struct json_node *node);

/** Element @p i of an array, or NULL when out of range or not an array. O(1). */
const struct json_node *json_array_at(const struct json_node *node, size_t i);

/** Number of members of an object; 0 for other nodes. */
size_t json_object_len(const struct json_node *node);

/** Value of member @p i of an object in document order (see json_key()), or NULL. O(1). */
const struct json_node *json_object_at(const struct json_node *node, size_t i);

/** Name of the object member whose value is @p node; NULL when @p node is not a member. */
const char *json_key(const struct json_node *node);

/**
 * Value of the first member named @p key, or NULL when @p node is not an
 * object or has no such member. Linear in the number of members: iterate with
 * json_object_at() over large objects.
 */
const struct json_node *json_object_get(const struct json_node *node, const char *key);

/**
 * Line and column (1-based) where @p node starts in the input. The input
 * passed to json_parse() must still be valid. Amortised O(distance) from the
 * previous call, so walking a document in order costs O(input) in total.
 */
void json_doc_locate(struct json_doc *doc, const struct json_node *node, size_t *line,
		     size_t *column);

/**
 * Length of the well-formed UTF-8 sequence at @p p (Unicode table 3-7: no
 * overlongs, no surrogates, at most U+10FFFF), 0 if ill-formed. Shared with
 * the feed parsers' text checks.
 */
size_t json_utf8_len(const unsigned char *p, const unsigned char *end);

#endif
