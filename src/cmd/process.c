/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared by maps, translate and phys: a process's mappings, paging, a frame's physical facts. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/process.h"
#include "decode/kpageflags.h"
#include "decode/layout.h"
#include "lib/escape.h"
#include "lib/units.h"
#include "proc/kpage.h"
#include "proc/text.h"
#include "sys/caps.h"
#include "sys/msg.h"

uint64_t rec_page_table(struct record *r, const struct paging *p, uint64_t vaddr,
			const char *title, bool offset_apart)
{
	unsigned idx[PGTABLE_MAX_LEVELS];
	uint64_t off;
	paging_indices(p, vaddr, idx, &off);
	rec_group(r, "page_table", title);
	for (unsigned i = 0; i < p->levels; i++)
		rec_u64(r, p->level[i].name, p->level[i].name, idx[i]);
	if (offset_apart)
		rec_group_break(r, "offset");
	rec_hex(r, "offset", offset_apart ? "" : "offset", off);
	rec_group_end(r);
	return off;
}

int pid_check(const char *s)
{
	if (!strcmp(s, "self"))
		return 0;
	uint64_t v;
	if (strspn(s, "0123456789") != strlen(s) || units_parse_u64(s, &v) || v == 0 ||
	    v > 4194304)
		return -EINVAL;
	return 0;
}

int process_open(struct ctx *ctx, const char *pid, struct process *p, struct ms_error *err)
{
	snprintf(p->pid, sizeof(p->pid), "%s", pid);
	int ret = task_open(&p->task, &ctx->root, pid, err);
	if (ret == -ENOENT)
		return ms_say(err, ret, "no process with pid %s", pid);
	if (ret)
		return ret;
	struct task_stat st;
	ret = task_stat_read(&p->task, &st, err);
	if (ret == -ENOENT && !task_live(&p->task)) {
		/* a dump without stat: nothing to tell a kernel thread or a zombie by but their
		 * empty maps (the kernel prints no line for a task without an mm) */
		if (task_maps_empty(&p->task)) {
			process_close(p);
			return ms_say(err, -ESRCH,
				      "process %s has no mappings in the dump: a kernel thread or a "
				      "zombie (the dump has no stat to tell)",
				      p->pid);
		}
		return 0;
	}
	if (ret == -ENOENT || ret == -ESRCH) {
		process_close(p);
		return ms_say(err, -ESRCH, "no process with pid %s", pid); /* reaped just now */
	}
	if (ret) {
		process_close(p);
		return ret;
	}
	if (task_live(&p->task))
		snprintf(p->pid, sizeof(p->pid), "%d", st.pid); /* "self" as its number */
	const char *why = NULL;
	/* a kernel thread has no mm: the kernel gives it empty maps and no pagemap */
	if (st.flags & TASK_PF_KTHREAD)
		why = "is a kernel thread: it has no user address space";
	/* exit_mm() has let its mm go before exit_notify() makes it a zombie */
	else if (st.state == 'Z' || st.state == 'X')
		why = "is a zombie: it has exited and its address space is gone";
	if (why) {
		ms_say(err, -ESRCH, "process %s %s", p->pid, why);
		process_close(p);
		return -ESRCH;
	}
	return 0;
}

void process_close(struct process *p)
{
	task_close(&p->task);
}

/* Word a failure (@ret, @err as the reader filled it) to read @p's mappings; returns @ret. */
static int maps_failed(const struct process *p, int ret, struct ms_error *err)
{
	bool live = task_live(&p->task);
	struct ms_error was = *err;
	if (live && ret == -ESRCH)
		ms_say(err, ret, "process %s %s", p->pid, was.reason); /* vanished mid-read */
	else if (live && ret == -ENOENT)
		ms_say(err, ret, "process %s exited before its mappings could be read", p->pid);
	else if (live && (ret == -EACCES || ret == -EPERM))
		/* the kernel's ptrace access check (PTRACE_MODE_READ_FSCREDS) said no */
		ms_say(err, ret,
		       "'%s': %s: the kernel lets only its owner (with the same credentials) or "
		       "CAP_SYS_PTRACE read another process's mappings",
		       was.file, strerror(-ret));
	return ret;
}

int process_read(const struct process *p, const char *file, struct buf *b, struct ms_error *err)
{
	int ret = task_read(&p->task, file, b, err);
	return ret ? maps_failed(p, ret, err) : 0;
}

int process_maps(const struct process *p, bool smaps, struct maps *m, struct ms_error *err)
{
	int ret = maps_read_task(&p->task, smaps, m, err);
	return ret ? maps_failed(p, ret, err) : 0;
}

