/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * json.c - recursive-descent JSON parser (RFC 8259) into an arena DOM.
 *
 * Finished values are pushed on one scratch stack; when an array or object
 * closes, its children are copied from the top of that stack into one
 * contiguous arena block. Each node is thus copied once, containers get O(1)
 * indexed access, and a million-element array costs O(n).
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

#define JSON_CHUNK_MIN (64u << 10)
#define JSON_CHUNK_MAX (8u << 20)
#define JSON_STACK_MIN 256
#define JSON_NUMBER_MAX                                                                            \
	512 /* longest number lexeme accepted (RFC 8259 section 9 allows limits)                   \
	     */

struct json_node {
	uint8_t type;
	uint8_t is_int;	  /* number: u.i holds it exactly, else u.d */
	uint32_t offset;  /* where the value starts in the input (max_size <= 4 GiB) */
	uint32_t len;	  /* string bytes, or number of children */
	uint32_t key_len; /* member name length when inside an object */
	const char *key;  /* member name when inside an object, else NULL */
	union {
		int64_t i;
		double d;
		const char *s;
		struct json_node *kids;
	} u;
};

struct json_chunk {
	struct json_chunk *next;
	size_t size;
	size_t used;
	max_align_t data[];
};

struct json_doc {
	struct json_chunk *chunks;
	size_t next_chunk; /* size of the next chunk: grows so that big documents use few */
	struct json_node root;
	const char *data;
	size_t len;
	/* json_doc_locate() cache: offset scanned up to, its line, and that line's start */
	size_t loc_offset, loc_line, loc_line_start;
};

struct json_parser {
	const char *start, *p, *end;
	struct json_doc *doc;
	struct json_node *stack; /* finished children waiting for their container to close */
	size_t nb_stack, max_stack;
	size_t nb_nodes;
	struct json_limits lim;
	struct json_error *err;
	int errnum;
};

/* Bytes that end the fast path of a string scan: quote, backslash, controls, non-ASCII. */
static const uint8_t json_str_special[256] = {
    [0 ... 0x1f] = 1,
    ['"'] = 1,
    ['\\'] = 1,
    [0x80 ... 0xff] = 1,
};

static void *
json_arena_alloc(struct json_doc *doc, size_t size)
{
	struct json_chunk *c = doc->chunks;
	void *p;

	size = (size + 7) & ~(size_t)7;
	if (c == NULL || c->size - c->used < size) {
		size_t csize = doc->next_chunk > size ? doc->next_chunk : size;

		c = malloc(sizeof(*c) + csize);
		if (c == NULL)
			return NULL;
		c->size = csize;
		c->used = 0;
		c->next = doc->chunks;
		doc->chunks = c;
		if (doc->next_chunk < JSON_CHUNK_MAX)
			doc->next_chunk *= 2;
	}
	p = (char *)c->data + c->used;
	c->used += size;
	return p;
}

void
json_doc_free(struct json_doc *doc)
{
	struct json_chunk *c, *next;

	if (doc == NULL)
		return;
	for (c = doc->chunks; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	free(doc);
}

/* Line and column of byte offset pos, counting from (offset, line, line_start). */
static void
json_scan_lines(const char *data, size_t pos, size_t *offset, size_t *line, size_t *line_start)
{
	const char *p = data + *offset, *end = data + pos, *nl;

	while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		(*line)++;
		p = nl + 1;
		*line_start = (size_t)(p - data);
	}
	*offset = pos;
}

static int
json_fail(struct json_parser *jp, const char *at, int errnum, const char *fmt, ...)
{
	size_t offset = 0, line = 1, line_start = 0, pos = (size_t)(at - jp->start);
	va_list ap;

	jp->errnum = errnum;
	if (jp->err == NULL)
		return -1;
	json_scan_lines(jp->start, pos, &offset, &line, &line_start);
	jp->err->offset = pos;
	jp->err->line = line;
	jp->err->column = pos - line_start + 1;
	va_start(ap, fmt);
	vsnprintf(jp->err->reason, sizeof(jp->err->reason), fmt, ap);
	va_end(ap);
	return -1;
}

static int
json_fail_char(struct json_parser *jp, const char *what)
{
	unsigned char c;

	if (jp->p >= jp->end)
		return json_fail(jp, jp->p, EINVAL, "unexpected end of input, expected %s", what);
	c = (unsigned char)*jp->p;
	if (c > 0x20 && c < 0x7f)
		return json_fail(jp, jp->p, EINVAL, "unexpected '%c', expected %s", c, what);
	return json_fail(jp, jp->p, EINVAL, "unexpected byte 0x%02x, expected %s", c, what);
}

