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
#include "proc/sysroot.h"

enum slabsys_attr {
	SA_ORDER,	    /* "%u": the slab's buddy order */
	SA_OBJS_PER_SLAB,   /* "%u" */
	SA_OBJECT_SIZE,	    /* "%u": the object as asked for (s->object_size) */
	SA_SLAB_SIZE,	    /* "%u": its slot, metadata and alignment included (s->size) */
	SA_PARTIAL,	    /* "%lu[ N0=%lu ...]": slabs on the partial lists */
	SA_CPU_SLABS,	    /* the same shape: slabs held by CPUs */
	SA_ALIASES,	    /* "%d": caches merged into this one */
	SA_RECLAIM_ACCOUNT, /* "%d": 1 for SLAB_RECLAIM_ACCOUNT (counted in SReclaimable) */
	SA_TOTAL_OBJECTS,   /* the same shape as partial: objects in all slabs */
	SA_N
};

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
