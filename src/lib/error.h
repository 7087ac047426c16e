/* SPDX-License-Identifier: GPL-2.0-or-later */
/* struct ms_error: what went wrong, where, filled by parsers and readers (lib/error.c), worded
 * by sys/msg.c. */
#ifndef MEMSCOPE_ERROR_H
#define MEMSCOPE_ERROR_H

#include <stdarg.h>
#include <stdbool.h>

/* A failure as the user should read it: the file (as named to the user), the line (0 when the
 * whole file is at fault) and a reason without a trailing full stop. Every layer returns 0 or
 * -errno with one filled; the dispatcher says it, once (sys/msg.c's msg_error()). */
struct ms_error {
	char file[512];
	unsigned long line;
	char reason[2048];
	bool usage;    /* the command line is at fault, not the input: exit status 2, not 1 */
	bool verbatim; /* @reason is the whole message, what it quotes escaped already */
};

/* Fill @err and return @ret (a negative errno), so callers can `return ms_fail(...)`. */
int ms_fail(struct ms_error *err, int ret, const char *file, unsigned long line, const char *fmt,
	    ...) __attribute__((format(printf, 5, 6)));
/* A message worded whole by a command (no file of its own; what it quotes escaped by the
 * caller): fill @err and return @ret. */
int ms_say(struct ms_error *err, int ret, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The same for a bad command line: returns -EINVAL, @err->usage set (exit status 2). */
int ms_usage(struct ms_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
