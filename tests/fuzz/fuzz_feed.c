/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_feed.c - libFuzzer harness for the feed parsers. The first byte picks
 * the format (bits 0-5: auto or one of the formats, modulo their number),
 * MISP's take-all option (bit 6) and strict mode (bit 7); the rest is the
 * feed. For suricata-iprep and misp-feed, the bytes before a form feed
 * ('\f') are the side file: the categories file, or the one event file the
 * manifest may name (00000000-0000-4000-8000-000000000000.json). The sink
 * checks the invariants every consumer of a struct ioc relies on, and aborts
 * when one is broken.
 *
 * clang -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -I dataplane -I control \
 *       tests/fuzz/fuzz_feed.c control/feed*.c control/stix_pattern.c control/ioc.c \
 *       control/json.c -o fuzz_feed
 * ./fuzz_feed tests/fuzz/corpus/feed
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "feed.h"

#define FUZZ_EVENT_UUID "00000000-0000-4000-8000-000000000000"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_check(int ok, const char *what, const struct ioc *ioc)
{
	if (ok)
		return;
	fprintf(stderr, "invariant broken: %s (value \"%s\")\n", what,
		ioc->value ? ioc->value : "(null)");
	abort();
}

static int
fuzz_sink(void *ctx, const struct ioc *ioc)
{
	int addr =
	    ioc->type == IOCW_IOC_IP || ioc->type == IOCW_IOC_IP_PORT || ioc->type == IOCW_IOC_CIDR;
	size_t len;

	(void)ctx;
	fuzz_check(ioc->value != NULL, "value is set", ioc);
	len = strlen(ioc->value);
	fuzz_check(len > 0 && len < IOC_VALUE_MAX, "value length", ioc);
	fuzz_check(ioc->type < IOCW_IOC_TYPE_COUNT, "type in range", ioc);
	fuzz_check(!addr || ioc->family == IOCW_FAMILY_V4 || ioc->family == IOCW_FAMILY_V6,
		   "family 4 or 6 for address types", ioc);
	fuzz_check(addr || ioc->family == 0, "family 0 for names", ioc);
	fuzz_check(ioc->type != IOCW_IOC_IP_PORT || ioc->port != 0, "ip:port has a port", ioc);
	fuzz_check(ioc->type == IOCW_IOC_IP_PORT || ioc->port == 0, "port only on ip:port", ioc);
	fuzz_check(ioc->proto == 0 || ioc->proto == 6 || ioc->proto == 17 || ioc->proto == 132,
		   "proto is TCP, UDP, SCTP or any", ioc);
	fuzz_check(ioc->type != IOCW_IOC_CIDR ||
		       ioc->prefix_len <= (ioc->family == IOCW_FAMILY_V4 ? 32 : 128),
		   "prefix length in range", ioc);
	fuzz_check(ioc->confidence >= -1 && ioc->confidence <= 100, "confidence -1..100", ioc);
	fuzz_check(ioc->feed != NULL && ioc->feed[0] != '\0', "feed name", ioc);
	fuzz_check(ioc->first_seen >= 0 && ioc->last_seen >= 0 && ioc->valid_until >= 0,
		   "times not negative", ioc);
	/* Metadata strings must be readable. */
	fuzz_check(!ioc->malware || strlen(ioc->malware) < (1u << 20), "malware", ioc);
	fuzz_check(!ioc->threat || strlen(ioc->threat) < (1u << 20), "threat", ioc);
	fuzz_check(!ioc->reference || strlen(ioc->reference) < (1u << 20), "reference", ioc);
	fuzz_check(!ioc->tags || strlen(ioc->tags) < (1u << 20), "tags", ioc);
	return 0;
}

/* Most indicators one record (line, attribute, STIX indicator) of a format can give. */
static size_t
fuzz_per_record(enum feed_format f)
{
	switch (f) {
	case FEED_FORMAT_MISP:
	case FEED_FORMAT_MISP_FEED:
		return 16; /* an ip-port object's ports */
	case FEED_FORMAT_STIX:
		return 256; /* STIX_PATTERN_MAX_ITEMS */
	case FEED_FORMAT_THREATFOX_HOSTFILE:
		return 1u << 20; /* names per line: see below */
	default:
		return 1;
	}
}

/* A scratch directory for the side files; the categories file sits in it too. */
static char fuzz_dir[64];

static void
fuzz_cleanup(void)
{
	static const char *const names[] = {"categories.txt", FUZZ_EVENT_UUID ".json"};
	char path[128];
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", fuzz_dir, names[i]);
		unlink(path);
	}
	rmdir(fuzz_dir);
}

static void
fuzz_setup(void)
{
	const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";

	snprintf(fuzz_dir, sizeof(fuzz_dir), "%s/fuzz_feed.XXXXXX", base);
	if (mkdtemp(fuzz_dir) == NULL)
		abort();
	atexit(fuzz_cleanup);
}

static void
fuzz_write(const char *name, const uint8_t *data, size_t len)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", fuzz_dir, name);
	f = fopen(path, "wb");
	if (f == NULL)
		abort();
	if (len > 0 && fwrite(data, 1, len, f) != len)
		abort();
	fclose(f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	struct feed_options opt = {0};
	char cats[128], manifest[128];
	const uint8_t *ff;
	const char *path = "fuzz";
	struct feed_stats st;
	size_t total;
	char *copy;

	if (size == 0)
		return 0;
	if (devnull == NULL) {
		devnull = fopen("/dev/null", "w");
		fuzz_setup();
	}
	opt.format = (enum feed_format)((data[0] & 0x3f) % FEED_FORMAT_COUNT);
	opt.misp_all = (data[0] & 0x40) != 0;
	opt.strict = (data[0] & 0x80) != 0;
	opt.errors = devnull;
	total = size;
	data++;
	size--;
	ff = memchr(data, '\f', size);
	if (ff != NULL && opt.format == FEED_FORMAT_SURICATA_IPREP) {
		fuzz_write("categories.txt", data, (size_t)(ff - data));
		snprintf(cats, sizeof(cats), "%s/categories.txt", fuzz_dir);
		opt.categories = cats;
		size -= (size_t)(ff + 1 - data);
		data = ff + 1;
	} else if (opt.format == FEED_FORMAT_MISP_FEED) {
		/* Rewritten every time (empty without '\f'), so that a run replays alone. */
		fuzz_write(FUZZ_EVENT_UUID ".json", data, ff ? (size_t)(ff - data) : 0);
		snprintf(manifest, sizeof(manifest), "%s/manifest.json", fuzz_dir);
		path = manifest;
		if (ff != NULL) {
			size -= (size_t)(ff + 1 - data);
			data = ff + 1;
		}
	}
	/* An exact-size heap copy, so ASan sees any read past the end. */
	copy = malloc(size ? size : 1);
	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	feed_load_buffer(path, copy, size, &opt, fuzz_sink, NULL, &st);
	/* A bounded number of indicators per record; a host name takes at least 4 bytes. */
	if (st.nb_iocs > st.nb_lines * fuzz_per_record(st.format) || st.nb_iocs > total / 2)
		abort();
	free(copy);
	return 0;
}
