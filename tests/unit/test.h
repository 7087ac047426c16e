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

#endif
