/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The pagemap walker (proc/pagewalk.c) over fixtures/process-folios, its text dumps turned
 * into the binary files they stand for, as tests/mksysroot.py does for the golden cases. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test.h"
#include "proc/maps.h"
#include "proc/pagewalk.h"
#include "proc/task.h"

#define PS 4096

static char root[64];

/* FIXTURES/process-folios/@from ("KEY VALUE" lines, hex) into root/@to: 8 bytes at KEY, or at
 * KEY / PS for pagemap (its keys are addresses) */
static void txt2bin(const char *from, const char *to, bool per_page)
{
	char src[1024], dst[256], line[128];
	snprintf(src, sizeof(src), "%s/process-folios/%s", FIXTURES, from);
	snprintf(dst, sizeof(dst), "%s/%s", root, to);
	FILE *in = fopen(src, "r");
	assert_non_null(in);
	int fd = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	while (fgets(line, sizeof(line), in)) {
		unsigned long long key, value;
		if (sscanf(line, "%llx %llx", &key, &value) != 2)
			continue;
		uint64_t v = value;
		off_t at = (off_t)((per_page ? key / PS : key) * 8);
		assert_int_equal(pwrite(fd, &v, 8, at), 8);
	}
	fclose(in);
	close(fd);
}

static int setup(void **state)
{
	char path[1024];
	snprintf(root, sizeof(root), "/tmp/memscope-pagewalk-XXXXXX");
	assert_non_null(mkdtemp(root));
	snprintf(path, sizeof(path), "%s/proc", root);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/proc/100", root);
	assert_int_equal(mkdir(path, 0755), 0);
	txt2bin("proc/100/pagemap.txt", "proc/100/pagemap", true);
	txt2bin("proc/kpageflags.txt", "proc/kpageflags", false);
	txt2bin("proc/kpagecount.txt", "proc/kpagecount", false);
	/* copied: a link out of the sysroot is refused (openat2 RESOLVE_BENEATH) */
	char src[1024], buf[4096];
	snprintf(src, sizeof(src), "%s/process-folios/proc/100/maps", FIXTURES);
	snprintf(path, sizeof(path), "%s/proc/100/maps", root);
	FILE *in = fopen(src, "r"), *out = fopen(path, "w");
	assert_true(in && out);
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		assert_int_equal(fwrite(buf, 1, n, out), n);
	fclose(in);
	fclose(out);
	return 0;
}

static int teardown(void **state)
{
	const char *files[] = {"proc/100/pagemap", "proc/100/maps", "proc/kpageflags",
			       "proc/kpagecount", "proc/100", "proc", ""};
	char path[256];
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", root, files[i]);
		remove(path);
	}
	return 0;
}

/* the walker on the dump, as translate opens it: through the sysroot and the task */
struct fix {
	struct sysroot sr;
	struct task t;
	struct maps m;
	int pagemap_fd, flags_fd, count_fd;
	char name[512];
	struct pagewalk pw;
};

static void fix_open(struct fix *f)
{
	struct ms_error err = {0};
	memset(f, 0, sizeof(*f));
	assert_int_equal(sysroot_open(&f->sr, root, &err), 0);
	assert_int_equal(task_open(&f->t, &f->sr, "100", &err), 0);
	assert_int_equal(maps_read_task(&f->t, false, &f->m, &err), 0);
	assert_int_equal(f->m.n, 5);
	f->pagemap_fd = task_openat(&f->t, "pagemap", &err);
	assert_true(f->pagemap_fd >= 0);
	task_name(&f->t, "pagemap", f->name, sizeof(f->name));
	f->flags_fd = sysroot_openat(&f->sr, "proc/kpageflags", &err);
	f->count_fd = sysroot_openat(&f->sr, "proc/kpagecount", &err);
	assert_true(f->flags_fd >= 0 && f->count_fd >= 0);
	assert_int_equal(pagewalk_init(&f->pw, f->pagemap_fd, f->name, f->flags_fd, f->count_fd,
				       PS, false),
			 0);
}

static void fix_close(struct fix *f)
{
	pagewalk_free(&f->pw);
	close(f->pagemap_fd);
	close(f->flags_fd);
	close(f->count_fd);
	maps_free(&f->m);
	task_close(&f->t);
	sysroot_close(&f->sr);
}

