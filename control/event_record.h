/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * event_record.h - turn a flow event from the dataplane (ids and numbers)
 * into the fields of a CommonSecurityLog record, resolving its metadata in
 * the snapshot the event names. Context: control process.
 */
#ifndef IOCWIRE_EVENT_RECORD_H
#define IOCWIRE_EVENT_RECORD_H

#include "cef.h"
#include "contract/ipc_proto.h"
#include "contract/snapshot.h"
#include "control_config.h"

/** Storage for the text fields a struct cef_event points to. */
struct event_record {
	struct cef_event cef;
	char src[64], dst[64], ioc[80], proto[8];
	char observed[IPC_EVENT_NAME_MAX + 1];
};

/**
 * Fill @p rec from @p ev. @p view is the snapshot of ev->generation, or NULL
 * when that snapshot is no longer known (the record then says so in its
 * metadata fields instead of guessing).
 */
void event_record_fill(struct event_record *rec, const struct iocw_event *ev,
		       const struct snapshot_view *view, const struct control_config *cfg);

#endif
