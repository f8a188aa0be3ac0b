/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * extract_bench.c - nanoseconds per call of the name extractors on typical
 * payloads (a DNS query, browser-like ClientHellos, a browser GET), on the
 * payloads they must reject (what most packets cost), and of the two-segment
 * ClientHello join. Payload in cache, as in the worker after the parse.
 * Prints one JSON object per result: {"name", "value", "unit", ...}; value is
 * the fastest of 15 runs (the code's cost on a machine shared with other
 * work), "median" the median.
 *
 *   extract_bench [--calls N] [--only NAME]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "extract.h"
#include "tls_reasm.h"
#include "../unit/test_tls_hello.h"

#define RUNS 15

static const char *only; /* --only NAME: run just that benchmark */

static volatile uint64_t sink;

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

typedef uint64_t (*bench_fn)(const uint8_t *p, uint32_t len, uint64_t calls);

static void
run(const char *name, bench_fn fn, const uint8_t *p, uint32_t len, uint64_t calls,
    const char *expect)
{
	double per[RUNS];

	if (only != NULL && strcmp(only, name) != 0)
		return;
	sink += fn(p, len, calls / 10); /* warm-up */
	for (int r = 0; r < RUNS; r++) {
		uint64_t t0 = now_ns();

		sink += fn(p, len, calls);
		per[r] = (double)(now_ns() - t0) / (double)calls;
	}
	qsort(per, RUNS, sizeof(per[0]), cmp_double);
	printf("{\"name\": \"extract_%s\", \"value\": %.1f, \"unit\": \"ns/call\", "
	       "\"median\": %.1f, \"payload_bytes\": %u, \"calls\": %llu, \"result\": \"%s\"}\n",
	       name, per[0], per[RUNS / 2], len, (unsigned long long)calls, expect);
}

static struct extract_name n1, n2;

static uint64_t
bench_dns(const uint8_t *p, uint32_t len, uint64_t calls)
{
	uint64_t s = 0;

	for (uint64_t i = 0; i < calls; i++)
		s += (uint64_t)extract_dns_qname(p, len, false, &n1) + n1.len;
	return s;
}

static uint64_t
bench_tls(const uint8_t *p, uint32_t len, uint64_t calls)
{
	uint64_t s = 0;

	for (uint64_t i = 0; i < calls; i++)
		s += (uint64_t)extract_tls_sni(p, len, &n1) + n1.len;
	return s;
}

static uint64_t
bench_http(const uint8_t *p, uint32_t len, uint64_t calls)
{
	uint64_t s = 0;

	for (uint64_t i = 0; i < calls; i++)
		s += (uint64_t)extract_http_request(p, len, &n1, &n2) + n1.len + n2.len;
	return s;
}

/* What a non-TLS, non-HTTP TCP payload costs: both extractors say no. */
static uint64_t
bench_tcp_reject(const uint8_t *p, uint32_t len, uint64_t calls)
{
	uint64_t s = 0;

	for (uint64_t i = 0; i < calls; i++)
		s += (uint64_t)extract_tls_sni(p, len, &n1) +
		     (uint64_t)extract_http_request(p, len, &n1, &n2);
	return s;
}

static struct tls_reasm reasm;

/* A ClientHello cut at 1400 bytes: save the first segment, join the second. */
static uint64_t
bench_reasm(const uint8_t *p, uint32_t len, uint64_t calls)
{
	uint8_t cli[16] = {10, 0, 0, 1}, srv[16] = {192, 0, 2, 1};
	struct flow_key key;
	uint64_t hash, s = 0;
	bool src_is_a = flow_key_make(&key, &hash, 4, 6, 0, cli, srv, 50000, 443);

	for (uint64_t i = 0; i < calls; i++) {
		s += (uint64_t)extract_tls_sni(p, 1400, &n1);
		tls_reasm_save(&reasm, &key, hash, src_is_a, 1000, p, 1400, i);
		s += tls_reasm_maybe(&reasm, 50000, 443);
		s += (uint64_t)tls_reasm_continue(&reasm, &key, hash, src_is_a, 2400, p + 1400,
						  len - 1400, i, &n1) +
		     n1.len;
	}
	return s;
}

static uint32_t
dns_query(uint8_t *b)
{
	static const uint8_t q[] = {
	    0x4a, 0x21, 0x01, 0x20, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, /* header */
	    3,	  'w',	'w',  'w',  4,	  'e',	'v',  'i',  'l',  7,	'e',  'x',
	    'a',  'm',	'p',  'l',  'e',  0,	0x00, 0x01, 0x00, 0x01, /* www.evil.example A IN */
	    0x00, 0x00, 0x29, 0x04, 0xd0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* EDNS OPT */
	};

	memcpy(b, q, sizeof(q));
	return sizeof(q);
}

