/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The pagemap, kpageflags and kpagecount entries a capture keeps, read in batches of
 * KPAGE_BATCH and kept as runs of non-zero entries (a zero entry reads the same from a hole). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/grow.h"
#include "lib/pagebits.h"
#include "proc/kpage.h"
#include "proc/maps.h"
#include "proc/pagecopy.h"

/* zero entries between two runs up to this many are kept in one run: fewer, larger runs */
#define RUN_GAP 32

void page_runs_free(struct page_runs *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->data[i]);
	free(r->off);
	free(r->len);
	free(r->room);
	free(r->data);
	memset(r, 0, sizeof(*r));
}

void pfn_set_free(struct pfn_set *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static int pfn_add(struct pfn_set *s, uint64_t pfn)
{
	if (grow(&s->v, &s->cap, s->n + 1, sizeof(*s->v), 1024))
		return -ENOMEM;
	s->v[s->n++] = pfn;
	return 0;
}

/* Entry @idx (@e, not zero) appended to @r: to the last run, or a new one */
static int run_add(struct page_runs *r, uint64_t idx, uint64_t e)
{
	uint64_t off = idx * 8;
	if (r->n) {
		size_t k = r->n - 1;
		uint64_t end = r->off[k] + r->len[k];
		if (off >= end && off - end <= RUN_GAP * 8) {
			size_t want = (size_t)(off + 8 - r->off[k]), have = r->len[k];
			if (want > r->room[k]) {
				size_t room = r->room[k] * 2 >= want ? r->room[k] * 2 : want;
				char *d = realloc(r->data[k], room);
				if (!d)
					return -ENOMEM;
				r->data[k] = d;
				r->room[k] = room;
			}
			memset(r->data[k] + have, 0, want - 8 - have);
			memcpy(r->data[k] + want - 8, &e, 8);
			r->len[k] = want;
			r->bytes += want - have;
			return 0;
		}
	}
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 64;
		uint64_t *o = realloc(r->off, cap * sizeof(*o));
		if (o)
			r->off = o;
		size_t *l = o ? realloc(r->len, cap * sizeof(*l)) : NULL;
		if (l)
			r->len = l;
		size_t *m = l ? realloc(r->room, cap * sizeof(*m)) : NULL;
		if (m)
			r->room = m;
		char **d = m ? realloc(r->data, cap * sizeof(*d)) : NULL;
		if (!d)
			return -ENOMEM;
		r->data = d;
		r->cap = cap;
	}
	if (!(r->data[r->n] = malloc(64)))
		return -ENOMEM;
	memcpy(r->data[r->n], &e, 8);
	r->off[r->n] = off;
	r->len[r->n] = 8;
	r->room[r->n] = 64;
	r->n++;
	r->bytes += 8;
	return 0;
}

int pagecopy_pagemap(const struct sysroot *sr, const char *pid, uint64_t page_size,
		     struct page_runs *out, struct pfn_set *frames, struct ms_error *err)
{
	memset(out, 0, sizeof(*out));
	char path[64], name[512];
	snprintf(path, sizeof(path), "proc/%s/maps", pid);
	struct buf b;
	int e = sysroot_read(sr, path, &b, err);
	if (e)
		return e;
	sysroot_name(sr, path, name, sizeof(name));
	struct maps m;
	e = maps_parse(b.data, b.len, name, false, &m, err);
	buf_free(&b);
	if (e)
		return e;
	snprintf(path, sizeof(path), "proc/%s/pagemap", pid);
	sysroot_name(sr, path, name, sizeof(name));
	int fd = sysroot_openat(sr, path, err);
	if (fd < 0) {
		maps_free(&m);
		return fd;
	}
	uint64_t *batch = malloc(KPAGE_BATCH * sizeof(*batch));
	if (!batch)
		e = ms_fail(err, -ENOMEM, name, 0, "out of memory");
	unsigned shift = (unsigned)__builtin_ctzll(page_size);
	for (size_t i = 0; !e && i < m.n; i++) {
		uint64_t first = m.v[i].start >> shift, end = m.v[i].end >> shift;
		while (!e && first < end) {
			size_t n = end - first > KPAGE_BATCH ? KPAGE_BATCH : (size_t)(end - first);
			long got = kpage_pread(fd, first, batch, n);
			if (got < 0) {
				e = ms_fail(err, (int)got, name, 0, "read error: %s", strerror((int)-got));
				break;
			}
			/* past TASK_SIZE ([vsyscall]) the kernel gives nothing: nothing to keep */
			for (long k = 0; !e && k < got; k++) {
				if (!batch[k])
					continue;
				if (pagemap_present(batch[k]) && !pagemap_pfn(batch[k]))
					frames->hidden++;
				if (run_add(out, first + (uint64_t)k, batch[k]) ||
				    (pagemap_pfn(batch[k]) && pfn_add(frames, pagemap_pfn(batch[k]))))
					e = ms_fail(err, -ENOMEM, name, 0, "out of memory");
			}
			if ((size_t)got < n)
				break;
			first += n;
		}
	}
	if (out->n)
		out->size = out->off[out->n - 1] + out->len[out->n - 1];
	free(batch);
	close(fd);
	maps_free(&m);
	if (e)
		page_runs_free(out);
	return e;
}

