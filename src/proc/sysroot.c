/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Opens the root once and reads every /proc file through it (openat2 keeps dumps closed). */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lib/grow.h"
#include "proc/sysarchive.h"
#include "proc/sysroot.h"

int sysroot_open(struct sysroot *sr, const char *dir, struct ms_error *err)
{
	sr->dir = dir;
	sr->archive = NULL;
	sr->fd = open(dir ? dir : "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (sr->fd < 0) {
		int e = errno;
		struct stat st;
		if (e == ENOTDIR && stat(dir, &st) == 0 && S_ISREG(st.st_mode))
			return sysarchive_open(dir, &sr->archive, err);
		if (e == ENOTDIR)
			return ms_fail(err, -e, dir, 0, "sysroot is not a directory");
		return ms_fail(err, -e, dir ? dir : "/", 0, "cannot open sysroot: %s", strerror(e));
	}
	return 0;
}

void sysroot_close(struct sysroot *sr)
{
	if (sr->fd >= 0)
		close(sr->fd);
	sr->fd = -1;
	sysarchive_free(sr->archive);
	sr->archive = NULL;
}

void sysroot_name(const struct sysroot *sr, const char *path, char *name, size_t size)
{
	if (sr->dir) {
		size_t n = strlen(sr->dir);
		const char *sep = (n && sr->dir[n - 1] == '/') ? "" : "/";
		snprintf(name, size, "%s%s%s", sr->dir, sep, path);
	} else {
		snprintf(name, size, "/%s", path);
	}
}

static int open_beneath(int dirfd, const char *path, int flags)
{
	/* RESOLVE_BENEATH: a link in a dump that climbs out of it is refused (EXDEV), so a
	 * dump can never make memscope read the live system or anything else */
	struct open_how how = {
		.flags = (uint64_t)(O_RDONLY | O_CLOEXEC | flags),
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS,
	};
	long fd = syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
	if (fd < 0 && (errno == ENOSYS || errno == EPERM)) {
		/* kernels before 5.6, or seccomp filters that do not know openat2 */
		fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | flags);
	}
	return (int)fd;
}

/* The failure -@e of a lookup of @path, worded */
static int open_failed(const struct sysroot *sr, const char *path, int flags, int e,
		       struct ms_error *err)
{
	char name[512];
	sysroot_name(sr, path, name, sizeof(name));
	if (sr->dir && e == ENOENT)
		return ms_fail(err, -e, name, 0, "missing from the dump");
	if (sr->dir && (e == EXDEV || e == ELOOP))
		return ms_fail(err, -e, name, 0, "a link leads outside the sysroot");
	if (e == ENOTDIR && (flags & O_DIRECTORY))
		return ms_fail(err, -e, name, 0, "not a directory");
	if (e == EISDIR)
		return ms_fail(err, -e, name, 0, "is a directory, not a file");
	return ms_fail(err, -e, name, 0, "cannot open: %s", strerror(e));
}

static int open_flags(const struct sysroot *sr, const char *path, int flags,
		      struct ms_error *err)
{
	int fd = sr->dir ? open_beneath(sr->fd, path, flags)
			 : openat(sr->fd, path, O_RDONLY | O_CLOEXEC | flags);
	return fd >= 0 ? fd : open_failed(sr, path, flags, errno, err);
}

int sysroot_openat(const struct sysroot *sr, const char *path, struct ms_error *err)
{
	if (sr->archive) {
		int fd = sysarchive_fd(sr->archive, path);
		return fd >= 0 ? fd : open_failed(sr, path, 0, -fd, err);
	}
	return open_flags(sr, path, 0, err);
}

int sysroot_exists(const struct sysroot *sr, const char *path, bool dir, struct ms_error *err)
{
	if (sr->archive) {
		enum sysroot_entry t;
		int e = sysarchive_stat(sr->archive, path, &t);
		if (!e && dir && t != SR_DIR)
			e = -ENOTDIR;
		return e ? open_failed(sr, path, dir ? O_DIRECTORY : 0, -e, err) : 0;
	}
	int fd = open_flags(sr, path, O_PATH | (dir ? O_DIRECTORY : 0), err);
	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}

