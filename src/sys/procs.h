/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The live process table through libproc2 (procps-ng): every process's pid, owner, name,
 * faults and smaps_rollup figures in one pass (lib/procmem.h's record). A dump is read by
 * proc/procmem.c instead: libproc2 opens the live /proc only. */
#ifndef MEMSCOPE_SYS_PROCS_H
#define MEMSCOPE_SYS_PROCS_H

#include <stddef.h>

#include "lib/error.h"
#include "lib/procmem.h"

/* Why a live process's memory was not read (libproc2 leaves its figures at zero). */
enum procs_miss {
	PROCS_READ,	 /* read */
	PROCS_DENIED,	 /* smaps_rollup refused: another user's process (ptrace access) */
	PROCS_GONE,	 /* exited between the listing and the read */
	PROCS_NO_ROLLUP, /* no smaps_rollup (before Linux 4.14): read smaps instead */
};

struct procs_entry {
	struct procmem m;
	enum procs_miss miss;
};

/* The processes, kernel threads left out, with what @want (enum pm_want) asks; @pids (@npids
 * of them, or NULL for every process) selects. *@v is malloc'd, each entry's strings too
 * (procs_free()). Returns 0 or -errno with @err filled. */
int procs_read(unsigned want, const int *pids, size_t npids, struct procs_entry **v, size_t *n,
	       struct ms_error *err);
void procs_free(struct procs_entry *v, size_t n);

#endif
