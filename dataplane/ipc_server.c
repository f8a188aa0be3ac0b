/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_log.h>

#include "contract/ipc_proto.h"
#include "dataplane.h"
#include "ipc_server.h"
#include "snap_pub.h"
#include "stats.h"

#define RTE_LOGTYPE_IOCWIRE RTE_LOGTYPE_USER1
/* How long a reply waits for a control plane that does not read its socket. */
#define IPC_REPLY_WAIT_MS 2000

static struct {
	int listen_fd;
	int client_fd;
	bool hello;
	/* One EVENTS message being assembled or waiting for the socket to drain. */
	union {
		struct ipc_msg_hdr hdr;
		uint64_t align; /* the payload after the 8-byte header holds u64 fields */
		uint8_t bytes[IPC_MAX_MSG];
	} out;
	size_t out_len; /* 0: nothing pending */
	uint64_t events_sent;
} srv = {.listen_fd = -1, .client_fd = -1};

_Static_assert(sizeof(struct ipc_msg_hdr) + sizeof(struct ipc_events) +
		       IPC_EVENTS_PER_MSG * sizeof(struct iocw_event) <= IPC_MAX_MSG,
	       "an EVENTS message must fit IPC_MAX_MSG");

int
ipc_server_open(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 4) < 0) {
		int rc = -errno;
		close(fd);
		return rc;
	}
	/* Owner and group only: the control plane runs as the same user or group. */
	chmod(path, 0660);
	srv.listen_fd = fd;
	return 0;
}

static void
drop_client(const char *why)
{
	if (srv.client_fd < 0)
		return;
	RTE_LOG(INFO, IOCWIRE, "control plane disconnected (%s)\n", why);
	close(srv.client_fd);
	srv.client_fd = -1;
	srv.hello = false;
	srv.out_len = 0;
}

void
ipc_server_close(void)
{
	drop_client("shutdown");
	if (srv.listen_fd >= 0)
		close(srv.listen_fd);
	srv.listen_fd = -1;
}

/*
 * A reply (HELLO, SNAPSHOT_ACK, STATS, ERROR, END) must not be lost: the socket
 * is non-blocking and may be full of EVENTS a newly attached control plane has
 * not read yet, so wait for room, a bounded time (the main lcore only: workers
 * go on, their events wait in the rings). A peer that reads nothing that long
 * is dropped; it reconnects and gets a fresh HELLO.
 */
static int
send_msg(uint32_t type, const void *payload, uint32_t len)
{
	struct ipc_msg_hdr hdr = {.type = type, .len = len};
	struct iovec iov[2] = {{&hdr, sizeof(hdr)}, {(void *)payload, len}};
	struct msghdr mh = {.msg_iov = iov, .msg_iovlen = 2};
	uint64_t deadline = rte_get_tsc_cycles() + rte_get_tsc_hz() / 1000 * IPC_REPLY_WAIT_MS;

	while (srv.client_fd >= 0) {
		if (sendmsg(srv.client_fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL) >= 0)
			return 0;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN || rte_get_tsc_cycles() > deadline) {
			int err = errno;

			drop_client(err == EAGAIN ? "control plane not reading: a reply could not be sent"
						  : strerror(err));
			return -err;
		}
		/* Room for a whole message, not just POLLOUT's "some": retry each millisecond. */
		poll(NULL, 0, 1);
	}
	return -ENOTCONN;
}

static void
handle_snapshot(const struct ipc_snapshot *req, int fd)
{
	struct ipc_snapshot_ack ack = {0};
	struct snap_pub_timing t = {0};

	if (fd < 0) {
		ack.status = -EBADF;
		snprintf(ack.reason, sizeof(ack.reason), "SNAPSHOT message without a file descriptor");
	} else {
		ack.status = snap_pub_from_fd(fd, req->size, &t, ack.reason, sizeof(ack.reason));
	}
	ack.generation = snap_pub_generation();
	ack.validate_ns = t.validate_ns;
	ack.swap_ns = t.swap_ns;
	if (ack.status == 0)
		RTE_LOG(INFO, IOCWIRE, "snapshot %lu published (validate %lu us, swap %lu us)\n",
			(unsigned long)ack.generation, (unsigned long)(t.validate_ns / 1000),
			(unsigned long)(t.swap_ns / 1000));
	else
		RTE_LOG(ERR, IOCWIRE, "snapshot refused: %s\n", ack.reason);
	send_msg(IPC_MSG_SNAPSHOT_ACK, &ack, sizeof(ack));
}

