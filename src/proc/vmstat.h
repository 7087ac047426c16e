/* SPDX-License-Identifier: GPL-2.0-or-later */
/* /proc/vmstat: "name value" counters; memscope keeps the ones about compaction and
 * high-order allocation failures, and every counter about huge pages. */
#ifndef MEMSCOPE_PROC_VMSTAT_H
#define MEMSCOPE_PROC_VMSTAT_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/error.h"
#include "proc/sysroot.h"

enum vmstat_counter {
	VM_COMPACT_STALL,
	VM_COMPACT_FAIL,
	VM_COMPACT_SUCCESS,
	VM_THP_FAULT_FALLBACK,
	VM_HTLB_BUDDY_ALLOC_FAIL,
	VM_ALLOCSTALL, /* allocstall_* summed (allocstall before 4.8) */
	VM_NCOUNTERS
};

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
