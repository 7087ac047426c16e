/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A capture archive read once into a sorted index in memory; links resolved inside it alone,
 * as openat2's RESOLVE_BENEATH keeps a directory's. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lib/dlib.h"
#include "lib/grow.h"
#include "proc/sysarchive.h"

/* A run of a file's bytes at @off (a sparse file has several, with holes between) */
struct sa_chunk {
	uint64_t off;
	size_t len, cap;
	char *data;
};

struct sa_entry {
	char *path; /* normalized: no "./", no '/' at either end; "" is the root */
	enum sysroot_entry type;
	char *link;   /* a link's target */
	uint64_t size; /* a file's length, holes included */
	struct sa_chunk *chunk;
	size_t nchunk, chunkcap;
};

struct sysroot_archive {
	struct sa_entry *v;
	size_t n, cap;
	uint64_t total; /* data bytes held */
};

static void entry_free(struct sa_entry *e)
{
	for (size_t i = 0; i < e->nchunk; i++)
		free(e->chunk[i].data);
	free(e->chunk);
	free(e->path);
	free(e->link);
	memset(e, 0, sizeof(*e));
}

void sysarchive_free(struct sysroot_archive *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->n; i++)
		entry_free(&a->v[i]);
	free(a->v);
	free(a);
}

static int by_path(const void *x, const void *y)
{
	return strcmp(((const struct sa_entry *)x)->path, ((const struct sa_entry *)y)->path);
}

static struct sa_entry *find(const struct sysroot_archive *a, const char *path)
{
	struct sa_entry key = {.path = (char *)path};
	return bsearch(&key, a->v, a->n, sizeof(*a->v), by_path);
}

/* The next component of a path at *@p (slashes before it passed over), its length in *@l;
 * NULL at the end. *@p is left after it. */
static const char *component(const char **p, size_t *l)
{
	while (**p == '/')
		(*p)++;
	if (!**p)
		return NULL;
	const char *c = *p;
	*p = strchrnul(c, '/');
	*l = (size_t)(*p - c);
	return c;
}

static bool dotdot(const char *c, size_t l)
{
	return l == 2 && c[0] == '.' && c[1] == '.';
}

/* @name's path without "./", "//" and "/." and the '/' at either end, in @out; -1 with @why
 * for an absolute path or a ".." */
static int normalize(const char *name, char *out, size_t size, const char **why)
{
	if (name[0] == '/') {
		*why = "an absolute path";
		return -1;
	}
	size_t n = 0, l;
	for (const char *p = name, *c; (c = component(&p, &l));) {
		if (dotdot(c, l)) {
			*why = "a '..' in its path";
			return -1;
		}
		if (l == 1 && c[0] == '.')
			continue;
		if (n + (n ? 1 : 0) + l + 1 > size) {
			*why = "a path too long";
			return -1;
		}
		if (n)
			out[n++] = '/';
		memcpy(out + n, c, l);
		n += l;
	}
	out[n] = '\0';
	return 0;
}

/* Whether link @path -> @target stays in the archive, read as written (no other link followed;
 * sysarchive_stat() checks again as it follows them) */
static bool link_inside(const char *path, const char *target)
{
	if (target[0] == '/' || !target[0])
		return false;
	long depth = 0;
	for (const char *p = path; (p = strchr(p, '/')); p++)
		depth++; /* the components of the link's directory */
	size_t l;
	for (const char *p = target, *c; (c = component(&p, &l));) {
		if (dotdot(c, l)) {
			if (--depth < 0)
				return false;
		} else if (!(l == 1 && c[0] == '.')) {
			depth++;
		}
	}
	return true;
}

static int add_entry(struct sysroot_archive *a, const char *path, enum sysroot_entry type,
		     struct sa_entry **out)
{
	if (a->n >= SYSARCHIVE_MEMBERS_MAX)
		return -E2BIG;
	if (grow(&a->v, &a->cap, a->n + 1, sizeof(*a->v), 256))
		return -ENOMEM;
	struct sa_entry *e = &a->v[a->n];
	memset(e, 0, sizeof(*e));
	if (!(e->path = strdup(path)))
		return -ENOMEM;
	e->type = type;
	a->n++;
	/* what an entry holds counts against the total as its data does: a million members
	 * with long names must not pass the limit by holding nothing */
	a->total += sizeof(*e) + strlen(path) + 1;
	if (a->total > SYSARCHIVE_TOTAL_MAX)
		return -EFBIG;
	*out = e;
	return 0;
}

/* The data of the member just read, as libarchive hands it over in blocks (by offset: a
 * sparse member's holes are skipped) */
