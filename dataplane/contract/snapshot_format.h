/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * snapshot_format.h - the on-disk/in-memory layout of an IOC snapshot: one
 * self-contained, position-independent blob (offsets, never pointers) that the
 * control plane writes and the dataplane maps read-only. docs/snapshot-format.md
 * describes it for people; this header is the contract.
 *
 * All integers are little-endian (the blob is produced and consumed on the same
 * kind of host; the header records the byte order so a foreign blob is refused).
 */
#ifndef IOCWIRE_SNAPSHOT_FORMAT_H
#define IOCWIRE_SNAPSHOT_FORMAT_H

#include <stdint.h>

#define SNAP_MAGIC "IOCWSNAP"
#define SNAP_FORMAT_VERSION 1
#define SNAP_ENDIAN_TAG 0x01020304u
#define SNAP_ALIGN 64 /* every section starts on a cache line */
#define SNAP_FLAG_MONITOR_ONLY 0x1 /**< dry run: drop verdicts become would-block, packets pass */

/* Sections, in blob order. Append only. */
enum snap_section_id {
	SNAP_SEC_FILTER = 0, /**< blocked Bloom filter over addresses: u64 words */
	SNAP_SEC_V4_KEYS,    /**< IPv4 table keys: u64[capacity], 0 = empty slot */
	SNAP_SEC_V4_VALS,    /**< IPv4 table values: u32[capacity] */
	SNAP_SEC_V6,         /**< IPv6 table: struct snap_v6_entry[capacity] */
	SNAP_SEC_META,       /**< struct snap_meta[count] */
	SNAP_SEC_STRINGS,    /**< NUL-terminated strings; offset 0 is "" */
	SNAP_SEC_CIDR4_INDEX, /**< u32[65537]: slice of CIDR4_RANGES per /16 (empty section: no IPv4 CIDR) */
	SNAP_SEC_CIDR4_RANGES, /**< struct snap_range4[count], ascending starts */
	SNAP_SEC_CIDR6_RANGES, /**< struct snap_range6[count], ascending starts */
	SNAP_SEC_NAMES,      /**< struct snap_name[capacity]: domain indicators (val 0 = empty slot) */
	SNAP_SEC_URLS,       /**< struct snap_url[count]: URL indicator per Hyperscan pattern id */
	SNAP_SEC_URL_HSDB,   /**< serialized Hyperscan block-mode database of the URLs (may be empty) */
	SNAP_SEC_EXCL,       /**< struct snap_exclusion[count] */
	SNAP_SEC_EXCL_NETS,  /**< struct snap_excl_net[count]: host groups and indicator conditions */
	SNAP_SEC_EXCL_PORTS, /**< u16[count] */
	SNAP_SEC_EXCL_WEEK,  /**< u64 words: minute-of-week bitmaps (SNAP_WEEK_WORDS per schedule) */
	SNAP_SEC_EXCL_TZ,    /**< struct snap_tz_change[count]: UTC offsets of the schedules' zones */
	SNAP_SEC_COUNT
};

struct snap_section {
	uint64_t offset; /**< from the start of the blob, multiple of SNAP_ALIGN */
	uint64_t size;   /**< bytes */
	uint64_t count;  /**< elements (table capacity for hash tables) */
};

struct snap_header {
	char magic[8];            /**< SNAP_MAGIC, not NUL-terminated */
	uint32_t format_version;  /**< SNAP_FORMAT_VERSION */
	uint32_t endian_tag;      /**< SNAP_ENDIAN_TAG as written by the producer */
	uint64_t total_size;      /**< bytes in the blob, header included */
	uint64_t generation;      /**< increases with every compile of one control plane */
	uint64_t created_unix;    /**< seconds since the epoch */
	uint32_t checksum;        /**< CRC32C of the blob with this field read as zero */
	uint32_t header_size;     /**< sizeof(struct snap_header) */
	uint64_t nb_iocs;         /**< indicators compiled in (after de-duplication) */
	uint32_t nb_by_type[8];   /**< indicators per enum iocw_ioc_type */
	uint64_t filter_hashes;   /**< bits set per address in the filter (k) */
	uint32_t flags;           /**< SNAP_FLAG_* */
	uint32_t reserved;
	struct snap_section sections[SNAP_SEC_COUNT];
};

/*
 * IPv4 table: open addressing with linear probing over u64 keys.
 *  key = SNAP_KIND_ADDR << 62 | addr                    (ip IOC / address presence)
 *  key = SNAP_KIND_PORT << 62 | proto << 48 | port << 32 | addr   (ip:port IOC)
 * addr is the IPv4 address in host order; proto 0 means "TCP, UDP or SCTP".
 */
#define SNAP_KIND_ADDR 1ULL
#define SNAP_KIND_PORT 2ULL
#define SNAP_KIND_CIDR 3ULL /**< only in events and hits: CIDR IOCs live in the range sections */
#define SNAP_KIND_NAME 4ULL /**< only in events: a domain or URL indicator seen in DNS/TLS/HTTP */

