/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_pkt_parse.c - libFuzzer harness for pkt_parse() and, with VXLAN,
 * GENEVE and GRE/ERSPAN on, pkt_parse_tunnels(): the input is one Ethernet
 * frame. Besides memory safety (ASan/UBSan), it checks the contract
 * the worker relies on: a known result code, offsets inside the frame, and
 * self-consistent flags and addresses on PKT_PARSE_OK.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
 *       -I dataplane tests/fuzz/fuzz_pkt_parse.c dataplane/pkt_parse.c -o /tmp/fz
 *   cp -r tests/fuzz/corpus/pkt_parse /tmp/fz-corpus
 *   /tmp/fz -max_total_time=60 /tmp/fz-corpus
 *
 * -fno-sanitize-recover makes UBSan findings fatal (otherwise they only print).
 * libFuzzer adds new inputs to the first corpus directory: fuzz a copy so the
 * committed seed corpus (tests/tools/mkpcap.py corpus) stays small.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pkt_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* abort() rather than assert(): the checks must survive -DNDEBUG builds. */
#define fuzz_check(cond)                                                                           \
	do {                                                                                       \
		if (!(cond))                                                                       \
			abort();                                                                   \
	} while (0)

static int
all_zero(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != 0)
			return 0;
	return 1;
}

/* The contract of one parse (@p t: tunnels decapsulated, or NULL for pkt_parse()). */
static void
check_parse(const uint8_t *copy, size_t size, const struct pkt_tunnels *t)
{
	struct pkt_info info, again;
	enum pkt_parse_result res;

	/* Different garbage in the two outputs: on PKT_PARSE_OK every field must be written. */
	memset(&info, 0x00, sizeof(info));
	memset(&again, 0xa5, sizeof(again));
	res = t ? pkt_parse_tunnels(copy, (uint32_t)size, t, &info) : pkt_parse(copy, (uint32_t)size, &info);
	fuzz_check((unsigned int)res < PKT_PARSE_RESULT_COUNT);
	fuzz_check(pkt_parse_result_name(res) != NULL);

	/* Pure function: same input, same output (only "partially filled" on an error). */
	fuzz_check((t ? pkt_parse_tunnels(copy, (uint32_t)size, t, &again)
		      : pkt_parse(copy, (uint32_t)size, &again)) == res);
	if (res != PKT_PARSE_OK)
		return;
	fuzz_check(info.vlan <= 0x0fff);
	fuzz_check(memcmp(&info, &again, sizeof(info)) == 0);
	fuzz_check(info.family == 4 || info.family == 6);
	fuzz_check(info.l3_end <= size);
	fuzz_check(info.l4_offset <= info.l3_end);
	fuzz_check(info.payload_offset <= info.l3_end);
	if (info.family == 4) {
		fuzz_check(all_zero(info.src + 4, 12));
		fuzz_check(all_zero(info.dst + 4, 12));
	}
	/* Decapsulated only when asked, and never both flags. */
	fuzz_check(t != NULL || !(info.flags & (PKT_FLAG_TUNNEL | PKT_FLAG_TUNNEL_OUTER)));
	fuzz_check((info.flags & (PKT_FLAG_TUNNEL | PKT_FLAG_TUNNEL_OUTER)) !=
		   (PKT_FLAG_TUNNEL | PKT_FLAG_TUNNEL_OUTER));
	if (info.flags & PKT_FLAG_LATER_FRAG) {
		fuzz_check(info.flags & PKT_FLAG_FRAGMENT);
		fuzz_check(!(info.flags & PKT_FLAG_HAS_PORTS));
		fuzz_check(info.l4_offset == 0 && info.payload_offset == 0);
	} else {
		/* At least Ethernet + the fixed IP header precede L4 (more inside a tunnel). */
		fuzz_check(info.l4_offset >= 14 + (info.family == 4 ? 20 : 40));
	}
	if (info.flags & PKT_FLAG_HAS_PORTS) {
		fuzz_check(info.proto == 6 || info.proto == 17 || info.proto == 132);
		fuzz_check(info.payload_offset >= info.l4_offset + 8);
		/* The ports really are the first bytes of the transport header. */
		fuzz_check((uint16_t)(copy[info.l4_offset] << 8 | copy[info.l4_offset + 1]) == info.sport);
		fuzz_check((uint16_t)(copy[info.l4_offset + 2] << 8 | copy[info.l4_offset + 3]) == info.dport);
	} else {
		fuzz_check(info.sport == 0 && info.dport == 0);
	}
	if (info.proto != 6)
		fuzz_check(info.tcp_flags == 0);
	if (info.payload_offset != 0)
		fuzz_check(info.payload_offset >= info.l4_offset);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct pkt_tunnels all_tunnels = {.vxlan_port = 4789, .geneve_port = 6081, .gre = 1};
	uint8_t *copy;

	if (size > UINT32_MAX)
		return 0;
	/* Exact-size heap copy: any read past the frame end hits ASan's redzone. */
	copy = malloc(size ? size : 1);
	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	check_parse(copy, size, NULL);
	check_parse(copy, size, &all_tunnels);
	free(copy);
	return 0;
}
