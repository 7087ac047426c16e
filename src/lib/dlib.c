/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <dlfcn.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "lib/dlib.h"

#define DLIB_DEFINE(f) __typeof__(f) *sym_##f;
LIBARCHIVE_SYMBOLS(DLIB_DEFINE)
LIBPROC2_SYMBOLS(DLIB_DEFINE)

struct sym {
	const char *name;
	void **ptr;
};

struct dlib {
	const char *soname;
	const struct sym *syms;
	size_t nsyms;
	int ret; /* 1: not tried yet */
	char why[512];
};

/* dlopen @l and look up every symbol, up to the first missing; that failure is kept for every
 * later call */
static int load(struct dlib *l, const char *what, struct ms_error *err)
{
	if (l->ret == 1) {
		l->ret = 0;
		void *h = dlopen(l->soname, RTLD_NOW | RTLD_LOCAL);
		for (size_t i = 0; h && i < l->nsyms && !l->ret; i++)
			if (!(*l->syms[i].ptr = dlsym(h, l->syms[i].name))) {
				snprintf(l->why, sizeof(l->why), "it has no %s", l->syms[i].name);
				l->ret = -ENOTSUP;
			}
		if (!h) {
			const char *e = dlerror();
			snprintf(l->why, sizeof(l->why), "%s", e ? e : l->soname);
			l->ret = -ENOTSUP;
		}
		/* a handle that lacks a symbol stays open: the pointers it did fill stay valid */
	}
	if (l->ret)
		return ms_say(err, l->ret, "%s needs %s, which could not be loaded: %s", what,
			      l->soname, l->why);
	return 0;
}

#define DLIB_ENTRY(f) {#f, (void **)&sym_##f},
static const struct sym archive_syms[] = {LIBARCHIVE_SYMBOLS(DLIB_ENTRY)};
static const struct sym proc2_syms[] = {LIBPROC2_SYMBOLS(DLIB_ENTRY)};
static struct dlib libarchive = {LIBARCHIVE_SONAME, archive_syms,
				 sizeof(archive_syms) / sizeof(archive_syms[0]), 1, ""};
static struct dlib libproc2 = {LIBPROC2_SONAME, proc2_syms,
			       sizeof(proc2_syms) / sizeof(proc2_syms[0]), 1, ""};

int dlib_archive(const char *what, struct ms_error *err)
{
	return load(&libarchive, what, err);
}

int dlib_proc2(const char *what, struct ms_error *err)
{
	return load(&libproc2, what, err);
}
