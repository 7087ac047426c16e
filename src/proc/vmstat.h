/* SPDX-License-Identifier: GPL-2.0-or-later */
/* /proc/vmstat: "name value" counters; memscope keeps the ones about compaction and
 * high-order allocation failures, and every counter about huge pages. */
#ifndef MEMSCOPE_PROC_VMSTAT_H
#define MEMSCOPE_PROC_VMSTAT_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/error.h"
#include "lib/xlist.h"
#include "proc/sysroot.h"

#define VMSTAT_COUNTERS(X)                                                                        \
	X(VM_COMPACT_STALL, "compact_stall")                                                      \
	X(VM_COMPACT_FAIL, "compact_fail")                                                        \
	X(VM_COMPACT_SUCCESS, "compact_success")                                                  \
	X(VM_THP_FAULT_FALLBACK, "thp_fault_fallback")                                            \
	X(VM_HTLB_BUDDY_ALLOC_FAIL, "htlb_buddy_alloc_fail")                                      \
	X(VM_ALLOCSTALL, "allocstall") /* allocstall_* summed (allocstall before 4.8) */
enum vmstat_counter { VMSTAT_COUNTERS(XLIST_ENUM) VM_NCOUNTERS };

/* The counters about huge pages (thp_*, htlb_*, nr_*hugepages*), every one the file has, in
 * its order: memscope hugepages shows them all */
#define VM_HUGE_MAX 64
#define VM_NAME_MAX 48

struct vmstat {
	uint64_t v[VM_NCOUNTERS];
	bool has[VM_NCOUNTERS];
	char huge_name[VM_HUGE_MAX][VM_NAME_MAX];
	uint64_t huge_v[VM_HUGE_MAX];
	size_t n_huge;
};

/* The counter's name as the kernel prints it (allocstall for the sum). */
const char *vmstat_name(enum vmstat_counter c);

int vmstat_parse(const char *data, size_t len, const char *file, struct vmstat *vs,
		 struct ms_error *err);
int vmstat_read(const struct sysroot *sr, struct vmstat *vs, struct ms_error *err);

#endif
