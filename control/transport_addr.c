/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>

#include "transport_addr.h"

int
transport_addr_resolve(struct transport_addr *a, const char *host, uint16_t port, int socktype,
		       char *err, size_t errlen)
{
	struct addrinfo hints = {.ai_socktype = socktype};
	struct addrinfo *res;
	char service[8];
	int rc;

	snprintf(service, sizeof(service), "%u", port);
	snprintf(a->name, sizeof(a->name), strchr(host, ':') ? "[%s]:%u" : "%s:%u", host, port);
	rc = getaddrinfo(host, service, &hints, &res);
	if (rc != 0) {
		snprintf(err, errlen, "collector %s: %s", a->name, gai_strerror(rc));
		return -EINVAL;
	}
	memcpy(&a->sa, res->ai_addr, res->ai_addrlen);
	a->len = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}
