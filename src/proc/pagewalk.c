/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The pagemap walk, as tools/mm/page-types walks a VMA and hands each page to add_page(): here
 * pagemap is read 64 KiB of entries at a time, the frames of a batch looked up in kpageflags
 * and kpagecount in windows (proc/kpage.c), and pages that need no flags of their own go by in
 * blocks; what reaches the sink is runs, not pages. Where the frames are hidden, a live
 * process's pagemap is read by PAGEMAP_SCAN instead (proc/pagescan.c), to the same runs. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "lib/pagebits.h"
#include "proc/kpage.h"
#include "proc/pagescan.h"
#include "proc/pagewalk.h"

int pagewalk_init(struct pagewalk *pw, int pagemap_fd, const char *name, int flags_fd,
		  int count_fd, uint64_t ps, bool live)
{
	*pw = (struct pagewalk){.pagemap_fd = pagemap_fd, .flags_fd = flags_fd,
				.count_fd = count_fd, .ps = ps, .live = live, .name = name};
	pw->pm = malloc(KPAGE_BATCH * sizeof(uint64_t));
	pw->pfn = malloc(KPAGE_BATCH * sizeof(uint64_t));
	pw->flags = malloc(KPAGE_BATCH * sizeof(uint64_t));
	pw->count = malloc(KPAGE_BATCH * sizeof(uint64_t));
	pw->scratch = malloc(2 * KPAGE_BATCH * sizeof(uint64_t));
	pw->order = malloc(KPAGE_BATCH * sizeof(size_t));
	if (!pw->pm || !pw->pfn || !pw->flags || !pw->count || !pw->scratch || !pw->order ||
	    pagescan_init(pw)) {
		pagewalk_free(pw);
		return -ENOMEM;
	}
	return 0;
}

void pagewalk_free(struct pagewalk *pw)
{
	free(pw->pm);
	free(pw->pfn);
	free(pw->flags);
	free(pw->count);
	free(pw->scratch);
	free(pw->order);
	free(pw->scan.v);
	pw->pm = pw->pfn = pw->flags = pw->count = pw->scratch = NULL;
	pw->order = NULL;
	pw->scan.v = NULL;
}

static int read_failed(const struct pagewalk *pw, struct ms_error *err, int e)
{
	return ms_fail(err, e, pw->name, 0, "%s", strerror(-e));
}

/* A pagemap read of the live process came back short: past TASK_SIZE ([vsyscall]), or because
 * the process exited (or ran execve()) and took its address space with it. -ESRCH for the
 * second, so the walk stops there; 0 for the first. */
int pagewalk_gone(struct pagewalk *pw, struct ms_error *err)
{
	if (!pw->live)
		return 0; /* a dump is a file: past its end, the pages are holes */
	int gone = kpage_pagemap_gone(pw->pagemap_fd);
	if (gone > 0) {
		pw->vanished = true;
		return ms_fail(err, -ESRCH, pw->name, 0, "the process exited while it was read");
	}
	return gone < 0 ? read_failed(pw, err, gone) : 0;
}

int pagewalk_entry(struct pagewalk *pw, uint64_t vaddr, uint64_t *raw, struct ms_error *err)
{
	*raw = 0;
	long got = kpage_pread(pw->pagemap_fd, vaddr / pw->ps, raw, 1);
	if (got < 0)
		return read_failed(pw, err, (int)got);
	return got == 0 ? pagewalk_gone(pw, err) : 0;
}

void pagewalk_frame(struct pagewalk *pw, uint64_t pfn, uint64_t *flags, uint64_t *count)
{
	*flags = *count = UINT64_MAX;
	kpage_lookup(pw->flags_fd, pw->count_fd, &pfn, 1, flags, count, pw->scratch, pw->order);
}

static int emit(struct pw_stats *st, const struct pw_run *run, pw_sink sink, void *data)
{
	if (!run->pages)
		return 0;
	st->runs += run->st == PW_PRESENT;
	return sink ? sink(data, run) : 0;
}

/* The open THP folio ends here: count it under its real order, found from the frames around it
 * when what was walked cannot tell (kpage_folio_pages()). @next_known: the frame right after
 * it was walked next and is not its tail. */
