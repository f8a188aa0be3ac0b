/* SPDX-License-Identifier: BSD-3-Clause */
/* test_json.c - the bounded JSON parser: values, escapes, limits, error positions, speed. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "json.h"

static struct json_doc *
parse_ok(const char *text)
{
	struct json_error err;
	struct json_doc *doc = json_parse(text, strlen(text), &err);

	if (doc == NULL)
		fail_msg("%s: %zu:%zu: %s", text, err.line, err.column, err.reason);
	return doc;
}

/* Parse must fail at line:col with a reason containing want. */
static void
parse_bad(const char *text, size_t len, size_t line, size_t col, const char *want)
{
	struct json_error err;
	struct json_doc *doc = json_parse(text, len, &err);

	if (doc != NULL) {
		json_doc_free(doc);
		fail_msg("accepted: %.*s", (int)len, text);
	}
	if (strstr(err.reason, want) == NULL || err.line != line || err.column != col)
		fail_msg("%.*s: got %zu:%zu: %s, want %zu:%zu: %s", (int)len, text, err.line,
			 err.column, err.reason, line, col, want);
}

static void
test_values(void **state)
{
	struct json_doc *doc =
	    parse_ok("{\"s\": \"text\", \"i\": -42, \"d\": 1.5e3, \"t\": true,"
		     " \"f\": false, \"n\": null, \"a\": [1, [2], {}], \"o\": {\"k\": []}}");
	const struct json_node *root = json_root(doc), *a;
	int64_t i;
	double d;
	bool b;

	(void)state;
	assert_int_equal(json_type(root), JSON_TYPE_OBJECT);
	assert_int_equal(json_object_len(root), 8);
	assert_string_equal(json_string(json_object_get(root, "s")), "text");
	assert_int_equal(json_string_len(json_object_get(root, "s")), 4);
	assert_int_equal(json_int64(json_object_get(root, "i"), &i), 0);
	assert_int_equal(i, -42);
	assert_int_equal(json_number(json_object_get(root, "d"), &d), 0);
	assert_true(d == 1500.0);
	assert_int_equal(json_int64(json_object_get(root, "d"), &i), 0);
	assert_int_equal(i, 1500);
	assert_int_equal(json_bool(json_object_get(root, "t"), &b), 0);
	assert_true(b);
	assert_int_equal(json_bool(json_object_get(root, "f"), &b), 0);
	assert_false(b);
	assert_int_equal(json_type(json_object_get(root, "n")), JSON_TYPE_NULL);
	a = json_object_get(root, "a");
	assert_int_equal(json_array_len(a), 3);
	assert_int_equal(json_type(json_array_at(a, 1)), JSON_TYPE_ARRAY);
	assert_int_equal(json_type(json_array_at(a, 2)), JSON_TYPE_OBJECT);
	assert_null(json_array_at(a, 3));
	assert_int_equal(json_array_len(json_object_get(json_object_get(root, "o"), "k")), 0);
	/* Wrong types and missing nodes answer "none", so lookups chain. */
	assert_null(json_object_get(root, "missing"));
	assert_int_equal(json_type(json_object_get(json_object_get(root, "missing"), "x")),
			 JSON_TYPE_NONE);
	assert_null(json_string(json_object_get(root, "i")));
	assert_int_equal(json_number(json_object_get(root, "s"), &d), -EINVAL);
	assert_int_equal(json_bool(NULL, &b), -EINVAL);
	assert_int_equal(json_array_len(root), 0);
	assert_int_equal(json_object_len(a), 0);
	assert_string_equal(json_type_name(JSON_TYPE_OBJECT), "object");
	assert_string_equal(json_type_name((enum json_type)99), "none");
	json_doc_free(doc);
	json_doc_free(NULL);
}

static void
test_iteration(void **state)
{
	struct json_doc *doc = parse_ok("{\"b\": 1, \"a\": 2, \"b\": 3}");
	const struct json_node *root = json_root(doc), *m;
	const char *keys[3];
	size_t i;
	int64_t v;

	(void)state;
	for (i = 0; (m = json_object_at(root, i)) != NULL; i++)
		keys[i] = json_key(m);
	assert_int_equal(i, 3);
	assert_string_equal(keys[0], "b");
	assert_string_equal(keys[1], "a");
	assert_string_equal(keys[2], "b");
	/* Duplicate names: the first one wins. */
	assert_int_equal(json_int64(json_object_get(root, "b"), &v), 0);
	assert_int_equal(v, 1);
	assert_null(json_key(root));
	json_doc_free(doc);
}