static int read_data(struct archive *ar, struct sysroot_archive *a, struct sa_entry *e,
		     bool sparse, const char **why)
{
	uint64_t held = 0;
	for (;;) {
		const void *buf;
		size_t len;
		la_int64_t off;
		int r = sym_archive_read_data_block(ar, &buf, &len, &off);
		if (r == ARCHIVE_EOF)
			return 0;
		if (r < ARCHIVE_WARN) {
			*why = sym_archive_error_string(ar);
			return -EIO;
		}
		if (!len)
			continue;
		if (off < 0 || (uint64_t)off + len > (sparse ? SYSARCHIVE_SPARSE_MAX : e->size)) {
			*why = "data past its length";
			return -EINVAL;
		}
		held += len;
		if (!sparse && held > SYSARCHIVE_MEMBER_MAX) {
			*why = "over the 256 MiB a member may hold";
			return -EFBIG;
		}
		/* the memory held counts against the total, not the bytes read: a sparse map of
		 * a million one-byte runs costs a chunk each */
		struct sa_chunk *c = e->nchunk ? &e->chunk[e->nchunk - 1] : NULL;
		size_t more = 0;
		if (!c || c->off + c->len != (uint64_t)off)
			more = sizeof(*c);
		size_t cap = c && !more ? c->cap : 0;
		if ((c && !more ? c->len : 0) + len > cap) {
			size_t want = (c && !more ? c->len : 0) + len;
			cap = cap ? cap : want;
			while (cap < want)
				cap *= 2;
			more += cap - (c && !more ? c->cap : 0);
		}
		a->total += more;
		if (a->total > SYSARCHIVE_TOTAL_MAX) {
			*why = "over the 1 GiB all members may hold";
			return -EFBIG;
		}
		if (!c || c->off + c->len != (uint64_t)off) {
			if (grow(&e->chunk, &e->chunkcap, e->nchunk + 1, sizeof(*e->chunk), 4))
				return -ENOMEM;
			c = &e->chunk[e->nchunk++];
			*c = (struct sa_chunk){.off = (uint64_t)off};
		}
		if (c->len + len > c->cap) {
			char *d = realloc(c->data, cap);
			if (!d)
				return -ENOMEM;
			c->data = d;
			c->cap = cap;
		}
		memcpy(c->data + c->len, buf, len);
		c->len += len;
		if ((uint64_t)off + len > e->size)
			e->size = (uint64_t)off + len;
	}
}

/* One member: refused with @why, or indexed */
static int member(struct archive *ar, struct archive_entry *ae, struct sysroot_archive *a,
		  char *path, size_t size, const char **why)
{
	const char *name = sym_archive_entry_pathname(ae);
	if (!name) {
		*why = "a name that cannot be read";
		return -EINVAL;
	}
	if (normalize(name, path, size, why)) {
		path[0] = '\0'; /* named as written */
		return -EINVAL;
	}
	if (sym_archive_entry_hardlink(ae)) {
		*why = "a hard link (memscope reads files, directories and symbolic links)";
		return -EINVAL;
	}
	enum sysroot_entry type;
	switch (sym_archive_entry_filetype(ae)) {
	case AE_IFREG:
		type = SR_FILE;
		break;
	case AE_IFDIR:
		type = SR_DIR;
		break;
	case AE_IFLNK:
		type = SR_LINK;
		break;
	default:
		*why = "a device, fifo or socket (memscope reads files, directories and symbolic "
		       "links)";
		return -EINVAL;
	}
	if (!path[0]) {
		if (type != SR_DIR) {
			*why = "the archive's root as a file";
			return -EINVAL;
		}
		return 0; /* "./": the root, already there */
	}
	const char *target = type == SR_LINK ? sym_archive_entry_symlink(ae) : NULL;
	if (type == SR_LINK && (!target || !link_inside(path, target))) {
		*why = "a symbolic link leading out of the archive";
		return -EXDEV;
	}
	bool sparse = sym_archive_entry_sparse_count(ae) > 0;
	int64_t claimed = sym_archive_entry_size_is_set(ae) ? sym_archive_entry_size(ae) : 0;
	if (type == SR_FILE && (claimed < 0 || (uint64_t)claimed > (sparse ? SYSARCHIVE_SPARSE_MAX
									  : SYSARCHIVE_MEMBER_MAX))) {
		*why = sparse ? "a sparse member longer than 1 PiB"
			      : "a member over the 256 MiB a member may hold";
		return -EFBIG;
	}
	struct sa_entry *e;
	int ret = add_entry(a, path, type, &e);
	if (ret) {
		*why = ret == -E2BIG   ? "more than a million members"
		     : ret == -EFBIG ? "over the 1 GiB all members may hold"
				     : "out of memory";
		return ret;
	}
	if (type == SR_LINK && !(e->link = strdup(target))) {
		*why = "out of memory";
		return -ENOMEM;
	}
	if (type == SR_LINK && (a->total += strlen(target) + 1) > SYSARCHIVE_TOTAL_MAX) {
		*why = "over the 1 GiB all members may hold";
		return -EFBIG;
	}
	if (type != SR_FILE)
		return 0;
	e->size = (uint64_t)claimed;
	ret = read_data(ar, a, e, sparse, why);
	if (ret == -ENOMEM)
		*why = "out of memory";
	return ret;
}

