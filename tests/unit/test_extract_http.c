/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_extract_http.c - extract_http_request(): Host and URL of origin-form,
 * absolute-form (proxy), authority-form (CONNECT) and asterisk-form requests,
 * ports, case, pipelining, missing or duplicated Host, cuts at every byte, and
 * payloads that are not requests.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "extract.h"

static struct extract_name host, url;

static enum extract_result
req(const char *s)
{
	return extract_http_request((const uint8_t *)s, (uint32_t)strlen(s), &host, &url);
}

/* @p s must give OK with this host and URL ("" for none). */
static void
check(const char *s, const char *want_host, const char *want_url)
{
	enum extract_result res = req(s);

	if (res != EXTRACT_OK)
		fail_msg("%s: got %s", s, extract_result_name(res));
	assert_int_equal(host.where, EXTRACT_HTTP_HOST);
	assert_int_equal(url.where, EXTRACT_HTTP_URL);
	assert_string_equal(host.text, want_host);
	assert_int_equal(host.len, strlen(want_host));
	assert_string_equal(url.text, want_url);
	assert_int_equal(url.len, strlen(want_url));
}

static void
check_res(const char *s, enum extract_result want)
{
	enum extract_result res = req(s);

	if (res != want)
		fail_msg("%s: got %s, want %s", s, extract_result_name(res),
			 extract_result_name(want));
	if (res != EXTRACT_OK) {
		assert_int_equal(host.len, 0);
		assert_int_equal(url.len, 0);
	}
}

static void
test_get_with_host(void **state)
{
	(void)state;
	check("GET /gate.php?id=1 HTTP/1.1\r\nHost: evil.example\r\n\r\n", "evil.example",
	      "http://evil.example/gate.php?id=1");
	/* Typical browser headers around Host; header name case; OWS. */
	check("GET /a/B.html HTTP/1.1\r\nUser-Agent: x\r\nhOsT:   Evil.EXAMPLE \t\r\n"
	      "Accept: */*\r\nConnection: keep-alive\r\n\r\n",
	      "evil.example", "http://evil.example/a/B.html");
	/* HTTP/1.0 with Host; bare LF line ends. */
	check("POST /x HTTP/1.0\nHost: a.evil.example\n\nbody", "a.evil.example",
	      "http://a.evil.example/x");
	/* Host not the first header; no space after the colon. */
	check("HEAD / HTTP/1.1\r\nAccept: */*\r\nHost:notevil.example\r\n\r\n", "notevil.example",
	      "http://notevil.example/");
	/* WebDAV and other token methods. */
	check("PROPFIND /dav/ HTTP/1.1\r\nHost: benign.example\r\n\r\n", "benign.example",
	      "http://benign.example/dav/");
	/* Trailing dot of an FQDN. */
	check("GET / HTTP/1.1\r\nHost: evil.example.\r\n\r\n", "evil.example",
	      "http://evil.example/");
}

static void
test_ports(void **state)
{
	(void)state;
	/* Port stripped from the host; kept in the URL unless it is 80. */
	check("GET /p HTTP/1.1\r\nHost: evil.example:8080\r\n\r\n", "evil.example",
	      "http://evil.example:8080/p");
	check("GET /p HTTP/1.1\r\nHost: evil.example:80\r\n\r\n", "evil.example",
	      "http://evil.example/p");
	check("GET /p HTTP/1.1\r\nHost: evil.example:080\r\n\r\n", "evil.example",
	      "http://evil.example/p");
	check("GET /p HTTP/1.1\r\nHost: evil.example:\r\n\r\n", "evil.example",
	      "http://evil.example/p");
	check("GET /p HTTP/1.1\r\nHost: evil.example:0443\r\n\r\n", "evil.example",
	      "http://evil.example:443/p");
	/* IP literals. */
	check("GET /p HTTP/1.1\r\nHost: [2001:DB8::1]:8443\r\n\r\n", "[2001:db8::1]",
	      "http://[2001:db8::1]:8443/p");
	check("GET /p HTTP/1.1\r\nHost: 192.0.2.7\r\n\r\n", "192.0.2.7", "http://192.0.2.7/p");
	/* Bad ports and literals. */
	check_res("GET /p HTTP/1.1\r\nHost: evil.example:65536\r\n\r\n", EXTRACT_MALFORMED);
	check_res("GET /p HTTP/1.1\r\nHost: evil.example:8o\r\n\r\n", EXTRACT_MALFORMED);
	check_res("GET /p HTTP/1.1\r\nHost: evil.example:80:80\r\n\r\n", EXTRACT_MALFORMED);
	check_res("GET /p HTTP/1.1\r\nHost: [2001:db8::1\r\n\r\n", EXTRACT_MALFORMED);
	check_res("GET /p HTTP/1.1\r\nHost: []\r\n\r\n", EXTRACT_MALFORMED);
	check_res("GET /p HTTP/1.1\r\nHost: [v1.x]\r\n\r\n", EXTRACT_MALFORMED);
	check_res("GET /p HTTP/1.1\r\nHost: [::1]x\r\n\r\n", EXTRACT_MALFORMED);
}