static void
test_strings(void **state)
{
	struct json_doc *doc =
	    parse_ok("[\"q\\\"b\\\\s\\/\\b\\f\\n\\r\\t\", \"\\u00e9t\\u00C9\","
		     " \"\\ud83d\\ude00\", \"a\\u0000b\", \"\\u20ac\", \"caf\xc3\xa9\","
		     " \"\xf0\x9f\x98\x80\", \"\"]");
	const struct json_node *a = json_root(doc);

	(void)state;
	assert_string_equal(json_string(json_array_at(a, 0)), "q\"b\\s/\b\f\n\r\t");
	assert_string_equal(json_string(json_array_at(a, 1)), "\xc3\xa9t\xc3\x89");
	assert_string_equal(json_string(json_array_at(a, 2)), "\xf0\x9f\x98\x80");
	assert_int_equal(json_string_len(json_array_at(a, 3)), 3);
	assert_memory_equal(json_string(json_array_at(a, 3)), "a\0b", 4);
	assert_string_equal(json_string(json_array_at(a, 4)), "\xe2\x82\xac");
	assert_string_equal(json_string(json_array_at(a, 5)), "caf\xc3\xa9");
	assert_string_equal(json_string(json_array_at(a, 6)), "\xf0\x9f\x98\x80");
	assert_string_equal(json_string(json_array_at(a, 7)), "");
	json_doc_free(doc);
}

static void
test_string_errors(void **state)
{
	(void)state;
	parse_bad("[\"\\x\"]", 6, 1, 3, "invalid escape");
	parse_bad("[\"\\u12\"]", 8, 1, 3, "invalid \\u escape");
	parse_bad("[\"\\u12G4\"]", 10, 1, 3, "invalid \\u escape");
	parse_bad("[\"\\ud83d\"]", 10, 1, 3, "unpaired high surrogate");
	parse_bad("[\"\\ud83d\\u0041\"]", 16, 1, 3, "unpaired high surrogate");
	parse_bad("[\"\\ude00\"]", 10, 1, 3, "unpaired low surrogate");
	parse_bad("[\"a\tb\"]", 7, 1, 4, "control character 0x09");
	parse_bad("[\"a\nb\"]", 7, 1, 4, "control character 0x0a");
	parse_bad("[\"\xff\"]", 5, 1, 3, "invalid UTF-8");
	parse_bad("[\"\xc0\xaf\"]", 6, 1, 3, "invalid UTF-8");	       /* overlong '/' */
	parse_bad("[\"\xed\xa0\x80\"]", 7, 1, 3, "invalid UTF-8");     /* encoded surrogate */
	parse_bad("[\"\xf4\x90\x80\x80\"]", 8, 1, 3, "invalid UTF-8"); /* above U+10FFFF */
	parse_bad("[\"\xe2\x82\"]", 6, 1, 3, "invalid UTF-8");	       /* cut sequence */
	parse_bad("[\"abc", 5, 1, 2, "unterminated string");
	parse_bad("[\"abc\\", 6, 1, 2, "unterminated string");
	parse_bad("{\"a\\", 4, 1, 2, "unterminated string");
	parse_bad("{1: 2}", 6, 1, 2, "expected a string key");
}

