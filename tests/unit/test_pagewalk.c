/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The pagemap walker (proc/pagewalk.c) over fixtures/process-folios, its text dumps turned
 * into the binary files they stand for, as tests/mksysroot.py does for the golden cases; and
 * over a live child process, read by PAGEMAP_SCAN (proc/pagescan.c) and by pread, which must
 * give the same. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
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
	/* a plain file has no PAGEMAP_SCAN (ENOTTY): pread from then on, asked once */
	assert_true(pw.reader == PW_READ_PREAD && pw.scan.calls == 1);
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

/* ---- a live process, both readers ---- */

/* what the child made: 1M touched, 256K untouched, 1M touched with its middle third made guard
 * pages (MADV_GUARD_INSTALL, Linux 6.13+; pagemap shows them swapped; guard_len 0 where the
 * kernel refused), 64 single pages of alternating protection (64 mappings), touched */
struct child {
	pid_t pid;
	uint64_t touched, untouched, guarded, guard, guard_len, many;
};

static void child_start(struct child *c)
{
	int p[2];
	assert_int_equal(pipe(p), 0);
	c->pid = fork();
	assert_true(c->pid >= 0);
	if (c->pid == 0) {
		char *t = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		char *u = mmap(NULL, 256 << 10, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		char *g = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		char *m = mmap(NULL, 64 * PS, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (t == MAP_FAILED || u == MAP_FAILED || g == MAP_FAILED || m == MAP_FAILED)
			_exit(1);
		memset(t, 1, 1 << 20);
		memset(g, 1, 1 << 20);
		struct child r = {0, (uintptr_t)t, (uintptr_t)u, (uintptr_t)g,
				  (uintptr_t)g + 85 * PS, 85 * PS, (uintptr_t)m};
		if (madvise(g + 85 * PS, 85 * PS, 102 /* MADV_GUARD_INSTALL */))
			r.guard_len = 0;
		for (int k = 0; k < 64; k++) {
			m[k * PS] = 1;
			if (k % 2)
				mprotect(m + k * PS, PS, PROT_READ);
		}
		if (write(p[1], &r, sizeof(r)) != sizeof(r))
			_exit(1);
		pause();
		_exit(0);
	}
	close(p[1]);
	pid_t pid = c->pid;
	assert_int_equal(read(p[0], c, sizeof(*c)), sizeof(*c));
	c->pid = pid;
	close(p[0]);
}

static void child_stop(struct child *c)
{
	kill(c->pid, SIGKILL);
	waitpid(c->pid, NULL, 0);
}

/* the child's pagemap opened with CAP_SYS_ADMIN effective or not (the kernel decides at the
 * open whether the frames are shown) */
static int open_pagemap(pid_t pid, bool admin)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)pid);
	cap_t was = cap_get_proc(), now = cap_dup(was);
	cap_value_t v = CAP_SYS_ADMIN;
	assert_true(was && now);
	cap_set_flag(now, CAP_EFFECTIVE, 1, &v, admin ? CAP_SET : CAP_CLEAR);
	bool changed = cap_set_proc(now) == 0;
	int fd = open(path, O_RDONLY);
	if (changed)
		cap_set_proc(was);
	cap_free(now);
	cap_free(was);
	assert_true(fd >= 0);
	return fd;
}

#define MAXRUNS 4096
struct walked {
	struct pw_stats all, touched, untouched, guarded, many;
	struct pw_run run[MAXRUNS];
	size_t n;
	enum pw_reader reader;
	uint64_t calls, ranges;
	bool hidden;
};

static int collect_all(void *data, const struct pw_run *run)
{
	struct walked *w = data;
	assert_true(w->n < MAXRUNS);
	w->run[w->n++] = *run;
	return 0;
}

/* every mapping of the child (up to 1G each), then its own ranges, in one walk, as translate --all and a range
 * do; MEMSCOPE_PAGEMAP=pread in the environment when @pread */
static void walk_child(const struct child *c, bool admin, bool pread, struct walked *w)
{
	memset(w, 0, sizeof(*w));
	int fd = open_pagemap(c->pid, admin);
	struct pagewalk pw;
	if (pread)
		setenv("MEMSCOPE_PAGEMAP", "pread", 1);
	assert_int_equal(pagewalk_init(&pw, fd, "pagemap", -1, -1, PS, true), 0);
	unsetenv("MEMSCOPE_PAGEMAP");
	char path[64], line[512];
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)c->pid);
	FILE *maps = fopen(path, "r");
	assert_non_null(maps);
	struct ms_error err = {0};
	while (fgets(line, sizeof(line), maps)) {
		uint64_t lo, hi;
		assert_int_equal(sscanf(line, "%" SCNx64 "-%" SCNx64, &lo, &hi), 2);
		/* not the terabytes of shadow a sanitizer build reserves: pread would read 8
		 * bytes for each of their pages */
		if (hi - lo > (UINT64_C(1) << 30))
			continue;
		assert_int_equal(pagewalk_range(&pw, lo, hi, &w->all, collect_all, w, &err), 0);
		w->ranges++;
	}
	fclose(maps);
	assert_int_equal(pagewalk_range(&pw, c->touched, c->touched + (1 << 20), &w->touched,
					collect_all, w, &err), 0);
	assert_int_equal(pagewalk_range(&pw, c->untouched, c->untouched + (256 << 10),
					&w->untouched, collect_all, w, &err), 0);
	assert_int_equal(pagewalk_range(&pw, c->guarded, c->guarded + (1 << 20), &w->guarded,
					collect_all, w, &err), 0);
	assert_int_equal(pagewalk_range(&pw, c->many, c->many + 64 * PS, &w->many, collect_all, w,
					&err), 0);
	w->ranges += 4;
	w->reader = pw.reader;
	print_message("# %s reader %d: %" PRIu64 " PAGEMAP_SCAN calls for %" PRIu64 " ranges\n",
		      pread ? "pread" : "default", (int)pw.reader, pw.scan.calls, w->ranges);
	w->calls = pw.scan.calls;
	w->hidden = pw.hidden;
	pagewalk_free(&pw);
	close(fd);
}

