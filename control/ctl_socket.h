/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ctl_socket.h - the control daemon's command socket (SOCK_SEQPACKET):
 * `iocwire-control status|reload|lookup|add|remove` send one request (the
 * arguments separated by tabs) and get one reply: a first line "OK" or
 * "ERR <reason>", then text. Context: control process.
 */
#ifndef IOCWIRE_CTL_SOCKET_H
#define IOCWIRE_CTL_SOCKET_H

#include <stddef.h>

#define CTL_MAX_MSG 65536
#define CTL_MAX_ARGS 16

/** Listen on @p path (a stale socket is replaced), mode 0660. Returns the fd or -errno. */
int ctl_socket_listen(const char *path);

/** Split a request into arguments in place. Returns argc (0 for an empty or bad request). */
int ctl_socket_split(char *req, size_t len, char **argv, int max);

/** Send a reply (best effort; a vanished client is not an error). */
void ctl_socket_reply(int fd, const char *text, size_t len);

/**
 * Client side: send @p argv to the daemon at @p path and print the reply body
 * to stdout (errors to stderr). Returns the exit status: 0 OK, 1 ERR, 2 no daemon.
 */
int ctl_socket_call(const char *path, int argc, char **argv);

#endif
