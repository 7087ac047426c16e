/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reader of /sys/kernel/slab/CACHE/ATTR (mm/slub.c: the *_show() functions, and
 * show_slab_objects() for the counts per node). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lib/units.h"
#include "proc/slabsys.h"
#include "proc/text.h"

static const char *const names[SA_N] = {SLABSYS_ATTRS(XLIST_NAME)};

const char *slabsys_name(enum slabsys_attr a)
{
	return names[a];
}

static bool blank_bytes(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return false;
	return true;
}

int slabsys_parse(const char *data, size_t len, const char *file, uint64_t *v,
		  struct ms_error *err)
{
	if (len == 0)
		return ms_fail(err, -EINVAL, file, 0, "empty file");
	const char *nl = memchr(data, '\n', len);
	size_t n = nl ? (size_t)(nl - data) : len;
	if (memchr(data, '\0', n))
		return ms_fail(err, -EINVAL, file, 1, "NUL byte in line");
	if (nl && !blank_bytes(nl + 1, len - n - 1))
		return ms_fail(err, -EINVAL, file, 2, "more than one line");
	char line[256];
	if (n >= sizeof(line))
		return ms_fail(err, -EINVAL, file, 1, "line too long for a number");
	memcpy(line, data, n);
	line[n] = '\0';
	char *p = text_skip_blank(line);
	int r = text_u64(&p, v);
	if (r == -ERANGE)
		return ms_fail(err, r, file, 1, "the number does not fit in 64 bits");
	if (r)
		return ms_fail(err, -EINVAL, file, 1, "expected a number");
	/* " N0=5 N1=7" on a NUMA kernel: checked, not kept (the kernel sums its nodes unlocked,
	 * so a moving count need not add up) */
	for (;;) {
		char *q = text_skip_blank(p);
		if (!*q)
			break;
		uint64_t node, c;
		if (q == p || *q != 'N')
			return ms_fail(err, -EINVAL, file, 1, "expected 'COUNT [N0=COUNT ...]'");
		q++;
		if (text_u64(&q, &node) || *q != '=')
			return ms_fail(err, -EINVAL, file, 1, "expected 'COUNT [N0=COUNT ...]'");
		q++;
		r = text_u64(&q, &c);
		if (r)
			return ms_fail(err, r == -ERANGE ? r : -EINVAL, file, 1,
				       r == -ERANGE ? "a count does not fit in 64 bits"
						    : "expected 'COUNT [N0=COUNT ...]'");
		p = q;
	}
	return 0;
}

int slabsys_read(const struct sysroot *sr, const char *cache, unsigned mask, struct slabsys *s,
		 struct ms_error *err)
{
	memset(s, 0, sizeof(*s));
	char path[512], name[768];
	snprintf(path, sizeof(path), "sys/kernel/slab/%s", cache);
	if (!*cache || strchr(cache, '/') || !strcmp(cache, ".") || !strcmp(cache, "..") ||
	    strlen(cache) > 256) {
		sysroot_name(sr, path, name, sizeof(name));
		return ms_fail(err, -EINVAL, name, 0, "not a cache name sysfs can have");
	}
	/* an archive has no directory to open: its files are read by path */
	int dfd = sr->archive ? sysroot_exists(sr, path, true, err) : sysroot_openat(sr, path, err);
	if (dfd < 0)
		return dfd;
	int ret = 0;
	for (int a = 0; a < SA_N && !ret; a++) {
		if (!(mask & SA_BIT(a)))
			continue;
		snprintf(name, sizeof(name), "%s/%s", path, names[a]);
		/* beneath the cache's directory, which is beneath the root: no link followed */
		struct ms_error aerr;
		int fd = sr->archive ? sysroot_openat(sr, name, &aerr)
				     : openat(dfd, names[a], O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
		if (fd < 0) {
			int e = sr->archive ? -fd : errno;
			if (e == ENOENT)
				continue;
			char shown[768];
			sysroot_name(sr, name, shown, sizeof(shown));
			ret = ms_fail(err, -e, shown, 0, "cannot open: %s", strerror(e));
			break;
		}
		char buf[4096];
		ssize_t n;
		do
			n = read(fd, buf, sizeof(buf));
		while (n < 0 && errno == EINTR);
		int e = errno;
		close(fd);
		char shown[768];
		sysroot_name(sr, name, shown, sizeof(shown));
		if (n < 0)
			ret = ms_fail(err, -e, shown, 0, "read error: %s", strerror(e));
		else if (n == sizeof(buf))
			ret = ms_fail(err, -EINVAL, shown, 0, "longer than a sysfs attribute can be");
		else
			ret = slabsys_parse(buf, (size_t)n, shown, &s->v[a], err);
		if (!ret)
			s->has[a] = true;
	}
	if (!sr->archive)
		close(dfd);
	return ret;
}
