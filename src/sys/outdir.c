/* SPDX-License-Identifier: GPL-2.0-or-later */
/* An output directory replaced whole: mkdtemp beside it, rename to it. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/escape.h"
#include "sys/outdir.h"

static int fail(const char *path, int e, const char *what, struct ms_error *err)
{
	char name[1024];
	escape_text(path, strlen(path), name, sizeof(name));
	return ms_fail(err, -e, name, 0, "%s: %s", what, strerror(e));
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
	if (!(d->tmp = malloc(n + 16)))
		return ms_say(err, -ENOMEM, "out of memory");
	memcpy(d->tmp, path, n);
	memcpy(d->tmp + n, ".partial-XXXXXX", 16);
	if (!mkdtemp(d->tmp)) {
		int e = errno;
		free(d->tmp);
		d->tmp = NULL;
		return fail(path, e, "cannot create", err);
	}
	/* mkdtemp makes it 0700: a capture is as readable as any directory the user makes */
	mode_t mask = umask(0);
	umask(mask);
	chmod(d->tmp, 0777 & ~mask);
	d->fd = open(d->tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (d->fd < 0) {
		int e = errno;
		outdir_abort(d);
		return fail(path, e, "cannot open", err);
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
	for (char *s = strchr(p, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdirat(d->fd, p, 0777) != 0 && errno != EEXIST)
			return fail(d->path, errno, "cannot write", err);
		*s = '/';
	}
	return 0;
}

int outdir_mkdir(struct outdir *d, const char *rel, struct ms_error *err)
{
	int e = parents(d, rel, err);
	if (!e && mkdirat(d->fd, rel, 0777) != 0 && errno != EEXIST)
		e = fail(d->path, errno, "cannot write", err);
	return e;
}

int outdir_write(struct outdir *d, const char *rel, const char *data, size_t len,
		 struct ms_error *err)
{
	int e = parents(d, rel, err);
	if (e)
		return e;
	int fd = openat(d->fd, rel, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (fd < 0)
		return fail(d->path, errno, "cannot write", err);
	for (size_t off = 0; off < len;) {
		ssize_t w = write(fd, data + off, len - off);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			int we = errno;
			close(fd);
			return fail(d->path, we, "cannot write", err);
		}
		off += (size_t)w;
	}
	if (close(fd) != 0)
		return fail(d->path, errno, "cannot write", err);
	d->files++;
	d->bytes += len;
	return 0;
}

int outdir_symlink(struct outdir *d, const char *rel, const char *target, struct ms_error *err)
{
	int e = parents(d, rel, err);
	if (!e && symlinkat(target, d->fd, rel) != 0 && errno != EEXIST)
		e = fail(d->path, errno, "cannot write", err);
	return e;
}

int outdir_commit(struct outdir *d, struct ms_error *err)
{
	if (!d->tmp)
		return 0;
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
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
	if (d->tmp) {
		nftw(d->tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
		free(d->tmp);
		d->tmp = NULL;
	}
}
