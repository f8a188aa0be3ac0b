/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * eal_args.c - dataplane.lcores from the YAML into EAL's arguments, so a
 * deployment keeps its core layout in iocwire.yaml next to the ports and
 * queues; an explicit core option on the command line wins.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dp_config.h"
#include "eal_args.h"

/* EAL options that choose the lcores (see rte_eal_init: -l, -c COREMASK, --lcores). */
static int
names_cores(const char *arg)
{
	return strncmp(arg, "-l", 2) == 0 || strncmp(arg, "-c", 2) == 0 || strncmp(arg, "--lcores", 8) == 0;
}

/* The application's -c/--config value after "--", or NULL. */
static const char *
config_path(int argc, char **argv, int from)
{
	for (int i = from; i < argc; i++) {
		if ((strcmp(argv[i], "-c") == 0 || strcmp(argv[i], "--config") == 0) && i + 1 < argc)
			return argv[i + 1];
		if (strncmp(argv[i], "--config=", 9) == 0)
			return argv[i] + 9;
		if (strncmp(argv[i], "-c", 2) == 0 && argv[i][2] != '\0')
			return argv[i] + 2;
	}
	return NULL;
}

int
eal_args_complete(int argc, char **argv, char ***out_argv, char *err, size_t errlen)
{
	static struct dp_config cfg;
	static char **completed;
	const char *path;
	char **v;
	int sep = 1;

	*out_argv = argv;
	while (sep < argc && strcmp(argv[sep], "--") != 0)
		sep++;
	for (int i = 1; i < sep; i++)
		if (names_cores(argv[i]))
			return argc;
	path = config_path(argc, argv, sep + 1);
	if (path == NULL)
		return argc;
	dp_config_defaults(&cfg);
	if (dp_config_load(&cfg, path, err, errlen) < 0)
		return -1;
	if (cfg.lcores[0] == '\0')
		return argc;
	/* Kept in a static: EAL holds on to its argv for the whole run. */
	free(completed);
	completed = v = calloc((size_t)argc + 3, sizeof(*v));
	if (v == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	v[0] = argv[0];
	v[1] = (char *)"-l";
	v[2] = cfg.lcores;
	memcpy(v + 3, argv + 1, sizeof(*v) * (size_t)(argc - 1));
	*out_argv = v;
	return argc + 2;
}
