/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * iocw_types.h - small enums shared by both processes (snapshot format, events).
 * Values are part of the snapshot and IPC formats: append only.
 */
#ifndef IOCWIRE_TYPES_H
#define IOCWIRE_TYPES_H

#define IOCW_FAMILY_V4 4
#define IOCW_FAMILY_V6 6

enum iocw_ioc_type {
	IOCW_IOC_IP = 0,
	IOCW_IOC_IP_PORT = 1,
	IOCW_IOC_CIDR = 2,
	IOCW_IOC_DOMAIN = 3,
	IOCW_IOC_URL = 4,
	IOCW_IOC_TYPE_COUNT
};

enum iocw_action {
	IOCW_ACTION_ALERT = 0,
	IOCW_ACTION_DROP = 1,
};

/** Which packet endpoint matched the indicator. */
enum iocw_side {
	IOCW_SIDE_SRC = 1,
	IOCW_SIDE_DST = 2,
};

#endif