/* Sorted, duplicates dropped (the later member wins, as tar -x has it), the root and every
 * member's directories made; a path both a file and a directory is refused */
static int finish(struct sysroot_archive *a, const char **why, char *path)
{
	struct sa_entry *e;
	if (add_entry(a, "", SR_DIR, &e))
		return *why = "out of memory", -ENOMEM;
	size_t n = a->n;
	for (size_t i = 0; i < n; i++) {
		char p[4096];
		snprintf(p, sizeof(p), "%s", a->v[i].path);
		for (char *s = strrchr(p, '/'); s; s = strrchr(p, '/')) {
			*s = '\0';
			bool have = false;
			/* most members follow their directory: look back a little first */
			for (size_t j = a->n; j-- > 0 && j + 64 > a->n;)
				if (!strcmp(a->v[j].path, p)) {
					have = true;
					break;
				}
			if (have)
				break;
			int r = add_entry(a, p, SR_DIR, &e);
			if (r)
				return *why = r == -E2BIG   ? "more than a million members"
					    : r == -EFBIG ? "over the 1 GiB all members may hold"
							    : "out of memory",
				       r;
		}
	}
	/* duplicates told apart by their order in the archive */
	struct order {
		struct sa_entry e;
		size_t i;
	};
	struct order *o = malloc(a->n * sizeof(*o));
	if (!o)
		return *why = "out of memory", -ENOMEM;
	for (size_t i = 0; i < a->n; i++)
		o[i] = (struct order){a->v[i], i};
	qsort(o, a->n, sizeof(*o), by_path); /* by e.path, its first member */
	size_t k = 0;
	bool clash = false;
	for (size_t i = 0; i < a->n; i++) {
		/* among equal paths keep the latest member; a directory made up for a member
		 * gives way to any real entry */
		size_t j = i;
		while (j + 1 < a->n && !strcmp(o[j + 1].e.path, o[i].e.path))
			j++;
		size_t keep = i;
		for (size_t m = i; m <= j; m++)
			if (o[m].i < n && (o[keep].i >= n || o[m].i > o[keep].i))
				keep = m;
		/* refused, but only after the loop: every entry must end in a->v once, or
		 * freeing the index would free one twice */
		if (o[keep].e.type == SR_FILE && j > i && !clash)
			for (size_t m = i; m <= j; m++)
				if (o[m].i >= n) {
					snprintf(path, 4096, "%s", o[keep].e.path);
					clash = true;
					break;
				}
		for (size_t m = i; m <= j; m++)
			if (m != keep)
				entry_free(&o[m].e);
		a->v[k++] = o[keep].e;
		i = j;
	}
	a->n = k;
	free(o);
	if (clash) {
		*why = "both a file and a directory";
		return -EINVAL;
	}
	/* a member beneath a file or a link: nothing could open it */
	for (size_t i = 0; i < a->n; i++) {
		char p[4096];
		snprintf(p, sizeof(p), "%s", a->v[i].path);
		char *s = strrchr(p, '/');
		if (!s)
			continue;
		*s = '\0';
		struct sa_entry *d = find(a, p);
		if (d && d->type != SR_DIR) {
			snprintf(path, 4096, "%s", p);
			*why = "both a file and a directory";
			return -EINVAL;
		}
	}
	return 0;
}

