/* SPDX-License-Identifier: GPL-2.0-or-later */
/* memscope translate: from a virtual address of a process to the physical frame behind it, the
 * walk the notes describe (pages, frames, page tables, faults), for one address, a range, or
 * every mapping. */
#include <argp.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/process.h"
#include "decode/kpageflags.h"
#include "decode/pagemap.h"
#include "out/diagram.h"
#include "out/table.h"
#include "lib/units.h"
#include "proc/pagewalk.h"
#include "sys/caps.h"
#include "sys/msg.h"

struct translate_args {
	const char *pid;
	char **addrs;
	int naddrs;
	const char *len;
	bool all;
};

/* PID, then the addresses */
static error_t translate_arg(void *args, char *arg, struct argp_state *state)
{
	struct translate_args *a = args;
	if (a->pid) {
		args_rest(state, &a->addrs, &a->naddrs);
		return 0;
	}
	if (pid_check(arg))
		argp_error(state, "invalid PID '%s' (a number, or self)", arg);
	a->pid = arg;
	return 0;
}

static void translate_check(void *args, struct argp_state *state)
{
	const struct translate_args *a = args;
	if (!a->pid)
		argp_error(state, "no PID given");
	if (!a->all && !a->naddrs)
		argp_error(state, "no address given (or --all)");
	if (a->all && a->naddrs)
		argp_error(state, "--all takes no addresses");
	if (a->len && a->naddrs != 1)
		argp_error(state, "--len goes with one address");
}

static const struct opts translate_opts = {
	.opt = OPTIONS(
		OPT_STR("len", 0, "SIZE", struct translate_args, len,
			"Translate SIZE bytes from the address (4096, 0x1000, 64K, 1.5M) and draw "
			"virtual pages against physical frames; VADDR-VADDR does the same"),
		OPT_BOOL("all", 0, struct translate_args, all,
			 "Every mapping of the process, with totals")),
	.doc = "Translate virtual addresses of process PID (or self) to physical frames: the "
	       "mapping, the pagemap entry decoded, the frame, its iomem region, zone and node, "
	       "its page flags and map count, and the page-table indices.\v"
	       "VADDR is hex with 0x, or decimal; VADDR-VADDR is a range. Without CAP_SYS_ADMIN "
	       "the kernel hides frame numbers: the present and swapped bits are still shown.",
	.args_doc = "PID VADDR...\nPID --all",
	.pid_self = true,
	.arg = translate_arg,
	.check = translate_check,
};

struct walk {
	struct ctx *ctx;
	const struct translate_args *a;
	struct process proc;
	struct maps m;
	int pagemap_fd;
	struct physctx pc;
	struct paging paging;
	uint64_t ps;
	/* the reading (proc/pagewalk.c); its hidden and frames say what the walks met: frame
	 * numbers read as 0 (no CAP_SYS_ADMIN), a real frame (missing page flags then worth a
	 * word) */
	struct pagewalk pw;
	struct ms_error *err; /* the command's: why the walk stopped, worded where it stopped */
	const char *path;     /* pagemap's name */
	bool warned;
};

static const char *plural(uint64_t n)
{
	return n == 1 ? "" : "s";
}

/* The walk stopped on @e, which nothing worded more closely: returns @e. */
static int walk_failed(struct walk *w, int e)
{
	return ms_say(w->err, e, "cannot read '%s': %s", w->path, strerror(-e));
}

static void warn_hidden(struct walk *w)
{
	if (w->warned)
		return;
	w->warned = true;
	msg_warnf("frame numbers are hidden%s; shown still: the mapping, the "
		  "present/swapped/exclusive bits, swap entries and page-table indices",
		  w->ctx->root.dir ? " in the dump (it was made without CAP_SYS_ADMIN)"
				   : ": reading them needs CAP_SYS_ADMIN");
}