/*
 * Values: meta index + 1, so 0 means "absent". An address-level value also has
 * bit 31 set when the address has ip:port IOCs; its low bits are 0 when the
 * address itself is not an ip IOC.
 */
#define SNAP_VAL_HAS_PORTS 0x80000000u
#define SNAP_VAL_META_MASK 0x7fffffffu

/* IPv6 table entry; tag = kind << 30 | proto << 16 | port, 0 = empty slot. */
struct snap_v6_entry {
	uint64_t hi; /**< first 8 address bytes, as loaded from the packet (memcpy) */
	uint64_t lo; /**< last 8 address bytes */
	uint32_t tag;
	uint32_t val;
};

/*
 * CIDR IOCs are compiled into non-overlapping address ranges: each range runs
 * from its start to the next range's start and carries the value of the
 * longest prefix covering it (0 = no CIDR covers it). IPv4 ranges are split
 * at /16 boundaries and CIDR4_INDEX gives each /16 its slice, so a lookup is
 * one index read plus a search among a few ranges.
 * val = prefix_len << 24 | (meta index + 1).
 */
#define SNAP_CIDR4_BUCKETS 65536
#define SNAP_RANGE_META_MASK 0x00ffffffu

struct snap_range4 {
	uint32_t start; /**< host order */
	uint32_t val;
};

struct snap_range6 {
	uint64_t start_hi; /**< address as a 128-bit number: high 64 bits */
	uint64_t start_lo;
	uint32_t val;
	uint32_t reserved;
};

/*
 * Domain indicators: open addressing over the hash of the lower-case name
 * (snapshot_name_suffixes()); a wire name matches the longest of its
 * label-aligned suffixes present, so "evil.example" matches "a.evil.example"
 * but not "notevil.example".
 */
struct snap_name {
	uint64_t hash;
	uint32_t str; /**< the indicator name in SNAP_SEC_STRINGS */
	uint32_t val; /**< meta index + 1; 0 = empty slot */
};

/* URL indicators: Hyperscan pattern i (anchored literal: exact, or prefix) is urls[i]. */
struct snap_url {
	uint32_t str; /**< the indicator URL in SNAP_SEC_STRINGS */
	uint32_t val; /**< meta index + 1 */
};

/*
 * Exclusions (docs/exclusions.md): evaluated in the worker only when a flow
 * first matches an indicator. Every condition given must hold; an empty list
 * means "any". Host nets are matched on the flow's other (internal) endpoint,
 * ports on either endpoint, indicator nets on the matched indicator.
 */
#define SNAP_WEEK_MINUTES (7 * 24 * 60)
#define SNAP_WEEK_WORDS ((SNAP_WEEK_MINUTES + 63) / 64)
#define SNAP_NONE 0xffffffffu

enum snap_excl_mode {
	SNAP_EXCL_SUPPRESS = 0, /**< count only: no record */
	SNAP_EXCL_TAG = 1,      /**< export with DeviceAction=excluded and the exclusion's name */
};

struct snap_exclusion {
	uint32_t name;       /**< string */
	uint32_t feeds;      /**< string: comma-separated feed names, 0 = any */
	uint32_t families;   /**< string: comma-separated malware families, 0 = any */
	uint32_t hosts_off, nb_hosts; /**< into EXCL_NETS */
	uint32_t iocs_off, nb_iocs;   /**< into EXCL_NETS (kind set) */
	uint32_t ports_off, nb_ports; /**< into EXCL_PORTS */
	uint32_t week_off;   /**< first word in EXCL_WEEK, SNAP_NONE = always */
	uint32_t tz_off, nb_tz; /**< into EXCL_TZ */
	uint8_t mode;        /**< enum snap_excl_mode */
	uint8_t types_mask;  /**< bit (1 << enum iocw_ioc_type) per allowed type, 0 = any */
	uint8_t proto_mask;  /**< bit 0 TCP, 1 UDP, 2 SCTP, 3 ICMP/ICMPv6, 4 other; 0 = any */
	uint8_t reserved;
};

struct snap_excl_net {
	uint8_t family;
	uint8_t prefix_len;
	uint16_t port;   /**< indicator conditions on ip:port: the port */
	uint8_t kind;    /**< indicator conditions: SNAP_KIND_*; host nets: 0 */
	uint8_t reserved[3];
	uint8_t addr[16];
};

/** From utc_start on (seconds since the epoch), local time is UTC + offset_s. */
struct snap_tz_change {
	int64_t utc_start;
	int32_t offset_s;
	uint32_t reserved;
};

/* Metadata record, shared by every IOC with identical metadata. */
struct snap_meta {
	uint32_t feed;      /**< string offsets into SNAP_SEC_STRINGS */
	uint32_t malware;
	uint32_t threat;
	uint32_t reference;
	uint32_t tags;
	uint32_t first_seen; /**< unix seconds, 0 unknown */
	uint32_t last_seen;
	int8_t confidence;   /**< 0..100, -1 unknown */
	uint8_t action;      /**< enum iocw_action */
	uint8_t type;        /**< enum iocw_ioc_type of the indicator(s) using it */
	uint8_t reserved;
};

#endif
