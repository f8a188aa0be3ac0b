/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_transport_tcp.c - syslog over TCP against a real listener on
 * 127.0.0.1: records arrive octet-counted and in order; when the collector
 * closes the connection and stops listening, new records wait in the spool
 * while the transport retries with backoff, and arrive exactly once (none of
 * the already delivered ones again) when the collector listens again.
 */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "transport_tcp.h"

static uint64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int
listen_on(uint16_t *port)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(*port),
				.sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(a);
	int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

	assert_true(fd >= 0);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(fd, 4), 0);
	getsockname(fd, (struct sockaddr *)&a, &len);
	*port = ntohs(a.sin_port);
	return fd;
}

struct collector {
	int lfd, cfd;
	char buf[65536];
	size_t len;
	char msgs[64][64];
	int nb;
};

/* Accept and read what is there; split octet-counted frames into msgs. */
static void
collector_poll(struct collector *c)
{
	ssize_t n;

	if (c->cfd < 0 && c->lfd >= 0)
		c->cfd = accept(c->lfd, NULL, NULL);
	if (c->cfd < 0)
		return;
	while ((n = recv(c->cfd, c->buf + c->len, sizeof(c->buf) - c->len, MSG_DONTWAIT)) > 0)
		c->len += (size_t)n;
	for (;;) {
		char *sp = memchr(c->buf, ' ', c->len);
		size_t hdr, mlen;

		if (sp == NULL)
			return;
		mlen = strtoul(c->buf, NULL, 10);
		hdr = (size_t)(sp - c->buf) + 1;
		if (c->len < hdr + mlen)
			return;
		assert_true(mlen < sizeof(c->msgs[0]) && c->nb < 64);
		memcpy(c->msgs[c->nb], sp + 1, mlen);
		c->msgs[c->nb++][mlen] = '\0';
		memmove(c->buf, c->buf + hdr + mlen, c->len - hdr - mlen);
		c->len -= hdr + mlen;
	}
}

/* Tick the transport and poll the collector until it holds @p want messages (5 s at most). */
static void
run_until(struct transport_tcp *t, struct collector *c, int want)
{
	uint64_t end = mono_ns() + 5000000000ull;

	while (c->nb < want && mono_ns() < end) {
		transport_tcp_tick(t, mono_ns(), 64);
		collector_poll(c);
		usleep(1000);
	}
	assert_int_equal(c->nb, want);
}

static void
push_range(struct transport_tcp *t, int from, int to)
{
	char rec[32];

	for (int i = from; i < to; i++) {
		int n = snprintf(rec, sizeof(rec), "<165>1 - - - - - record %d", i);

		assert_int_equal(transport_tcp_push(t, rec, (size_t)n), 0);
	}
}

static void
test_outage_exactly_once(void **state)
{
	static struct transport_tcp t;
	struct collector c = {.cfd = -1};
	struct control_export e = {.type = EXPORT_SYSLOG, .protocol = EXPORT_PROTO_TCP,
				   .framing = EXPORT_FRAMING_OCTET};
	struct control_delivery d = {.spool_bytes = 1 << 20, .reconnect_min_ns = 10000000,
				     .reconnect_max_ns = 40000000};
	char err[256], want[64];
	uint16_t port = 0;
	uint64_t end;

	(void)state;
	c.lfd = listen_on(&port);
	snprintf(e.host, sizeof(e.host), "127.0.0.1");
	e.port = port;
	assert_int_equal(transport_tcp_open(&t, &e, &d, err, sizeof(err)), 0);
	push_range(&t, 0, 5);
	run_until(&t, &c, 5);
	/* Every record acknowledged: nothing left in the spool. */
	end = mono_ns() + 2000000000ull;
	while (transport_tcp_pending(&t) > 0 && mono_ns() < end)
		transport_tcp_tick(&t, mono_ns(), 64);
	assert_int_equal(transport_tcp_pending(&t), 0);

	/* The collector goes away: connection closed, nobody listening. */
	close(c.cfd);
	close(c.lfd);
	c.cfd = c.lfd = -1;
	push_range(&t, 5, 10);
	end = mono_ns() + 300000000ull;
	while (mono_ns() < end) {
		transport_tcp_tick(&t, mono_ns(), 64);
		usleep(1000);
	}
	assert_int_equal(t.nb_disconnects, 1);
	assert_int_equal(transport_tcp_pending(&t), 5);
	assert_int_equal(t.state, TRANSPORT_TCP_DOWN);
	assert_int_equal(t.backoff_ns, 40000000); /* doubled up to reconnect_max */

	/* It comes back on the same port: the five waiting records, once, in order. */
	c.lfd = listen_on(&port);
	run_until(&t, &c, 10);
	for (int i = 0; i < 10; i++) {
		snprintf(want, sizeof(want), "<165>1 - - - - - record %d", i);
		assert_string_equal(c.msgs[i], want);
	}
	usleep(100000);
	collector_poll(&c);
	assert_int_equal(c.nb, 10);
	assert_int_equal(t.nb_connects, 2);
	close(c.cfd);
	close(c.lfd);
	transport_tcp_close(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_outage_exactly_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
