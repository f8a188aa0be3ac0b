/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * transport_tcp.c - see transport_tcp.h. States: DOWN (waiting for the next
 * try), CONNECTING (non-blocking connect in progress), UP (sending).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/sockios.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "syslog_frame.h"
#include "transport_tcp.h"

/* A connect that has not completed after this long is abandoned (and retried). */
#define TRANSPORT_TCP_CONNECT_TIMEOUT_NS 5000000000ull

static void
transport_tcp_spool_name(const struct control_export *e, const char *base, char *buf, size_t len)
{
	size_t n = (size_t)snprintf(buf, len, "%s/tcp_", base);

	for (const char *h = e->host; *h != '\0' && n + 1 < len; h++, n++)
		buf[n] = ((*h >= 'a' && *h <= 'z') || (*h >= 'A' && *h <= 'Z') ||
			  (*h >= '0' && *h <= '9') || *h == '.' || *h == '-') ? *h : '_';
	snprintf(buf + n, len - n, "_%u", e->port);
}

static int
transport_tcp_open_spool(struct transport_tcp *t, const struct control_export *e,
			 const struct control_delivery *d, char *err, size_t errlen)
{
	if (d->spool_dir[0] == '\0') {
		snprintf(t->spool_dir, sizeof(t->spool_dir), "/tmp/iocwire-spool.XXXXXX");
		if (mkdtemp(t->spool_dir) == NULL) {
			snprintf(err, errlen, "spool %s: %s", t->spool_dir, strerror(errno));
			return -errno;
		}
		t->tmp_spool = true;
	} else {
		transport_tcp_spool_name(e, d->spool_dir, t->spool_dir, sizeof(t->spool_dir));
	}
	t->spool = spool_open(t->spool_dir, d->spool_bytes, d->drop, err, errlen);
	return t->spool ? 0 : -errno;
}

int
transport_tcp_open(struct transport_tcp *t, const struct control_export *e,
		   const struct control_delivery *d, char *err, size_t errlen)
{
	int rc;

	t->fd = -1;
	t->framing = e->framing;
	t->backoff_min_ns = t->backoff_ns = d->reconnect_min_ns;
	t->backoff_max_ns = d->reconnect_max_ns;
	rc = transport_addr_resolve(&t->addr, e->host, e->port, SOCK_STREAM, err, errlen);
	if (rc == 0)
		rc = transport_tcp_open_spool(t, e, d, err, errlen);
	return rc;
}

int
transport_tcp_push(struct transport_tcp *t, const char *msg, size_t len)
{
	return spool_push(t->spool, msg, len);
}

/* Connection lost or refused: resend what was not acknowledged, after a backoff. */
static void
transport_tcp_fail(struct transport_tcp *t, uint64_t now_ns, int err)
{
	if (t->state == TRANSPORT_TCP_UP)
		t->nb_disconnects++;
	snprintf(t->last_error, sizeof(t->last_error), "%s", strerror(err));
	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
	t->state = TRANSPORT_TCP_DOWN;
	t->frame_len = t->frame_off = 0;
	t->if_nb = 0;
	spool_rewind(t->spool);
	t->next_try_ns = now_ns + t->backoff_ns;
	t->backoff_ns = t->backoff_ns * 2 > t->backoff_max_ns ? t->backoff_max_ns : t->backoff_ns * 2;
}

