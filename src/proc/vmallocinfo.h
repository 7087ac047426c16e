/* SPDX-License-Identifier: GPL-2.0-or-later */
/* /proc/vmallocinfo: one line per vmalloc area (mm/vmalloc.c s_show()), streamed: each area is
 * handed to a callback as it is read, in constant memory however long the file. */
#ifndef MEMSCOPE_PROC_VMALLOCINFO_H
#define MEMSCOPE_PROC_VMALLOCINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"
#include "proc/sysroot.h"

/* The kinds s_show() prints after the caller, as bits. */
enum vmalloc_kind {
	VMK_IOREMAP = 1u << 0,
	VMK_VMALLOC = 1u << 1,
	VMK_VMAP = 1u << 2,
	VMK_USER = 1u << 3,
	VMK_VPAGES = 1u << 4,	    /* the page array itself is vmalloc'ed */
	VMK_VM_MAP_RAM = 1u << 5,   /* vm_map_ram() areas (per-CPU vmap blocks) */
	VMK_DMA_COHERENT = 1u << 6, /* "dma-coherent" */
	VMK_SPARSE = 1u << 7,	    /* "sparse" (VM_SPARSE, 6.9+) */
	VMK_UNPURGED = 1u << 8,	    /* "unpurged vm_area": freed, its TLB flush still lazy */
};
#define VMK_NKINDS 9
/* The word of kind @bit (one of the above), or NULL. */
const char *vmalloc_kind_name(unsigned bit);

#define VMALLOC_MAX_NODES 64 /* per-node pages kept by node number; above, summed apart */
#define VMALLOC_MAX_EXTRA 8  /* unknown words kept, in order */

struct vmalloc_area {
	uint64_t start, end; /* as printed: real, zero (kptr_restrict) or hashed (%pK) */
	uint64_t size;	     /* bytes, guard page included (end - start when real) */
	/* the caller, "%pS": "func+0xOFF/0xLEN [module]", or a bare address */
	const char *func;   /* NULL without a caller, or when it is a bare address */
	uint64_t off, len;  /* with func */
	const char *module; /* "[ttm]" without its brackets, or NULL */
	bool caller_addr;   /* the caller was printed as an address: in caller_value */
	uint64_t caller_value;
	bool has_pages, has_phys;
	uint64_t pages;	    /* "pages=N" */
	uint64_t phys;	    /* "phys=ADDR" (ioremap), "0x%pa" or, before 3.?, bare hex */
	unsigned kinds;	    /* enum vmalloc_kind bits */
	unsigned nodes;	    /* "N%u=%u" pairs seen */
	uint64_t node_pages[VMALLOC_MAX_NODES];
	uint64_t node_pages_above; /* pages on nodes >= VMALLOC_MAX_NODES */
	const char *extra[VMALLOC_MAX_EXTRA]; /* words memscope does not know, kept */
	unsigned n_extra, extra_dropped;
	unsigned long line;
};

/* Called for each area; the strings point into the line, valid during the call only. A
 * non-zero return ends the read and is returned. */
typedef int (*vmalloc_cb)(const struct vmalloc_area *a, void *arg);

/* Parse one line (modified in place: the strings of @a point into it). Returns NULL or the
 * reason it is not an area line. */
const char *vmallocinfo_parse_line(char *line, struct vmalloc_area *a);

/* Read proc/vmallocinfo under @sr (mode 0400 root: -EACCES with @err saying what it needs) and
 * hand each area to @cb. An empty file is -EACCES (a dump made without root); a bad line is
 * -EINVAL naming it. Returns 0, @cb's non-zero return, or -errno with @err filled. */
int vmallocinfo_stream(const struct sysroot *sr, vmalloc_cb cb, void *arg, struct ms_error *err);
/* The same over @len bytes at @data named @file (unit tests, the fuzzer). */
int vmallocinfo_stream_bytes(const char *data, size_t len, const char *file, vmalloc_cb cb,
			     void *arg, struct ms_error *err);

/* What `vmalloc` groups by and `kmem` sums: the areas of one caller, and the whole file. The
 * callers are few (hundreds) however many areas there are, so memory stays flat. */
struct vmalloc_caller {
	char *name;	/* "func", "func [module]", "0xADDR" (a bare caller) or "" (none) */
	uint64_t areas, bytes, pages; /* bytes as printed (guard page included), pages= */
	uint64_t ioremap_bytes;	      /* of the areas marked ioremap */
	unsigned kinds;		      /* enum vmalloc_kind bits of all its areas */
};

struct vmalloc_sum {
	uint64_t areas, bytes, pages;
	uint64_t kind_areas[VMK_NKINDS], kind_bytes[VMK_NKINDS], kind_pages[VMK_NKINDS];
	uint64_t node_pages[VMALLOC_MAX_NODES], node_pages_above;
	unsigned max_node; /* highest node with an N<n>= count, +1 (0: none printed) */
	struct vmalloc_caller *callers; /* in first-seen order until vmalloc_sum_sort() */
	size_t n_callers, cap;
	size_t *index, index_size; /* open addressing over callers, by name */
};

/* @a's caller as vmalloc_sum groups it ("func", "func [module]", "0xADDR", "") into @buf. */
const char *vmalloc_caller_name(const struct vmalloc_area *a, char *buf, size_t size);

void vmalloc_sum_init(struct vmalloc_sum *s);
/* Count @a into @s. Returns 0 or -ENOMEM. */
int vmalloc_sum_add(struct vmalloc_sum *s, const struct vmalloc_area *a);
/* Sort the callers by bytes, most first (then by name); the index is dropped: no add after. */
void vmalloc_sum_sort(struct vmalloc_sum *s);
void vmalloc_sum_free(struct vmalloc_sum *s);

#endif
