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
#include "lib/xlist.h"
#include "proc/sysroot.h"

/* The word in force of a policy file: the bracketed one of "always [madvise] never", or the
 * file's only word ("1"). Copied into @sel (at most @size - 1 bytes). Returns 0 or -EINVAL
 * with @err naming the file and why. */
int thp_choice_parse(const char *data, size_t len, const char *file, char *sel, size_t size,
		     struct ms_error *err);

/* khugepaged/: its knobs, then its counters */
#define THP_KHUGEPAGED(X)                                                                         \
	X(KH_PAGES_TO_SCAN, "pages_to_scan")                                                      \
	X(KH_SCAN_SLEEP, "scan_sleep_millisecs")                                                  \
	X(KH_ALLOC_SLEEP, "alloc_sleep_millisecs")                                                \
	X(KH_MAX_PTES_NONE, "max_ptes_none")                                                      \
	X(KH_MAX_PTES_SWAP, "max_ptes_swap")                                                      \
	X(KH_MAX_PTES_SHARED, "max_ptes_shared")                                                  \
	X(KH_DEFRAG, "defrag")                                                                    \
	X(KH_FULL_SCANS, "full_scans")                                                            \
	X(KH_PAGES_COLLAPSED, "pages_collapsed")
enum thp_khugepaged { THP_KHUGEPAGED(XLIST_ENUM) KH_N };
const char *thp_khugepaged_name(enum thp_khugepaged k); /* the file's name */

/* An mTHP size's stats/ counters (mm/huge_memory.c), every one Linux 6.18 has, in the order
 * memscope shows them */
#define THP_STATS(X)                                                                              \
	X(TS_NR_ANON, "nr_anon")                                                                  \
	X(TS_NR_ANON_PARTIAL, "nr_anon_partially_mapped")                                         \
	X(TS_ANON_FAULT_ALLOC, "anon_fault_alloc")                                                \
	X(TS_ANON_FAULT_FALLBACK, "anon_fault_fallback")                                          \
	X(TS_ANON_FAULT_FALLBACK_CHARGE, "anon_fault_fallback_charge")                            \
	X(TS_ANON_FAULT_DECLINED, "anon_fault_declined")                                          \
	X(TS_SPLIT, "split")                                                                      \
	X(TS_SPLIT_FAILED, "split_failed")                                                        \
	X(TS_SPLIT_DEFERRED, "split_deferred")                                                    \
	X(TS_SWPOUT, "swpout")                                                                    \
	X(TS_SWPOUT_FALLBACK, "swpout_fallback")                                                  \
	X(TS_ZSWPOUT, "zswpout")                                                                  \
	X(TS_SWPIN, "swpin")                                                                      \
	X(TS_SWPIN_FALLBACK, "swpin_fallback")                                                    \
	X(TS_SWPIN_FALLBACK_CHARGE, "swpin_fallback_charge")                                      \
	X(TS_SHMEM_ALLOC, "shmem_alloc")                                                          \
	X(TS_SHMEM_FALLBACK, "shmem_fallback")                                                    \
	X(TS_SHMEM_FALLBACK_CHARGE, "shmem_fallback_charge")
enum thp_stat { THP_STATS(XLIST_ENUM) TS_N };
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
