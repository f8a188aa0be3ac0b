/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_ipc_server.c - libFuzzer harness for the dataplane's end of the
 * control socket (dataplane/ipc_server.c, and through it snap_pub.c and the
 * snapshot validator). The harness is a hostile control plane: it connects to
 * a real SOCK_SEQPACKET socket served by the real code and sends what the
 * input says, with or without a memfd attached, then checks every reply.
 *
 * EAL is initialised once (--no-huge --in-memory, one lcore) because
 * snap_pub.c copies snapshots into DPDK memory and the event path uses a real
 * rte_ring; there are no worker lcores, so an RCU grace period is immediate.
 *
 * Input: a sequence of records
 *     u8 flags, u16 len (little endian), len bytes of message
 *     [if flags & MEMFD: u16 len2, len2 bytes put in a memfd sent with it]
 *     [if flags & EVENTS: u8 n: n events (bytes from the input) queued on the
 *      worker ring before the server pumps]
 * flags: FIX_LEN sets the header's len to the real payload size; FIX_CRC
 * recomputes the memfd blob's checksum; FIX_SIZE writes the memfd size into a
 * SNAPSHOT payload; TWO_FDS attaches the memfd twice; HANGUP closes the
 * client after the record.
 *
 * Checked besides memory safety: every reply is a well-formed message of a
 * type the dataplane may send, with a NUL-terminated reason; a snapshot
 * acknowledged as published is the one the dataplane holds and it validates;
 * no snapshot descriptor stays open after an input (none leaks). (The server may hang up: an empty datagram reads
 * as end of file on SOCK_SEQPACKET; the harness then reconnects.)
 */
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_malloc.h>
#include <rte_rcu_qsbr.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>

#include "contract/ipc_proto.h"
#include "contract/snapshot.h"
#include "dataplane.h"
#include "ipc_server.h"
#include "snap_pub.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The dataplane's global state; iocwire-dataplane defines it in main.c. */
struct dataplane dataplane = {.ts_offset = -1};

#define FLAG_FIX_LEN 0x01
#define FLAG_MEMFD 0x02
#define FLAG_FIX_CRC 0x04
#define FLAG_FIX_SIZE 0x08
#define FLAG_TWO_FDS 0x10
#define FLAG_EVENTS 0x20
#define FLAG_HANGUP 0x80

#define fuzz_check(cond)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "invariant broken: %s\n", #cond);                          \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

static char sock_path[108];
static int client = -1;
static struct worker_ctx *worker;
static union {
	struct ipc_msg_hdr hdr;
	uint64_t align;
	uint8_t bytes[IPC_MAX_MSG];
} reply;

static void
cleanup(void)
{
	unlink(sock_path);
}

static void
client_connect(void)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};

	memcpy(sa.sun_path, sock_path, strlen(sock_path) + 1);
	client = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (client < 0 || connect(client, (struct sockaddr *)&sa, sizeof(sa)) != 0)
		abort();
	ipc_server_poll(100); /* accept */
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char prefix[64];
	char *eal[] = {"fuzz_ipc_server", "-l", "0", "--no-huge", "-m", "128", "--no-pci",
		       "--no-shconf", "--no-telemetry", "--log-level=*:critical", prefix, NULL};
	size_t sz;

	(void)argc;
	(void)argv;
	snprintf(prefix, sizeof(prefix), "--file-prefix=fuzzipc%d", (int)getpid());
	if (rte_eal_init((int)(sizeof(eal) / sizeof(eal[0])) - 1, eal) < 0) {
		fprintf(stderr, "fuzz_ipc_server: EAL init failed\n");
		abort();
	}
	/* What main.c's init_clock() sets up: the STATS reply reports an uptime. */
	dataplane.tsc_hz = rte_get_tsc_hz();
	dataplane.tsc_base = rte_rdtsc();
	dataplane.wall_base_ns = 1714000000ULL * 1000000000ULL;
	sz = rte_rcu_qsbr_get_memsize(1);
	dataplane.qsv = rte_zmalloc("rcu", sz, RTE_CACHE_LINE_SIZE);
	worker = rte_zmalloc("worker", sizeof(*worker), RTE_CACHE_LINE_SIZE);
	if (dataplane.qsv == NULL || worker == NULL || rte_rcu_qsbr_init(dataplane.qsv, 1) != 0)
		abort();
	worker->events = rte_ring_create_elem("fuzz_ev", sizeof(struct iocw_event), 1024, SOCKET_ID_ANY,
					      RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (worker->events == NULL)
		abort();
	dataplane.workers[0] = worker;
	dataplane.nb_workers = 1;
	snprintf(sock_path, sizeof(sock_path), "/tmp/iocw-fuzz-ipc.%d.sock", (int)getpid());
	if (ipc_server_open(sock_path) != 0)
		abort();
	atexit(cleanup);
	client_connect();
	return 0;
}

