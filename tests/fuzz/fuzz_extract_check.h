/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_extract_check.h - checks shared by the extractor harnesses: the
 * struct extract_name contract the worker and the CEF writer rely on.
 */
#ifndef IOCWIRE_FUZZ_EXTRACT_CHECK_H
#define IOCWIRE_FUZZ_EXTRACT_CHECK_H

#include <stdlib.h>
#include <string.h>

#include "extract.h"

/* abort() rather than assert(): the checks must survive -DNDEBUG builds. */
#define fuzz_check(cond)                                                                           \
	do {                                                                                       \
		if (!(cond))                                                                       \
			abort();                                                                   \
	} while (0)

/* NUL-terminated at len, no NUL before, within the buffer; empty unless OK. */
static inline void
fuzz_check_name(const struct extract_name *n, enum extract_where where, enum extract_result res)
{
	fuzz_check((unsigned int)res < EXTRACT_RESULT_COUNT);
	fuzz_check(n->where == where);
	fuzz_check(n->len <= EXTRACT_URL_MAX);
	fuzz_check(n->text[n->len] == '\0');
	fuzz_check(strlen(n->text) == n->len);
	fuzz_check(!n->truncated || n->len == EXTRACT_URL_MAX);
	if (res != EXTRACT_OK)
		fuzz_check(n->len == 0);
}

/*
 * A host name in text form: [a-z0-9-_.] and \DDD escapes (DDD <= 255) only;
 * @p literal also allows an IP literal "[...]" (HTTP hosts).
 */
static inline void
fuzz_check_host_text(const struct extract_name *n, int literal)
{
	const char *t = n->text;

	if (literal && n->len > 0 && t[0] == '[') {
		fuzz_check(t[n->len - 1] == ']');
		for (unsigned i = 1; i + 1 < n->len; i++)
			fuzz_check((t[i] >= '0' && t[i] <= '9') || (t[i] >= 'a' && t[i] <= 'f') ||
				   t[i] == ':' || t[i] == '.');
		return;
	}
	for (unsigned i = 0; i < n->len; i++) {
		char c = t[i];

		if (c == '\\') {
			fuzz_check(i + 3 < n->len);
			fuzz_check(t[i + 1] >= '0' && t[i + 1] <= '2');
			fuzz_check(t[i + 2] >= '0' && t[i + 2] <= '9');
			fuzz_check(t[i + 3] >= '0' && t[i + 3] <= '9');
			fuzz_check((t[i + 1] - '0') * 100 + (t[i + 2] - '0') * 10 +
				       (t[i + 3] - '0') <=
				   255);
			i += 3;
			continue;
		}
		fuzz_check((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
			   c == '_' || c == '.');
	}
}

#endif
