/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pkt_parse.c - the out-of-line pkt_parse() for tests and fuzzers, and the
 * counter names. The decoder itself is in pkt_parse_inline.h and
 * pkt_tunnel_inline.h.
 */
#include "pkt_tunnel_inline.h"

static const char *const pkt_parse_result_names[PKT_PARSE_RESULT_COUNT] = {
    [PKT_PARSE_OK] = "ok",
    [PKT_PARSE_NOT_IP] = "not_ip",
    [PKT_PARSE_TRUNC_L2] = "trunc_l2",
    [PKT_PARSE_TRUNC_L3] = "trunc_l3",
    [PKT_PARSE_TRUNC_L4] = "trunc_l4",
    [PKT_PARSE_BAD_L3] = "bad_l3",
    [PKT_PARSE_BAD_L4] = "bad_l4",
    [PKT_PARSE_TOO_MANY_HDRS] = "too_many_hdrs",
};

enum pkt_parse_result
pkt_parse(const uint8_t *frame, uint32_t len, struct pkt_info *info)
{
	return pkt_parse_inline(frame, len, info);
}

enum pkt_parse_result
pkt_parse_tunnels(const uint8_t *frame, uint32_t len, const struct pkt_tunnels *tunnels, struct pkt_info *info)
{
	return pkt_parse_tunnels_inline(frame, len, tunnels, info);
}

const char *
pkt_parse_result_name(enum pkt_parse_result res)
{
	if ((unsigned int)res >= PKT_PARSE_RESULT_COUNT)
		return "unknown";
	return pkt_parse_result_names[res];
}