int sysarchive_open(const char *file, struct sysroot_archive **out, struct ms_error *err)
{
	*out = NULL;
	int loaded = dlib_archive("reading a capture archive", err);
	if (loaded)
		return loaded;
	struct sysroot_archive *a = calloc(1, sizeof(*a));
	struct archive *ar = sym_archive_read_new();
	if (!a || !ar) {
		free(a);
		if (ar)
			sym_archive_read_free(ar);
		return ms_fail(err, -ENOMEM, file, 0, "out of memory");
	}
	sym_archive_read_support_filter_all(ar);
	sym_archive_read_support_format_tar(ar);
	sym_archive_read_support_format_gnutar(ar);
	char path[4096] = "";
	const char *why = NULL;
	int ret = 0;
	if (sym_archive_read_open_filename(ar, file, 64 * 1024) != ARCHIVE_OK) {
		ret = -EINVAL;
		why = sym_archive_error_string(ar);
	}
	struct archive_entry *ae;
	size_t members = 0;
	while (!ret) {
		int r = sym_archive_read_next_header(ar, &ae);
		if (r == ARCHIVE_EOF)
			break;
		if (r < ARCHIVE_WARN) {
			ret = -EINVAL;
			why = sym_archive_error_string(ar);
			path[0] = '\0';
			break;
		}
		members++;
		ret = member(ar, ae, a, path, sizeof(path), &why);
		if (ret == -EINVAL && !path[0] && sym_archive_entry_pathname(ae))
			snprintf(path, sizeof(path), "%s", sym_archive_entry_pathname(ae));
	}
	if (!ret && !members) {
		ret = -EINVAL;
		why = "an empty archive";
	}
	if (!ret)
		ret = finish(a, &why, path);
	char reason[1024] = "";
	if (ret) {
		snprintf(reason, sizeof(reason), "%s", why ? why : strerror(-ret));
		/* libarchive's own words: a capital and a full stop */
		size_t l = strlen(reason);
		if (l && reason[l - 1] == '.')
			reason[l - 1] = '\0';
		if (reason[0] >= 'A' && reason[0] <= 'Z' && !(reason[1] >= 'A' && reason[1] <= 'Z'))
			reason[0] = (char)(reason[0] - 'A' + 'a');
	}
	/* libarchive knew the compression or saw a tar header: an archive, if broken */
	bool recognized = !ret || strcmp(reason, "unrecognized archive format");
	sym_archive_read_free(ar);
	if (ret) {
		sysarchive_free(a);
		if (path[0])
			return ms_fail(err, ret, file, 0, "archive refused: member '%s': %s", path,
				       reason);
		if (!members && !recognized)
			return ms_fail(err, ret, file, 0,
				       "sysroot is neither a directory nor an archive (%s)", reason);
		return ms_fail(err, ret, file, 0, "archive refused: %s", reason);
	}
	*out = a;
	return 0;
}

/* @path resolved in the index, links followed (the last one too with @follow_last) */
static int resolve(const struct sysroot_archive *a, const char *path, bool follow_last,
		   const struct sa_entry **out)
{
	char cur[4096] = "", rest[4096];
	if (strlen(path) >= sizeof(rest))
		return -ENAMETOOLONG;
	strcpy(rest, path);
	size_t clen = 0;
	int links = 0;
	char *p = rest;
	for (;;) {
		size_t l;
		const char *after = p, *c = component(&after, &l);
		if (!c)
			break;
		char *end = rest + (after - rest);
		p = rest + (c - rest);
		bool last = !*end || !end[strspn(end, "/")];
		if (l == 1 && p[0] == '.') {
			p = end;
			continue;
		}
		if (dotdot(p, l)) {
			if (!clen)
				return -EXDEV; /* above the root */
			char *s = strrchr(cur, '/');
			clen = s ? (size_t)(s - cur) : 0;
			cur[clen] = '\0';
			p = end;
			continue;
		}
		size_t was = clen;
		if (clen + 1 + l + 1 > sizeof(cur))
			return -ENAMETOOLONG;
		if (clen)
			cur[clen++] = '/';
		memcpy(cur + clen, p, l);
		clen += l;
		cur[clen] = '\0';
		const struct sa_entry *e = find(a, cur);
		if (!e)
			return -ENOENT;
		if (e->type == SR_LINK && (!last || follow_last)) {
			if (++links > 40)
				return -ELOOP;
			if (e->link[0] == '/')
				return -EXDEV;
			char next[4096];
			int n = snprintf(next, sizeof(next), "%s/%s", e->link, end);
			if (n < 0 || (size_t)n >= sizeof(next))
				return -ENAMETOOLONG;
			strcpy(rest, next);
			p = rest;
			clen = was;
			cur[clen] = '\0';
			continue;
		}
		if (e->type == SR_FILE && !last)
			return -ENOTDIR;
		p = end;
	}
	*out = find(a, cur);
	return *out ? 0 : -ENOENT;
}

int sysarchive_stat(const struct sysroot_archive *a, const char *path, enum sysroot_entry *type)
{
	const struct sa_entry *e;
	int ret = resolve(a, path, true, &e);
	if (!ret)
		*type = e->type;
	return ret;
}

