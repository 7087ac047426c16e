/* SPDX-License-Identifier: GPL-2.0-or-later */
/* SLUB's /sys/kernel/slab/CACHE/ attributes (mm/slub.c), read one cache at a time and only
 * the attributes asked for: each is a file of its own, and 429 caches of six files cost what
 * the opens cost. */
#ifndef MEMSCOPE_PROC_SLABSYS_H
#define MEMSCOPE_PROC_SLABSYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"
#include "lib/xlist.h"
#include "proc/sysroot.h"

#define SLABSYS_ATTRS(X)                                                                          \
	X(SA_ORDER, "order")		 /* "%u": the slab's buddy order */                         \
	X(SA_OBJS_PER_SLAB, "objs_per_slab") /* "%u" */                                           \
	X(SA_OBJECT_SIZE, "object_size") /* "%u": the object as asked for (s->object_size) */      \
	X(SA_SLAB_SIZE, "slab_size") /* "%u": its slot, metadata and alignment included (size) */ \
	X(SA_PARTIAL, "partial")     /* "%lu[ N0=%lu ...]": slabs on the partial lists */          \
	X(SA_CPU_SLABS, "cpu_slabs") /* the same shape: slabs held by CPUs */                      \
	X(SA_ALIASES, "aliases")     /* "%d": caches merged into this one */                       \
	/* "%d": 1 for SLAB_RECLAIM_ACCOUNT (counted in SReclaimable) */                           \
	X(SA_RECLAIM_ACCOUNT, "reclaim_account")                                                  \
	X(SA_TOTAL_OBJECTS, "total_objects") /* the same shape as partial: objects in all slabs */
enum slabsys_attr { SLABSYS_ATTRS(XLIST_ENUM) SA_N };

#define SA_BIT(a) (1u << (a))
#define SA_ALL ((1u << SA_N) - 1)

struct slabsys {
	uint64_t v[SA_N];
	bool has[SA_N]; /* read (an attribute the kernel does not have is simply absent) */
};

/* The attribute's file name ("order"). */
const char *slabsys_name(enum slabsys_attr a);

/* Parse one attribute's text: a number, then for the counts per node " N0=5 N1=7" (the number
 * is their sum; they are checked, not kept). Returns 0 or -EINVAL/-ERANGE with @err naming
 * @file, line 1. */
int slabsys_parse(const char *data, size_t len, const char *file, uint64_t *v,
		  struct ms_error *err);

/* Read the attributes in @mask of cache @cache (a slabinfo name) under @sr: the directory
 * sys/kernel/slab/CACHE (a link to the merged cache, as the kernel makes it), then a small
 * read of each file. A missing directory is -ENOENT (SLAB, SLOB, or a dump without sysfs); a
 * missing attribute is left out of @s->has. Returns 0 or -errno with @err filled. */
int slabsys_read(const struct sysroot *sr, const char *cache, unsigned mask, struct slabsys *s,
		 struct ms_error *err);

#endif
