/* SPDX-License-Identifier: BSD-3-Clause */
/* test_ioc.c - indicator parsing, refanging, canonical text and timestamps. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "ioc.h"

struct ioc_case {
	const char *text;
	enum iocw_ioc_type type;
	uint8_t family;
	const char *canon;
};

static void
check_ok(const struct ioc_case *c)
{
	char canon[IOC_VALUE_MAX];
	const char *reason = NULL;
	struct ioc ioc;
	int rc;

	ioc_init(&ioc);
	rc = ioc_parse(c->text, &ioc, canon, &reason);
	if (rc != 0)
		fail_msg("\"%s\": %s", c->text, reason);
	assert_string_equal(ioc.value, c->canon);
	assert_ptr_equal(ioc.value, canon);
	assert_int_equal(ioc.type, c->type);
	assert_int_equal(ioc.family, c->family);
}

static void
check_bad(const char *text, const char *want_reason)
{
	char canon[IOC_VALUE_MAX];
	const char *reason = NULL;
	struct ioc ioc;

	ioc_init(&ioc);
	if (ioc_parse(text, &ioc, canon, &reason) != -EINVAL)
		fail_msg("\"%s\" accepted as \"%s\"", text, canon);
	assert_non_null(reason);
	assert_string_equal(reason, want_reason);
	assert_null(ioc.value);
}

static void
test_ipv4(void **state)
{
	static const struct ioc_case cases[] = {
	    {"95.85.246.53", IOCW_IOC_IP, IOCW_FAMILY_V4, "95.85.246.53"},
	    {"  95.85.246.53\t", IOCW_IOC_IP, IOCW_FAMILY_V4, "95.85.246.53"},
	    {"0.0.0.0", IOCW_IOC_IP, IOCW_FAMILY_V4, "0.0.0.0"},
	    {"95.85.246.53:443", IOCW_IOC_IP_PORT, IOCW_FAMILY_V4, "95.85.246.53:443"},
	    {"1.2.3.4:00443", IOCW_IOC_IP_PORT, IOCW_FAMILY_V4, "1.2.3.4:443"},
	    {"255.255.255.255:65535", IOCW_IOC_IP_PORT, IOCW_FAMILY_V4, "255.255.255.255:65535"},
	};
	char canon[IOC_VALUE_MAX];
	struct ioc ioc;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_ok(&cases[i]);
	assert_int_equal(ioc_parse("95.85.246.53:443", &ioc, canon, NULL), 0);
	assert_memory_equal(ioc.addr, "\x5f\x55\xf6\x35\0\0\0\0\0\0\0\0\0\0\0\0", 16);
	assert_int_equal(ioc.port, 443);
	assert_int_equal(ioc.proto, 0);
}

static void
test_ipv6(void **state)
{
	static const struct ioc_case cases[] = {
	    {"2001:DB8:0:0::1", IOCW_IOC_IP, IOCW_FAMILY_V6, "2001:db8::1"},
	    {"2001:0db8:0000:0000:0000:ff00:0042:8329", IOCW_IOC_IP, IOCW_FAMILY_V6,
	     "2001:db8::ff00:42:8329"},
	    /* RFC 5952 4.2.2: a single zero field is not compressed */
	    {"2001:db8:0:1:1:1:1:1", IOCW_IOC_IP, IOCW_FAMILY_V6, "2001:db8:0:1:1:1:1:1"},
	    /* 4.2.3: the first of equally long zero runs is compressed */
	    {"2001:db8:0:0:1:0:0:1", IOCW_IOC_IP, IOCW_FAMILY_V6, "2001:db8::1:0:0:1"},
	    {"::", IOCW_IOC_IP, IOCW_FAMILY_V6, "::"},
	    {"::1", IOCW_IOC_IP, IOCW_FAMILY_V6, "::1"},
	    {"[2001:db8::1]", IOCW_IOC_IP, IOCW_FAMILY_V6, "2001:db8::1"},
	    {"[2001:db8::1]:443", IOCW_IOC_IP_PORT, IOCW_FAMILY_V6, "[2001:db8::1]:443"},
	    {"[2001:DB8:0::0:1]:8443", IOCW_IOC_IP_PORT, IOCW_FAMILY_V6, "[2001:db8::1]:8443"},
	};
	char canon[IOC_VALUE_MAX];
	struct ioc ioc;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_ok(&cases[i]);
	assert_int_equal(ioc_parse("[2001:db8::1]:443", &ioc, canon, NULL), 0);
	assert_int_equal(ioc.addr[0], 0x20);
	assert_int_equal(ioc.addr[15], 1);
	assert_int_equal(ioc.port, 443);
}

