/* SPDX-License-Identifier: BSD-3-Clause */
/* test_stix_pattern.c - the STIX 2.1 patterning parser and its reduction to indicators. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stix_pattern.h"

/* Items of a pattern as one line each: "type value[:port/proto]" or "skip: reason". */
static char *
describe(const char *pattern)
{
	static char out[4096];
	struct stix_pattern_error err;
	struct stix_pattern p;
	size_t i, o = 0;
	int rc;

	rc = stix_pattern_parse(pattern, strlen(pattern), &p, &err);
	if (rc < 0) {
		snprintf(out, sizeof(out), "error %d at %zu: %s", rc, err.offset, err.reason);
		return out;
	}
	out[0] = '\0';
	for (i = 0; i < p.nb_items && o < sizeof(out) - 256; i++) {
		const struct stix_pattern_item *it = &p.items[i];

		if (it->type == IOCW_IOC_TYPE_COUNT)
			o += (size_t)snprintf(out + o, sizeof(out) - o, "%sskip@%zu: %s",
					      i ? "; " : "", it->offset, it->reason);
		else if (it->type == IOCW_IOC_IP_PORT)
			o += (size_t)snprintf(out + o, sizeof(out) - o, "%sip:port %s %u/%u",
					      i ? "; " : "", it->value, it->port, it->proto);
		else
			o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%s %s", i ? "; " : "",
					      it->type == IOCW_IOC_IP	    ? "ip"
					      : it->type == IOCW_IOC_DOMAIN ? "domain"
									    : "url",
					      it->value);
	}
	assert_int_equal(p.nb_items, i);
	stix_pattern_free(&p);
	return out;
}

static void
test_simple_comparisons(void **state)
{
	(void)state;
	assert_string_equal(describe("[ipv4-addr:value = '198.51.100.7']"), "ip 198.51.100.7");
	assert_string_equal(describe("[ipv6-addr:value = '2001:db8::/32']"), "ip 2001:db8::/32");
	assert_string_equal(describe("[ipv4-addr:value ISSUBSET '10.0.0.0/8']"), "ip 10.0.0.0/8");
	assert_string_equal(describe("[domain-name:value == 'evil.example']"),
			    "domain evil.example");
	assert_string_equal(describe("[url:value = 'http://e.example/it\\'s\\\\x']"),
			    "url http://e.example/it's\\x");
	assert_string_equal(describe("  /* c */ [ url:value='http://a.example/' ] // trailing"),
			    "url http://a.example/");
}

static void
test_network_traffic(void **state)
{
	(void)state;
	assert_string_equal(describe("[network-traffic:dst_ref.value = '192.0.2.1' AND "
				     "network-traffic:dst_port = 443]"),
			    "ip:port 192.0.2.1 443/0");
	/* Order does not matter; the protocol narrows it; dst_ref.type is a no-op. */
	assert_string_equal(
	    describe("[network-traffic:protocols[*] = 'sctp' AND network-traffic:dst_port = 3868 "
		     "AND network-traffic:dst_ref.type = 'ipv6-addr' AND "
		     "network-traffic:dst_ref.value = '2001:db8::5']"),
	    "ip:port 2001:db8::5 3868/132");
	assert_string_equal(describe("[network-traffic:src_ref.value = '192.0.2.2' AND "
				     "network-traffic:src_port = 53 AND "
				     "network-traffic:protocols[0] = 'UDP']"),
			    "ip:port 192.0.2.2 53/17");
	/* An address alone is an ip; application protocols add nothing. */
	assert_string_equal(describe("[network-traffic:dst_ref.value = '192.0.2.3' AND "
				     "network-traffic:protocols[*] = 'tls']"),
			    "ip 192.0.2.3");
	assert_string_equal(describe("[network-traffic:dst_ref.value = '192.0.2.4' AND "
				     "network-traffic:src_port = 80]"),
			    "skip@33: network-traffic address and port on different ends "
			    "(dst_ref and src_port)");
	assert_string_equal(describe("[network-traffic:dst_ref.value = '192.0.2.0/24' AND "
				     "network-traffic:dst_port = 80]"),
			    "skip@33: network-traffic prefix with a port");
	assert_string_equal(describe("[network-traffic:dst_port = 80]"),
			    "skip@28: network-traffic port without an address");
	assert_string_equal(describe("[network-traffic:dst_ref.value = '192.0.2.5' AND "
				     "network-traffic:protocols[*] = 'icmp']"),
			    "skip@80: protocol 'icmp' has no ports to match");
	assert_string_equal(describe("[network-traffic:dst_ref.value = '192.0.2.5' AND "
				     "network-traffic:dst_port = 80 AND network-traffic:dst_port = "
				     "81]"),
			    "skip@110: AND of conflicting network-traffic comparisons");
	assert_string_equal(describe("[network-traffic:dst_port = '80']"),
			    "skip@28: network-traffic:dst_port needs an integer port 1-65535");
}

