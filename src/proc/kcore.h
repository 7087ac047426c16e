/* SPDX-License-Identifier: GPL-2.0-or-later */
/* /proc/kcore's ELF program headers: where the kernel really put its direct map, vmalloc area,
 * vmemmap and text (fs/proc/kcore.c), KASLR included. Needs CAP_SYS_RAWIO; lockdown may refuse. */
#ifndef MEMSCOPE_PROC_KCORE_H
#define MEMSCOPE_PROC_KCORE_H

#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"
#include "proc/sysroot.h"

struct kcore_segment {
	uint64_t vaddr, paddr, size; /* paddr UINT64_MAX when the segment has none */
};

struct kcore {
	struct kcore_segment seg[256];
	size_t n;
};

/* Parse the ELF64 header and program headers in @data. Returns 0 or -EINVAL with @err. */
int kcore_parse(const unsigned char *data, size_t len, const char *file, struct kcore *k,
		struct ms_error *err);
/* Read the headers of proc/kcore. Returns 0 or -errno (-EPERM under lockdown, -EACCES). */
int kcore_read(const struct sysroot *sr, struct kcore *k, struct ms_error *err);

#endif