static void
test_numbers(void **state)
{
	struct json_doc *doc;
	const struct json_node *a;
	int64_t i;
	double d;

	(void)state;
	parse_bad("[1e400]", 7, 1, 2, "number out of range");
	parse_bad("[-1e400000000000000000]", 23, 1, 2, "number out of range");
	doc = parse_ok("[0, -0, 9223372036854775807, -9223372036854775808, 9223372036854775808,"
		       " 1.5, -2.5e-3, 1E2, 1e-400]");
	a = json_root(doc);
	assert_int_equal(json_int64(json_array_at(a, 0), &i), 0);
	assert_int_equal(i, 0);
	assert_int_equal(json_int64(json_array_at(a, 2), &i), 0);
	assert_true(i == INT64_MAX);
	assert_int_equal(json_int64(json_array_at(a, 3), &i), 0);
	assert_true(i == INT64_MIN);
	assert_int_equal(json_int64(json_array_at(a, 4), &i), -ERANGE);
	assert_int_equal(json_number(json_array_at(a, 4), &d), 0);
	assert_true(d == 9223372036854775808.0);
	assert_int_equal(json_int64(json_array_at(a, 5), &i), -ERANGE);
	assert_int_equal(json_number(json_array_at(a, 6), &d), 0);
	assert_true(d == -2.5e-3);
	assert_int_equal(json_int64(json_array_at(a, 7), &i), 0);
	assert_int_equal(i, 100);
	assert_int_equal(json_number(json_array_at(a, 8), &d), 0);
	assert_true(d == 0.0);
	json_doc_free(doc);
}

static void
test_number_errors(void **state)
{
	(void)state;
	parse_bad("[01]", 4, 1, 2, "invalid number");
	parse_bad("[-]", 3, 1, 2, "invalid number");
	parse_bad("[1.]", 4, 1, 2, "digits expected after '.'");
	parse_bad("[.5]", 4, 1, 2, "unexpected '.'");
	parse_bad("[1e]", 4, 1, 2, "digits expected in exponent");
	parse_bad("[1e+]", 5, 1, 2, "digits expected in exponent");
	parse_bad("[+1]", 4, 1, 2, "unexpected '+'");
	parse_bad("[1x]", 4, 1, 3, "expected ',' or ']' in array");
	parse_bad("[NaN]", 5, 1, 2, "unexpected 'N'");
	parse_bad("[tru]", 5, 1, 2, "unexpected 't'");
}

static void
test_syntax_errors(void **state)
{
	static const char truncated[] = "{\n  \"a\": [1,\n  2";

	(void)state;
	parse_bad(truncated, sizeof(truncated) - 1, 3, 4, "unexpected end of input");
	parse_bad("{\n\"a\" 1}", 8, 2, 5, "expected ':' after the key");
	parse_bad("{\"a\": 1,}", 9, 1, 9, "expected a string key");
	parse_bad("[1,]", 4, 1, 4, "expected a value");
	parse_bad("[1 2]", 5, 1, 4, "expected ',' or ']' in array");
	parse_bad("{\"a\": 1 \"b\": 2}", 15, 1, 9, "expected ',' or '}' in object");
	parse_bad("{} x", 4, 1, 4, "expected end of input after the top-level value");
	parse_bad("", 0, 1, 1, "unexpected end of input, expected a value");
	parse_bad("   \n ", 5, 2, 2, "unexpected end of input");
	parse_bad("[\x01]", 3, 1, 2, "unexpected byte 0x01");
	parse_bad("\xef\xbb", 2, 1, 1, "unexpected byte 0xef");
}

static void
test_bom_and_length(void **state)
{
	static const char buf[] = "[1,2]garbage";
	struct json_doc *doc;

	(void)state;
	doc = json_parse("\xef\xbb\xbf{}", 5, NULL);
	assert_non_null(doc);
	json_doc_free(doc);
	/* Only len bytes are read: the input need not be NUL-terminated. */
	doc = json_parse(buf, 5, NULL);
	assert_non_null(doc);
	assert_int_equal(json_array_len(json_root(doc)), 2);
	json_doc_free(doc);
	doc = json_parse(buf, 4, NULL);
	assert_null(doc);
	assert_int_equal(errno, EINVAL);
	assert_null(json_parse(NULL, 0, NULL));
}

static char *
nested(unsigned int depth)
{
	char *s = malloc(2 * depth + 1);
	unsigned int i;

	for (i = 0; i < depth; i++) {
		s[i] = '[';
		s[depth + i] = ']';
	}
	s[2 * depth] = '\0';
	return s;
}