/* OR of comparisons and of observations, IN sets, and AND over OR (distribution). */
static void
test_alternatives(void **state)
{
	(void)state;
	assert_string_equal(describe("[ipv4-addr:value = '192.0.2.1' OR ipv4-addr:value = "
				     "'192.0.2.2'] OR ([domain-name:value = 'a.example'])"),
			    "ip 192.0.2.1; ip 192.0.2.2; domain a.example");
	assert_string_equal(describe("[ipv4-addr:value IN ('192.0.2.1', '192.0.2.2')]"),
			    "ip 192.0.2.1; ip 192.0.2.2");
	assert_string_equal(describe("[network-traffic:dst_ref.value IN ('192.0.2.1', "
				     "'192.0.2.2') AND network-traffic:dst_port IN (80, 443)]"),
			    "ip:port 192.0.2.1 80/0; ip:port 192.0.2.1 443/0; "
			    "ip:port 192.0.2.2 80/0; ip:port 192.0.2.2 443/0");
	/* The representable half of an OR is kept, the other reported. */
	assert_string_equal(describe("[ipv4-addr:value = '192.0.2.1'] OR [file:hashes.MD5 = "
				     "'d41d8cd98f00b204e9800998ecf8427e']"),
			    "ip 192.0.2.1; skip@36: file:hashes.MD5 is not an indicator iocwire "
			    "can match");
	/* ... but an AND with something unrepresentable is unrepresentable. */
	assert_string_equal(describe("[ipv4-addr:value = '192.0.2.1' AND ipv4-addr:value = "
				     "'192.0.2.2']"),
			    "skip@53: AND of two ip address values");
	assert_string_equal(describe("[domain-name:value = 'a.example' AND "
				     "domain-name:resolves_to_refs[*].value = '192.0.2.1']"),
			    "skip@37: domain-name:resolves_to_refs[*].value is not an indicator "
			    "iocwire can match");
}

static void
test_unsupported(void **state)
{
	(void)state;
	assert_string_equal(describe("[file:hashes.'SHA-256' = 'aa']"),
			    "skip@1: file:hashes.'SHA-256' is not an indicator iocwire can match");
	assert_string_equal(describe("[domain-name:value MATCHES '^evil']"),
			    "skip@1: operator MATCHES on domain-name:value is not supported");
	assert_string_equal(describe("[url:value LIKE 'http://%.example/%']"),
			    "skip@1: operator LIKE on url:value is not supported");
	assert_string_equal(describe("[ipv4-addr:value != '192.0.2.1']"),
			    "skip@1: operator != on ipv4-addr:value is not supported");
	assert_string_equal(describe("[ipv4-addr:value NOT = '192.0.2.1']"),
			    "skip@1: NOT = is not supported");
	assert_string_equal(describe("[EXISTS ipv4-addr:value]"),
			    "skip@1: EXISTS ipv4-addr:value is not supported");
	assert_string_equal(describe("[ipv4-addr:value = '192.0.2.1'] AND [ipv4-addr:value = "
				     "'192.0.2.2']"),
			    "skip@0: observation expressions joined by AND are not supported");
	assert_string_equal(describe("[ipv4-addr:value = '192.0.2.1'] FOLLOWEDBY [ipv4-addr:value "
				     "= '192.0.2.2']"),
			    "skip@0: observation expressions joined by FOLLOWEDBY are not "
			    "supported");
	assert_string_equal(describe("[ipv4-addr:value = '192.0.2.1'] WITHIN 60 SECONDS"),
			    "skip@0: qualifier WITHIN is not supported");
	assert_string_equal(
	    describe("[ipv4-addr:value = '192.0.2.1'] START t'2024-01-01T00:00:00Z' STOP "
		     "t'2024-02-01T00:00:00Z'"),
	    "skip@0: qualifier START is not supported");
	assert_string_equal(describe("[ipv4-addr:value = 3232235777]"),
			    "skip@19: ipv4-addr:value needs a non-empty string");
	assert_string_equal(describe("[x-acme-thing:score > 5.5]"),
			    "skip@1: x-acme-thing:score is not an indicator iocwire can match");
	assert_string_equal(
	    describe("[file:content_ref.payload_bin = b'AAEC' OR file:hashes.MD5 = "
		     "h'ff']"),
	    "skip@1: file:content_ref.payload_bin is not an indicator iocwire can "
	    "match; skip@43: file:hashes.MD5 is not an indicator iocwire can match");
}

