/* SPDX-License-Identifier: GPL-2.0-or-later */
/* memscope diff A B: what changed between two captures (or a capture and the live system):
 * meminfo's fields, the buddy allocator's free blocks per order with the unusable index, each
 * zone's free pages against its watermarks, the slab caches and the processes that grew or
 * shrank most. Each side is read through its own sysroot, with its own page size. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "decode/frag.h"
#include "lib/escape.h"
#include "lib/units.h"
#include "opts.h"
#include "out/table.h"
#include "proc/buddyinfo.h"
#include "proc/meminfo.h"
#include "proc/procmem.h"
#include "proc/slabinfo.h"
#include "proc/zoneinfo.h"
#include "sys/caps.h"
#include "sys/procs.h"

struct diff_args {
	char **sides;
	int nsides;
	uint64_t threshold;
	bool threshold_set;
	long top;
};

static int threshold_parse(void *args, const char *arg, struct argp_state *state)
{
	struct diff_args *a = args;
	(void)state;
	a->threshold_set = true;
	return units_parse_size(arg, &a->threshold) ? -EINVAL : 0;
}

static void diff_check(void *args, struct argp_state *state)
{
	struct diff_args *a = args;
	if (a->nsides != 2)
		argp_error(state, "diff compares two sides, A and B (each a capture or 'live'), not %d",
			   a->nsides);
	if (!strcmp(a->sides[0], "live") && !strcmp(a->sides[1], "live"))
		argp_error(state, "A and B are both 'live': one of them must be a capture");
}

static const struct opts diff_opts = {
	.opt = OPTIONS(
		OPT_CALL("threshold", 't', "SIZE", threshold_parse,
			 "a size, such as 0, 64K or 1M",
			 "Leave out changes smaller than SIZE (default 1M; 0 shows every change): "
			 "meminfo's fields, the free memory of a buddy order, a slab cache, a "
			 "process's RSS. A count (HugePages_*) shows whenever it changed"),
		OPT_NUM("top", 'n', "N", struct diff_args, top, 1, 100000, "a number from 1 to 100000",
			"The N slab caches and the N processes that grew most, and the N that shrank "
			"most (default 10)")),
	OPTS_LIST(struct diff_args, sides, nsides, "no captures given: diff A B", NULL, NULL, NULL),
	.check = diff_check,
	.args_doc = "A B",
	.doc = "Show what changed from A to B, each a capture made by memscope capture (a "
	       "directory or an archive, or any dump --sysroot reads) or the word live for this "
	       "system: meminfo's fields; the "
	       "free blocks of each buddy order per node and zone, in blocks and bytes, with the "
	       "unusable free space index before and after; each zone's free pages against its "
	       "min, low and high watermarks; the slab caches and the processes (matched by pid "
	       "and name) that grew and shrank most. Changes smaller than --threshold are left "
	       "out.\v"
	       "meminfo is required on both sides. A side without buddyinfo, zoneinfo, slabinfo "
	       "(root only) or processes leaves that comparison out and says so on stderr; in "
	       "JSON it is null. Each side's page size is its own (from the dump, or this "
	       "system), so two machines can be compared. A directory named live is given as "
	       "./live.",
};

/* ---- one side ---- */

struct side {
	const char *label; /* "A" or "B" */
	const char *name;  /* as given: a directory, or "live" */
	struct ctx c;	   /* its own machine: the page size */
	uint64_t ps;
	struct meminfo mi;
	struct buddyinfo bi;
	struct zoneinfo zi;
	struct slabinfo si;
	bool have_bi, have_zi, have_si, have_procs;
	struct procmem *procs; /* by pid */
	size_t nprocs;
	size_t denied; /* processes whose memory could not be read */
	size_t from_status; /* ... whose RSS came from status instead (smaps_rollup withheld) */
};

/* A process whose smaps_rollup is withheld (another user's, live or in a capture made without
 * the right): its RSS from status, which any user may read. Returns 0 with @m filled. */
static int status_rss(const struct sysroot *sr, int pid, struct procmem *m)
{
	char path[48];
	snprintf(path, sizeof(path), "proc/%d/status", pid);
	struct buf b = {0};
	struct ms_error err = {0};
	*m = (struct procmem){.pid = pid};
	int e = sysroot_read(sr, path, &b, &err);
	if (!e)
		e = procmem_status_parse(b.data, b.len, path, true, m, &err);
	buf_free(&b);
	if (!e && (m->source != PM_STATUS || !pm_has(m, PM_RSS)))
		e = -ENODATA;
	return e;
}