/* "memory2" before "memory10": runs of digits compared as numbers. */
static int natural_cmp(const void *pa, const void *pb)
{
	const char *a = *(char *const *)pa, *b = *(char *const *)pb;
	while (*a && *b) {
		if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
			while (*a == '0' && isdigit((unsigned char)a[1]))
				a++;
			while (*b == '0' && isdigit((unsigned char)b[1]))
				b++;
			size_t la = strspn(a, "0123456789"), lb = strspn(b, "0123456789");
			if (la != lb)
				return la < lb ? -1 : 1;
			int c = strncmp(a, b, la);
			if (c)
				return c;
			a += la;
			b += lb;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

static int walk_dir(const struct sysroot *sr, char *path, size_t len, size_t cap,
		    sysroot_walk_fn fn, void *data, int depth)
{
	struct ms_error e2 = {0};
	int fd = open_flags(sr, path, O_DIRECTORY, &e2);
	if (fd < 0)
		return 0; /* vanished, or not ours to list: passed over */
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return 0;
	}
	int ret = 0;
	struct dirent *de;
	while (!ret && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		size_t nl = strlen(de->d_name);
		if (len + 1 + nl + 1 > cap)
			continue; /* a path too long for us: passed over */
		path[len] = '/';
		memcpy(path + len + 1, de->d_name, nl + 1);
		unsigned char t = de->d_type;
		if (t == DT_UNKNOWN) {
			struct stat st;
			if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0)
				t = S_ISDIR(st.st_mode) ? DT_DIR : S_ISLNK(st.st_mode) ? DT_LNK : DT_REG;
		}
		if (t == DT_LNK) {
			char target[1024];
			ssize_t n = readlinkat(dirfd(d), de->d_name, target, sizeof(target) - 1);
			if (n > 0) {
				target[n] = '\0';
				ret = fn(data, path, SR_LINK, target);
			}
		} else if (t == DT_DIR) {
			ret = fn(data, path, SR_DIR, NULL);
			if (ret == 1)
				ret = 0;
			else if (!ret && depth < 16)
				ret = walk_dir(sr, path, len + 1 + nl, cap, fn, data, depth + 1);
		} else if (t == DT_REG) {
			/* sysfs' write-only attributes (reclaim, compact): nothing to read */
			struct stat st;
			bool wo = fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
				  !(st.st_mode & 0444);
			ret = fn(data, path, wo ? SR_WRITE_ONLY : SR_FILE, NULL);
		}
		path[len] = '\0';
	}
	closedir(d);
	return ret;
}

int sysroot_walk(const struct sysroot *sr, const char *path, sysroot_walk_fn fn, void *data,
		 struct ms_error *err)
{
	if (sr->archive) {
		int e = sysroot_exists(sr, path, true, err);
		return e ? e : sysarchive_walk(sr->archive, path, fn, data);
	}
	int fd = open_flags(sr, path, O_DIRECTORY, err);
	if (fd < 0)
		return fd;
	close(fd);
	char buf[4096];
	size_t len = strlen(path);
	if (len >= sizeof(buf))
		return ms_say(err, -ENAMETOOLONG, "path too long: %s", path);
	memcpy(buf, path, len + 1);
	return walk_dir(sr, buf, len, sizeof(buf), fn, data, 0);
}

/* @n names (@bytes with their NULs) as one allocation, pointers then strings, sorted */
static char **names_one(char *const *v, size_t n, size_t bytes)
{
	char **one = malloc(n * sizeof(*one) + bytes + 1);
	if (!one)
		return NULL;
	char *at = (char *)(one + n);
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(v[i]) + 1;
		one[i] = memcpy(at, v[i], l);
		at += l;
	}
	qsort(one, n, sizeof(*one), natural_cmp);
	return one;
}

static int list_archive(const struct sysroot *sr, const char *path, const char *prefix,
			char ***names, struct ms_error *err)
{
	int e = sysroot_exists(sr, path, true, err);
	if (e)
		return e;
	const char **v;
	int n = sysarchive_children(sr->archive, path, &v);
	if (n < 0)
		return open_failed(sr, path, O_DIRECTORY, -n, err);
	size_t plen = strlen(prefix), k = 0, bytes = 0;
	for (int i = 0; i < n; i++)
		if (v[i][0] != '.' && !strncmp(v[i], prefix, plen)) {
			v[k++] = v[i];
			bytes += strlen(v[i]) + 1;
		}
	*names = names_one((char *const *)v, k, bytes);
	free(v);
	if (!*names) {
		char name[512];
		sysroot_name(sr, path, name, sizeof(name));
		return ms_fail(err, -ENOMEM, name, 0, "out of memory");
	}
	return k > INT_MAX ? INT_MAX : (int)k;
}

