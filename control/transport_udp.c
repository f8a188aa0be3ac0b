/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "transport_udp.h"

int
transport_udp_open(struct transport_udp *u, const char *host, uint16_t port, char *err,
		   size_t errlen)
{
	int rc;

	memset(u, 0, sizeof(*u));
	u->fd = -1;
	rc = transport_addr_resolve(&u->addr, host, port, SOCK_DGRAM, err, errlen);
	if (rc < 0)
		return rc;
	u->fd = socket(u->addr.sa.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (u->fd < 0 || connect(u->fd, (struct sockaddr *)&u->addr.sa, u->addr.len) != 0) {
		rc = -errno;
		snprintf(err, errlen, "syslog udp %s: %s", u->addr.name, strerror(errno));
		transport_udp_close(u);
		return rc;
	}
	return 0;
}

int
transport_udp_send(struct transport_udp *u, const char *msg, size_t len)
{
	/* Connected socket: an earlier ICMP unreachable shows up here as ECONNREFUSED. */
	if (send(u->fd, msg, len, MSG_DONTWAIT | MSG_NOSIGNAL) != (ssize_t)len) {
		u->nb_lost++;
		return -errno;
	}
	u->nb_sent++;
	return 0;
}

void
transport_udp_close(struct transport_udp *u)
{
	if (u->fd >= 0)
		close(u->fd);
	u->fd = -1;
}
