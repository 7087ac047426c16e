/* SPDX-License-Identifier: GPL-2.0-or-later */
/* /proc/PID/maps (fs/proc/task_mmu.c show_map_vma) and the per-mapping counters of smaps. */
#ifndef MEMSCOPE_PROC_MAPS_H
#define MEMSCOPE_PROC_MAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"
#include "proc/sysroot.h"
#include "proc/task.h"

enum vma_kind {
	VMA_TEXT, VMA_RODATA, VMA_DATA, VMA_BSS, VMA_HEAP, VMA_STACK, VMA_ANON, VMA_FILE, VMA_SHM,
	VMA_GUARD, VMA_VDSO, VMA_VVAR, VMA_VSYSCALL, VMA_SPECIAL, VMA_NKINDS
};

/* smaps counters, in bytes (the kernel's kB x 1024). */
enum smaps_field {
	SM_RSS, SM_PSS, SM_SHARED_CLEAN, SM_SHARED_DIRTY, SM_PRIVATE_CLEAN, SM_PRIVATE_DIRTY,
	SM_REFERENCED, SM_ANONYMOUS, SM_ANON_HUGE, SM_SWAP, SM_SWAP_PSS, SM_LOCKED,
	SM_KERNEL_PAGE_SIZE,
	/* huge pages: THP shmem and page cache mapped by PMD, hugetlb pages shared and private */
	SM_SHMEM_PMD, SM_FILE_PMD, SM_SHARED_HUGETLB, SM_PRIVATE_HUGETLB, SM_NFIELDS
};

struct vma {
	uint64_t start, end; /* [start, end) as the kernel prints them */
	char perms[5];	     /* "rw-p" */
	uint64_t offset;
	unsigned dev_major, dev_minor;
	uint64_t inode;
	const char *name; /* path, "[heap]", "[anon:x]", or "" (in the owning struct maps) */
	bool deleted;	  /* the path ends in " (deleted)" */
	enum vma_kind kind;
	uint64_t sm[SM_NFIELDS]; /* with smaps */
	bool has_smaps;
};

struct maps {
	struct vma *v;
	size_t n, cap;
	char *names; /* arena of the names */
	size_t names_len, names_cap;
};

/* The kind's name ("text", "bss", ...). */
const char *vma_kind_name(enum vma_kind k);

/* Parse one maps line into @v (names point into @line). Returns 0 or -EINVAL with @reason. */
int maps_parse_line(char *line, struct vma *v, const char **reason);

/* Called with each mapping in address order, its kind final, as soon as the mappings around it
 * have been read; v->name lives only until it returns. Returns 0 or -errno to stop. */
typedef int (*maps_fn)(void *data, const struct vma *v);

/* Read proc/PID/maps (@pid is "self" or a number) or, with @smaps, proc/PID/smaps, and hand
 * every mapping to @fn: memory stays a few mappings however many there are. Returns 0 or
 * -errno with @err filled. */
int maps_stream(const struct sysroot *sr, const char *pid, bool smaps, maps_fn fn, void *data,
		struct ms_error *err);

/* The same for the process @t, its files opened beneath its directory. Without @smaps, a dump
 * that holds smaps alone is read from smaps (its header lines are the maps lines). On the live
 * system a file that ends because the process's address space went away (it exited, or ran
 * execve()) is -ESRCH with @err saying how many mappings were read, and the mappings read
 * last are not handed on: a list cut short never passes for the whole. */
int maps_stream_task(const struct task *t, bool smaps, maps_fn fn, void *data,
		     struct ms_error *err);
int maps_read_task(const struct task *t, bool smaps, struct maps *m, struct ms_error *err);
/* The same for the @len bytes at @bytes, named @file in errors: the reader and parser
 * maps_stream() runs, with the bytes in place of read(2) (unit tests, fuzzing). */
int maps_stream_bytes(const char *bytes, size_t len, const char *file, bool smaps, maps_fn fn,
		      void *data, struct ms_error *err);

/* Read proc/PID/maps (@pid is "self" or a number) or, with @smaps, proc/PID/smaps with every
 * mapping's counters; kinds are classified. Streams the file: memory is the mappings alone. */
int maps_read(const struct sysroot *sr, const char *pid, bool smaps, struct maps *m,
	      struct ms_error *err);
/* maps_read() of the @len bytes at @data, named @file in errors. */
int maps_parse(const char *data, size_t len, const char *file, bool smaps, struct maps *m,
	       struct ms_error *err);
void maps_free(struct maps *m);

/* Classify every mapping (text/rodata/data/bss from the mappings of one object). */
void maps_classify(struct maps *m);

/* The mapping holding @addr, or NULL. */
const struct vma *maps_find(const struct maps *m, uint64_t addr);

#endif
