/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A capture's manifest, DIR/memscope-capture: the machine the files came from, said by the
 * capture itself (memscope-capture(1) gives the format). */
#ifndef MEMSCOPE_PROC_MANIFEST_H
#define MEMSCOPE_PROC_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"
#include "proc/sysroot.h"

#define MANIFEST_PATH "memscope-capture"
#define MANIFEST_VERSION 1

struct manifest {
	bool present;	    /* the sysroot has one */
	unsigned version;   /* of the format, from the first line */
	const char *arch;   /* memscope's name ("x86_64"), or NULL: "arch unknown" */
	uint64_t page_size; /* bytes, or 0: "page_size unknown" */
	unsigned pagemaps;  /* "pagemap PID" lines: processes captured with their pagemap */
};

/* Parse @len bytes of a manifest named @file. Every line is a key and its value; the first
 * is "memscope-capture 1"; a line that is not one of the format's is refused as FILE:LINE:
 * reason. Returns 0 or -errno with @err filled. */
int manifest_parse(const char *data, size_t len, const char *file, struct manifest *m,
		   struct ms_error *err);
/* The sysroot's manifest, if it has one (m->present false, 0 returned, when not). */
int manifest_read(const struct sysroot *sr, struct manifest *m, struct ms_error *err);

#endif