int
main(int argc, char **argv)
{
	static const char get[] =
	    "GET /gate.php?id=1 HTTP/1.1\r\n"
	    "Host: evil.example\r\n"
	    "Connection: keep-alive\r\n"
	    "Upgrade-Insecure-Requests: 1\r\n"
	    "User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, "
	    "like Gecko) Chrome/124.0.0.0 Safari/537.36\r\n"
	    "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,"
	    "image/webp,*/*;q=0.8\r\n"
	    "Accept-Encoding: gzip, deflate\r\n"
	    "Accept-Language: en-US,en;q=0.9\r\n\r\n";
	static const char get_last_host[] =
	    "GET /gate.php?id=1 HTTP/1.1\r\n"
	    "Connection: keep-alive\r\n"
	    "User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, "
	    "like Gecko) Chrome/124.0.0.0 Safari/537.36\r\n"
	    "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,"
	    "image/webp,*/*;q=0.8\r\n"
	    "Accept-Encoding: gzip, deflate\r\n"
	    "Accept-Language: en-US,en;q=0.9\r\n"
	    "Host: evil.example\r\n\r\n";
	static struct tls_buf ext, hello, big;
	static uint8_t pad[1400], junk[1460], dns[64];
	uint64_t calls = 200000;
	uint32_t dns_len;
	void *mem;

	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--calls") == 0 && i + 1 < argc)
			calls = strtoull(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc)
			only = argv[++i];

	dns_len = dns_query(dns);
	/* Chrome-like ClientHello, about 520 bytes, SNI in the middle. */
	tls_ext_typical(&ext, "www.evil.example", 1);
	tls_ext_raw(&ext, 0x001b, "\x02\x00\x02", 3); /* compress_certificate */
	tls_ext_raw(&ext, 0x0012, "", 0);	      /* signed_certificate_timestamp */
	tls_client_hello(&hello, &ext, &tls_hello_13);
	tls_ext_raw(&ext, 0x0015, pad, 517 - hello.len - 4); /* padding (RFC 7685) to 517 */
	tls_client_hello(&hello, &ext, &tls_hello_13);
	/* The same with a post-quantum key share's size: about 1.8 KiB. */
	tls_ext_raw(&ext, 0x11ec, pad, 1216);
	tls_client_hello(&big, &ext, &tls_hello_13);
	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = (uint8_t)(i * 131 + 17);
	junk[0] = 0x17; /* TLS application data */

	mem = calloc(1, tls_reasm_mem_size(256));
	if (mem == NULL)
		return 1;
	tls_reasm_init(&reasm, mem, 256, 1000000000ULL);

	run("dns_query", bench_dns, dns, dns_len, calls,
	    extract_result_name(extract_dns_qname(dns, dns_len, false, &n1)));
	run("dns_reject_tls_data", bench_dns, junk, sizeof(junk), calls,
	    extract_result_name(extract_dns_qname(junk, sizeof(junk), false, &n1)));
	run("tls_client_hello", bench_tls, hello.b, hello.len, calls,
	    extract_result_name(extract_tls_sni(hello.b, hello.len, &n1)));
	run("tls_client_hello_pq", bench_tls, big.b, big.len, calls,
	    extract_result_name(extract_tls_sni(big.b, big.len, &n1)));
	run("tls_cut_need_more", bench_tls, big.b, 1400, calls,
	    extract_result_name(extract_tls_sni(big.b, 1400, &n1)));
	run("http_get", bench_http, (const uint8_t *)get, sizeof(get) - 1, calls,
	    extract_result_name(
		extract_http_request((const uint8_t *)get, sizeof(get) - 1, &n1, &n2)));
	run("http_get_host_last", bench_http, (const uint8_t *)get_last_host,
	    sizeof(get_last_host) - 1, calls,
	    extract_result_name(extract_http_request((const uint8_t *)get_last_host,
						     sizeof(get_last_host) - 1, &n1, &n2)));
	run("tcp_reject_tls_data", bench_tcp_reject, junk, sizeof(junk), calls, "not_applicable");
	run("tls_reasm_save_join", bench_reasm, big.b, big.len, calls / 4,
	    extract_result_name(extract_tls_sni(big.b, big.len, &n1)));
	free(mem);
	return sink == 42 ? 2 : 0;
}
