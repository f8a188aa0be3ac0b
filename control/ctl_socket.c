/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "ctl_socket.h"

static int
make_addr(const char *path, struct sockaddr_un *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa->sun_path))
		return -ENAMETOOLONG;
	memcpy(sa->sun_path, path, strlen(path) + 1);
	return 0;
}

int
ctl_socket_listen(const char *path)
{
	struct sockaddr_un sa;
	int fd, rc = make_addr(path, &sa);

	if (rc < 0)
		return rc;
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 8) < 0) {
		rc = -errno;
		close(fd);
		return rc;
	}
	chmod(path, 0660);
	return fd;
}

int
ctl_socket_split(char *req, size_t len, char **argv, int max)
{
	int argc = 0;
	char *p = req;

	if (len == 0 || memchr(req, '\0', len) != NULL)
		return 0;
	req[len] = '\0';
	while (argc < max) {
		char *tab = strchr(p, '\t');

		argv[argc++] = p;
		if (tab == NULL)
			return argc;
		*tab = '\0';
		p = tab + 1;
	}
	return 0; /* too many arguments */
}

void
ctl_socket_reply(int fd, const char *text, size_t len)
{
	if (len > CTL_MAX_MSG)
		len = CTL_MAX_MSG;
	send(fd, text, len, MSG_NOSIGNAL | MSG_DONTWAIT);
}

int
ctl_socket_call(const char *path, int argc, char **argv)
{
	static char buf[CTL_MAX_MSG + 1];
	struct sockaddr_un sa;
	size_t used = 0;
	ssize_t n;
	int fd;

	for (int i = 0; i < argc; i++) {
		size_t l = strlen(argv[i]);

		if (used + l + 1 > CTL_MAX_MSG || strchr(argv[i], '\t') != NULL) {
			fprintf(stderr, "iocwire-control: request too long or contains a tab\n");
			return 1;
		}
		memcpy(buf + used, argv[i], l);
		used += l;
		buf[used++] = '\t';
	}
	if (make_addr(path, &sa) < 0 || (fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0)) < 0)
		return 2;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		fprintf(stderr, "iocwire-control: no daemon at %s: %s (is `iocwire-control run` up?)\n", path,
			strerror(errno));
		close(fd);
		return 2;
	}
	if (send(fd, buf, used - 1, MSG_NOSIGNAL) < 0 || (n = recv(fd, buf, CTL_MAX_MSG, 0)) <= 0) {
		fprintf(stderr, "iocwire-control: daemon did not answer\n");
		close(fd);
		return 2;
	}
	close(fd);
	buf[n] = '\0';
	if (strncmp(buf, "OK\n", 3) == 0) {
		fputs(buf + 3, stdout);
		return 0;
	}
	fprintf(stderr, "iocwire-control: %s", strncmp(buf, "ERR ", 4) == 0 ? buf + 4 : buf);
	if (buf[n - 1] != '\n')
		fputc('\n', stderr);
	return 1;
}