static void
reply_error(int code, const char *reason)
{
	struct ipc_error e = {.code = code};

	snprintf(e.reason, sizeof(e.reason), "%s", reason);
	send_msg(IPC_MSG_ERROR, &e, sizeof(e));
}

/* A control plane of another release would read our messages with other layouts: refuse it. */
static void
handle_hello(const struct ipc_hello *peer_hello)
{
	struct ipc_hello hello = {.version = IPC_PROTO_VERSION, .pid = (uint32_t)getpid(),
				  .generation = snap_pub_generation()};
	uint32_t version;

	memcpy(&version, &peer_hello->version, sizeof(version));
	if (version != IPC_PROTO_VERSION) {
		char why[sizeof(((struct ipc_error *)0)->reason)];

		snprintf(why, sizeof(why), "protocol version %u, this dataplane speaks %u: run one iocwire release",
			 version, IPC_PROTO_VERSION);
		RTE_LOG(ERR, IOCWIRE, "control plane refused: %s\n", why);
		reply_error(-EPROTO, why);
		return;
	}
	srv.hello = true;
	send_msg(IPC_MSG_HELLO, &hello, sizeof(hello));
}

#define IPC_MAX_FDS 4

/* After a 0-byte read: did the peer shut down (rather than send an empty message)? */
static bool
peer_closed(void)
{
	struct pollfd pfd = {.fd = srv.client_fd, .events = POLLRDHUP};

	return poll(&pfd, 1, 0) > 0 && (pfd.revents & (POLLRDHUP | POLLHUP | POLLERR));
}

/*
 * Descriptors that came with a message: the first is kept in *fd, every other
 * one is closed at once (a peer must not make us leak descriptors).
 */
static int
take_fds(struct msghdr *mh)
{
	int fd = -1;

	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c != NULL; c = CMSG_NXTHDR(mh, c)) {
		size_t nb;

		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		nb = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < nb; i++) {
			int got;

			memcpy(&got, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
			if (fd < 0)
				fd = got;
			else
				close(got);
		}
	}
	return fd;
}

/* Receive one message; returns false when the client went away. */
static bool
recv_one(void)
{
	uint8_t buf[1024];
	union {
		char ctl[CMSG_SPACE(IPC_MAX_FDS * sizeof(int))];
		struct cmsghdr align;
	} cbuf;
	struct iovec iov = {buf, sizeof(buf)};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf.ctl,
			    .msg_controllen = sizeof(cbuf.ctl)};
	const struct ipc_msg_hdr *hdr = (const struct ipc_msg_hdr *)buf;
	ssize_t n = recvmsg(srv.client_fd, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	int fd = -1;

	if (n < 0)
		return errno == EAGAIN || errno == EINTR;
	fd = take_fds(&mh);
	/* SOCK_SEQPACKET: 0 bytes is the peer's shutdown, or an empty message (that may carry fds). */
	if (n == 0 && fd < 0 && peer_closed())
		return false;
	if ((size_t)n < sizeof(*hdr) || hdr->len != (size_t)n - sizeof(*hdr) || (mh.msg_flags & MSG_TRUNC)) {
		reply_error(-EBADMSG, "malformed or oversized message");
	} else if (hdr->type == IPC_MSG_HELLO && hdr->len == sizeof(struct ipc_hello)) {
		handle_hello((const struct ipc_hello *)(hdr + 1));
	} else if (hdr->type == IPC_MSG_STATS_REQ && hdr->len == 0) {
		struct ipc_stats st;

		stats_fill_ipc(&st);
		send_msg(IPC_MSG_STATS, &st, sizeof(st));
	} else if (hdr->type == IPC_MSG_SNAPSHOT && hdr->len == sizeof(struct ipc_snapshot)) {
		struct ipc_snapshot req;

		memcpy(&req, hdr + 1, sizeof(req));
		handle_snapshot(&req, fd);
	} else {
		reply_error(-EBADMSG, "unknown message type or wrong length");
	}
	if (fd >= 0)
		close(fd);
	return true;
}

