/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_config.c - libFuzzer harness for the YAML configuration loaders of
 * both processes: dp_config_load() (dataplane/dp_config.c) and
 * control_config_load() (control/control_config.c), both through
 * contract/yaml_doc.c. The input is the whole conf/iocwire.yaml; it is
 * written to a memfd and loaded through its /proc/self/fd path, exactly as a
 * file would be.
 *
 * Checked besides memory safety: a loader either succeeds with every value
 * inside the range its setter promises, or fails with a NUL-terminated,
 * non-empty reason; loading is deterministic.
 *
 * Seeds: tests/fuzz/corpus/config (conf/iocwire.yaml and variants).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "control_config.h"
#include "dp_config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define fuzz_check(cond)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "invariant broken: %s\n", #cond);                          \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

static int memfd = -1;
static char path[64];

static void
check_err(const char *err, size_t len)
{
	fuzz_check(memchr(err, '\0', len) != NULL);
	fuzz_check(err[0] != '\0');
}

static void
check_dp(const struct dp_config *c)
{
	fuzz_check(c->mode == DP_MODE_PASSIVE || c->mode == DP_MODE_INLINE);
	fuzz_check(memchr(c->socket_path, '\0', sizeof(c->socket_path)) != NULL);
	fuzz_check(memchr(c->sensor_name, '\0', sizeof(c->sensor_name)) != NULL);
	fuzz_check(c->nb_ports <= DP_MAX_PORTS);
	for (unsigned i = 0; i < c->nb_ports; i++)
		fuzz_check(c->ports[i][0] != '\0' && memchr(c->ports[i], '\0', DP_NAME_MAX) != NULL);
	fuzz_check(c->rx_queues <= 64);
	fuzz_check(c->rx_desc >= 64 && c->rx_desc <= 32768);
	fuzz_check(c->tx_desc >= 64 && c->tx_desc <= 32768);
	fuzz_check(c->burst >= 1 && c->burst <= 64);
	fuzz_check(c->mbufs == 0 || (c->mbufs >= 1023 && c->mbufs <= (1u << 24)));
	fuzz_check(c->mbuf_cache <= 512);
	fuzz_check(c->flow_capacity >= 16 && c->flow_capacity <= (1u << 26));
	fuzz_check(c->event_ring_size >= 64 && c->event_ring_size <= (1u << 20));
	fuzz_check((c->event_ring_size & (c->event_ring_size - 1)) == 0);
}

static void
check_control(const struct control_config *c)
{
	fuzz_check(memchr(c->socket_path, '\0', sizeof(c->socket_path)) != NULL);
	fuzz_check(memchr(c->vendor, '\0', sizeof(c->vendor)) != NULL);
	fuzz_check(c->nb_feeds <= CONTROL_MAX_FEEDS);
	for (unsigned i = 0; i < c->nb_feeds; i++) {
		fuzz_check(c->feeds[i].path[0] != '\0');
		fuzz_check(memchr(c->feeds[i].path, '\0', sizeof(c->feeds[i].path)) != NULL);
		fuzz_check(c->feeds[i].format < FEED_FORMAT_COUNT);
		fuzz_check(c->feeds[i].action == IOCW_ACTION_ALERT || c->feeds[i].action == IOCW_ACTION_DROP);
	}
	fuzz_check(c->nb_exports <= CONTROL_MAX_EXPORTS);
	fuzz_check(c->nb_home <= CONTROL_MAX_NETS);
	for (unsigned i = 0; i < c->nb_home; i++) {
		const struct control_net *n = &c->home[i];

		fuzz_check(n->family == 4 || n->family == 6);
		fuzz_check(n->prefix_len <= (n->family == 4 ? 32 : 128));
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dp_config dp, dp2;
	static struct control_config ctl;
	char err[1024], err2[1024];
	int rc, rc2;

	if (memfd < 0) {
		memfd = memfd_create("fuzz_config", MFD_CLOEXEC);
		if (memfd < 0)
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", memfd);
	}
	if (ftruncate(memfd, 0) != 0 || pwrite(memfd, data, size, 0) != (ssize_t)size)
		abort();

	dp_config_defaults(&dp);
	memset(err, 0, sizeof(err));
	rc = dp_config_load(&dp, path, err, sizeof(err));
	if (rc == 0)
		check_dp(&dp);
	else
		check_err(err, sizeof(err));
	/* Same file, same outcome. */
	dp_config_defaults(&dp2);
	rc2 = dp_config_load(&dp2, path, err2, sizeof(err2));
	fuzz_check(rc == rc2);
	fuzz_check(rc != 0 || memcmp(&dp, &dp2, sizeof(dp)) == 0);
	fuzz_check(rc == 0 || strcmp(err, err2) == 0);

	control_config_defaults(&ctl);
	memset(err, 0, sizeof(err));
	rc = control_config_load(&ctl, path, err, sizeof(err));
	if (rc == 0)
		check_control(&ctl);
	else
		check_err(err, sizeof(err));
	/* The caller owns the exclusion set (control_config.h has no release function). */
	exclusions_free(ctl.excl);
	ctl.excl = NULL;
	return 0;
}
