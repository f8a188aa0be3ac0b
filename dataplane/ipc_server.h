/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ipc_server.h - the dataplane end of the control socket
 * (contract/ipc_proto.h): accepts the control plane, receives snapshots,
 * sends flow events drained from the workers' rings.
 * Context: main lcore only (non-blocking; called from the service loop).
 */
#ifndef IOCWIRE_IPC_SERVER_H
#define IOCWIRE_IPC_SERVER_H

#include <stdbool.h>

/** Bind and listen on @p path (removing a stale socket). 0 or -errno. */
int ipc_server_open(const char *path);

void ipc_server_close(void);

/** Accept a client, handle its pending messages; waits at most @p timeout_ms. */
void ipc_server_poll(int timeout_ms);

/** Move events from the worker rings to the connected client, without blocking. */
void ipc_server_pump_events(void);

/** A control plane has connected and said hello. */
bool ipc_server_attached(void);

/** Every worker ring is empty and nothing is waiting to be sent. */
bool ipc_server_drained(void);

/** Tell the client the input is finished (replay). 0 or -errno. */
int ipc_server_send_end(void);

#endif
