/* SPDX-License-Identifier: GPL-2.0-or-later */
/* An output directory replaced whole: mkdtemp beside it, rename to it. An archive the same way:
 * mkstemp beside it, libarchive's pax writer through zstd into it, rename to it. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lib/dlib.h"
#include "lib/escape.h"
#include "sys/outdir.h"

static int fail(const char *path, int e, const char *what, struct ms_error *err)
{
	char name[1024];
	escape_text(path, strlen(path), name, sizeof(name));
	return ms_fail(err, -e, name, 0, "%s: %s", what, strerror(e));
}

/* The temporary beside d->path (its first @n bytes) that becomes it: a directory, or a file
 * (d->fd) for an archive, as readable as anything the user makes (mkdtemp and mkstemp make
 * them 0700 and 0600). */
static int make_temp(struct outdir *d, size_t n, bool dir, struct ms_error *err)
{
	if (!(d->tmp = malloc(n + 16)))
		return ms_say(err, -ENOMEM, "out of memory");
	memcpy(d->tmp, d->path, n);
	/* "PATH.partial-" and the six X's mkstemp and mkdtemp replace */
	memcpy(d->tmp + n, ".partial-", 9);
	memset(d->tmp + n + 9, 'X', 6);
	d->tmp[n + 15] = '\0';
	if (dir ? !mkdtemp(d->tmp) : (d->fd = mkostemp(d->tmp, O_CLOEXEC)) < 0) {
		int e = errno;
		free(d->tmp);
		d->tmp = NULL;
		return fail(d->path, e, "cannot create", err);
	}
	mode_t mask = umask(0);
	umask(mask);
	if (dir)
		chmod(d->tmp, 0777 & ~mask);
	else
		fchmod(d->fd, 0666 & ~mask);
	return 0;
}