/* A source a side lacks (missing, or not allowed): its comparison left out and said */
static int optional(struct ctx *ctx, struct side *s, int e, const struct ms_error *le,
		    const char *what, struct ms_error *err)
{
	if (!e)
		return 1;
	if (e == -ENOENT || e == -EACCES) {
		ctx_note(ctx, "%s: '%s': %s: %s left out", s->label, le->file, le->reason, what);
		return 0;
	}
	*err = *le;
	return e;
}

static int by_pid(const void *a, const void *b)
{
	const struct procmem *x = a, *y = b;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* A dump's processes: every pid under its proc/ with a memory figure. A process whose files
 * are at fault is passed over (counted in denied). */
static int dump_procs(struct side *s, struct ms_error *err)
{
	int *pids = NULL;
	size_t n = 0;
	int e = procmem_pids(&s->c.root, &pids, &n, err);
	if (e)
		return e;
	s->procs = calloc(n ? n : 1, sizeof(*s->procs));
	if (!s->procs) {
		free(pids);
		return ms_say(err, -ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		struct procmem m = {0};
		struct ms_error why = {0};
		if (procmem_read(&s->c.root, pids[i], PMW_MEM | PMW_OWNER, &m, &why) ||
		    m.source == PM_NONE || !pm_has(&m, PM_RSS)) {
			bool kthread = m.kthread;
			procmem_clear(&m);
			if (kthread)
				continue;
			if (status_rss(&s->c.root, pids[i], &m)) {
				s->denied++;
				continue;
			}
			s->from_status++;
		}
		if (m.kthread || m.thread) {
			procmem_clear(&m);
			continue;
		}
		free(m.cmdline);
		free(m.cgroup);
		m.cmdline = m.cgroup = NULL;
		s->procs[s->nprocs++] = m;
	}
	free(pids);
	return 0;
}

/* The live processes (libproc2): @only (@nonly pids) when the other side is a dump, whose
 * processes are the only ones to compare with. */
static int live_procs(struct side *s, const int *only, size_t nonly, struct ms_error *err)
{
	struct procs_entry *v = NULL;
	size_t n = 0;
	if (!nonly) { /* the dump has no processes: nothing to compare */
		s->procs = calloc(1, sizeof(*s->procs));
		return s->procs ? 0 : ms_say(err, -ENOMEM, "out of memory");
	}
	int e = procs_read(PMW_MEM | PMW_OWNER, only, nonly, &v, &n, err);
	if (e)
		return e;
	s->procs = calloc(n ? n : 1, sizeof(*s->procs));
	if (!s->procs) {
		procs_free(v, n);
		return ms_say(err, -ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		struct procmem m = v[i].m;
		if (v[i].miss == PROCS_DENIED) {
			if (status_rss(&s->c.root, v[i].m.pid, &m)) {
				s->denied++;
				continue;
			}
			s->from_status++;
		} else if (v[i].miss != PROCS_READ || !pm_has(&v[i].m, PM_RSS)) {
			continue;
		}
		m.cmdline = m.cgroup = NULL; /* left with v, freed there */
		s->procs[s->nprocs++] = m;
	}
	procs_free(v, n);
	qsort(s->procs, s->nprocs, sizeof(*s->procs), by_pid);
	return 0;
}

static int side_open(struct ctx *ctx, struct side *s, const char *label, const char *name,
		     struct ms_error *err)
{
	s->label = label;
	s->name = name;
	bool live = !strcmp(name, "live");
	s->c = (struct ctx){.sysroot_dir = live ? NULL : name, .arch_opt = ctx->arch_opt,
			    .page_size_opt = ctx->page_size_opt};
	int e = sysroot_open(&s->c.root, live ? NULL : name, err);
	if (e)
		return e;
	/* a capture says what machine it came from, before any file is guessed from */
	if (!live && (e = manifest_read(&s->c.root, &s->c.manifest, err))) {
		sysroot_close(&s->c.root);
		return e;
	}
	s->ps = ctx_page_size(&s->c);
	/* what was assumed of this side's machine, said of it */
	for (char *l = s->c.notes, *nl; *l; l = nl + 1) {
		nl = strchr(l, '\n');
		if (!nl)
			break;
		ctx_note(ctx, "%s: %.*s", label, (int)(nl - l), l);
	}
	return 0;
}

static int side_read(struct ctx *ctx, struct side *s, struct ms_error *err)
{
	const struct sysroot *sr = &s->c.root;
	int e = meminfo_read(sr, &s->mi, err);
	if (e)
		return e;
	struct ms_error le = {0};
	int r;
	if ((r = optional(ctx, s, buddyinfo_read(sr, &s->bi, &le), &le,
			  "the buddy allocator's free blocks are", err)) < 0)
		return r;
	s->have_bi = r;
	if ((r = optional(ctx, s, zoneinfo_read(sr, &s->zi, &le), &le,
			  "the zones' free pages and watermarks are", err)) < 0)
		return r;
	s->have_zi = r;
	bool raised = !sr->dir && caps_raise();
	e = slabinfo_read(sr, &s->si, &le);
	if (raised)
		caps_lower();
	if ((r = optional(ctx, s, e, &le, "the slab caches are", err)) < 0)
		return r;
	s->have_si = r;
	return 0;
}

static void side_free(struct side *s)
{
	meminfo_free(&s->mi);
	if (s->have_bi)
		buddyinfo_free(&s->bi);
	if (s->have_zi)
		zoneinfo_free(&s->zi);
	if (s->have_si)
		slabinfo_free(&s->si);
	for (size_t i = 0; i < s->nprocs; i++)
		procmem_clear(&s->procs[i]);
	free(s->procs);
	sysroot_close(&s->c.root);
}

/* ---- comparing ---- */

static int64_t change(uint64_t a, uint64_t b)
{
	/* saturating: a change past 2^63 is no smaller for being clipped */
	if (b >= a)
		return b - a > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)(b - a);
	return a - b > (uint64_t)INT64_MAX ? -INT64_MAX : -(int64_t)(a - b);
}

static uint64_t magnitude(int64_t d)
{
	return d < 0 ? -(uint64_t)d : (uint64_t)d;
}

static void side_value(struct trow *r, size_t col, bool has, bool bytes, uint64_t v)
{
	if (!has)
		trow_null(r, col);
	else if (bytes)
		trow_size(r, col, v);
	else
		trow_count(r, col, v);
}

/* " by 1M or more", or "" when every change shows */
static const char *by_threshold(uint64_t t, char *buf, size_t size)
{
	if (!t)
		return "";
	char h[24];
	units_human(t, h, sizeof(h));
	snprintf(buf, size, " by %s or more", h);
	return buf;
}

enum { M_FIELD, M_A, M_B, M_CHANGE, M_NCOLS };
static const struct col_def meminfo_cols[] = {
	[M_FIELD] = {"FIELD", "field", COL_STR, COLF_DEFAULT, "meminfo's key", NULL},
	[M_A] = {"A", "a", COL_SIZE, COLF_DEFAULT | COLF_RIGHT, "its value in A", NULL},
	[M_B] = {"B", "b", COL_SIZE, COLF_DEFAULT | COLF_RIGHT, "its value in B", NULL},
	[M_CHANGE] = {"CHANGE", "change", COL_SIZE_DELTA, COLF_DEFAULT | COLF_RIGHT, "B - A",
		      NULL},
};

/* A meminfo row: shown when the field is on one side only, or changed by the threshold (a
 * count: changed at all) */
static void meminfo_row(struct table *tb, const char *key, const struct meminfo_entry *x,
			const struct meminfo_entry *y, uint64_t threshold, size_t *n)
{
	bool bytes = (x ? x : y)->bytes;
	if (x && y) {
		int64_t d = change(x->value, y->value);
		if (!d || (bytes && magnitude(d) < threshold))
			return;
	}
	struct trow *r = table_add(tb, NULL);
	trow_str(r, M_FIELD, key);
	side_value(r, M_A, x, bytes, x ? x->value : 0);
	side_value(r, M_B, y, bytes, y ? y->value : 0);
	if (x && y && bytes)
		trow_size_delta(r, M_CHANGE, change(x->value, y->value));
	else if (x && y)
		trow_delta(r, M_CHANGE, change(x->value, y->value));
	else
		trow_null(r, M_CHANGE);
	(*n)++;
}

static int meminfo_diff(struct ctx *ctx, const struct side *a, const struct side *b,
			uint64_t threshold)
{
	struct table *tb = table_new(meminfo_cols, M_NCOLS, "meminfo");
	if (!tb)
		return -ENOMEM;
	size_t n = 0;
	for (size_t i = 0; i < a->mi.n; i++)
		meminfo_row(tb, a->mi.v[i].key, &a->mi.v[i], meminfo_get(&b->mi, a->mi.v[i].key),
			    threshold, &n);
	for (size_t i = 0; i < b->mi.n; i++)
		if (!meminfo_get(&a->mi, b->mi.v[i].key))
			meminfo_row(tb, b->mi.v[i].key, NULL, &b->mi.v[i], threshold, &n);
	char t[48];
	out_printf(&ctx->out, "meminfo: %zu field%s changed%s%s\n", n, n == 1 ? "" : "s",
		   by_threshold(threshold, t, sizeof(t)), n ? ":" : "");
	int e = table_print(tb, &ctx->out);
	table_free(tb);
	return e;
}

/* A comparison one side cannot make: said in text, null in JSON. Returns true when so. */
static bool not_compared(struct ctx *ctx, const char *key, bool ha, bool hb, const char *lacks)
{
	if (ha && hb)
		return false;
	out_printf(&ctx->out, "\n%s: not compared (%s %s)\n", key, !ha ? "A" : "B", lacks);
	out_null(&ctx->out, SHOW_JSON, key, NULL);
	return true;
}

enum { U_NODE, U_ZONE, U_ORDER, U_A, U_B, U_CHANGE, U_BYTES, U_UA, U_UB, U_NCOLS };
static const struct col_def buddy_cols[] = {
	[U_NODE] = {"NODE", "node", COL_COUNT, COLF_DEFAULT | COLF_RIGHT, "NUMA node", NULL},
	[U_ZONE] = {"ZONE", "zone", COL_STR, COLF_DEFAULT, "zone", NULL},
	[U_ORDER] = {"ORDER", "order", COL_COUNT, COLF_DEFAULT | COLF_RIGHT,
		     "blocks of 2^ORDER pages", NULL},
	[U_A] = {"A", "a_blocks", COL_COUNT, COLF_DEFAULT | COLF_RIGHT, "free blocks in A", NULL},
	[U_B] = {"B", "b_blocks", COL_COUNT, COLF_DEFAULT | COLF_RIGHT, "free blocks in B", NULL},
	[U_CHANGE] = {"CHANGE", "change_blocks", COL_DELTA, COLF_DEFAULT | COLF_RIGHT,
		      "blocks, B - A", NULL},
	[U_BYTES] = {"BYTES", "change_bytes", COL_SIZE_DELTA, COLF_DEFAULT | COLF_RIGHT,
		     "free memory in blocks of the order, B - A", NULL},
	[U_UA] = {"UNUSABLE_A", "a_unusable_index", COL_INDEX, COLF_DEFAULT | COLF_RIGHT,
		  "unusable free space index at the order in A", NULL},
	[U_UB] = {"UNUSABLE_B", "b_unusable_index", COL_INDEX, COLF_DEFAULT | COLF_RIGHT,
		  "... in B", NULL},
};

/* @blocks free blocks of 2^@order pages of @ps bytes, in bytes (saturating: a dump's count
 * may be anything) */
static uint64_t block_bytes(uint64_t blocks, uint64_t ps, unsigned order)
{
	if (order >= 64 || ps > UINT64_MAX >> order)
		return blocks ? UINT64_MAX : 0;
	uint64_t block = ps << order;
	return blocks > UINT64_MAX / block ? UINT64_MAX : blocks * block;
}

static const struct buddy_zone *buddy_find(const struct buddyinfo *bi, unsigned node,
					   const char *zone)
{
	for (size_t i = 0; i < bi->n; i++)
		if (bi->v[i].node == node && !strcmp(bi->v[i].zone, zone))
			return &bi->v[i];
	return NULL;
}

/* the rows of one zone: an order whose free bytes changed by the threshold, or whose unusable
 * index moved by 0.010 or more (it depends on every order's blocks) */
static void buddy_zone_rows(struct table *tb, const struct side *a, const struct side *b,
			    const struct buddy_zone *x, const struct buddy_zone *y,
			    uint64_t threshold, size_t *n)
{
	const struct buddy_zone *z = x ? x : y;
	unsigned orders = a->bi.orders > b->bi.orders ? a->bi.orders : b->bi.orders;
	for (unsigned o = 0; o < orders; o++) {
		bool hx = x && o < a->bi.orders, hy = y && o < b->bi.orders;
		uint64_t bx = hx ? x->free[o] : 0, by = hy ? y->free[o] : 0;
		unsigned ux = hx ? frag_unusable_index(x->free, a->bi.orders, o) : 0;
		unsigned uy = hy ? frag_unusable_index(y->free, b->bi.orders, o) : 0;
		uint64_t sx = block_bytes(bx, a->ps, o), sy = block_bytes(by, b->ps, o);
		int64_t d = change(sx, sy);
		if (hx && hy && (sx == sy || magnitude(d) < threshold) &&
		    (ux > uy ? ux - uy : uy - ux) < 10)
			continue;
		if (!hx && !hy)
			continue;
		struct trow *r = table_add(tb, NULL);
		trow_count(r, U_NODE, z->node);
		trow_str(r, U_ZONE, z->zone);
		trow_count(r, U_ORDER, o);
		side_value(r, U_A, hx, false, bx);
		side_value(r, U_B, hy, false, by);
		if (hx && hy) {
			trow_delta(r, U_CHANGE, change(bx, by));
			trow_size_delta(r, U_BYTES, d);
		} else {
			trow_null(r, U_CHANGE);
			trow_null(r, U_BYTES);
		}
		if (hx)
			trow_index(r, U_UA, ux);
		else
			trow_null(r, U_UA);
		if (hy)
			trow_index(r, U_UB, uy);
		else
			trow_null(r, U_UB);
		(*n)++;
	}
}

static int buddy_diff(struct ctx *ctx, const struct side *a, const struct side *b,
		      uint64_t threshold)
{
	if (not_compared(ctx, "buddy", a->have_bi, b->have_bi, "has no buddyinfo"))
		return 0;
	struct table *tb = table_new(buddy_cols, U_NCOLS, "buddy");
	if (!tb)
		return -ENOMEM;
	size_t n = 0;
	for (size_t i = 0; i < a->bi.n; i++)
		buddy_zone_rows(tb, a, b, &a->bi.v[i],
				buddy_find(&b->bi, a->bi.v[i].node, a->bi.v[i].zone), threshold, &n);
	for (size_t i = 0; i < b->bi.n; i++)
		if (!buddy_find(&a->bi, b->bi.v[i].node, b->bi.v[i].zone))
			buddy_zone_rows(tb, a, b, NULL, &b->bi.v[i], threshold, &n);
	char t[48];
	out_printf(&ctx->out, "\nbuddy: %zu order%s of a zone changed%s (or its unusable index by "
		   "0.010)%s\n", n, n == 1 ? "" : "s", by_threshold(threshold, t, sizeof(t)),
		   n ? ":" : "");
	int e = table_print(tb, &ctx->out);
	table_free(tb);
	return e;
}

enum { Z_NODE, Z_ZONE, Z_A, Z_B, Z_CHANGE, Z_MIN, Z_LOW, Z_HIGH, Z_SA, Z_SB, Z_NCOLS };
static const struct col_def zone_cols[] = {
	[Z_NODE] = {"NODE", "node", COL_COUNT, COLF_DEFAULT | COLF_RIGHT, "NUMA node", NULL},
	[Z_ZONE] = {"ZONE", "zone", COL_STR, COLF_DEFAULT, "zone", NULL},
	[Z_A] = {"FREE_A", "a_free", COL_SIZE, COLF_DEFAULT | COLF_RIGHT, "free in A", NULL},
	[Z_B] = {"FREE_B", "b_free", COL_SIZE, COLF_DEFAULT | COLF_RIGHT, "free in B", NULL},
	[Z_CHANGE] = {"CHANGE", "change", COL_SIZE_DELTA, COLF_DEFAULT | COLF_RIGHT, "B - A",
		      NULL},
	[Z_MIN] = {"MIN", "b_min", COL_SIZE, COLF_DEFAULT | COLF_RIGHT, "B's min watermark",
		   NULL},
	[Z_LOW] = {"LOW", "b_low", COL_SIZE, COLF_DEFAULT | COLF_RIGHT, "B's low watermark",
		   NULL},
	[Z_HIGH] = {"HIGH", "b_high", COL_SIZE, COLF_DEFAULT | COLF_RIGHT, "B's high watermark",
		    NULL},
	[Z_SA] = {"STATE_A", "a_state", COL_STR, COLF_DEFAULT,
		  "free against A's watermarks: ok, <high, <low (kswapd reclaims), <min (direct "
		  "reclaim)", NULL},
	[Z_SB] = {"STATE_B", "b_state", COL_STR, COLF_DEFAULT, "... in B", NULL},
};

static const struct zone *zone_find(const struct zoneinfo *zi, unsigned node, const char *name)
{
	for (size_t i = 0; i < zi->n; i++)
		if (zi->v[i].node == node && !strcmp(zi->v[i].name, name))
			return &zi->v[i];
	return NULL;
}

static bool zone_empty(const struct zone *z)
{
	return !z || (z->has[ZF_PRESENT] && !z->f[ZF_PRESENT]);
}

/* free pages against the watermarks: where reclaim stands */
static const char *zone_state(const struct zone *z)
{
	if (!z->has[ZF_FREE] || !z->has[ZF_MIN] || !z->has[ZF_LOW] || !z->has[ZF_HIGH])
		return NULL;
	uint64_t f = z->f[ZF_FREE];
	return f < z->f[ZF_MIN] ? "<min" : f < z->f[ZF_LOW] ? "<low" : f < z->f[ZF_HIGH] ? "<high"
											: "ok";
}

static void zone_field(struct trow *r, size_t col, const struct zone *z, int f, uint64_t ps)
{
	if (z && z->has[f])
		trow_size(r, col, z->f[f] * ps);
	else
		trow_null(r, col);
}

static void zone_row(struct table *tb, const struct side *a, const struct side *b,
		     const struct zone *x, const struct zone *y)
{
	const struct zone *z = x ? x : y;
	struct trow *r = table_add(tb, NULL);
	trow_count(r, Z_NODE, z->node);
	trow_str(r, Z_ZONE, z->name);
	zone_field(r, Z_A, x, ZF_FREE, a->ps);
	zone_field(r, Z_B, y, ZF_FREE, b->ps);
	if (x && y && x->has[ZF_FREE] && y->has[ZF_FREE])
		trow_size_delta(r, Z_CHANGE, change(x->f[ZF_FREE] * a->ps, y->f[ZF_FREE] * b->ps));
	else
		trow_null(r, Z_CHANGE);
	zone_field(r, Z_MIN, y, ZF_MIN, b->ps);
	zone_field(r, Z_LOW, y, ZF_LOW, b->ps);
	zone_field(r, Z_HIGH, y, ZF_HIGH, b->ps);
	trow_str(r, Z_SA, x ? zone_state(x) : NULL);
	trow_str(r, Z_SB, y ? zone_state(y) : NULL);
}

static int zone_diff(struct ctx *ctx, const struct side *a, const struct side *b)
{
	if (not_compared(ctx, "zones", a->have_zi, b->have_zi, "has no zoneinfo"))
		return 0;
	struct table *tb = table_new(zone_cols, Z_NCOLS, "zones");
	if (!tb)
		return -ENOMEM;
	/* zones with pages on either side; an empty one (Movable, Device) says nothing */
	for (size_t i = 0; i < a->zi.n; i++) {
		const struct zone *x = &a->zi.v[i], *y = zone_find(&b->zi, x->node, x->name);
		if (!zone_empty(x) || !zone_empty(y))
			zone_row(tb, a, b, x, y);
	}
	for (size_t i = 0; i < b->zi.n; i++) {
		const struct zone *y = &b->zi.v[i];
		if (!zone_find(&a->zi, y->node, y->name) && !zone_empty(y))
			zone_row(tb, a, b, NULL, y);
	}
	out_printf(&ctx->out, "\nzones: free pages against the watermarks (B's):\n");
	int e = table_print(tb, &ctx->out);
	table_free(tb);
	return e;
}

/* ---- ranked changes: slab caches and processes ---- */

struct ranked {
	const char *name;
	int pid; /* processes; 0 for caches */
	bool ha, hb;
	uint64_t a, b;
	int64_t d;
};

static int by_change(const void *p, const void *q)
{
	const struct ranked *x = p, *y = q;
	if (x->d != y->d)
		return x->d < y->d ? 1 : -1;
	return x->pid != y->pid ? (x->pid > y->pid) - (x->pid < y->pid) : strcmp(x->name, y->name);
}

/* Sort @v by change, the largest growth first, and keep the @top that grew most and the @top
 * that shrank most among those that changed by @threshold; returns how many are kept (moved
 * to the front). A row on one side only counts as grown from, or shrunk to, nothing. */
static size_t rank(struct ranked *v, size_t n, uint64_t threshold, size_t top)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (v[i].d && magnitude(v[i].d) >= threshold)
			v[k++] = v[i];
	qsort(v, k, sizeof(*v), by_change);
	size_t grew = 0, shrank = 0, out = 0;
	for (size_t i = 0; i < k; i++)
		if (v[i].d > 0 ? grew++ < top : shrank++ < top)
			v[out++] = v[i];
	(void)shrank;
	return out;
}

enum { R_PID, R_NAME, R_A, R_B, R_CHANGE, R_NCOLS };
static const struct col_def slab_cols[] = {
	[R_PID] = {"PID", NULL, COL_COUNT, 0, "unused", NULL},
	[R_NAME] = {"CACHE", "cache", COL_STR, COLF_DEFAULT, "the slab cache", NULL},
	[R_A] = {"A", "a", COL_SIZE, COLF_DEFAULT | COLF_RIGHT, "memory it held in A", NULL},
	[R_B] = {"B", "b", COL_SIZE, COLF_DEFAULT | COLF_RIGHT, "memory it held in B", NULL},
	[R_CHANGE] = {"CHANGE", "change", COL_SIZE_DELTA, COLF_DEFAULT | COLF_RIGHT, "B - A",
		      NULL},
};
static const struct col_def proc_cols[] = {
	[R_PID] = {"PID", "pid", COL_COUNT, COLF_DEFAULT | COLF_RIGHT, "process id", NULL},
	[R_NAME] = {"NAME", "name", COL_STR, COLF_DEFAULT, "its name (status' Name)", NULL},
	[R_A] = {"RSS_A", "a_rss", COL_SIZE, COLF_DEFAULT | COLF_RIGHT, "resident in A", NULL},
	[R_B] = {"RSS_B", "b_rss", COL_SIZE, COLF_DEFAULT | COLF_RIGHT, "resident in B", NULL},
	[R_CHANGE] = {"CHANGE", "change", COL_SIZE_DELTA, COLF_DEFAULT | COLF_RIGHT, "B - A",
		      NULL},
};

static int ranked_print(struct ctx *ctx, const struct col_def *cols, const char *key,
			const struct ranked *v, size_t n)
{
	struct table *tb = table_new(cols, R_NCOLS, key);
	if (!tb)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct trow *r = table_add(tb, NULL);
		trow_count(r, R_PID, (uint64_t)v[i].pid);
		trow_str(r, R_NAME, v[i].name);
		side_value(r, R_A, v[i].ha, true, v[i].a);
		side_value(r, R_B, v[i].hb, true, v[i].b);
		trow_size_delta(r, R_CHANGE, v[i].d);
	}
	int e = table_print(tb, &ctx->out);
	table_free(tb);
	return e;
}

