/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_cef.c - libFuzzer harness for the export side of the control socket:
 * an EVENTS payload from the dataplane turned into a CommonSecurityLog record
 * (control/event_record.c resolving ids in a snapshot, control/cef.c
 * formatting and escaping). Two paths, chosen by the first byte:
 *
 *  - strings: a struct cef_event whose every text field comes from the input
 *    (a domain or URL from the wire, a feed's metadata), formatted whole and
 *    into a buffer of an input-chosen size;
 *  - event: a struct iocw_event taken verbatim from the input (a buggy or
 *    hostile dataplane: any meta index, family, side, kind, generation),
 *    resolved against a snapshot whose metadata holds CEF metacharacters.
 *
 * The record is re-parsed independently (the rules of tests/tools/cef_check.py):
 * exactly seven header fields, every extension key well-formed and unique,
 * no CR, LF or other control byte anywhere, and the string fields round-trip
 * to their input (control characters read as '?'). Truncation returns the full
 * length, NUL-terminates, keeps a prefix of the full record and never cuts an
 * escape pair or a UTF-8 character.
 *
 * The dispatch of messages in control/daemon.c (handle_message) is static;
 * its EVENTS branch hands each event to exactly these two functions.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cef.h"
#include "control_config.h"
#include "event_record.h"
#include "snapshot_build.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define fuzz_check(cond)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "invariant broken: %s\n", #cond);                          \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

#define MAX_KEYS 64

static struct snapshot_view view;
static void *blob;
static struct control_config cfg;

/* Metadata with every CEF metacharacter, as a hostile feed could carry it. */
static const char *const hostile[][4] = {
	{"Evil|RAT\\ v2", "botnet_cc act=blocked", "https://x.example/?a=b|c\\", "t1,t2"},
	{"line\nbreak\rCEF:0|x|y|z|1|n|10|", "c2=1 \\=", "ref\x01\x7f", "=\\|"},
	{"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x92\xa3", "\xc3", "\xff\xfe", ""},
};

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct snapshot_builder *b = snapshot_builder_new();
	size_t len;
	char err[256];

	(void)argc;
	(void)argv;
	if (b == NULL)
		abort();
	for (unsigned i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		struct ioc ioc;
		char value[32];

		memset(&ioc, 0, sizeof(ioc));
		ioc.type = i == 1 ? IOCW_IOC_IP_PORT : IOCW_IOC_IP;
		ioc.family = IOCW_FAMILY_V4;
		ioc.addr[0] = 95;
		ioc.addr[3] = (uint8_t)i;
		ioc.port = i == 1 ? 443 : 0;
		snprintf(value, sizeof(value), "95.0.0.%u", i);
		ioc.value = value;
		ioc.feed = "feed|with=meta\\chars";
		ioc.malware = hostile[i][0];
		ioc.threat = hostile[i][1];
		ioc.reference = hostile[i][2];
		ioc.tags = hostile[i][3];
		ioc.confidence = (int)(i * 50);
		ioc.action = i == 2 ? IOCW_ACTION_DROP : IOCW_ACTION_ALERT;
		if (snapshot_builder_add(b, &ioc) != 0)
			abort();
	}
	if (snapshot_builder_finish(b, 7, &blob, &len) != 0 ||
	    snapshot_open(&view, blob, len, err, sizeof(err)) != 0)
		abort();
	snapshot_builder_free(b);
	control_config_defaults(&cfg);
	snprintf(cfg.vendor, sizeof(cfg.vendor), "ven|dor\\");
	cfg.home[0].family = IOCW_FAMILY_V4;
	cfg.home[0].prefix_len = 8;
	cfg.home[0].addr[0] = 10;
	cfg.nb_home = 1;
	return 0;
}

/* What cef.c promises a string becomes once unescaped: control characters read as '?'. */
static void
expected_text(const char *in, char *out, size_t outlen, bool header)
{
	size_t n = 0;

	for (const unsigned char *p = (const unsigned char *)in; *p && n + 1 < outlen; p++)
		out[n++] = (*p < 0x20 || *p == 0x7f) && (header || (*p != '\n' && *p != '\r')) ? '?'
											     : (char)*p;
	out[n] = '\0';
}

struct parsed {
	char header[7][1024];
	unsigned nb_keys;
	char keys[MAX_KEYS][32];
	char *vals[MAX_KEYS];
};

/* Header: fields split on unescaped '|', escapes \| and \\ only. Returns the extension. */
static const char *
parse_header(const char *rec, struct parsed *ps)
{
	const char *p = rec + 4; /* "CEF:" */

	for (int f = 0; f < 7; f++) {
		size_t n = 0;

		while (*p && *p != '|') {
			if (*p == '\\') {
				fuzz_check(p[1] == '\\' || p[1] == '|'); /* no other escape in the header */
				p++;
			}
			if (n + 1 < sizeof(ps->header[f]))
				ps->header[f][n++] = *p;
			p++;
		}
		ps->header[f][n] = '\0';
		fuzz_check(*p == '|');
		p++;
	}
	return p;
}

