/* SPDX-License-Identifier: GPL-2.0-or-later */
/* An output directory written whole or not at all: its files go into a temporary directory
 * beside it (DIR.partial-XXXXXX), renamed to DIR once complete, removed when the command fails. */
#ifndef MEMSCOPE_SYS_OUTDIR_H
#define MEMSCOPE_SYS_OUTDIR_H

#include <stddef.h>

#include "lib/error.h"

struct outdir {
	const char *path; /* DIR as given */
	char *tmp;	  /* the temporary, made by outdir_open() */
	int fd;		  /* of the temporary */
	size_t files, bytes;
};

/* Make the temporary beside @path, which must not exist yet (or be an empty directory).
 * Returns 0, or -errno with @err naming @path. */
int outdir_open(struct outdir *d, const char *path, struct ms_error *err);
/* Write @len bytes as @rel ("proc/meminfo") in it, its directories made as needed. */
int outdir_write(struct outdir *d, const char *rel, const char *data, size_t len,
		 struct ms_error *err);
/* A symbolic link @rel to @target; a directory @rel. */
int outdir_symlink(struct outdir *d, const char *rel, const char *target, struct ms_error *err);
int outdir_mkdir(struct outdir *d, const char *rel, struct ms_error *err);
/* Rename the temporary to the path. Returns 0, or -errno with @err (the temporary removed). */
int outdir_commit(struct outdir *d, struct ms_error *err);
/* Remove the temporary and everything in it. */
void outdir_abort(struct outdir *d);

#endif
