/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * transport_udp.h - syslog over UDP: one message per datagram, sent without
 * blocking. UDP cannot tell a lost datagram; what the kernel refuses (a full
 * socket buffer, an ICMP port-unreachable from a collector that is down) is
 * counted as lost. Context: control process main thread.
 */
#ifndef IOCWIRE_TRANSPORT_UDP_H
#define IOCWIRE_TRANSPORT_UDP_H

#include <stddef.h>
#include <stdint.h>

#include "transport_addr.h"

struct transport_udp {
	int fd;
	struct transport_addr addr;
	uint64_t nb_sent, nb_lost;
};

/** Open a connected, non-blocking UDP socket to @p host:@p port. 0, or -errno with @p err. */
int transport_udp_open(struct transport_udp *u, const char *host, uint16_t port, char *err,
		       size_t errlen);

/** Send one datagram. 0, or -errno (counted in nb_lost). */
int transport_udp_send(struct transport_udp *u, const char *msg, size_t len);

void transport_udp_close(struct transport_udp *u);

#endif