static void
test_cidr(void **state)
{
	static const struct ioc_case cases[] = {
	    {"10.0.0.0/8", IOCW_IOC_CIDR, IOCW_FAMILY_V4, "10.0.0.0/8"},
	    {"198.51.100.0/24", IOCW_IOC_CIDR, IOCW_FAMILY_V4, "198.51.100.0/24"},
	    {"0.0.0.0/0", IOCW_IOC_CIDR, IOCW_FAMILY_V4, "0.0.0.0/0"},
	    {"192.0.2.7/32", IOCW_IOC_CIDR, IOCW_FAMILY_V4, "192.0.2.7/32"},
	    {"198.51.100.128/25", IOCW_IOC_CIDR, IOCW_FAMILY_V4, "198.51.100.128/25"},
	    {"2001:DB8::/32", IOCW_IOC_CIDR, IOCW_FAMILY_V6, "2001:db8::/32"},
	    {"2001:db8:1000::/36", IOCW_IOC_CIDR, IOCW_FAMILY_V6, "2001:db8:1000::/36"},
	    {"2001:db8::1/128", IOCW_IOC_CIDR, IOCW_FAMILY_V6, "2001:db8::1/128"},
	};
	char canon[IOC_VALUE_MAX];
	struct ioc ioc;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_ok(&cases[i]);
	assert_int_equal(ioc_parse("198.51.100.0/24", &ioc, canon, NULL), 0);
	assert_int_equal(ioc.prefix_len, 24);
	check_bad("10.0.0.1/8", "CIDR has host bits set beyond the prefix length");
	check_bad("198.51.100.129/25", "CIDR has host bits set beyond the prefix length");
	check_bad("2001:db8::1/64", "CIDR has host bits set beyond the prefix length");
	check_bad("10.0.0.0/33", "CIDR prefix length not in 0-32");
	check_bad("10.0.0.0/", "CIDR prefix length not in 0-32");
	check_bad("10.0.0.0/8a", "CIDR prefix length not in 0-32");
	check_bad("2001:db8::/129", "CIDR prefix length not in 0-128");
	check_bad("10.0.0/8", "IPv4 address needs four dotted decimal octets");
}

static void
test_domain(void **state)
{
	static const struct ioc_case cases[] = {
	    {"Evil-CDN.Example", IOCW_IOC_DOMAIN, 0, "evil-cdn.example"},
	    {"evil.example.", IOCW_IOC_DOMAIN, 0, "evil.example"},
	    {"_dmarc.mail.example", IOCW_IOC_DOMAIN, 0, "_dmarc.mail.example"},
	    {"xn--bcher-kva.example", IOCW_IOC_DOMAIN, 0, "xn--bcher-kva.example"},
	    {"1password.example", IOCW_IOC_DOMAIN, 0, "1password.example"},
	};
	char label63[80], label64[80], long_name[300], canon[IOC_VALUE_MAX];
	struct ioc ioc;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_ok(&cases[i]);
	memset(label63, 'a', 63);
	strcpy(label63 + 63, ".example");
	assert_int_equal(ioc_parse(label63, &ioc, canon, NULL), 0);
	memset(label64, 'a', 64);
	strcpy(label64 + 64, ".example");
	check_bad(label64, "domain label longer than 63 characters");
	/* 4 * 63 + 3 dots = 255 > 253 */
	for (i = 0; i < 4; i++) {
		memset(long_name + i * 64, 'b', 63);
		long_name[i * 64 + 63] = '.';
	}
	long_name[4 * 64 - 1] = '\0';
	check_bad(long_name, "domain name longer than 253 characters");
	check_bad("localhost", "domain name needs at least two labels");
	check_bad("evil..example", "empty label in domain name");
	check_bad(".evil.example", "empty label in domain name");
	check_bad("ev*l.example", "invalid character in domain name");
	check_bad("caf\xc3\xa9.example", "invalid character in domain name");
	check_bad("evil.123", "numeric top-level domain");
	check_bad("evil example", "indicator contains blanks or control characters");
}