static void
test_syntax_errors(void **state)
{
	(void)state;
	assert_string_equal(
	    describe(""), "error -22 at 0: expected '[' or '(' to start an observation expression");
	assert_string_equal(describe("[ipv4-addr:value = '1.2.3.4'"),
			    "error -22 at 28: expected ']' to close the observation expression");
	assert_string_equal(describe("[ipv4-addr:value = '1.2.3.4]"),
			    "error -22 at 19: unterminated string literal");
	assert_string_equal(
	    describe("[ipv4-addr:value = 'a\\nb']"),
	    "error -22 at 21: invalid escape in string literal (only \\' and \\\\)");
	assert_string_equal(describe("[ipv4-addr = '1.2.3.4']"),
			    "error -22 at 11: expected ':' after the object type");
	assert_string_equal(
	    describe("[ipv4-addr:value '1.2.3.4']"),
	    "error -22 at 17: expected a comparison operator after ipv4-addr:value");
	assert_string_equal(describe("[ipv4-addr:value = ]"),
			    "error -22 at 19: expected a literal value");
	assert_string_equal(describe("[ipv4-addr:value IN ('a' 'b')]"),
			    "error -22 at 25: expected ',' or ')' in the IN set");
	assert_string_equal(
	    describe("[ipv4-addr:value = 'a'] OR"),
	    "error -22 at 26: expected '[' or '(' to start an observation expression");
	assert_string_equal(describe("[ipv4-addr:value = 'a'] extra"),
			    "error -22 at 24: expected the end of the pattern, an OR, AND or "
			    "FOLLOWEDBY");
	assert_string_equal(describe("[a:b = 'x'] WITHIN SECONDS"),
			    "error -22 at 19: expected a number after WITHIN");
	assert_string_equal(describe("[a:b = 'x'] /* open"),
			    "error -22 at 12: unterminated comment");
	assert_string_equal(describe("[a:b = 'x' \x01]"), "error -22 at 11: unexpected byte 0x01");
	assert_string_equal(describe("[a:b[x] = 'x']"), "error -22 at 5: expected an index or '*'");
	assert_string_equal(describe("[a:b = 1.]"),
			    "error -22 at 8: expected digits after '.' in a number");
}

/* Nesting is bounded, so is the number of alternatives, so is the input. */
static void
test_limits(void **state)
{
	char deep[512], *big;
	size_t i, n = 0;
	struct stix_pattern p;
	struct stix_pattern_error err;

	(void)state;
	for (i = 0; i < 40; i++)
		deep[n++] = '(';
	snprintf(deep + n, sizeof(deep) - n, "[a:b = 'x']");
	assert_string_equal(describe(deep), "error -22 at 32: nesting deeper than 32 levels");
	n = 0;
	deep[n++] = '[';
	for (i = 0; i < 40; i++)
		deep[n++] = '(';
	snprintf(deep + n, sizeof(deep) - n, "a:b = 'x'");
	assert_string_equal(describe(deep), "error -22 at 32: nesting deeper than 32 levels");

	/* 17 x 17 alternatives. */
	big = malloc(8192);
	n = (size_t)sprintf(big, "[network-traffic:dst_ref.value IN (");
	for (i = 0; i < 17; i++)
		n += (size_t)sprintf(big + n, "%s'192.0.2.%zu'", i ? "," : "", i);
	n += (size_t)sprintf(big + n, ") AND network-traffic:dst_port IN (");
	for (i = 0; i < 17; i++)
		n += (size_t)sprintf(big + n, "%s%zu", i ? "," : "", i + 1);
	sprintf(big + n, ")]");
	assert_string_equal(describe(big),
			    "skip@247: pattern expands to more than 256 alternatives");
	n = (size_t)sprintf(big, "[ipv4-addr:value IN (");
	for (i = 0; i < 300; i++)
		n += (size_t)sprintf(big + n, "%s'%zu'", i ? "," : "", i);
	sprintf(big + n, ")]");
	assert_string_equal(describe(big), "skip@1: pattern expands to more than 256 alternatives");
	free(big);

	big = calloc(1, STIX_PATTERN_MAX_LEN + 2);
	memset(big, ' ', STIX_PATTERN_MAX_LEN + 1);
	assert_int_equal(stix_pattern_parse(big, STIX_PATTERN_MAX_LEN + 1, &p, &err), -EINVAL);
	assert_string_equal(err.reason, "pattern longer than 65536 bytes");
	free(big);
}

/* Many unsupported parts: every reason stays readable, memory stays bounded. */
static void
test_many_reasons(void **state)
{
	char *text = malloc(200 * 40 + 16);
	struct stix_pattern_error err;
	struct stix_pattern p;
	size_t i, n = 0;

	(void)state;
	for (i = 0; i < 200; i++)
		n += (size_t)sprintf(text + n, "%s[x-t%zu:v = 'y']", i ? " OR " : "", i);
	assert_int_equal(stix_pattern_parse(text, n, &p, &err), 0);
	assert_int_equal(p.nb_items, 200);
	assert_int_equal(p.nb_iocs, 0);
	assert_string_equal(p.items[0].reason, "x-t0:v is not an indicator iocwire can match");
	assert_string_equal(p.items[199].reason, "expression not supported");
	stix_pattern_free(&p);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_simple_comparisons), cmocka_unit_test(test_network_traffic),
	    cmocka_unit_test(test_alternatives),       cmocka_unit_test(test_unsupported),
	    cmocka_unit_test(test_syntax_errors),      cmocka_unit_test(test_limits),
	    cmocka_unit_test(test_many_reasons),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
