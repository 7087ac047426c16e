/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Error and warning lines on stderr (struct ms_error is filled by lib/error.c). */
#include <stdio.h>
#include <string.h>

#include "lib/escape.h"
#include "sys/msg.h"

void msg_error(const struct ms_error *err)
{
	/* a file name comes from the command line or a dump, and a reason may quote the file
	 * (meminfo's "unknown unit 'X' for KEY"): both escaped for the terminal, so the message
	 * stays one line with no control byte in it */
	if (err->verbatim) {
		fprintf(stderr, "memscope: %s\n", err->reason);
		return;
	}
	char file[sizeof(err->file) * 4], reason[sizeof(err->reason) * 4];
	escape_text(err->file, strlen(err->file), file, sizeof(file));
	escape_text(err->reason, strlen(err->reason), reason, sizeof(reason));
	if (err->line)
		fprintf(stderr, "memscope: %s:%lu: %s\n", file, err->line, reason);
	else if (*file)
		fprintf(stderr, "memscope: '%s': %s\n", file, reason);
	else
		fprintf(stderr, "memscope: %s\n", reason);
}

/* one line on stderr: "memscope: ", the prefix, the formatted text */
static void vmsg(const char *prefix, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
static void vmsg(const char *prefix, const char *fmt, va_list ap)
{
	fputs("memscope: ", stderr);
	fputs(prefix, stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void msg_errorf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg("", fmt, ap);
	va_end(ap);
}

void msg_warnf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg("warning: ", fmt, ap);
	va_end(ap);
}
