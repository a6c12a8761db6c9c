/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Shared bits of the libFuzzer harnesses (tests/fuzz/fuzz_*.c). */
#ifndef UW_FUZZ_H
#define UW_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An invariant broken: abort, so libFuzzer keeps the input as a crash. */
#define FUZZ_CHECK(cond)                                                                   \
	do {                                                                               \
		if (!(cond)) {                                                             \
			fprintf(stderr, "invariant broken at %s:%d: %s\n", __FILE__, __LINE__, \
				#cond);                                                    \
			abort();                                                           \
		}                                                                          \
	} while (0)

/* A NUL-terminated copy of the input (malloc'd: AddressSanitizer sees overreads). */
static inline char *fuzz_cstr(const uint8_t *d, size_t n)
{
	char *s = malloc(n + 1);

	if (!s)
		abort();
	memcpy(s, d, n);
	s[n] = 0;
	return s;
}

/* The string is NUL-terminated within cap bytes. */
static inline int fuzz_terminated(const char *s, size_t cap)
{
	return memchr(s, 0, cap) != NULL;
}

#endif
