/* SPDX-License-Identifier: GPL-2.0-or-later */
/* struct ms_error: what went wrong, where, filled by parsers and readers (lib/error.c), worded
 * by sys/msg.c. */
#ifndef MEMSCOPE_ERROR_H
#define MEMSCOPE_ERROR_H

#include <stdarg.h>

/* A failure as the user should read it: the file (as named to the user), the line (0 when the
 * whole file is at fault) and a reason without a trailing full stop. */
struct ms_error {
	char file[512];
	unsigned long line;
	char reason[256];
};

/* Fill @err and return @ret (a negative errno), so callers can `return ms_fail(...)`. */
int ms_fail(struct ms_error *err, int ret, const char *file, unsigned long line, const char *fmt,
	    ...) __attribute__((format(printf, 5, 6)));

#endif
