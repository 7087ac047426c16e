/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Opens the root once and reads every /proc file through it (openat2 keeps dumps closed). */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "proc/sysroot.h"

int sysroot_open(struct sysroot *sr, const char *dir, struct ms_error *err)
{
	sr->dir = dir;
	sr->fd = open(dir ? dir : "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (sr->fd < 0) {
		int e = errno;
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

static int open_beneath(int dirfd, const char *path)
{
	/* RESOLVE_BENEATH: a link in a dump that climbs out of it is refused (EXDEV), so a
	 * dump can never make memscope read the live system or anything else */
	struct open_how how = {
		.flags = O_RDONLY | O_CLOEXEC,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS,
	};
	long fd = syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
	if (fd < 0 && (errno == ENOSYS || errno == EPERM)) {
		/* kernels before 5.6, or seccomp filters that do not know openat2 */
		fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	}
	return (int)fd;
}

int sysroot_openat(const struct sysroot *sr, const char *path, struct ms_error *err)
{
	char name[512];
	sysroot_name(sr, path, name, sizeof(name));
	int fd = sr->dir ? open_beneath(sr->fd, path) : openat(sr->fd, path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0)
		return fd;
	int e = errno;
	if (sr->dir && e == ENOENT)
		return ms_fail(err, -e, name, 0, "missing from the dump");
	if (sr->dir && (e == EXDEV || e == ELOOP))
		return ms_fail(err, -e, name, 0, "a link leads outside the sysroot");
	return ms_fail(err, -e, name, 0, "cannot open: %s", strerror(e));
}

int sysroot_read(const struct sysroot *sr, const char *path, struct buf *out,
		 struct ms_error *err)
{
	char name[512];
	int fd = sysroot_openat(sr, path, err);
	if (fd < 0)
		return fd;
	size_t cap = 64 * 1024, len = 0;
	char *data = malloc(cap + 1);
	if (!data) {
		close(fd);
		sysroot_name(sr, path, name, sizeof(name));
		return ms_fail(err, -ENOMEM, name, 0, "out of memory");
	}
	for (;;) {
		if (len == cap) {
			char *n = cap > SIZE_MAX / 4 ? NULL : realloc(data, cap * 2 + 1);
			if (!n) {
				free(data);
				close(fd);
				sysroot_name(sr, path, name, sizeof(name));
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
			sysroot_name(sr, path, name, sizeof(name));
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
