/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The one reading of a proc/PID/cgroup line, for a dump's parser and libproc2's lines alike. */
#include <errno.h>
#include <string.h>

#include "lib/procmem.h"

/* Whether the comma-separated @list (of @len bytes) names the memory controller */
static bool has_memory(const char *list, size_t len)
{
	for (const char *t = list, *end = list + len; t < end;) {
		const char *c = memchr(t, ',', (size_t)(end - t));
		size_t n = c ? (size_t)(c - t) : (size_t)(end - t);
		if (n == 6 && !memcmp(t, "memory", 6))
			return true;
		t += n + 1;
	}
	return false;
}

int procmem_cgroup_line(struct procmem *p, const char *line)
{
	/* "ID:CONTROLLERS:PATH"; the path may hold colons */
	const char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	if (!c1 || !c2 || c1 == line)
		return -EINVAL;
	bool v2 = c1 - line == 1 && line[0] == '0' && c2 == c1 + 1;
	bool v1 = !v2 && has_memory(c1 + 1, (size_t)(c2 - c1 - 1));
	/* the unified hierarchy's path, unless a v1 hierarchy holds the memory controller (a
	 * hybrid system: memory is counted there) */
	if (!(v2 && !p->cgroup) && !(v1 && (!p->cgroup || p->cgroup_v2)))
		return 0;
	char *dup = strdup(c2 + 1);
	if (!dup)
		return -ENOMEM;
	free(p->cgroup);
	p->cgroup = dup;
	p->cgroup_v2 = v2;
	return 0;
}