struct seen {
	struct pw_run run[64];
	size_t n;
	int stop_after; /* 0: never */
};

static int collect(void *data, const struct pw_run *run)
{
	struct seen *s = data;
	assert_true(s->n < 64);
	s->run[s->n++] = *run;
	return s->stop_after && (int)s->n == s->stop_after ? -ECANCELED : 0;
}

/* each mapping counted as the fixture's comments say (fixtures/process-folios, helpers/folios.py) */
static void test_mappings(void **state)
{
	struct fix f;
	fix_open(&f);
	struct ms_error err = {0};
	struct pw_stats st[5] = {0}, total = {0};
	for (size_t i = 0; i < 5; i++) {
		assert_int_equal(pagewalk_range(&f.pw, f.m.v[i].start, f.m.v[i].end, &st[i], NULL,
						NULL, &err),
				 0);
		pagewalk_stats_add(&total, &st[i]);
	}
	/* /data/folios: 162 pages, 161 present on 3 runs of frames, 30 of them in mTHP folios
	 * of 8K to 64K */
	assert_true(st[0].pages == 162 && st[0].present == 161 && st[0].not_present == 1);
	assert_true(st[0].runs == 3 && st[0].thp_pages == 30 && st[0].shared == 0);
	assert_true(st[0].folios[1] == 1 && st[0].folios[2] == 1 && st[0].folios[3] == 1 &&
		    st[0].folios[4] == 1);
	/* two pages of a 64K folio, mapped in part */
	assert_true(st[1].pages == 2 && st[1].thp_pages == 2 && st[1].folios[4] == 1 &&
		    st[1].folio_pages[4] == 2);
	/* one PMD folio, one run */
	assert_true(st[2].pages == 512 && st[2].present == 512 && st[2].runs == 1);
	assert_true(st[2].folios[9] == 1 && st[2].folio_pages[9] == 512);
	/* the stack: every other page present, 50 runs, no THP */
	assert_true(st[4].pages == 100 && st[4].present == 50 && st[4].not_present == 50);
	assert_true(st[4].runs == 50 && st[4].thp_pages == 0);
	assert_true(total.pages == 779 && total.present == 728 && total.runs == 56);
	assert_true(f.pw.frames && !f.pw.hidden && !f.pw.vanished);
	fix_close(&f);
}

/* the runs a sink is handed: in order, each with its state, frames and folio orders */
static void test_runs(void **state)
{
	struct fix f;
	fix_open(&f);
	struct ms_error err = {0};
	struct pw_stats st = {0};
	struct seen s = {.n = 0};
	/* 18 pages of /data/folios, then its end: 0x7f0000090000 .. 0x7f00000a2000 */
	assert_int_equal(pagewalk_range(&f.pw, 0x7f0000090000, 0x7f00000a2000, &st, collect, &s,
					&err),
			 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.run[0].st, PW_PRESENT);
	assert_true(s.run[0].vstart == 0x7f0000090000 && s.run[0].pages == 18);
	assert_true(s.run[0].pfn == 0x20090 && s.run[0].thp_pages == 0);
	assert_true(s.run[0].hi_order == UINT_MAX);
	/* a gap is one unmapped run, nothing read */
	assert_int_equal(pagewalk_gap(&f.pw, 0x7f00000a2000, 2, &st, collect, &s), 0);
	assert_int_equal(s.run[1].st, PW_UNMAPPED);
	assert_true(s.run[1].pages == 2 && st.unmapped == 2);
	/* the 64K folio's two pages: one run, order 4 */
	assert_int_equal(pagewalk_range(&f.pw, 0x7f00000a4000, 0x7f00000a6000, &st, collect, &s,
					&err),
			 0);
	assert_int_equal(s.n, 3);
	assert_true(s.run[2].pfn == 0x30005 && s.run[2].pages == 2 && s.run[2].thp_pages == 2);
	assert_true(s.run[2].lo_order == 4 && s.run[2].hi_order == 4);
	assert_true(st.pages == 22 && st.present == 20 && st.runs == 2);
	/* the stack alternates present and not present; a sink that stops stops the walk */
	struct seen stop = {.n = 0, .stop_after = 3};
	struct pw_stats st2 = {0};
	assert_int_equal(pagewalk_range(&f.pw, 0x7ffd00000000, 0x7ffd00064000, &st2, collect,
					&stop, &err),
			 -ECANCELED);
	assert_int_equal(stop.n, 3);
	assert_int_equal(stop.run[0].st, PW_PRESENT);
	assert_int_equal(stop.run[1].st, PW_NONE);
	assert_true(stop.run[1].vstart == stop.run[0].vstart + PS);
	/* one entry, and the frame's flags and count */
	uint64_t raw = 0, flags, count;
	assert_int_equal(pagewalk_entry(&f.pw, 0x7f00000a4000, &raw, &err), 0);
	assert_true(raw >> 63 && (raw & ((UINT64_C(1) << 55) - 1)) == 0x30005);
	pagewalk_frame(&f.pw, 0x30005, &flags, &count);
	assert_true(flags != UINT64_MAX && count == 1);
	/* past the end of a dump's pagemap: holes, not an error */
	struct pw_stats st3 = {0};
	assert_int_equal(pagewalk_range(&f.pw, 0x7fff00000000, 0x7fff00004000, &st3, NULL, NULL,
					&err),
			 0);
	assert_true(st3.pages == 4 && st3.not_present == 4);
	assert_int_equal(pagewalk_entry(&f.pw, 0x7fff00000000, &raw, &err), 0);
	assert_true(raw == 0);
	fix_close(&f);
}

