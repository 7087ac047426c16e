/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A dump's processes, as procs counts them (lib/procmem.h): proc/PID/smaps_rollup (or, before
 * Linux 4.14, the sum of proc/PID/smaps; in a dump with neither, what proc/PID/status says),
 * the faults of proc/PID/stat, the owner and name of proc/PID/status, proc/PID/cmdline and
 * proc/PID/cgroup. sys/procs.c fills the same record from libproc2 on the live system. */
#ifndef MEMSCOPE_PROC_PROCMEM_H
#define MEMSCOPE_PROC_PROCMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"
#include "lib/procmem.h"
#include "proc/sysroot.h"

/* Parse smaps_rollup or smaps (@smaps: sum every mapping's fields) into @p's fields and source.
 * A line that is neither a mapping's header nor "Key: value" fails with its number; an
 * empty file is "empty file". Returns 0 or -errno with @err filled. */
int procmem_smaps_parse(const char *data, size_t len, const char *file, bool smaps,
			struct procmem *p, struct ms_error *err);

/* Parse status: Name, Uid (the effective one), and, when @mem, VmRSS, VmSwap and VmLck as
 * the figures of a process whose smaps the dump lacks. No Vm lines at all: a kernel thread.
 * Returns 0 or -errno with @err filled. */
int procmem_status_parse(const char *data, size_t len, const char *file, bool mem,
			 struct procmem *p, struct ms_error *err);

/* Parse stat's comm and fault counters (fields 10 and 12) and flags (PF_KTHREAD). */
int procmem_stat_parse(const char *data, size_t len, const char *file, struct procmem *p,
		       struct ms_error *err);

/* Parse cgroup: the v2 line ("0::/path") or else the v1 memory controller's. Returns 0 or
 * -errno with @err filled (a line without two colons). */
int procmem_cgroup_parse(const char *data, size_t len, const char *file, struct procmem *p,
			 struct ms_error *err);

/* The pids under proc/ of @sr, ascending, into *@pids (malloc'd). Returns 0 or -errno. */
int procmem_pids(const struct sysroot *sr, int **pids, size_t *n, struct ms_error *err);

/* Read process @pid of a dump: the files @want needs. A file at fault leaves the process
 * unread (source PM_NONE) with @err filled and returns -errno; a process whose directory is
 * missing is -ENOENT. */
int procmem_read(const struct sysroot *sr, int pid, unsigned want, struct procmem *p,
		 struct ms_error *err);

#endif
