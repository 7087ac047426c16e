/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A capture archive as a sysroot: read once, with libarchive, into an index in memory (paths,
 * contents, directories, links), never unpacked to disk. Part of proc/sysroot.c's door. */
#ifndef MEMSCOPE_PROC_SYSARCHIVE_H
#define MEMSCOPE_PROC_SYSARCHIVE_H

#include <stdint.h>

#include "lib/error.h"
#include "proc/sysroot.h"

/* The limits an archive is read within (memscope-capture(1) states them) */
#define SYSARCHIVE_MEMBER_MAX (UINT64_C(256) << 20) /* the data of one member */
#define SYSARCHIVE_TOTAL_MAX (UINT64_C(1) << 30)    /* the data of all members */
#define SYSARCHIVE_SPARSE_MAX (UINT64_C(1) << 50)   /* a sparse member's length, holes and all */
#define SYSARCHIVE_MEMBERS_MAX 1000000

/* Read the archive at @path (any tar format and compression libarchive reads) into *@out.
 * Refused with @err naming the archive (and the member): not an archive, truncated, a member
 * with an absolute path, a '..' component or a link leading out of the archive, a device,
 * fifo, socket or hard link, a member or a total over the limits. Returns 0 or -errno. */
int sysarchive_open(const char *path, struct sysroot_archive **out, struct ms_error *err);
void sysarchive_free(struct sysroot_archive *a);

/* What @path (relative; links followed, within the archive only) is: 0 with *@type set, or
 * -ENOENT, -ENOTDIR, -EXDEV (a link leads outside), -ELOOP, -ENAMETOOLONG. */
int sysarchive_stat(const struct sysroot_archive *a, const char *path, enum sysroot_entry *type);
/* The file @path as a file descriptor of its own (a memfd holding the contents, holes kept as
 * holes; pread works on it), or -errno as sysarchive_stat() gives, -EISDIR for a directory. */
int sysarchive_fd(const struct sysroot_archive *a, const char *path);
/* The file @path copied into @out (NUL-terminated one past len), or -errno. */
int sysarchive_read(const struct sysroot_archive *a, const char *path, struct buf *out);
/* The names of directory @path's entries, in *@names (an array to free(); the names are the
 * index's own), or -errno. */
int sysarchive_children(const struct sysroot_archive *a, const char *path, const char ***names);
/* Each entry beneath directory @path as sysroot_walk() reports them; -errno for @path. */
int sysarchive_walk(const struct sysroot_archive *a, const char *path, sysroot_walk_fn fn,
		    void *data);

#endif