/* One address: the whole card. */
static int one(struct walk *w, uint64_t vaddr)
{
	struct record r;
	char title[128];
	snprintf(title, sizeof(title), "0x%016" PRIx64, vaddr);
	const struct vma *v = maps_find(&w->m, vaddr);
	uint64_t raw = 0;
	int got = v ? pagewalk_entry(&w->pw, vaddr, &raw, w->err) : 0;
	if (got == -ESRCH)
		return got;
	if (got < 0) {
		char why[sizeof(w->err->reason)];
		snprintf(why, sizeof(why), "%s", w->err->reason);
		return ms_say(w->err, -EIO, "cannot read pagemap: %s", why);
	}
	record_begin(&r, &w->ctx->out, NULL, title);
	rec_addr(&r, "vaddr", "address", vaddr);
	rec_group(&r, "mapping", "mapping");
	if (v) {
		rec_addr(&r, "start", "", v->start);
		rec_addr(&r, "end", "-", v->end);
		rec_str(&r, "perms", "", v->perms);
		rec_str(&r, "kind", "", vma_kind_name(v->kind));
		rec_str(&r, "name", "", v->name[0] ? v->name : NULL);
	} else {
		rec_null(&r, "start", "", "not mapped");
	}
	rec_group_end(&r);
	uint64_t off = rec_page_table(&r, &w->paging, vaddr, "page table", false);
	struct pagemap_entry e;
	pagemap_entry_decode(raw, &e);
	rec_bool(&r, "present", "present", e.present);
	rec_bool(&r, "swapped", "swapped", e.swapped);
	rec_group(&r, "pagemap", "pagemap");
	rec_word(&r, "raw", "raw", raw); /* all 64 bits are the entry's */
	rec_bool(&r, "file_or_shared", "file/shared", e.file_shared);
	rec_bool(&r, "exclusive", "exclusive", e.exclusive);
	rec_bool(&r, "soft_dirty", "soft-dirty", e.soft_dirty);
	rec_bool(&r, "uffd_wp", "uffd-wp", e.uffd_wp);
	rec_bool(&r, "guard", "guard", e.guard);
	rec_group_end(&r);
	if (e.swapped) {
		rec_group(&r, "swap", "swap entry");
		rec_u64(&r, "type", "type", e.swap_type);
		rec_hex(&r, "offset", "offset", e.swap_offset);
		rec_group_end(&r);
	}
	if (e.present && e.pfn == 0) {
		/* a PFN of 0 is the kernel hiding it, never a real frame (said once at the end,
		 * and not when the command fails: its error is then the one line) */
		w->pw.hidden = true;
	}
	if (e.present && !w->pw.hidden) {
		w->pw.frames = true;
		uint64_t flags, count;
		pagewalk_frame(&w->pw, e.pfn, &flags, &count);
		physctx_record(&w->pc, &r, e.pfn, off, flags, count);
	} else {
		const char *hidden = w->ctx->root.dir ? "hidden in the dump"
						      : "hidden (needs CAP_SYS_ADMIN)";
		const char *why = !v ? "not mapped" : e.present ? hidden
					  : e.swapped ? "in swap" : "not present (never touched, or "
								   "reclaimed)";
		rec_null(&r, "pfn", "frame", why);
		rec_null(&r, "paddr", "physical", NULL);
		rec_null(&r, "flags", "flags", NULL);
		rec_null(&r, "mapcount", "map count", NULL);
	}
	record_end(&r);
	out_printf(&w->ctx->out, "\n");
	return 0;
}

enum { R_VSTART, R_VEND, R_PAGES, R_STATE, R_PSTART, R_PEND, R_THP, R_NCOLS };
static const struct col_def run_cols[] = {
	[R_VSTART] = {"VSTART", "vstart", COL_ADDR, COLF_DEFAULT | COLF_RIGHT, "first virtual", NULL},
	[R_VEND] = {"VEND", "vend", COL_ADDR, COLF_DEFAULT | COLF_RIGHT, "last virtual", NULL},
	[R_PAGES] = {"PAGES", "pages", COL_COUNT, COLF_DEFAULT | COLF_RIGHT, "pages", NULL},
	[R_STATE] = {"STATE", "state", COL_STR, COLF_DEFAULT | COLF_WRAP,
		     "present, swapped, not present, unmapped", NULL},
	[R_PSTART] = {"PSTART", "pstart", COL_ADDR, COLF_DEFAULT | COLF_RIGHT, "first physical", NULL},
	[R_PEND] = {"PEND", "pend", COL_ADDR, COLF_DEFAULT | COLF_RIGHT, "last physical", NULL},
	[R_THP] = {"THP", "thp_bytes", COL_SIZE, COLF_DEFAULT | COLF_RIGHT,
		   "in transparent huge pages", NULL},
};