static void
transport_tcp_connect(struct transport_tcp *t, uint64_t now_ns)
{
	t->fd = socket(t->addr.sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (t->fd < 0) {
		transport_tcp_fail(t, now_ns, errno);
		return;
	}
	t->state = TRANSPORT_TCP_CONNECTING;
	t->connect_deadline_ns = now_ns + TRANSPORT_TCP_CONNECT_TIMEOUT_NS;
	if (connect(t->fd, (struct sockaddr *)&t->addr.sa, t->addr.len) != 0 && errno != EINPROGRESS)
		transport_tcp_fail(t, now_ns, errno);
}

static void
transport_tcp_connecting(struct transport_tcp *t, uint64_t now_ns)
{
	struct pollfd p = {.fd = t->fd, .events = POLLOUT};
	socklen_t len = sizeof(int);
	int soerr = 0;

	if (poll(&p, 1, 0) == 0) {
		if (now_ns >= t->connect_deadline_ns)
			transport_tcp_fail(t, now_ns, ETIMEDOUT);
		return;
	}
	if (getsockopt(t->fd, SOL_SOCKET, SO_ERROR, &soerr, &len) != 0 || soerr != 0) {
		transport_tcp_fail(t, now_ns, soerr ? soerr : errno);
		return;
	}
	t->state = TRANSPORT_TCP_UP;
	t->nb_connects++;
	t->stream_bytes = 0;
	t->backoff_ns = t->backoff_min_ns;
}

/*
 * A syslog collector never writes on the connection, so readable means it
 * closed (EOF or RST): notice before writing into a dead connection, whose
 * first write would succeed and vanish.
 */
static bool
transport_tcp_peer_closed(struct transport_tcp *t, int *err)
{
	char c[256];
	ssize_t n = recv(t->fd, c, sizeof(c), MSG_DONTWAIT);

	*err = n == 0 ? ECONNRESET : errno;
	return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
}

/* Commit every in-flight record whose last byte the collector's kernel has acknowledged. */
static void
transport_tcp_take_acks(struct transport_tcp *t)
{
	struct spool_pos pos;
	uint64_t acked;
	int outq = 0;
	bool any = false;

	if (t->if_nb == 0 || ioctl(t->fd, SIOCOUTQ, &outq) != 0)
		return;
	acked = t->stream_bytes - (uint64_t)outq;
	while (t->if_nb > 0 && t->inflight[t->if_head].stream_end <= acked) {
		pos = t->inflight[t->if_head].pos;
		t->if_head = (t->if_head + 1) % TRANSPORT_TCP_INFLIGHT;
		t->if_nb--;
		t->nb_acked++;
		any = true;
	}
	if (any)
		spool_commit(t->spool, pos);
}

/* Load the next spooled record into the frame buffer. false when there is none. */
static bool
transport_tcp_next_frame(struct transport_tcp *t)
{
	static char rec[SPOOL_MAX_RECORD];
	ssize_t n;

	/* On a corrupt record the spool has skipped (and counted) it: go on next tick. */
	n = spool_read(t->spool, rec, sizeof(rec));
	if (n <= 0)
		return false;
	t->frame_len = syslog_frame_stream(t->framing, rec, (size_t)n, t->frame, sizeof(t->frame));
	t->frame_off = 0;
	t->frame_end = spool_tell(t->spool);
	return t->frame_len > 0;
}

static void
transport_tcp_send(struct transport_tcp *t, uint64_t now_ns, unsigned budget)
{
	while (budget > 0) {
		ssize_t n;

		if (t->frame_off == t->frame_len &&
		    (t->if_nb == TRANSPORT_TCP_INFLIGHT || !transport_tcp_next_frame(t)))
			return;
		n = send(t->fd, t->frame + t->frame_off, t->frame_len - t->frame_off,
			 MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
				transport_tcp_fail(t, now_ns, errno);
			return;
		}
		t->frame_off += (size_t)n;
		t->stream_bytes += (uint64_t)n;
		if (t->frame_off < t->frame_len)
			continue;
		t->inflight[(t->if_head + t->if_nb++) % TRANSPORT_TCP_INFLIGHT] =
			(struct transport_tcp_inflight){.stream_end = t->stream_bytes, .pos = t->frame_end};
		t->nb_sent++;
		budget--;
	}
}

void
transport_tcp_tick(struct transport_tcp *t, uint64_t now_ns, unsigned budget)
{
	int err;

	if (t->state == TRANSPORT_TCP_DOWN && now_ns >= t->next_try_ns &&
	    spool_pending(t->spool) > 0)
		transport_tcp_connect(t, now_ns);
	if (t->state == TRANSPORT_TCP_CONNECTING)
		transport_tcp_connecting(t, now_ns);
	if (t->state != TRANSPORT_TCP_UP)
		return;
	if (transport_tcp_peer_closed(t, &err)) {
		transport_tcp_fail(t, now_ns, err);
		return;
	}
	transport_tcp_take_acks(t);
	transport_tcp_send(t, now_ns, budget);
	transport_tcp_take_acks(t);
}

uint64_t
transport_tcp_pending(const struct transport_tcp *t)
{
	return t->spool ? spool_pending(t->spool) : 0;
}

void
transport_tcp_close(struct transport_tcp *t)
{
	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
	spool_close(t->spool);
	t->spool = NULL;
	if (t->tmp_spool)
		spool_remove(t->spool_dir);
}
