/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Parser for /proc/vmstat (mm/vmstat.c vmstat_show: "%s %lu\n"). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "proc/text.h"
#include "proc/vmstat.h"

static const char *const names[VM_NCOUNTERS] = {VMSTAT_COUNTERS(XLIST_NAME)};

const char *vmstat_name(enum vmstat_counter c)
{
	return names[c];
}

TEXT_READER(vmstat, struct vmstat, "proc/vmstat")

int vmstat_parse(const char *data, size_t len, const char *file, struct vmstat *vs,
		 struct ms_error *err)
{
	memset(vs, 0, sizeof(*vs));
	struct lines it;
	lines_open(&it, data, len, file, err, 0);
	it.nul_ok = true; /* a line cut at a NUL byte is "expected 'name value'" */
	size_t fields = 0;
	for (char *line; (line = lines_next_text(&it));) {
		char *sp = strchr(line, ' ');
		uint64_t v;
		char *q = sp ? text_skip_blank(sp) : NULL;
		if (it.nul || !sp || text_u64(&q, &v) || !text_blank(q)) {
			lines_fail(&it, it.cut ? "last line cut off" : "expected 'name value'");
			break;
		}
		*sp = '\0';
		fields++;
		bool huge = !strncmp(line, "thp_", 4) || !strncmp(line, "htlb_", 5) ||
			    (!strncmp(line, "nr_", 3) && strstr(line, "hugepages"));
		if (huge && vs->n_huge < VM_HUGE_MAX && strlen(line) < VM_NAME_MAX) {
			strcpy(vs->huge_name[vs->n_huge], line);
			vs->huge_v[vs->n_huge++] = v;
		}
		for (int c = 0; c < VM_NCOUNTERS; c++) {
			bool stall = c == VM_ALLOCSTALL && !strncmp(line, "allocstall", 10);
			if (!stall && strcmp(line, names[c]))
				continue;
			vs->v[c] += v;
			vs->has[c] = true;
		}
	}
	return lines_end(&it, fields, "no counters in the file", NULL);
}