static void
client_close(void)
{
	close(client);
	client = -1;
	/* Let the server see the hang-up and release its end. */
	for (int i = 0; i < 4; i++)
		ipc_server_poll(0);
}

static void
check_reply(size_t n)
{
	const void *payload = reply.bytes + sizeof(struct ipc_msg_hdr);
	size_t len = n - sizeof(struct ipc_msg_hdr);

	fuzz_check(n >= sizeof(struct ipc_msg_hdr));
	fuzz_check(reply.hdr.len == len);
	switch (reply.hdr.type) {
	case IPC_MSG_HELLO: {
		const struct ipc_hello *h = payload;

		fuzz_check(len == sizeof(*h));
		fuzz_check(h->version == IPC_PROTO_VERSION);
		fuzz_check(h->generation == snap_pub_generation());
		break;
	}
	case IPC_MSG_SNAPSHOT_ACK: {
		const struct ipc_snapshot_ack *a = payload;

		fuzz_check(len == sizeof(*a));
		fuzz_check(memchr(a->reason, '\0', sizeof(a->reason)) != NULL);
		fuzz_check(a->status <= 0);
		if (a->status == 0) {
			struct snapshot_view v;
			char err[256];

			/* Published means held, current, and valid. */
			fuzz_check(dataplane.snapshot != NULL);
			fuzz_check(a->generation == dataplane.snapshot->view.generation);
			fuzz_check(snapshot_open(&v, dataplane.snapshot->map, dataplane.snapshot->len, err,
						 sizeof(err)) == 0);
		} else {
			fuzz_check(a->reason[0] != '\0');
		}
		break;
	}
	case IPC_MSG_ERROR: {
		const struct ipc_error *e = payload;

		fuzz_check(len == sizeof(*e));
		fuzz_check(e->code < 0);
		fuzz_check(memchr(e->reason, '\0', sizeof(e->reason)) != NULL);
		break;
	}
	case IPC_MSG_STATS: {
		const struct ipc_stats *st = payload;

		fuzz_check(len == sizeof(*st));
		fuzz_check(st->nb_workers == dataplane.nb_workers);
		fuzz_check(st->generation == snap_pub_generation());
		break;
	}
	case IPC_MSG_EVENTS: {
		const struct ipc_events *ev = payload;

		fuzz_check(len >= sizeof(*ev));
		fuzz_check(ev->nb_events > 0 && ev->nb_events <= IPC_EVENTS_PER_MSG);
		fuzz_check(len == sizeof(*ev) + ev->nb_events * sizeof(struct iocw_event));
		break;
	}
	default:
		fprintf(stderr, "unexpected message type %u from the dataplane\n", reply.hdr.type);
		abort();
	}
}

static void
drain_replies(void)
{
	for (;;) {
		ssize_t n = recv(client, reply.bytes, sizeof(reply.bytes), MSG_DONTWAIT | MSG_TRUNC);

		if (n < 0) {
			fuzz_check(errno == EAGAIN || errno == EWOULDBLOCK);
			return;
		}
		if (n == 0) {
			/* The server hung up: it does so on an empty datagram, which reads as EOF. */
			client_close();
			client_connect();
			return;
		}
		fuzz_check((size_t)n <= sizeof(reply.bytes));
		check_reply((size_t)n);
	}
}

static int
make_memfd(const uint8_t *blob, size_t len, bool fix_crc)
{
	int fd = memfd_create("fuzz_snapshot", MFD_CLOEXEC | MFD_ALLOW_SEALING);

	if (fd < 0)
		abort();
	if (len > 0 && pwrite(fd, blob, len, 0) != (ssize_t)len)
		abort();
	if (fix_crc && len >= sizeof(struct snap_header)) {
		uint8_t *copy = malloc(len);
		uint32_t crc;

		if (copy == NULL)
			abort();
		memcpy(copy, blob, len);
		crc = snapshot_checksum(copy, len);
		if (pwrite(fd, &crc, sizeof(crc), offsetof(struct snap_header, checksum)) != sizeof(crc))
			abort();
		free(copy);
	}
	return fd;
}

