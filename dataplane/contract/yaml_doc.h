/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * yaml_doc.h - the configuration file as a libyaml document, with typed,
 * range-checked getters whose errors say "file:line:col: key: what was
 * expected, what was found". Both processes read conf/iocwire.yaml through it.
 * Context: start-up and reload paths only (allocates).
 */
#ifndef IOCWIRE_YAML_DOC_H
#define IOCWIRE_YAML_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <yaml.h>

struct yaml_doc {
	char path[256];
	yaml_document_t doc;
	char err[768]; /**< first error message */
};

/** Load @p path; NULL on failure with the reason (file:line:col) in @p err. */
struct yaml_doc *yaml_doc_load(const char *path, char *err, size_t errlen);

/** Parse YAML held in memory (@p name used in messages). */
struct yaml_doc *yaml_doc_parse(const char *name, const char *data, size_t len, char *err,
				size_t errlen);

void yaml_doc_free(struct yaml_doc *d);

/** Root node (a mapping for a valid config), or NULL for an empty file. */
yaml_node_t *yaml_doc_root(struct yaml_doc *d);

/** Value node of @p key in mapping @p map, or NULL (also when @p map is not a mapping). */
yaml_node_t *yaml_doc_get(struct yaml_doc *d, yaml_node_t *map, const char *key);

/** Items of a sequence node: count, and node at @p i. */
size_t yaml_doc_seq_len(yaml_node_t *seq);
yaml_node_t *yaml_doc_seq_at(struct yaml_doc *d, yaml_node_t *seq, size_t i);

/** Scalar text of a node, NULL when it is not a scalar. */
const char *yaml_doc_scalar(yaml_node_t *node);

/**
 * Fail (return -EINVAL, message in d->err) when @p map has a key not in the
 * NULL-terminated list @p allowed, or when @p map is not a mapping.
 */
int yaml_doc_check_keys(struct yaml_doc *d, yaml_node_t *map, const char *what,
			const char *const allowed[]);

/*
 * Typed getters: when @p key is absent the default is stored and 0 returned;
 * a present value of the wrong type or out of range gives -EINVAL with
 * d->err = "file:line:col: key 'k': expected ..., got '...'".
 */
int yaml_doc_get_u64(struct yaml_doc *d, yaml_node_t *map, const char *key, uint64_t def,
		     uint64_t min, uint64_t max, uint64_t *out);
int yaml_doc_get_bool(struct yaml_doc *d, yaml_node_t *map, const char *key, bool def, bool *out);
int yaml_doc_get_str(struct yaml_doc *d, yaml_node_t *map, const char *key, const char *def,
		     char *out, size_t outlen);
/** One of @p choices (NULL-terminated); stores its index. */
int yaml_doc_get_enum(struct yaml_doc *d, yaml_node_t *map, const char *key, int def,
		      const char *const choices[], int *out);
/** Duration such as "250ms", "30s", "5m", "2h", "7d" or a number of seconds; stored in ns. */
int yaml_doc_get_duration(struct yaml_doc *d, yaml_node_t *map, const char *key, uint64_t def_ns,
			  uint64_t *out_ns);

/** Record an error about @p node (printf-style); returns -EINVAL. */
int yaml_doc_error(struct yaml_doc *d, yaml_node_t *node, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
