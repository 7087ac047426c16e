/* SPDX-License-Identifier: GPL-2.0-or-later */
/* memscope translate: from a virtual address of a process to the physical frame behind it, the
 * walk the notes describe (pages, frames, page tables, faults), for one address, a range, or
 * every mapping. */
#include <argp.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/process.h"
#include "decode/kpageflags.h"
#include "decode/pagemap.h"
#include "out/diagram.h"
#include "out/table.h"
#include "out/units.h"
#include "proc/kpage.h"
#include "sys/caps.h"
#include "sys/msg.h"

struct translate_args {
	const char *pid;
	char **addrs;
	int naddrs;
	const char *len;
	bool all;
};

enum { OPT_LEN = 0x200, OPT_ALL };

static const struct argp_option translate_options[] = {
	{"len", OPT_LEN, "SIZE", 0,
	 "Translate SIZE bytes from the address (4096, 0x1000, 64K, 1.5M) and draw virtual pages "
	 "against physical frames; VADDR-VADDR does the same",
	 0},
	{"all", OPT_ALL, NULL, 0, "Every mapping of the process, with totals", 0},
	{NULL, 0, NULL, 0, NULL, 0},
};

static error_t translate_parse_opt(int key, char *arg, struct argp_state *state)
{
	struct translate_args *a = state->input;
	switch (key) {
	case OPT_LEN:
		a->len = arg;
		return 0;
	case OPT_ALL:
		a->all = true;
		return 0;
	case ARGP_KEY_ARG:
		if (!a->pid) {
			if (pid_check(arg))
				argp_error(state, "invalid PID '%s' (a number, or self)", arg);
			a->pid = arg;
		} else {
			args_rest(state, &a->addrs, &a->naddrs);
		}
		return 0;
	case ARGP_KEY_END:
		if (!a->pid)
			argp_error(state, "no PID given");
		if (!a->all && !a->naddrs)
			argp_error(state, "no address given (or --all)");
		if (a->all && a->naddrs)
			argp_error(state, "--all takes no addresses");
		if (a->len && a->naddrs != 1)
			argp_error(state, "--len goes with one address");
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp translate_argp = {
	translate_options, translate_parse_opt, "PID VADDR...\nPID --all",
	"Translate virtual addresses of process PID (or self) to physical frames: the mapping, the "
	"pagemap entry decoded, the frame, its iomem region, zone and node, its page flags and map "
	"count, and the page-table indices.\v"
	"VADDR is hex with 0x, or decimal; VADDR-VADDR is a range. Without CAP_SYS_ADMIN the kernel "
	"hides frame numbers: the present and swapped bits are still shown.",
	command_children, NULL, NULL};

struct walk {
	struct ctx *ctx;
	const struct translate_args *a;
	struct maps m;
	int pagemap_fd;
	struct physctx pc;
	struct paging paging;
	uint64_t ps;
	bool hidden; /* frame numbers read as 0: no CAP_SYS_ADMIN */
	bool warned;
	bool frames; /* a real frame was shown: then missing page flags are worth a word */
	bool reported; /* the error that stopped the walk was said where it happened */
	json_object *section;
	/* batch buffers, allocated once: memory stays flat whatever the process's size */
	uint64_t *pm, *pfn, *flags, *count, *scratch;
	size_t *order;
};

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
static int one(struct walk *w, uint64_t vaddr, json_object *pages)
{
	struct record r;
	char title[128];
	snprintf(title, sizeof(title), "0x%016" PRIx64, vaddr);
	record_begin(&r, &w->ctx->out, pages, NULL, title);
	rec_addr(&r, "vaddr", "address", vaddr);
	const struct vma *v = maps_find(&w->m, vaddr);
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
	unsigned idx[PGTABLE_MAX_LEVELS];
	uint64_t off;
	paging_indices(&w->paging, vaddr, idx, &off);
	rec_group(&r, "page_table", "page table");
	for (unsigned i = 0; i < w->paging.levels; i++)
		rec_u64(&r, w->paging.level[i].name, w->paging.level[i].name, idx[i]);
	rec_hex(&r, "offset", "offset", off);
	rec_group_end(&r);
	uint64_t raw = 0;
	long got = v ? kpage_pread(w->pagemap_fd, vaddr / w->ps, &raw, 1) : 0;
	if (got < 0) {
		msg_errorf("cannot read pagemap: %s", strerror((int)-got));
		w->reported = true;
		return -EIO;
	}
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
		/* a PFN of 0 is the kernel hiding it, never a real frame */
		w->hidden = true;
		warn_hidden(w);
	}
	if (e.present && !w->hidden) {
		w->frames = true;
		uint64_t flags = UINT64_MAX, count = UINT64_MAX;
		kpage_lookup(w->pc.flags_fd, w->pc.count_fd, &e.pfn, 1, &flags, &count, w->scratch,
			     w->order);
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
	if (!w->ctx->out.json)
		fputc('\n', w->ctx->out.fp);
	return 0;
}

/* Pages of one stretch of virtual memory, read in batches; runs of pages in the same state with
 * consecutive frames are joined. */
struct range_stats {
	uint64_t pages, present, swapped, not_present, hidden, runs, thp, shared;
};

enum { R_VSTART, R_VEND, R_PAGES, R_STATE, R_PSTART, R_PEND, R_THP, R_NCOLS };
static const struct col_def run_cols[] = {
	[R_VSTART] = {"VSTART", "vstart", COL_ADDR, COLF_DEFAULT | COLF_RIGHT, "first virtual", NULL},
	[R_VEND] = {"VEND", "vend", COL_ADDR, COLF_DEFAULT | COLF_RIGHT, "last virtual", NULL},
	[R_PAGES] = {"PAGES", "pages", COL_COUNT, COLF_DEFAULT | COLF_RIGHT, "pages", NULL},
	[R_STATE] = {"STATE", "state", COL_STR, COLF_DEFAULT | COLF_WRAP, "present, swapped, ...", NULL},
	[R_PSTART] = {"PSTART", "pstart", COL_ADDR, COLF_DEFAULT | COLF_RIGHT, "first physical", NULL},
	[R_PEND] = {"PEND", "pend", COL_ADDR, COLF_DEFAULT | COLF_RIGHT, "last physical", NULL},
	[R_THP] = {"HUGE", "huge_pages", COL_COUNT, COLF_DEFAULT | COLF_RIGHT, "THP/huge heads",
		   NULL},
};

enum pstate { PS_NONE, PS_PRESENT, PS_HIDDEN, PS_SWAP };
static const char *const state_name[] = {"not present", "present", "present (frame hidden)",
					 "swapped"};

struct run {
	enum pstate st;
	uint64_t vstart, pages, pfn, huge;
};

static void emit_run(struct walk *w, struct table *tb, const struct run *run,
		     struct range_stats *st, struct diagram_pair *boxes, size_t *nbox, size_t maxbox)
{
	if (!run->pages)
		return;
	st->runs += run->st == PS_PRESENT;
	if (tb) {
		struct trow *r = table_add(tb, NULL);
		if (!r)
			return;
		trow_addr(r, R_VSTART, run->vstart);
		trow_addr(r, R_VEND, run->vstart + run->pages * w->ps - 1);
		trow_count(r, R_PAGES, run->pages);
		trow_str(r, R_STATE, state_name[run->st]);
		if (run->st == PS_PRESENT) {
			trow_addr(r, R_PSTART, run->pfn * w->ps);
			trow_addr(r, R_PEND, (run->pfn + run->pages) * w->ps - 1);
			trow_count(r, R_THP, run->huge);
		} else {
			trow_null(r, R_PSTART);
			trow_null(r, R_PEND);
			trow_null(r, R_THP);
		}
	}
	if (boxes && *nbox < maxbox) {
		struct diagram_pair *p = &boxes[(*nbox)++];
		*p = (struct diagram_pair){.vstart = run->vstart,
					   .vend = run->vstart + run->pages * w->ps - 1,
					   .mapped = run->st == PS_PRESENT,
					   .pstart = run->pfn * w->ps,
					   .pend = (run->pfn + run->pages) * w->ps - 1};
		snprintf(p->lbuf, sizeof(p->lbuf), "%" PRIu64 " page%s%s%s", run->pages,
			 run->pages == 1 ? "" : "s", run->st == PS_PRESENT ? "" : ", ",
			 run->st == PS_PRESENT ? "" : state_name[run->st]);
		p->left = p->lbuf;
		if (run->st == PS_PRESENT) {
			char sz[32];
			out_size_text(&w->ctx->out, run->pages * w->ps, sz, sizeof(sz));
			snprintf(p->rbuf, sizeof(p->rbuf), "%s%s", sz,
				 run->huge ? " huge" : run->pages > 1 ? " contiguous" : "");
			p->right = p->rbuf;
		}
	}
}

/* Walk [start, end) of the process; fills @st, and @tb/@boxes with runs when given. */
static int walk_range(struct walk *w, uint64_t start, uint64_t end, struct range_stats *st,
		      struct table *tb, struct diagram_pair *boxes, size_t *nbox, size_t maxbox)
{
	struct run run = {0};
	for (uint64_t page = start / w->ps; page < (end + w->ps - 1) / w->ps;) {
		size_t n = (size_t)((end + w->ps - 1) / w->ps - page);
		if (n > KPAGE_BATCH)
			n = KPAGE_BATCH;
		long got = kpage_pread(w->pagemap_fd, page, w->pm, n);
		if (got < 0)
			return (int)got;
		for (long i = got; i < (long)n; i++)
			w->pm[i] = 0;
		/* frames of the batch, then their flags and counts in windowed reads */
		size_t np = 0;
		for (size_t i = 0; i < n; i++) {
			uint64_t pfn = pagemap_pfn(w->pm[i]);
			if (pfn)
				w->pfn[np++] = pfn;
		}
		bool want_flags = !w->hidden && np && (w->pc.flags_fd >= 0 || w->pc.count_fd >= 0);
		if (want_flags && kpage_lookup(w->pc.flags_fd, w->pc.count_fd, w->pfn, np, w->flags,
					       w->count, w->scratch, w->order))
			want_flags = false;
		size_t k = 0;
		for (size_t i = 0; i < n;) {
			uint64_t raw = w->pm[i], pfn = pagemap_pfn(raw);
			enum pstate ps = pagemap_present(raw) ? (pfn ? PS_PRESENT : PS_HIDDEN)
				       : pagemap_swapped(raw) ? PS_SWAP
							      : PS_NONE;
			/* Pages that need no flags of their own go by in blocks: the entries that
			 * follow equal this one, or step by one frame when frames are shown. A
			 * present page whose flags were read goes alone: its THP head and map
			 * count are its own. */
			size_t m = 1;
			uint64_t fl = 0, cnt = 0;
			if (ps == PS_PRESENT && want_flags) {
				fl = w->flags[k] == UINT64_MAX ? 0 : w->flags[k];
				cnt = w->count[k] == UINT64_MAX ? 0 : w->count[k];
				k++;
			} else {
				/* frames step by one; never across the top of the 55-bit field */
				uint64_t step = ps == PS_PRESENT && pfn < PAGEMAP_PFN_MASK - n;
				while (i + m < n && w->pm[i + m] == raw + step * m)
					m++;
			}
			st->pages += m;
			switch (ps) {
			case PS_HIDDEN:
				w->hidden = true;
				st->hidden += m;
				st->present += m;
				break;
			case PS_PRESENT:
				w->frames = true;
				st->present += m;
				break;
			case PS_SWAP:
				st->swapped += m;
				break;
			default:
				st->not_present += m;
			}
			bool head = fl >> KPF_COMPOUND_HEAD & 1 && fl >> (KPF_THP) & 1;
			st->thp += head;
			st->shared += cnt > 1;
			uint64_t vaddr = (page + i) * w->ps;
			bool joins = run.pages && run.st == ps && run.vstart + run.pages * w->ps == vaddr &&
				     (ps != PS_PRESENT || pfn == run.pfn + run.pages);
			if (!joins) {
				emit_run(w, tb, &run, st, boxes, nbox, maxbox);
				run = (struct run){ps, vaddr, 0, pfn, 0};
			}
			run.pages += m;
			run.huge += head;
			i += m;
		}
		page += n;
	}
	emit_run(w, tb, &run, st, boxes, nbox, maxbox);
	return 0;
}

static void stats_json(struct walk *w, json_object *obj, const struct range_stats *st)
{
	out_json_obj_u64(obj, "pages", st->pages);
	out_json_obj_u64(obj, "present", st->present);
	out_json_obj_u64(obj, "swapped", st->swapped);
	out_json_obj_u64(obj, "not_present", st->not_present);
	out_json_obj_u64(obj, "contiguous_runs", st->runs);
	json_object_object_add(obj, "huge_pages", w->hidden ? NULL : json_object_new_uint64(st->thp));
	json_object_object_add(obj, "shared_frames",
			       w->hidden || w->pc.count_fd < 0 ? NULL
							       : json_object_new_uint64(st->shared));
}

static void stats_text(struct walk *w, const struct range_stats *st)
{
	if (w->ctx->out.json)
		return;
	char a[32], b[32], c[32];
	out_size_text(&w->ctx->out, st->present * w->ps, a, sizeof(a));
	out_size_text(&w->ctx->out, st->swapped * w->ps, b, sizeof(b));
	out_size_text(&w->ctx->out, st->pages * w->ps, c, sizeof(c));
	fprintf(w->ctx->out.fp,
		"%" PRIu64 " pages (%s): %" PRIu64 " present (%s), %" PRIu64 " swapped (%s), %" PRIu64
		" not present",
		st->pages, c, st->present, a, st->swapped, b, st->not_present);
	if (!w->hidden)
		fprintf(w->ctx->out.fp, "; %" PRIu64 " physically contiguous runs, %" PRIu64
					" huge-page heads",
			st->runs, st->thp);
	fputc('\n', w->ctx->out.fp);
}

static int do_range(struct walk *w, uint64_t start, uint64_t end)
{
	struct range_stats st = {0};
	struct table *tb = table_new(run_cols, R_NCOLS, "runs");
	size_t maxbox = 64, nbox = 0;
	struct diagram_pair *boxes = calloc(maxbox, sizeof(*boxes));
	if (!tb || !boxes) {
		table_free(tb);
		free(boxes);
		return -ENOMEM;
	}
	int e = walk_range(w, start, end, &st, tb, boxes, &nbox, maxbox);
	if (!e) {
		json_object_object_add(w->section, "start", out_json_addr(start));
		json_object_object_add(w->section, "end", out_json_addr(end - 1));
		e = table_print(tb, &w->ctx->out, w->section);
	}
	if (!e) {
		json_object *sum = json_object_new_object();
		stats_json(w, sum, &st);
		json_object_object_add(w->section, "summary", sum);
		if (!w->ctx->out.json)
			fputc('\n', w->ctx->out.fp);
		/* the notes' kmalloc picture: virtual runs on the left, frames on the right */
		e = diagram_pairs(&w->ctx->out, boxes, nbox, 24);
		if (!w->ctx->out.json)
			fputc('\n', w->ctx->out.fp);
		stats_text(w, &st);
	}
	table_free(tb);
	free(boxes);
	return e;
}

enum { A_START, A_END, A_NAME, A_KIND, A_PAGES, A_PRESENT, A_SWAPPED, A_THP, A_RUNS, A_SHARED,
       A_NCOLS };
static const struct col_def all_cols[] = {
	[A_START] = {"START", "start", COL_ADDR, COLF_DEFAULT | COLF_RIGHT, "start", NULL},
	[A_END] = {"END", "end", COL_ADDR, COLF_DEFAULT | COLF_RIGHT, "end (exclusive)", NULL},
	[A_NAME] = {"NAME", "name", COL_STR, COLF_DEFAULT | COLF_WRAP, "name", NULL},
	[A_KIND] = {"KIND", "kind", COL_STR, COLF_DEFAULT, "kind", NULL},
	[A_PAGES] = {"PAGES", "pages", COL_COUNT, COLF_DEFAULT | COLF_RIGHT, "pages", NULL},
	[A_PRESENT] = {"RESIDENT", "present_bytes", COL_SIZE, COLF_DEFAULT | COLF_RIGHT, "resident",
		       NULL},
	[A_SWAPPED] = {"SWAPPED", "swapped_bytes", COL_SIZE, COLF_DEFAULT | COLF_RIGHT, "in swap", NULL},
	[A_THP] = {"THP", "thp_bytes", COL_SIZE, COLF_DEFAULT | COLF_RIGHT, "in huge pages", NULL},
	[A_RUNS] = {"RUNS", "contiguous_runs", COL_COUNT, COLF_DEFAULT | COLF_RIGHT,
		    "physically contiguous runs", NULL},
	[A_SHARED] = {"SHARED", "shared_frames", COL_COUNT, COLF_DEFAULT | COLF_RIGHT,
		      "frames mapped more than once", NULL},
};

struct all {
	struct walk *w;
	struct table *tb;
	struct range_stats total;
	size_t n;
	int walk_err; /* reading pagemap failed: said by cmd_translate() */
};

/* One mapping of --all, handed on while maps is still being read: none is kept. */
static int all_row(void *data, const struct vma *v)
{
	struct all *al = data;
	struct walk *w = al->w;
	struct range_stats st = {0};
	/* [vsyscall] is not in the page tables of the process: pagemap reads it as holes */
	int e = walk_range(w, v->start, v->end, &st, NULL, NULL, NULL, 0);
	if (e) {
		al->walk_err = e;
		return -ECANCELED;
	}
	struct trow *r = table_add(al->tb, NULL);
	if (!r)
		return -ENOMEM;
	trow_addr(r, A_START, v->start);
	trow_addr(r, A_END, v->end);
	trow_str(r, A_NAME, v->name);
	trow_str(r, A_KIND, vma_kind_name(v->kind));
	trow_count(r, A_PAGES, st.pages);
	trow_size(r, A_PRESENT, st.present * w->ps);
	trow_size(r, A_SWAPPED, st.swapped * w->ps);
	if (w->hidden) {
		trow_null(r, A_THP);
		trow_null(r, A_RUNS);
		trow_null(r, A_SHARED);
	} else {
		trow_size(r, A_THP, st.thp * 512 * w->ps);
		trow_count(r, A_RUNS, st.runs);
		if (w->pc.count_fd >= 0)
			trow_count(r, A_SHARED, st.shared);
		else
			trow_null(r, A_SHARED);
	}
	al->n++;
	al->total.pages += st.pages;
	al->total.present += st.present;
	al->total.swapped += st.swapped;
	al->total.not_present += st.not_present;
	al->total.runs += st.runs;
	al->total.thp += st.thp;
	al->total.shared += st.shared;
	return 0;
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
	if (!e && process_maps_stream(w->ctx, w->a->pid, false, all_row, &al)) {
		e = al.walk_err;
		if (!e) { /* maps could not be read, and that was said */
			w->reported = true;
			e = -EIO;
		}
	}
	if (!e)
		e = out_unbuffer(&w->ctx->out, stdout); /* all read: the rows need not wait as text too */
	if (!e)
		e = table_print(al.tb, &w->ctx->out, w->section);
	table_free(al.tb);
	if (!e) {
		json_object *sum = json_object_new_object();
		stats_json(w, sum, &al.total);
		out_json_obj_u64(sum, "mappings", al.n);
		json_object_object_add(w->section, "summary", sum);
		if (!w->ctx->out.json)
			fprintf(w->ctx->out.fp, "\n%zu mappings, ", al.n);
		stats_text(w, &al.total);
	}
	return e;
}

int cmd_translate(struct ctx *ctx, int argc, char **argv)
{
	struct translate_args a = {0};
	int rc = command_parse(&translate_argp, ctx, argc, argv, &a);
	if (rc)
		return rc;
	struct walk w = {.ctx = ctx, .a = &a, .pagemap_fd = -1};
	w.ps = ctx_page_size(ctx);
	/* addresses first: a typo is a usage error before anything is read */
	uint64_t start = 0, end = 0;
	uint64_t *addrs = calloc((size_t)a.naddrs + 1, sizeof(*addrs));
	if (!addrs)
		return EXIT_RUNTIME;
	for (int i = 0; i < a.naddrs; i++) {
		char *dash = strchr(a.addrs[i], '-');
		if (dash && a.naddrs == 1 && !a.len) {
			*dash = '\0';
			uint64_t hi = 0;
			bool bad = addr_arg(a.addrs[i], "address", &start) ||
				   addr_arg(dash + 1, "address", &hi);
			if (bad || hi <= start) {
				if (!bad)
					msg_errorf("invalid range: the end must be above the start");
				free(addrs);
				return EXIT_USAGE;
			}
			end = hi;
		} else if (addr_arg(a.addrs[i], "address", &addrs[i])) {
			free(addrs);
			return EXIT_USAGE;
		}
	}
	if (a.len) {
		uint64_t len;
		if (units_parse_size(a.len, &len) || len == 0 || addrs[0] > UINT64_MAX - len) {
			msg_errorf("invalid --len '%s' (a size: 4096, 0x1000, 64K, 1.5M; see memscope(1))",
				   a.len);
			free(addrs);
			return EXIT_USAGE;
		}
		start = addrs[0];
		end = addrs[0] + len;
	}
	/* the kernel decides with the real user's rights whether this process may be inspected */
	rc = a.all ? process_maps_access(ctx, a.pid) /* --all reads maps as it walks */
		   : process_maps(ctx, a.pid, false, &w.m);
	if (rc) {
		free(addrs);
		return rc;
	}
	char path[64];
	struct ms_error err = {0};
	snprintf(path, sizeof(path), "proc/%s/pagemap", a.pid);
	/* only now, and only for these opens, the capabilities a file-capability install has */
	caps_raise();
	w.pagemap_fd = sysroot_openat(&ctx->root, path, &err);
	physctx_open(ctx, &w.pc, w.ps);
	caps_drop_all();
	if (w.pagemap_fd < 0) {
		msg_error(&err);
		rc = EXIT_RUNTIME;
		goto out;
	}
	paging_detect(ctx, &w.paging);
	w.pm = malloc(KPAGE_BATCH * sizeof(uint64_t));
	w.pfn = malloc(KPAGE_BATCH * sizeof(uint64_t));
	w.flags = malloc(KPAGE_BATCH * sizeof(uint64_t));
	w.count = malloc(KPAGE_BATCH * sizeof(uint64_t));
	w.scratch = malloc(2 * KPAGE_BATCH * sizeof(uint64_t));
	w.order = malloc(KPAGE_BATCH * sizeof(size_t));
	if (!w.pm || !w.pfn || !w.flags || !w.count || !w.scratch || !w.order) {
		rc = EXIT_RUNTIME;
		goto out;
	}
	w.section = out_json_section(&ctx->out, "translate");
	json_object_object_add(w.section, "pid",
			       strcmp(a.pid, "self") ? json_object_new_int64(atoll(a.pid))
						     : json_object_new_int64(getpid()));
	ctx_machine_json(ctx, w.section, false, true);
	int e = 0;
	if (a.all) {
		e = do_all(&w);
	} else if (start != end) {
		e = do_range(&w, start - start % w.ps, end);
	} else {
		json_object *pages = json_object_new_array();
		json_object_object_add(w.section, "pages", pages);
		for (int i = 0; i < a.naddrs && !e; i++)
			e = one(&w, addrs[i], pages);
	}
	if (w.hidden) {
		warn_hidden(&w);
		json_object_object_add(w.section, "frames_hidden", json_object_new_boolean(true));
	}
	char why[2200];
	if (w.frames && !w.hidden && w.pc.flags_fd < 0 && w.pc.flags_errno)
		msg_warnf("%s; page flags and map counts are not shown",
			  ctx_unreadable(ctx, "proc/kpageflags", w.pc.flags_errno, "root", why,
					 sizeof(why)));
	if (e) {
		if (!w.reported)
			msg_errorf("cannot read '%s': %s", path, strerror(-e));
		rc = EXIT_RUNTIME;
	}
out:
	free(w.pm);
	free(w.pfn);
	free(w.flags);
	free(w.count);
	free(w.scratch);
	free(w.order);
	free(addrs);
	if (w.pagemap_fd >= 0)
		close(w.pagemap_fd);
	physctx_close(&w.pc);
	maps_free(&w.m);
	return rc;
}
