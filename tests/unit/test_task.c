/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A process's stat line, the live "is its address space gone" checks, and the size of a THP
 * folio from kpageflags. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "test.h"
#include "decode/kpageflags.h"
#include "proc/kpage.h"
#include "proc/task.h"

static void test_stat_parse(void **state)
{
	struct task_stat st;
	/* a command name with spaces and parentheses: the fields start after the last ')' */
	const char *l = "4242 (a (b) c) S 1 4242 4242 0 -1 4194560 10 0 0 0 3 1 0 0 20 0 1 0 "
			"100 3055616 100 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0\n";
	assert_int_equal(task_stat_parse(l, strlen(l), &st), 0);
	assert_int_equal(st.pid, 4242);
	assert_int_equal(st.state, 'S');
	assert_true(st.flags == 4194560);
	assert_true(st.vsize == 3055616);
	assert_false(st.flags & TASK_PF_KTHREAD);
	/* fields 10 to 15, 22 and 24, each in its place */
	const char *f = "9 (f) R 1 9 9 0 -1 64 11 12 13 14 15 16 -17 -18 20 0 3 0 22 23 24 25\n";
	assert_int_equal(task_stat_parse(f, strlen(f), &st), 0);
	assert_true(st.minflt == 11 && st.cminflt == 12 && st.majflt == 13 && st.cmajflt == 14);
	assert_true(st.utime == 15 && st.stime == 16);
	assert_true(st.starttime == 22 && st.vsize == 23 && st.rss == 24);
	/* counters past 2^32 (a long-lived process) are kept whole */
	const char *big = "9 (f) R 1 9 9 0 -1 64 4294967296 0 18446744073709551615 0 0 0 0 0 20 "
			  "0 1 0 5 6 8589934592";
	assert_int_equal(task_stat_parse(big, strlen(big), &st), 0);
	assert_true(st.minflt == UINT64_C(4294967296));
	assert_true(st.majflt == UINT64_MAX);
	assert_true(st.rss == UINT64_C(8589934592));
	/* a kept count written negative is none (the kernel clamps its counters so) */
	const char *neg = "9 (f) R 1 9 9 0 -1 64 -5 0 0 0 0 0 0 0 20 0 1 0 5 6 -1";
	assert_int_equal(task_stat_parse(neg, strlen(neg), &st), 0);
	assert_true(st.minflt == 0 && st.rss == 0);
	/* kthreadd: PF_KTHREAD, no address space; negative priority fields are skipped */
	const char *k = "2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 -2 0 1 0 26 0 0 "
			"18446744073709551615 0 0 0";
	assert_int_equal(task_stat_parse(k, strlen(k), &st), 0);
	assert_true(st.flags & TASK_PF_KTHREAD);
	assert_true(st.vsize == 0);
	/* a zombie: its counters stay, its mm (and so its rss) is gone */
	const char *z = "77 (x) Z 1 77 77 0 -1 4227084 310 2 1 0 3 4 0 0 20 0 1 0 9 0 0";
	assert_int_equal(task_stat_parse(z, strlen(z), &st), 0);
	assert_int_equal(st.state, 'Z');
	assert_true(st.minflt == 310 && st.cminflt == 2 && st.majflt == 1 && st.rss == 0);
	/* cut before vsize, cut before rss, no ')', garbage, a count overflowing 64 bits, a
	 * field that is no number, two blanks */
	const char *bad[] = {"2 (kthreadd) S 0 0 0 0 -1 2129984", "2 kthreadd S 0", "", "x (y) S",
			     "77 (x) Z 1 77 77 0 -1 4227084 310 2 1 0 3 4 0 0 20 0 1 0 9 0",
			     ("77 (x) Z 1 77 77 0 -1 4227084 18446744073709551616 2 1 0 3 4 0 0 20 "
			      "0 1 0 9 0 0"),
			     "77 (x) Z 1 77 77 0 -1 4227084 3x0 2 1 0 3 4 0 0 20 0 1 0 9 0 0",
			     "77 (x) Z 1 77 77 0 -1 4227084  310 2 1 0 3 4 0 0 20 0 1 0 9 0 0"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(task_stat_parse(bad[i], strlen(bad[i]), &st), -EINVAL);
}

static void test_dump_files(void **state)
{
	char dir[64];
	tmp_sysroot(dir, sizeof(dir));
	static const char cmdline[] = "/bin/sleep\0" "100\0\0";
	tmp_sysroot_write(dir, "proc/7/cmdline", cmdline, sizeof(cmdline) - 1);
	tmp_sysroot_write(dir, "proc/7/maps", " \n\t\n", 4);
	static const char maps8[] = "\n00400000-00401000 r-xp 0 0:0 0\n";
	tmp_sysroot_write(dir, "proc/8/maps", maps8, sizeof(maps8) - 1);
	tmp_sysroot_write(dir, "proc/kpageflags", "\0\0\0\0\0\0\0\0", 8);
	struct sysroot sr;
	struct ms_error err = {0};
	assert_int_equal(sysroot_open(&sr, dir, &err), 0);
	struct task t7, t8, t9;
	assert_int_equal(task_open(&t7, &sr, "7", &err), 0);
	assert_int_equal(task_open(&t8, &sr, "8", &err), 0);
	assert_int_equal(task_open(&t9, &sr, "9", &err), 0);
	/* the arguments joined by spaces, the trailing NULs gone; cut to the buffer */
	char buf[64];
	assert_int_equal(task_cmdline(&t7, buf, sizeof(buf)), 14);
	assert_string_equal(buf, "/bin/sleep 100");
	assert_int_equal(task_cmdline(&t7, buf, 5), 4);
	assert_string_equal(buf, "/bin");
	/* none: empty */
	assert_int_equal(task_cmdline(&t8, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
	/* blanks only: empty; a mapping after a blank line: not; missing: not (the reader words
	 * that) */
	assert_true(task_maps_empty(&t7));
	assert_false(task_maps_empty(&t8));
	assert_false(task_maps_empty(&t9));
	/* kpageflags and kpagecount through the sysroot, and why not */
	int why = -1;
	int fd = kpage_open(&sr, "proc/kpageflags", &why);
	assert_true(fd >= 0);
	assert_int_equal(why, 0);
	close(fd);
	assert_int_equal(kpage_open(&sr, "proc/kpagecount", &why), -ENOENT);
	assert_int_equal(why, ENOENT);
	task_close(&t7);
	task_close(&t8);
	task_close(&t9);
	sysroot_close(&sr);
	tmp_sysroot_remove(dir);
}

static void test_self(void **state)
{
	struct sysroot sr;
	struct ms_error err = {0};
	assert_int_equal(sysroot_open(&sr, NULL, &err), 0);
	struct task t;
	assert_int_equal(task_open(&t, &sr, "self", &err), 0);
	assert_true(task_live(&t));
	struct task_stat st;
	assert_int_equal(task_stat_read(&t, &st, &err), 0);
	assert_int_equal(st.pid, getpid());
	assert_true(st.vsize > 0);
	assert_true(st.rss > 0);
	/* touching new pages shows as minor faults, at least one per page (THP off for them, so
	 * that one fault does not map 2 MiB), and as resident pages */
	long ps = sysconf(_SC_PAGESIZE);
	size_t npages = 64;
	char *mem = mmap(NULL, npages * (size_t)ps, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(mem != MAP_FAILED);
	madvise(mem, npages * (size_t)ps, MADV_NOHUGEPAGE);
	struct task_stat before;
	assert_int_equal(task_stat_read(&t, &before, &err), 0);
	for (size_t i = 0; i < npages; i++)
		mem[i * (size_t)ps] = 1;
	assert_int_equal(task_stat_read(&t, &st, &err), 0);
	assert_true(st.minflt >= before.minflt + npages);
	assert_true(st.rss >= before.rss + npages / 2); /* less if other pages were reclaimed */
	munmap(mem, npages * (size_t)ps);
	/* a live address space: both checks say it is there */
	int fd = task_openat(&t, "maps", &err);
	assert_true(fd >= 0);
	char buf[256];
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	assert_int_equal(task_maps_gone(fd), 0);
	close(fd);
	fd = task_openat(&t, "pagemap", &err);
	assert_true(fd >= 0);
	assert_int_equal(kpage_pagemap_gone(fd), 0);
	close(fd);
	assert_int_equal(task_openat(&t, "no-such-file", &err), -ENOENT);
	task_close(&t);
	assert_int_equal(task_open(&t, &sr, "4000000", &err), -ENOENT);
	sysroot_close(&sr);
}

#define HEAD (UINT64_C(1) << KPF_COMPOUND_HEAD)
#define TAIL (UINT64_C(1) << KPF_COMPOUND_TAIL)
#define THP (UINT64_C(1) << KPF_THP)

/* a kpageflags file: @n frames from @first are one folio (head first), the rest plain */
static int flags_file(uint64_t first, uint64_t n)
{
	char path[] = "/tmp/memscope-kpf-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	unlink(path);
	for (uint64_t k = 0; k < n; k++) {
		uint64_t f = THP | (k ? TAIL : HEAD);
		assert_int_equal(pwrite(fd, &f, 8, (off_t)((first + k) * 8)), 8);
	}
	/* a plain page after it, so the file goes on past the folio */
	uint64_t plain = 1 << KPF_LRU;
	assert_int_equal(pwrite(fd, &plain, 8, (off_t)((first + n) * 8)), 8);
	return fd;
}

static void test_folio_pages(void **state)
{
	uint64_t *scratch = malloc(KPAGE_BATCH * 8), pages = 0;
	/* an order-4 folio at 0x1010 (aligned to 16 only): its 16 pages, seen whole, need no
	 * read: the file is empty */
	char path[] = "/tmp/memscope-kpf-XXXXXX";
	int empty = mkstemp(path);
	unlink(path);
	assert_int_equal(kpage_folio_pages(empty, 0x1010, 16, true, &pages, scratch), 0);
	assert_true(pages == 16);
	close(empty);
	/* the same folio seen from its head, 3 pages: the tails after them are found */
	int fd = flags_file(0x1010, 16);
	assert_int_equal(kpage_folio_pages(fd, 0x1010, 3, true, &pages, scratch), 0);
	assert_true(pages == 16);
	/* two pages from its middle: back to its head, on to its end */
	assert_int_equal(kpage_folio_pages(fd, 0x1015, 2, false, &pages, scratch), 0);
	assert_true(pages == 16);
	close(fd);
	/* a PMD folio at a frame aligned to far more than 512: ends where its tails end */
	fd = flags_file(0x40000, 512);
	assert_int_equal(kpage_folio_pages(fd, 0x40000, 512, true, &pages, scratch), 0);
	assert_true(pages == 512);
	assert_int_equal(kpage_folio_pages(fd, 0x401fe, 2, false, &pages, scratch), 0);
	assert_true(pages == 512);
	close(fd);
	free(scratch);
	/* orders and names of sizes */
	assert_int_equal(kpageflags_order(1), 0);
	assert_int_equal(kpageflags_order(2), 1);
	assert_int_equal(kpageflags_order(16), 4);
	assert_int_equal(kpageflags_order(512), 9);
	assert_int_equal(kpageflags_pmd_order(4096), 9);
	assert_int_equal(kpageflags_pmd_order(16384), 11);
	assert_int_equal(kpageflags_pmd_order(65536), 13);
}

TEST_MAIN(cmocka_unit_test(test_stat_parse), cmocka_unit_test(test_self),
	  cmocka_unit_test(test_dump_files), cmocka_unit_test(test_folio_pages))
