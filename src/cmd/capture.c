/* SPDX-License-Identifier: GPL-2.0-or-later */
/* memscope capture [-o FILE.tar.zst | DIR] [--pid PID...]: every file memscope's commands read,
 * copied into DIR (or an archive) as a dump that --sysroot replays, with a manifest of the
 * machine, the privileges held and each file that was hidden, unreadable or missing. DIR (FILE)
 * is written whole or not at all. */
#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd/process.h"
#include "command.h"
#include "lib/words.h"
#include "opts.h"
#include "proc/iomem.h"
#include "proc/slabsys.h"
#include "proc/pagecopy.h"
#include "sys/caps.h"
#include "sys/outdir.h"

struct capture_args {
	const char *dir;
	const char *output; /* -o FILE: an archive */
	char **pids;	    /* after DIR */
	int npids;
	const char **pid_opts; /* --pid, as many as given */
	int npid_opts;
	bool pagemap;
};

static bool bad_pid(const char *s)
{
	return pid_check(s) || !strcmp(s, "self");
}

static error_t capture_arg(void *args, char *arg, struct argp_state *state)
{
	struct capture_args *a = args;
	if (!a->dir) {
		a->dir = arg;
		return 0;
	}
	args_rest(state, &a->pids, &a->npids);
	for (int i = 0; i < a->npids; i++)
		if (bad_pid(a->pids[i]))
			argp_error(state, "invalid PID '%s' (a number)", a->pids[i]);
	return 0;
}

static int pid_parse(void *args, const char *arg, struct argp_state *state)
{
	struct capture_args *a = args;
	if (bad_pid(arg))
		return -EINVAL;
	const char **v = realloc(a->pid_opts, (size_t)(a->npid_opts + 1) * sizeof(*v));
	if (!v)
		argp_failure(state, 1, ENOMEM, "out of memory");
	a->pid_opts = v;
	a->pid_opts[a->npid_opts++] = arg;
	return 0;
}

static int output_parse(void *args, const char *arg, struct argp_state *state)
{
	((struct capture_args *)args)->output = arg;
	return *arg ? 0 : -EINVAL;
}

static void capture_check(void *args, struct argp_state *state)
{
	struct capture_args *a = args;
	if (a->dir && a->output)
		argp_error(state, "-o FILE and DIR exclude each other (an archive or a directory)");
	if (!a->dir && !a->output)
		argp_error(state, "no DIR or -o FILE given");
}

static const struct opts capture_opts = {
	.opt = OPTIONS(
		OPT_CALL("output", 'o', "FILE", output_parse, "a file name",
			 "Write the capture as one archive, FILE (a zstd-compressed pax tar, such "
			 "as host.tar.zst), instead of a directory; --sysroot FILE reads it as it "
			 "is"),
		OPT_CALL("pid", 'p', "PID", pid_parse, "a number",
			 "Capture process PID's files too (again for more processes)"),
		OPT_BOOL("with-pagemap", 0, struct capture_args, pagemap,
			 "With each --pid, its pagemap (the entries of its mappings alone, holes "
			 "elsewhere) and the kpageflags and kpagecount entries of the frames they "
			 "name, so translate replays")),
	.doc = "Copy every file memscope reads into DIR (or the archive FILE), a dump that "
	       "memscope --sysroot DIR replays on any machine: proc/iomem, meminfo, buddyinfo, zoneinfo, pagetypeinfo, "
	       "vmstat, slabinfo, vmallocinfo, version, cpuinfo and the kernel's arch, release "
	       "and kptr_restrict; the huge page pools and THP settings, the NUMA nodes, the "
	       "memory blocks and SLUB's cache attributes of /sys; and for each PID its maps, smaps, smaps_rollup, status, "
	       "stat, cmdline and numa_maps. DIR/memscope-capture records the machine, the "
	       "privileges held and every file that was hidden, unreadable or missing.\v"
	       "DIR must not exist (or be empty): the capture is made beside it and renamed to "
	       "it once complete, so a failed capture leaves nothing (FILE likewise, replaced "
	       "whole if it is there). Without root, files the "
	       "kernel withholds are kept empty (slabinfo, pagetypeinfo, vmallocinfo) or as it "
	       "shows them (iomem's zeroed addresses), and each is named in the manifest.",
	.args_doc = "DIR [PID...]\n-o FILE.tar.zst [--pid PID...]",
	.arg = capture_arg,
	.check = capture_check,
};

