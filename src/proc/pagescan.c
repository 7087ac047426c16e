/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The pagemap walk by PAGEMAP_SCAN: where pagemap hides the frames (no CAP_SYS_ADMIN), the only
 * bits of an entry the walk and its sinks use are present and swapped, and the kernel can hand
 * those back as regions, one per change of state, instead of 8 bytes a page. The runs and counts
 * are the pread walk's exactly; where they could differ (frames shown, a kernel without the
 * ioctl, an address it refuses) the walk goes on by pread. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/fs.h>

#include "proc/pagescan.h"

#ifndef PAGEMAP_SCAN
/* include/uapi/linux/fs.h of Linux 6.7, for older headers (Debian 12's are 6.1) */
struct page_region {
	__u64 start;
	__u64 end;
	__u64 categories;
};

struct pm_scan_arg {
	__u64 size;
	__u64 flags;
	__u64 start;
	__u64 end;
	__u64 walk_end;
	__u64 vec;
	__u64 vec_len;
	__u64 max_pages;
	__u64 category_inverted;
	__u64 category_mask;
	__u64 category_anyof_mask;
	__u64 return_mask;
};

#define PAGEMAP_SCAN _IOWR('f', 16, struct pm_scan_arg)

#define PAGE_IS_WPALLOWED (1 << 0)
#define PAGE_IS_WRITTEN (1 << 1)
#define PAGE_IS_FILE (1 << 2)
#define PAGE_IS_PRESENT (1 << 3)
#define PAGE_IS_SWAPPED (1 << 4)
#define PAGE_IS_PFNZERO (1 << 5)
#define PAGE_IS_HUGE (1 << 6)
#define PAGE_IS_SOFT_DIRTY (1 << 7)
#endif

/* regions asked for in one call (24 bytes each) */
#define PAGESCAN_REGIONS 2048

int pagescan_init(struct pagewalk *pw)
{
	/* a dump's pagemap is a plain file: no ioctl to ask (it would fail with ENOTTY) */
	const char *force = getenv("MEMSCOPE_PAGEMAP");
	pw->reader = !pw->live || (force && !strcmp(force, "pread")) ? PW_READ_PREAD : PW_READ_PROBE;
	pw->regions = malloc(PAGESCAN_REGIONS * sizeof(*pw->regions));
	return pw->regions ? 0 : -ENOMEM;
}

/* Addresses [@from, @to) in no region the kernel gave: asked for every page with no category
 * to match, it leaves out only what is in no mapping it walks (a VM_PFNMAP one; one unmapped
 * since maps was read), which pread reads as not present, or a process gone: its exited mm has
 * no mappings left, where pread's read comes back short. So the first gap of a range checks the
 * process is there, as the pread walk does at a short read. */
static int gap(struct pagewalk *pw, uint64_t from, uint64_t to, bool *checked,
	       struct pw_stats *st, struct pw_run *run, pw_sink sink, void *data,
	       struct ms_error *err)
{
	int e;
	if (!*checked && (e = pagewalk_gone(pw, err)))
		return e;
	*checked = true;
	return pagewalk_pages(pw, PW_NONE, from, (to - from) / pw->ps, st, run, sink, data);
}

int pagescan_range(struct pagewalk *pw, uint64_t page, uint64_t stop, struct pw_stats *st,
		   struct pw_run *run, pw_sink sink, void *data, uint64_t *resume,
		   struct ms_error *err)
{
	*resume = page;
	/* probing: what an earlier read met decides (pagewalk_entry(), or the batch of pread
	 * this walk handed a present page to) */
	if (pw->reader == PW_READ_PROBE && (pw->hidden || pw->frames))
		pw->reader = pw->hidden ? PW_READ_SCAN : PW_READ_PREAD;
	if (pw->reader == PW_READ_PREAD || stop > UINT64_MAX / pw->ps)
		return 1;
	uint64_t at = page * pw->ps, end = stop * pw->ps;
	bool checked = false;
	int e;
	while (at < end) {
		/* no category to match: every page of every mapping, in regions of one state */
		struct pm_scan_arg a = {.size = sizeof(a), .start = at, .end = end,
					.vec = (uintptr_t)pw->regions, .vec_len = PAGESCAN_REGIONS,
					.return_mask = PAGE_IS_PRESENT | PAGE_IS_SWAPPED};
		long n = ioctl(pw->pagemap_fd, PAGEMAP_SCAN, &a);
		pw->scans++;
		if (n < 0) {
			/* a kernel before 6.7 (ENOTTY; EINVAL for an argument it does not know):
			 * pread from now on. Any other failure (EFAULT above TASK_SIZE, where
			 * [vsyscall] is) leaves this range to pread, which says what it is. */
			if ((errno == ENOTTY || errno == EINVAL || errno == EOPNOTSUPP))
				pw->reader = PW_READ_PREAD;
			*resume = at / pw->ps;
			return 1;
		}
		uint64_t before = at;
		for (long i = 0; i < n; i++) {
			const struct page_region *r = &pw->regions[i];
			uint64_t rs = r->start < at ? at : r->start, re = r->end > end ? end : r->end;
			if (re <= rs)
				continue;
			if (rs > at && (e = gap(pw, at, rs, &checked, st, run, sink, data, err)))
				return e;
			enum pw_state ps = r->categories & PAGE_IS_PRESENT   ? PW_HIDDEN
					 : r->categories & PAGE_IS_SWAPPED ? PW_SWAP
									     : PW_NONE;
			/* still probing: pread reads on from the first present page, and its
			 * entry says whether the frames are shown */
			if (ps == PW_HIDDEN && pw->reader == PW_READ_PROBE) {
				*resume = rs / pw->ps;
				return 1;
			}
			if ((e = pagewalk_pages(pw, ps, rs, (re - rs) / pw->ps, st, run, sink, data)))
				return e;
			at = re;
		}
		/* walked to walk_end (the whole range when the regions fitted) */
		uint64_t walked = a.walk_end > end ? end : a.walk_end;
		if (walked > at && (e = gap(pw, at, walked, &checked, st, run, sink, data, err)))
			return e;
		if (walked > at)
			at = walked;
		if (at == before) { /* no step forward: not what the kernel does; pread instead */
			*resume = at / pw->ps;
			return 1;
		}
	}
	return 0;
}