static int by_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static void pfn_sort(struct pfn_set *s)
{
	if (!s->n)
		return;
	qsort(s->v, s->n, sizeof(*s->v), by_u64);
	size_t k = 1;
	for (size_t i = 1; i < s->n; i++)
		if (s->v[i] != s->v[k - 1])
			s->v[k++] = s->v[i];
	s->n = k;
}

/* frames of a folio at most: 2^18, a 1 GiB folio of 4 KiB pages */
#define FOLIO_MAX (UINT64_C(1) << 18)

int pagecopy_folios(const struct sysroot *sr, struct pfn_set *frames, struct ms_error *err)
{
	pfn_sort(frames);
	int why;
	int fd = kpage_open(sr, "proc/kpageflags", &why);
	if (fd < 0)
		return -why;
	uint64_t *scratch = malloc(2 * KPAGE_BATCH * sizeof(*scratch));
	uint64_t *flags = malloc(KPAGE_BATCH * sizeof(*flags));
	int e = scratch && flags ? 0 : -ENOMEM;
	size_t n = frames->n;
	uint64_t done_to = 0; /* frames below it are in a folio already added */
	for (size_t i = 0; !e && i < n; i++) {
		uint64_t pfn = frames->v[i], f;
		if (pfn < done_to)
			continue;
		if (kpage_pread(fd, pfn, &f, 1) != 1 || !(pagebits_head(f) || pagebits_tail(f)))
			continue;
		/* back to the head, a batch at a time */
		uint64_t head = pfn;
		while (!pagebits_head(f) && head > 0 && pfn - head < FOLIO_MAX) {
			size_t want = head > 512 ? 512 : (size_t)head;
			long got = kpage_pread(fd, head - want, flags, want);
			if (got != (long)want)
				break;
			long k = (long)want;
			while (k-- > 0 && !pagebits_head(flags[k]) && pagebits_tail(flags[k]))
				;
			if (k < 0) {
				head -= want;
				continue;
			}
			head -= want - (uint64_t)k;
			f = flags[k];
			break;
		}
		uint64_t pages = 1;
		if (pagebits_head(f) &&
		    (e = kpage_folio_pages(fd, head, 1, true, &pages, scratch)) < 0)
			break;
		for (uint64_t p = head; !e && p < head + pages; p++)
			e = pfn_add(frames, p);
		done_to = head + pages;
	}
	free(scratch);
	free(flags);
	close(fd);
	pfn_sort(frames);
	if (e)
		return ms_say(err, e, "out of memory");
	return 0;
}

int pagecopy_frames(const struct sysroot *sr, const char *path, const struct pfn_set *frames,
		    struct page_runs *out, struct ms_error *err)
{
	memset(out, 0, sizeof(*out));
	char name[512];
	sysroot_name(sr, path, name, sizeof(name));
	int fd = sysroot_openat(sr, path, err);
	if (fd < 0)
		return fd;
	uint64_t *batch = malloc(KPAGE_BATCH * sizeof(*batch));
	int e = batch ? 0 : ms_fail(err, -ENOMEM, name, 0, "out of memory");
	for (size_t i = 0; !e && i < frames->n;) {
		/* a window of frames close together, one pread */
		uint64_t lo = frames->v[i];
		size_t j = i;
		while (j < frames->n && frames->v[j] - lo < KPAGE_BATCH)
			j++;
		size_t span = (size_t)(frames->v[j - 1] - lo + 1);
		long got = kpage_pread(fd, lo, batch, span);
		if (got < 0) {
			e = ms_fail(err, (int)got, name, 0, "read error: %s", strerror((int)-got));
			break;
		}
		for (size_t k = i; !e && k < j; k++) {
			uint64_t at = frames->v[k] - lo;
			if ((long)at < got && batch[at] && run_add(out, frames->v[k], batch[at]))
				e = ms_fail(err, -ENOMEM, name, 0, "out of memory");
		}
		i = j;
	}
	if (out->n)
		out->size = out->off[out->n - 1] + out->len[out->n - 1];
	free(batch);
	close(fd);
	if (e)
		page_runs_free(out);
	return e;
}