static void folio_close(struct pagewalk *pw, struct pw_stats *st, struct pw_run *run,
			bool next_known)
{
	struct pw_folio *fo = &pw->folio;
	if (!fo->open)
		return;
	fo->open = false;
	uint64_t pages = fo->pages;
	/* a failed read leaves the folio at the pages seen: its bytes are right either way */
	if (!(next_known && fo->from_head) &&
	    kpage_folio_pages(pw->flags_fd, fo->first, fo->pages, fo->from_head, &pages,
			      pw->scratch))
		pages = fo->pages;
	unsigned order = pagebits_order(pages);
	if (order >= PW_FOLIO_ORDERS)
		order = PW_FOLIO_ORDERS - 1;
	st->folios[order]++;
	st->folio_pages[order] += fo->pages;
	st->folios_anon[order] += fo->anon;
	if (fo->pages < pages)
		st->folios_partial[order]++;
	else if (fo->from_head && fo->vaddr % (pw->ps << order) == 0)
		st->folios_aligned[order]++;
	if (order < run->lo_order)
		run->lo_order = order;
	if (run->hi_order == UINT_MAX || order > run->hi_order)
		run->hi_order = order;
}

static void run_start(struct pw_run *run, enum pw_state ps, uint64_t vaddr, uint64_t pfn)
{
	*run = (struct pw_run){.st = ps, .vstart = vaddr, .pfn = pfn, .lo_order = UINT_MAX,
			       .hi_order = UINT_MAX};
}

/* @m pages in state @ps, into @st */
static void count(struct pagewalk *pw, struct pw_stats *st, enum pw_state ps, uint64_t m)
{
	st->pages += m;
	switch (ps) {
	case PW_HIDDEN:
		pw->hidden = true;
		st->hidden += m;
		st->present += m;
		break;
	case PW_PRESENT:
		pw->frames = true;
		st->present += m;
		break;
	case PW_SWAP:
		st->swapped += m;
		break;
	default:
		st->not_present += m;
	}
}

int pagewalk_pages(struct pagewalk *pw, enum pw_state ps, uint64_t vaddr, uint64_t pages,
		   struct pw_stats *st, struct pw_run *run, pw_sink sink, void *data)
{
	count(pw, st, ps, pages);
	if (!(run->pages && run->st == ps && run->vstart + run->pages * pw->ps == vaddr)) {
		int e = emit(st, run, sink, data);
		if (e)
			return e;
		run_start(run, ps, vaddr, 0);
	}
	run->pages += pages;
	return 0;
}

int pagewalk_gap(struct pagewalk *pw, uint64_t start, uint64_t pages, struct pw_stats *st,
		 pw_sink sink, void *data)
{
	(void)pw;
	st->pages += pages;
	st->unmapped += pages;
	struct pw_run run;
	run_start(&run, PW_UNMAPPED, start, 0);
	run.pages = pages;
	return emit(st, &run, sink, data);
}

/* Pages from *@page to @stop by pread, continuing @run; *@page is left where it stopped.
 * Returns 0, or 1 after a batch that ended the probe for PAGEMAP_SCAN with frames hidden (the
 * rest is for SCAN), or -errno. */
