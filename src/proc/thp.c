/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reader of /sys/kernel/mm/transparent_hugepage (mm/huge_memory.c, mm/khugepaged.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proc/text.h"
#include "proc/thp.h"

static const char *const kh_names[KH_N] = {THP_KHUGEPAGED(XLIST_NAME)};
static const char *const ts_names[TS_N] = {THP_STATS(XLIST_NAME)};

const char *thp_khugepaged_name(enum thp_khugepaged k)
{
	return kh_names[k];
}

const char *thp_stat_name(enum thp_stat s)
{
	return ts_names[s];
}

static bool word_byte(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-' || c == '+';
}

int thp_choice_parse(const char *data, size_t len, const char *file, char *sel, size_t size,
		     struct ms_error *err)
{
	sel[0] = '\0';
	/* one line of words, the one in force in brackets */
	size_t n = len;
	/* NULs after the line: a saved page's padding (as lines_open() reads them) */
	while (n && data[n - 1] == '\0')
		n--;
	if (n < len && n && data[n - 1] != '\n')
		n = len; /* not after a whole line: the line holds them, and fails */
	while (n && (data[n - 1] == '\n' || data[n - 1] == ' '))
		n--;
	if (!n)
		return ms_fail(err, -EINVAL, file, 0, "empty file");
	const char *w = NULL; /* the bracketed word, else the first */
	size_t wl = 0, words = 0, bracketed = 0;
	for (size_t i = 0; i < n;) {
		if (data[i] == ' ') {
			i++;
			continue;
		}
		bool br = data[i] == '[';
		size_t s = i + br, e = s;
		while (e < n && word_byte(data[e]))
			e++;
		if (e == s || (br && (e >= n || data[e] != ']')) ||
		    (e + br < n && data[e + br] != ' '))
			return ms_fail(err, -EINVAL, file, 1,
				       "expected words, the one in force in brackets");
		if (br || !words) {
			w = data + s;
			wl = e - s;
		}
		bracketed += br;
		words++;
		i = e + br;
	}
	if (bracketed > 1)
		return ms_fail(err, -EINVAL, file, 1, "two words in brackets");
	if (!bracketed && words != 1)
		return ms_fail(err, -EINVAL, file, 1, "no word in brackets");
	if (wl >= size)
		return ms_fail(err, -EINVAL, file, 1, "word too long");
	memcpy(sel, w, wl);
	sel[wl] = '\0';
	return 0;
}

/* A policy file at @dir/@name into @sel: absent leaves it "" (0) */
static int choice_read(const struct sysroot *sr, const char *dir, const char *name, char *sel,
		       struct ms_error *err)
{
	char path[512], shown[600];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	struct buf b = {0};
	struct ms_error lerr = {0};
	int e = sysroot_read(sr, path, &b, &lerr);
	sel[0] = '\0';
	if (e == -ENOENT)
		return 0;
	if (e) {
		*err = lerr;
		return e;
	}
	sysroot_name(sr, path, shown, sizeof(shown));
	e = thp_choice_parse(b.data, b.len, shown, sel, THP_WORD, err);
	buf_free(&b);
	return e;
}

/* A number at @dir/@name: absent is *@has false (0) */
static int num_read(const struct sysroot *sr, const char *dir, const char *name, uint64_t *v,
		    bool *has, struct ms_error *err)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	struct ms_error lerr = {0};
	int e = sysfs_attr_u64(sr, path, v, &lerr);
	*has = !e;
	if (e == -ENOENT)
		return 0;
	if (e)
		*err = lerr;
	return e;
}

static int by_size(const void *a, const void *b)
{
	const struct thp_size *x = a, *y = b;
	return (x->size > y->size) - (x->size < y->size);
}

#define THP_DIR "sys/kernel/mm/transparent_hugepage"

/* The mTHP sizes' directories: hugepages-64kB/{enabled,shmem_enabled,stats/} */
static int sizes_read(const struct sysroot *sr, struct thp *t, struct ms_error *err)
{
	char **names;
	int n = sysroot_list_opt(sr, THP_DIR, "hugepages-", &names, err);
	if (n <= 0)
		return n;
	int e = 0;
	for (int i = 0; i < n && !e && t->n_sizes < THP_SIZES; i++) {
		uint64_t size = hugepage_dir_size(names[i]);
		if (!size)
			continue; /* not a size's directory */
		struct thp_size *z = &t->sizes[t->n_sizes++];
		memset(z, 0, sizeof(*z));
		z->size = size;
		char dir[512], stats[600];
		snprintf(dir, sizeof(dir), THP_DIR "/%s", names[i]);
		if ((e = choice_read(sr, dir, "enabled", z->enabled, err)) ||
		    (e = choice_read(sr, dir, "shmem_enabled", z->shmem, err)))
			break;
		snprintf(stats, sizeof(stats), "%s/stats", dir);
		for (int s = 0; s < TS_N && !e; s++)
			e = num_read(sr, stats, ts_names[s], &z->st[s], &z->has[s], err);
	}
	free(names);
	qsort(t->sizes, (size_t)t->n_sizes, sizeof(*t->sizes), by_size);
	return e;
}

int thp_read(const struct sysroot *sr, struct thp *t, struct ms_error *err)
{
	memset(t, 0, sizeof(*t));
	char **names;
	int n = sysroot_list_opt(sr, THP_DIR, "", &names, err);
	free(names);
	if (n <= 0)
		return n; /* not there: no THP */
	t->present = true;
	int e;
	if ((e = choice_read(sr, THP_DIR, "enabled", t->enabled, err)) ||
	    (e = choice_read(sr, THP_DIR, "defrag", t->defrag, err)) ||
	    (e = choice_read(sr, THP_DIR, "shmem_enabled", t->shmem_enabled, err)) ||
	    (e = num_read(sr, THP_DIR, "use_zero_page", &t->use_zero_page, &t->has_use_zero_page,
			  err)) ||
	    (e = num_read(sr, THP_DIR, "hpage_pmd_size", &t->pmd_size, &t->has_pmd_size, err)))
		return e;
	for (int k = 0; k < KH_N; k++)
		if ((e = num_read(sr, THP_DIR "/khugepaged", kh_names[k], &t->kh[k], &t->has_kh[k],
				  err)))
			return e;
	return sizes_read(sr, t, err);
}
