/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Libraries loaded when first needed (dlopen), as systemd loads its optional ones: libarchive
 * reads and writes capture archives, libproc2 reads the live process table, and either pulls
 * in a dozen libraries of its own (libxml2, ICU, libstdc++, libgcrypt, ...). Linked, they cost
 * every command 2 ms of start-up and 4 MiB of resident pages, whether it used them or not;
 * loaded here, only `--sysroot FILE`, `capture -o FILE.tar.zst` and `procs` pay for them.
 * A call goes through the pointer of the same name with sym_ before it. */
#ifndef MEMSCOPE_DLIB_H
#define MEMSCOPE_DLIB_H

#include <archive.h>
#include <archive_entry.h>
#include <libproc2/pids.h>

#include "lib/error.h"

/* the sonames of the versions built against (Debian's libarchive13 and libproc2-0) */
#define LIBARCHIVE_SONAME "libarchive.so.13"
#define LIBPROC2_SONAME "libproc2.so.0"

#define LIBARCHIVE_SYMBOLS(X)                                                                   \
	X(archive_entry_filetype) X(archive_entry_free) X(archive_entry_hardlink)               \
	X(archive_entry_new) X(archive_entry_pathname) X(archive_entry_set_filetype)            \
	X(archive_entry_set_mtime) X(archive_entry_set_pathname) X(archive_entry_set_perm)      \
	X(archive_entry_set_size) X(archive_entry_set_symlink) X(archive_entry_size)            \
	X(archive_entry_size_is_set) X(archive_entry_sparse_add_entry)                          \
	X(archive_entry_sparse_count) X(archive_entry_symlink) X(archive_errno)                 \
	X(archive_error_string) X(archive_read_data_block) X(archive_read_free)                 \
	X(archive_read_new) X(archive_read_next_header) X(archive_read_open_filename)           \
	X(archive_read_support_filter_all) X(archive_read_support_format_gnutar)                \
	X(archive_read_support_format_tar) X(archive_write_add_filter_zstd)                     \
	X(archive_write_close) X(archive_write_data) X(archive_write_free)                      \
	X(archive_write_header) X(archive_write_new) X(archive_write_open_fd)                   \
	X(archive_write_set_bytes_in_last_block) X(archive_write_set_format_pax_restricted)

#define LIBPROC2_SYMBOLS(X)                                                                     \
	X(procps_pids_new) X(procps_pids_reap) X(procps_pids_select) X(procps_pids_unref)

#define DLIB_DECLARE(f) extern __typeof__(f) *sym_##f;
LIBARCHIVE_SYMBOLS(DLIB_DECLARE)
LIBPROC2_SYMBOLS(DLIB_DECLARE)
#undef DLIB_DECLARE

/* Load the library (once; later calls say what the first said): 0, or -ENOTSUP with @err
 * naming the library, what needs it (@what: "reading a capture archive") and the loader's
 * reason. */
int dlib_archive(const char *what, struct ms_error *err);
int dlib_proc2(const char *what, struct ms_error *err);

#endif
