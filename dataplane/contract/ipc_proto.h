/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ipc_proto.h - messages on the dataplane's UNIX control socket
 * (SOCK_SEQPACKET: one message per datagram, boundaries kept). The dataplane
 * listens; the control plane connects. Every message starts with struct
 * ipc_msg_hdr; a snapshot travels as a sealed memfd passed with SCM_RIGHTS.
 * docs/architecture.md describes the exchange.
 */
#ifndef IOCWIRE_IPC_PROTO_H
#define IOCWIRE_IPC_PROTO_H

#include <stdint.h>

#define IPC_PROTO_VERSION 2 /* 2: struct ipc_stats has the tunnel counters */
#define IPC_MAX_MSG 65536 /**< bytes, header included; larger messages are refused */
#define IPC_EVENTS_PER_MSG 128

enum ipc_msg_type {
	IPC_MSG_HELLO = 1,        /**< ctrl->dp: struct ipc_hello; dp answers HELLO with its state */
	IPC_MSG_SNAPSHOT = 2,     /**< ctrl->dp: struct ipc_snapshot + memfd */
	IPC_MSG_SNAPSHOT_ACK = 3, /**< dp->ctrl: struct ipc_snapshot_ack */
	IPC_MSG_EVENTS = 4,       /**< dp->ctrl: struct ipc_events + events */
	IPC_MSG_END = 5,          /**< dp->ctrl: input finished, every flow flushed (replay) */
	IPC_MSG_ERROR = 6,        /**< either way: struct ipc_error */
	IPC_MSG_STATS_REQ = 7,    /**< ctrl->dp: no payload */
	IPC_MSG_STATS = 8,        /**< dp->ctrl: struct ipc_stats */
};

#define IPC_STATS_MAX_PORTS 16
#define IPC_STATS_PARSE_REASONS 16

struct ipc_port_stats {
	uint64_t ipackets, opackets, ibytes, obytes;
	uint64_t imissed, ierrors, oerrors, rx_nombuf;
};

/** Dataplane counters, summed over workers (see dataplane/stats.c). */
struct ipc_stats {
	uint32_t pid;
	uint32_t nb_workers;
	uint32_t nb_ports;
	uint32_t mode;          /**< 0 passive, 1 inline */
	uint64_t uptime_ns;
	uint64_t generation;    /**< published snapshot, 0 none */
	uint64_t snapshot_bytes;
	uint64_t snapshot_iocs;
	uint64_t reloads;
	uint64_t rx_pkts, rx_bytes, tx_pkts, tx_failed, verdict_dropped;
	uint64_t parse[IPC_STATS_PARSE_REASONS]; /**< by enum pkt_parse_result */
	uint64_t no_snapshot, filter_hits, matches, events, events_dropped;
	uint64_t flows_active, flows_created, flows_ended, flow_table_full;
	uint64_t events_queued; /**< waiting in the rings for an exporter */
	uint64_t max_loop_ns;   /**< longest worker loop iteration (stall) */
	uint64_t flows_suppressed, flows_excluded;
	uint64_t tunnel_decap, tunnel_outer; /**< matched on inner headers; tunnels left undecoded */
	struct ipc_port_stats ports[IPC_STATS_MAX_PORTS];
};

struct ipc_msg_hdr {
	uint32_t type;    /**< enum ipc_msg_type */
	uint32_t len;     /**< bytes after this header */
};

struct ipc_hello {
	uint32_t version;    /**< IPC_PROTO_VERSION */
	uint32_t pid;
	uint64_t generation; /**< snapshot generation the sender has (0 none) */
};

struct ipc_snapshot {
	uint64_t size;       /**< bytes of the blob in the memfd */
	uint64_t generation;
};

struct ipc_snapshot_ack {
	int32_t status;      /**< 0 published, else -errno */
	uint32_t pad;
	uint64_t generation;
	uint64_t validate_ns;
	uint64_t swap_ns;    /**< publish + wait for every worker's quiescent state */
	char reason[160];
};

struct ipc_error {
	int32_t code;
	char reason[124];
};

enum iocw_event_type {
	IOCW_EVENT_MATCH = 1,
	IOCW_EVENT_FLOW_END = 2,
};

/** What the dataplane did with a matched flow (DeviceAction). */
enum iocw_verdict {
	IOCW_VERDICT_ALERT = 0,       /**< passed and reported */
	IOCW_VERDICT_BLOCKED = 1,     /**< inline, action drop: every packet dropped */
	IOCW_VERDICT_WOULD_BLOCK = 2, /**< action drop under monitor_only (or passive mode): passed */
	IOCW_VERDICT_EXCLUDED = 3,    /**< an exclusion in tag mode applies: passed, reported as excluded */
};

enum iocw_end_reason {
	IOCW_END_NONE = 0,
	IOCW_END_FIN = 1,
	IOCW_END_RST = 2,
	IOCW_END_IDLE = 3,
	IOCW_END_CAPTURE_END = 4, /**< replay: the capture finished with the flow still open */
	IOCW_END_EVICTED = 5,
	IOCW_END_SHUTDOWN = 6,    /**< the dataplane stopped with the flow still open */
};

/*
 * One flow event. Endpoints are the flow initiator's view (src = the side that
 * sent the first packet seen). Metadata travels as an index into the snapshot
 * of @c generation, never as a pointer.
 */
#define IPC_EVENT_NAME_MAX 256

struct iocw_event {
	uint8_t type;       /**< enum iocw_event_type */
	uint8_t family;     /**< 4 or 6 */
	uint8_t proto;
	uint8_t tcp_flags;  /**< OR of all packets' TCP flags */
	uint8_t side;       /**< enum iocw_side of the endpoint that matched */
	uint8_t kind;       /**< SNAP_KIND_ADDR, SNAP_KIND_PORT or SNAP_KIND_CIDR */
	uint8_t action;     /**< enum iocw_verdict applied to the flow */
	uint8_t end_reason; /**< enum iocw_end_reason (flow end) */
	uint16_t vlan;
	uint16_t sport, dport;
	uint16_t worker;
	uint32_t meta;
	uint8_t prefix_len; /**< CIDR matches: prefix length of the matched indicator */
	uint8_t reserved;
	uint16_t exclusion; /**< index + 1 of the exclusion that tagged the flow, 0 none */
	uint8_t src[16], dst[16];
	uint64_t generation;
	uint64_t flow_id;   /**< unique per dataplane run: worker id in the top 8 bits */
	uint64_t first_ns, last_ns; /**< packet times, ns since the epoch */
	uint64_t pkts_fwd, pkts_rev;   /**< initiator->responder, and back */
	uint64_t bytes_fwd, bytes_rev;
	/* Name matches (kind SNAP_KIND_NAME): where the name was seen and what it was. */
	uint8_t name_where;     /**< enum extract_where, 0 for address matches */
	uint8_t name_truncated; /**< the observed URL was longer than name[] */
	uint16_t name_len;      /**< bytes in name (match events only) */
	uint32_t name_ioc;      /**< the domain/URL indicator: string offset in the snapshot */
	char name[IPC_EVENT_NAME_MAX]; /**< observed value, not NUL-terminated */
};

struct ipc_events {
	uint32_t nb_events;
	uint32_t pad;
	uint64_t nb_dropped; /**< events lost so far (rings full); cumulative */
	struct iocw_event events[];
};

#endif