static void
test_url(void **state)
{
	static const struct ioc_case cases[] = {
	    {"HTTP://Evil.Example:8080/Path?Q=A#Frag", IOCW_IOC_URL, 0,
	     "http://evil.example:8080/Path?Q=A#Frag"},
	    {"https://evil.example", IOCW_IOC_URL, 0, "https://evil.example"},
	    {"https://[2001:DB8:0::1]:443/x", IOCW_IOC_URL, 0, "https://[2001:db8::1]:443/x"},
	    {"http://User:Pw@Host.Example/a", IOCW_IOC_URL, 0, "http://User:Pw@host.example/a"},
	    {"http://192.0.2.1/gate.php", IOCW_IOC_URL, 0, "http://192.0.2.1/gate.php"},
	    {"http://localhost:8000/", IOCW_IOC_URL, 0, "http://localhost:8000/"},
	    {"ftp://files.example/x.exe", IOCW_IOC_URL, 0, "ftp://files.example/x.exe"},
	};
	char url[2000], canon[IOC_VALUE_MAX];
	struct ioc ioc;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_ok(&cases[i]);
	check_bad("http:///path", "URL without a host");
	check_bad("http://evil.example:0/", "port 0 is not valid");
	check_bad("http://evil.example:http/", "port is not a decimal number");
	check_bad("http://[zz::1]/", "invalid IPv6 address in URL");
	check_bad("1http://evil.example/", "invalid URL scheme");
	check_bad("ht_tp://evil.example/", "invalid URL scheme");
	check_bad("http://evil.example/a b", "indicator contains blanks or control characters");
	check_bad("http://ev!l.example/", "invalid character in domain name");
	check_bad("evil.example/gate.php", "URL without a scheme (http://...)");
	check_ok(&(struct ioc_case){"http://evil.example:65535", IOCW_IOC_URL, 0,
				    "http://evil.example:65535"});
	/* Exactly the longest URL kept, then one character more. */
	strcpy(url, "http://evil.example/");
	memset(url + 20, 'a', IOC_VALUE_MAX - 1 - 20);
	url[IOC_VALUE_MAX - 1] = '\0';
	assert_int_equal(ioc_parse(url, &ioc, canon, NULL), 0);
	assert_int_equal(strlen(canon), IOC_VALUE_MAX - 1);
	url[IOC_VALUE_MAX - 1] = 'a';
	url[IOC_VALUE_MAX] = '\0';
	check_bad(url, "indicator longer than 1023 characters");
	memset(url, 'a', sizeof(url) - 1);
	url[sizeof(url) - 1] = '\0';
	check_bad(url, "indicator longer than 1023 characters");
}

