/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Batched reads of pagemap, kpageflags and kpagecount. tools/mm/page-types reads kpageflags 8
 * bytes at a time per page; here frames close together share one pread. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proc/kpage.h"

long kpage_pread(int fd, uint64_t first, uint64_t *out, size_t n)
{
	size_t want = n * 8, got = 0;
	if (first > (UINT64_MAX >> 3) - n)
		return 0; /* past any file */
	while (got < want) {
		ssize_t r = pread(fd, (char *)out + got, want - got, (off_t)(first * 8 + got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (long)(got / 8);
}

static const uint64_t *sort_base;

static int by_pfn(const void *a, const void *b)
{
	uint64_t x = sort_base[*(const size_t *)a], y = sort_base[*(const size_t *)b];
	return x < y ? -1 : x > y;
}

int kpage_lookup(int flags_fd, int count_fd, const uint64_t *pfn, size_t n, uint64_t *flags,
		 uint64_t *count, uint64_t *scratch, size_t *order)
{
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	sort_base = pfn;
	qsort(order, n, sizeof(*order), by_pfn);
	for (size_t i = 0; i < n;) {
		/* one window: every frame within KPAGE_BATCH of the first */
		uint64_t lo = pfn[order[i]];
		size_t j = i;
		while (j < n && pfn[order[j]] - lo < KPAGE_BATCH)
			j++;
		size_t span = (size_t)(pfn[order[j - 1]] - lo + 1);
		long nf = 0, nc = 0;
		if (flags && flags_fd >= 0 && (nf = kpage_pread(flags_fd, lo, scratch, span)) < 0)
			return (int)nf;
		if (count && count_fd >= 0 &&
		    (nc = kpage_pread(count_fd, lo, scratch + KPAGE_BATCH, span)) < 0)
			return (int)nc;
		for (size_t k = i; k < j; k++) {
			size_t at = (size_t)(pfn[order[k]] - lo);
			if (flags)
				flags[order[k]] = (long)at < nf ? scratch[at] : UINT64_MAX;
			if (count)
				count[order[k]] = (long)at < nc ? scratch[KPAGE_BATCH + at] : UINT64_MAX;
		}
		i = j;
	}
	return 0;
}
