/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Messages to the user on stderr: one line each, "memscope: ...". */
#ifndef MEMSCOPE_MSG_H
#define MEMSCOPE_MSG_H

#include "lib/error.h"

/* Print @err as "memscope: FILE:LINE: REASON" (or "memscope: 'FILE': REASON"). */
void msg_error(const struct ms_error *err);
void msg_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void msg_warnf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