static void
test_refang(void **state)
{
	static const struct ioc_case cases[] = {
	    {"95[.]85[.]246[.]53:443", IOCW_IOC_IP_PORT, IOCW_FAMILY_V4, "95.85.246.53:443"},
	    {"101(.)109{.}237[dot]93", IOCW_IOC_IP, IOCW_FAMILY_V4, "101.109.237.93"},
	    {"95.85.246.53[:]443", IOCW_IOC_IP_PORT, IOCW_FAMILY_V4, "95.85.246.53:443"},
	    {"evil[.]example", IOCW_IOC_DOMAIN, 0, "evil.example"},
	    {"evil(DOT)example", IOCW_IOC_DOMAIN, 0, "evil.example"},
	    {"hxxp://evil[.]example/a", IOCW_IOC_URL, 0, "http://evil.example/a"},
	    {"hxxps://evil[.]example/a", IOCW_IOC_URL, 0, "https://evil.example/a"},
	    {"HXXPS://Evil[.]Example/A", IOCW_IOC_URL, 0, "https://evil.example/A"},
	    {"hxxp[://]evil[.]example", IOCW_IOC_URL, 0, "http://evil.example"},
	    {"hxxps[:]//evil[.]example", IOCW_IOC_URL, 0, "https://evil.example"},
	    {"[2001:db8::1][:]443", IOCW_IOC_IP_PORT, IOCW_FAMILY_V6, "[2001:db8::1]:443"},
	    {"198[.]51[.]100[.]0/24", IOCW_IOC_CIDR, IOCW_FAMILY_V4, "198.51.100.0/24"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_ok(&cases[i]);
	/* "hxxp" is a scheme only at the start. */
	check_ok(&(struct ioc_case){"hxxpfoo.example", IOCW_IOC_DOMAIN, 0, "httpfoo.example"});
	check_ok(&(struct ioc_case){"a.hxxp.example", IOCW_IOC_DOMAIN, 0, "a.hxxp.example"});
}

static void
test_invalid(void **state)
{
	(void)state;
	check_bad("", "empty indicator");
	check_bad("   \t ", "empty indicator");
	check_bad("1.2.3.4:0", "port 0 is not valid");
	check_bad("1.2.3.4:65536", "port above 65535");
	check_bad("1.2.3.4:99999999999999999999", "port above 65535");
	check_bad("1.2.3.4:", "missing port number");
	check_bad("1.2.3.4:8o", "port is not a decimal number");
	check_bad("256.1.1.1", "IPv4 octet above 255");
	check_bad("1.2.3.256", "IPv4 octet above 255");
	check_bad("1.2.3.1000", "IPv4 octet above 255");
	check_bad("01.2.3.4", "IPv4 octet with a leading zero");
	check_bad("1.2.3", "IPv4 address needs four dotted decimal octets");
	check_bad("1.2.3.4.5", "IPv4 address needs four dotted decimal octets");
	check_bad("1..2.3", "IPv4 address needs four dotted decimal octets");
	check_bad("evil.example:8080", "a port is only supported on an IP address");
	check_bad("[1.2.3.4]:80", "brackets are only for IPv6 addresses");
	check_bad("[2001:db8::1:443", "'[' without a closing ']'");
	check_bad("[2001:db8::1]443", "expected ':port' after ']'");
	check_bad("[2001:db8::1]:0", "port 0 is not valid");
	check_bad("2001:db8::1%eth0", "IPv6 zone index not allowed");
	check_bad("2001:db8::g", "invalid IPv6 address");
	check_bad("1:2:3:4:5:6:7:8:9", "invalid IPv6 address");
	check_bad("evil.example\x01", "indicator contains blanks or control characters");
}

static void
test_metadata_untouched(void **state)
{
	char canon[IOC_VALUE_MAX];
	struct ioc ioc;

	(void)state;
	ioc_init(&ioc);
	assert_int_equal(ioc.confidence, -1);
	assert_null(ioc.malware);
	assert_int_equal(ioc.first_seen, 0);
	assert_int_equal(ioc.action, IOCW_ACTION_ALERT);
	ioc.malware = "NetSupportManager RAT";
	ioc.confidence = 75;
	ioc.action = IOCW_ACTION_DROP;
	assert_int_equal(ioc_parse("95.85.246.53:443", &ioc, canon, NULL), 0);
	assert_string_equal(ioc.malware, "NetSupportManager RAT");
	assert_int_equal(ioc.confidence, 75);
	assert_int_equal(ioc.action, IOCW_ACTION_DROP);
	/* The key is reset: a previous port does not leak into a domain. */
	assert_int_equal(ioc_parse("evil.example", &ioc, canon, NULL), 0);
	assert_int_equal(ioc.port, 0);
	assert_int_equal(ioc.family, 0);
}

static void
test_addr_format(void **state)
{
	const uint8_t v4[16] = {192, 0, 2, 1};
	const uint8_t v6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
	char buf[64];

	(void)state;
	assert_int_equal(ioc_addr_format(IOCW_FAMILY_V4, v4, buf, sizeof(buf)), 9);
	assert_string_equal(buf, "192.0.2.1");
	assert_int_equal(ioc_addr_format(IOCW_FAMILY_V6, v6, buf, sizeof(buf)), 11);
	assert_string_equal(buf, "2001:db8::1");
	assert_int_equal(ioc_addr_format(IOCW_FAMILY_V4, v4, buf, 5), 0);
	assert_string_equal(buf, "");
	assert_int_equal(ioc_addr_format(IOCW_FAMILY_V6, v6, buf, 5), 0);
	assert_int_equal(ioc_addr_format(0, v4, buf, sizeof(buf)), 0);
	assert_int_equal(ioc_addr_format(IOCW_FAMILY_V4, v4, buf, 0), 0);
}

static void
test_time(void **state)
{
	(void)state;
	assert_int_equal(ioc_parse_time("2024-05-01 10:11:12"), 1714558272);
	assert_int_equal(ioc_parse_time("2024-05-01T10:11:12"), 1714558272);
	assert_int_equal(ioc_parse_time("2024-05-01T10:11:12Z"), 1714558272);
	assert_int_equal(ioc_parse_time("2024-05-01 10:11:12 UTC"), 1714558272);
	assert_int_equal(ioc_parse_time(" 2024-05-01 10:11:12.345678 "), 1714558272);
	assert_int_equal(ioc_parse_time("2024-05-01T10:11:12.5Z"), 1714558272);
	assert_int_equal(ioc_parse_time("2024-05-01T12:11:12+02:00"), 1714558272);
	assert_int_equal(ioc_parse_time("2024-05-01T05:11:12-0500"), 1714558272);
	assert_int_equal(ioc_parse_time("2024-05-01 10:11"), 1714558272 - 12);
	assert_int_equal(ioc_parse_time("2024-05-01"), 1714521600);
	assert_int_equal(ioc_parse_time("2024-05-01 UTC"), 1714521600);
	assert_int_equal(ioc_parse_time("2024-02-29"), 1709164800);
	assert_int_equal(ioc_parse_time(""), 0);
	assert_int_equal(ioc_parse_time("yesterday"), 0);
	assert_int_equal(ioc_parse_time("2023-02-29"), 0);
	assert_int_equal(ioc_parse_time("2024-13-01"), 0);
	assert_int_equal(ioc_parse_time("2024-04-31"), 0);
	assert_int_equal(ioc_parse_time("2024-05-01 24:00:00"), 0);
	assert_int_equal(ioc_parse_time("2024-05-01 10:60:00"), 0);
	assert_int_equal(ioc_parse_time("2024-05-01 10:11:12 PST"), 0);
	assert_int_equal(ioc_parse_time("2024-05-01 10:11:12."), 0);
	assert_int_equal(ioc_parse_time("2024-5-1"), 0);
	assert_int_equal(ioc_parse_time("1969-12-31"), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ipv4),	cmocka_unit_test(test_ipv6),
	    cmocka_unit_test(test_cidr),	cmocka_unit_test(test_domain),
	    cmocka_unit_test(test_url),		cmocka_unit_test(test_refang),
	    cmocka_unit_test(test_invalid),	cmocka_unit_test(test_metadata_untouched),
	    cmocka_unit_test(test_addr_format), cmocka_unit_test(test_time),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