/* Beyond the socket's 0660 mode: only root, our user or our group may drive the dataplane. */
static bool
peer_allowed(int fd)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0)
		return false;
	if (cred.uid == 0 || cred.uid == geteuid() || cred.gid == getegid())
		return true;
	RTE_LOG(WARNING, IOCWIRE, "control socket: refused pid %d uid %u\n", cred.pid, cred.uid);
	return false;
}

void
ipc_server_poll(int timeout_ms)
{
	struct pollfd pfd = {.fd = srv.client_fd >= 0 ? srv.client_fd : srv.listen_fd, .events = POLLIN};

	if (pfd.fd < 0 || poll(&pfd, 1, timeout_ms) <= 0)
		return;
	if (srv.client_fd < 0) {
		srv.client_fd = accept4(srv.listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (srv.client_fd >= 0 && !peer_allowed(srv.client_fd)) {
			close(srv.client_fd);
			srv.client_fd = -1;
		} else if (srv.client_fd >= 0) {
			RTE_LOG(INFO, IOCWIRE, "control plane connected\n");
		}
		return;
	}
	if (pfd.revents & (POLLHUP | POLLERR)) {
		drop_client("hang-up");
		return;
	}
	for (int i = 0; i < 16 && srv.client_fd >= 0; i++) {
		if (!recv_one()) {
			drop_client("closed");
			return;
		}
		pfd.revents = 0;
		if (poll(&pfd, 1, 0) <= 0)
			return;
	}
}

bool
ipc_server_attached(void)
{
	return srv.client_fd >= 0 && srv.hello;
}

static uint64_t
events_dropped_total(void)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < dataplane.nb_workers; i++)
		n += dataplane.workers[i]->stats.events_dropped;
	return n;
}

/* Fill the outgoing EVENTS message from the rings; returns events added. */
static unsigned
assemble_events(void)
{
	struct ipc_events *body = (struct ipc_events *)(srv.out.bytes + sizeof(struct ipc_msg_hdr));
	unsigned nb = 0;

	for (unsigned i = 0; i < dataplane.nb_workers && nb < IPC_EVENTS_PER_MSG; i++)
		nb += rte_ring_sc_dequeue_burst_elem(dataplane.workers[i]->events, &body->events[nb],
						     sizeof(struct iocw_event), IPC_EVENTS_PER_MSG - nb,
						     NULL);
	if (nb == 0)
		return 0;
	body->nb_events = nb;
	body->pad = 0;
	body->nb_dropped = events_dropped_total();
	srv.out.hdr.type = IPC_MSG_EVENTS;
	srv.out.hdr.len = (uint32_t)(sizeof(*body) + nb * sizeof(struct iocw_event));
	srv.out_len = sizeof(struct ipc_msg_hdr) + srv.out.hdr.len;
	return nb;
}

void
ipc_server_pump_events(void)
{
	/* Without an attached exporter events wait in the rings (bounded; workers count overflow). */
	while (ipc_server_attached()) {
		if (srv.out_len == 0 && assemble_events() == 0)
			return;
		if (send(srv.client_fd, srv.out.bytes, srv.out_len, MSG_DONTWAIT | MSG_NOSIGNAL) < 0) {
			if (errno != EAGAIN && errno != EINTR)
				drop_client(strerror(errno));
			return;
		}
		srv.events_sent += ((struct ipc_events *)(srv.out.bytes + sizeof(struct ipc_msg_hdr)))->nb_events;
		srv.out_len = 0;
	}
}

bool
ipc_server_drained(void)
{
	if (srv.out_len != 0)
		return false;
	for (unsigned i = 0; i < dataplane.nb_workers; i++)
		if (rte_ring_count(dataplane.workers[i]->events) != 0)
			return false;
	return true;
}

int
ipc_server_send_end(void)
{
	uint64_t sent = srv.events_sent;

	return send_msg(IPC_MSG_END, &sent, sizeof(sent));
}
