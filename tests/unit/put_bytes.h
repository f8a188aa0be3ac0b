/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * put_bytes.h - append to a hand-built frame or message: any struct with a
 * byte array `b` and a uint32_t `len` (the tests size `b` for what they
 * build). Network byte order for put16. Macros so one definition serves each
 * test's own struct.
 */
#ifndef IOCWIRE_TEST_PUT_BYTES_H
#define IOCWIRE_TEST_PUT_BYTES_H

#include <string.h>

#define put8(f, v) ((void)((f)->b[(f)->len++] = (uint8_t)(v)))
#define put16(f, v) (put8((f), (uint16_t)(v) >> 8), put8((f), (v)))
#define put_bytes(f, p, n) ((void)memcpy((f)->b + (f)->len, (p), (n)), (f)->len += (uint32_t)(n))
#define put_zeros(f, n) ((void)memset((f)->b + (f)->len, 0, (n)), (f)->len += (uint32_t)(n))

#endif