static int slab_diff(struct ctx *ctx, const struct side *a, const struct side *b,
		     uint64_t threshold, size_t top)
{
	if (not_compared(ctx, "slab", a->have_si, b->have_si, "has no slabinfo it could read"))
		return 0;
	size_t cap = a->si.n + b->si.n, n = 0;
	struct ranked *v = calloc(cap ? cap : 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < a->si.n; i++) {
		const struct slab_cache *x = &a->si.v[i], *y = slabinfo_find(&b->si, x->name);
		uint64_t ma = slab_cache_memory(x, a->ps), mb = y ? slab_cache_memory(y, b->ps) : 0;
		v[n++] = (struct ranked){x->name, 0, true, y != NULL, ma, mb, change(ma, mb)};
	}
	for (size_t i = 0; i < b->si.n; i++) {
		const struct slab_cache *y = &b->si.v[i];
		if (slabinfo_find(&a->si, y->name))
			continue;
		uint64_t mb = slab_cache_memory(y, b->ps);
		v[n++] = (struct ranked){y->name, 0, false, true, 0, mb, change(0, mb)};
	}
	size_t changed = 0;
	for (size_t i = 0; i < n; i++)
		changed += v[i].d && magnitude(v[i].d) >= threshold;
	size_t k = rank(v, n, threshold, top);
	char t[48];
	out_printf(&ctx->out, "\nslab: %zu of %zu cache%s changed%s", changed, n, n == 1 ? "" : "s",
		   by_threshold(threshold, t, sizeof(t)));
	if (k < changed)
		out_printf(&ctx->out, "; the %zu that grew and the %zu that shrank most", top, top);
	out_printf(&ctx->out, "%s\n", k ? ":" : "");
	int e = ranked_print(ctx, slab_cols, "slab", v, k);
	free(v);
	return e;
}

