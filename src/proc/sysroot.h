/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The only door to /proc: every file memscope reads is opened relative to one root. */
#ifndef MEMSCOPE_SYSROOT_H
#define MEMSCOPE_SYSROOT_H

#include <stddef.h>
#include <stdbool.h>

#include "lib/error.h"

struct sysroot_archive;
struct sysroot {
	int fd;		 /* O_PATH directory: "/" or the --sysroot directory (-1 for an archive) */
	const char *dir; /* the --sysroot as given, or NULL for the live system */
	struct sysroot_archive *archive; /* a capture archive's index (proc/sysarchive.h) */
};

/* A whole file read into memory; always NUL-terminated one past len. */
struct buf {
	char *data;
	size_t len;
};

/* Open @dir (NULL: the live system's "/"): a directory, or a capture archive (a regular file,
 * read whole into memory once, never unpacked). Returns 0 or -errno with @err filled. */
int sysroot_open(struct sysroot *sr, const char *dir, struct ms_error *err);
void sysroot_close(struct sysroot *sr);

/* The name a user should see for @path ("proc/iomem"): "/proc/iomem" live, "DIR/proc/iomem"
 * in a dump. */
void sysroot_name(const struct sysroot *sr, const char *path, char *name, size_t size);

/* Open @path (relative, "proc/iomem") under the root. In a dump, symbolic links may not lead
 * outside it and a missing file is reported as missing from the dump. Returns an fd or -errno. */
int sysroot_openat(const struct sysroot *sr, const char *path, struct ms_error *err);
/* Whether @path (a file or a directory, links followed as sysroot_openat() follows them) is
 * there: 0, or -errno with @err filled as sysroot_openat() fills it. With @dir, it must be a
 * directory. */
int sysroot_exists(const struct sysroot *sr, const char *path, bool dir, struct ms_error *err);

/* The entries of directory @path (relative, "sys/devices/system/memory") under the root whose
 * names start with @prefix ("" for all; "." and ".." never), sorted with runs of digits
 * compared as numbers ("memory2" before "memory10"). *@names is one allocation: free() it
 * (also when the count is 0). Returns the count, or -errno with @err filled: a directory
 * missing from a dump is "missing from the dump", as a file is. */
int sysroot_list(const struct sysroot *sr, const char *path, const char *prefix,
		 char ***names, struct ms_error *err);
/* What sysroot_walk() meets */
enum sysroot_entry { SR_FILE, SR_DIR, SR_LINK, SR_WRITE_ONLY /* a file no one may read */ };
/* Called for every entry under the directory @path (relative), depth first, @rel its path
 * from the root ("sys/devices/system/memory/memory0/state"), @link a link's target (else NULL).
 * Links are reported, never followed. Returns 0 to go on (for a directory: into it), 1 to pass
 * a directory over, or -errno to stop the walk (which returns it). */
typedef int (*sysroot_walk_fn)(void *data, const char *rel, enum sysroot_entry type,
			       const char *link);
/* Walk @path under the root. A missing @path is -ENOENT with @err filled; entries that vanish
 * or cannot be listed on the way are passed over. Returns 0 or -errno. */
int sysroot_walk(const struct sysroot *sr, const char *path, sysroot_walk_fn fn, void *data,
		 struct ms_error *err);

/* Read @path to EOF in growing buffers (procfs reports st_size 0 or 4096 whatever the size).
 * Returns 0 or -errno with @err filled. */
int sysroot_read(const struct sysroot *sr, const char *path, struct buf *out,
		 struct ms_error *err);
/* The same from @fd (closed, whatever happens), named @name in errors. */
int sysroot_read_fd(int fd, const char *name, struct buf *out, struct ms_error *err);
void buf_free(struct buf *b);

/* A parser of a whole text file: @file names it in errors, @out is its model. */
typedef int (*text_parser)(const char *data, size_t len, const char *file, void *out,
			   struct ms_error *err);
/* Read @path and hand it to @parse. Returns 0 or -errno with @err filled. */
int sysroot_parse(const struct sysroot *sr, const char *path, text_parser parse, void *out,
		  struct ms_error *err);

#endif
