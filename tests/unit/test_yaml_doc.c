/* SPDX-License-Identifier: BSD-3-Clause */
/* YAML configuration loader: typed getters and file:line:col errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "contract/yaml_doc.h"

static struct yaml_doc *
parse(const char *text)
{
	char err[512];
	struct yaml_doc *d = yaml_doc_parse("test.yaml", text, strlen(text), err, sizeof(err));

	assert_non_null(d);
	return d;
}

static void
test_getters_and_defaults(void **state)
{
	struct yaml_doc *d = parse("a:\n  n: 42\n  t: 250ms\n  b: yes\n  s: hello\n  e: inline\n  w: 7d\n");
	yaml_node_t *a = yaml_doc_get(d, yaml_doc_root(d), "a");
	static const char *const modes[] = {"passive", "inline", NULL};
	uint64_t n, t;
	bool b;
	char s[16];
	int e;

	(void)state;
	assert_int_equal(yaml_doc_get_u64(d, a, "n", 1, 0, 100, &n), 0);
	assert_int_equal(n, 42);
	assert_int_equal(yaml_doc_get_u64(d, a, "missing", 7, 0, 100, &n), 0);
	assert_int_equal(n, 7);
	assert_int_equal(yaml_doc_get_duration(d, a, "t", 0, &t), 0);
	assert_int_equal(t, 250000000ULL);
	assert_int_equal(yaml_doc_get_duration(d, a, "w", 0, &t), 0);
	assert_int_equal(t, 7 * 86400000000000ULL);
	assert_int_equal(yaml_doc_get_bool(d, a, "b", false, &b), 0);
	assert_true(b);
	assert_int_equal(yaml_doc_get_str(d, a, "s", "", s, sizeof(s)), 0);
	assert_string_equal(s, "hello");
	assert_int_equal(yaml_doc_get_enum(d, a, "e", 0, modes, &e), 0);
	assert_int_equal(e, 1);
	yaml_doc_free(d);
}

static void
test_errors_name_line_and_column(void **state)
{
	struct yaml_doc *d = parse("top:\n  count: lots\n  mode: sideways\n  wait: 5 parsecs\n");
	yaml_node_t *top = yaml_doc_get(d, yaml_doc_root(d), "top");
	static const char *const modes[] = {"passive", "inline", NULL};
	static const char *const keys[] = {"count", "mode", NULL};
	uint64_t n;
	int e;

	(void)state;
	assert_int_equal(yaml_doc_get_u64(d, top, "count", 1, 0, 10, &n), -EINVAL);
	assert_string_equal(d->err, "test.yaml:2:10: key 'count': expected an integer in [0, 10], got 'lots'");
	assert_int_equal(yaml_doc_get_enum(d, top, "mode", 0, modes, &e), -EINVAL);
	assert_string_equal(d->err, "test.yaml:3:9: key 'mode': expected one of passive, inline, got 'sideways'");
	assert_int_equal(yaml_doc_get_duration(d, top, "wait", 0, &n), -EINVAL);
	assert_non_null(strstr(d->err, "test.yaml:4:9:"));
	assert_int_equal(yaml_doc_check_keys(d, top, "top", keys), -EINVAL);
	assert_string_equal(d->err, "test.yaml:4:3: top: unknown key 'wait'");
	assert_int_equal(yaml_doc_get_u64(d, top, "count", 1, 0, 10, &n), -EINVAL);
	yaml_doc_free(d);
}

static void
test_range_and_syntax_errors(void **state)
{
	char err[512];
	struct yaml_doc *d = parse("n: 70000\nneg: -1\n");
	uint64_t n;

	(void)state;
	assert_int_equal(yaml_doc_get_u64(d, yaml_doc_root(d), "n", 1, 0, 65535, &n), -EINVAL);
	assert_int_equal(yaml_doc_get_u64(d, yaml_doc_root(d), "neg", 1, 0, 65535, &n), -EINVAL);
	yaml_doc_free(d);

	assert_null(yaml_doc_parse("bad.yaml", "a: [1, 2\nb: 3\n", 14, err, sizeof(err)));
	assert_non_null(strstr(err, "bad.yaml:"));
	assert_null(yaml_doc_load("/nonexistent/iocwire.yaml", err, sizeof(err)));
	assert_non_null(strstr(err, "No such file"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_getters_and_defaults),
		cmocka_unit_test(test_errors_name_line_and_column),
		cmocka_unit_test(test_range_and_syntax_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
