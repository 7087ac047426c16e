/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The NUMA nodes of /sys/devices/system/node (drivers/base/node.c): each node's meminfo,
 * numastat counters, distances, CPUs and huge page pools, read through the sysroot. A kernel
 * without NUMA (or a dump without the directory) has none: the caller falls back to
 * /proc/meminfo as one node. */
#ifndef MEMSCOPE_PROC_NODE_H
#define MEMSCOPE_PROC_NODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"
#include "proc/meminfo.h"
#include "proc/sysroot.h"

/* numastat's counters (pages), in the kernel's order. */
enum numastat_counter {
	NS_HIT, NS_MISS, NS_FOREIGN, NS_INTERLEAVE, NS_LOCAL, NS_OTHER, NS_N
};
const char *numastat_name(enum numastat_counter c); /* "numa_hit", ... */

struct numastat {
	uint64_t v[NS_N];
	bool has[NS_N];
};

/* "name value" lines; names memscope does not know are passed over. Returns 0 or -EINVAL
 * (-ENOMEM) with @err naming the line. */
int numastat_parse(const char *data, size_t len, const char *file, struct numastat *ns,
		   struct ms_error *err);

#define NODE_MAX_DIST 1024
/* A node's distance line: "10 21 ..." one number per node. Returns the count or -EINVAL. */
int node_distance_parse(const char *data, size_t len, const char *file, unsigned *v, size_t max,
			struct ms_error *err);

/* A cpulist ("0-23,48-71", "" for a node without CPUs) checked and copied into @buf without
 * its newline. Returns 0 or -EINVAL naming the file. */
int node_cpulist_parse(const char *data, size_t len, const char *file, char *buf, size_t size,
		       struct ms_error *err);

/* A hugetlb pool of one page size, on one node or the whole machine */
struct hugepool {
	uint64_t page_size; /* bytes, from the directory's name "hugepages-2048kB" */
	uint64_t nr, free, surplus;
	/* the machine's pools only (/sys/kernel/mm/hugepages): */
	uint64_t resv, overcommit;
	bool has_resv, has_overcommit;
};
#define HUGEPOOL_MAX 8

/* The pools under @dir ("sys/devices/system/node/node0/hugepages", "sys/kernel/mm/hugepages"),
 * smallest size first, into @v (at most HUGEPOOL_MAX). A missing directory is no pools (0).
 * Returns the count or -errno with @err naming the file. */
int hugepools_read(const struct sysroot *sr, const char *dir, struct hugepool *v,
		   struct ms_error *err);

struct node {
	unsigned id;
	struct meminfo mi;
	bool has_meminfo;
	struct numastat ns;
	bool has_numastat;
	unsigned *dist; /* distance to node k for k < n_dist (in the order of the node list) */
	size_t n_dist;
	char cpus[256];
	bool has_cpus;
	struct hugepool pools[HUGEPOOL_MAX];
	int n_pools;
};

/* The node numbers of sys/devices/system/node under @sr, in order, into *@ids (free() it).
 * Returns the count, 0 when the directory is missing (no NUMA), or -errno with @err. */
int node_list(const struct sysroot *sr, unsigned **ids, struct ms_error *err);
/* Read node @id: meminfo, numastat, distance, cpulist and hugepages, each when present
 * (has_meminfo, has_numastat, n_dist, has_cpus, n_pools say which were).
 * Returns 0 or -errno with @err naming the file and line. */
int node_read(const struct sysroot *sr, unsigned id, struct node *n, struct ms_error *err);
void node_free(struct node *n);

#endif
