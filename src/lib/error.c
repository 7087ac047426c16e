/* SPDX-License-Identifier: GPL-2.0-or-later */
/* struct ms_error filling: below every layer, so a parser fills it without knowing who words it */
#include <stdio.h>

#include "lib/error.h"

int ms_fail(struct ms_error *err, int ret, const char *file, unsigned long line, const char *fmt,
	    ...)
{
	if (!err)
		return ret;
	snprintf(err->file, sizeof(err->file), "%s", file ? file : "");
	err->line = line;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->reason, sizeof(err->reason), fmt, ap);
	va_end(ap);
	return ret;
}
