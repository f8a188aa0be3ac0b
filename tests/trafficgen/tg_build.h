/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tg_build.h - the packet builder of iocwire-trafficgen: a deterministic
 * function from (configuration, seed, packet sequence number) to one
 * Ethernet frame. Pure C, no DPDK, so the sender, the --pcap-out writer and
 * the unit test all use the very same code.
 *
 * Traffic model (docs/testing.md, "Traffic generator"):
 *  - nb_flows flows; packet n belongs to flow n % nb_flows, so every flow gets
 *    a packet once per pass and consecutive packets belong to different flows;
 *  - exactly round(nb_flows * hit_rate) flows are IOC flows, spread over the
 *    flow numbers by a bijection; an IOC flow's responder is an IOC address
 *    (its port too for ip:port IOCs), the IOCs used in turn;
 *  - other flows go from 10.0.0.0/8 (fd00::/64 for IPv6) to the benchmarking
 *    ranges 198.18.0.0/15 and 2001:2::/48 (RFC 2544, RFC 5180); an IOC inside
 *    those ranges is refused, so a benign flow can never match;
 *  - the initiator is always inside 10.0.0.0/8 or fd00::/64, with an address
 *    unique to its flow, so flows are distinct 5-tuples.
 * Context: any thread; a struct tg_gen is read-only after tg_gen_init().
 */
#ifndef IOCWIRE_TG_BUILD_H
#define IOCWIRE_TG_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TG_MAX_FLOWS (1u << 24)  /**< initiator addresses are unique below this */
#define TG_MIN_FRAME 64          /**< frame sizes count the 4-byte FCS, as on the wire */
#define TG_MAX_FRAME 1522        /**< 1518 + one VLAN tag */
#define TG_FCS 4
#define TG_MAX_SIZES 8

/** One indicator the generator can aim at: an address, and a port for ip:port IOCs. */
struct tg_ioc {
	uint8_t family;   /**< 4 or 6 */
	uint8_t proto;    /**< ip:port IOCs: 6, 17, 132, or 0 for "any" (TCP is used) */
	uint16_t port;    /**< host order; 0: an ip IOC */
	uint8_t addr[16]; /**< network order; IPv4 in addr[0..3] */
};

/** A weighted frame size, e.g. {64, 7}. */
struct tg_size {
	uint16_t frame; /**< bytes on the wire including FCS */
	uint16_t weight;
};

struct tg_config {
	uint64_t seed;
	uint32_t nb_flows;
	double hit_rate;   /**< share of flows that are IOC flows, 0..1 */
	double ipv6_share; /**< share of the benign flows that are IPv6, 0..1 */
	uint16_t vlan;     /**< 802.1Q id on every frame, 0 = untagged */
	bool bidir;        /**< odd passes over a flow go responder -> initiator */
	struct tg_size sizes[TG_MAX_SIZES]; /**< one entry: fixed size; several: a mix */
	unsigned nb_sizes;
	const struct tg_ioc *iocs;
	uint32_t nb_iocs;
	uint8_t src_mac[6], dst_mac[6];
};

struct tg_gen {
	struct tg_config cfg;
	uint32_t nb_ioc_flows;
	uint64_t rank_mul, rank_add; /**< flow -> rank bijection on [0, nb_flows) */
	uint32_t total_weight;
};

/** One flow in the initiator's direction. */
struct tg_flow {
	uint8_t family;
	uint8_t proto;
	bool ioc;
	uint32_t ioc_rank; /**< IOC flows: 0..nb_ioc_flows-1 */
	uint32_t ioc_index; /**< IOC flows: index into cfg.iocs */
	uint16_t sport, dport;
	uint8_t src[16], dst[16];
};

/** Where packet @p seq goes: its flow, direction and size. */
struct tg_pkt_desc {
	uint32_t flow;
	bool reverse;
	uint16_t len;      /**< frame bytes without FCS (what a capture or an mbuf holds) */
	uint32_t ioc_rank; /**< tg_build() only: the flow's IOC rank, or TG_NOT_IOC */
};

#define TG_NOT_IOC UINT32_MAX

/**
 * Check @p cfg and prepare the generator (copies @p cfg; cfg->iocs must stay
 * valid). @return 0, or -EINVAL with a reason in @p err.
 */
int tg_gen_init(struct tg_gen *g, const struct tg_config *cfg, char *err, size_t errlen);

/** Flow @p flow (< nb_flows) in the initiator's direction. */
void tg_flow_get(const struct tg_gen *g, uint32_t flow, struct tg_flow *f);

/** Flow, direction and length of packet @p seq. */
void tg_packet_desc(const struct tg_gen *g, uint64_t seq, struct tg_pkt_desc *d);

/**
 * Write packet @p seq into @p buf (at least TG_MAX_FRAME bytes): Ethernet,
 * optional VLAN, IPv4 or IPv6, TCP or UDP with valid checksums, zero payload.
 * @return the frame length (without FCS), as tg_packet_desc() says.
 */
uint16_t tg_build(const struct tg_gen *g, uint64_t seq, uint8_t *buf, struct tg_pkt_desc *d);

/** Header bytes (Ethernet to L4) of a frame of this family/proto, VLAN included. */
uint16_t tg_header_len(const struct tg_gen *g, uint8_t family, uint8_t proto);

/** Parse "64" or an IMIX spec "64:7,594:4,1518:1" into @p cfg->sizes. 0 or -EINVAL. */
int tg_parse_sizes(struct tg_config *cfg, const char *spec);

/** The standard simple IMIX, 64:7,594:4,1518:1 (mean 353.8 bytes). */
#define TG_IMIX_DEFAULT "64:7,594:4,1518:1"

#endif
