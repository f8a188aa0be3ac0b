/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * stix_pattern.c - STIX 2.1 patterning (STIX 2.1 part 9, and the OASIS
 * STIXPattern.g4 grammar): tokenizer, recursive-descent parser, and the
 * reduction of each expression to a list of alternatives ("candidates").
 *
 * A comparison expression is brought to disjunctive normal form as it is
 * parsed: OR concatenates the candidate lists of its operands, AND merges
 * every pair (a network-traffic address AND a port make one ip:port). A
 * candidate that cannot be represented carries its reason instead; it
 * absorbs what it is AND-ed with, and sits beside the others under OR, so
 * the representable alternatives of an OR are still matched.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "stix_pattern.h"

/* Longest object path text we compare ("network-traffic:dst_ref.value"); longer ones are
 * unsupported anyway and are shown cut. */
#define SP_PATH_MAX 96
#define SP_REASON_MAX 160
/* Reason texts kept per pattern; later ones share a generic text. */
#define SP_REASONS 64

enum sp_tok {
	SP_T_EOF = 0,
	SP_T_LBRACK,
	SP_T_RBRACK,
	SP_T_LPAREN,
	SP_T_RPAREN,
	SP_T_COMMA,
	SP_T_COLON,
	SP_T_DOT,
	SP_T_STAR,
	SP_T_OP,	/* comparison operator, see enum sp_op */
	SP_T_STRING,	/* 'text' */
	SP_T_INT,	/* 443, -1 */
	SP_T_FLOAT,	/* 1.5 */
	SP_T_TIMESTAMP, /* t'2024-05-01T00:00:00Z' */
	SP_T_HEX,	/* h'ee' */
	SP_T_BINARY,	/* b'AAE=' */
	SP_T_WORD,	/* identifier or keyword */
};

enum sp_op {
	SP_OP_EQ = 0,
	SP_OP_NEQ,
	SP_OP_LT,
	SP_OP_LE,
	SP_OP_GT,
	SP_OP_GE,
	SP_OP_IN,
	SP_OP_LIKE,
	SP_OP_MATCHES,
	SP_OP_ISSUBSET,
	SP_OP_ISSUPERSET,
};

static const char *const sp_op_names[] = {
    [SP_OP_EQ] = "=",
    [SP_OP_NEQ] = "!=",
    [SP_OP_LT] = "<",
    [SP_OP_LE] = "<=",
    [SP_OP_GT] = ">",
    [SP_OP_GE] = ">=",
    [SP_OP_IN] = "IN",
    [SP_OP_LIKE] = "LIKE",
    [SP_OP_MATCHES] = "MATCHES",
    [SP_OP_ISSUBSET] = "ISSUBSET",
    [SP_OP_ISSUPERSET] = "ISSUPERSET",
};

/* What a candidate stands for. */
enum sp_kind {
	SP_K_REASON = 0, /* not representable: reason says why */
	SP_K_ADDR,	 /* ipv4-addr / ipv6-addr value: an address or a prefix */
	SP_K_DOMAIN,
	SP_K_URL,
	SP_K_NET, /* network-traffic: some of address, port, protocol */
};

/* Which end of a network-traffic object a comparison is about. */
enum sp_side { SP_SIDE_NONE = 0, SP_SIDE_DST, SP_SIDE_SRC };

struct sp_cand {
	uint8_t kind;
	uint8_t proto;
	uint8_t vside, pside; /* side of the address and of the port (SP_K_NET) */
	uint16_t port;	      /* 0: none */
	const char *value;    /* NULL: none */
	const char *reason;
	size_t offset;
};

/* A list of alternatives; over STIX_PATTERN_MAX_ITEMS it collapses to one reason. */
struct sp_list {
	struct sp_cand *v;
	size_t n, cap;
};

struct sp_parser {
	const char *s, *p, *end;
	/* current token */
	enum sp_tok tok;
	enum sp_op op;
	const char *tok_start;
	size_t tok_len;
	const char *str; /* SP_T_STRING: unescaped, in the arena */
	long long num;	 /* SP_T_INT */
	/* arena for strings and reasons */
	char *arena;
	size_t arena_len, arena_used;
	size_t nb_reasons;
	struct stix_pattern_error *err;
	bool failed;
	bool nomem;
};

/* ---- errors and arena ---- */