static void
test_host_values(void **state)
{
	(void)state;
	/* Delimiters and controls are not part of a host. */
	check_res("GET / HTTP/1.1\r\nHost: evil.example/x\r\n\r\n", EXTRACT_MALFORMED);
	check_res("GET / HTTP/1.1\r\nHost: user@evil.example\r\n\r\n", EXTRACT_MALFORMED);
	check_res("GET / HTTP/1.1\r\nHost: evil example\r\n\r\n", EXTRACT_MALFORMED);
	check_res("GET / HTTP/1.1\r\nHost: evil\x01.example\r\n\r\n", EXTRACT_MALFORMED);
	check_res("GET / HTTP/1.1\r\nHost: evil\r.example\r\n\r\n", EXTRACT_MALFORMED);
	/* Allowed reg-name characters outside the host-name set are escaped. */
	check("GET / HTTP/1.1\r\nHost: ev!l.example\r\n\r\n", "ev\\033l.example",
	      "http://ev\\033l.example/");
	check("GET / HTTP/1.1\r\nHost: evil%2eexample\r\n\r\n", "evil\\0372eexample",
	      "http://evil\\0372eexample/");
	/* Longest host: 255. */
	{
		char buf[400], name[300];

		memset(name, 'h', 255);
		name[255] = '\0';
		snprintf(buf, sizeof(buf), "GET / HTTP/1.1\r\nHost: %s\r\n\r\n", name);
		assert_int_equal(req(buf), EXTRACT_OK);
		assert_int_equal(host.len, 255);
		name[255] = 'h';
		name[256] = '\0';
		snprintf(buf, sizeof(buf), "GET / HTTP/1.1\r\nHost: %s\r\n\r\n", name);
		assert_int_equal(req(buf), EXTRACT_MALFORMED);
	}
}

static void
test_absolute_form(void **state)
{
	(void)state;
	/* A proxy request: the target names the host (RFC 9112 sec. 3.2.2). */
	check("GET http://evil.example/gate.php?id=1 HTTP/1.1\r\nHost: evil.example\r\n\r\n",
	      "evil.example", "http://evil.example/gate.php?id=1");
	check("GET HTTP://Evil.Example:80/Gate.php HTTP/1.1\r\nHost: benign.example\r\n\r\n",
	      "evil.example", "http://evil.example/Gate.php");
	/* No Host header at all: still a name. */
	check("GET http://evil.example:8080 HTTP/1.0\r\n\r\n", "evil.example",
	      "http://evil.example:8080/");
	check("GET http://evil.example?q=1 HTTP/1.0\r\n\r\n", "evil.example",
	      "http://evil.example/?q=1");
	/* userinfo dropped. */
	check("GET http://benign.example@evil.example/x HTTP/1.1\r\n\r\n", "evil.example",
	      "http://evil.example/x");
	check("GET https://evil.example:443/x HTTP/1.1\r\n\r\n", "evil.example",
	      "https://evil.example/x");
	check("GET ftp://evil.example:21/x HTTP/1.1\r\n\r\n", "evil.example",
	      "ftp://evil.example:21/x");
	check("GET http://[2001:db8::1]/x HTTP/1.1\r\n\r\n", "[2001:db8::1]",
	      "http://[2001:db8::1]/x");
	/* Not a target. */
	check_res("GET evil.example/x HTTP/1.1\r\n\r\n", EXTRACT_MALFORMED);
	check_res("GET http:/evil.example/x HTTP/1.1\r\n\r\n", EXTRACT_MALFORMED);
	check_res("GET http:///x HTTP/1.1\r\n\r\n", EXTRACT_MALFORMED);
	check_res("GET 1http://evil.example/ HTTP/1.1\r\n\r\n", EXTRACT_MALFORMED);
	check_res("GET averyveryverylongscheme://evil.example/ HTTP/1.1\r\n\r\n",
		  EXTRACT_MALFORMED);
}

