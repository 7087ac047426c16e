/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared bits of the cmocka tests. */
#ifndef MEMSCOPE_TEST_H
#define MEMSCOPE_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "proc/sysroot.h"

/* Open fixtures/@name as a sysroot (FIXTURES is set by tests/meson.build). */
static inline void fixture_open(struct sysroot *sr, const char *name)
{
	struct ms_error err = {0};
	static char dir[1024]; /* the sysroot keeps this pointer: it must outlive the call */
	snprintf(dir, sizeof(dir), "%s/%s", FIXTURES, name);
	if (sysroot_open(sr, dir, &err))
		fail_msg("%s: %s", err.file, err.reason);
}

/* @got (@gotlen bytes) is exactly @want (@wantlen bytes), NULs and all. */
static inline void assert_bytes(const char *got, size_t gotlen, const char *want, size_t wantlen)
{
	if (gotlen != wantlen || memcmp(got, want, wantlen) != 0)
		fail_msg("got  [%.*s] (%zu bytes)\nwant [%.*s] (%zu bytes)", (int)gotlen, got, gotlen,
			 (int)wantlen, want, wantlen);
}

#endif
