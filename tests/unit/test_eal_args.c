/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_eal_args.c - dataplane.lcores reaches EAL as "-l LIST" after argv[0];
 * a core option on the command line (-l, -c, --lcores) wins; "auto", no
 * lcores key or no configuration leave the arguments alone; a configuration
 * that does not load stops start-up with its file:line:col.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "eal_args.h"

static char conf_path[64];

static void
write_conf(const char *text)
{
	FILE *f = fopen(conf_path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int
setup(void **state)
{
	int fd;

	(void)state;
	snprintf(conf_path, sizeof(conf_path), "/tmp/test_eal_args.XXXXXX");
	fd = mkstemp(conf_path);
	assert_true(fd >= 0);
	close(fd);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	unlink(conf_path);
	return 0;
}

/* eal_args_complete() on a NULL-terminated list; the result as one space-separated string. */
static int
complete(char *out, size_t len, const char *const *args)
{
	char *argv[16], **res, err[256];
	int argc = 0, n;

	while (args[argc] != NULL) {
		argv[argc] = (char *)args[argc];
		argc++;
	}
	argv[argc] = NULL;
	n = eal_args_complete(argc, argv, &res, err, sizeof(err));
	if (n < 0) {
		snprintf(out, len, "error: %s", err);
		return n;
	}
	out[0] = '\0';
	for (int i = 0; i < n; i++)
		snprintf(out + strlen(out), len - strlen(out), "%s%s", i ? " " : "", res[i]);
	return n;
}

static void
test_lcores_inserted(void **state)
{
	char out[512], cmp[512];

	(void)state;
	write_conf("dataplane:\n  lcores: \"2-5\"\n");
	assert_int_equal(complete(out, sizeof(out), (const char *const[]){"dp", "--no-pci", "--", "-c", conf_path, NULL}), 7);
	snprintf(cmp, sizeof(cmp), "dp -l 2-5 --no-pci -- -c %s", conf_path);
	assert_string_equal(out, cmp);

	/* --config=PATH and -cPATH name the configuration too. */
	snprintf(cmp, sizeof(cmp), "--config=%s", conf_path);
	assert_int_equal(complete(out, sizeof(out), (const char *const[]){"dp", "--", cmp, NULL}), 5);
	assert_true(strncmp(out, "dp -l 2-5 -- --config=", 22) == 0);
	snprintf(cmp, sizeof(cmp), "-c%s", conf_path);
	assert_int_equal(complete(out, sizeof(out), (const char *const[]){"dp", "--", cmp, NULL}), 5);
}

static void
test_command_line_wins(void **state)
{
	static const char *const core_opts[][2] = {{"-l", "0-1"}, {"-c", "0x3"}, {"--lcores", "0@0,1@1"}};
	char out[512], cmp[512];

	(void)state;
	write_conf("dataplane:\n  lcores: \"2-5\"\n");
	for (size_t i = 0; i < sizeof(core_opts) / sizeof(core_opts[0]); i++) {
		assert_int_equal(complete(out, sizeof(out),
					  (const char *const[]){"dp", core_opts[i][0], core_opts[i][1], "--", "-c",
								conf_path, NULL}),
				 6);
		snprintf(cmp, sizeof(cmp), "dp %s %s -- -c %s", core_opts[i][0], core_opts[i][1], conf_path);
		assert_string_equal(out, cmp);
	}
	/* -c after "--" is the application's config, not EAL's core mask. */
	assert_int_equal(complete(out, sizeof(out), (const char *const[]){"dp", "--", "-c", conf_path, NULL}), 6);
}

static void
test_left_alone(void **state)
{
	char out[512];

	(void)state;
	write_conf("dataplane:\n  lcores: auto\n");
	assert_int_equal(complete(out, sizeof(out), (const char *const[]){"dp", "--", "-c", conf_path, NULL}), 4);
	write_conf("dataplane:\n  mode: passive\n");
	assert_int_equal(complete(out, sizeof(out), (const char *const[]){"dp", "--", "-c", conf_path, NULL}), 4);
	assert_int_equal(complete(out, sizeof(out), (const char *const[]){"dp", "--no-pci", NULL}), 2);
	assert_string_equal(out, "dp --no-pci");
}

static void
test_bad_config(void **state)
{
	char out[512], want[128];

	(void)state;
	write_conf("dataplane:\n  lcores: \"1-4;rm\"\n");
	assert_int_equal(complete(out, sizeof(out), (const char *const[]){"dp", "--", "-c", conf_path, NULL}), -1);
	snprintf(want, sizeof(want), "error: %s:2:11: key 'lcores'", conf_path);
	assert_true(strncmp(out, want, strlen(want)) == 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lcores_inserted),
	    cmocka_unit_test(test_command_line_wins),
	    cmocka_unit_test(test_left_alone),
	    cmocka_unit_test(test_bad_config),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
