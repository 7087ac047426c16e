/* SPDX-License-Identifier: GPL-2.0-or-later */
/* /proc/PID/numa_maps (fs/proc/task_mmu.c show_numa_map()): per mapping its policy, what it
 * maps (file=, heap, stack, huge) and its pages per node (N<n>=), counted in the mapping's
 * kernelpagesize_kB: a hugetlb mapping's N0=3 are three huge pages of its own size. Summed per
 * node into anon, file and huge bytes. */
#ifndef MEMSCOPE_PROC_NUMAMAPS_H
#define MEMSCOPE_PROC_NUMAMAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"

#define NUMA_MAPS_NODES 1024

struct numa_usage {
	/* bytes per node: hugetlb mappings ("huge"), file mappings (file=, not huge), the rest
	 * (anonymous, heap, stack, shared memory without a file) */
	uint64_t huge[NUMA_MAPS_NODES], file[NUMA_MAPS_NODES], anon[NUMA_MAPS_NODES];
	unsigned nodes; /* highest node seen + 1 */
	uint64_t mappings, huge_sizes_seen; /* huge_sizes_seen: bit k set for 2^k-byte pages */
};

/* Parse @len bytes of numa_maps into @u (zeroed first). Returns 0 or -EINVAL (-ENOMEM) with
 * @err naming the line; an empty file (a kernel thread, an exited process) is 0 mappings. */
int numa_maps_parse(const char *data, size_t len, const char *file, struct numa_usage *u,
		    struct ms_error *err);

#endif