int outdir_open(struct outdir *d, const char *path, struct ms_error *err)
{
	*d = (struct outdir){.path = path, .fd = -1};
	struct stat st;
	if (lstat(path, &st) == 0) {
		/* an empty directory may be filled; anything else is not ours to replace */
		if (!S_ISDIR(st.st_mode) || rmdir(path) != 0)
			return fail(path, EEXIST, "cannot capture into it", err);
	}
	size_t n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		n--;
	int ret = make_temp(d, n, true, err);
	if (ret)
		return ret;
	d->fd = open(d->tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (d->fd < 0) {
		int e = errno;
		outdir_abort(d);
		return fail(path, e, "cannot open", err);
	}
	return 0;
}

int outdir_open_archive(struct outdir *d, const char *path, struct ms_error *err)
{
	*d = (struct outdir){.path = path, .fd = -1, .mtime = (long long)time(NULL)};
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return fail(path, EEXIST, "cannot write the archive over it", err);
	size_t n = strlen(path);
	if (!n || path[n - 1] == '/')
		return fail(path, EISDIR, "cannot write", err);
	int ret = dlib_archive("writing a capture archive", err);
	if (ret || (ret = make_temp(d, n, false, err)))
		return ret;
	d->ar = sym_archive_write_new();
	/* pax: long paths and sparse members (GNU.sparse 1.0); restricted: a plain ustar header
	 * where nothing needs more */
	if (!d->ar || sym_archive_write_set_format_pax_restricted(d->ar) != ARCHIVE_OK ||
	    sym_archive_write_add_filter_zstd(d->ar) != ARCHIVE_OK ||
	    sym_archive_write_set_bytes_in_last_block(d->ar, 1) != ARCHIVE_OK ||
	    sym_archive_write_open_fd(d->ar, d->fd) != ARCHIVE_OK) {
		char why[256];
		snprintf(why, sizeof(why), "%s",
			 d->ar && sym_archive_error_string(d->ar) ? sym_archive_error_string(d->ar)
							      : "out of memory");
		outdir_abort(d);
		return ms_fail(err, -EIO, path, 0, "cannot write the archive: %s", why);
	}
	return 0;
}

static int ar_fail(struct outdir *d, struct ms_error *err)
{
	const char *why = sym_archive_error_string(d->ar);
	int e = sym_archive_errno(d->ar);
	return ms_fail(err, e > 0 ? -e : -EIO, d->path, 0, "cannot write: %s",
		       why ? why : e > 0 ? strerror(e) : "archive error");
}

/* A member's header: @type AE_IFREG, AE_IFDIR or AE_IFLNK */
static int ar_header(struct outdir *d, const char *rel, unsigned type, uint64_t size,
		     const char *target, size_t n, const uint64_t *off, const size_t *len,
		     struct ms_error *err)
{
	struct archive_entry *e = sym_archive_entry_new();
	if (!e)
		return ms_say(err, -ENOMEM, "out of memory");
	sym_archive_entry_set_pathname(e, rel);
	sym_archive_entry_set_filetype(e, type);
	sym_archive_entry_set_perm(e, type == AE_IFDIR ? 0755 : type == AE_IFLNK ? 0777 : 0644);
	sym_archive_entry_set_mtime(e, (time_t)d->mtime, 0);
	if (type == AE_IFLNK)
		sym_archive_entry_set_symlink(e, target);
	if (type == AE_IFREG)
		sym_archive_entry_set_size(e, (la_int64_t)size);
	for (size_t i = 0; i < n; i++)
		sym_archive_entry_sparse_add_entry(e, (la_int64_t)off[i], (la_int64_t)len[i]);
	int r = sym_archive_write_header(d->ar, e);
	sym_archive_entry_free(e);
	return r < ARCHIVE_WARN ? ar_fail(d, err) : 0;
}

static int ar_data(struct outdir *d, const char *data, size_t len, struct ms_error *err)
{
	while (len) {
		la_ssize_t w = sym_archive_write_data(d->ar, data, len);
		if (w <= 0)
			return ar_fail(d, err);
		data += w;
		len -= (size_t)w;
	}
	return 0;
}

/* The directories of @rel, made */
static int parents(struct outdir *d, const char *rel, struct ms_error *err)
{
	char p[4096];
	size_t n = strlen(rel);
	if (n >= sizeof(p))
		return ms_say(err, -ENAMETOOLONG, "path too long: %s", rel);
	memcpy(p, rel, n + 1);
	char *last = strrchr(p, '/');
	if (!last)
		return 0;
	*last = '\0';
	if (!strcmp(p, d->made)) /* this directory, made for the file before */
		return 0;
	*last = '/';
	for (char *s = strchr(p, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdirat(d->fd, p, 0777) != 0 && errno != EEXIST)
			return fail(d->path, errno, "cannot write", err);
		*s = '/';
	}
	*last = '\0';
	memcpy(d->made, p, (size_t)(last - p) + 1);
	return 0;
}

int outdir_mkdir(struct outdir *d, const char *rel, struct ms_error *err)
{
	if (d->ar)
		return ar_header(d, rel, AE_IFDIR, 0, NULL, 0, NULL, NULL, err);
	int e = parents(d, rel, err);
	if (!e && mkdirat(d->fd, rel, 0777) != 0 && errno != EEXIST)
		e = fail(d->path, errno, "cannot write", err);
	return e;
}

int outdir_write_sparse(struct outdir *d, const char *rel, uint64_t size, size_t n,
			const uint64_t *off, const size_t *len, const char *const *data,
			struct ms_error *err)
{
	size_t held = 0;
	for (size_t i = 0; i < n; i++)
		held += len[i];
	/* one run from 0 to the end (any file outdir_write() writes) has no hole: not sparse */
	bool holes = !(n == 1 && off[0] == 0 && len[0] == size) && !(n == 0 && size == 0);
	if (d->ar) {
		/* the pax writer takes the whole length, holes too, and skips the holes' bytes
		 * unread (GNU.sparse 1.0): they come from a buffer of zeros, a block at a time */
		static char zeros[1 << 20];
		int e = ar_header(d, rel, AE_IFREG, size, NULL, holes ? n : 0, holes ? off : NULL,
				  holes ? len : NULL, err);
		uint64_t at = 0;
		for (size_t i = 0; !e && i <= n; i++) {
			uint64_t to = i < n ? off[i] : size;
			while (!e && at < to) {
				size_t step = to - at > sizeof(zeros) ? sizeof(zeros) : (size_t)(to - at);
				e = ar_data(d, zeros, step, err);
				at += step;
			}
			if (!e && i < n) {
				e = ar_data(d, data[i], len[i], err);
				at += len[i];
			}
		}
		if (!e) {
			d->files++;
			d->bytes += held;
		}
		return e;
	}
	int e = parents(d, rel, err);
	if (e)
		return e;
	int fd = openat(d->fd, rel, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (fd < 0)
		return fail(d->path, errno, "cannot write", err);
	/* the length, then each run where it belongs: the rest stays holes */
	int we = holes && ftruncate(fd, (off_t)size) ? errno : 0;
	for (size_t i = 0; !we && i < n; i++)
		for (size_t done = 0; !we && done < len[i];) {
			ssize_t w = pwrite(fd, data[i] + done, len[i] - done, (off_t)(off[i] + done));
			if (w < 0 && errno != EINTR)
				we = errno;
			else if (w > 0)
				done += (size_t)w;
		}
	if (close(fd) != 0 && !we)
		we = errno;
	if (we)
		return fail(d->path, we, "cannot write", err);
	d->files++;
	d->bytes += held;
	return 0;
}

int outdir_write(struct outdir *d, const char *rel, const char *data, size_t len,
		 struct ms_error *err)
{
	const uint64_t at = 0;
	return outdir_write_sparse(d, rel, len, 1, &at, &len, &data, err);
}

int outdir_symlink(struct outdir *d, const char *rel, const char *target, struct ms_error *err)
{
	if (d->ar)
		return ar_header(d, rel, AE_IFLNK, 0, target, 0, NULL, NULL, err);
	int e = parents(d, rel, err);
	if (!e && symlinkat(target, d->fd, rel) != 0 && errno != EEXIST)
		e = fail(d->path, errno, "cannot write", err);
	return e;
}

int outdir_commit(struct outdir *d, struct ms_error *err)
{
	if (!d->tmp)
		return 0;
	if (d->ar) {
		int e = sym_archive_write_close(d->ar) != ARCHIVE_OK ? ar_fail(d, err) : 0;
		sym_archive_write_free(d->ar);
		d->ar = NULL;
		if (e) {
			outdir_abort(d);
			return e;
		}
	}
	if (fsync(d->fd) != 0 || rename(d->tmp, d->path) != 0) {
		int e = errno;
		outdir_abort(d);
		return fail(d->path, e, "cannot write", err);
	}
	close(d->fd);
	d->fd = -1;
	free(d->tmp);
	d->tmp = NULL;
	return 0;
}

static int rm_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (type == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

void outdir_abort(struct outdir *d)
{
	if (d->ar) {
		/* its fd is ours: libarchive writes to it and leaves it open */
		sym_archive_write_free(d->ar);
		d->ar = NULL;
		if (d->tmp)
			unlink(d->tmp);
		free(d->tmp);
		d->tmp = NULL;
	}
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
	if (d->tmp) {
		nftw(d->tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
		free(d->tmp);
		d->tmp = NULL;
	}
}