int sysroot_list(const struct sysroot *sr, const char *path, const char *prefix,
		 char ***names, struct ms_error *err)
{
	char name[512];
	*names = NULL;
	if (sr->archive)
		return list_archive(sr, path, prefix, names, err);
	int fd = open_flags(sr, path, O_DIRECTORY, err);
	if (fd < 0)
		return fd;
	DIR *d = fdopendir(fd);
	if (!d) {
		int e = errno;
		close(fd);
		sysroot_name(sr, path, name, sizeof(name));
		return ms_fail(err, -e, name, 0, "cannot list: %s", strerror(e));
	}
	size_t plen = strlen(prefix), n = 0, cap = 0, bytes = 0;
	char **v = NULL;
	struct dirent *de;
	int ret = 0;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || strncmp(de->d_name, prefix, plen))
			continue;
		char *copy = strdup(de->d_name);
		if (!copy || grow(&v, &cap, n + 1, sizeof(*v), 64)) {
			free(copy);
			ret = -ENOMEM;
			break;
		}
		v[n++] = copy;
		bytes += strlen(copy) + 1;
	}
	closedir(d);
	/* one allocation, pointers then strings, so the caller frees once */
	char **one = ret ? NULL : names_one(v, n, bytes);
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
	if (!one) {
		sysroot_name(sr, path, name, sizeof(name));
		return ms_fail(err, -ENOMEM, name, 0, "out of memory");
	}
	*names = one;
	return n > INT_MAX ? INT_MAX : (int)n;
}

int sysroot_read_fd(int fd, const char *name, struct buf *out, struct ms_error *err)
{
	size_t cap = 64 * 1024, len = 0;
	char *data = malloc(cap + 1);
	if (!data) {
		close(fd);
		return ms_fail(err, -ENOMEM, name, 0, "out of memory");
	}
	for (;;) {
		if (len == cap) {
			char *n = cap > SIZE_MAX / 4 ? NULL : realloc(data, cap * 2 + 1);
			if (!n) {
				free(data);
				close(fd);
				return ms_fail(err, -ENOMEM, name, 0, "file too large for memory");
			}
			data = n;
			cap *= 2;
		}
		ssize_t r = read(fd, data + len, cap - len);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			free(data);
			close(fd);
			if (e == EISDIR)
				return ms_fail(err, -e, name, 0, "is a directory, not a file");
			return ms_fail(err, -e, name, 0, "read error: %s", strerror(e));
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	data[len] = '\0';
	out->data = data;
	out->len = len;
	return 0;
}

int sysroot_read(const struct sysroot *sr, const char *path, struct buf *out,
		 struct ms_error *err)
{
	char name[512];
	if (sr->archive) {
		int e = sysarchive_read(sr->archive, path, out);
		if (e == -EFBIG) { /* a sparse member: its readers pread it, none reads it whole */
			sysroot_name(sr, path, name, sizeof(name));
			return ms_fail(err, e, name, 0, "over the 256 MiB a file may hold to be read "
							"whole");
		}
		return e ? open_failed(sr, path, 0, -e, err) : 0;
	}
	int fd = sysroot_openat(sr, path, err);
	if (fd < 0)
		return fd;
	sysroot_name(sr, path, name, sizeof(name));
	return sysroot_read_fd(fd, name, out, err);
}

void buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = 0;
}

int sysroot_parse(const struct sysroot *sr, const char *path, text_parser parse, void *out,
		  struct ms_error *err)
{
	struct buf b;
	char name[512];
	int ret = sysroot_read(sr, path, &b, err);
	if (ret)
		return ret;
	sysroot_name(sr, path, name, sizeof(name));
	ret = parse(b.data, b.len, name, out, err);
	buf_free(&b);
	return ret;
}
