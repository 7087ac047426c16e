/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One process's share of memory as procs counts it: the record both readers fill, proc/'s
 * parsers from a dump's files and sys/procs.c from libproc2 on the live system. */
#ifndef MEMSCOPE_LIB_PROCMEM_H
#define MEMSCOPE_LIB_PROCMEM_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "lib/xlist.h"

/* The memory fields of smaps_rollup (fs/proc/task_mmu.c __show_smap(), show_smaps_rollup()),
 * in bytes. */
/* Each row: the field, its key as the kernel spells it, and the libproc2 item (enum
 * pids_item) that reads it live (sys/procs.c; tokens only here, libproc2 is not included). */
#define PM_FIELDS(X)                                                                              \
	X(PM_RSS, "Rss", PIDS_SMAP_RSS)                                                           \
	X(PM_PSS, "Pss", PIDS_SMAP_PSS)                                                           \
	X(PM_PSS_ANON, "Pss_Anon", PIDS_SMAP_PSS_ANON) /* rollup only (Linux 5.6+) */             \
	X(PM_PSS_FILE, "Pss_File", PIDS_SMAP_PSS_FILE)                                            \
	X(PM_PSS_SHMEM, "Pss_Shmem", PIDS_SMAP_PSS_SHMEM)                                         \
	X(PM_SHARED_CLEAN, "Shared_Clean", PIDS_SMAP_SHR_CLEAN)                                   \
	X(PM_SHARED_DIRTY, "Shared_Dirty", PIDS_SMAP_SHR_DIRTY)                                   \
	X(PM_PRIVATE_CLEAN, "Private_Clean", PIDS_SMAP_PRV_CLEAN)                                 \
	X(PM_PRIVATE_DIRTY, "Private_Dirty", PIDS_SMAP_PRV_DIRTY)                                 \
	X(PM_ANON_HUGE, "AnonHugePages", PIDS_SMAP_HUGE_ANON)                                     \
	X(PM_SWAP, "Swap", PIDS_SMAP_SWAP)                                                        \
	X(PM_SWAP_PSS, "SwapPss", PIDS_SMAP_SWAP_PSS) /* Linux 4.3+ */                            \
	X(PM_LOCKED, "Locked", PIDS_SMAP_LOCKED)
enum pm_field { PM_FIELDS(XLIST_ENUM) PM_NFIELDS };

/* Where a process's memory figures came from. */
enum pm_source {
	PM_NONE,   /* not read: unreadable, or a file at fault */
	PM_ROLLUP, /* smaps_rollup */
	PM_SMAPS,  /* the sum of smaps' mappings (no smaps_rollup: before Linux 4.14) */
	PM_STATUS, /* status alone (a dump without smaps): RSS, swap and locked only */
};

struct procmem {
	int pid;
	uint32_t uid;		/* effective; valid when have_uid */
	bool have_uid;
	bool kthread;		/* a kernel thread: no address space, not listed */
	bool thread;		/* not a thread group's leader (status' Tgid): not listed */
	enum pm_source source;
	uint64_t v[PM_NFIELDS]; /* bytes */
	uint32_t have;		/* bit per enum pm_field: the file gave it */
	uint64_t minflt, majflt;
	bool have_faults;
	char comm[64];	 /* stat's comm or status' Name, raw bytes (escape before printing) */
	char *cmdline;	 /* arguments joined by spaces, raw; NULL or "" when none */
	char *cgroup;	 /* the cgroup v2 path ("/user.slice/..."), else v1's memory one; NULL */
	bool cgroup_v2;
};

static inline bool pm_has(const struct procmem *p, enum pm_field f)
{
	return p->source != PM_NONE && (p->have >> f & 1);
}

/* The memory a process holds alone: Private_Clean + Private_Dirty (USS). */
static inline uint64_t procmem_uss(const struct procmem *p)
{
	return p->v[PM_PRIVATE_CLEAN] + p->v[PM_PRIVATE_DIRTY];
}

/* What procs needs of each process (the columns and options asked for decide). */
enum pm_want {
	PMW_MEM = 1 << 0,     /* smaps_rollup */
	PMW_OWNER = 1 << 1,   /* status: uid (and Name when there is no stat) */
	PMW_FAULTS = 1 << 2,  /* stat */
	PMW_CMDLINE = 1 << 3, /* cmdline */
	PMW_CGROUP = 1 << 4,  /* cgroup */
};

/* Take one line of proc/PID/cgroup ("ID:CONTROLLERS:PATH") into @p's cgroup: the v2 path
 * ("0::/path"), or the v1 memory controller's, which wins on a hybrid system. Returns 0,
 * -EINVAL (no two colons) or -ENOMEM. */
int procmem_cgroup_line(struct procmem *p, const char *line);

static inline void procmem_clear(struct procmem *p)
{
	free(p->cmdline);
	free(p->cgroup);
	p->cmdline = p->cgroup = NULL;
}

#endif
