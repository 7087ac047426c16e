/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The live process table through libproc2's pids API. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


#include "lib/dlib.h"
#include "sys/procs.h"

/* PF_KTHREAD (include/linux/sched.h): a kernel thread, without an address space */
#define PF_KTHREAD 0x00200000ul

/* The smaps_rollup items, in enum pm_field's order */
#define SMAP_ITEM(id, key, item) [id] = item,
static const enum pids_item smap_items[PM_NFIELDS] = {PM_FIELDS(SMAP_ITEM)};

/* The fixed items, first in the list, then the smaps ones (at I_SMAP) */
enum { I_PID, I_EUID, I_CMD, I_FLAGS, I_FLT_MIN, I_FLT_MAJ, I_CMDLINE, I_CGROUP, I_SMAP };

/* libproc2 gives a process whose smaps_rollup it could not read zeros, as it gives one that
 * holds nothing: a process with an address space always maps something, so zeros ask why.
 * Opening the file again tells: refused (ptrace access), gone, or not in this kernel. */
static enum procs_miss why_zero(int pid)
{
	char path[48];
	snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == EACCES || errno == EPERM)
			return PROCS_DENIED;
		snprintf(path, sizeof(path), "/proc/%d", pid);
		return access(path, F_OK) ? PROCS_GONE : PROCS_NO_ROLLUP;
	}
	char c;
	ssize_t r = read(fd, &c, 1);
	int e = errno;
	close(fd);
	if (r < 0 && (e == EACCES || e == EPERM))
		return PROCS_DENIED;
	/* ESRCH: the address space went (an exiting process, a zombie) */
	return r <= 0 ? PROCS_GONE : PROCS_READ;
}

static int copy_entry(struct pids_stack *s, unsigned want, struct procs_entry *e)
{
	struct procmem *p = &e->m;
	memset(e, 0, sizeof(*e));
	p->pid = PIDS_VAL(I_PID, s_int, s, NULL);
	p->uid = PIDS_VAL(I_EUID, u_int, s, NULL);
	p->have_uid = true;
	snprintf(p->comm, sizeof(p->comm), "%s", PIDS_VAL(I_CMD, str, s, NULL));
	p->kthread = PIDS_VAL(I_FLAGS, ul_int, s, NULL) & PF_KTHREAD;
	p->minflt = PIDS_VAL(I_FLT_MIN, ul_int, s, NULL);
	p->majflt = PIDS_VAL(I_FLT_MAJ, ul_int, s, NULL);
	p->have_faults = true;
	if (want & PMW_CMDLINE) {
		/* the arguments as they are (libproc2's PIDS_CMDLINE edits them): joined by
		 * spaces, escaped when printed, as a dump's are */
		char **argv = PIDS_VAL(I_CMDLINE, strv, s, NULL);
		size_t len = 0;
		for (size_t i = 0; argv && argv[i]; i++)
			len += strlen(argv[i]) + 1;
		/* libproc2 gives a process without arguments "-" as its one argument */
		if (argv && argv[0] && !argv[1] && !strcmp(argv[0], "-"))
			len = 0;
		if (len) {
			if (!(p->cmdline = malloc(len)))
				return -ENOMEM;
			char *o = p->cmdline;
			for (size_t i = 0; argv[i]; i++)
				o += sprintf(o, "%s%s", i ? " " : "", argv[i]);
		}
	}
	if (want & PMW_CGROUP) {
		char **cg = PIDS_VAL(I_CGROUP, strv, s, NULL);
		for (size_t i = 0; cg && cg[i]; i++)
			if (procmem_cgroup_line(p, cg[i]) == -ENOMEM)
				return -ENOMEM;
	}
	if (!(want & PMW_MEM) || p->kthread)
		return 0;
	for (int f = 0; f < PM_NFIELDS; f++) {
		p->v[f] = (uint64_t)PIDS_VAL(I_SMAP + f, ul_int, s, NULL) * 1024;
		p->have |= 1u << f;
	}
	p->source = PM_ROLLUP;
	if (!p->v[PM_RSS] && !p->v[PM_SWAP] && (e->miss = why_zero(p->pid)) != PROCS_READ)
		p->source = PM_NONE;
	return 0;
}

int procs_read(unsigned want, const int *pids, size_t npids, struct procs_entry **v, size_t *n,
	       struct ms_error *err)
{
	*v = NULL;
	*n = 0;
	int loaded = dlib_proc2("reading the live process table", err);
	if (loaded)
		return loaded;
	enum pids_item items[I_SMAP + PM_NFIELDS] = {
		[I_PID] = PIDS_ID_PID,	      [I_EUID] = PIDS_ID_EUID,
		[I_CMD] = PIDS_CMD,	      [I_FLAGS] = PIDS_FLAGS,
		[I_FLT_MIN] = PIDS_FLT_MIN,   [I_FLT_MAJ] = PIDS_FLT_MAJ,
		/* an item that reads nothing stands in for one not wanted */
		[I_CMDLINE] = PIDS_noop,      [I_CGROUP] = PIDS_noop,
	};
	if (want & PMW_CMDLINE)
		items[I_CMDLINE] = PIDS_CMDLINE_V;
	if (want & PMW_CGROUP)
		items[I_CGROUP] = PIDS_CGROUP_V;
	int nitems = I_SMAP;
	if (want & PMW_MEM)
		for (int f = 0; f < PM_NFIELDS; f++)
			items[nitems++] = smap_items[f];
	struct pids_info *info = NULL;
	int e = sym_procps_pids_new(&info, items, nitems);
	if (e < 0)
		return ms_say(err, e, "libproc2: cannot set up the process table: %s", strerror(-e));
	struct pids_fetch *f;
	if (pids) {
		unsigned *sel = malloc((npids ? npids : 1) * sizeof(*sel));
		if (!sel) {
			sym_procps_pids_unref(&info);
			return ms_say(err, -ENOMEM, "out of memory");
		}
		for (size_t i = 0; i < npids; i++)
			sel[i] = (unsigned)pids[i];
		f = sym_procps_pids_select(info, sel, (int)npids, PIDS_SELECT_PID);
		free(sel);
	} else {
		f = sym_procps_pids_reap(info, PIDS_FETCH_TASKS_ONLY);
	}
	if (!f) {
		e = errno ? -errno : -ENOMEM;
		sym_procps_pids_unref(&info);
		return ms_say(err, e, "libproc2: cannot read the process table: %s", strerror(-e));
	}
	int total = f->counts->total;
	struct procs_entry *out = calloc(total ? (size_t)total : 1, sizeof(*out));
	size_t k = 0;
	e = out ? 0 : -ENOMEM;
	for (int i = 0; !e && i < total; i++) {
		e = copy_entry(f->stacks[i], want, &out[k]);
		if (e || out[k].m.kthread)
			procmem_clear(&out[k].m);
		else
			k++;
	}
	sym_procps_pids_unref(&info);
	if (e) {
		procs_free(out, k);
		return ms_say(err, e, "cannot read the process table: out of memory");
	}
	*v = out;
	*n = k;
	return 0;
}

void procs_free(struct procs_entry *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		procmem_clear(&v[i].m);
	free(v);
}