/* errors come back as -errno, the file named in @err; nothing printed */
static void test_errors(void **state)
{
	struct pagewalk pw;
	struct pw_stats st = {0};
	struct ms_error err = {0};
	char path[300];
	/* a pagemap that cannot be read (open for writing only): the read's errno, named */
	snprintf(path, sizeof(path), "%s/proc/100/pagemap", root);
	int fd = open(path, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(pagewalk_init(&pw, fd, "/proc/100/pagemap", -1, -1, PS, false), 0);
	assert_int_equal(pagewalk_range(&pw, 0x7f0000000000, 0x7f0000001000, &st, NULL, NULL, &err),
			 -EBADF);
	assert_string_equal(err.file, "/proc/100/pagemap");
	assert_string_equal(err.reason, strerror(EBADF));
	uint64_t raw;
	memset(&err, 0, sizeof(err));
	assert_int_equal(pagewalk_entry(&pw, 0x7f0000000000, &raw, &err), -EBADF);
	assert_string_equal(err.file, "/proc/100/pagemap");
	pagewalk_free(&pw);
	close(fd);
	/* a live process's pagemap that comes back short, with no entry at 0 either: its address
	 * space is gone (kpage_pagemap_gone()): -ESRCH, named, and the walk says it vanished */
	char tmp[] = "/tmp/memscope-pm-XXXXXX";
	fd = mkstemp(tmp);
	assert_true(fd >= 0);
	unlink(tmp);
	assert_int_equal(pagewalk_init(&pw, fd, "/proc/4242/pagemap", -1, -1, PS, true), 0);
	memset(&err, 0, sizeof(err));
	assert_int_equal(pagewalk_range(&pw, 0x1000, 0x3000, &st, NULL, NULL, &err), -ESRCH);
	assert_string_equal(err.file, "/proc/4242/pagemap");
	assert_true(pw.vanished);
	memset(&err, 0, sizeof(err));
	assert_int_equal(pagewalk_entry(&pw, 0x1000, &raw, &err), -ESRCH);
	assert_string_equal(err.file, "/proc/4242/pagemap");
	/* the same short file in a dump: holes */
	pw.live = false;
	struct pw_stats st2 = {0};
	assert_int_equal(pagewalk_range(&pw, 0x1000, 0x3000, &st2, NULL, NULL, &err), 0);
	assert_true(st2.pages == 2 && st2.not_present == 2);
	pagewalk_free(&pw);
	close(fd);
}

TEST_MAIN_WITH(setup, teardown, cmocka_unit_test(test_mappings), cmocka_unit_test(test_runs),
	       cmocka_unit_test(test_errors))
