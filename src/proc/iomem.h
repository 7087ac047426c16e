/* SPDX-License-Identifier: GPL-2.0-or-later */
/* /proc/iomem: the kernel's tree of physical address ranges (kernel/resource.c). */
#ifndef MEMSCOPE_PROC_IOMEM_H
#define MEMSCOPE_PROC_IOMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"
#include "proc/sysroot.h"

struct iomem_region {
	uint64_t start, end; /* inclusive, as the kernel prints them */
	const char *name;    /* trailing blanks removed; may be empty */
	unsigned depth;	     /* 0 for top level */
	long parent;	     /* index in the tree, -1 at top level */
	long first_child;    /* -1 if none */
	long next;	     /* next sibling, -1 if none */
	unsigned long line;  /* line in the file, for messages */
};

struct iomem_tree {
	struct iomem_region *v; /* in file order: a parent comes before its children */
	size_t n;
	bool hidden; /* every range reads 00000000-00000000: withheld (no CAP_SYS_ADMIN) */
	char *text;  /* owns the names */
};

/* Parse @len bytes of iomem text. @file names the source in errors. Returns 0 or -EINVAL
 * (-ENOMEM) with @err naming the line and what is wrong with it. */
int iomem_parse(const char *data, size_t len, const char *file, struct iomem_tree *t,
		struct ms_error *err);

/* Read and parse proc/iomem under @sr. */
int iomem_read(const struct sysroot *sr, struct iomem_tree *t, struct ms_error *err);

void iomem_free(struct iomem_tree *t);

/* The regions holding @addr, outermost first: writes up to @max indices to @chain and returns
 * how many there are (0: no region holds it). */
size_t iomem_find(const struct iomem_tree *t, uint64_t addr, long *chain, size_t max);

/* Size of a region in bytes (end - start + 1; 2^64 saturates to UINT64_MAX). */
uint64_t iomem_size(const struct iomem_region *r);

/* The top-level "System RAM" ranges: their bytes, and how many (*@ranges, when not NULL). With
 * the addresses hidden (@t->hidden) every range reads as one byte: the sum means nothing. */
uint64_t iomem_ram_bytes(const struct iomem_tree *t, size_t *ranges);

#endif