static bool
is_key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* Extension: "k=v k=v"; a key is [A-Za-z0-9_]+ after a space or at the start, before an unescaped '='. */
static void
parse_extension(const char *ext, struct parsed *ps)
{
	size_t len = strlen(ext);
	size_t starts[MAX_KEYS], vstart[MAX_KEYS];
	unsigned n = 0;

	for (size_t i = 0; i < len; i++) {
		size_t k;

		if (ext[i] == '\\') {
			fuzz_check(i + 1 < len && strchr("\\=nr", ext[i + 1]) != NULL);
			i++;
			continue;
		}
		if (ext[i] != '=')
			continue;
		/* An unescaped '=' must end a well-formed key that starts a field. */
		k = i;
		while (k > 0 && is_key_char(ext[k - 1]))
			k--;
		fuzz_check(k < i);
		fuzz_check(k == 0 || ext[k - 1] == ' ');
		fuzz_check(n < MAX_KEYS && i - k < sizeof(ps->keys[0]));
		memcpy(ps->keys[n], ext + k, i - k);
		ps->keys[n][i - k] = '\0';
		for (unsigned j = 0; j < n; j++)
			fuzz_check(strcmp(ps->keys[j], ps->keys[n]) != 0);
		starts[n] = k;
		vstart[n] = i + 1;
		n++;
	}
	fuzz_check(len == 0 || n > 0);
	for (unsigned j = 0; j < n; j++) {
		size_t vend = j + 1 < n ? starts[j + 1] - 1 : len;
		char *v = malloc(vend - vstart[j] + 1), *o = v;

		if (v == NULL)
			abort();
		for (size_t i = vstart[j]; i < vend; i++) {
			char c = ext[i];

			if (c == '\\') {
				c = ext[++i];
				c = c == 'n' ? '\n' : c == 'r' ? '\r' : c;
			}
			*o++ = c;
		}
		*o = '\0';
		ps->vals[j] = v;
	}
	ps->nb_keys = n;
}

static const char *
value_of(const struct parsed *ps, const char *key)
{
	for (unsigned i = 0; i < ps->nb_keys; i++)
		if (strcmp(ps->keys[i], key) == 0)
			return ps->vals[i];
	return NULL;
}

static void
check_roundtrip(const struct parsed *ps, const char *key, const char *in)
{
	char want[4096];
	const char *got = value_of(ps, key);

	if (in == NULL || in[0] == '\0')
		return;
	expected_text(in, want, sizeof(want), false);
	fuzz_check(got != NULL);
	fuzz_check(strcmp(got, want) == 0);
}

static void
check_header_field(const char *got, const char *in)
{
	char want[1024];

	if (in == NULL || in[0] == '\0' || strlen(in) >= sizeof(want))
		return;
	expected_text(in, want, sizeof(want), true);
	fuzz_check(strcmp(got, want) == 0);
}

/* Cut at @p k bytes: a prefix, NUL-terminated, no half escape, no half UTF-8 character. */
static void
check_truncation(const struct cef_event *ev, const char *full, size_t total, size_t k)
{
	char *buf = malloc(k ? k : 1); /* exact size: ASan sees any write past it */
	size_t r, n, lead;

	if (buf == NULL)
		abort();
	r = cef_format(ev, k ? buf : NULL, k);
	fuzz_check(r == total);
	if (k == 0) {
		free(buf);
		return;
	}
	n = strnlen(buf, k);
	fuzz_check(n < k);
	fuzz_check(memcmp(buf, full, n) == 0);
	if (n < total) {
		size_t bs = 0;

		while (bs < n && buf[n - 1 - bs] == '\\')
			bs++;
		fuzz_check(bs % 2 == 0);
		/* A valid multi-byte character is kept whole or dropped whole. */
		for (lead = n; lead > 0 && n - lead < 4; lead--) {
			unsigned char c = (unsigned char)full[lead - 1];

			if ((c & 0xc0) != 0x80) {
				size_t need = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 && c <= 0xef ? 3
									    : c >= 0xc2 && c <= 0xdf ? 2 : 1;
				bool valid = lead - 1 + need <= total;

				for (size_t i = 1; valid && i < need; i++)
					valid = ((unsigned char)full[lead - 1 + i] & 0xc0) == 0x80;
				fuzz_check(!valid || lead - 1 + need <= n || lead - 1 >= n);
				break;
			}
		}
	}
	free(buf);
}

/* Format @p ev fully, parse it back into @p ps (free_parsed() it), check the structure. */
static void
check_record(const struct cef_event *ev, size_t cut, struct parsed *ps)
{
	size_t total = cef_format(ev, NULL, 0);
	char *full = malloc(total + 1);

	if (full == NULL)
		abort();
	fuzz_check(cef_format(ev, full, total + 1) == total);
	fuzz_check(strlen(full) == total);
	fuzz_check(strncmp(full, "CEF:0|", 6) == 0);
	for (size_t i = 0; i < total; i++) {
		unsigned char c = (unsigned char)full[i];

		fuzz_check(c >= 0x20 && c != 0x7f); /* no CR/LF: a record can never be split */
	}
	parse_extension(parse_header(full, ps), ps);
	fuzz_check(strcmp(ps->header[0], "0") == 0);
	fuzz_check(strcmp(ps->header[4], "ioc-match") == 0 || strcmp(ps->header[4], "flow-end") == 0);
	check_truncation(ev, full, total, cut % (total + 2));
	free(full);
}