static void
test_connect_and_asterisk(void **state)
{
	(void)state;
	check("CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example:443\r\n\r\n", "evil.example",
	      "");
	check("CONNECT [2001:db8::1]:443 HTTP/1.1\r\n\r\n", "[2001:db8::1]", "");
	check_res("CONNECT evil.example/x HTTP/1.1\r\n\r\n", EXTRACT_MALFORMED);
	check("OPTIONS * HTTP/1.1\r\nHost: evil.example\r\n\r\n", "evil.example", "");
}

static void
test_no_host(void **state)
{
	(void)state;
	check_res("GET /gate.php HTTP/1.0\r\n\r\n", EXTRACT_NO_NAME);
	check_res("GET /gate.php HTTP/1.1\r\nUser-Agent: x\r\n\r\n", EXTRACT_NO_NAME);
	check_res("GET /gate.php HTTP/1.1\r\nHost:\r\n\r\n", EXTRACT_NO_NAME);
	check_res("GET /gate.php HTTP/1.1\r\nHost:   \r\n\r\n", EXTRACT_NO_NAME);
	/* Headers cut before any Host: it may be in the next segment. */
	check_res("GET /gate.php HTTP/1.1\r\nUser-Agent: x\r\n", EXTRACT_TRUNCATED);
	check_res("GET /gate.php HTTP/1.1\r\nUser-Agent: x\r\nHo", EXTRACT_TRUNCATED);
	check_res("GET /gate.php HTTP/1.1\r\nHost: evil.exa", EXTRACT_TRUNCATED);
	/* A Host line already complete is enough. */
	check("GET /gate.php HTTP/1.1\r\nHost: evil.example\r\nUser-Ag", "evil.example",
	      "http://evil.example/gate.php");
	/* Look-alike header names. */
	check_res("GET / HTTP/1.1\r\nHostname: evil.example\r\nX-Host: evil.example\r\n\r\n",
		  EXTRACT_NO_NAME);
}

static void
test_duplicate_and_folded_host(void **state)
{
	(void)state;
	check_res("GET / HTTP/1.1\r\nHost: benign.example\r\nHost: evil.example\r\n\r\n",
		  EXTRACT_MALFORMED);
	check_res("GET / HTTP/1.1\r\nHost: evil.example\r\nhost: evil.example\r\n\r\n",
		  EXTRACT_MALFORMED);
	/* Whitespace before the colon (RFC 9112 sec. 5.1). */
	check_res("GET / HTTP/1.1\r\nHost : evil.example\r\n\r\n", EXTRACT_MALFORMED);
	/* obs-fold on Host. */
	check_res("GET / HTTP/1.1\r\nHost: evil\r\n .example\r\n\r\n", EXTRACT_MALFORMED);
	/* obs-fold on another field: ignored. */
	check("GET / HTTP/1.1\r\nX-A: 1\r\n 2\r\nHost: evil.example\r\n\r\n", "evil.example",
	      "http://evil.example/");
}

static void
test_pipelined(void **state)
{
	(void)state;
	/* Only the first request counts; the second one's Host is never read. */
	check("GET /one HTTP/1.1\r\nHost: benign.example\r\n\r\n"
	      "GET /two HTTP/1.1\r\nHost: evil.example\r\n\r\n",
	      "benign.example", "http://benign.example/one");
	check_res("GET /one HTTP/1.1\r\n\r\nGET /two HTTP/1.1\r\nHost: evil.example\r\n\r\n",
		  EXTRACT_NO_NAME);
	/* ... and its duplicate Host does not make the first malformed. */
	check("GET /one HTTP/1.1\r\nHost: benign.example\r\n\r\n"
	      "GET /two HTTP/1.1\r\nHost: evil.example\r\nHost: x\r\n\r\n",
	      "benign.example", "http://benign.example/one");
}

