/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * export.h - deliver formatted records to the configured outputs (stdout,
 * files). One record per line. Context: control process.
 */
#ifndef IOCWIRE_EXPORT_H
#define IOCWIRE_EXPORT_H

#include <stdint.h>
#include <stdio.h>

#include "control_config.h"

struct exporter {
	FILE *out[CONTROL_MAX_EXPORTS];
	bool owned[CONTROL_MAX_EXPORTS];
	unsigned nb_out;
	uint64_t nb_records;
	uint64_t nb_write_errors;
};

/** Open every output of @p cfg. 0, or -errno with the output named in @p err. */
int export_open(struct exporter *ex, const struct control_config *cfg, char *err, size_t errlen);

/** Write one record (no newline in @p line) to every output. */
void export_record(struct exporter *ex, const char *line);

/** Flush buffered output (after a batch of records). */
void export_flush(struct exporter *ex);

void export_close(struct exporter *ex);

#endif