/* by enum pw_state */
static const char *const state_name[] = {"not present", "present", "present (frame hidden)",
					 "swapped", "unmapped"};

/* Where the runs of a range go: its table, and the boxes of its picture (the first max - 1
 * runs and always the latest, in the last box). */
struct runs_out {
	struct walk *w;
	struct table *tb;
	struct diagram_pair *boxes;
	size_t nbox, maxbox, total;
};

/* "2M THP (PMD)", "64K mTHP": the name of a folio order with this page size */
static void folio_name(const struct walk *w, unsigned order, char *buf, size_t size)
{
	char sz[32];
	units_human(order < 48 ? w->ps << order : 0, sz, sizeof(sz));
	unsigned pmd = kpageflags_pmd_order(w->ps);
	snprintf(buf, size, "%s %s", sz, order == pmd ? "THP (PMD)" : order > pmd ? "THP" : "mTHP");
}

/* "64K mTHP", or for several orders "16K-2M THP" / "16K-256K mTHP" */
static void orders_name(const struct walk *w, unsigned lo, unsigned hi, char *buf, size_t size)
{
	if (lo == hi) {
		folio_name(w, lo, buf, size);
		return;
	}
	char a[32], b[32];
	units_human(w->ps << lo, a, sizeof(a));
	units_human(w->ps << hi, b, sizeof(b));
	snprintf(buf, size, "%s-%s %s", a, b, hi >= kpageflags_pmd_order(w->ps) ? "THP" : "mTHP");
}

/* The sink of a range's walk: a row and a box for each run. */
static int emit_run(void *data, const struct pw_run *run)
{
	struct runs_out *ro = data;
	struct walk *w = ro->w;
	ro->total++;
	if (ro->tb) {
		struct trow *r = table_add(ro->tb, NULL);
		trow_addr(r, R_VSTART, run->vstart);
		trow_addr(r, R_VEND, run->vstart + run->pages * w->ps - 1);
		trow_count(r, R_PAGES, run->pages);
		trow_str(r, R_STATE, state_name[run->st]);
		if (run->st == PW_PRESENT) {
			trow_addr(r, R_PSTART, run->pfn * w->ps);
			trow_addr(r, R_PEND, (run->pfn + run->pages) * w->ps - 1);
			if (w->pc.flags_fd >= 0)
				trow_size(r, R_THP, run->thp_pages * w->ps);
			else
				trow_null(r, R_THP);
		} else {
			trow_null(r, R_PSTART);
			trow_null(r, R_PEND);
			trow_null(r, R_THP);
		}
	}
	if (!ro->boxes)
		return 0;
	/* the first runs stay; the last box always holds the latest, so the picture ends where
	 * the range does */
	struct diagram_pair *p = &ro->boxes[ro->nbox < ro->maxbox ? ro->nbox++ : ro->maxbox - 1];
	*p = (struct diagram_pair){.vstart = run->vstart,
				   .vend = run->vstart + run->pages * w->ps - 1,
				   .frames = run->st == PW_PRESENT,
				   .unmapped = run->st == PW_UNMAPPED,
				   .joined = run->st == PW_PRESENT && run->pages > 1,
				   .pstart = run->pfn * w->ps,
				   .pend = (run->pfn + run->pages) * w->ps - 1};
	snprintf(p->lbuf, sizeof(p->lbuf), "%" PRIu64 " page%s%s%s", run->pages, plural(run->pages),
		 run->st == PW_PRESENT ? "" : ", ", run->st == PW_PRESENT ? "" : state_name[run->st]);
	p->left = p->lbuf;
	if (run->st == PW_PRESENT) {
		char sz[32], kind[80] = "";
		out_size_text(&w->ctx->out, run->pages * w->ps, sz, sizeof(sz));
		if (run->hi_order != UINT_MAX)
			orders_name(w, run->lo_order, run->hi_order, kind, sizeof(kind));
		snprintf(p->rbuf, sizeof(p->rbuf), "%s%s%s%s", sz, run->pages > 1 ? " contiguous" : "",
			 kind[0] ? ", in " : "", kind);
		p->right = p->rbuf;
	}
	return 0;
}

