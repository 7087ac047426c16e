/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reader of one-integer /proc/sys files. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "proc/sysctl.h"
#include "proc/text.h"

int sysctl_parse_int(const char *data, size_t len, const char *file, long *v,
		     struct ms_error *err)
{
	struct lines it;
	lines_open(&it, data, len, file, err, 0);
	size_t found = 0;
	for (char *line; (line = lines_next(&it));) {
		if (text_blank(line))
			continue;
		if (found) {
			lines_fail(&it, "more than one value");
			break;
		}
		char *p = text_skip_blank(line);
		bool neg = *p == '-';
		p += neg;
		uint64_t u;
		if (text_u64(&p, &u) || u > LONG_MAX || !text_blank(p)) {
			lines_fail(&it, "expected a whole number");
			break;
		}
		*v = neg ? -(long)u : (long)u;
		found++;
	}
	return lines_end(&it, found, "no value in the file", NULL);
}

static int parse_any(const char *data, size_t len, const char *file, void *out,
		     struct ms_error *err)
{
	return sysctl_parse_int(data, len, file, out, err);
}

int sysctl_read_int(const struct sysroot *sr, const char *name, long *v, struct ms_error *err)
{
	char path[256];
	snprintf(path, sizeof(path), "proc/sys/%s", name);
	return sysroot_parse(sr, path, parse_any, v, err);
}
