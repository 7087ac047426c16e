/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The least a tool must do to walk a process's pages: read /proc/PID/maps, then pagemap in
 * 64 KiB preads over the mapped ranges (ranges that touch joined), and with -k the kpageflags and
 * kpagecount of the frames in windows of 8192 frames; with -s the PAGEMAP_SCAN ioctl (Linux
 * 6.7+) over the same ranges instead of pread, 2048 regions of present or swapped pages a call
 * (no frames: what an unprivileged walk can have). The yardstick for memscope translate --all.
 *   minreader [-k|-s] PID */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/fs.h>

#define BATCH 8192

#ifndef PAGEMAP_SCAN /* include/uapi/linux/fs.h of 6.7, for older headers */
struct page_region {
	uint64_t start, end, categories;
};
struct pm_scan_arg {
	uint64_t size, flags, start, end, walk_end, vec, vec_len, max_pages, category_inverted,
		category_mask, category_anyof_mask, return_mask;
};
#define PAGEMAP_SCAN _IOWR('f', 16, struct pm_scan_arg)
#define PAGE_IS_PRESENT (1 << 3)
#define PAGE_IS_SWAPPED (1 << 4)
#endif

/* the present pages of [lo, hi) by PAGEMAP_SCAN; -1 when the kernel refuses */
static int64_t scan(int pm, uint64_t lo, uint64_t hi, long ps)
{
	static struct page_region r[2048];
	int64_t present = 0;
	while (lo < hi) {
		struct pm_scan_arg a = {.size = sizeof(a), .start = lo, .end = hi, .vec = (uintptr_t)r,
					.vec_len = 2048,
					.return_mask = PAGE_IS_PRESENT | PAGE_IS_SWAPPED};
		long n = ioctl(pm, PAGEMAP_SCAN, &a);
		if (n < 0)
			return -1;
		for (long i = 0; i < n; i++)
			if (r[i].categories & PAGE_IS_PRESENT)
				present += (int64_t)((r[i].end - r[i].start) / (uint64_t)ps);
		if (a.walk_end <= lo)
			break;
		lo = a.walk_end;
	}
	return present;
}

static int cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	int kpage = argc > 2 && !strcmp(argv[1], "-k");
	int scanning = argc > 2 && !strcmp(argv[1], "-s");
	const char *pid = argv[argc - 1];
	char path[64];
	snprintf(path, sizeof(path), "/proc/%s/maps", pid);
	FILE *maps = fopen(path, "r");
	snprintf(path, sizeof(path), "/proc/%s/pagemap", pid);
	int pm = open(path, O_RDONLY);
	int kf = kpage ? open("/proc/kpageflags", O_RDONLY) : -1;
	int kc = kpage ? open("/proc/kpagecount", O_RDONLY) : -1;
	if (!maps || pm < 0 || (kpage && (kf < 0 || kc < 0)))
		return perror("open"), 1;
	static uint64_t e[BATCH], pfn[BATCH], win[BATCH], cnt[BATCH];
	uint64_t present = 0, flagsum = 0, lo, hi, plo = 0, phi = 0;
	char line[4096];
	long ps = sysconf(_SC_PAGESIZE);
	int more = 1;
	while (more) {
		more = fgets(line, sizeof(line), maps) != NULL;
		if (more && sscanf(line, "%" SCNx64 "-%" SCNx64, &lo, &hi) != 2)
			continue;
		if (more && lo == phi) { /* join ranges that touch */
			phi = hi;
			continue;
		}
		if (scanning && phi && phi < (UINT64_C(1) << 47)) {
			int64_t n = scan(pm, plo, phi, ps);
			if (n < 0)
				return perror("PAGEMAP_SCAN"), 1;
			present += (uint64_t)n;
		}
		for (uint64_t p = plo / ps; !scanning && p < phi / ps && phi < (UINT64_C(1) << 47);) {
			size_t n = (phi / ps - p) < BATCH ? (size_t)(phi / ps - p) : BATCH;
			ssize_t r = pread(pm, e, n * 8, (off_t)(p * 8));
			if (r <= 0)
				break;
			size_t np = 0;
			for (size_t i = 0; i < (size_t)r / 8; i++)
				if (e[i] >> 63) {
					present++;
					pfn[np++] = e[i] & ((UINT64_C(1) << 55) - 1);
				}
			if (kpage && np) {
				qsort(pfn, np, 8, cmp);
				for (size_t i = 0; i < np;) {
					size_t j = i;
					while (j < np && pfn[j] - pfn[i] < BATCH)
						j++;
					size_t span = (size_t)(pfn[j - 1] - pfn[i] + 1);
					if (pread(kf, win, span * 8, (off_t)(pfn[i] * 8)) > 0 &&
					    pread(kc, cnt, span * 8, (off_t)(pfn[i] * 8)) > 0)
						flagsum += win[0] + cnt[0];
					i = j;
				}
			}
			p += n;
		}
		plo = lo;
		phi = hi;
	}
	printf("%" PRIu64 " present %" PRIu64 "\n", present, flagsum);
	return 0;
}
