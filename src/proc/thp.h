/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Transparent huge pages as /sys/kernel/mm/transparent_hugepage shows them
 * (Documentation/admin-guide/mm/transhuge.rst): the policy files ("always [madvise] never",
 * the word in brackets is the one in force), khugepaged's knobs and counters, and, since
 * Linux 6.8, one directory per multi-size THP size (hugepages-64kB/) with its own policy and,
 * since 6.9, its stats/ counters. */
#ifndef MEMSCOPE_PROC_THP_H
#define MEMSCOPE_PROC_THP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"
#include "proc/sysroot.h"

/* The word in force of a policy file: the bracketed one of "always [madvise] never", or the
 * file's only word ("1"). Copied into @sel (at most @size - 1 bytes). Returns 0 or -EINVAL
 * with @err naming the file and why. */
int thp_choice_parse(const char *data, size_t len, const char *file, char *sel, size_t size,
		     struct ms_error *err);

/* khugepaged/: its knobs, then its counters */
enum thp_khugepaged {
	KH_PAGES_TO_SCAN, KH_SCAN_SLEEP, KH_ALLOC_SLEEP, KH_MAX_PTES_NONE, KH_MAX_PTES_SWAP,
	KH_MAX_PTES_SHARED, KH_DEFRAG, KH_FULL_SCANS, KH_PAGES_COLLAPSED, KH_N
};
const char *thp_khugepaged_name(enum thp_khugepaged k); /* the file's name */

/* An mTHP size's stats/ counters (mm/huge_memory.c), every one Linux 6.18 has, in the order
 * memscope shows them */
enum thp_stat {
	TS_NR_ANON, TS_NR_ANON_PARTIAL, TS_ANON_FAULT_ALLOC, TS_ANON_FAULT_FALLBACK,
	TS_ANON_FAULT_FALLBACK_CHARGE, TS_ANON_FAULT_DECLINED, TS_SPLIT, TS_SPLIT_FAILED,
	TS_SPLIT_DEFERRED, TS_SWPOUT, TS_SWPOUT_FALLBACK, TS_ZSWPOUT, TS_SWPIN, TS_SWPIN_FALLBACK, TS_SWPIN_FALLBACK_CHARGE,
	TS_SHMEM_ALLOC, TS_SHMEM_FALLBACK, TS_SHMEM_FALLBACK_CHARGE, TS_N
};
const char *thp_stat_name(enum thp_stat s); /* the file's name: "nr_anon", ... */

#define THP_WORD 24
struct thp_size {
	uint64_t size; /* bytes, from the directory's name */
	char enabled[THP_WORD], shmem[THP_WORD]; /* "" when the file is not there */
	uint64_t st[TS_N];
	bool has[TS_N];
};
#define THP_SIZES 20

struct thp {
	bool present; /* the directory is there (a kernel with CONFIG_TRANSPARENT_HUGEPAGE) */
	char enabled[THP_WORD], defrag[THP_WORD], shmem_enabled[THP_WORD]; /* "": not there */
	uint64_t use_zero_page, pmd_size;
	bool has_use_zero_page, has_pmd_size;
	uint64_t kh[KH_N];
	bool has_kh[KH_N];
	struct thp_size sizes[THP_SIZES]; /* smallest first */
	int n_sizes;
};

/* Read sys/kernel/mm/transparent_hugepage under @sr into @t; a file it lacks is left out (an
 * older kernel), a missing directory is t->present false. Returns 0 or -errno with @err naming
 * the file and line. */
int thp_read(const struct sysroot *sr, struct thp *t, struct ms_error *err);

#endif
