/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_spool.c - the on-disk spool in a temporary directory: FIFO order,
 * commit and rewind, survival across close/open (a restart), a torn record
 * at the end (a crash mid-write), both drop policies when full, and a write
 * error (a file size limit standing in for a full disk).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "spool.h"

static char dir[64];

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/test_spool.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	spool_remove(dir);
	return 0;
}

static struct spool *
open_spool(uint64_t max, enum delivery_drop drop)
{
	char err[256];
	struct spool *s = spool_open(dir, max, drop, err, sizeof(err));

	assert_non_null(s);
	return s;
}

static void
push_n(struct spool *s, int from, int to)
{
	char rec[64];

	for (int i = from; i < to; i++) {
		int n = snprintf(rec, sizeof(rec), "record %06d", i);

		assert_int_equal(spool_push(s, rec, (size_t)n), 0);
	}
}

/* Read the next record and check it is "record <want>". */
static void
expect(struct spool *s, int want)
{
	char buf[SPOOL_MAX_RECORD], text[64];
	ssize_t n = spool_read(s, buf, sizeof(buf));

	snprintf(text, sizeof(text), "record %06d", want);
	assert_int_equal(n, strlen(text));
	assert_memory_equal(buf, text, (size_t)n);
}

static void
test_order_commit_rewind(void **state)
{
	struct spool *s = open_spool(1 << 20, DELIVERY_DROP_OLDEST);
	char buf[64];
	struct spool_pos pos;

	(void)state;
	assert_int_equal(spool_read(s, buf, sizeof(buf)), 0);
	push_n(s, 0, 5);
	assert_int_equal(spool_pending(s), 5);
	expect(s, 0);
	expect(s, 1);
	pos = spool_tell(s);
	expect(s, 2);
	assert_int_equal(spool_commit(s, pos), 0);
	assert_int_equal(spool_pending(s), 3);
	spool_rewind(s); /* the connection broke: 2 was not acknowledged */
	expect(s, 2);
	expect(s, 3);
	expect(s, 4);
	assert_int_equal(spool_read(s, buf, sizeof(buf)), 0);
	assert_int_equal(spool_commit(s, spool_tell(s)), 0);
	assert_int_equal(spool_pending(s), 0);
	assert_int_equal(spool_dropped(s), 0);
	spool_close(s);
}

static void
test_restart_keeps_uncommitted(void **state)
{
	struct spool *s = open_spool(1 << 20, DELIVERY_DROP_OLDEST);

	(void)state;
	push_n(s, 0, 3);
	expect(s, 0);
	assert_int_equal(spool_commit(s, spool_tell(s)), 0);
	expect(s, 1); /* read, not committed: must come back after a restart */
	spool_close(s);
	s = open_spool(1 << 20, DELIVERY_DROP_OLDEST);
	assert_int_equal(spool_pending(s), 2);
	push_n(s, 3, 4);
	expect(s, 1);
	expect(s, 2);
	expect(s, 3);
	spool_close(s);
}

static void
test_torn_tail_after_crash(void **state)
{
	struct spool *s = open_spool(1 << 20, DELIVERY_DROP_OLDEST);
	char path[128], buf[64];
	int fd;

	(void)state;
	push_n(s, 0, 2);
	spool_close(s);
	/* A crash in the middle of a write: a header that promises more than follows. */
	snprintf(path, sizeof(path), "%s/%016x.seg", dir, 0);
	fd = open(path, O_WRONLY | O_APPEND);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "\x40\x00\x00\x00\x01\x02\x03\x04half", 12), 12);
	close(fd);
	s = open_spool(1 << 20, DELIVERY_DROP_OLDEST);
	assert_int_equal(spool_pending(s), 2);
	expect(s, 0);
	expect(s, 1);
	assert_int_equal(spool_read(s, buf, sizeof(buf)), 0);
	push_n(s, 2, 3); /* appends after the cut tail, not after the garbage */
	expect(s, 2);
	spool_close(s);
}

