/* SPDX-License-Identifier: GPL-2.0-or-later */
/* /proc/meminfo: every key the kernel prints, and the summary free(1) derives from them. */
#ifndef MEMSCOPE_PROC_MEMINFO_H
#define MEMSCOPE_PROC_MEMINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"
#include "proc/sysroot.h"

struct meminfo_entry {
	const char *key; /* as the kernel names it: "MemTotal", "Active(anon)" */
	uint64_t value;	 /* bytes when the kernel gave kB, else a count (HugePages_*) */
	bool bytes;
	unsigned long line;
};

struct meminfo {
	struct meminfo_entry *v; /* in file order; unknown keys kept */
	size_t n;
	char *text;
};

/* Parse "Key:   value [kB]" lines. Returns 0 or -EINVAL with @err naming the line. */
int meminfo_parse(const char *data, size_t len, const char *file, struct meminfo *mi,
		  struct ms_error *err);
/* A NUMA node's meminfo (/sys/devices/system/node/nodeN/meminfo): "Node N Key: value [kB]",
 * the same N on every line, given back in *@node. The keys as /proc/meminfo's. */
int meminfo_parse_node(const char *data, size_t len, const char *file, struct meminfo *mi,
		       long *node, struct ms_error *err);
int meminfo_read(const struct sysroot *sr, struct meminfo *mi, struct ms_error *err);
void meminfo_free(struct meminfo *mi);

/* The entry for @key, or NULL when the kernel did not print it (never a made-up 0). */
const struct meminfo_entry *meminfo_get(const struct meminfo *mi, const char *key);

/* free(1)'s numbers, computed as procps-ng 4 (library/meminfo.c) does, all in bytes. */
struct meminfo_summary {
	uint64_t total, used, free, shared, buffers, cache, buff_cache, available;
	uint64_t swap_total, swap_used, swap_free;
	bool has_high; /* LowTotal/HighTotal printed: a 32-bit kernel with HighMem support */
	uint64_t low_total, low_used, low_free, high_total, high_used, high_free;
};

/* Returns 0, or -EINVAL with @err when MemTotal is missing. */
int meminfo_summarize(const struct meminfo *mi, const char *file, struct meminfo_summary *s,
		      struct ms_error *err);

#endif