static void
test_limits(void **state)
{
	struct json_limits lim = {.max_depth = 3, .max_nodes = 4, .max_size = 64};
	struct json_doc *doc;
	struct json_error err;
	char *s;

	(void)state;
	s = nested(JSON_DEFAULT_MAX_DEPTH);
	doc = json_parse(s, strlen(s), &err);
	assert_non_null(doc);
	json_doc_free(doc);
	free(s);
	s = nested(JSON_DEFAULT_MAX_DEPTH + 1);
	assert_null(json_parse(s, strlen(s), &err));
	assert_int_equal(errno, EFBIG);
	assert_string_equal(err.reason, "nesting deeper than 64 levels");
	assert_int_equal(err.column, JSON_DEFAULT_MAX_DEPTH + 1);
	free(s);
	/* Deep nesting far beyond the limit fails fast, without deep recursion. */
	s = nested(1000000);
	assert_null(json_parse(s, strlen(s), &err));
	free(s);

	doc = json_parse_limits("[[[1]]]", 7, &lim, &err);
	assert_non_null(doc);
	json_doc_free(doc);
	assert_null(json_parse_limits("[[[[1]]]]", 9, &lim, &err));
	assert_string_equal(err.reason, "nesting deeper than 3 levels");
	assert_null(json_parse_limits("[1,2,3,4]", 9, &lim, &err));
	assert_int_equal(errno, EFBIG);
	assert_string_equal(err.reason, "more than 4 values");
	assert_null(json_parse_limits(
	    "[1,2,3,4]                                                         ", 66, &lim, &err));
	assert_string_equal(err.reason, "input larger than 64 bytes");
}

static void
test_locate(void **state)
{
	static const char text[] = "{\n  \"a\": [\n    {\"x\": 1},\n    {\"y\": 2}\n  ]\n}";
	struct json_doc *doc = json_parse(text, sizeof(text) - 1, NULL);
	const struct json_node *a = json_object_get(json_root(doc), "a");
	size_t line, col;

	(void)state;
	json_doc_locate(doc, json_array_at(a, 1), &line, &col);
	assert_int_equal(line, 4);
	assert_int_equal(col, 5);
	/* Going backwards restarts the scan. */
	json_doc_locate(doc, json_array_at(a, 0), &line, &col);
	assert_int_equal(line, 3);
	assert_int_equal(col, 5);
	json_doc_locate(doc, a, &line, &col);
	assert_int_equal(line, 2);
	assert_int_equal(col, 8);
	json_doc_locate(doc, json_root(doc), &line, &col);
	assert_int_equal(line, 1);
	assert_int_equal(col, 1);
	json_doc_free(doc);
}

static double
elapsed(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* A million-element array parses in linear time; indexed access is O(1). */
static void
test_big_array(void **state)
{
	const size_t n = 1000000;
	char *buf = malloc(n * 24 + 16), *p = buf;
	struct json_doc *doc;
	struct timespec t0;
	int64_t v;
	size_t i;
	double s;

	(void)state;
	*p++ = '[';
	for (i = 0; i < n; i++)
		p += sprintf(p, "%s{\"id\":%zu,\"s\":\"x\"}", i ? "," : "", i);
	*p++ = ']';
	clock_gettime(CLOCK_MONOTONIC, &t0);
	doc = json_parse(buf, (size_t)(p - buf), NULL);
	s = elapsed(&t0);
	assert_non_null(doc);
	assert_int_equal(json_array_len(json_root(doc)), n);
	for (i = 0; i < n; i += 1000) {
		assert_int_equal(
		    json_int64(json_object_get(json_array_at(json_root(doc), i), "id"), &v), 0);
		assert_int_equal(v, (int64_t)i);
	}
	print_message("1M objects (%zu bytes) parsed in %.3f s\n", (size_t)(p - buf), s);
	/* Generous: catches quadratic behaviour even under sanitizers. */
	assert_true(s < 10.0);
	json_doc_free(doc);
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_values),	  cmocka_unit_test(test_iteration),
	    cmocka_unit_test(test_strings),	  cmocka_unit_test(test_string_errors),
	    cmocka_unit_test(test_numbers),	  cmocka_unit_test(test_number_errors),
	    cmocka_unit_test(test_syntax_errors), cmocka_unit_test(test_bom_and_length),
	    cmocka_unit_test(test_limits),	  cmocka_unit_test(test_locate),
	    cmocka_unit_test(test_big_array),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