static void
free_parsed(struct parsed *ps)
{
	for (unsigned i = 0; i < ps->nb_keys; i++)
		free(ps->vals[i]);
}

/* Next NUL-terminated string from the input (the rest when no NUL is left). */
static const char *
next_str(const uint8_t **p, const uint8_t *end, char *store, size_t storelen)
{
	size_t n = 0;

	while (*p < end && **p != '\0' && n + 1 < storelen)
		store[n++] = (char)*(*p)++;
	if (*p < end)
		(*p)++;
	store[n] = '\0';
	return store;
}

static void
fuzz_strings(const uint8_t *p, const uint8_t *end, size_t cut)
{
	enum { NB = 16 };
	static char store[NB][512];
	struct cef_event ev;
	struct parsed ps;
	uint8_t num[32] = {0};
	const char *s[NB];

	memcpy(num, p, (size_t)(end - p) < sizeof(num) ? (size_t)(end - p) : sizeof(num));
	p += (size_t)(end - p) < sizeof(num) ? (size_t)(end - p) : sizeof(num);
	for (int i = 0; i < NB; i++)
		s[i] = next_str(&p, end, store[i], sizeof(store[i]));
	memset(&ev, 0, sizeof(ev));
	ev.kind = num[0] & 1 ? CEF_KIND_FLOW_END : CEF_KIND_MATCH;
	ev.direction = (enum cef_direction)((num[0] >> 1) % 3 - 1);
	ev.vendor = s[0];
	ev.product = s[1];
	ev.version = s[2];
	ev.dvchost = s[3];
	ev.dvc = s[4];
	ev.src = s[5];
	ev.dst = s[6];
	ev.proto = s[7];
	ev.act = s[8];
	ev.end_reason = s[9];
	ev.ioc = s[10];
	ev.ioc_type = s[11];
	ev.matched = s[12];
	ev.malware = s[13];
	ev.threat = s[14];
	ev.feed = s[15];
	ev.reference = s[13 + (num[1] & 1)];
	ev.spt = (int)(num[2] | num[3] << 8) - (num[1] & 2 ? 1000 : 0);
	ev.dpt = (int)(num[4] | num[5] << 8 | (num[1] & 4 ? 0x10000 : 0));
	ev.vlan = (uint16_t)(num[6] | num[7] << 8);
	ev.confidence = (int8_t)num[8];
	ev.tcp_flags = num[9];
	memcpy(&ev.rt_ms, num + 10, 8);
	memcpy(&ev.flow_id, num + 18, 8);
	ev.cnt = num[26];
	ev.pkts = num[27];
	memcpy(&ev.bytes_in, num + 28, 4);

	memset(&ps, 0, sizeof(ps));
	check_record(&ev, cut, &ps);
	check_header_field(ps.header[1], ev.vendor);
	check_header_field(ps.header[2], ev.product);
	check_header_field(ps.header[3], ev.version);
	check_roundtrip(&ps, "dvchost", ev.dvchost);
	check_roundtrip(&ps, "src", ev.src);
	check_roundtrip(&ps, "dst", ev.dst);
	check_roundtrip(&ps, "proto", ev.proto);
	check_roundtrip(&ps, "act", ev.act);
	check_roundtrip(&ps, "cs1", ev.malware);
	check_roundtrip(&ps, "cs2", ev.threat);
	check_roundtrip(&ps, "cs3", ev.ioc);
	check_roundtrip(&ps, "cs4", ev.feed);
	check_roundtrip(&ps, "cs5", ev.reference);
	if (ev.kind == CEF_KIND_FLOW_END)
		check_roundtrip(&ps, "reason", ev.end_reason);
	free_parsed(&ps);
}

static void
fuzz_event(const uint8_t *p, const uint8_t *end, size_t cut, bool with_view)
{
	struct iocw_event ev;
	struct event_record rec;
	struct parsed ps;
	size_t n = (size_t)(end - p) < sizeof(ev) ? (size_t)(end - p) : sizeof(ev);

	memset(&ev, 0, sizeof(ev));
	memcpy(&ev, p, n);
	if (with_view)
		ev.generation = view.generation;
	event_record_fill(&rec, &ev, with_view ? &view : NULL, &cfg);
	memset(&ps, 0, sizeof(ps));
	check_record(&rec.cef, cut, &ps);
	if (ev.family == IOCW_FAMILY_V4 || ev.family == IOCW_FAMILY_V6)
		fuzz_check(value_of(&ps, "src") != NULL && value_of(&ps, "dst") != NULL);
	free_parsed(&ps);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t cut;

	if (size < 3)
		return 0;
	cut = (size_t)(data[1] | data[2] << 8);
	switch (data[0] % 3) {
	case 0: fuzz_strings(data + 3, data + size, cut); break;
	case 1: fuzz_event(data + 3, data + size, cut, true); break;
	default: fuzz_event(data + 3, data + size, cut, false); break;
	}
	return 0;
}
