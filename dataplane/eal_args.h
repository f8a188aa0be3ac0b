/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * eal_args.h - the EAL command line completed from the configuration:
 * dataplane.lcores becomes "-l LIST" unless the command line already names
 * the cores (-l, -c, --lcores). Runs before rte_eal_init(), no DPDK calls.
 */
#ifndef IOCWIRE_EAL_ARGS_H
#define IOCWIRE_EAL_ARGS_H

#include <stddef.h>

/**
 * @param argc, argv  the process's arguments: EAL options, "--", application options
 * @param out_argv    argv itself, or an array owned by this module (valid until the next
 *                    call) with "-l LIST" inserted after argv[0]
 * @return the argument count of *out_argv, or -1 with @p err set (the configuration
 *         does not load: file:line:col and reason)
 */
int eal_args_complete(int argc, char **argv, char ***out_argv, char *err, size_t errlen);

#endif
