/* SPDX-License-Identifier: GPL-2.0-or-later */
/* procs' parsers: smaps_rollup and smaps summed, status, cgroup; a dump's processes read. */
#include "test.h"

#include <errno.h>

#include "proc/procmem.h"

static const char rollup[] = "55d0c0a00000-7ffc8a5f2000 ---p 00000000 00:00 0   [rollup]\n"
			     "Rss:                 800 kB\n"
			     "Pss:                 500 kB\n"
			     "Pss_Anon:            300 kB\n"
			     "Pss_File:            150 kB\n"
			     "Pss_Shmem:            50 kB\n"
			     "Shared_Clean:        400 kB\n"
			     "Shared_Dirty:          0 kB\n"
			     "Private_Clean:       100 kB\n"
			     "Private_Dirty:       300 kB\n"
			     "AnonHugePages:         0 kB\n"
			     "Swap:                 12 kB\n"
			     "SwapPss:               6 kB\n"
			     "Locked:                4 kB\n";

/* @p was read from @source, with these figures in kB: {PM_FIELD, kB}, ... */
struct kb {
	int field;
	uint64_t kb;
};
static void assert_figures_(const struct procmem *p, int source, const struct kb *want, size_t n)
{
	assert_int_equal(p->source, source);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(p->v[want[i].field], want[i].kb * 1024);
}
#define assert_figures(p, source, ...)                                                             \
	assert_figures_(p, source, (const struct kb[]){__VA_ARGS__},                             \
			sizeof((const struct kb[]){__VA_ARGS__}) / sizeof(struct kb))

static void test_rollup(void **state)
{
	(void)state;
	struct procmem p = {0};
	struct ms_error err = {0};
	assert_int_equal(procmem_smaps_parse(rollup, strlen(rollup), "f", false, &p, &err), 0);
	assert_figures(&p, PM_ROLLUP, {PM_RSS, 800}, {PM_PSS_SHMEM, 50}, {PM_SWAP_PSS, 6});
	assert_int_equal(procmem_uss(&p), 400 * 1024);
	assert_true(pm_has(&p, PM_LOCKED));
}

/* smaps summed: every mapping's Rss, Pss...; no Pss_Anon in smaps */
static void test_smaps_sum(void **state)
{
	(void)state;
	static const char smaps[] = "00400000-00401000 r-xp 00000000 08:01 12 /bin/x\n"
				    "Size:                  4 kB\n"
				    "Rss:                   4 kB\n"
				    "Pss:                   2 kB\n"
				    "Private_Dirty:         0 kB\n"
				    "VmFlags: rd ex mr mw me\n"
				    "7f0000000000-7f0000002000 rw-p 00000000 00:00 0\n"
				    "Rss:                   8 kB\n"
				    "Pss:                   8 kB\n"
				    "Private_Dirty:         8 kB\n"
				    "THPeligible:    0\n";
	struct procmem p = {0};
	struct ms_error err = {0};
	assert_int_equal(procmem_smaps_parse(smaps, strlen(smaps), "f", true, &p, &err), 0);
	assert_figures(&p, PM_SMAPS, {PM_RSS, 12}, {PM_PSS, 10}, {PM_PRIVATE_DIRTY, 8});
	assert_false(pm_has(&p, PM_PSS_ANON));
	/* smaps_rollup holds one header: a second is not a rollup */
	assert_int_equal(procmem_smaps_parse(smaps, strlen(smaps), "f", false, &p, &err), -EINVAL);
	assert_int_equal(err.line, 7);
}

/* smaps refused: no figures taken */
static int smaps_refused(const char *text, size_t len, struct ms_error *err)
{
	struct procmem p = {0};
	int e = procmem_smaps_parse(text, len, "f", false, &p, err);
	assert_int_equal(p.source, PM_NONE);
	return e;
}

static void test_smaps_bad(void **state)
{
	(void)state;
	static const struct bad_input bad[] = {
		{"Rss: 4 kB\n", 1, "a field before the first mapping's header"},
		{"00-10 r--p 0 0:0 0\nRss 4 kB\n", 2, "expected 'Key: value' or a mapping's header"},
		{"00-10 r--p 0 0:0 0\nRss: four kB\n", 2, "Rss: expected a size in kB"},
		{"00-10 r--p 0 0:0 0\nPss: 4 MB\n", 2, "Pss: expected a size in kB"},
		{"00-10 r--p 0 0:0 0\nSwap: 99999999999999999999 kB\n", 2, "Swap: expected a size in kB"},
	};
	assert_refuses_all(smaps_refused, bad);
}

static int status_refused(const char *text, size_t len, struct ms_error *err)
{
	struct procmem p = {0};
	return procmem_status_parse(text, len, "f", true, &p, err);
}

