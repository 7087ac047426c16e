/* SPDX-License-Identifier: GPL-2.0-or-later */
/* An output directory written whole or not at all: its files go into a temporary directory
 * beside it (DIR.partial-XXXXXX), renamed to DIR once complete, removed when the command fails.
 * Or the same as an archive (a zstd-compressed pax tar, through libarchive): written to a
 * temporary file beside FILE, renamed to it once complete. */
#ifndef MEMSCOPE_SYS_OUTDIR_H
#define MEMSCOPE_SYS_OUTDIR_H

#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"

struct archive;
struct outdir {
	const char *path; /* DIR (or FILE) as given */
	char *tmp;	  /* the temporary, made by outdir_open() */
	int fd;		  /* of the temporary */
	size_t files, bytes;
	struct archive *ar; /* writing an archive (outdir_open_archive()) */
	long long mtime;    /* of the archive's members: the capture's time */
	char made[4096];    /* the last directory whose parents are all made: files written in
			     * turn into one directory make them once, not each time */
};

/* Make the temporary beside @path, which must not exist yet (or be an empty directory).
 * Returns 0, or -errno with @err naming @path. */
int outdir_open(struct outdir *d, const char *path, struct ms_error *err);
/* The same for an archive FILE (which is replaced, if there, once the capture is complete). */
int outdir_open_archive(struct outdir *d, const char *path, struct ms_error *err);
/* Write @len bytes as @rel ("proc/meminfo") in it, its directories made as needed. */
int outdir_write(struct outdir *d, const char *rel, const char *data, size_t len,
		 struct ms_error *err);
/* A sparse file @rel of @size bytes, holes but for the @n runs at @off[i] of @len[i] bytes
 * from @data[i] (in order, apart) */
int outdir_write_sparse(struct outdir *d, const char *rel, uint64_t size, size_t n,
			const uint64_t *off, const size_t *len, const char *const *data,
			struct ms_error *err);
/* A symbolic link @rel to @target; a directory @rel. */
int outdir_symlink(struct outdir *d, const char *rel, const char *target, struct ms_error *err);
int outdir_mkdir(struct outdir *d, const char *rel, struct ms_error *err);
/* Rename the temporary to the path. Returns 0, or -errno with @err (the temporary removed). */
int outdir_commit(struct outdir *d, struct ms_error *err);
/* Remove the temporary and everything in it. */
void outdir_abort(struct outdir *d);

#endif
