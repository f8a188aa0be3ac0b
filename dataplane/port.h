/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * port.h - find, check and start the configured ethdev ports: NUMA-local
 * mempool, RX queues (one per worker when the device has them, symmetric RSS
 * when it supports RSS), TX queues in inline mode.
 * Context: main lcore, before the workers start.
 */
#ifndef IOCWIRE_PORT_H
#define IOCWIRE_PORT_H

#include <stddef.h>

/**
 * Resolve dataplane.cfg.ports (or take every probed port), configure and
 * start them, and assign (port, queue) pairs to the workers.
 * @return 0, or -errno with a reason naming the port in @p err.
 */
int port_setup_all(char *err, size_t errlen);

/** Stop and close every port. */
void port_close_all(void);

#endif