/* The file at @path, its links followed: 0, or -ENOENT, -EISDIR, ... */
static int resolve_file(const struct sysroot_archive *a, const char *path,
			const struct sa_entry **e)
{
	int ret = resolve(a, path, true, e);
	return ret ? ret : (*e)->type == SR_DIR ? -EISDIR : 0;
}

int sysarchive_fd(const struct sysroot_archive *a, const char *path)
{
	const struct sa_entry *e;
	int ret = resolve_file(a, path, &e);
	if (ret)
		return ret;
	int fd = memfd_create("memscope-sysroot", MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* the length first: a sparse member's holes stay holes, read as zeros */
	if (ftruncate(fd, (off_t)e->size) != 0) {
		int err = errno;
		close(fd);
		return -err;
	}
	for (size_t i = 0; i < e->nchunk; i++) {
		const struct sa_chunk *c = &e->chunk[i];
		for (size_t done = 0; done < c->len;) {
			ssize_t w = pwrite(fd, c->data + done, c->len - done, (off_t)(c->off + done));
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0) {
				int err = w < 0 ? errno : EIO;
				close(fd);
				return -err;
			}
			done += (size_t)w;
		}
	}
	return fd;
}

int sysarchive_read(const struct sysroot_archive *a, const char *path, struct buf *out)
{
	const struct sa_entry *e;
	int ret = resolve_file(a, path, &e);
	if (ret)
		return ret;
	if (e->size > SYSARCHIVE_MEMBER_MAX)
		return -EFBIG; /* a sparse one: read through sysarchive_fd() */
	char *d = calloc(1, e->size + 1);
	if (!d)
		return -ENOMEM;
	for (size_t i = 0; i < e->nchunk; i++)
		memcpy(d + e->chunk[i].off, e->chunk[i].data, e->chunk[i].len);
	out->data = d;
	out->len = e->size;
	return 0;
}

int sysarchive_children(const struct sysroot_archive *a, const char *path, const char ***names)
{
	*names = NULL;
	const struct sa_entry *d;
	int ret = resolve(a, path, true, &d);
	if (ret)
		return ret;
	if (d->type != SR_DIR)
		return -ENOTDIR;
	size_t plen = strlen(d->path);
	char prefix[4096];
	snprintf(prefix, sizeof(prefix), "%s/", d->path);
	/* the paths beneath it sort together, from the first at or after "DIR/" on ("DIR-x"
	 * may come between DIR and them) */
	size_t lo = plen ? 0 : 1, hi = plen ? a->n : 1, n = 0, cap = 0; /* the root is first */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(a->v[mid].path, prefix) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	const char **v = NULL;
	for (size_t i = lo; i < a->n; i++) {
		const char *p = a->v[i].path;
		if (plen && strncmp(p, prefix, plen + 1))
			break;
		const char *name = plen ? p + plen + 1 : p;
		if (strchr(name, '/'))
			continue;
		if (grow(&v, &cap, n + 1, sizeof(*v), 64)) {
			free(v);
			return -ENOMEM;
		}
		v[n++] = name;
	}
	*names = v;
	return (int)n;
}

static int walk(const struct sysroot_archive *a, const char *path, sysroot_walk_fn fn, void *data,
		int depth)
{
	const char **names;
	int n = sysarchive_children(a, path, &names);
	if (n < 0)
		return 0; /* passed over, as a directory that cannot be listed */
	int ret = 0;
	for (int i = 0; i < n && !ret; i++) {
		char rel[4096];
		if ((size_t)snprintf(rel, sizeof(rel), "%s/%s", path, names[i]) >= sizeof(rel))
			continue;
		const struct sa_entry *e;
		if (resolve(a, rel, false, &e))
			continue;
		if (e->type == SR_LINK) {
			ret = fn(data, rel, SR_LINK, e->link);
		} else if (e->type == SR_DIR) {
			ret = fn(data, rel, SR_DIR, NULL);
			if (ret == 1)
				ret = 0;
			else if (!ret && depth < 16)
				ret = walk(a, rel, fn, data, depth + 1);
		} else {
			ret = fn(data, rel, SR_FILE, NULL);
		}
	}
	free(names);
	return ret;
}

int sysarchive_walk(const struct sysroot_archive *a, const char *path, sysroot_walk_fn fn,
		    void *data)
{
	enum sysroot_entry t;
	int ret = sysarchive_stat(a, path, &t);
	if (ret)
		return ret;
	if (t != SR_DIR)
		return -ENOTDIR;
	return walk(a, path, fn, data, 0);
}
