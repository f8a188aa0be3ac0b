/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ipc_client.h - the control plane's end of the dataplane control socket
 * (contract/ipc_proto.h). Context: control process.
 */
#ifndef IOCWIRE_IPC_CLIENT_H
#define IOCWIRE_IPC_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "contract/ipc_proto.h"

/**
 * Connect to the dataplane socket, retrying for up to @p timeout_ms while it
 * does not exist yet or refuses. @return the socket fd, or -errno.
 */
int ipc_client_connect(const char *path, int timeout_ms);

/** Send a message. 0 or -errno. */
int ipc_client_send(int fd, uint32_t type, const void *payload, uint32_t len);

/**
 * Copy @p blob into a sealed memfd and send it as a SNAPSHOT message (the
 * ACK arrives later through ipc_client_recv). 0 or -errno.
 */
int ipc_client_send_snapshot(int fd, const void *blob, size_t len, uint64_t generation);

/**
 * Receive one message into @p buf (IPC_MAX_MSG bytes), waiting up to
 * @p timeout_ms (-1 forever). @return payload length, -ETIMEDOUT, -ECONNRESET
 * when the dataplane closed, -EBADMSG for a malformed message, or -errno.
 */
int ipc_client_recv(int fd, void *buf, int timeout_ms);

#endif