static void
send_record(const uint8_t *msg, size_t len, int fd, bool two_fds)
{
	union {
		char buf[CMSG_SPACE(2 * sizeof(int))];
		struct cmsghdr align;
	} cbuf;
	struct iovec iov = {(void *)msg, len};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};

	if (fd >= 0) {
		struct cmsghdr *c;
		int fds[2] = {fd, fd};
		size_t nb = two_fds ? 2 : 1;

		memset(&cbuf, 0, sizeof(cbuf));
		mh.msg_control = cbuf.buf;
		mh.msg_controllen = CMSG_SPACE(nb * sizeof(int));
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(nb * sizeof(int));
		memcpy(CMSG_DATA(c), fds, nb * sizeof(int));
	}
	if (sendmsg(client, &mh, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
		fuzz_check(errno == EAGAIN || errno == EMSGSIZE || errno == ENOBUFS);
}

static void
queue_events(const uint8_t *p, size_t avail, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		struct iocw_event ev;
		size_t take = avail < sizeof(ev) ? avail : sizeof(ev);

		memset(&ev, 0, sizeof(ev));
		memcpy(&ev, p, take);
		if (rte_ring_sp_enqueue_elem(worker->events, &ev, sizeof(ev)) != 0)
			return;
	}
}

/* Snapshot memfds still open in this process: the harness closes its own, the server must too. */
static int
count_snapshot_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (d == NULL)
		abort();
	while ((e = readdir(d)) != NULL) {
		char path[64], target[128];
		ssize_t len;

		snprintf(path, sizeof(path), "/proc/self/fd/%s", e->d_name);
		len = readlink(path, target, sizeof(target) - 1);
		if (len <= 0)
			continue;
		target[len] = '\0';
		n += strncmp(target, "/memfd:fuzz_snapshot", 20) == 0;
	}
	closedir(d);
	return n;
}

static void
check_fds(void)
{
	/* Let the server read what is still queued (and close what came with it). */
	for (int i = 0; i < 4; i++)
		ipc_server_poll(0);
	drain_replies();
	fuzz_check(count_snapshot_fds() == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size;

	while (end - p >= 3) {
		uint8_t flags = p[0];
		size_t len = (size_t)(p[1] | p[2] << 8);
		uint8_t msg[4096];
		int fd = -1;

		p += 3;
		if (len > (size_t)(end - p))
			len = (size_t)(end - p);
		if (len > sizeof(msg))
			len = sizeof(msg);
		memcpy(msg, p, len);
		p += len;
		if ((flags & FLAG_FIX_LEN) && len >= sizeof(struct ipc_msg_hdr)) {
			uint32_t plen = (uint32_t)(len - sizeof(struct ipc_msg_hdr));

			memcpy(msg + offsetof(struct ipc_msg_hdr, len), &plen, sizeof(plen));
		}
		if ((flags & FLAG_MEMFD) && end - p >= 2) {
			size_t blen = (size_t)(p[0] | p[1] << 8);

			p += 2;
			if (blen > (size_t)(end - p))
				blen = (size_t)(end - p);
			fd = make_memfd(p, blen, flags & FLAG_FIX_CRC);
			p += blen;
			if ((flags & FLAG_FIX_SIZE) &&
			    len >= sizeof(struct ipc_msg_hdr) + sizeof(struct ipc_snapshot)) {
				uint64_t sz = blen;

				memcpy(msg + sizeof(struct ipc_msg_hdr) + offsetof(struct ipc_snapshot, size), &sz,
				       sizeof(sz));
			}
		}
		if ((flags & FLAG_EVENTS) && end - p >= 1) {
			unsigned n = p[0];

			p++;
			queue_events(p, (size_t)(end - p), n);
		}
		if (client < 0)
			client_connect();
		send_record(msg, len, fd, flags & FLAG_TWO_FDS);
		if (fd >= 0)
			close(fd);
		ipc_server_poll(0);
		ipc_server_pump_events();
		drain_replies();
		if (flags & FLAG_HANGUP)
			client_close();
	}
	/* Leave no state to the next input: a fresh generation 0, empty rings, a client. */
	if (client < 0)
		client_connect();
	ipc_server_poll(0);
	ipc_server_pump_events();
	drain_replies();
	snap_pub_release();
	{
		struct iocw_event ev;

		while (rte_ring_sc_dequeue_elem(worker->events, &ev, sizeof(ev)) == 0)
			;
	}
	check_fds();
	return 0;
}