static const struct procmem *proc_find(const struct side *s, int pid)
{
	struct procmem key = {.pid = pid};
	return bsearch(&key, s->procs, s->nprocs, sizeof(key), by_pid);
}

static bool same_process(const struct procmem *x, const struct procmem *y)
{
	return y && !strcmp(x->comm, y->comm);
}

static int proc_diff(struct ctx *ctx, const struct side *a, const struct side *b,
		     uint64_t threshold, size_t top)
{
	if (not_compared(ctx, "processes", a->have_procs, b->have_procs, "has none"))
		return 0;
	struct ranked *v = calloc(a->nprocs ? a->nprocs : 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	size_t n = 0, only_a = 0, only_b = 0;
	for (size_t i = 0; i < a->nprocs; i++) {
		const struct procmem *x = &a->procs[i], *y = proc_find(b, x->pid);
		if (!same_process(x, y)) {
			only_a++;
			continue;
		}
		uint64_t ra = x->v[PM_RSS], rb = y->v[PM_RSS];
		v[n++] = (struct ranked){x->comm, x->pid, true, true, ra, rb, change(ra, rb)};
	}
	for (size_t i = 0; i < b->nprocs; i++)
		only_b += !same_process(&b->procs[i], proc_find(a, b->procs[i].pid));
	size_t changed = 0;
	for (size_t i = 0; i < n; i++)
		changed += v[i].d && magnitude(v[i].d) >= threshold;
	size_t k = rank(v, n, threshold, top);
	char t[48];
	/* the live side is read for the capture's pids alone: what only it has is not counted */
	bool live_a = !a->c.root.dir, live_b = !b->c.root.dir;
	char oa[48], ob[48];
	snprintf(oa, sizeof(oa), live_a ? "A read for B's pids" : "%zu only in A", only_a);
	snprintf(ob, sizeof(ob), live_b ? "B read for A's pids" : "%zu only in B", only_b);
	out_printf(&ctx->out, "\nprocesses: %zu in both (matched by pid and name), %s, %s; %zu "
		   "changed RSS%s", n, oa, ob, changed, by_threshold(threshold, t, sizeof(t)));
	if (k < changed)
		out_printf(&ctx->out, "; the %zu that grew and the %zu that shrank most", top, top);
	out_printf(&ctx->out, "%s\n", k ? ":" : "");
	out_object(&ctx->out, "processes_matched");
	out_u64(&ctx->out, SHOW_JSON, "both", NULL, n);
	if (live_a)
		out_null(&ctx->out, SHOW_JSON, "only_a", NULL);
	else
		out_u64(&ctx->out, SHOW_JSON, "only_a", NULL, only_a);
	if (live_b)
		out_null(&ctx->out, SHOW_JSON, "only_b", NULL);
	else
		out_u64(&ctx->out, SHOW_JSON, "only_b", NULL, only_b);
	out_end(&ctx->out);
	int e = ranked_print(ctx, proc_cols, "processes", v, k);
	free(v);
	return e;
}

static void side_header(struct ctx *ctx, const struct side *s)
{
	char esc[4096], h[24];
	escape_text(s->name, strlen(s->name), esc, sizeof(esc));
	units_human(s->ps, h, sizeof(h));
	bool live = !s->c.root.dir;
	out_printf(&ctx->out, "%s  %s (%s pages)\n", s->label, live ? "live: this system" : esc, h);
	out_object(&ctx->out, s->label[0] == 'A' ? "a" : "b");
	out_str(&ctx->out, SHOW_JSON, "source", NULL, live ? "live" : s->name);
	out_u64(&ctx->out, SHOW_JSON, "page_size", NULL, s->ps);
	out_end(&ctx->out);
}

static int run(struct ctx *ctx, void *args, struct ms_error *err)
{
	struct diff_args *a = args;
	if (ctx->sysroot_dir)
		return ms_usage(err, "diff takes its two sides as arguments: --sysroot is not for it "
				     "(memscope diff DIR live)");
	uint64_t threshold = a->threshold_set ? a->threshold : UINT64_C(1) << 20;
	size_t top = a->top ? (size_t)a->top : 10;
	struct side s[2] = {0};
	int e = side_open(ctx, &s[0], "A", a->sides[0], err);
	if (!e && (e = side_open(ctx, &s[1], "B", a->sides[1], err)))
		sysroot_close(&s[0].c.root);
	if (e)
		return e;
	for (int i = 0; !e && i < 2; i++)
		e = side_read(ctx, &s[i], err);
	/* the dumps' processes first: the live side is read for those pids alone */
	for (int i = 0; !e && i < 2; i++)
		if (s[i].c.root.dir && !(e = dump_procs(&s[i], err)))
			s[i].have_procs = s[i].nprocs > 0;
	for (int i = 0; !e && i < 2; i++) {
		if (s[i].c.root.dir)
			continue;
		const struct side *o = &s[1 - i];
		int *pids = calloc(o->nprocs ? o->nprocs : 1, sizeof(*pids));
		if (!pids) {
			e = ms_say(err, -ENOMEM, "out of memory");
			break;
		}
		for (size_t k = 0; k < o->nprocs; k++)
			pids[k] = o->procs[k].pid;
		if (!(e = live_procs(&s[i], pids, o->nprocs, err)))
			s[i].have_procs = o->have_procs;
		free(pids);
	}
	for (int i = 0; !e && i < 2; i++)
		if (s[i].from_status)
			ctx_note(ctx, "%s: the RSS of %zu process%s is status' VmRSS: %s", s[i].label,
				 s[i].from_status, s[i].from_status == 1 ? "" : "es",
				 s[i].c.root.dir ? "the capture holds no smaps_rollup for it"
						 : "another user's smaps_rollup needs CAP_SYS_PTRACE "
						   "(or root)");
	for (int i = 0; !e && i < 2; i++)
		if (s[i].denied)
			ctx_note(ctx, "%s: %zu process%s passed over: %s", s[i].label, s[i].denied,
				 s[i].denied == 1 ? "" : "es",
				 s[i].c.root.dir ? "their files are missing or at fault"
						 : "another user's memory figures need "
						   "CAP_SYS_PTRACE (or root)");
	if (!e) {
		side_header(ctx, &s[0]);
		side_header(ctx, &s[1]);
		out_u64(&ctx->out, SHOW_JSON, "threshold", NULL, threshold);
		out_printf(&ctx->out, "\n");
		e = meminfo_diff(ctx, &s[0], &s[1], threshold);
	}
	if (!e)
		e = buddy_diff(ctx, &s[0], &s[1], threshold);
	if (!e)
		e = zone_diff(ctx, &s[0], &s[1]);
	if (!e)
		e = slab_diff(ctx, &s[0], &s[1], threshold, top);
	if (!e)
		e = proc_diff(ctx, &s[0], &s[1], threshold, top);
	if (e == -ENOMEM)
		e = ms_say(err, e, "out of memory");
	side_free(&s[0]);
	side_free(&s[1]);
	return e;
}

COMMAND(diff, struct diff_args,
	.summary = "what changed between two captures, or a capture and this system",
	.flags = CMD_OUTPUT);
