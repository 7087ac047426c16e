/* SPDX-License-Identifier: GPL-2.0-or-later */
/* struct ms_error filling: below every layer, so a parser fills it without knowing who words it */
#include <errno.h>
#include <stdio.h>

#include "lib/error.h"

int ms_fail(struct ms_error *err, int ret, const char *file, unsigned long line, const char *fmt,
	    ...)
{
	if (!err)
		return ret;
	snprintf(err->file, sizeof(err->file), "%s", file ? file : "");
	err->line = line;
	err->usage = err->verbatim = false;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->reason, sizeof(err->reason), fmt, ap);
	va_end(ap);
	return ret;
}

static int say(struct ms_error *err, int ret, bool usage, const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));

static int say(struct ms_error *err, int ret, bool usage, const char *fmt, va_list ap)
{
	if (!err)
		return ret;
	err->file[0] = '\0';
	err->line = 0;
	err->usage = usage;
	err->verbatim = true;
	vsnprintf(err->reason, sizeof(err->reason), fmt, ap);
	return ret;
}

int ms_say(struct ms_error *err, int ret, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	say(err, ret, false, fmt, ap);
	va_end(ap);
	return ret;
}

int ms_usage(struct ms_error *err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	say(err, -EINVAL, true, fmt, ap);
	va_end(ap);
	return -EINVAL;
}
