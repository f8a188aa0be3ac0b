/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * syslog_frame.h - wrap a CEF record in a syslog message (RFC 5424 or
 * RFC 3164 header) and frame it for TCP (RFC 6587 octet-counting or
 * newline). Pure formatting: no I/O. Context: control process.
 */
#ifndef IOCWIRE_SYSLOG_FRAME_H
#define IOCWIRE_SYSLOG_FRAME_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "control_config.h"

/** APP-NAME (RFC 5424) and TAG (RFC 3164) of every message. */
#define SYSLOG_APP_NAME "iocwire"

struct syslog_frame {
	enum export_format format;
	uint8_t facility;     /**< 0..23 */
	const char *hostname; /**< HOSTNAME field; non-printable or space bytes become '_' */
	int pid;              /**< PROCID */
};

/** Syslog severity for a CEF Severity 0..10 (9-10 crit, 7-8 err, 4-6 warning, 0-3 notice). */
int syslog_frame_severity(int cef_severity);

/**
 * Write the header of one message, up to and including the space before MSG:
 * RFC 5424 "<PRI>1 TIMESTAMP HOSTNAME iocwire PROCID MSGID - " (UTC, microseconds)
 * or RFC 3164 "<PRI>Mmm dd hh:mm:ss HOSTNAME iocwire[PROCID]: " (local time).
 * @p msgid is used by RFC 5424 only (at most 32 printable characters).
 * @return the header length (like snprintf: >= @p len means cut).
 */
size_t syslog_frame_header(const struct syslog_frame *f, int severity, const char *msgid,
			   const struct timespec *ts, char *buf, size_t len);

/**
 * Longest prefix of the CEF record @p cef (length @p len) that fits in @p max
 * bytes and ends at a field boundary: before the space of a " key=" (and
 * before a label key's "xLabel=" that would lose its value), or the whole
 * record when it fits. Never cuts inside the header. 0 when not even the
 * header and one key fit.
 */
size_t syslog_frame_cut_cef(const char *cef, size_t len, size_t max);

/**
 * Frame one message for a TCP stream into @p buf: "LEN " + msg (octet-counting)
 * or msg + "\n" (newline framing; a LF inside msg would split it, and CEF
 * escapes every LF). @return bytes written, or 0 when @p cap is too small.
 */
size_t syslog_frame_stream(enum export_framing framing, const char *msg, size_t len, char *buf,
			   size_t cap);

#endif
