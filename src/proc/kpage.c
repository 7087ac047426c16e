/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Batched reads of pagemap, kpageflags and kpagecount. tools/mm/page-types reads kpageflags 8
 * bytes at a time per page; here frames close together share one pread. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "lib/pagebits.h"
#include "proc/kpage.h"

int kpage_open(const struct sysroot *sr, const char *path, int *why)
{
	int fd = sysroot_openat(sr, path, NULL);
	*why = fd < 0 ? -fd : 0;
	return fd;
}

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

int kpage_pagemap_gone(int fd)
{
	uint64_t e;
	long got = kpage_pread(fd, 0, &e, 1);
	return got < 0 ? (int)got : got == 0;
}

/* frames of a folio at most: 2^18, a 1 GiB folio of 4 KiB pages (a PUD) */
#define FOLIO_MAX_PAGES (UINT64_C(1) << 18)

static unsigned ctz64(uint64_t v)
{
	return v ? (unsigned)__builtin_ctzll(v) : 64;
}

int kpage_folio_pages(int flags_fd, uint64_t first, uint64_t n, bool first_head, uint64_t *pages,
		      uint64_t *scratch)
{
	uint64_t head = first;
	if (!first_head) {
		/* back to the head, reading more each time: most folios are small */
		uint64_t want = 1, pos = first;
		bool stop = false;
		while (!stop && pos > 0 && first - pos < FOLIO_MAX_PAGES) {
			if (want > pos)
				want = pos;
			if (want > KPAGE_BATCH)
				want = KPAGE_BATCH;
			long got = kpage_pread(flags_fd, pos - want, scratch, (size_t)want);
			if (got < 0)
				return (int)got;
			if ((uint64_t)got < want)
				break;
			for (uint64_t k = want; k-- > 0 && !stop;) {
				uint64_t f = scratch[k];
				if (pagebits_head(f))
					head = pos - want + k;
				/* the head, or a frame of no compound page (the folio changed
				 * under us): no further back either way */
				stop = pagebits_head(f) || !pagebits_tail(f);
			}
			pos -= want;
			want *= 2;
		}
	}
	uint64_t end = first + n; /* frames known to be the folio's end here */
	/* a folio of 2^k frames starts at a multiple of 2^k: from a head at alignment 2^a it
	 * holds at most 2^a frames, and exactly those when they were all seen */
	uint64_t limit = ctz64(head) >= 18 ? FOLIO_MAX_PAGES : UINT64_C(1) << ctz64(head);
	uint64_t want = 1;
	while (end - head < limit) {
		if (want > head + limit - end)
			want = head + limit - end;
		if (want > KPAGE_BATCH)
			want = KPAGE_BATCH;
		long got = kpage_pread(flags_fd, end, scratch, (size_t)want);
		if (got < 0)
			return (int)got;
		long k = 0;
		while (k < got && pagebits_tail(scratch[k]) &&
		       !pagebits_head(scratch[k]))
			k++;
		end += (uint64_t)k;
		if (k < (long)want)
			break; /* the first frame that is not a tail: the folio ends before it */
		want *= 2;
	}
	*pages = end - head;
	return 0;
}
