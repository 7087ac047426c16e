/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The memory blocks of /sys/devices/system/memory (drivers/base/memory.c, memory hotplug): the
 * block size, each memoryN's state, node, valid zones, removable, phys_device and, where the
 * kernel has it, memmap_on_memory; and their merging into ranges as lsmem(1) does it. */
#ifndef MEMSCOPE_PROC_MEMBLOCK_H
#define MEMSCOPE_PROC_MEMBLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"
#include "proc/sysroot.h"

#define MEMBLOCK_DIR "sys/devices/system/memory"

/* memoryN/state as the kernel prints it (state_show(): "online", "offline", "going-offline") */
enum mb_state { MB_ONLINE, MB_OFFLINE, MB_GOING_OFFLINE };
/* the zones valid_zones names (include/linux/mmzone.h's zone_names[], and "none" for an online
 * block that spans more than one zone, which cannot be offlined) */
enum mb_zone { MBZ_DMA, MBZ_DMA32, MBZ_NORMAL, MBZ_HIGHMEM, MBZ_MOVABLE, MBZ_DEVICE, MBZ_NONE,
	       MBZ_N };
#define MB_MAX_ZONES MBZ_N

struct memblock {
	uint64_t index;	     /* N of memoryN: the block starts at N x the block size */
	enum mb_state state;
	int node;	     /* its nodeN link (or node/nodeN/memoryN's), -1: none */
	bool has_zones;	     /* valid_zones was there */
	unsigned nzones;
	unsigned char zones[MB_MAX_ZONES]; /* enum mb_zone, in the kernel's order */
	bool has_removable, removable;
	bool has_phys_device;
	uint64_t phys_device;
	int memmap_on_memory; /* memoryN/memmap_on_memory where the kernel has it: 0 or 1; -1: not */
};

struct memblocks {
	uint64_t block_size; /* block_size_bytes */
	struct memblock *v;  /* in block order */
	size_t n;
	bool have_nodes, have_zones, have_removable, have_phys_device, have_memmap;
	uint64_t online, offline; /* bytes: online blocks; offline and going-offline ones */
	/* memory_hotplug.memmap_on_memory (sys/module/memory_hotplug/parameters): "Y", "N",
	 * "force", or "" when not there */
	char memmap_param[8];
};

/* Parsers of the files (bytes, as read whole; @file names them in errors, "FILE:LINE: reason"):
 * block_size_bytes (hex, no 0x; never 0), state (one of its three words) and valid_zones (zone
 * names separated by blanks, at most one of each, on one line). */
int memblock_parse_size(const char *data, size_t len, const char *file, uint64_t *v,
			struct ms_error *err);
int memblock_parse_state(const char *data, size_t len, const char *file, enum mb_state *s,
			 struct ms_error *err);
int memblock_parse_zones(const char *data, size_t len, const char *file, struct memblock *b,
			 struct ms_error *err);

/* Read every memoryN under @sr. Returns 0, or -errno with @err filled: -ENOENT when
 * sys/devices/system/memory (or its block_size_bytes) is not there, a file's fault with its
 * name and line. */
int memblocks_read(const struct sysroot *sr, struct memblocks *m, struct ms_error *err);
void memblocks_free(struct memblocks *m);

/* What may split neighbouring blocks into ranges (lsmem's --split): a range goes on while the
 * next block is the next by number and equal in each attribute asked for. */
enum {
	MB_SPLIT_STATE = 1 << 0,
	MB_SPLIT_REMOVABLE = 1 << 1,
	MB_SPLIT_NODE = 1 << 2,
	MB_SPLIT_ZONES = 1 << 3,
	MB_SPLIT_PHYS_DEVICE = 1 << 4,
	MB_SPLIT_MEMMAP = 1 << 5,
	MB_SPLIT_EACH = 1 << 6, /* every block a range of its own (lsmem --all) */
};
/* A range: blocks v[first] ... v[first + count - 1], numbered v[first].index on; its
 * attributes are its first block's (those not split by may differ within it, as in lsmem). */
struct mb_range {
	size_t first, count;
};
/* Merge @m's blocks by @split into @out (room for m->n ranges). Returns the number of
 * ranges. Nodes are compared only when the blocks have them, zones only when they have
 * valid_zones, as lsmem does. */
size_t memblocks_merge(const struct memblocks *m, unsigned split, struct mb_range *out);

/* "online", "offline", "going-offline"; a zone as lsmem spells it ("Normal", "None"). */
const char *mb_state_name(enum mb_state s);
const char *mb_zone_name(enum mb_zone z);

#endif