static void
json_skip_ws(struct json_parser *jp)
{
	while (jp->p < jp->end &&
	       (*jp->p == ' ' || *jp->p == '\n' || *jp->p == '\r' || *jp->p == '\t'))
		jp->p++;
}

size_t
json_utf8_len(const unsigned char *p, const unsigned char *end)
{
	unsigned char c = p[0], lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return 0;
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f; /* UTF-16 surrogates are not characters */
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if ((size_t)(end - p) < n || p[1] < lo || p[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return n;
}

static size_t
json_utf8_put(uint32_t cp, char *o)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* Four hex digits after "\u" at p; -1 if malformed or past end. */
static int32_t
json_hex4(const char *p, const char *end)
{
	int32_t v = 0;
	int i;

	if (end - p < 6 || p[0] != '\\' || p[1] != 'u')
		return -1;
	for (i = 2; i < 6; i++) {
		char c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

/* "\uXXXX" or a surrogate pair "\uD8xx\uDCxx" at *p (RFC 8259 section 7). */
static int
json_unescape_u(struct json_parser *jp, const char **p, const char *end, char **o)
{
	int32_t hi = json_hex4(*p, end), lo;

	if (hi < 0)
		return json_fail(jp, *p, EINVAL, "invalid \\u escape, expected four hex digits");
	if (hi >= 0xdc00 && hi <= 0xdfff)
		return json_fail(jp, *p, EINVAL, "unpaired low surrogate \\u%04x",
				 (unsigned int)hi);
	if (hi >= 0xd800 && hi <= 0xdbff) {
		lo = json_hex4(*p + 6, end);
		if (lo < 0xdc00 || lo > 0xdfff)
			return json_fail(jp, *p, EINVAL, "unpaired high surrogate \\u%04x",
					 (unsigned int)hi);
		*o += json_utf8_put(
		    0x10000 + (((uint32_t)hi - 0xd800) << 10) + ((uint32_t)lo - 0xdc00), *o);
		*p += 12;
		return 0;
	}
	*o += json_utf8_put((uint32_t)hi, *o);
	*p += 6;
	return 0;
}

/* Slow path: decode escapes and validate UTF-8 of the raw string body [p, end) into o. */
static int
json_unescape(struct json_parser *jp, const char *p, const char *end, char *o, uint32_t *len)
{
	static const char simple[256] = {
	    ['"'] = '"',  ['\\'] = '\\', ['/'] = '/',  ['b'] = '\b',
	    ['f'] = '\f', ['n'] = '\n',	 ['r'] = '\r', ['t'] = '\t',
	};
	char *o0 = o;
	size_t n;

	while (p < end) {
		unsigned char c = (unsigned char)*p;

		if (c == '\\' && p[1] == 'u') {
			if (json_unescape_u(jp, &p, end, &o) < 0)
				return -1;
		} else if (c == '\\') {
			if (simple[(unsigned char)p[1]] == 0)
				return json_fail(jp, p, EINVAL, "invalid escape in string");
			*o++ = simple[(unsigned char)p[1]];
			p += 2;
		} else if (c < 0x80) {
			*o++ = *p++;
		} else {
			n = json_utf8_len((const unsigned char *)p, (const unsigned char *)end);
			if (n == 0)
				return json_fail(jp, p, EINVAL, "invalid UTF-8 in string");
			memcpy(o, p, n);
			o += n;
			p += n;
		}
	}
	*o = '\0';
	*len = (uint32_t)(o - o0);
	return 0;
}

/* String at jp->p (on the opening quote), decoded into the arena. */
static int
json_parse_string(struct json_parser *jp, const char **out, uint32_t *len)
{
	const char *body = jp->p + 1, *q;
	bool plain = true;
	char *buf;

	for (q = body; q < jp->end; q++) {
		unsigned char c = (unsigned char)*q;

		if (!json_str_special[c])
			continue;
		if (c == '"')
			break;
		if (c < 0x20)
			return json_fail(jp, q, EINVAL, "control character 0x%02x in string", c);
		plain = false;
		if (c == '\\' && ++q == jp->end)
			break;
	}
	if (q >= jp->end)
		return json_fail(jp, jp->p, EINVAL, "unterminated string");
	buf = json_arena_alloc(jp->doc, (size_t)(q - body) + 1);
	if (buf == NULL)
		return json_fail(jp, jp->p, ENOMEM, "out of memory");
	if (plain) {
		memcpy(buf, body, (size_t)(q - body));
		buf[q - body] = '\0';
		*len = (uint32_t)(q - body);
	} else if (json_unescape(jp, body, q, buf, len) < 0) {
		return -1;
	}
	*out = buf;
	jp->p = q + 1;
	return 0;
}

static const char *
json_skip_digits(const char *p, const char *end)
{
	while (p < end && *p >= '0' && *p <= '9')
		p++;
	return p;
}

/* Exact int64 from an integer lexeme; false on overflow. */
static bool
json_int_lexeme(const char *s, const char *end, int64_t *out)
{
	bool neg = *s == '-';
	uint64_t v = 0, max = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;

	for (s += neg; s < end; s++) {
		unsigned int d = (unsigned int)(*s - '0');

		if (v > (max - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return true;
}

/* number = [ minus ] int [ frac ] [ exp ] (RFC 8259 section 6). */
static int
json_parse_number(struct json_parser *jp, struct json_node *n)
{
	const char *s = jp->p, *p = s, *end = jp->end, *d;
	char tmp[JSON_NUMBER_MAX + 1];
	bool is_int = true;

	if (*p == '-')
		p++;
	d = p;
	p = json_skip_digits(p, end);
	if (p == d || (*d == '0' && p - d > 1))
		return json_fail(jp, s, EINVAL, "invalid number");
	if (p < end && *p == '.') {
		is_int = false;
		d = ++p;
		if ((p = json_skip_digits(p, end)) == d)
			return json_fail(jp, s, EINVAL,
					 "invalid number: digits expected after '.'");
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		is_int = false;
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		d = p;
		if ((p = json_skip_digits(p, end)) == d)
			return json_fail(jp, s, EINVAL,
					 "invalid number: digits expected in exponent");
	}
	n->type = JSON_TYPE_NUMBER;
	jp->p = p;
	if (is_int && json_int_lexeme(s, p, &n->u.i)) {
		n->is_int = 1;
		return 0;
	}
	if (p - s > JSON_NUMBER_MAX)
		return json_fail(jp, s, EINVAL, "number longer than %d characters",
				 JSON_NUMBER_MAX);
	memcpy(tmp, s, (size_t)(p - s));
	tmp[p - s] = '\0';
	/* strtod() reads the LC_NUMERIC decimal point: the control process stays in the "C"
	 * locale. Underflow to 0 is fine, overflow to infinity is not a JSON number. */
	n->u.d = strtod(tmp, NULL);
	if (isinf(n->u.d))
		return json_fail(jp, s, EINVAL, "number out of range");
	return 0;
}

static int
json_parse_literal(struct json_parser *jp, struct json_node *n)
{
	static const struct {
		const char *text;
		uint8_t type;
		int64_t value;
	} lits[] = {
	    {"true", JSON_TYPE_BOOL, 1}, {"false", JSON_TYPE_BOOL, 0}, {"null", JSON_TYPE_NULL, 0}};
	size_t i, len;

	for (i = 0; i < sizeof(lits) / sizeof(lits[0]); i++) {
		len = strlen(lits[i].text);
		if ((size_t)(jp->end - jp->p) >= len && memcmp(jp->p, lits[i].text, len) == 0) {
			n->type = lits[i].type;
			n->u.i = lits[i].value;
			jp->p += len;
			return 0;
		}
	}
	return json_fail_char(jp, "a value");
}

static int
json_push(struct json_parser *jp, const struct json_node *n)
{
	if (jp->nb_stack == jp->max_stack) {
		size_t max = jp->max_stack ? jp->max_stack * 2 : JSON_STACK_MIN;
		struct json_node *s = realloc(jp->stack, max * sizeof(*s));

		if (s == NULL)
			return json_fail(jp, jp->p, ENOMEM, "out of memory");
		jp->stack = s;
		jp->max_stack = max;
	}
	jp->stack[jp->nb_stack++] = *n;
	return 0;
}

/* Move the children pushed since base into one arena block owned by n. */
static int
json_close(struct json_parser *jp, size_t base, struct json_node *n)
{
	size_t nb = jp->nb_stack - base;

	n->len = (uint32_t)nb;
	if (nb > 0) {
		n->u.kids = json_arena_alloc(jp->doc, nb * sizeof(*n->u.kids));
		if (n->u.kids == NULL)
			return json_fail(jp, jp->p, ENOMEM, "out of memory");
		memcpy(n->u.kids, jp->stack + base, nb * sizeof(*n->u.kids));
	}
	jp->nb_stack = base;
	return 0;
}

static int json_parse_value(struct json_parser *jp, unsigned int depth, struct json_node *n);

/* "key" ':' before an object member's value. */
static int
json_parse_key(struct json_parser *jp, const char **key, uint32_t *key_len)
{
	json_skip_ws(jp);
	if (jp->p >= jp->end || *jp->p != '"')
		return json_fail_char(jp, "a string key");
	if (json_parse_string(jp, key, key_len) < 0)
		return -1;
	json_skip_ws(jp);
	if (jp->p >= jp->end || *jp->p != ':')
		return json_fail_char(jp, "':' after the key");
	jp->p++;
	return 0;
}

static int
json_parse_container(struct json_parser *jp, unsigned int depth, struct json_node *n)
{
	bool object = *jp->p == '{';
	char close = object ? '}' : ']';
	size_t base = jp->nb_stack;
	struct json_node kid;

	if (depth >= jp->lim.max_depth)
		return json_fail(jp, jp->p, EFBIG, "nesting deeper than %u levels",
				 jp->lim.max_depth);
	n->type = object ? JSON_TYPE_OBJECT : JSON_TYPE_ARRAY;
	jp->p++;
	json_skip_ws(jp);
	if (jp->p < jp->end && *jp->p == close) {
		jp->p++;
		return json_close(jp, base, n);
	}
	for (;;) {
		const char *key = NULL;
		uint32_t key_len = 0;

		if (object && json_parse_key(jp, &key, &key_len) < 0)
			return -1;
		if (json_parse_value(jp, depth + 1, &kid) < 0)
			return -1;
		kid.key = key;
		kid.key_len = key_len;
		if (json_push(jp, &kid) < 0)
			return -1;
		json_skip_ws(jp);
		if (jp->p < jp->end && *jp->p == ',') {
			jp->p++;
		} else if (jp->p < jp->end && *jp->p == close) {
			jp->p++;
			return json_close(jp, base, n);
		} else {
			return json_fail_char(jp, object ? "',' or '}' in object"
							 : "',' or ']' in array");
		}
	}
}

static int
json_parse_value(struct json_parser *jp, unsigned int depth, struct json_node *n)
{
	json_skip_ws(jp);
	memset(n, 0, sizeof(*n));
	if (jp->p >= jp->end)
		return json_fail_char(jp, "a value");
	if (++jp->nb_nodes > jp->lim.max_nodes)
		return json_fail(jp, jp->p, EFBIG, "more than %zu values", jp->lim.max_nodes);
	n->offset = (uint32_t)(jp->p - jp->start);
	switch (*jp->p) {
	case '{':
	case '[':
		return json_parse_container(jp, depth, n);
	case '"':
		n->type = JSON_TYPE_STRING;
		return json_parse_string(jp, &n->u.s, &n->len);
	case '-':
	case '0' ... '9':
		return json_parse_number(jp, n);
	default:
		return json_parse_literal(jp, n);
	}
}

static void
json_limits_apply(struct json_limits *lim, const struct json_limits *in)
{
	lim->max_depth = in && in->max_depth ? in->max_depth : JSON_DEFAULT_MAX_DEPTH;
	lim->max_size = in && in->max_size ? in->max_size : JSON_DEFAULT_MAX_SIZE;
	lim->max_nodes = in && in->max_nodes ? in->max_nodes : JSON_DEFAULT_MAX_NODES;
	/* Node offsets and child counts are 32-bit. */
	if (lim->max_size > UINT32_MAX)
		lim->max_size = UINT32_MAX;
}

static int
json_parse_doc(struct json_parser *jp)
{
	if ((size_t)(jp->end - jp->start) > jp->lim.max_size)
		return json_fail(jp, jp->start, EFBIG, "input larger than %zu bytes",
				 jp->lim.max_size);
	if (jp->end - jp->p >= 3 && memcmp(jp->p, "\xef\xbb\xbf", 3) == 0)
		jp->p += 3;
	if (json_parse_value(jp, 0, &jp->doc->root) < 0)
		return -1;
	json_skip_ws(jp);
	if (jp->p < jp->end)
		return json_fail_char(jp, "end of input after the top-level value");
	return 0;
}

struct json_doc *
json_parse_limits(const char *data, size_t len, const struct json_limits *limits,
		  struct json_error *err)
{
	struct json_parser jp;

	memset(&jp, 0, sizeof(jp));
	json_limits_apply(&jp.lim, limits);
	if (data == NULL) { /* pointer arithmetic on NULL is undefined */
		data = "";
		len = 0;
	}
	jp.start = jp.p = data;
	jp.end = data + len;
	jp.err = err;
	if (err != NULL)
		memset(err, 0, sizeof(*err));
	jp.doc = calloc(1, sizeof(*jp.doc));
	if (jp.doc == NULL) {
		json_fail(&jp, data, ENOMEM, "out of memory");
		errno = ENOMEM;
		return NULL;
	}
	jp.doc->next_chunk = JSON_CHUNK_MIN;
	jp.doc->data = data;
	jp.doc->len = len;
	jp.doc->loc_line = 1;
	if (json_parse_doc(&jp) < 0) {
		free(jp.stack);
		json_doc_free(jp.doc);
		errno = jp.errnum;
		return NULL;
	}
	free(jp.stack);
	return jp.doc;
}

struct json_doc *
json_parse(const char *data, size_t len, struct json_error *err)
{
	return json_parse_limits(data, len, NULL, err);
}

const struct json_node *
json_root(const struct json_doc *doc)
{
	return &doc->root;
}

enum json_type
json_type(const struct json_node *node)
{
	return node ? (enum json_type)node->type : JSON_TYPE_NONE;
}

const char *
json_type_name(enum json_type type)
{
	static const char *const names[] = {
	    [JSON_TYPE_NONE] = "none",	   [JSON_TYPE_NULL] = "null",
	    [JSON_TYPE_BOOL] = "bool",	   [JSON_TYPE_NUMBER] = "number",
	    [JSON_TYPE_STRING] = "string", [JSON_TYPE_ARRAY] = "array",
	    [JSON_TYPE_OBJECT] = "object",
	};

	if ((unsigned int)type >= sizeof(names) / sizeof(names[0]))
		return "none";
	return names[type];
}

int
json_bool(const struct json_node *node, bool *out)
{
	if (json_type(node) != JSON_TYPE_BOOL)
		return -EINVAL;
	*out = node->u.i != 0;
	return 0;
}

int
json_number(const struct json_node *node, double *out)
{
	if (json_type(node) != JSON_TYPE_NUMBER)
		return -EINVAL;
	*out = node->is_int ? (double)node->u.i : node->u.d;
	return 0;
}

int
json_int64(const struct json_node *node, int64_t *out)
{
	double d;

	if (json_type(node) != JSON_TYPE_NUMBER)
		return -EINVAL;
	if (node->is_int) {
		*out = node->u.i;
		return 0;
	}
	d = node->u.d;
	/* -2^63 is exact in a double; 2^63 is the first value out of range. */
	if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0) || d != (double)(int64_t)d)
		return -ERANGE;
	*out = (int64_t)d;
	return 0;
}

const char *
json_string(const struct json_node *node)
{
	return json_type(node) == JSON_TYPE_STRING ? node->u.s : NULL;
}

size_t
json_string_len(const struct json_node *node)
{
	return json_type(node) == JSON_TYPE_STRING ? node->len : 0;
}

size_t
json_array_len(const struct json_node *node)
{
	return json_type(node) == JSON_TYPE_ARRAY ? node->len : 0;
}

const struct json_node *
json_array_at(const struct json_node *node, size_t i)
{
	return i < json_array_len(node) ? &node->u.kids[i] : NULL;
}

size_t
json_object_len(const struct json_node *node)
{
	return json_type(node) == JSON_TYPE_OBJECT ? node->len : 0;
}

const struct json_node *
json_object_at(const struct json_node *node, size_t i)
{
	return i < json_object_len(node) ? &node->u.kids[i] : NULL;
}

const char *
json_key(const struct json_node *node)
{
	return node ? node->key : NULL;
}

const struct json_node *
json_object_get(const struct json_node *node, const char *key)
{
	size_t i, n = json_object_len(node), klen = strlen(key);

	for (i = 0; i < n; i++) {
		const struct json_node *m = &node->u.kids[i];

		if (m->key_len == klen && memcmp(m->key, key, klen) == 0)
			return m;
	}
	return NULL;
}

void
json_doc_locate(struct json_doc *doc, const struct json_node *node, size_t *line, size_t *column)
{
	size_t pos = node ? node->offset : 0;

	if (pos > doc->len)
		pos = doc->len;
	if (pos < doc->loc_offset) {
		doc->loc_offset = 0;
		doc->loc_line = 1;
		doc->loc_line_start = 0;
	}
	json_scan_lines(doc->data, pos, &doc->loc_offset, &doc->loc_line, &doc->loc_line_start);
	*line = doc->loc_line;
	*column = pos - doc->loc_line_start + 1;
}