/* the /proc files, as the commands read them */
static const char *const proc_files[] = {
	"proc/iomem", "proc/meminfo", "proc/buddyinfo", "proc/zoneinfo", "proc/pagetypeinfo",
	"proc/vmstat", "proc/slabinfo", "proc/vmallocinfo", "proc/version", "proc/cpuinfo",
	"proc/sys/kernel/arch", "proc/sys/kernel/osrelease", "proc/sys/kernel/kptr_restrict",
};
/* the /sys trees, copied whole but for what sysfs adds to every device */
static const char *const sys_trees[] = {
	"sys/kernel/mm/hugepages", "sys/kernel/mm/transparent_hugepage", "sys/devices/system/node",
	"sys/devices/system/memory", "sys/module/memory_hotplug/parameters",
	"sys/kernel/slab", /* SLUB's caches: only the attributes slab reads (slab_attr()) */
};
static const char *const pid_files[] = {"stat", "maps", "smaps", "smaps_rollup", "status",
					"cmdline", "numa_maps"};

struct cap {
	struct ctx *ctx;
	struct outdir out;
	char *manifest;
	size_t mlen, mcap;
	size_t hidden, missing;
	const char *tree; /* the tree being walked */
	bool progress;
	struct ms_error *err;
};

static void mf(struct cap *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void mf(struct cap *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char line[1200];
	int n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	size_t l = (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1;
	if (c->mlen + l + 1 > c->mcap) {
		size_t cap = (c->mcap + l + 1) * 2;
		char *m = realloc(c->manifest, cap);
		if (!m)
			return;
		c->manifest = m;
		c->mcap = cap;
	}
	memcpy(c->manifest + c->mlen, line, l);
	c->mlen += l;
	c->manifest[c->mlen] = '\0';
}

static void progress(struct cap *c)
{
	if (c->progress && c->out.files % 200 == 0)
		fprintf(stderr, "\rmemscope capture: %zu files", c->out.files);
}

/* One file: copied; unreadable kept empty and said; missing said */
static int copy(struct cap *c, const char *rel, bool keep_empty)
{
	struct buf b = {0};
	struct ms_error e2 = {0};
	int e = sysroot_read(&c->ctx->root, rel, &b, &e2);
	if (e == -ENOENT) {
		mf(c, "missing %s\n", rel);
		c->missing++;
		return 0;
	}
	if (e == -EACCES || e == -EPERM || e == -EIO || e == -EINVAL || e == -ENODATA) {
		/* withheld from this user, or an attribute that cannot be read now */
		mf(c, "unreadable %s: %s\n", rel, strerror(-e));
		c->hidden++;
		return keep_empty ? outdir_write(&c->out, rel, "", 0, c->err) : 0;
	}
	if (e)
		return *c->err = e2, e;
	e = outdir_write(&c->out, rel, b.data, b.len, c->err);
	if (!e && !strcmp(rel, "proc/iomem")) {
		struct iomem_tree io;
		if (!iomem_parse(b.data, b.len, rel, &io, &e2) && io.hidden) {
			mf(c, "hidden %s: every address reads 0 (CAP_SYS_ADMIN withheld them)\n", rel);
			c->hidden++;
		}
		iomem_free(&io);
	}
	buf_free(&b);
	progress(c);
	return e;
}

/* In /sys/kernel/slab: a cache's directory (or its alias, a link beside it), and in it the
 * attributes memscope slab reads; not the rest (trace, validate, a memcg's cgroup/, each
 * cache's 30 other files), which nothing reads */
static bool slab_attr(const char *tree, const char *rel, enum sysroot_entry type)
{
	const char *sub = rel + strlen(tree);
	if (*sub == '/')
		sub++;
	const char *slash = strchr(sub, '/');
	if (!slash) /* a cache, or an alias of one */
		return true;
	if (type == SR_DIR || strchr(slash + 1, '/'))
		return false;
	for (int a = 0; a < SA_N; a++)
		if (!strcmp(slash + 1, slabsys_name(a)))
			return true;
	return false;
}

static int tree_entry(void *data, const char *rel, enum sysroot_entry type, const char *link)
{
	struct cap *c = data;
	const char *name = strrchr(rel, '/');
	name = name ? name + 1 : rel;
	/* what sysfs adds to every device, and nothing memscope reads */
	static const char *const skip[] = {"power", "subsystem", "uevent", "driver",
					   "firmware_node", "of_node", "hotplug"};
	if (word_index(skip, WORDS_N(skip), name) >= 0 ||
	    (!strcmp(c->tree, "sys/kernel/slab") && !slab_attr(c->tree, rel, type)))
		return type == SR_DIR ? 1 : 0;
	if (type == SR_DIR)
		return outdir_mkdir(&c->out, rel, c->err);
	if (type == SR_WRITE_ONLY)
		return 0;
	if (type == SR_LINK) {
		/* links inside the tree (a block's node0, a node's memory0) are kept as they are;
		 * the others would lead outside the dump */
		if (link[0] == '/')
			return 0;
		return outdir_symlink(&c->out, rel, link, c->err);
	}
	return copy(c, rel, false);
}

static int capture_pid(struct cap *c, const char *pid)
{
	char path[64];
	size_t missing = c->missing;
	int e = 0;
	for (size_t i = 0; i < sizeof(pid_files) / sizeof(pid_files[0]) && !e; i++) {
		snprintf(path, sizeof(path), "proc/%s/%s", pid, pid_files[i]);
		e = copy(c, path, false);
		/* stat, read first, is every process's: without it there is no such process */
		if (!e && i == 0 && c->missing > missing)
			e = ms_say(c->err, -ESRCH, "no process with pid %s", pid);
	}
	return e;
}

/* A file read as runs of a sparse file: kept, or said to be unreadable or missing */
static int sparse(struct cap *c, const char *rel, int e, struct page_runs *r, struct ms_error *e2)
{
	if (e == -ENOENT) {
		mf(c, "missing %s\n", rel);
		c->missing++;
		return 0;
	}
	if (e == -EACCES || e == -EPERM || e == -EIO || e == -EINVAL) {
		mf(c, "unreadable %s: %s\n", rel, strerror(-e));
		c->hidden++;
		return 0;
	}
	if (e)
		return *c->err = *e2, e;
	e = outdir_write_sparse(&c->out, rel, r->size, r->n, r->off, r->len,
				(const char *const *)r->data, c->err);
	page_runs_free(r);
	return e;
}

/* --with-pagemap: each process's pagemap over its mappings, then the frames' kpageflags and
 * kpagecount, all sparse */
static int capture_pages(struct cap *c, const char *const *pids, int npids)
{
	uint64_t ps = ctx_page_size(c->ctx);
	struct pfn_set frames = {0};
	int e = 0;
	for (int i = 0; !e && i < npids; i++) {
		char rel[64];
		snprintf(rel, sizeof(rel), "proc/%s/pagemap", pids[i]);
		struct page_runs r;
		struct ms_error e2 = {0};
		uint64_t hidden = frames.hidden;
		int got = pagecopy_pagemap(&c->ctx->root, pids[i], ps, &r, &frames, &e2);
		e = sparse(c, rel, got, &r, &e2);
		if (!e && !got) {
			mf(c, "pagemap %s\n", pids[i]);
			if (frames.hidden > hidden) {
				mf(c, "hidden %s: no frame numbers (CAP_SYS_ADMIN withheld them)\n", rel);
				c->hidden++;
			}
		}
	}
	if (!e && frames.n) {
		struct ms_error e2 = {0};
		int got = pagecopy_folios(&c->ctx->root, &frames, &e2);
		if (got == -ENOMEM)
			e = (*c->err = e2, got);
		static const char *const files[] = {"proc/kpageflags", "proc/kpagecount"};
		for (size_t i = 0; !e && i < 2; i++) {
			struct page_runs r;
			got = pagecopy_frames(&c->ctx->root, files[i], &frames, &r, &e2);
			e = sparse(c, files[i], got, &r, &e2);
		}
	}
	pfn_set_free(&frames);
	return e;
}

static void manifest_head(struct cap *c)
{
	struct ctx *ctx = c->ctx;
	const struct machine_facts *f = ctx_machine(ctx);
	char when[64];
	time_t now = time(NULL);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	mf(c, "memscope-capture 1\nmemscope %s\ntime %s\n", MEMSCOPE_VERSION, when);
	/* what the files showed (or this system is), never an assumption: a replay would take
	 * it for the machine's word */
	if (f->arch && f->arch_source != MACHINE_ASSUMED)
		mf(c, "arch %s\n", f->arch);
	else
		mf(c, "arch unknown\n");
	if (f->page_size && f->page_size_source != MACHINE_ASSUMED)
		mf(c, "page_size %" PRIu64 "\n", f->page_size);
	else
		mf(c, "page_size unknown\n");
	mf(c, "source %s\n", ctx->root.dir ? ctx->root.dir : "live");
	mf(c, "uid %u\n", (unsigned)getuid());
	static const struct {
		cap_value_t v;
		const char *name;
	} caps[] = {{CAP_SYS_ADMIN, "CAP_SYS_ADMIN"},
		    {CAP_DAC_READ_SEARCH, "CAP_DAC_READ_SEARCH"},
		    {CAP_SYS_PTRACE, "CAP_SYS_PTRACE"},
		    {CAP_SYSLOG, "CAP_SYSLOG"}};
	mf(c, "capabilities");
	size_t held = 0;
	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++)
		if (!ctx->root.dir && caps_have(caps[i].v))
			mf(c, " %s", caps[i].name), held++;
	mf(c, "%s\n", held ? "" : " none");
}

static int capture(struct ctx *ctx, struct capture_args *a, struct ms_error *err);

static int run(struct ctx *ctx, void *args, struct ms_error *err)
{
	struct capture_args *a = args;
	int e = capture(ctx, a, err);
	free(a->pid_opts); /* pid_parse()'s */
	a->pid_opts = NULL;
	return e;
}

static int capture(struct ctx *ctx, struct capture_args *a, struct ms_error *err)
{
	struct cap c = {.ctx = ctx, .err = err, .progress = isatty(STDERR_FILENO)};
	const char *to = a->output ? a->output : a->dir;
	/* the PIDs after DIR and those of --pid, once each */
	const char **pids = calloc((size_t)(a->npids + a->npid_opts) + 1, sizeof(*pids));
	int npids = 0;
	if (!pids)
		return ms_say(err, -ENOMEM, "out of memory");
	for (int i = 0; i < a->npids + a->npid_opts; i++) {
		const char *p = i < a->npids ? a->pids[i] : a->pid_opts[i - a->npids];
		bool dup = false;
		for (int j = 0; j < npids && !dup; j++)
			dup = strtol(pids[j], NULL, 10) == strtol(p, NULL, 10);
		if (!dup)
			pids[npids++] = p;
	}
	int e = a->output ? outdir_open_archive(&c.out, a->output, err)
			  : outdir_open(&c.out, a->dir, err);
	if (e) {
		free(pids);
		return e;
	}
	manifest_head(&c);
	bool raised = !ctx->root.dir && caps_raise();
	for (size_t i = 0; !e && i < sizeof(proc_files) / sizeof(proc_files[0]); i++)
		e = copy(&c, proc_files[i], true);
	for (size_t i = 0; !e && i < sizeof(sys_trees) / sizeof(sys_trees[0]); i++) {
		struct ms_error e2 = {0};
		c.tree = sys_trees[i];
		e = sysroot_walk(&ctx->root, sys_trees[i], tree_entry, &c, &e2);
		if (e == -ENOENT) {
			mf(&c, "missing %s\n", sys_trees[i]);
			c.missing++;
			e = 0;
		} else if (e && !err->reason[0]) {
			*err = e2;
		}
	}
	for (int i = 0; !e && i < npids; i++)
		e = capture_pid(&c, pids[i]);
	if (!e && a->pagemap)
		e = capture_pages(&c, pids, npids);
	if (raised)
		caps_lower();
	if (c.progress)
		fprintf(stderr, "\r\033[K");
	if (!e)
		e = outdir_write(&c.out, "memscope-capture", c.manifest ? c.manifest : "", c.mlen,
				 err);
	size_t files = c.out.files, bytes = c.out.bytes;
	if (!e)
		e = outdir_commit(&c.out, err);
	else
		outdir_abort(&c.out);
	free(c.manifest);
	free(pids);
	if (e)
		return e;
	char sz[32];
	out_size_text(&ctx->out, bytes, sz, sizeof(sz));
	out_printf(&ctx->out, "captured %zu files (%s) into %s", files, sz, to);
	if ((c.hidden || c.missing) && a->output)
		out_printf(&ctx->out, "; %zu hidden or unreadable, %zu missing: see its memscope-capture",
			   c.hidden, c.missing);
	else if (c.hidden || c.missing)
		out_printf(&ctx->out, "; %zu hidden or unreadable, %zu missing: see %s/memscope-capture",
			   c.hidden, c.missing, a->dir);
	out_printf(&ctx->out, "\n");
	out_str(&ctx->out, SHOW_JSON, a->output ? "archive" : "directory", NULL, to);
	out_u64(&ctx->out, SHOW_JSON, "files", NULL, files);
	out_u64(&ctx->out, SHOW_JSON, "bytes", NULL, bytes);
	out_u64(&ctx->out, SHOW_JSON, "hidden", NULL, c.hidden);
	out_u64(&ctx->out, SHOW_JSON, "missing", NULL, c.missing);
	return 0;
}

COMMAND(capture, struct capture_args,
	.summary = "copy every file memscope reads into a directory or archive --sysroot replays",
	.flags = CMD_SYSROOT | CMD_OUTPUT);
