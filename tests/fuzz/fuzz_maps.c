/* SPDX-License-Identifier: GPL-2.0-or-later */
/* maps and smaps through the real streaming reader, the input taken as the bytes of
 * proc/1/maps and of proc/1/smaps (maps_stream_bytes(): the stream's own buffer, line and
 * window code, with a copy from memory where production reads the file); as smaps only when
 * that reads otherwise than maps. Replaying the suite's corpus (FUZZ_REPLAY), each input is
 * read into a list both ways (maps_parse()) and also becomes those files in a private
 * sysroot, read by maps_read() as production reads them (smaps on the reader thread), and the
 * readings must agree mapping for mapping, or error for error. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "proc/maps.h"

#ifdef FUZZ_REPLAY
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[64];

static void cleanup(void)
{
	char p[128];
	static const char *const files[] = {"proc/1/maps", "proc/1/smaps", "proc/1", "proc", ""};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", root, files[i]);
		(i < 2 ? unlink : rmdir)(p);
	}
}

static void setup(void)
{
	if (root[0])
		return;
	atexit(cleanup);
	snprintf(root, sizeof(root), "/tmp/memscope-fuzz-%d", (int)getpid());
	char p[128];
	mkdir(root, 0700);
	snprintf(p, sizeof(p), "%s/proc", root);
	mkdir(p, 0700);
	snprintf(p, sizeof(p), "%s/proc/1", root);
	mkdir(p, 0700);
}

static void put(const char *name, const uint8_t *data, size_t size)
{
	char p[128];
	snprintf(p, sizeof(p), "%s/proc/1/%s", root, name);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		abort();
	if (size && write(fd, data, size) != (ssize_t)size)
		abort();
	close(fd);
}

/* The file read as production reads it gives what the bytes gave. */
static void same_as_file(bool smaps, int ret, const struct maps *m, const struct ms_error *err)
{
	struct sysroot sr;
	struct ms_error ferr = {0};
	if (sysroot_open(&sr, root, &ferr))
		abort();
	struct maps f;
	int fret = maps_read(&sr, "1", smaps, &f, &ferr);
	sysroot_close(&sr);
	if (fret != ret)
		abort();
	if (ret) {
		/* the same reason on the same line; the file's name carries the sysroot */
		if (ferr.line != err->line || strcmp(ferr.reason, err->reason))
			abort();
		return;
	}
	if (f.n != m->n)
		abort();
	for (size_t i = 0; i < m->n; i++) {
		const struct vma *a = &m->v[i], *b = &f.v[i];
		if (a->start != b->start || a->end != b->end || a->kind != b->kind ||
		    a->offset != b->offset || a->inode != b->inode || strcmp(a->name, b->name) ||
		    memcmp(a->sm, b->sm, sizeof(a->sm)))
			abort();
	}
	maps_free(&f);
}
#endif

#ifndef FUZZ_REPLAY
/* Whether some line starts with something other than a hex digit: read as smaps, only such a
 * line (a field) is read otherwise than as maps, where every line is a mapping's header. */
static bool has_fields(const uint8_t *data, size_t size)
{
	for (size_t i = 0; i < size;) {
		if (data[i] != '\n' && (!data[i] || !strchr("0123456789abcdef", data[i])))
			return true;
		const uint8_t *nl = memchr(data + i, '\n', size - i);
		if (!nl)
			break;
		i = (size_t)(nl - data) + 1;
	}
	return false;
}

/* Each mapping as the stream hands it on, checked for what every caller relies on */
static int check(void *data, const struct vma *v)
{
	(void)data;
	if (v->end < v->start || v->kind >= VMA_NKINDS || !v->name)
		abort();
	(void)vma_kind_name(v->kind);
	(void)strlen(v->name);
	return 0;
}

/* Fuzzing: the stream reader itself (what maps_read() and translate --all run), each mapping
 * to check() rather than into a list, so an input costs its parse and not the list's growth */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* with no field line, smaps reads as maps does: one reading is enough */
	int modes = has_fields(data, size) ? 2 : 1;
	for (int smaps = 0; smaps < modes; smaps++) {
		struct ms_error err = {0};
		maps_stream_bytes((const char *)data, size, smaps ? "proc/1/smaps" : "proc/1/maps",
				  smaps, check, NULL, &err);
	}
	return 0;
}
#else
/* Replaying: the list as maps_parse() builds it, against the file as maps_read() reads it */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	setup();
	put("maps", data, size);
	put("smaps", data, size);
	for (int smaps = 0; smaps < 2; smaps++) {
		struct maps m;
		struct ms_error err = {0};
		int ret = maps_parse((const char *)data, size, smaps ? "proc/1/smaps" : "proc/1/maps",
				     smaps, &m, &err);
		if (ret == 0)
			for (size_t i = 0; i < m.n; i++) {
				maps_find(&m, m.v[i].start);
				(void)vma_kind_name(m.v[i].kind);
			}
		same_as_file(smaps, ret, &m, &err);
		if (ret == 0)
			maps_free(&m);
	}
	return 0;
}
#endif