/* Between maps_stream_task() and the caller's @fn: an error of @fn's is told from the
 * reader's, so it is not worded as a failure to read maps. */
struct stream_tramp {
	maps_fn fn;
	void *data;
	int fn_ret;
};

static int tramp(void *data, const struct vma *v)
{
	struct stream_tramp *t = data;
	return t->fn_ret = t->fn(t->data, v);
}

int process_maps_stream(const struct process *p, bool smaps, maps_fn fn, void *data,
			struct ms_error *err)
{
	struct stream_tramp t = {fn, data, 0};
	int ret = maps_stream_task(&p->task, smaps, tramp, &t, err);
	if (ret && t.fn_ret)
		return t.fn_ret;
	return ret ? maps_failed(p, ret, err) : 0;
}

int process_maps_access(const struct process *p, struct ms_error *err)
{
	int fd = task_openat(&p->task, "maps", err);
	if (fd < 0)
		return maps_failed(p, fd, err);
	close(fd);
	return 0;
}

int process_vanished(const struct process *p, const char *what, struct ms_error *err)
{
	return ms_say(err, -ESRCH, "process %s %s while %s", p->pid,
		      task_why_gone(&p->task) == TASK_EXECED ? "ran execve()" : "exited", what);
}

void paging_detect(struct ctx *ctx, struct paging *p)
{
	/* the machine's facts come from one place (proc/machine.c): 5 levels on x86_64 from
	 * VmallocTotal or la57, arm64's VA width from VmallocTotal or the stack */
	const struct machine_facts *f = ctx_machine(ctx);
	const char *arch = ctx_arch(ctx);
	unsigned ps = (unsigned)ctx_page_size(ctx);
	if (!strcmp(arch, "arm64")) {
		unsigned va = f->va_bits ? f->va_bits : layout_arm64_default_va(ps);
		if (paging_arm64(p, ps, va) && paging_arm64(p, ps, layout_arm64_default_va(ps)))
			paging_arm64(p, 4096, 48);
	} else if (!strcmp(arch, "i386")) {
		paging_i386(p, f->levels == 3);
	} else if (!strcmp(arch, "arm")) {
		paging_arm(p);
	} else {
		paging_x86_64(p, f->levels == 5 ? 5 : 4);
	}
}

void physctx_open(struct ctx *ctx, struct physctx *pc, uint64_t page_size)
{
	memset(pc, 0, sizeof(*pc));
	pc->page_size = page_size;
	pc->dump = ctx->root.dir != NULL;
	pc->io_errno = -iomem_read(&ctx->root, &pc->io, NULL);
	pc->have_io = pc->io_errno == 0 && !pc->io.hidden;
	pc->have_zi = zoneinfo_read(&ctx->root, &pc->zi, NULL) == 0;
	pc->flags_fd = kpage_open(&ctx->root, "proc/kpageflags", &pc->flags_errno);
	pc->count_fd = kpage_open(&ctx->root, "proc/kpagecount", &pc->count_errno);
}

void physctx_close(struct physctx *pc)
{
	iomem_free(&pc->io);
	zoneinfo_free(&pc->zi);
	if (pc->flags_fd >= 0)
		close(pc->flags_fd);
	if (pc->count_fd >= 0)
		close(pc->count_fd);
}

/* Why a frame has no iomem region, worded for where the files come from */
static const char *io_why(const struct physctx *pc)
{
	if (pc->have_io)
		return "(no region)";
	/* zeroed: the opener lacked CAP_SYS_ADMIN (r_show(), kernel/resource.c) */
	if (pc->io_errno == 0 && pc->io.hidden)
		return pc->dump ? "(hidden in the dump)" : "(hidden: reading it needs CAP_SYS_ADMIN)";
	if (pc->dump && pc->io_errno == ENOENT)
		return "(missing from the dump)";
	return pc->dump ? "(iomem unreadable in the dump)" : "(iomem not readable)";
}

/* A page of a THP folio: the folio's size and kind, as --all and --len count them. The frames
 * around it tell where the folio starts and ends (kpage_folio_pages()); the size is a THP's
 * (PMD-sized or larger) or an mTHP's (multi-size THP, admin-guide/mm/transhuge.rst). Adds
 * "folio" to @r and returns the note, or NULL when it is no THP or the folio cannot be read. */
