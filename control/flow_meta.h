/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * flow_meta.h - the indicator context of each open matched flow, remembered
 * from its match record, so that its flow-end record carries the same context
 * even when the snapshot it matched has since been replaced many times
 * (frequent reloads, long flows). Bounded: when full, new flows are not
 * remembered (their flow-end then resolves in the snapshot store, if still
 * kept). Context: control daemon.
 */
#ifndef IOCWIRE_FLOW_META_H
#define IOCWIRE_FLOW_META_H

#include <stdint.h>

#include "cef.h"

#define FLOW_META_CAPACITY 65536

struct flow_meta_entry {
	uint64_t flow_id; /**< 0 = empty */
	int confidence;
	char malware[64], threat[48], feed[128], reference[160], tags[96], ioc[96];
};

struct flow_meta {
	struct flow_meta_entry *slots; /**< FLOW_META_CAPACITY * 2, open addressing */
	uint64_t nb, nb_full;
};

int flow_meta_init(struct flow_meta *m);
void flow_meta_release(struct flow_meta *m);

/** Remember the context of a match record's flow. */
void flow_meta_put(struct flow_meta *m, uint64_t flow_id, const struct cef_event *c);

/**
 * Fill @p c's indicator context from the flow's match record and forget the
 * flow (its flow-end record is being written). @return true when known.
 * The strings stay valid until the next flow_meta_put.
 */
bool flow_meta_take(struct flow_meta *m, uint64_t flow_id, struct cef_event *c, struct flow_meta_entry *copy);

#endif