/* THP counts need frames and page flags */
static bool thp_known(const struct walk *w)
{
	return !w->pw.hidden && w->pc.flags_fd >= 0;
}

/* The summary's JSON (the text says the same as prose, stats_text()). */
static void stats_json(struct walk *w, const struct pw_stats *st)
{
	struct out *o = &w->ctx->out;
	out_u64(o, SHOW_JSON, "pages", NULL, st->pages);
	out_u64(o, SHOW_JSON, "present", NULL, st->present);
	out_u64(o, SHOW_JSON, "swapped", NULL, st->swapped);
	out_u64(o, SHOW_JSON, "not_present", NULL, st->not_present);
	out_u64(o, SHOW_JSON, "unmapped", NULL, st->unmapped);
	/* runs are told by frame numbers: unknown, not 0, when they are hidden (the text leaves
	 * them out) */
	if (w->pw.hidden)
		out_null(o, SHOW_JSON, "contiguous_runs", NULL);
	else
		out_u64(o, SHOW_JSON, "contiguous_runs", NULL, st->runs);
	if (!thp_known(w)) {
		out_null(o, SHOW_JSON, "thp_bytes", NULL);
		out_null(o, SHOW_JSON, "thp", NULL);
	} else {
		out_u64(o, SHOW_JSON, "thp_bytes", NULL, st->thp_pages * w->ps);
		/* per folio order, largest first: how many folios, and their bytes mapped here */
		out_array(o, "thp");
		unsigned pmd = kpageflags_pmd_order(w->ps);
		for (unsigned k = PW_FOLIO_ORDERS; k-- > 0;) {
			if (!st->folios[k])
				continue;
			out_object(o, NULL);
			out_u64(o, SHOW_JSON, "order", NULL, k);
			out_u64(o, SHOW_JSON, "folio_size", NULL, w->ps << k);
			out_str(o, SHOW_JSON, "kind", NULL, k >= pmd ? "thp" : "mthp");
			out_bool(o, SHOW_JSON, "pmd", NULL, k == pmd);
			out_u64(o, SHOW_JSON, "folios", NULL, st->folios[k]);
			out_u64(o, SHOW_JSON, "bytes", NULL, st->folio_pages[k] * w->ps);
			out_end(o);
		}
		out_end(o);
	}
	if (w->pw.hidden || w->pc.count_fd < 0)
		out_null(o, SHOW_JSON, "shared_frames", NULL);
	else
		out_u64(o, SHOW_JSON, "shared_frames", NULL, st->shared);
}

/* The summary's text, built a phrase at a time. */
struct summary {
	char s[4096]; /* 19 folio sizes in exact bytes fit */
	size_t n;
};