static const char *folio_explain(const struct physctx *pc, uint64_t pfn, uint64_t flags,
				 struct record *r, char *buf, size_t size)
{
	/* the huge zero page is one of a kind, and explained as such */
	if (!kpageflags_thp(flags) || flags >> KPF_ZERO_PAGE & 1 || pc->flags_fd < 0)
		return NULL;
	uint64_t *scratch = malloc(KPAGE_BATCH * sizeof(*scratch));
	uint64_t pages = 0;
	bool head = flags >> KPF_COMPOUND_HEAD & 1;
	int e = scratch ? kpage_folio_pages(pc->flags_fd, pfn, 1, head, &pages, scratch) : -ENOMEM;
	free(scratch);
	if (e || !pages)
		return NULL;
	unsigned order = kpageflags_order(pages), pmd = kpageflags_pmd_order(pc->page_size);
	uint64_t bytes = pages * pc->page_size;
	bool thp = order >= pmd;
	rec_group(r, "folio", "folio");
	rec_size(r, "size", "", bytes);
	rec_u64(r, "order", "order", order);
	rec_str(r, "kind", "", thp ? "thp" : "mthp");
	rec_group_end(r);
	char sz[32], pmd_sz[32];
	units_human(bytes, sz, sizeof(sz));
	units_human(pc->page_size << pmd, pmd_sz, sizeof(pmd_sz));
	if (thp)
		snprintf(buf, size, "%s page of a %s transparent huge page (%s)", head ? "head" : "tail",
			 sz, order == pmd ? "PMD-sized" : "larger than a PMD");
	else
		snprintf(buf, size, "%s page of a %s mTHP folio (multi-size THP, smaller than a %s PMD)",
			 head ? "head" : "tail", sz, pmd_sz);
	return buf;
}

void physctx_record(const struct physctx *pc, struct record *r, uint64_t pfn, uint64_t offset,
		    uint64_t flags, uint64_t count)
{
	uint64_t paddr = pfn * pc->page_size + offset;
	rec_hex(r, "pfn", "frame", pfn);
	rec_addr(r, "paddr", "physical", paddr);
	long chain[16];
	size_t n = pc->have_io ? iomem_find(&pc->io, paddr, chain, 16) : 0;
	if (n) {
		/* the innermost region, and the chain in text */
		rec_str(r, "iomem", "iomem", pc->io.v[chain[n - 1]].name);
	} else {
		rec_null(r, "iomem", "iomem", io_why(pc));
	}
	const struct zone *z = pc->have_zi ? zoneinfo_find(&pc->zi, pfn) : NULL;
	if (z) {
		rec_str(r, "zone", "zone", z->name);
		rec_u64(r, "node", "node", z->node);
	} else {
		rec_null(r, "zone", "zone", "-");
		rec_null(r, "node", "node", "-");
	}
	if (flags != UINT64_MAX) {
		const char *names[64];
		char scratch[64][8];
		size_t k = kpageflags_names(flags, names, 64, scratch);
		rec_words(r, "flags", "flags", names, k < 64 ? k : 64);
		char folio[160];
		const char *why = folio_explain(pc, pfn, flags, r, folio, sizeof(folio));
		if (!why)
			why = kpageflags_explain(flags);
		if (why)
			rec_note(r, why);
	} else {
		rec_null(r, "flags", "flags",
			 pc->dump && pc->flags_errno == ENOENT ? "(missing from the dump)"
							       : "(kpageflags not readable)");
	}
	if (count != UINT64_MAX)
		rec_u64(r, "mapcount", "map count", count);
	else
		rec_null(r, "mapcount", "map count",
			 pc->dump && pc->count_errno == ENOENT ? "(missing from the dump)"
							       : "(kpagecount not readable)");
}

/* The line pmap prints before a process's table: "PID:   COMMAND LINE" (the command line
 * escaped for the terminal; in JSON as it is); the command line's NULs become spaces, and a
 * process without one (a dump that lacks it) gets the pid alone. */
void process_header(struct ctx *ctx, const struct process *p, bool text)
{
	char cmd[4096];
	size_t len = task_cmdline(&p->task, cmd, sizeof(cmd));
	struct out *o = &ctx->out;
	if (text && out_shows(o, SHOW_TEXT)) {
		char *esc = escape_dup(cmd);
		out_printf(o, "%s:%s%s\n", p->pid, len ? "   " : "", esc ? esc : "");
		free(esc);
	}
	if (strcmp(p->pid, "self"))
		out_i64(o, SHOW_JSON, "pid", NULL, atoll(p->pid));
	else
		out_null(o, SHOW_JSON, "pid", NULL);
	out_str(o, SHOW_JSON, "command", NULL, len ? cmd : NULL);
}
