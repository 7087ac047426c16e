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
/* how far past a range a call asks, walking on: at first, and at most */
#define PAGESCAN_AHEAD_MIN (UINT64_C(4) << 20)
#define PAGESCAN_AHEAD_MAX (UINT64_C(1) << 30)

int pagescan_init(struct pagewalk *pw)
{
	/* a dump's pagemap is a plain file: no ioctl to ask (it would fail with ENOTTY) */
	const char *force = getenv("MEMSCOPE_PAGEMAP");
	pw->reader = !pw->live || (force && !strcmp(force, "pread")) ? PW_READ_PREAD : PW_READ_PROBE;
	pw->scan.v = malloc(PAGESCAN_REGIONS * sizeof(*pw->scan.v));
	return pw->scan.v ? 0 : -ENOMEM;
}

/* Ask the kernel about [@at, @end), and on past it as far as the walk's pace says, into
 * pw->scan. Every page of every mapping is asked for (no category to match), in regions of one
 * state. Returns 0 or the ioctl's -errno. */
static int fill(struct pagewalk *pw, uint64_t at, uint64_t end)
{
	struct pw_scan *sc = &pw->scan;
	/* on from where the last call ended: further ahead each time; else the range alone */
	if (sc->hi && at >= sc->hi)
		sc->ahead = !sc->ahead ? PAGESCAN_AHEAD_MIN
			  : sc->ahead < PAGESCAN_AHEAD_MAX ? 2 * sc->ahead : PAGESCAN_AHEAD_MAX;
	else
		sc->ahead = 0;
	uint64_t hi = end <= UINT64_MAX - sc->ahead ? end + sc->ahead : end;
	for (;;) {
		struct pm_scan_arg a = {.size = sizeof(a), .start = at, .end = hi,
					.vec = (uintptr_t)sc->v, .vec_len = PAGESCAN_REGIONS,
					.return_mask = PAGE_IS_PRESENT | PAGE_IS_SWAPPED};
		long n = ioctl(pw->pagemap_fd, PAGEMAP_SCAN, &a);
		sc->calls++;
		if (n >= 0) {
			/* walk_end: where the kernel stopped (@hi, unless the regions ran out) */
			*sc = (struct pw_scan){sc->v, (size_t)n, 0, at,
					       a.walk_end < at ? at : a.walk_end > hi ? hi : a.walk_end,
					       sc->ahead, sc->calls};
			return 0;
		}
		/* past TASK_SIZE (EFAULT) only for the lookahead: the range alone */
		if (errno != EFAULT || hi == end)
			return -errno;
		hi = end;
		sc->ahead = 0;
	}
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
	if (from >= to)
		return 0;
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
	struct pw_scan *sc = &pw->scan;
	uint64_t at = page * pw->ps, end = stop * pw->ps;
	bool checked = false;
	int e;
	while (at < end) {
		if (at < sc->at || at >= sc->hi) {
			/* a kernel before 6.7 (ENOTTY; EINVAL for an argument it does not know):
			 * pread from now on. Any other failure (EFAULT above TASK_SIZE, where
			 * [vsyscall] is) leaves this range to pread, which says what it is; as does
			 * a call that did not step forward, which the kernel does not do. */
			e = fill(pw, at, end);
			if (e == -ENOTTY || e == -EINVAL || e == -EOPNOTSUPP)
				pw->reader = PW_READ_PREAD;
			if (e || sc->hi <= at) {
				*resume = at / pw->ps;
				return 1;
			}
		}
		uint64_t limit = end < sc->hi ? end : sc->hi;
		for (; sc->next < sc->n && sc->v[sc->next].start < limit; sc->next++) {
			const struct page_region *r = &sc->v[sc->next];
			if (r->end <= at)
				continue;
			uint64_t rs = r->start < at ? at : r->start, re = r->end < limit ? r->end : limit;
			if ((e = gap(pw, at, rs, &checked, st, run, sink, data, err)))
				return e;
			enum pw_state ps = r->categories & PAGE_IS_PRESENT   ? PW_HIDDEN
					 : r->categories & PAGE_IS_SWAPPED ? PW_SWAP
									     : PW_NONE;
			/* still probing: pread reads on from the first present page, and its
			 * entry says whether the frames are shown */
			if (ps == PW_HIDDEN && pw->reader == PW_READ_PROBE) {
				sc->at = rs;
				*resume = rs / pw->ps;
				return 1;
			}
			if ((e = pagewalk_pages(pw, ps, rs, (re - rs) / pw->ps, st, run, sink, data)))
				return e;
			at = re;
			if (r->end > limit) /* the rest of it is the next range's */
				break;
		}
		if ((e = gap(pw, at, limit, &checked, st, run, sink, data, err)))
			return e;
		sc->at = at = limit;
	}
	return 0;
}