static void assert_same_walk(const struct walked *a, const struct walked *b)
{
	assert_memory_equal(&a->all, &b->all, sizeof(a->all));
	assert_memory_equal(&a->touched, &b->touched, sizeof(a->touched));
	assert_memory_equal(&a->untouched, &b->untouched, sizeof(a->untouched));
	assert_memory_equal(&a->guarded, &b->guarded, sizeof(a->guarded));
	assert_memory_equal(&a->many, &b->many, sizeof(a->many));
	assert_int_equal(a->n, b->n);
	for (size_t i = 0; i < a->n; i++) {
		const struct pw_run *x = &a->run[i], *y = &b->run[i];
		assert_true(x->st == y->st && x->vstart == y->vstart && x->pages == y->pages &&
			    x->pfn == y->pfn && x->thp_pages == y->thp_pages &&
			    x->lo_order == y->lo_order && x->hi_order == y->hi_order);
	}
}

/* Start a child (@c, stopped again on return) and walk it twice, with frames shown when @frames:
 * as the walk chooses into *@got, then forced to pread into *@pread (both calloc'ed: free them);
 * the two must agree. */
static void walk_twice(struct child *c, bool frames, struct walked **got, struct walked **pread)
{
	child_start(c);
	*got = calloc(1, sizeof(**got));
	*pread = calloc(1, sizeof(**pread));
	assert_true(*got && *pread);
	walk_child(c, frames, false, *got);
	walk_child(c, frames, true, *pread);
	child_stop(c);
	assert_same_walk(*got, *pread);
}

/* Frames hidden (CAP_SYS_ADMIN not effective at the open): PAGEMAP_SCAN reads the walk where
 * the kernel has it, to the same counts and runs as pread, which MEMSCOPE_PAGEMAP=pread forces. */
static void test_live_hidden(void **state)
{
	struct child c;
	struct walked *scan, *pread;
	walk_twice(&c, false, &scan, &pread);
	assert_true(scan->hidden && pread->hidden);
	assert_true(pread->reader == PW_READ_PREAD && pread->calls == 0);
	/* the counts are the pages the child made */
	assert_true(scan->touched.pages == 256 && scan->touched.present == 256 &&
		    scan->touched.hidden == 256);
	assert_true(scan->untouched.pages == 64 && scan->untouched.not_present == 64);
	if (c.guard_len)
		assert_true(scan->guarded.swapped == 85 && scan->guarded.present == 256 - 85);
	assert_true(scan->many.pages == 64 && scan->many.present == 64);
	assert_true(scan->all.present >= 256 + 171 + 64 && scan->all.runs == 0);
	bool had = scan->reader == PW_READ_SCAN;
	uint64_t calls = scan->calls, ranges = scan->ranges;
	free(scan);
	free(pread);
	if (!had) {
		SKIP_TEST("PAGEMAP_SCAN: not in this kernel (before 6.7), pread alone was tested\n");
	}
	/* and it was used, reading ahead: far fewer calls than ranges (~100 in a plain build,
	 * 10 calls; a sanitizer's child has more, and gaps the walk skips) */
	assert_true(calls > 0 && calls * 4 < ranges);
}

/* Frames shown (CAP_SYS_ADMIN at the open, as root): the probe gives the walk to pread after the
 * first present page, to the same counts and runs, with their frames. */
static void test_live_frames(void **state)
{
	if (!CAP_IS_SUPPORTED(CAP_SYS_ADMIN) || geteuid() != 0) {
		SKIP_TEST("not root: frames are hidden, nothing to compare\n");
	}
	struct child c;
	struct walked *probe, *pread;
	walk_twice(&c, true, &probe, &pread);
	assert_true(!probe->hidden && probe->all.runs > 0 && probe->touched.present == 256);
	/* SCAN only up to the first present page (in the first ranges) */
	assert_true(probe->reader == PW_READ_PREAD && probe->calls >= 1 && probe->calls <= 3);
	free(probe);
	free(pread);
}

TEST_MAIN_WITH(setup, teardown, cmocka_unit_test(test_mappings), cmocka_unit_test(test_runs),
	       cmocka_unit_test(test_errors), cmocka_unit_test(test_live_hidden),
	       cmocka_unit_test(test_live_frames))