static void test_status(void **state)
{
	(void)state;
	static const char st[] = "Name:\tmy prog\nTgid:\t42\nPid:\t42\nUid:\t1000\t1001\t1001\t1001\n"
				 "VmSize:\t  9000 kB\nVmLck:\t     8 kB\nVmRSS:\t  3000 kB\n"
				 "VmSwap:\t   100 kB\n";
	struct procmem p = {.pid = 42};
	struct ms_error err = {0};
	assert_int_equal(procmem_status_parse(st, strlen(st), "f", true, &p, &err), 0);
	assert_string_equal(p.comm, "my prog");
	assert_true(p.have_uid);
	assert_int_equal(p.uid, 1001); /* the effective uid */
	assert_figures(&p, PM_STATUS, {PM_RSS, 3000}, {PM_SWAP, 100}, {PM_LOCKED, 8});
	assert_false(pm_has(&p, PM_PSS));
	assert_false(p.kthread);
	assert_false(p.thread);
	/* without @mem the figures are not taken */
	struct procmem q = {.pid = 42};
	assert_int_equal(procmem_status_parse(st, strlen(st), "f", false, &q, &err), 0);
	assert_int_equal(q.source, PM_NONE);
	/* a thread's directory: Tgid is another pid */
	struct procmem t = {.pid = 43};
	assert_int_equal(procmem_status_parse(st, strlen(st), "f", true, &t, &err), 0);
	assert_true(t.thread);
	/* a kernel thread: no Vm lines */
	static const char kt[] = "Name:\tkthreadd\nPid:\t2\nUid:\t0\t0\t0\t0\n";
	struct procmem k = {.pid = 2};
	assert_int_equal(procmem_status_parse(kt, strlen(kt), "f", true, &k, &err), 0);
	assert_true(k.kthread);
	static const struct bad_input bad[] = {
		{"Name:\tx\nno colon here\n", 2, "expected 'Key:\tvalue'"},
		{"Uid:\tx\n", 1, "Uid: expected real, effective, saved and fs uids"},
		{"Uid:\t0\t99999999999\t0\t0\n", 1, "Uid: expected real, effective, saved and fs uids"},
		{"Name:\tx\nVmRSS:\tlots kB\n", 2, "VmRSS: expected a size in kB"},
	};
	assert_refuses_all(status_refused, bad);
}

static void test_cgroup(void **state)
{
	(void)state;
	struct ms_error err = {0};
	static const char v2[] = "0::/user.slice/user-1000.slice/session-2.scope\n";
	struct procmem p = {0};
	assert_int_equal(procmem_cgroup_parse(v2, strlen(v2), "f", &p, &err), 0);
	assert_string_equal(p.cgroup, "/user.slice/user-1000.slice/session-2.scope");
	assert_true(p.cgroup_v2);
	procmem_clear(&p);
	/* hybrid: the v1 memory hierarchy counts the memory, wherever its line is */
	static const char hy[] = "0::/\n5:cpu,cpuacct:/x\n4:memory:/a:b\n";
	assert_int_equal(procmem_cgroup_parse(hy, strlen(hy), "f", &p, &err), 0);
	assert_string_equal(p.cgroup, "/a:b");
	assert_false(p.cgroup_v2);
	procmem_clear(&p);
	/* "memory" must be a controller of its own, not a part of a name */
	static const char nm[] = "3:memory_x:/no\n";
	assert_int_equal(procmem_cgroup_parse(nm, strlen(nm), "f", &p, &err), 0);
	assert_null(p.cgroup);
	static const char bad[] = "0::/\nnonsense\n";
	assert_failed(procmem_cgroup_parse(bad, strlen(bad), "f", &p, &err), &err, -EINVAL, 2,
		      "expected 'ID:CONTROLLERS:PATH'");
	procmem_clear(&p);
}

/* the hand-made dump: each process read from the files it has */
static void test_read_dump(void **state)
{
	(void)state;
	struct sysroot sr;
	fixture_open(&sr, "procs-hand");
	int *pids;
	size_t n;
	struct ms_error err = {0};
	assert_int_equal(procmem_pids(&sr, &pids, &n, &err), 0);
	int want[] = {1, 2, 200, 201, 202, 300, 400, 500};
	assert_int_equal(n, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < n; i++)
		assert_int_equal(pids[i], want[i]);
	free(pids);
	unsigned all = PMW_MEM | PMW_OWNER | PMW_FAULTS | PMW_CMDLINE | PMW_CGROUP;
	struct procmem p;
	assert_int_equal(procmem_read(&sr, 200, all, &p, &err), 0);
	assert_int_equal(p.source, PM_ROLLUP);
	assert_int_equal(p.uid, 1000);
	assert_int_equal(p.minflt, 300);
	assert_int_equal(p.majflt, 2);
	assert_string_equal(p.cmdline, "vim notes\033[31m.txt");
	assert_string_equal(p.cgroup, "/user.slice/user-1000.slice");
	procmem_clear(&p);
	assert_int_equal(procmem_read(&sr, 2, all, &p, &err), 0);
	assert_true(p.kthread);
	procmem_clear(&p);
	assert_int_equal(procmem_read(&sr, 202, all, &p, &err), 0);
	assert_true(p.thread);
	procmem_clear(&p);
	assert_int_equal(procmem_read(&sr, 300, all, &p, &err), 0);
	assert_figures(&p, PM_SMAPS, {PM_RSS, 3000}, {PM_SWAP, 12});
	procmem_clear(&p);
	assert_int_equal(procmem_read(&sr, 400, all, &p, &err), 0);
	assert_int_equal(p.source, PM_STATUS);
	assert_false(p.have_faults); /* no stat in the dump */
	assert_string_equal(p.comm, "statusd");
	procmem_clear(&p);
	assert_int_equal(procmem_read(&sr, 500, all, &p, &err), -EINVAL);
	assert_int_equal(p.source, PM_NONE);
	assert_int_equal(err.line, 3);
	assert_non_null(strstr(err.file, "procs-hand/proc/500/smaps_rollup"));
	procmem_clear(&p);
	assert_int_equal(procmem_read(&sr, 999, all, &p, &err), -ENOENT);
	procmem_clear(&p);
	sysroot_close(&sr);
}

TEST_MAIN(cmocka_unit_test(test_rollup), cmocka_unit_test(test_smaps_sum),
	  cmocka_unit_test(test_smaps_bad), cmocka_unit_test(test_status),
	  cmocka_unit_test(test_cgroup), cmocka_unit_test(test_read_dump))