static int pread_range(struct pagewalk *pw, uint64_t *at, uint64_t stop, struct pw_stats *st,
		       struct pw_run *run, pw_sink sink, void *data, struct ms_error *err)
{
	int e = 0;
	for (uint64_t page = *at; page < stop; *at = page) {
		size_t n = (size_t)(stop - page);
		if (n > KPAGE_BATCH)
			n = KPAGE_BATCH;
		long got = kpage_pread(pw->pagemap_fd, page, pw->pm, n);
		if (got < 0)
			return read_failed(pw, err, (int)got);
		if (got < (long)n && (e = pagewalk_gone(pw, err)))
			return e;
		/* past the end of the page tables ([vsyscall], above TASK_SIZE): holes */
		for (long i = got; i < (long)n; i++)
			pw->pm[i] = 0;
		/* frames of the batch, then their flags and counts in windowed reads */
		size_t np = 0;
		for (size_t i = 0; i < n; i++) {
			uint64_t pfn = pagemap_pfn(pw->pm[i]);
			if (pfn)
				pw->pfn[np++] = pfn;
		}
		bool want_flags = !pw->hidden && np && (pw->flags_fd >= 0 || pw->count_fd >= 0);
		if (want_flags && kpage_lookup(pw->flags_fd, pw->count_fd, pw->pfn, np, pw->flags,
					       pw->count, pw->scratch, pw->order))
			want_flags = false;
		size_t k = 0;
		for (size_t i = 0; i < n;) {
			uint64_t raw = pw->pm[i], pfn = pagemap_pfn(raw);
			enum pw_state ps = pagemap_present(raw) ? (pfn ? PW_PRESENT : PW_HIDDEN)
					 : pagemap_swapped(raw) ? PW_SWAP
								: PW_NONE;
			/* Pages that need no flags of their own go by in blocks: the entries that
			 * follow equal this one, or step by one frame when frames are shown. A
			 * present page whose flags were read goes alone: its THP folio and map
			 * count are its own. */
			size_t m = 1;
			uint64_t fl = 0, cnt = 0;
			bool flagged = ps == PW_PRESENT && want_flags;
			if (flagged) {
				fl = pw->flags[k] == UINT64_MAX ? 0 : pw->flags[k];
				cnt = pw->count[k] == UINT64_MAX ? 0 : pw->count[k];
				k++;
			} else {
				/* frames step by one; never across the top of the 55-bit field */
				uint64_t step = ps == PW_PRESENT && pfn < PAGEMAP_PFN_MASK - n;
				while (i + m < n && pw->pm[i + m] == raw + step * m)
					m++;
			}
			count(pw, st, ps, m);
			st->shared += cnt > 1;
			uint64_t vaddr = (page + i) * pw->ps;
			bool joins = run->pages && run->st == ps &&
				     run->vstart + run->pages * pw->ps == vaddr &&
				     (ps != PW_PRESENT || pfn == run->pfn + run->pages);
			/* a THP folio: its head, then its tails at the frames that follow (a folio's
			 * frames are consecutive; KPF_THP marks every one, fs/proc/page.c) */
			bool thp = flagged && pw->flags_fd >= 0 && pagebits_thp(fl);
			bool tail = pagebits_tail(fl);
			struct pw_folio *fo = &pw->folio;
			if (fo->open && !(thp && tail && pfn == fo->first + fo->pages)) {
				/* walked right after it, and not its tail: it ends here */
				bool known = flagged && pfn == fo->first + fo->pages;
				folio_close(pw, st, run, known);
			}
			if (!joins) {
				if ((e = emit(st, run, sink, data)))
					return e;
				run_start(run, ps, vaddr, pfn);
			}
			if (thp) {
				if (!fo->open)
					*fo = (struct pw_folio){true, !tail, pagebits_anon(fl), pfn, 0,
								vaddr};
				fo->pages++;
				st->thp_pages++;
				run->thp_pages++;
			}
			run->pages += m;
			i += m;
		}
		page += n;
		if (pw->reader == PW_READ_PROBE && pw->hidden) {
			*at = page;
			return 1;
		}
	}
	return 0;
}

int pagewalk_range(struct pagewalk *pw, uint64_t start, uint64_t end, struct pw_stats *st,
		   pw_sink sink, void *data, struct ms_error *err)
{
	struct pw_run run;
	run_start(&run, PW_NONE, 0, 0);
	pw->folio.open = false;
	/* the page after the last: end rounded up, without end + ps - 1, which wraps for an end
	 * in the last page of the address space */
	uint64_t page = start / pw->ps, stop = end ? (end - 1) / pw->ps + 1 : 0;
	/* SCAN while it may be used, pread from where it may not (proc/pagescan.c) */
	int e = 1;
	while (e > 0 && page < stop)
		if ((e = pagescan_range(pw, page, stop, st, &run, sink, data, &page, err)) > 0)
			e = pread_range(pw, &page, stop, st, &run, sink, data, err);
	if (e < 0)
		return e;
	folio_close(pw, st, &run, false);
	return emit(st, &run, sink, data);
}

void pagewalk_stats_add(struct pw_stats *to, const struct pw_stats *st)
{
	to->pages += st->pages;
	to->present += st->present;
	to->swapped += st->swapped;
	to->not_present += st->not_present;
	to->unmapped += st->unmapped;
	to->hidden += st->hidden;
	to->runs += st->runs;
	to->shared += st->shared;
	to->thp_pages += st->thp_pages;
	/* folios are counted only among THP pages: most mappings have none to add */
	for (unsigned k = 0; st->thp_pages && k < PW_FOLIO_ORDERS; k++) {
		to->folios[k] += st->folios[k];
		to->folio_pages[k] += st->folio_pages[k];
		to->folios_anon[k] += st->folios_anon[k];
		to->folios_partial[k] += st->folios_partial[k];
		to->folios_aligned[k] += st->folios_aligned[k];
	}
}
