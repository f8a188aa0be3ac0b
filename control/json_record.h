/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * json_record.h - one flow record as a JSON object whose keys are Sentinel
 * CommonSecurityLog column names (for the Logs Ingestion API and a DCR into
 * CommonSecurityLog). Same content as the CEF record, field for field
 * (docs/cef-mapping.md). Pure formatting. Context: control process.
 */
#ifndef IOCWIRE_JSON_RECORD_H
#define IOCWIRE_JSON_RECORD_H

#include <stddef.h>

#include "cef.h"

/**
 * Write the record as one line of JSON (no newline) into @p buf. Strings are
 * escaped per RFC 8259 (quote, backslash, control characters as \\uXXXX or
 * the short escapes); bytes that are not well-formed UTF-8 become U+FFFD, so
 * the line is always valid UTF-8. Absent values are left out, as in CEF.
 * @return the full length (like snprintf: >= @p len means the buffer was too
 * small and the output is not usable).
 */
size_t json_record_format(const struct cef_event *ev, char *buf, size_t len);

#endif