static void say(struct summary *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(struct summary *t, const char *fmt, ...)
{
	if (t->n >= sizeof(t->s))
		return;
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(t->s + t->n, sizeof(t->s) - t->n, fmt, ap);
	va_end(ap);
	t->n = k < 0 ? sizeof(t->s) : t->n + (size_t)k;
}

/* The summary under a walk, after @prefix ("44 mappings, "): one paragraph, wrapped between
 * words in a narrow terminal, whole in a pipe. */
static void stats_text(struct walk *w, const struct pw_stats *st, const char *prefix)
{
	if (!out_shows(&w->ctx->out, SHOW_TEXT))
		return;
	struct summary t = {.n = 0};
	char a[32], b[32], c[32];
	out_size_text(&w->ctx->out, st->present * w->ps, a, sizeof(a));
	out_size_text(&w->ctx->out, st->swapped * w->ps, b, sizeof(b));
	/* a range of the whole 64-bit space is 2^64 bytes, one more than a u64 holds */
	out_size_text(&w->ctx->out, st->pages > UINT64_MAX / w->ps ? UINT64_MAX : st->pages * w->ps, c,
		      sizeof(c));
	say(&t,
	    "%s%" PRIu64 " page%s (%s): %" PRIu64 " present (%s), %" PRIu64 " swapped (%s), %" PRIu64
	    " not present",
	    prefix, st->pages, plural(st->pages), c, st->present, a, st->swapped, b, st->not_present);
	if (st->unmapped)
		say(&t, ", %" PRIu64 " unmapped", st->unmapped);
	if (!w->pw.hidden)
		say(&t, "; %" PRIu64 " physically contiguous run%s", st->runs, plural(st->runs));
	if (thp_known(w)) {
		out_size_text(&w->ctx->out, st->thp_pages * w->ps, a, sizeof(a));
		say(&t, "; %s in transparent huge pages", a);
		const char *sep = ": ";
		for (unsigned k = PW_FOLIO_ORDERS; k-- > 0;) {
			if (!st->folios[k])
				continue;
			char name[48];
			folio_name(w, k, name, sizeof(name));
			out_size_text(&w->ctx->out, st->folio_pages[k] * w->ps, a, sizeof(a));
			say(&t, "%s%s in %" PRIu64 " %s folio%s", sep, a, st->folios[k], name,
			    plural(st->folios[k]));
			sep = ", ";
		}
	}
	diagram_note(&w->ctx->out, t.s, 0, 0, 0);
}

/* The first mapping that ends above @addr, or NULL. */
static const struct vma *vma_from(const struct maps *m, uint64_t addr)
{
	size_t lo = 0, hi = m->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->v[mid].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < m->n ? &m->v[lo] : NULL;
}

static int do_range(struct walk *w, uint64_t start, uint64_t end)
{
	struct pw_stats st = {0};
	struct runs_out ro = {.w = w, .tb = table_new(run_cols, R_NCOLS, "runs"), .maxbox = 24};
	ro.boxes = calloc(ro.maxbox, sizeof(*ro.boxes));
	if (!ro.tb || !ro.boxes) {
		table_free(ro.tb);
		free(ro.boxes);
		return -ENOMEM;
	}
	/* page by page through the mappings; the addresses between them are unmapped */
	int e = 0;
	/* the last byte of the range's last page: a bound that is itself in the range, since the
	 * end rounded up to a page is 2^64 for a range that reaches the top of the address space */
	uint64_t last = (end - 1) | (w->ps - 1);
	for (uint64_t a = start; !e;) {
		const struct vma *v = vma_from(&w->m, a);
		if (!v || v->start > last) {
			e = pagewalk_gap(&w->pw, a, (last - a) / w->ps + 1, &st, emit_run, &ro);
			break;
		}
		if (v->start > a) {
			e = pagewalk_gap(&w->pw, a, (v->start - a) / w->ps, &st, emit_run, &ro);
			a = v->start;
		}
		/* a mapping ends at most at UINT64_MAX, so last + 1 is taken only below 2^64 */
		bool to_last = v->end - 1 >= last;
		e = pagewalk_range(&w->pw, a, to_last ? last + 1 : v->end, &st, emit_run, &ro,
				   w->err);
		if (to_last)
			break;
		a = v->end;
	}
	if (e == -ESRCH) {
		char what[96];
		snprintf(what, sizeof(what), "its pages were read (%" PRIu64 " of %" PRIu64 " pages read)",
			 st.pages, (last - start) / w->ps + 1);
		process_vanished(&w->proc, what, w->err);
	} else if (e) {
		e = walk_failed(w, e);
	}
	if (!e) {
		out_word(&w->ctx->out, SHOW_JSON, "start", NULL, start);
		out_word(&w->ctx->out, SHOW_JSON, "end", NULL, end - 1);
		e = printed(table_print(ro.tb, &w->ctx->out), w->err);
	}
	if (!e) {
		out_object(&w->ctx->out, "summary");
		stats_json(w, &st);
		out_end(&w->ctx->out);
		out_printf(&w->ctx->out, "\n");
		/* the notes' kmalloc picture: virtual runs on the left, frames on the right */
		e = diagram_pairs(&w->ctx->out, ro.boxes, ro.nbox, ro.total);
		out_printf(&w->ctx->out, "\n");
		stats_text(w, &st, "");
	}
	table_free(ro.tb);
	free(ro.boxes);
	return e;
}

enum { A_START, A_END, A_NAME, A_KIND, A_PAGES, A_PRESENT, A_SWAPPED, A_THP, A_FOLIOS, A_RUNS,
       A_SHARED, A_NCOLS };
static const struct col_def all_cols[] = {
	[A_START] = {"START", "start", COL_ADDR, COLF_DEFAULT | COLF_RIGHT, "start", NULL},
	[A_END] = {"END", "end", COL_ADDR, COLF_DEFAULT | COLF_RIGHT, "end (exclusive)", NULL},
	[A_NAME] = {"NAME", "name", COL_STR, COLF_DEFAULT | COLF_WRAP, "name", NULL},
	[A_KIND] = {"KIND", "kind", COL_STR, COLF_DEFAULT, "kind", NULL},
	[A_PAGES] = {"PAGES", "pages", COL_COUNT, COLF_DEFAULT | COLF_RIGHT, "pages", NULL},
	[A_PRESENT] = {"RESIDENT", "present_bytes", COL_SIZE, COLF_DEFAULT | COLF_RIGHT, "resident",
		       NULL},
	[A_SWAPPED] = {"SWAPPED", "swapped_bytes", COL_SIZE, COLF_DEFAULT | COLF_RIGHT, "in swap", NULL},
	[A_THP] = {"THP", "thp_bytes", COL_SIZE, COLF_DEFAULT | COLF_RIGHT,
		   "in transparent huge pages, of any size", NULL},
	/* text only: JSON has the same per order, in numbers, in the summary */
	[A_FOLIOS] = {"FOLIOS", NULL, COL_STR, COLF_DEFAULT,
		      "THP folio sizes: 2M THP (PMD), 64K mTHP, 16K-256K mTHP", NULL},
	[A_RUNS] = {"RUNS", "contiguous_runs", COL_COUNT, COLF_DEFAULT | COLF_RIGHT,
		    "physically contiguous runs", NULL},
	[A_SHARED] = {"SHARED", "shared_frames", COL_COUNT, COLF_DEFAULT | COLF_RIGHT,
		      "frames mapped more than once", NULL},
};

struct all {
	struct walk *w;
	struct table *tb;
	struct pw_stats total;
	size_t n;
	int walk_err; /* the walk, not the read of maps, stopped the stream */
};

/* One mapping of --all, handed on while maps is still being read: none is kept. */
static int all_row(void *data, const struct vma *v)
{
	struct all *al = data;
	struct walk *w = al->w;
	struct pw_stats st = {0};
	int e = pagewalk_range(&w->pw, v->start, v->end, &st, NULL, NULL, w->err);
	if (e)
		return al->walk_err = e;
	struct trow *r = table_add(al->tb, NULL);
	trow_addr(r, A_START, v->start);
	trow_addr(r, A_END, v->end);
	trow_str(r, A_NAME, v->name);
	trow_str(r, A_KIND, vma_kind_name(v->kind));
	trow_count(r, A_PAGES, st.pages);
	trow_size(r, A_PRESENT, st.present * w->ps);
	trow_size(r, A_SWAPPED, st.swapped * w->ps);
	if (thp_known(w)) {
		trow_size(r, A_THP, st.thp_pages * w->ps);
		unsigned lo = PW_FOLIO_ORDERS, hi = 0;
		for (unsigned k = 0; k < PW_FOLIO_ORDERS; k++)
			if (st.folios[k]) {
				lo = k < lo ? k : lo;
				hi = k;
			}
		char kinds[80];
		if (lo <= hi)
			orders_name(w, lo, hi, kinds, sizeof(kinds));
		trow_str(r, A_FOLIOS, lo <= hi ? kinds : NULL);
	} else {
		trow_null(r, A_THP);
		trow_null(r, A_FOLIOS);
	}
	if (w->pw.hidden) {
		trow_null(r, A_RUNS);
		trow_null(r, A_SHARED);
	} else {
		trow_count(r, A_RUNS, st.runs);
		if (w->pc.count_fd >= 0)
			trow_count(r, A_SHARED, st.shared);
		else
			trow_null(r, A_SHARED);
	}
	al->n++;
	pagewalk_stats_add(&al->total, &st);
	return table_error(al->tb); /* a row lost (-ENOMEM) ends the walk, before any output */
}

/* --all: each mapping walked as maps is read, a row each (spooled past a few thousand), so
 * memory stays flat however many mappings the process has. */
static int do_all(struct walk *w)
{
	struct all al = {.w = w, .tb = table_new(all_cols, A_NCOLS, "mappings")};
	if (!al.tb)
		return -ENOMEM;
	int e = table_measure(al.tb, &w->ctx->out);
	table_spool(al.tb);
	if (!e && (e = process_maps_stream(&w->proc, false, all_row, &al, w->err)) &&
	    al.walk_err == -ESRCH) {
		char what[96];
		snprintf(what, sizeof(what), "its pages were read (%zu mapping%s walked)", al.n,
			 plural(al.n));
		e = process_vanished(&w->proc, what, w->err);
	}
	if (e && table_error(al.tb)) {
		table_free(al.tb);
		return ms_say(w->err, e, "out of memory");
	}
	if (e && !al.walk_err) { /* maps could not be read: worded by process_maps_stream() */
		table_free(al.tb);
		return e;
	}
	if (!e)
		e = out_unbuffer(&w->ctx->out, stdout); /* all read: the rows need not wait as text too */
	if (!e)
		e = table_print(al.tb, &w->ctx->out);
	table_free(al.tb);
	if (e && e != -ESRCH)
		return walk_failed(w, e);
	if (!e) {
		out_object(&w->ctx->out, "summary");
		stats_json(w, &al.total);
		out_u64(&w->ctx->out, SHOW_JSON, "mappings", NULL, al.n);
		out_end(&w->ctx->out);
		char prefix[48];
		snprintf(prefix, sizeof(prefix), "%zu mapping%s, ", al.n, plural(al.n));
		out_printf(&w->ctx->out, "\n");
		stats_text(w, &al.total, prefix);
	}
	return e;
}

static int run(struct ctx *ctx, void *args, struct ms_error *err)
{
	struct translate_args *a = args;
	int rc = 0;
	struct walk w = {.ctx = ctx, .a = a, .pagemap_fd = -1,
			 .pc = {.flags_fd = -1, .count_fd = -1}};
	w.ps = ctx_page_size(ctx);
	/* addresses first: a typo is a usage error before anything is read */
	uint64_t start = 0, end = 0;
	uint64_t *addrs = calloc((size_t)a->naddrs + 1, sizeof(*addrs));
	if (!addrs)
		return -ENOMEM;
	for (int i = 0; i < a->naddrs; i++) {
		char *dash = strchr(a->addrs[i], '-');
		if (dash && a->naddrs == 1 && !a->len) {
			*dash = '\0';
			uint64_t hi = 0;
			if ((rc = addr_arg(a->addrs[i], "address", &start, err)) ||
			    (rc = addr_arg(dash + 1, "address", &hi, err)) ||
			    (hi <= start &&
			     (rc = ms_usage(err, "invalid range: the end must be above the start")))) {
				free(addrs);
				return rc;
			}
			end = hi;
		} else if ((rc = addr_arg(a->addrs[i], "address", &addrs[i], err))) {
			free(addrs);
			return rc;
		}
	}
	if (a->len) {
		uint64_t len;
		if (units_parse_size(a->len, &len) || len == 0 || addrs[0] > UINT64_MAX - len) {
			free(addrs);
			return ms_usage(err,
					"invalid --len '%s' (a size: 4096, 0x1000, 64K, 1.5M; see memscope(1))",
					a->len);
		}
		start = addrs[0];
		end = addrs[0] + len;
	}
	w.err = err;
	if ((rc = process_open(ctx, a->pid, &w.proc, err))) {
		free(addrs);
		return rc;
	}
	/* the kernel decides with the real user's rights whether this process may be inspected */
	rc = a->all ? process_maps_access(&w.proc, err) /* --all reads maps as it walks */
		   : process_maps(&w.proc, false, &w.m, err);
	if (rc)
		goto out;
	char path[64];
	task_name(&w.proc.task, "pagemap", path, sizeof(path));
	w.path = path;
	/* only now, and only for these opens, the capabilities a file-capability install has */
	caps_raise();
	w.pagemap_fd = task_openat(&w.proc.task, "pagemap", err);
	physctx_open(ctx, &w.pc, w.ps);
	caps_drop_all();
	if (w.pagemap_fd == -ENOENT && task_live(&w.proc.task)) {
		rc = ms_say(err, -ENOENT, "process %s exited before its pages could be read",
			    w.proc.pid);
		goto out;
	}
	if (w.pagemap_fd < 0) {
		rc = w.pagemap_fd;
		goto out;
	}
	paging_detect(ctx, &w.paging);
	if (pagewalk_init(&w.pw, w.pagemap_fd, path, w.pc.flags_fd, w.pc.count_fd, w.ps,
			  task_live(&w.proc.task))) {
		rc = ms_say(err, -ENOMEM, "out of memory");
		goto out;
	}
	out_object(&ctx->out, "translate");
	/* "self" in a dump has no number to give */
	if (strcmp(w.proc.pid, "self"))
		out_i64(&ctx->out, SHOW_JSON, "pid", NULL, atoll(w.proc.pid));
	else
		out_null(&ctx->out, SHOW_JSON, "pid", NULL);
	ctx_machine_json(ctx, false, true);
	int e = 0;
	if (a->all) {
		e = do_all(&w);
	} else if (start != end) {
		e = do_range(&w, start - start % w.ps, end);
	} else {
		out_array(&ctx->out, "pages");
		int i;
		for (i = 0; i < a->naddrs && !e; i++)
			e = one(&w, addrs[i]);
		out_end(&ctx->out);
		if (e == -ESRCH) {
			char what[96];
			snprintf(what, sizeof(what), "its pages were read (%d of %d address%s read)",
				 i - 1, a->naddrs, a->naddrs == 1 ? "" : "es");
			process_vanished(&w.proc, what, err);
		}
	}
	if (w.pw.hidden && !e) {
		warn_hidden(&w);
		out_bool(&ctx->out, SHOW_JSON, "frames_hidden", NULL, true);
	}
	out_end(&ctx->out);
	char why[2200];
	if (!e && w.pw.frames && !w.pw.hidden && w.pc.flags_fd < 0 && w.pc.flags_errno)
		msg_warnf("%s; page flags and map counts are not shown",
			  ctx_unreadable(ctx, "proc/kpageflags", w.pc.flags_errno, "root", why,
					 sizeof(why)));
	if (e)
		rc = e;
out:
	pagewalk_free(&w.pw);
	free(addrs);
	if (w.pagemap_fd >= 0)
		close(w.pagemap_fd);
	physctx_close(&w.pc);
	maps_free(&w.m);
	process_close(&w.proc);
	return rc;
}

COMMAND(translate, struct translate_args,
	.summary = "virtual address of a process to physical frame, page by page",
	.flags = CMD_SYSROOT | CMD_OUTPUT);