static void
test_drop_oldest(void **state)
{
	/* 64 KiB limit, 64 KiB segments: ~3200 records of 20 bytes fill it. */
	struct spool *s = open_spool(65536, DELIVERY_DROP_OLDEST);
	uint64_t pending;

	(void)state;
	push_n(s, 0, 10000);
	pending = spool_pending(s);
	assert_true(spool_bytes(s) <= 65536);
	assert_int_equal(pending + spool_dropped(s), 10000);
	assert_true(spool_dropped(s) > 0);
	/* What is left is the newest, in order, ending with the last one. */
	expect(s, (int)(10000 - pending));
	spool_close(s);
}

static void
test_drop_newest(void **state)
{
	struct spool *s = open_spool(65536, DELIVERY_DROP_NEWEST);
	char rec[64];
	uint64_t refused = 0;

	(void)state;
	for (int i = 0; i < 10000; i++) {
		int n = snprintf(rec, sizeof(rec), "record %06d", i);
		int rc = spool_push(s, rec, (size_t)n);

		assert_true(rc == 0 || rc == -ENOBUFS);
		refused += rc == -ENOBUFS;
	}
	assert_int_equal(spool_dropped(s), refused);
	assert_int_equal(spool_pending(s) + refused, 10000);
	expect(s, 0); /* the oldest are kept */
	/* Delivering frees room: new records are taken again. */
	while (spool_read(s, rec, sizeof(rec)) > 0)
		;
	assert_int_equal(spool_commit(s, spool_tell(s)), 0);
	assert_int_equal(spool_push(s, "again", 5), 0);
	spool_close(s);
}

static void
test_too_big(void **state)
{
	struct spool *s = open_spool(65536, DELIVERY_DROP_OLDEST);
	static char big[SPOOL_MAX_RECORD + 1];

	(void)state;
	assert_int_equal(spool_push(s, big, sizeof(big)), -EMSGSIZE);
	spool_close(s);
}

/* The head file holds a record from the open on, so a commit never needs new space. */
static void
test_head_written_at_open(void **state)
{
	struct spool *s = open_spool(65536, DELIVERY_DROP_OLDEST);
	char path[128];
	struct stat st;

	(void)state;
	snprintf(path, sizeof(path), "%s/head", dir);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 32);
	spool_close(s);
}

/*
 * A write that fails (the process's file size limit, as a full disk would): the
 * record is refused with an error, no part of it stays in the segment, and once
 * there is room again the spool takes records and reads them back in order.
 */
static void
test_write_error(void **state)
{
	struct spool *s = open_spool(1 << 20, DELIVERY_DROP_OLDEST);
	struct rlimit old, lim;
	int ok = 0, rc = 0;

	(void)state;
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	lim = old;
	lim.rlim_cur = 1000;
	signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	while (ok < 1000) {
		char rec[64];
		int n = snprintf(rec, sizeof(rec), "record %06d", ok);

		rc = spool_push(s, rec, (size_t)n);
		if (rc < 0)
			break;
		ok++;
	}
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, SIG_DFL);
	assert_true(rc < 0);
	assert_true(ok > 10 && ok < 100);
	assert_int_equal(spool_pending(s), ok);
	push_n(s, ok, ok + 5);
	for (int i = 0; i < ok + 5; i++)
		expect(s, i);
	spool_close(s);
	/* The same after a restart: no torn record was left in the segment. */
	s = open_spool(1 << 20, DELIVERY_DROP_OLDEST);
	assert_int_equal(spool_pending(s), ok + 5);
	for (int i = 0; i < ok + 5; i++)
		expect(s, i);
	spool_close(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_order_commit_rewind, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restart_keeps_uncommitted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_torn_tail_after_crash, setup, teardown),
		cmocka_unit_test_setup_teardown(test_drop_oldest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_drop_newest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_too_big, setup, teardown),
		cmocka_unit_test_setup_teardown(test_head_written_at_open, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_error, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