static int
sp_fail(struct sp_parser *pp, const char *at, const char *fmt, ...)
{
	va_list ap;

	if (pp->failed)
		return -EINVAL;
	pp->failed = true;
	pp->err->offset = (size_t)(at - pp->s);
	va_start(ap, fmt);
	vsnprintf(pp->err->reason, sizeof(pp->err->reason), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static char *
sp_alloc(struct sp_parser *pp, size_t n)
{
	char *r;

	if (pp->arena_len - pp->arena_used < n)
		return NULL;
	r = pp->arena + pp->arena_used;
	pp->arena_used += n;
	return r;
}

/* A reason text in the arena; a generic one when the arena is full. */
static const char *
sp_reason(struct sp_parser *pp, const char *fmt, ...)
{
	char buf[SP_REASON_MAX], *r;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return "expression not supported";
	if ((size_t)n >= sizeof(buf))
		n = sizeof(buf) - 1;
	/* The arena keeps SP_REASONS * SP_REASON_MAX bytes for reasons, so that strings
	 * lexed later always fit. */
	if (pp->nb_reasons == SP_REASONS)
		return "expression not supported";
	pp->nb_reasons++;
	r = sp_alloc(pp, (size_t)n + 1);
	if (r == NULL)
		return "expression not supported";
	memcpy(r, buf, (size_t)n + 1);
	return r;
}

/* ---- candidate lists ---- */

static void
sp_list_free(struct sp_list *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static int
sp_list_push(struct sp_parser *pp, struct sp_list *l, const struct sp_cand *c)
{
	struct sp_cand *v;
	size_t cap;

	if (l->n == l->cap) {
		cap = l->cap ? l->cap * 2 : 4;
		if (cap > STIX_PATTERN_MAX_ITEMS)
			cap = STIX_PATTERN_MAX_ITEMS;
		if (l->n == cap)
			return 1; /* the caller collapses the list */
		v = realloc(l->v, cap * sizeof(*v));
		if (v == NULL) {
			pp->nomem = true;
			return -ENOMEM;
		}
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *c;
	return 0;
}

/* Replace the list by one reason. */
static int
sp_list_reason(struct sp_parser *pp, struct sp_list *l, size_t offset, const char *reason)
{
	struct sp_cand c = {.kind = SP_K_REASON, .reason = reason, .offset = offset};

	l->n = 0;
	return sp_list_push(pp, l, &c);
}

static int
sp_list_too_many(struct sp_parser *pp, struct sp_list *l, size_t offset)
{
	return sp_list_reason(
	    pp, l, offset,
	    sp_reason(pp, "pattern expands to more than %d alternatives", STIX_PATTERN_MAX_ITEMS));
}

/* dst = dst OR src. */
static int
sp_list_or(struct sp_parser *pp, struct sp_list *dst, const struct sp_list *src, size_t offset)
{
	size_t i;
	int rc;

	for (i = 0; i < src->n; i++) {
		rc = sp_list_push(pp, dst, &src->v[i]);
		if (rc > 0)
			return sp_list_too_many(pp, dst, offset);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static const char *
sp_kind_name(uint8_t kind)
{
	static const char *const names[] = {"unsupported", "ip address", "domain-name", "url",
					    "network-traffic"};

	return kind < sizeof(names) / sizeof(names[0]) ? names[kind] : "?";
}

/* a AND b for one pair of candidates, into *out. */
static void
sp_cand_and(struct sp_parser *pp, const struct sp_cand *a, const struct sp_cand *b,
	    struct sp_cand *out)
{
	*out = *a;
	if (a->kind == SP_K_REASON)
		return;
	if (b->kind == SP_K_REASON) {
		*out = *b;
		return;
	}
	if (a->kind != b->kind) {
		out->kind = SP_K_REASON;
		out->offset = b->offset;
		out->reason = sp_reason(pp, "AND of %s and %s comparisons", sp_kind_name(a->kind),
					sp_kind_name(b->kind));
		return;
	}
	if (a->kind != SP_K_NET) {
		if (strcmp(a->value, b->value) != 0) {
			out->kind = SP_K_REASON;
			out->offset = b->offset;
			out->reason = sp_reason(pp, "AND of two %s values", sp_kind_name(a->kind));
		}
		return;
	}
	/* Two network-traffic comparisons: fill in what the first lacks. */
	if ((a->value && b->value && (strcmp(a->value, b->value) != 0 || a->vside != b->vside)) ||
	    (a->port && b->port && (a->port != b->port || a->pside != b->pside)) ||
	    (a->proto && b->proto && a->proto != b->proto)) {
		out->kind = SP_K_REASON;
		out->offset = b->offset;
		out->reason = sp_reason(pp, "AND of conflicting network-traffic comparisons");
		return;
	}
	if (out->value == NULL) {
		out->value = b->value;
		out->vside = b->vside;
	}
	if (out->port == 0) {
		out->port = b->port;
		out->pside = b->pside;
	}
	if (out->proto == 0)
		out->proto = b->proto;
}

/* dst = dst AND src (cross product). */
static int
sp_list_and(struct sp_parser *pp, struct sp_list *dst, const struct sp_list *src, size_t offset)
{
	struct sp_list r = {0};
	struct sp_cand c;
	size_t i, k;
	int rc = 0;

	if ((size_t)dst->n * src->n > STIX_PATTERN_MAX_ITEMS)
		return sp_list_too_many(pp, dst, offset);
	for (i = 0; i < dst->n && rc == 0; i++) {
		for (k = 0; k < src->n && rc == 0; k++) {
			sp_cand_and(pp, &dst->v[i], &src->v[k], &c);
			rc = sp_list_push(pp, &r, &c);
		}
	}
	if (rc < 0) {
		sp_list_free(&r);
		return rc;
	}
	sp_list_free(dst);
	*dst = r;
	return 0;
}

/* ---- tokenizer ---- */

static bool
sp_is_ident_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool
sp_is_ident(char c)
{
	return sp_is_ident_start(c) || (c >= '0' && c <= '9') || c == '-';
}

static bool
sp_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Blanks, and the grammar's comments: block and line. */
static int
sp_skip_blank(struct sp_parser *pp)
{
	const char *p = pp->p, *e;

	for (;;) {
		while (p < pp->end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n' ||
				       *p == '\f' || *p == '\v'))
			p++;
		if (pp->end - p >= 2 && p[0] == '/' && p[1] == '*') {
			e = memmem(p + 2, (size_t)(pp->end - p - 2), "*/", 2);
			if (e == NULL)
				return sp_fail(pp, p, "unterminated comment");
			p = e + 2;
		} else if (pp->end - p >= 2 && p[0] == '/' && p[1] == '/') {
			e = memchr(p, '\n', (size_t)(pp->end - p));
			p = e ? e : pp->end;
		} else {
			break;
		}
	}
	pp->p = p;
	return 0;
}

/* 'text' with \' and \\ escapes, unescaped into the arena; p is at the opening quote. */
static int
sp_lex_string(struct sp_parser *pp, const char *p)
{
	const char *q = p + 1;
	char *o, *out;

	out = o = sp_alloc(pp, (size_t)(pp->end - q) + 1);
	if (out == NULL) {
		pp->nomem = true;
		return -ENOMEM;
	}
	for (;;) {
		if (q >= pp->end)
			return sp_fail(pp, p, "unterminated string literal");
		if (*q == '\'')
			break;
		if (*q == '\\') {
			if (q + 1 >= pp->end || (q[1] != '\'' && q[1] != '\\'))
				return sp_fail(pp, q,
					       "invalid escape in string literal (only \\' "
					       "and \\\\)");
			q++;
		}
		*o++ = *q++;
	}
	*o++ = '\0';
	/* Give back what the string did not use. */
	pp->arena_used -= (size_t)(pp->end - p - 1) + 1 - (size_t)(o - out);
	pp->str = out;
	pp->p = q + 1;
	return 0;
}

static int
sp_lex_number(struct sp_parser *pp, const char *p)
{
	const char *q = p;
	long long v = 0;
	bool neg = false;

	if (*q == '+' || *q == '-')
		neg = *q++ == '-';
	if (q >= pp->end || !(sp_is_digit(*q) || *q == '.'))
		return sp_fail(pp, p, "unexpected character '%c'", *p);
	for (; q < pp->end && sp_is_digit(*q); q++)
		v = v < 1000000000000LL ? v * 10 + (*q - '0') : v;
	if (q < pp->end && *q == '.') {
		if (q + 1 >= pp->end || !sp_is_digit(q[1]))
			return sp_fail(pp, q, "expected digits after '.' in a number");
		for (q++; q < pp->end && sp_is_digit(*q); q++)
			;
		pp->tok = SP_T_FLOAT;
	} else {
		pp->tok = SP_T_INT;
		pp->num = neg ? -v : v;
	}
	pp->p = q;
	return 0;
}

/* t'...', h'...', b'...': checked for form only, their values are never needed. */
static int
sp_lex_prefixed(struct sp_parser *pp, const char *p)
{
	const char *q = memchr(p + 2, '\'', (size_t)(pp->end - p - 2));

	if (q == NULL)
		return sp_fail(pp, p, "unterminated %c'...' literal", *p);
	pp->tok = *p == 't' ? SP_T_TIMESTAMP : *p == 'h' ? SP_T_HEX : SP_T_BINARY;
	pp->p = q + 1;
	return 0;
}

static bool
sp_word_is(const struct sp_parser *pp, const char *kw)
{
	size_t n = strlen(kw);

	return pp->tok == SP_T_WORD && pp->tok_len == n && memcmp(pp->tok_start, kw, n) == 0;
}

/* Keyword operators become SP_T_OP. */
static void
sp_lex_word_op(struct sp_parser *pp)
{
	static const struct {
		const char *kw;
		enum sp_op op;
	} ops[] = {
	    {"IN", SP_OP_IN},
	    {"LIKE", SP_OP_LIKE},
	    {"MATCHES", SP_OP_MATCHES},
	    {"ISSUBSET", SP_OP_ISSUBSET},
	    {"ISSUPERSET", SP_OP_ISSUPERSET},
	};
	size_t i;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		if (sp_word_is(pp, ops[i].kw)) {
			pp->tok = SP_T_OP;
			pp->op = ops[i].op;
			return;
		}
	}
}

static int
sp_next(struct sp_parser *pp)
{
	const char *p;
	char c;

	if (sp_skip_blank(pp) < 0)
		return -EINVAL;
	p = pp->tok_start = pp->p;
	if (p >= pp->end) {
		pp->tok = SP_T_EOF;
		pp->tok_len = 0;
		return 0;
	}
	c = *p;
	pp->p = p + 1;
	switch (c) {
	case '[':
		pp->tok = SP_T_LBRACK;
		break;
	case ']':
		pp->tok = SP_T_RBRACK;
		break;
	case '(':
		pp->tok = SP_T_LPAREN;
		break;
	case ')':
		pp->tok = SP_T_RPAREN;
		break;
	case ',':
		pp->tok = SP_T_COMMA;
		break;
	case ':':
		pp->tok = SP_T_COLON;
		break;
	case '.':
		if (p + 1 < pp->end && sp_is_digit(p[1])) {
			if (sp_lex_number(pp, p) < 0)
				return -EINVAL;
			break;
		}
		pp->tok = SP_T_DOT;
		break;
	case '*':
		pp->tok = SP_T_STAR;
		break;
	case '\'':
		pp->tok = SP_T_STRING;
		if (sp_lex_string(pp, p) < 0)
			return pp->nomem ? -ENOMEM : -EINVAL;
		break;
	case '=':
		pp->tok = SP_T_OP;
		pp->op = SP_OP_EQ;
		if (pp->p < pp->end && *pp->p == '=')
			pp->p++;
		break;
	case '!':
		if (pp->p >= pp->end || *pp->p != '=')
			return sp_fail(pp, p, "expected '!='");
		pp->tok = SP_T_OP;
		pp->op = SP_OP_NEQ;
		pp->p++;
		break;
	case '<':
	case '>':
		pp->tok = SP_T_OP;
		if (c == '<' && pp->p < pp->end && *pp->p == '>') {
			pp->op = SP_OP_NEQ;
			pp->p++;
		} else if (pp->p < pp->end && *pp->p == '=') {
			pp->op = c == '<' ? SP_OP_LE : SP_OP_GE;
			pp->p++;
		} else {
			pp->op = c == '<' ? SP_OP_LT : SP_OP_GT;
		}
		break;
	default:
		if ((c == 't' || c == 'h' || c == 'b') && pp->p < pp->end && *pp->p == '\'') {
			if (sp_lex_prefixed(pp, p) < 0)
				return -EINVAL;
		} else if (sp_is_ident_start(c)) {
			while (pp->p < pp->end && sp_is_ident(*pp->p))
				pp->p++;
			pp->tok = SP_T_WORD;
			pp->tok_len = (size_t)(pp->p - p);
			sp_lex_word_op(pp);
		} else if (c == '-' || c == '+' || sp_is_digit(c)) {
			if (sp_lex_number(pp, p) < 0)
				return -EINVAL;
		} else if ((unsigned char)c < 0x20 || (unsigned char)c >= 0x7f) {
			return sp_fail(pp, p, "unexpected byte 0x%02x", (unsigned char)c);
		} else {
			return sp_fail(pp, p, "unexpected character '%c'", c);
		}
	}
	pp->tok_len = (size_t)(pp->p - p);
	return 0;
}

static int
sp_expect(struct sp_parser *pp, enum sp_tok tok, const char *what)
{
	if (pp->tok != tok)
		return sp_fail(pp, pp->tok_start, "expected %s", what);
	return sp_next(pp);
}

/* ---- comparisons ---- */

/* An object path: "type:first(.step|[index])*", written into path for comparison. */
static int
sp_object_path(struct sp_parser *pp, char *type, size_t type_len, char *path, size_t path_len)
{
	size_t o = 0, n;
	const char *t;

	if (pp->tok != SP_T_WORD)
		return sp_fail(pp, pp->tok_start, "expected an object path (type:property)");
	n = pp->tok_len < type_len - 1 ? pp->tok_len : type_len - 1;
	memcpy(type, pp->tok_start, n);
	type[n] = '\0';
	if (sp_next(pp) < 0 || sp_expect(pp, SP_T_COLON, "':' after the object type") < 0)
		return -EINVAL;
	for (;;) {
		if (pp->tok == SP_T_WORD || pp->tok == SP_T_STRING) {
			t = pp->tok_start;
			n = pp->tok_len;
		} else {
			return sp_fail(pp, pp->tok_start, "expected a property name");
		}
		if (o + n < path_len - 1) {
			memcpy(path + o, t, n);
			o += n;
		}
		if (sp_next(pp) < 0)
			return -EINVAL;
		/* Index steps: [0], [*]. */
		while (pp->tok == SP_T_LBRACK) {
			if (sp_next(pp) < 0)
				return -EINVAL;
			if (pp->tok != SP_T_STAR && !(pp->tok == SP_T_INT && pp->num >= 0))
				return sp_fail(pp, pp->tok_start, "expected an index or '*'");
			if (o + pp->tok_len + 2 < path_len - 1) {
				path[o++] = '[';
				memcpy(path + o, pp->tok_start, pp->tok_len);
				o += pp->tok_len;
				path[o++] = ']';
			}
			if (sp_next(pp) < 0 || sp_expect(pp, SP_T_RBRACK, "']'") < 0)
				return -EINVAL;
		}
		if (pp->tok != SP_T_DOT)
			break;
		if (o + 1 < path_len - 1)
			path[o++] = '.';
		if (sp_next(pp) < 0)
			return -EINVAL;
	}
	path[o] = '\0';
	return 0;
}

/* One literal of a comparison; strings and integers are kept in *lit. */
struct sp_literal {
	enum sp_tok tok;
	const char *str;
	long long num;
	size_t offset;
};

static int
sp_literal(struct sp_parser *pp, struct sp_literal *lit)
{
	switch (pp->tok) {
	case SP_T_STRING:
	case SP_T_INT:
	case SP_T_FLOAT:
	case SP_T_TIMESTAMP:
	case SP_T_HEX:
	case SP_T_BINARY:
		break;
	case SP_T_WORD:
		if (sp_word_is(pp, "true") || sp_word_is(pp, "false"))
			break;
		/* fall through */
	default:
		return sp_fail(pp, pp->tok_start, "expected a literal value");
	}
	lit->tok = pp->tok;
	lit->str = pp->str;
	lit->num = pp->num;
	lit->offset = (size_t)(pp->tok_start - pp->s);
	return sp_next(pp);
}

/* The literals of a comparison: one, or an IN set "(a, b, ...)". */
struct sp_literals {
	struct sp_literal *v;
	size_t n;
};

static int
sp_literals(struct sp_parser *pp, bool set, struct sp_literals *ls)
{
	struct sp_literal *v;
	size_t cap = 0;

	ls->v = NULL;
	ls->n = 0;
	if (set && sp_expect(pp, SP_T_LPAREN, "'(' to open the IN set") < 0)
		return -EINVAL;
	for (;;) {
		if (ls->n == cap) {
			cap = cap ? cap * 2 : 4;
			v = realloc(ls->v, cap * sizeof(*v));
			if (v == NULL) {
				pp->nomem = true;
				return -ENOMEM;
			}
			ls->v = v;
		}
		if (sp_literal(pp, &ls->v[ls->n]) < 0)
			return -EINVAL;
		ls->n++;
		if (!set)
			return 0;
		if (pp->tok == SP_T_RPAREN)
			return sp_next(pp);
		if (sp_expect(pp, SP_T_COMMA, "',' or ')' in the IN set") < 0)
			return -EINVAL;
	}
}

/* What a "type:path" comparison means to iocwire. */
struct sp_target {
	enum sp_kind kind;
	enum {
		SP_F_VALUE = 0, /* the string is the indicator (or a network-traffic address) */
		SP_F_PORT,	/* network-traffic port */
		SP_F_PROTO,	/* network-traffic protocol name */
		SP_F_IGNORE,	/* a constraint iocwire does not need (dst_ref.type) */
	} field;
	enum sp_side side;
};

static bool
sp_target(const char *type, const char *path, struct sp_target *t)
{
	static const struct {
		const char *type, *path;
		struct sp_target t;
	} targets[] = {
	    {"ipv4-addr", "value", {SP_K_ADDR, SP_F_VALUE, SP_SIDE_NONE}},
	    {"ipv6-addr", "value", {SP_K_ADDR, SP_F_VALUE, SP_SIDE_NONE}},
	    {"domain-name", "value", {SP_K_DOMAIN, SP_F_VALUE, SP_SIDE_NONE}},
	    {"url", "value", {SP_K_URL, SP_F_VALUE, SP_SIDE_NONE}},
	    {"network-traffic", "dst_ref.value", {SP_K_NET, SP_F_VALUE, SP_SIDE_DST}},
	    {"network-traffic", "src_ref.value", {SP_K_NET, SP_F_VALUE, SP_SIDE_SRC}},
	    {"network-traffic", "dst_port", {SP_K_NET, SP_F_PORT, SP_SIDE_DST}},
	    {"network-traffic", "src_port", {SP_K_NET, SP_F_PORT, SP_SIDE_SRC}},
	    {"network-traffic", "protocols[*]", {SP_K_NET, SP_F_PROTO, SP_SIDE_NONE}},
	    {"network-traffic", "protocols[0]", {SP_K_NET, SP_F_PROTO, SP_SIDE_NONE}},
	    {"network-traffic", "dst_ref.type", {SP_K_NET, SP_F_IGNORE, SP_SIDE_DST}},
	    {"network-traffic", "src_ref.type", {SP_K_NET, SP_F_IGNORE, SP_SIDE_SRC}},
	};
	size_t i;

	for (i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
		if (strcmp(type, targets[i].type) == 0 && strcmp(path, targets[i].path) == 0) {
			*t = targets[i].t;
			return true;
		}
	}
	return false;
}

/* Protocol names of network-traffic:protocols (IANA service names, lower case). */
static int
sp_proto(const char *name, uint8_t *proto)
{
	static const char *const ignored[] = {"ipv4", "ipv6", "ip",   "http", "https", "ssl",
					      "tls",  "dns",  "smtp", "ftp",  "ssh",   "quic"};
	size_t i;

	*proto = 0;
	if (strcasecmp(name, "tcp") == 0)
		*proto = IPPROTO_TCP;
	else if (strcasecmp(name, "udp") == 0)
		*proto = IPPROTO_UDP;
	else if (strcasecmp(name, "sctp") == 0)
		*proto = IPPROTO_SCTP;
	if (*proto != 0)
		return 0;
	/* Layers that carry ports anyway: no constraint iocwire has to keep. */
	for (i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++)
		if (strcasecmp(name, ignored[i]) == 0)
			return 0;
	return -1;
}

/* One literal of a supported comparison as a candidate. */
static void
sp_comparison_cand(struct sp_parser *pp, const struct sp_target *t, const char *what,
		   const struct sp_literal *lit, struct sp_cand *c)
{
	memset(c, 0, sizeof(*c));
	c->kind = (uint8_t)t->kind;
	c->offset = lit->offset;
	switch (t->field) {
	case SP_F_VALUE:
		if (lit->tok != SP_T_STRING || lit->str[0] == '\0')
			break;
		c->value = lit->str;
		c->vside = (uint8_t)t->side;
		return;
	case SP_F_PORT:
		if (lit->tok != SP_T_INT || lit->num < 1 || lit->num > 65535)
			break;
		c->port = (uint16_t)lit->num;
		c->pside = (uint8_t)t->side;
		return;
	case SP_F_PROTO:
		if (lit->tok != SP_T_STRING)
			break;
		if (sp_proto(lit->str, &c->proto) < 0) {
			c->kind = SP_K_REASON;
			c->reason =
			    sp_reason(pp, "protocol '%.32s' has no ports to match", lit->str);
		}
		return;
	case SP_F_IGNORE:
		return;
	}
	c->kind = SP_K_REASON;
	c->reason = sp_reason(pp, "%s needs %s", what,
			      t->field == SP_F_PORT    ? "an integer port 1-65535"
			      : t->field == SP_F_PROTO ? "a protocol name"
						       : "a non-empty string");
}

/* path op literal(s), or NOT / EXISTS forms: the candidates of one comparison. */
static int
sp_comparison(struct sp_parser *pp, struct sp_list *out)
{
	char type[64], path[SP_PATH_MAX], what[sizeof(type) + sizeof(path) + 2];
	size_t offset = (size_t)(pp->tok_start - pp->s), i;
	struct sp_literals ls = {0};
	struct sp_target t;
	struct sp_cand c;
	bool exists = false, negated = false;
	enum sp_op op;
	int rc;

	if (sp_word_is(pp, "EXISTS")) {
		exists = true;
		if (sp_next(pp) < 0)
			return -EINVAL;
	}
	if (sp_object_path(pp, type, sizeof(type), path, sizeof(path)) < 0)
		return -EINVAL;
	snprintf(what, sizeof(what), "%s:%s", type, path);
	if (exists)
		return sp_list_reason(pp, out, offset,
				      sp_reason(pp, "EXISTS %s is not supported", what));
	if (sp_word_is(pp, "NOT")) {
		negated = true;
		if (sp_next(pp) < 0)
			return -EINVAL;
	}
	if (pp->tok != SP_T_OP)
		return sp_fail(pp, pp->tok_start, "expected a comparison operator after %s", what);
	op = pp->op;
	if (sp_next(pp) < 0)
		return -EINVAL;
	rc = sp_literals(pp, op == SP_OP_IN, &ls);
	if (rc < 0)
		goto out;
	if (negated) {
		rc = sp_list_reason(pp, out, offset,
				    sp_reason(pp, "NOT %s is not supported", sp_op_names[op]));
		goto out;
	}
	if (!sp_target(type, path, &t)) {
		rc =
		    sp_list_reason(pp, out, offset,
				   sp_reason(pp, "%s is not an indicator iocwire can match", what));
		goto out;
	}
	if (op != SP_OP_EQ && op != SP_OP_IN &&
	    !(op == SP_OP_ISSUBSET && t.kind != SP_K_DOMAIN && t.kind != SP_K_URL &&
	      t.field == SP_F_VALUE)) {
		rc = sp_list_reason(
		    pp, out, offset,
		    sp_reason(pp, "operator %s on %s is not supported", sp_op_names[op], what));
		goto out;
	}
	out->n = 0;
	for (i = 0; i < ls.n; i++) {
		sp_comparison_cand(pp, &t, what, &ls.v[i], &c);
		rc = sp_list_push(pp, out, &c);
		if (rc > 0) {
			rc = sp_list_too_many(pp, out, offset);
			break;
		}
		if (rc < 0)
			break;
	}
out:
	free(ls.v);
	return rc < 0 ? rc : 0;
}

static int sp_comparison_or(struct sp_parser *pp, unsigned int depth, struct sp_list *out);

/* '(' comparison_or ')' or a comparison. */
static int
sp_comparison_primary(struct sp_parser *pp, unsigned int depth, struct sp_list *out)
{
	if (pp->tok != SP_T_LPAREN)
		return sp_comparison(pp, out);
	if (depth >= STIX_PATTERN_MAX_DEPTH)
		return sp_fail(pp, pp->tok_start, "nesting deeper than %d levels",
			       STIX_PATTERN_MAX_DEPTH);
	if (sp_next(pp) < 0 || sp_comparison_or(pp, depth + 1, out) < 0)
		return -EINVAL;
	return sp_expect(pp, SP_T_RPAREN, "')'");
}

typedef int (*sp_operand_fn)(struct sp_parser *pp, unsigned int depth, struct sp_list *out);
typedef int (*sp_combine_fn)(struct sp_parser *pp, struct sp_list *dst, const struct sp_list *src,
			     size_t offset);

/* operand (KEYWORD operand)*, left-associative: each right operand is combined into @p out. */
static int
sp_left_assoc(struct sp_parser *pp, unsigned int depth, struct sp_list *out, const char *keyword,
	      sp_operand_fn operand, sp_combine_fn combine)
{
	struct sp_list rhs = {0};
	size_t offset;
	int rc;

	if (operand(pp, depth, out) < 0)
		return pp->nomem ? -ENOMEM : -EINVAL;
	while (sp_word_is(pp, keyword)) {
		offset = (size_t)(pp->tok_start - pp->s);
		if (sp_next(pp) < 0 || operand(pp, depth, &rhs) < 0) {
			sp_list_free(&rhs);
			return pp->nomem ? -ENOMEM : -EINVAL;
		}
		rc = combine(pp, out, &rhs, offset);
		sp_list_free(&rhs);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int
sp_comparison_and(struct sp_parser *pp, unsigned int depth, struct sp_list *out)
{
	return sp_left_assoc(pp, depth, out, "AND", sp_comparison_primary, sp_list_and);
}

static int
sp_comparison_or(struct sp_parser *pp, unsigned int depth, struct sp_list *out)
{
	return sp_left_assoc(pp, depth, out, "OR", sp_comparison_and, sp_list_or);
}

/* ---- observation expressions ---- */

static int sp_observation_followed(struct sp_parser *pp, unsigned int depth, struct sp_list *out);

/* A network-traffic candidate once its observation expression is closed. */
static void
sp_cand_finish(struct sp_parser *pp, struct sp_cand *c)
{
	const char *why = NULL;

	if (c->kind != SP_K_NET)
		return;
	if (c->value == NULL)
		why = c->port ? "network-traffic port without an address"
			      : "network-traffic comparison without an address";
	else if (c->port && c->vside != c->pside)
		why = "network-traffic address and port on different ends (dst_ref and src_port)";
	else if (c->port && strchr(c->value, '/') != NULL)
		why = "network-traffic prefix with a port";
	if (why != NULL) {
		c->kind = SP_K_REASON;
		c->reason = why;
	}
	(void)pp;
}

/* '[' comparison_or ']' or '(' observation_followed ')'. */
static int
sp_observation_primary(struct sp_parser *pp, unsigned int depth, struct sp_list *out)
{
	size_t i;

	if (depth >= STIX_PATTERN_MAX_DEPTH)
		return sp_fail(pp, pp->tok_start, "nesting deeper than %d levels",
			       STIX_PATTERN_MAX_DEPTH);
	if (pp->tok == SP_T_LBRACK) {
		if (sp_next(pp) < 0 || sp_comparison_or(pp, depth + 1, out) < 0)
			return pp->nomem ? -ENOMEM : -EINVAL;
		for (i = 0; i < out->n; i++)
			sp_cand_finish(pp, &out->v[i]);
		return sp_expect(pp, SP_T_RBRACK, "']' to close the observation expression");
	}
	if (pp->tok == SP_T_LPAREN) {
		if (sp_next(pp) < 0 || sp_observation_followed(pp, depth + 1, out) < 0)
			return pp->nomem ? -ENOMEM : -EINVAL;
		return sp_expect(pp, SP_T_RPAREN, "')'");
	}
	return sp_fail(pp, pp->tok_start, "expected '[' or '(' to start an observation expression");
}

/* WITHIN n SECONDS, REPEATS n TIMES, START t'..' STOP t'..'; p is at the keyword. */
static int
sp_qualifier(struct sp_parser *pp)
{
	if (sp_word_is(pp, "WITHIN")) {
		if (sp_next(pp) < 0)
			return -EINVAL;
		if (pp->tok != SP_T_INT && pp->tok != SP_T_FLOAT)
			return sp_fail(pp, pp->tok_start, "expected a number after WITHIN");
		if (sp_next(pp) < 0)
			return -EINVAL;
		if (!sp_word_is(pp, "SECONDS"))
			return sp_fail(pp, pp->tok_start, "expected SECONDS");
		return sp_next(pp);
	}
	if (sp_word_is(pp, "REPEATS")) {
		if (sp_next(pp) < 0)
			return -EINVAL;
		if (pp->tok != SP_T_INT)
			return sp_fail(pp, pp->tok_start, "expected an integer after REPEATS");
		if (sp_next(pp) < 0)
			return -EINVAL;
		if (!sp_word_is(pp, "TIMES"))
			return sp_fail(pp, pp->tok_start, "expected TIMES");
		return sp_next(pp);
	}
	/* START t'...' STOP t'...' */
	if (sp_next(pp) < 0)
		return -EINVAL;
	if (pp->tok != SP_T_TIMESTAMP)
		return sp_fail(pp, pp->tok_start, "expected t'...' after START");
	if (sp_next(pp) < 0)
		return -EINVAL;
	if (!sp_word_is(pp, "STOP"))
		return sp_fail(pp, pp->tok_start, "expected STOP");
	if (sp_next(pp) < 0)
		return -EINVAL;
	if (pp->tok != SP_T_TIMESTAMP)
		return sp_fail(pp, pp->tok_start, "expected t'...' after STOP");
	return sp_next(pp);
}

static int
sp_observation_qualified(struct sp_parser *pp, unsigned int depth, struct sp_list *out)
{
	size_t offset = (size_t)(pp->tok_start - pp->s);
	const char *first = NULL;
	char kw[16];
	size_t n;

	if (sp_observation_primary(pp, depth, out) < 0)
		return pp->nomem ? -ENOMEM : -EINVAL;
	while (sp_word_is(pp, "WITHIN") || sp_word_is(pp, "REPEATS") || sp_word_is(pp, "START")) {
		if (first == NULL) {
			n = pp->tok_len < sizeof(kw) ? pp->tok_len : sizeof(kw) - 1;
			memcpy(kw, pp->tok_start, n);
			kw[n] = '\0';
			first = kw;
		}
		if (sp_qualifier(pp) < 0)
			return -EINVAL;
	}
	if (first != NULL)
		return sp_list_reason(pp, out, offset,
				      sp_reason(pp, "qualifier %s is not supported", first));
	return 0;
}

/* a AND b, a FOLLOWEDBY b: both must be observed, which no single indicator expresses. */
static int
sp_observation_joined(struct sp_parser *pp, unsigned int depth, struct sp_list *out, const char *kw,
		      sp_operand_fn operand)
{
	size_t offset = (size_t)(pp->tok_start - pp->s);
	struct sp_list rhs = {0};
	bool joined = false;
	int rc;

	if (operand(pp, depth, out) < 0)
		return pp->nomem ? -ENOMEM : -EINVAL;
	while (sp_word_is(pp, kw)) {
		joined = true;
		rc = sp_next(pp);
		if (rc == 0)
			rc = operand(pp, depth, &rhs);
		sp_list_free(&rhs);
		if (rc < 0)
			return pp->nomem ? -ENOMEM : -EINVAL;
	}
	if (joined)
		return sp_list_reason(
		    pp, out, offset,
		    sp_reason(pp, "observation expressions joined by %s are not supported", kw));
	return 0;
}

static int
sp_observation_and(struct sp_parser *pp, unsigned int depth, struct sp_list *out)
{
	return sp_observation_joined(pp, depth, out, "AND", sp_observation_qualified);
}

static int
sp_observation_or(struct sp_parser *pp, unsigned int depth, struct sp_list *out)
{
	return sp_left_assoc(pp, depth, out, "OR", sp_observation_and, sp_list_or);
}

static int
sp_observation_followed(struct sp_parser *pp, unsigned int depth, struct sp_list *out)
{
	return sp_observation_joined(pp, depth, out, "FOLLOWEDBY", sp_observation_or);
}

/* ---- entry points ---- */

static const struct {
	enum sp_kind kind;
	enum iocw_ioc_type type;
} sp_kind_types[] = {
    {SP_K_ADDR, IOCW_IOC_IP},
    {SP_K_DOMAIN, IOCW_IOC_DOMAIN},
    {SP_K_URL, IOCW_IOC_URL},
};

static void
sp_item(const struct sp_cand *c, struct stix_pattern_item *it)
{
	size_t i;

	memset(it, 0, sizeof(*it));
	it->offset = c->offset;
	it->value = c->value;
	it->type = IOCW_IOC_TYPE_COUNT;
	it->reason = c->reason;
	if (c->kind == SP_K_NET) {
		it->type = c->port ? IOCW_IOC_IP_PORT : IOCW_IOC_IP;
		it->port = c->port;
		it->proto = c->port ? c->proto : 0;
		return;
	}
	for (i = 0; i < sizeof(sp_kind_types) / sizeof(sp_kind_types[0]); i++)
		if (sp_kind_types[i].kind == c->kind)
			it->type = sp_kind_types[i].type;
}

int
stix_pattern_parse(const char *text, size_t len, struct stix_pattern *out,
		   struct stix_pattern_error *err)
{
	struct stix_pattern_error local;
	struct sp_list list = {0};
	struct sp_parser pp;
	size_t i;
	int rc;

	memset(out, 0, sizeof(*out));
	err = err ? err : &local;
	memset(err, 0, sizeof(*err));
	memset(&pp, 0, sizeof(pp));
	pp.s = pp.p = text ? text : "";
	pp.end = pp.s + (text ? len : 0);
	pp.err = err;
	if (len > STIX_PATTERN_MAX_LEN)
		return sp_fail(&pp, pp.s, "pattern longer than %u bytes", STIX_PATTERN_MAX_LEN);
	/* Unescaped strings never outgrow the pattern; reasons take the rest. */
	pp.arena_len = len + 1 + SP_REASONS * SP_REASON_MAX;
	pp.arena = malloc(pp.arena_len);
	if (pp.arena == NULL)
		return -ENOMEM;
	rc = sp_next(&pp);
	if (rc == 0)
		rc = sp_observation_followed(&pp, 0, &list);
	if (rc == 0 && pp.tok != SP_T_EOF)
		rc = sp_fail(&pp, pp.tok_start,
			     "expected the end of the pattern, an OR, AND or "
			     "FOLLOWEDBY");
	if (rc == 0 && list.n == 0)
		rc = sp_fail(&pp, pp.s, "empty pattern");
	if (pp.nomem)
		rc = -ENOMEM;
	if (rc < 0)
		goto out_free;
	out->items = calloc(list.n, sizeof(*out->items));
	if (out->items == NULL) {
		rc = -ENOMEM;
		goto out_free;
	}
	for (i = 0; i < list.n; i++) {
		sp_item(&list.v[i], &out->items[i]);
		out->nb_iocs += out->items[i].type != IOCW_IOC_TYPE_COUNT;
	}
	out->nb_items = list.n;
	out->arena = pp.arena;
	sp_list_free(&list);
	return 0;
out_free:
	sp_list_free(&list);
	free(pp.arena);
	return rc == -ENOMEM ? -ENOMEM : -EINVAL;
}

void
stix_pattern_free(struct stix_pattern *p)
{
	free(p->items);
	free(p->arena);
	memset(p, 0, sizeof(*p));
}
