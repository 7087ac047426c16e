/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The least a tool must do to walk a process's pages: read /proc/PID/maps, then pagemap in
 * 64 KiB preads over the mapped ranges (ranges that touch joined), and with -k the kpageflags and
 * kpagecount of the frames in windows of 8192 frames. The yardstick for memscope translate --all.
 *   minreader [-k] PID */
#define _GNU_SOURCE
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BATCH 8192

static int cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	int kpage = argc > 2 && !strcmp(argv[1], "-k");
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
		for (uint64_t p = plo / ps; p < phi / ps && phi < (UINT64_C(1) << 47);) {
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
