/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Parser for /proc/vmstat (mm/vmstat.c vmstat_show: "%s %lu\n"). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "proc/text.h"
#include "proc/vmstat.h"

static const char *const names[VM_NCOUNTERS] = {
	[VM_COMPACT_STALL] = "compact_stall",
	[VM_COMPACT_FAIL] = "compact_fail",
	[VM_COMPACT_SUCCESS] = "compact_success",
	[VM_THP_FAULT_FALLBACK] = "thp_fault_fallback",
	[VM_HTLB_BUDDY_ALLOC_FAIL] = "htlb_buddy_alloc_fail",
	[VM_ALLOCSTALL] = "allocstall",
};

const char *vmstat_name(enum vmstat_counter c)
{
	return names[c];
}

int vmstat_parse(const char *data, size_t len, const char *file, struct vmstat *vs,
		 struct ms_error *err)
{
	memset(vs, 0, sizeof(*vs));
	char *text = text_dup(data, len);
	if (!text)
		return ms_fail(err, -ENOMEM, file, 0, "out of memory");
	struct lines it;
	lines_init(&it, text, len);
	char *line;
	bool nul;
	int ret = 0;
	size_t fields = 0;
	while ((line = lines_next(&it, &nul))) {
		if (text_blank(line))
			continue;
		char *sp = strchr(line, ' ');
		uint64_t v;
		char *q = sp ? text_skip_blank(sp) : NULL;
		if (nul || !sp || text_u64(&q, &v) || !text_blank(q)) {
			ret = ms_fail(err, -EINVAL, file, it.no,
				      it.cut ? "last line cut off" : "expected 'name value'");
			break;
		}
		*sp = '\0';
		fields++;
		for (int c = 0; c < VM_NCOUNTERS; c++) {
			bool stall = c == VM_ALLOCSTALL && !strncmp(line, "allocstall", 10);
			if (!stall && strcmp(line, names[c]))
				continue;
			vs->v[c] += v;
			vs->has[c] = true;
		}
	}
	if (!ret && fields == 0)
		ret = ms_fail(err, -EINVAL, file, 0, len ? "no counters in the file" : "empty file");
	free(text);
	return ret;
}

static int parse_any(const char *data, size_t len, const char *file, void *out,
		     struct ms_error *err)
{
	return vmstat_parse(data, len, file, out, err);
}

int vmstat_read(const struct sysroot *sr, struct vmstat *vs, struct ms_error *err)
{
	memset(vs, 0, sizeof(*vs)); /* safe to free whatever happens */
	return sysroot_parse(sr, "proc/vmstat", parse_any, vs, err);
}