static void
test_request_line(void **state)
{
	(void)state;
	/* Not HTTP requests. */
	check_res("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", EXTRACT_NOT_APPLICABLE);
	check_res("get / HTTP/1.1\r\nHost: evil.example\r\n\r\n", EXTRACT_NOT_APPLICABLE);
	check_res("GET / HTTP/2.0\r\nHost: evil.example\r\n\r\n", EXTRACT_NOT_APPLICABLE);
	check_res("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", EXTRACT_NOT_APPLICABLE);
	check_res("GET / http/1.1\r\nHost: evil.example\r\n\r\n", EXTRACT_NOT_APPLICABLE);
	check_res("GET / HTTP/1.1 \r\nHost: evil.example\r\n\r\n", EXTRACT_NOT_APPLICABLE);
	check_res("GET /\r\n", EXTRACT_NOT_APPLICABLE); /* HTTP/0.9 */
	check_res("EHLO mail.example\r\n", EXTRACT_NOT_APPLICABLE);
	check_res("SSH-2.0-OpenSSH_9.2\r\n", EXTRACT_NOT_APPLICABLE);
	check_res("\x16\x03\x01\x02\x00\x01", EXTRACT_NOT_APPLICABLE);
	check_res("", EXTRACT_NOT_APPLICABLE);
	check_res("G", EXTRACT_NOT_APPLICABLE);
	check_res("GET", EXTRACT_NOT_APPLICABLE);
	check_res("ABCDEFGHIJKLMNOPQRSTUVWXYZ / HTTP/1.1\r\n\r\n", EXTRACT_NOT_APPLICABLE);
	/* Empty target, control characters in it. */
	check_res("GET  HTTP/1.1\r\nHost: evil.example\r\n\r\n", EXTRACT_MALFORMED);
	check_res("GET /a\x01 HTTP/1.1\r\nHost: evil.example\r\n\r\n", EXTRACT_MALFORMED);
	check_res("GET /a\x7f HTTP/1.1\r\nHost: evil.example\r\n\r\n", EXTRACT_MALFORMED);
	/* Cut request line: counted only for a known method. */
	check_res("GET /gate.php?id=1", EXTRACT_TRUNCATED);
	check_res("POST ", EXTRACT_TRUNCATED);
	check_res("FOO /x", EXTRACT_NOT_APPLICABLE);
}

/* Every cut of a request is TRUNCATED (or OK once Host's line is complete). */
static void
test_every_prefix(void **state)
{
	static const char full[] = "GET /gate.php?id=1 HTTP/1.1\r\nUser-Agent: t\r\n"
				   "Host: evil.example\r\nAccept: */*\r\n\r\n";
	const uint32_t host_end = (uint32_t)(strstr(full, "Accept") - full);
	const uint32_t method_end = 4;

	(void)state;
	for (uint32_t n = 0; n < sizeof(full) - 1; n++) {
		enum extract_result res =
		    extract_http_request((const uint8_t *)full, n, &host, &url);
		enum extract_result want = n < method_end ? EXTRACT_NOT_APPLICABLE
					   : n < host_end ? EXTRACT_TRUNCATED
							  : EXTRACT_OK;

		if (res != want)
			fail_msg("%u bytes: got %s, want %s", n, extract_result_name(res),
				 extract_result_name(want));
		if (res == EXTRACT_OK) {
			assert_string_equal(host.text, "evil.example");
			assert_string_equal(url.text, "http://evil.example/gate.php?id=1");
		}
	}
}

static void
test_long_url(void **state)
{
	static char buf[4096];
	char path[2000];

	(void)state;
	memset(path, 'p', sizeof(path) - 1);
	path[0] = '/';
	path[sizeof(path) - 1] = '\0';
	snprintf(buf, sizeof(buf), "GET %s HTTP/1.1\r\nHost: evil.example\r\n\r\n", path);
	assert_int_equal(req(buf), EXTRACT_OK);
	assert_int_equal(url.len, EXTRACT_URL_MAX);
	assert_int_equal(url.truncated, 1);
	assert_int_equal(strlen(url.text), EXTRACT_URL_MAX);
	assert_memory_equal(url.text, "http://evil.example/ppp", 23);
	assert_string_equal(host.text, "evil.example");
	assert_int_equal(host.truncated, 0);

	/* Path case is kept, bytes >= 0x80 too. */
	check("GET /Gate.PHP?ID=\xc3\xa9 HTTP/1.1\r\nHost: Evil.Example\r\n\r\n", "evil.example",
	      "http://evil.example/Gate.PHP?ID=\xc3\xa9");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_get_with_host),
	    cmocka_unit_test(test_ports),
	    cmocka_unit_test(test_host_values),
	    cmocka_unit_test(test_absolute_form),
	    cmocka_unit_test(test_connect_and_asterisk),
	    cmocka_unit_test(test_no_host),
	    cmocka_unit_test(test_duplicate_and_folded_host),
	    cmocka_unit_test(test_pipelined),
	    cmocka_unit_test(test_request_line),
	    cmocka_unit_test(test_every_prefix),
	    cmocka_unit_test(test_long_url),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
