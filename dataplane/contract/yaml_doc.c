/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contract/yaml_doc.h"

static struct yaml_doc *
load(struct yaml_doc *d, yaml_parser_t *parser, char *err, size_t errlen)
{
	if (!yaml_parser_load(parser, &d->doc)) {
		snprintf(err, errlen, "%s:%zu:%zu: %s%s%s", d->path, parser->problem_mark.line + 1,
			 parser->problem_mark.column + 1, parser->problem ? parser->problem : "parse error",
			 parser->context ? " " : "", parser->context ? parser->context : "");
		yaml_parser_delete(parser);
		free(d);
		return NULL;
	}
	yaml_parser_delete(parser);
	return d;
}

struct yaml_doc *
yaml_doc_parse(const char *name, const char *data, size_t len, char *err, size_t errlen)
{
	struct yaml_doc *d = calloc(1, sizeof(*d));
	yaml_parser_t parser;

	if (d == NULL) {
		snprintf(err, errlen, "%s: out of memory", name);
		return NULL;
	}
	snprintf(d->path, sizeof(d->path), "%s", name);
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	return load(d, &parser, err, errlen);
}

struct yaml_doc *
yaml_doc_load(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	struct yaml_doc *d;
	yaml_parser_t parser;

	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	d = calloc(1, sizeof(*d));
	if (d == NULL) {
		fclose(f);
		snprintf(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	snprintf(d->path, sizeof(d->path), "%s", path);
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_file(&parser, f);
	d = load(d, &parser, err, errlen);
	fclose(f);
	return d;
}

void
yaml_doc_free(struct yaml_doc *d)
{
	if (d == NULL)
		return;
	yaml_document_delete(&d->doc);
	free(d);
}

yaml_node_t *
yaml_doc_root(struct yaml_doc *d)
{
	return yaml_document_get_root_node(&d->doc);
}

int
yaml_doc_error(struct yaml_doc *d, yaml_node_t *node, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (node != NULL)
		snprintf(d->err, sizeof(d->err), "%s:%zu:%zu: %s", d->path, node->start_mark.line + 1,
			 node->start_mark.column + 1, msg);
	else
		snprintf(d->err, sizeof(d->err), "%s: %s", d->path, msg);
	return -EINVAL;
}

const char *
yaml_doc_scalar(yaml_node_t *node)
{
	return node != NULL && node->type == YAML_SCALAR_NODE ? (const char *)node->data.scalar.value : NULL;
}

static yaml_node_t *
get_pair(struct yaml_doc *d, yaml_node_t *map, const char *key, yaml_node_t **key_node)
{
	if (map == NULL || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(&d->doc, p->key);
		const char *s = yaml_doc_scalar(k);

		if (s != NULL && strcmp(s, key) == 0) {
			if (key_node)
				*key_node = k;
			return yaml_document_get_node(&d->doc, p->value);
		}
	}
	return NULL;
}

yaml_node_t *
yaml_doc_get(struct yaml_doc *d, yaml_node_t *map, const char *key)
{
	return get_pair(d, map, key, NULL);
}

size_t
yaml_doc_seq_len(yaml_node_t *seq)
{
	if (seq == NULL || seq->type != YAML_SEQUENCE_NODE)
		return 0;
	return (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
}

yaml_node_t *
yaml_doc_seq_at(struct yaml_doc *d, yaml_node_t *seq, size_t i)
{
	if (i >= yaml_doc_seq_len(seq))
		return NULL;
	return yaml_document_get_node(&d->doc, seq->data.sequence.items.start[i]);
}

int
yaml_doc_check_keys(struct yaml_doc *d, yaml_node_t *map, const char *what, const char *const allowed[])
{
	if (map == NULL)
		return 0;
	if (map->type != YAML_MAPPING_NODE)
		return yaml_doc_error(d, map, "%s: expected a mapping of keys", what);
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(&d->doc, p->key);
		const char *s = yaml_doc_scalar(k);
		size_t i;

		for (i = 0; s != NULL && allowed[i] != NULL; i++)
			if (strcmp(s, allowed[i]) == 0)
				break;
		if (s == NULL || allowed[i] == NULL)
			return yaml_doc_error(d, k, "%s: unknown key '%s'", what, s ? s : "(non-scalar)");
	}
	return 0;
}

/* Scalar value of @p key, or an error when the key holds a mapping/sequence. */
static int
scalar_of(struct yaml_doc *d, yaml_node_t *map, const char *key, yaml_node_t **node, const char **s)
{
	*node = yaml_doc_get(d, map, key);
	*s = NULL;
	if (*node == NULL)
		return 0;
	*s = yaml_doc_scalar(*node);
	if (*s == NULL)
		return yaml_doc_error(d, *node, "key '%s': expected a single value", key);
	return 0;
}

int
yaml_doc_get_u64(struct yaml_doc *d, yaml_node_t *map, const char *key, uint64_t def, uint64_t min,
		 uint64_t max, uint64_t *out)
{
	yaml_node_t *node;
	const char *s;
	char *end;
	unsigned long long v;

	if (scalar_of(d, map, key, &node, &s) < 0)
		return -EINVAL;
	if (s == NULL) {
		*out = def;
		return 0;
	}
	errno = 0;
	v = strtoull(s, &end, 0);
	if (s[0] == '\0' || s[0] == '-' || *end != '\0' || errno != 0 || v < min || v > max)
		return yaml_doc_error(d, node, "key '%s': expected an integer in [%" PRIu64 ", %" PRIu64
					       "], got '%s'", key, min, max, s);
	*out = v;
	return 0;
}

int
yaml_doc_get_enum(struct yaml_doc *d, yaml_node_t *map, const char *key, int def,
		  const char *const choices[], int *out)
{
	yaml_node_t *node;
	const char *s;
	char expected[256] = "";
	size_t used = 0;

	if (scalar_of(d, map, key, &node, &s) < 0)
		return -EINVAL;
	if (s == NULL) {
		*out = def;
		return 0;
	}
	for (int i = 0; choices[i] != NULL; i++) {
		if (strcmp(s, choices[i]) == 0) {
			*out = i;
			return 0;
		}
		used += (size_t)snprintf(expected + used, sizeof(expected) - used, "%s%s", i ? ", " : "",
					 choices[i]);
		if (used >= sizeof(expected))
			used = sizeof(expected) - 1;
	}
	return yaml_doc_error(d, node, "key '%s': expected one of %s, got '%s'", key, expected, s);
}

int
yaml_doc_get_bool(struct yaml_doc *d, yaml_node_t *map, const char *key, bool def, bool *out)
{
	static const char *const choices[] = {"false", "true", "no", "yes", "off", "on", NULL};
	int idx;

	if (yaml_doc_get_enum(d, map, key, def ? 1 : 0, choices, &idx) < 0)
		return -EINVAL;
	*out = idx % 2 == 1;
	return 0;
}

int
yaml_doc_get_str(struct yaml_doc *d, yaml_node_t *map, const char *key, const char *def, char *out,
		 size_t outlen)
{
	yaml_node_t *node;
	const char *s;

	if (scalar_of(d, map, key, &node, &s) < 0)
		return -EINVAL;
	if (s == NULL)
		s = def ? def : "";
	if (strlen(s) >= outlen)
		return yaml_doc_error(d, node, "key '%s': value longer than %zu characters", key,
				      outlen - 1);
	memcpy(out, s, strlen(s) + 1);
	return 0;
}

int
yaml_doc_get_duration(struct yaml_doc *d, yaml_node_t *map, const char *key, uint64_t def_ns,
		      uint64_t *out_ns)
{
	static const struct {
		const char *suffix;
		uint64_t ns;
	} units[] = {{"ms", 1000000ULL}, {"s", 1000000000ULL}, {"m", 60000000000ULL},
		     {"h", 3600000000000ULL}, {"d", 86400000000000ULL}, {"", 1000000000ULL}};
	yaml_node_t *node;
	const char *s;
	char *end;
	unsigned long long v;

	if (scalar_of(d, map, key, &node, &s) < 0)
		return -EINVAL;
	if (s == NULL) {
		*out_ns = def_ns;
		return 0;
	}
	errno = 0;
	v = strtoull(s, &end, 10);
	if (end != s && errno == 0 && s[0] != '-') {
		for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
			if (strcmp(end, units[i].suffix) == 0 && v <= UINT64_MAX / units[i].ns) {
				*out_ns = v * units[i].ns;
				return 0;
			}
		}
	}
	return yaml_doc_error(d, node, "key '%s': expected a duration such as 250ms, 30s, 5m, 2h or 7d, got '%s'",
			      key, s);
}
