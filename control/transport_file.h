/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * transport_file.h - records appended to a file (or stdout), one per line,
 * buffered and written with write(2); optional size-based rotation
 * (path -> path.1 -> ... -> path.keep, oldest deleted).
 * Context: control process main thread.
 */
#ifndef IOCWIRE_TRANSPORT_FILE_H
#define IOCWIRE_TRANSPORT_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TRANSPORT_FILE_BUF 65536

struct transport_file {
	int fd;
	bool owned;
	char path[512];
	uint64_t size;         /**< bytes in the current file, buffer included */
	uint64_t rotate_bytes; /**< 0 = never rotate */
	uint32_t keep;
	uint64_t nb_records, nb_rotations, nb_errors;
	size_t buf_len;
	char buf[TRANSPORT_FILE_BUF];
};

/** Open @p path for appending (NULL = stdout). 0, or -errno with @p err. */
int transport_file_open(struct transport_file *f, const char *path, uint64_t rotate_bytes,
			uint32_t keep, char *err, size_t errlen);

/** Append @p line (no newline) and a newline, rotating first when the file would pass the limit. */
void transport_file_write(struct transport_file *f, const char *line, size_t len);

/** Write out the buffer. */
void transport_file_flush(struct transport_file *f);

void transport_file_close(struct transport_file *f);

#endif
