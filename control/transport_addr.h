/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * transport_addr.h - resolve a collector's host and port once, at start-up
 * (getaddrinfo may block on DNS: never called from the event loop).
 * Context: control process start-up.
 */
#ifndef IOCWIRE_TRANSPORT_ADDR_H
#define IOCWIRE_TRANSPORT_ADDR_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

struct transport_addr {
	struct sockaddr_storage sa;
	socklen_t len;
	char name[300]; /**< "host:port" for messages */
};

/** Resolve @p host (name or address) and @p port for @p socktype. 0, or -EINVAL with @p err. */
int transport_addr_resolve(struct transport_addr *a, const char *host, uint16_t port, int socktype,
			   char *err, size_t errlen);

#endif
