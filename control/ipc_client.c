/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "ipc_client.h"

int
ipc_client_connect(const char *path, int timeout_ms)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	const struct timespec pause = {0, 50 * 1000000};
	int waited = 0;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	for (;;) {
		int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
		int err;

		if (fd < 0)
			return -errno;
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
			return fd;
		err = errno;
		close(fd);
		if ((err != ENOENT && err != ECONNREFUSED) || waited >= timeout_ms)
			return -err;
		nanosleep(&pause, NULL);
		waited += 50;
	}
}

static int
send_with_fd(int fd, uint32_t type, const void *payload, uint32_t len, int pass_fd)
{
	struct ipc_msg_hdr hdr = {.type = type, .len = len};
	struct iovec iov[2] = {{&hdr, sizeof(hdr)}, {(void *)payload, len}};
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} cbuf;
	struct msghdr mh = {.msg_iov = iov, .msg_iovlen = 2};

	if (pass_fd >= 0) {
		struct cmsghdr *c;

		mh.msg_control = cbuf.buf;
		mh.msg_controllen = sizeof(cbuf.buf);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &pass_fd, sizeof(int));
	}
	if (sendmsg(fd, &mh, MSG_NOSIGNAL) < 0)
		return -errno;
	return 0;
}

int
ipc_client_send(int fd, uint32_t type, const void *payload, uint32_t len)
{
	return send_with_fd(fd, type, payload, len, -1);
}

int
ipc_client_send_snapshot(int fd, const void *blob, size_t len, uint64_t generation)
{
	struct ipc_snapshot req = {.size = len, .generation = generation};
	int mfd = memfd_create("iocwire-snapshot", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	const uint8_t *p = blob;
	size_t done = 0;
	int rc;

	if (mfd < 0)
		return -errno;
	while (done < len) {
		ssize_t n = write(mfd, p + done, len - done);

		if (n < 0) {
			rc = -errno;
			goto out_close;
		}
		done += (size_t)n;
	}
	/* Sealed: the dataplane maps a blob that nobody can change after validation. */
	if (fcntl(mfd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) < 0) {
		rc = -errno;
		goto out_close;
	}
	rc = send_with_fd(fd, IPC_MSG_SNAPSHOT, &req, sizeof(req), mfd);
out_close:
	close(mfd);
	return rc;
}

int
ipc_client_recv(int fd, void *buf, int timeout_ms)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	const struct ipc_msg_hdr *hdr = buf;
	ssize_t n;
	int rc = poll(&pfd, 1, timeout_ms);

	if (rc < 0)
		return -errno;
	if (rc == 0)
		return -ETIMEDOUT;
	n = recv(fd, buf, IPC_MAX_MSG, MSG_TRUNC);
	if (n < 0)
		return -errno;
	if (n == 0)
		return -ECONNRESET;
	if ((size_t)n < sizeof(*hdr) || n > IPC_MAX_MSG || hdr->len != (size_t)n - sizeof(*hdr))
		return -EBADMSG;
	return (int)hdr->len;
}
